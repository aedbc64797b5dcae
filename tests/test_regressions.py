"""One test per bug found, named after the issue whose work found it."""

from __future__ import annotations

import govdisclosure
from govdisclosure import CellStatus
from govdisclosure.pipeline.values import split_digits


def test_glued_run_with_a_decimal_point_is_split_issue4(seeds: dict[str, str]) -> None:
    """ "1560.0" over 采购项目数量 | 采购总金额 may be 156 | 0.0: never read as one amount."""
    text = seeds["001"].replace("政府集中采购 | 1 | 60 |", "政府集中采购1560.0")

    cells = govdisclosure.load(text, spec="gov-2019").table("t2_9").grid()[0]

    assert {CellStatus.AMBIGUOUS} == {c.status for c in cells}
    assert 156 in cells[0].candidates
    assert ("156", "0.0") in split_digits("1560.0", 2)
    assert ("24252.31", "1082") in split_digits("24252.311082", 2)
    assert ("0.", "1") not in split_digits("0.1", 2)


def test_label_wrapped_into_another_label_is_rejoined_issue4() -> None:
    """其中：主要负责同志参 / 加政府网站在线访谈次数: the second half alone reads as
    another row's label; joined, the two cells are the wrapped row label."""
    spec = govdisclosure.Registry().get("gov-2014-statistics")
    text = "\n".join(
        [
            "政府信息公开情况统计表",
            "2.政府网站在线访谈次数",
            "7",
            "其中：主要负责同志参",
            "加政府网站在线访谈次数",
            "3",
            "（四）政府信息公开专项经费（不包括用于政府",
            "公报编辑管理及政府网站建设维护等方面的经费）",
            "12.5",
        ]
    )

    table = govdisclosure.load(text, spec=spec).table("stats")

    assert 7 == table.cell("online_interviews", "count").value
    assert 3 == table.cell("online_interviews_leaders", "count").value
    assert CellStatus.OK is table.cell("special_funds", "count").status


def test_glued_run_with_a_sign_is_split_issue4(seeds: dict[str, str]) -> None:
    """ "-30002021" over 本年增/减 | 处理决定数量 may be -3000 | 2021: never one change of -30002021."""
    row = "其他对外管理服务事项 | 0 | 0 | 0 | |"
    text = seeds["001"].replace(row, "其他对外管理服务事项-30002021")

    cells = govdisclosure.load(text, spec="gov-2019").table("t2_5").grid()[1]

    assert all(c.status is not CellStatus.OK for c in cells)
    assert -3000 in cells[1].candidates
    assert -30002021 not in [c.value for c in cells]


def test_sign_after_a_digit_belongs_to_the_next_number_issue4(
    seeds: dict[str, str],
) -> None:
    """Glued ``8-1921`` over 处理决定数量 | 本年增/减 is 8 | -1921: the minus was
    dropped and 1921 marked ok."""
    row = next(line for line in seeds["001"].splitlines() if "行政事业性收费" in line)
    text = seeds["001"].replace(row, "行政事业性收费8-1921")

    cells = govdisclosure.load(text, spec="gov-2019").table("t2_8").grid()[0]

    assert [8, -1921] == [c.value for c in cells]
    assert 1921 not in cells[1].candidates


_PIPE_ROW = """二、主动公开政府信息情况
第二十条第（五）项
上一年项目数量 | 本年增/减 | 处理决定数量 |
行政许可 | 5 |  |  |
"""


def test_issue_16_numbers_below_a_pipe_row_do_not_fill_its_empty_cells() -> None:
    """A pipe row showed two empty cells; the numbers of the next, unlabelled line
    are not its cells (they were read as ok 7 and 8), and are reported."""
    report = govdisclosure.load(_PIPE_ROW + "| 7 | 8 |\n", spec="gov-2019")
    row = report.table("t2_5").cells[:3]

    assert [("ok", 5), ("blank", None), ("blank", None)] == [
        (c.status.value, c.value) for c in row
    ]
    assert ["'7'", "'8'"] == [
        f.message.split(" ")[2] for f in report.findings if f.code == "token.unused"
    ]


def test_issue_16_a_page_number_inside_a_table_is_no_cell() -> None:
    """``- 3 -`` on a line of its own between rows was read as the cell -3."""
    report = govdisclosure.load(_PIPE_ROW + "- 3 -\n", spec="gov-2019")

    assert [("ok", 5), ("blank", None), ("blank", None)] == [
        (c.status.value, c.value) for c in report.table("t2_5").cells[:3]
    ]
    assert [] == [f for f in report.findings if f.code.startswith("token.")]


_REVIEW_SUITS = """四、政府信息公开行政复议、行政诉讼情况
行政复议 | 行政诉讼 |
结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 | 未经复议直接起诉 | 复议后起诉 |
结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 | 结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 |
{row}五、存在的主要问题及改进情况
"""
#: 四's one row, blanks for zeros: no label, so it opens with its empty first cell.
_BLANKS_THEN_8_8 = " |" + "  |" * 12 + " 8 | 8"


def test_a_row_without_label_opens_with_a_cell_where_lines_close_their_cells() -> None:
    """四's row ``  |  | … | 8 | 8 | |`` under headers that close every cell
    with a pipe and open none with one (``行政复议 | 行政诉讼 |``): its first
    pipe closes its empty first cell, no markdown pipe, so the row is its 15 columns
    (it was inferred 8 through I4 only, and with the next heading glued to it,
    ``… | 8 | 8件五、…``, 其他结果 and 总计 were ambiguous)."""
    rows = {
        "padded": _BLANKS_THEN_8_8 + " | |\n",
        "glued": _BLANKS_THEN_8_8 + "件",
    }
    for how, row in rows.items():
        report = govdisclosure.load(_REVIEW_SUITS.format(row=row), spec="gov-2021")
        cells = report.table("t4").cells

        assert [("blank", None)] * 13 + [("ok", 8)] * 2 == [
            (c.status.value, c.value) for c in cells
        ], how

    # headers with outer pipes say nothing of the row's first pipe: it may be
    # a markdown pipe (then the row is 12 blanks, 8, 8, blank), and only I4
    # decides between the two readings
    outer = "\n".join(
        f"| {line.removesuffix(' |')} |" if line.startswith(("行政", "结果")) else line
        for line in _REVIEW_SUITS.format(row=rows["padded"]).splitlines()
    )
    total = govdisclosure.load(outer, spec="gov-2021").table("t4").cells[-1]
    assert ("inferred", 8) == (total.status.value, total.value)
