"""Row labels printed apart from their values, and page furniture between rows.

Hand-made reports in the style of the real ones (`../shared/corpus/real/`): a
PDF text layer's columns aligned by spaces, with page numbers and the title
repeated as each page's header (18-huaian-2024), and one cell per line with
runs of bare CRs between the cells (04, 06). Every expected value is the one
printed in the text, read by hand.
"""

from __future__ import annotations

import govdisclosure
from govdisclosure import CellStatus, Report
from govdisclosure.pipeline.furniture import page_furniture
from govdisclosure.pipeline.labels import label_index
from govdisclosure.pipeline.normalize import normalize_text
from govdisclosure.spec.registry import Registry

TITLE = "某某市交通运输局2022年政府信息公开工作年度报告"

HEAD = [
    TITLE,
    "本报告所列数据的统计期限自2022年1月1日起至2022年12月31日止。",
    "一、总体情况",
    "2022年，市交通运输局认真贯彻落实《中华人民共和国政府信息公开条例》。",
]

#: 三 of a 2021-format report, aligned as a PDF prints it: every equation holds.
T3 = [
    "三、收到和处理政府信息公开申请情况",
    "自然人    法人或其他组织    总计",
    "商业企业    科研机构    社会公益组织    法律服务机构    其他",
    "一、本年新收政府信息公开申请数量    21    2    0    0    1    0    24",
    "二、上年结转政府信息公开申请数量    1    0    0    0    0    0    1",
    "三、本年度办理结果",
    "（一）予以公开    12    1    0    0    1    0    14",
    "（二）部分公开（区分处理的，只计这一情形，不计其他情形）    2    0    0    0    0    0    2",
    "（三）不予公开",
    "1.属于国家秘密    0    0    0    0    0    0    0",
    "2.其他法律行政法规禁止公开    0    0    0    0    0    0    0",
    "3.危及“三安全一稳定”    0    0    0    0    0    0    0",
    "4.保护第三方合法权益    1    0    0    0    0    0    1",
    "5.属于三类内部事务信息    0    0    0    0    0    0    0",
    "6.属于四类过程性信息    0    0    0    0    0    0    0",
    "7.属于行政执法案卷    0    0    0    0    0    0    0",
    "8.属于行政查询事项    0    0    0    0    0    0    0",
    "（四）无法提供",
    "1.本机关不掌握相关政府信息    4    1    0    0    0    0    5",
    "2.没有现成信息需要另行制作    0    0    0    0    0    0    0",
    "3.补正后申请内容仍不明确    0    0    0    0    0    0    0",
    "（五）不予处理",
    "1.信访举报投诉类申请    1    0    0    0    0    0    1",
    "2.重复申请    0    0    0    0    0    0    0",
    "3.要求提供公开出版物    0    0    0    0    0    0    0",
    "4.无正当理由大量反复申请    0    0    0    0    0    0    0",
    "5.要求行政机关确认或重新出具已获取信息    0    0    0    0    0    0    0",
    "（六）其他处理",
    "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请    0    0    0    0    0    0    0",
    "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请    0    0    0    0    0    0    0",
    "3.其他    0    0    0    0    0    0    0",
    "（七）总计    20    2    0    0    1    0    23",
    "四、结转下年度继续办理    2    0    0    0    0    0    2",
]

T4 = [
    "四、政府信息公开行政复议、行政诉讼情况",
    "行政复议    行政诉讼",
    "结果维持    结果纠正    其他结果    尚未审结    总计    未经复议直接起诉    复议后起诉",
    "结果维持    结果纠正    其他结果    尚未审结    总计    结果维持    结果纠正    其他结果    尚未审结    总计",
    "1    0    0    0    1    0    0    0    0    0    0    0    0    0    0",
]

TAIL = [
    "五、存在的主要问题及改进情况",
    "信息公开的及时性还需提高。",
    "六、其他需要报告的事项",
    "本年度未收取信息处理费。",
]


def _section2(*body: str) -> list[str]:
    return ["二、主动公开政府信息情况", *body]


#: 二 with each row's values beside its label.
S2_INLINE = _section2(
    "第二十条第（一）项",
    "信息内容    本年制发件数    本年废止件数    现行有效件数",
    "规章    0    0    0",
    "行政规范性文件    3    1    43",
    "第二十条第（五）项",
    "信息内容    本年处理决定数量",
    "行政许可    1520",
    "第二十条第（六）项",
    "信息内容    本年处理决定数量",
    "行政处罚    86",
    "行政强制    4",
    "第二十条第（八）项",
    "信息内容    本年收费金额（单位：万元）",
    "行政事业性收费    12.5",
)


def _load(lines: list[str]) -> Report:
    return govdisclosure.load("\n".join(lines) + "\n", spec="gov-2021")


