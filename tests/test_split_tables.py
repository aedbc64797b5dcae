"""Tables reassembled from the pieces a PDF→markdown converter prints (issue 17,
point 2): generic headers, placeholder tables, repeated and unknown header rows,
remarks in cells, labels split over two rows.

The reports are made by hand in the converters' style, from the pipe report in
tests/data/handwritten/gov2021-pipe.txt; every value asserted is read from the
text below, not from the library's output.
"""

from __future__ import annotations

import csv
import io

import govdisclosure
from govdisclosure import CellStatus, Report
from govdisclosure.api import trace
from govdisclosure.pipeline.grid import TokenKind

_HEAD = """某某县交通运输局2021年政府信息公开工作年度报告
本报告所列数据的统计期限自2021年1月1日起至2021年12月31日止。
一、总体情况
2021年，我局认真贯彻落实《条例》，全年主动公开政府信息326条。
二、主动公开政府信息情况
第二十条第（一）项 | | | |
信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |
规章 | 0 | 0 | 3 |
行政规范性文件 | 12（其中修订3件） | 2 | 85（含自然失效29件） |
第二十条第（五）项 | | | |
信息内容 | 本年处理决定数量 |
行政许可 | 1532 |
第二十条第（六）项 | | | |
信息内容 | 本年处理决定数量 |
行政处罚 | 264 |
行政强制 | 17 |
第二十条第（八）项 | | | |
信息内容 | 本年收费金额（单位：万元） |
行政事业性收费 | 125.36 |
"""

_GENERIC = "| 项目 | 数据1 | 数据2 | 数据3 | 数据4 | 数据5 | 数据6 | 数据7 |\n| --- | --- | --- | --- | --- | --- | --- | --- |\n"

_T3_FIRST = """三、收到和处理政府信息公开申请情况
| （本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和） | 申请人情况 | | | | | | |
| 自然人 | 法人或其他组织 | 总计 | | | | | |
| 商业企业 | 科研机构 | 社会公益组织 | 法律服务机构 | 其他 | | | |
| 一、本年新收政府信息公开申请数量 | 40 | 5 | 0 | 1 | 2 | 0 | 48 |
| 二、上年结转政府信息公开申请数量 | 3 | 0 | 0 | 0 | 0 | 0 | 3 |
"""

_T3_PIECES = [
    """| 三、本年度办理结果 | （一）予以公开 | 20 | 2 | 0 | 1 | 1 | 0 | 24 |
| （二）部分公开（区分处理的，只计这一情形，不计其他情形） | 5 | 1 | 0 | 0 | 0 | 0 | 6 |
""",
    """| （三）不予公开 | 1.属于国家秘密 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |
| 2.其他法律行政法规禁止公开 | 1 | 0 | 0 | 0 | 0 | 0 | 1 |
| 3.危及“三安全一稳定” | 0 | 0 | 0 | 0 | 0 | 0 | 0 |
| 4.保护第三方合法权益 | 2 | 0 | 0 | 0 | 0 | 0 | 2 |
| 5.属于三类内部事务信息 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |
| 6.属于四类过程性信息 | 1 | 0 | 0 | 0 | 0 | 0 | 1 |
| 7.属于行政执法案卷 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |
| 8.属于行政查询事项 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |
""",
    """| （四）无法提供 | 1.本机关不掌握相关政府信息 | 6 | 1 | 0 | 0 | 1 | 0 | 8 |
| 2.没有现成信息需要另行制作 | 1 | 0 | 0 | 0 | 0 | 0 | 1 |
| 3.补正后申请内容仍不明确 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |
""",
    """| （五）不予处理 | 1.信访举报投诉类申请 | 2 | 0 | 0 | 0 | 0 | 0 | 2 |
| 2.重复申请 | 1 | 0 | 0 | 0 | 0 | 0 | 1 |
| 3.要求提供公开出版物 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |
| 4.无正当理由大量反复申请 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |
| 5.要求行政机关确认或重新出具已获取信息 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |
""",
    """| （六）其他处理 | 1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请 | 1 | 0 | 0 | 0 | 0 | 0 | 1 |
| 2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |
| 3.其他 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |
""",
    """| （七）总计 | 40 | 4 | 0 | 1 | 2 | 0 | 47 |
| 四、结转下年度继续办理 | 3 | 1 | 0 | 0 | 0 | 0 | 4 |
""",
]

_T4_HEAD = """四、政府信息公开行政复议、行政诉讼情况
行政复议 | 行政诉讼 | | | | | | | | | | | | | |
结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 | 未经复议直接起诉 | 复议后起诉 | | | | | | | | |
结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 | 结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 |
"""
_T4_ROW = "2 | 1 | 0 | 1 | 4 | 1 | 0 | 0 | 0 | 1 | 0 | 0 | 1 | 0 | 1 |\n"

_TAIL = """五、存在的主要问题及改进情况
一是政策解读形式单一；二是公开平台更新不及时。
六、其他需要报告的事项
本年度未收取信息处理费。
"""


def _report(
    pieces: list[str] | None = None,
    head: str = _GENERIC,
    t4: str = _T4_HEAD + _T4_ROW,
) -> str:
    """The report with 三 split into one pipe table per row group, each under ``head``."""
    body = "".join(f"\n{head}{p}" for p in (pieces or _T3_PIECES))
    return _HEAD + _T3_FIRST + body + t4 + _TAIL


def _unused(report: Report) -> list[str]:
    return [f.message for f in report.findings if f.code == "token.unused"]


def _codes(report: Report, code: str) -> list[str]:
    return [f.message for f in report.findings if f.code == code]


def _row(report: Report, table: str, row: str) -> list[object]:
    t = report.table(table)
    return [t.cell(row, c).value for c in t.column_keys]


def _assert_t3_read(report: Report) -> None:
    """三 as the pieces print it, every cell ok."""
    t3 = report.table("t3")
    assert {CellStatus.OK} == {c.status for c in t3.cells}
    assert [40, 5, 0, 1, 2, 0, 48] == _row(report, "t3", "new_requests")
    assert [20, 2, 0, 1, 1, 0, 24] == _row(report, "t3", "granted")
    assert [0] * 7 == _row(report, "t3", "withheld_state_secret")
    assert [2, 0, 0, 0, 0, 0, 2] == _row(report, "t3", "withheld_third_party")
    assert [6, 1, 0, 0, 1, 0, 8] == _row(report, "t3", "unable_not_held")
    assert [1, 0, 0, 0, 0, 0, 1] == _row(report, "t3", "other_no_correction")
    assert [40, 4, 0, 1, 2, 0, 47] == _row(report, "t3", "processed_total")
    assert [3, 1, 0, 0, 0, 0, 4] == _row(report, "t3", "carry_forward")


def test_generic_headers_carry_no_labels_and_no_numbers() -> None:
    """| 项目 | 数据1 | … | 数据7 | over each piece: no token.unused for the 1…7,
    one info finding for the section, and the rows continue across the pieces."""
    report = govdisclosure.load(_report())

    _assert_t3_read(report)
    assert [] == _unused(report)
    (generic,) = _codes(report, "header.generic")
    assert "6 generic header" in generic
    assert [2, 1, 0, 1, 4, 1, 0, 0, 0, 1, 0, 0, 1, 0, 1] == _row(report, "t4", "cases")


def test_other_converters_generic_names() -> None:
    """列1 …, Column1 …, col_1 … are generic too; a cell beside them that is
    not a column name (a label, a number) makes the row no generic header."""
    for names in ("列{}", "Column{}", "col_{}", "字段{}"):
        cells = " | ".join(names.format(i) for i in range(1, 8))
        head = f"| 序号 | {cells} |\n"
        report = govdisclosure.load(_report(head=head))
        _assert_t3_read(report)
        assert [] == _unused(report), names


def test_a_stray_number_is_still_reported() -> None:
    """The generic headers no longer drown the real warning: a number after a
    label of no spec (其他说明) is reported, alone."""
    pieces = [*_T3_PIECES]
    pieces[1] += "| 其他说明 | 7 |\n"
    report = govdisclosure.load(_report(pieces))

    (unused,) = _unused(report)
    assert "'7'" in unused
    _assert_t3_read(report)


def test_annotations_are_notes_and_the_number_is_the_value() -> None:
    """12（其中修订3件）: value 12, ok, the remark kept; its 3 is no value and
    no unused number. The neighbour 2 keeps its column."""
    report = govdisclosure.load(_report())
    t2 = report.table("t2_1")

    issued = t2.cell("normative_documents", "issued")
    in_force = t2.cell("normative_documents", "in_force")
    assert (CellStatus.OK, 12, "12", "其中修订3件") == (
        issued.status,
        issued.value,
        issued.raw,
        issued.note,
    )
    assert (CellStatus.OK, 85, "含自然失效29件") == (
        in_force.status,
        in_force.value,
        in_force.note,
    )
    assert 2 == t2.cell("normative_documents", "repealed").value
    assert t2.cell("normative_documents", "repealed").note is None
    text = _report()
    assert issued.span is not None
    assert "12" == text[issued.span.start : issued.span.end]
    assert [] == _unused(report)


def test_a_note_travels_in_json_and_records() -> None:
    report = govdisclosure.load(_report())

    again = Report.from_dict(report.to_dict())
    assert again == report
    records = {
        (r["table_id"], r["row_key"], r["column_key"]): r for r in report.to_records()
    }
    assert "其中修订3件" == records["t2_1", "normative_documents", "issued"]["note"]
    assert records["t2_1", "rules", "issued"]["note"] is None
    out = io.StringIO()
    with govdisclosure.output.export.CsvSink(out) as sink:
        sink.write(report)
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert "含自然失效29件" in {r["note"] for r in rows}
    schema = govdisclosure.report_json_schema()
    assert "note" in schema["$defs"]["Cell"]["properties"]