def _values(report: Report, table: str) -> dict[str, list[object]]:
    return {
        row[0].row_key: [c.value for c in row] for row in report.table(table).grid()
    }


def _section2_values(report: Report) -> dict[str, list[object]]:
    out: dict[str, list[object]] = {}
    for table in ("t2_1", "t2_5", "t2_6", "t2_8"):
        out |= _values(report, table)
    return out


S2_TRUTH = {
    "rules": [0, 0, 0],
    "normative_documents": [3, 1, 43],
    "administrative_license": [1520],
    "administrative_penalty": [86],
    "administrative_coercion": [4],
    "administrative_fees": [12.5],
}


def test_the_hand_made_report_reads_exactly_inline() -> None:
    """The reference: the same report with values beside the labels."""
    report = _load(HEAD + S2_INLINE + T3 + T4 + TAIL)

    assert S2_TRUTH == _section2_values(report)
    assert [20, 2, 0, 0, 1, 0, 23] == _values(report, "t3")["processed_total"]
    assert all(c.status is CellStatus.OK for c in report.cells)


def test_labels_first_then_their_rows_of_values_are_placed_in_order() -> None:
    """A PDF's label column read before its value columns: each table's labels,
    then its rows of numbers in the same order (as many lines as labels)."""
    section = _section2(
        "第二十条第（一）项",
        "信息内容    本年制发件数    本年废止件数    现行有效件数",
        "规章",
        "行政规范性文件",
        "0    0    0",
        "3    1    43",
        "第二十条第（五）项",
        "信息内容    本年处理决定数量",
        "行政许可",
        "1520",
        "第二十条第（六）项",
        "信息内容    本年处理决定数量",
        "行政处罚",
        "行政强制",
        "86",
        "4",
        "第二十条第（八）项",
        "信息内容    本年收费金额（单位：万元）",
        "行政事业性收费",
        "12.5",
    )

    report = _load(HEAD + section + T3 + T4 + TAIL)

    assert S2_TRUTH == _section2_values(report)
    assert all(c.status is CellStatus.OK for c in report.table("t2_1").cells)
    assert "row.values_apart" not in {f.code for f in report.findings}


def test_each_label_above_its_row_of_values_is_placed() -> None:
    """Each label on its own line, its values on the line below (tall label cells)."""
    section = _section2(
        "第二十条第（一）项",
        "信息内容    本年制发件数    本年废止件数    现行有效件数",
        "规章",
        "0    0    0",
        "行政规范性文件",
        "3    1    43",
        "第二十条第（五）项",
        "信息内容    本年处理决定数量",
        "行政许可",
        "1520",
        "第二十条第（六）项",
        "信息内容    本年处理决定数量",
        "行政处罚",
        "86",
        "行政强制",
        "4",
        "第二十条第（八）项",
        "信息内容    本年收费金额（单位：万元）",
        "行政事业性收费",
        "12.5",
    )

    report = _load(HEAD + section + T3 + T4 + TAIL)

    assert S2_TRUTH == _section2_values(report)
    assert "row.values_apart" not in {f.code for f in report.findings}


def test_rows_apart_in_a_section_printed_inline_are_flagged() -> None:
    """Two rows printed apart where the rest of the section prints its values
    beside the labels: the convention is not the section's, so the lines are
    not placed by count; the rows are flagged with a reason, never blank."""
    section = _section2(
        "第二十条第（一）项",
        "信息内容    本年制发件数    本年废止件数    现行有效件数",
        "规章",
        "0    0    0",
        "行政规范性文件",
        "3    1    43",
        "第二十条第（五）项",
        "信息内容    本年处理决定数量",
        "行政许可    1520",
        "第二十条第（六）项",
        "信息内容    本年处理决定数量",
        "行政处罚    86",
        "行政强制    4",
        "第二十条第（八）项",
        "信息内容    本年收费金额（单位：万元）",
        "行政事业性收费    12.5",
    )
    report = _load(HEAD + section + T3 + T4 + TAIL)

    # 二 prints most rows inline: the two rows printed apart are not placed by
    # count, but they are flagged with a reason, never blank
    t2_1 = report.table("t2_1")
    for cell in t2_1.cells:
        assert cell.status is CellStatus.MISSING
        assert cell.reason
        assert "stands alone" in cell.reason
    assert [1520] == _values(report, "t2_5")["administrative_license"]
    assert "row.values_apart" in {f.code for f in report.findings}