def test_only_a_bracketed_remark_is_a_note() -> None:
    """12(3) (no words) and 12 3 (two numbers) are read as they were: not a
    value with a note."""
    for cell in ("12（3）", "12 3"):
        text = _report().replace("12（其中修订3件）", cell)
        got = (
            govdisclosure.load(text).table("t2_1").cell("normative_documents", "issued")
        )
        assert got.note is None
        assert got.status is not CellStatus.OK or got.value != 12, cell


def test_placeholder_tables_of_dashes_are_furniture() -> None:
    """四 split into three tables, an empty table of dashes between its header
    and its row: the dashes give no empty cell, and the row reads whole."""
    dashes = "\n| - | - | - | - | - |\n| --- | --- | --- | --- | --- |\n\n"
    t4 = _T4_HEAD + dashes + _T4_ROW
    report = govdisclosure.load(_report(t4=t4))

    assert [2, 1, 0, 1, 4, 1, 0, 0, 0, 1, 0, 0, 1, 0, 1] == _row(report, "t4", "cases")
    assert {CellStatus.OK} == {c.status for c in report.table("t4").cells}
    assert 1 == len(_codes(report, "table.placeholder"))
    # and between two pieces of 三
    pieces = [*_T3_PIECES]
    pieces[2] = "| - | - | - |\n| --- | --- | --- |\n\n" + _GENERIC + pieces[2]
    report = govdisclosure.load(_report(pieces))
    _assert_t3_read(report)
    assert [] == _unused(report)


def test_a_wrong_header_row_in_the_middle_is_set_aside() -> None:
    """| 项目 | 本年新收件数 | 上年结转件数 | … | in the middle of 三 (a header of no
    spec, digits in it too): no value, no unused number, an info finding."""
    wrong = "| 项目 | 本年新收件数 | 上年结转件数 | 2021年办结件数 | 第3季度 |\n"
    pieces = [*_T3_PIECES]
    pieces[3] = wrong + pieces[3]
    report = govdisclosure.load(_report(pieces))

    _assert_t3_read(report)
    assert [] == _unused(report)
    assert 1 == len(_codes(report, "header.unknown"))


def test_a_repeated_header_is_named_for_the_column_order() -> None:
    """The table's own header printed again over a piece: the rows read as
    before, an info finding, and the grid names its line as repeated, so the
    first printing alone tells the column order."""
    header = (
        "| 自然人 | 法人或其他组织 | 总计 | | | | | |\n"
        "| 商业企业 | 科研机构 | 社会公益组织 | 法律服务机构 | 其他 | | | |\n"
    )
    text = _report(head=header)
    report, stages = trace(text)

    _assert_t3_read(report)
    assert 1 == len(_codes(report, "header.repeated"))
    (grid,) = [g for g in stages.grids if g.section == "s3"]
    lines = text.splitlines()
    repeated = {lines[n - 1].split("|")[1].strip() for n in grid.repeated_headers}
    assert {"自然人", "商业企业"} == repeated
    # the first printing is not among them
    first = lines.index(header.splitlines()[0]) + 1
    assert first not in grid.repeated_headers


def test_shared_headers_of_separate_tables_are_not_repeats() -> None:
    """二's （五） and （六） print the same header under their own captions:
    each is its table's first header, not a repeat (with or without captions)."""
    text = _report()
    report = govdisclosure.load(text)

    assert [] == _codes(report, "header.repeated")
    assert 17 == report.table("t2_6").cell("administrative_coercion", "decisions").value
    # nor without their captions: the header names the columns of two tables
    bare = govdisclosure.load(text.replace("第二十条第（六）项 | | | |\n", ""))
    assert [] == _codes(bare, "header.repeated")


def test_a_label_split_over_two_rows_is_rejoined() -> None:
    """（三）不 / 予公开 in the label column of two rows: one group label, and
    予公开 closes no row and is no stray text."""
    pieces = [*_T3_PIECES]
    pieces[1] = (
        pieces[1]
        .replace("| （三）不予公开 |", "| （三）不 |")
        .replace("| 2.其他法律", "| 予公开 | 2.其他法律")
    )
    text = _report(pieces)
    report, stages = trace(text)

    _assert_t3_read(report)
    (grid,) = [g for g in stages.grids if g.section == "s3"]
    labels = [t for t in grid.tokens if t.kind is TokenKind.LABEL]
    (joined,) = [t for t in labels if t.text.startswith("(三)")]
    assert "(三)不予公开" == joined.text
    assert ("t3", "withheld") == (joined.refs[0].table, joined.refs[0].key)
    assert not any(t.text == "予公开" for t in grid.tokens)


def test_a_split_row_label_opens_its_row() -> None:
    """A row label split over two rows of the label column, its numbers on the
    first: the joined label names one row, which takes them."""
    pieces = [*_T3_PIECES]
    pieces[2] = (
        pieces[2]
        .replace("| 2.没有现成信息需要另行制作 | 1 |", "| 2.没有现成信息需要 | 1 |")
        .replace("| 3.补正后", "| 另行制作 | | | | | | | |\n| 3.补正后")
    )
    report = govdisclosure.load(_report(pieces))

    _assert_t3_read(report)
    assert [1, 0, 0, 0, 0, 0, 1] == _row(report, "t3", "unable_needs_creation")