def test_a_row_printed_alone_never_takes_the_next_tables_row() -> None:
    """四's heading and header lost (published as an image): its row of numbers
    follows 三's last row, which prints no number of its own. The numbers are
    四's, not 结转下年度继续办理's: never ok, never blank, but flagged."""
    t3 = [*T3[:-1], "四、结转下年度继续办理"]
    report = _load(HEAD + S2_INLINE + t3 + T4[-1:] + TAIL)

    for cell in report.table("t3").grid()[-1]:
        assert cell.row_key == "carry_forward"
        assert cell.status is CellStatus.MISSING, cell
        assert cell.reason
        assert "stands alone" in cell.reason
    # the rows printed with their numbers keep them
    assert [20, 2, 0, 0, 1, 0, 23] == _values(report, "t3")["processed_total"]
    codes = [f.code for f in report.findings]
    assert "row.values_apart" in codes
    assert 2 <= codes.count("token.unused")  # 四's two 1s are reported, not lost


def test_empty_rows_before_a_stray_row_of_numbers_are_not_blank() -> None:
    """Every row of 三 after 三、本年度办理结果 printed with its cells empty, then a
    row of numbers with no label: a blank row may be any of them, or none."""
    t3 = T3[:6] + [line.split("    ")[0] for line in T3[6:]]
    stray = "                                2    0    0    0    0    0    2"
    report = _load(HEAD + S2_INLINE + t3 + [stray] + TAIL)

    t3_cells = report.table("t3")
    for cell in t3_cells.cells:
        if cell.row_key in ("new_requests", "carried_over"):
            assert cell.status is CellStatus.OK
        else:
            assert cell.status is CellStatus.MISSING, cell
            assert cell.reason
            assert "line " in cell.reason


def test_one_cell_per_line_still_reads_each_row_from_the_lines_after_it() -> None:
    """The one-cell-per-line export of 06 (cells apart by runs of bare CRs; an
    empty row a longer run): each row takes the lines after its label; the
    empty row stays blank."""
    cr = "\r\r\r"
    cells = [
        "三、收到和处理政府信息公开申请情况",
        "申请人情况",
        "自然人",
        "法人或其他组织",
        "总计",
        "商业企业",
        "科研机构",
        "社会公益组织",
        "法律服务机构",
        "其他",
        "一、本年新收政府信息公开申请数量",
        *["16", "0", "0", "0", "0", "0", "16"],
        "二、上年结转政府信息公开申请数量",
        *["0", "0", "0", "0", "0", "0", "0"],
        "三、本年度办理结果",
        "（一）予以公开",
        *["9", "0", "0", "0", "0", "0", "9"],
        "（二）部分公开（区分处理的，只计这一情形，不计其他情形）" + "\r" * 24,
        "（三）不予公开",
        "1.属于国家秘密" + "\r" * 24,
        "（四）无法提供",
        "1.本机关不掌握相关政府信息",
        *["3", "0", "0", "0", "0", "0", "3"],
    ]
    text = (
        "\r".join(HEAD)
        + "\r"
        + cr.join(cells)
        + "\r五、存在的主要问题及改进情况\r无。\r"
    )

    report = govdisclosure.load(text, spec="gov-2019")
    values = _values(report, "t3")

    assert [16, 0, 0, 0, 0, 0, 16] == values["new_requests"]
    assert [9, 0, 0, 0, 0, 0, 9] == values["granted"]
    assert [3, 0, 0, 0, 0, 0, 3] == values["unable_not_held"]
    blank = report.table("t3").grid()
    partial = next(row for row in blank if row[0].row_key == "partial")
    assert {CellStatus.BLANK} == {c.status for c in partial}


def test_a_single_column_table_printed_labels_first_is_placed() -> None:
    """A 2014-era statistics table (one value column) whose labels come first."""
    text = "\n".join(
        [
            "政府信息公开情况统计表",
            "2.政府网站在线访谈次数",
            "其中：主要负责同志参加政府网站在线访谈次数",
            "7",
            "3",
        ]
    )
    table = govdisclosure.load(text, spec="gov-2014-statistics").table("stats")

    assert 7 == table.cell("online_interviews", "count").value
    assert 3 == table.cell("online_interviews_leaders", "count").value


def test_labels_first_with_fewer_values_than_labels_flags_every_row() -> None:
    """Two labels, one number after both: the number is the first row's (labels
    first) or the second's (one cell per line, the first row empty). The text
    does not say: neither is blank, neither takes 7."""
    text = "\n".join(
        [
            "政府信息公开情况统计表",
            "2.政府网站在线访谈次数",
            "其中：主要负责同志参加政府网站在线访谈次数",
            "7",
        ]
    )
    table = govdisclosure.load(text, spec="gov-2014-statistics").table("stats")

    for row in ("online_interviews", "online_interviews_leaders"):
        cell = table.cell(row, "count")
        assert cell.status is CellStatus.MISSING
        assert cell.reason


# --- page furniture --------------------------------------------------------------


def _paged(lines: list[str], after: dict[int, list[str]]) -> list[str]:
    """``lines`` with page furniture inserted after the given line indexes."""
    out: list[str] = []
    for i, line in enumerate(lines):
        out.append(line)
        out += after.get(i, [])
    return out


def test_the_title_repeated_after_a_page_break_is_no_row() -> None:
    """18-huaian-2024: ``- 3 -`` and the title as the next page's header between
    two rows of 三; the title's 2022 is no cell and no unused number."""
    t3 = _paged(
        T3,
        {
            T3.index("（三）不予公开"): ["- 3 -", TITLE],
            len(T3) - 2: ["- 4 -", TITLE],
        },
    )
    report = _load(HEAD + S2_INLINE + t3 + T4 + TAIL)

    assert all(c.status is CellStatus.OK for c in report.cells)
    assert [2, 0, 0, 0, 0, 0, 2] == _values(report, "t3")["carry_forward"]
    assert [] == [f.message for f in report.findings if f.code == "token.unused"]


def test_a_running_header_repeated_at_each_page_break_is_no_row() -> None:
    """A running header that is not the title (with a year in it), repeated after
    every page number: page furniture, wherever it stands."""
    header = "政府信息公开年报（2022年度）"
    t3 = _paged(T3, {8: ["— 3 —", header], 20: ["— 4 —", header]})
    report = _load(HEAD + S2_INLINE + t3 + T4 + TAIL)

    assert all(c.status is CellStatus.OK for c in report.cells)
    assert [] == [f.message for f in report.findings if f.code == "token.unused"]


def test_a_row_next_to_page_numbers_is_never_furniture() -> None:
    """A label printed alone beside page numbers at two breaks is still a row."""
    lines = ["- 1 -", "行政强制", "- 2 -", "x", "行政强制", "- 3 -"]
    text = normalize_text("\n".join([TITLE, *lines]))
    furniture = page_furniture(text.lines, TITLE)
    spec = Registry(plugins=False, environment=False).get("gov-2021")
    labels = label_index(spec, "s2")

    coercion = [ln for ln in text.lines if ln.text == "行政强制"]
    assert {ln.number for ln in coercion} <= furniture.running
    assert not any(furniture.skips(ln, labels) for ln in coercion)
    assert not furniture.skips(text.lines[0], labels)  # the title itself


def test_one_cell_per_line_a_row_never_takes_numbers_past_its_own_cells() -> None:
    """One cell per line, empty cells as empty lines: 三's last row is empty and
    四's heading and header are lost, so 四's cells follow its seven empty
    lines. Numbers farther from a label than the next label ever stands are
    no cells of its row."""
    rows = [
        ("一、本年新收政府信息公开申请数量", "3 0 0 0 0 0 3"),
        ("二、上年结转政府信息公开申请数量", "0 0 0 0 0 0 0"),
        ("（一）予以公开", "3 0 0 0 0 0 3"),
        ("（七）总计", "3 0 0 0 0 0 3"),
    ]
    lines = ["三、收到和处理政府信息公开申请情况"]
    for label, values in rows:
        lines += [label, *values.split()]
    lines += ["四、结转下年度继续办理"] + [""] * 7  # its seven empty cells
    lines += [""] * 8 + ["1", "0", "0", "0", "1", "0", "0"]  # 四's cells
    report = _load(HEAD + S2_INLINE + lines + TAIL)

    values = _values(report, "t3")
    assert [3, 0, 0, 0, 0, 0, 3] == values["new_requests"]
    assert [3, 0, 0, 0, 0, 0, 3] == values["processed_total"]
    for cell in report.table("t3").grid()[-1]:
        assert cell.row_key == "carry_forward"
        assert cell.status is CellStatus.MISSING
        assert cell.reason


def test_half_a_wrapped_label_after_page_breaks_is_never_furniture() -> None:
    """A label wrapped over two lines whose first half starts the page after
    two page breaks (其中：主要负责同志 / 参加…次数) is still the row's label."""
    text = "\n".join(
        [
            "政府信息公开情况统计表",
            "- 1 -",
            "其中：主要负责同志",
            "参加新闻发布会次数",
            "2",
            "- 2 -",
            "2.政府网站在线访谈次数",
            "7",
            "- 3 -",
            "其中：主要负责同志",
            "参加政府网站在线访谈次数",
            "3",
        ]
    )
    table = govdisclosure.load(text, spec="gov-2014-statistics").table("stats")

    assert 2 == table.cell("press_conferences_leaders", "count").value
    assert 7 == table.cell("online_interviews", "count").value
    assert 3 == table.cell("online_interviews_leaders", "count").value
