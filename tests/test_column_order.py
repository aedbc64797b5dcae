"""Columns printed in another order than the form's: the header decides (issue 17).

Each report is the handwritten 2021 report (every cell typed by hand,
``tests/data/handwritten``) with some sibling columns printed in another order,
header and data alike; the expected values are those of the original report,
read off it by hand.
"""

from __future__ import annotations

import random
from pathlib import Path

import govdisclosure
from govdisclosure import CellStatus, Report

DATA = Path(__file__).parent / "data" / "handwritten"
PIPE = DATA / "gov2021-pipe.txt"
LINES = DATA / "gov2021-lines.txt"

HEADER_2_1 = "信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |"
#: 二（一） with 现行有效件数 printed before 本年废止件数, header and data.
SWAPPED_2_1 = [
    (HEADER_2_1, "信息内容 | 本年制发件数 | 现行有效件数 | 本年废止件数 |"),
    ("规章 | 0 | 0 | 3 |", "规章 | 0 | 3 | 0 |"),
    ("行政规范性文件 | 12 | 2 | 85 |", "行政规范性文件 | 12 | 85 | 2 |"),
]
#: 二（一）'s cells as the report states them: 规章 0 / 0 / 3, 行政规范性文件 12 / 2 / 85.
TRUTH_2_1 = {
    "t2_1.rules.issued": 0,
    "t2_1.rules.repealed": 0,
    "t2_1.rules.in_force": 3,
    "t2_1.normative_documents.issued": 12,
    "t2_1.normative_documents.repealed": 2,
    "t2_1.normative_documents.in_force": 85,
}


def _pipe(*replacements: tuple[str, str]) -> str:
    text = PIPE.read_text(encoding="utf-8")
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new)
    return text


def _cells(report: Report, prefix: str) -> dict[str, tuple[CellStatus, object]]:
    return {
        c.key: (c.status, c.value) for c in report.cells if c.key.startswith(prefix)
    }


def _with_t4(lines: list[str]) -> str:
    """The pipe report with table 四 (its header and row) printed as ``lines``."""
    text = _pipe()
    start = text.index("行政复议 | 行政诉讼")
    end = text.index("五、存在的主要问题")
    return text[:start] + "\n".join(lines) + "\n" + text[end:]


def _codes(report: Report) -> list[str]:
    return [f.code for f in report.findings if f.code.startswith("header.")]


def test_swapped_columns_in_a_pipe_table_are_read_by_the_header() -> None:
    report = govdisclosure.load(_pipe(*SWAPPED_2_1))

    assert {k: (CellStatus.OK, v) for k, v in TRUTH_2_1.items()} == _cells(
        report, "t2_1."
    )
    (finding,) = [f for f in report.findings if f.code == "header.reordered"]
    assert finding.severity.value == "info"
    assert "现行有效件数, 本年废止件数" in finding.message


def test_swapped_columns_printed_one_cell_per_line() -> None:
    text = LINES.read_text(encoding="utf-8")
    old = "本年制发件数\n\n本年废止件数\n\n现行有效件数\n\n规章\n\n0\n\n0\n\n3\n\n行政规范性文件\n\n12\n\n2\n\n85\n"
    new = "本年制发件数\n\n现行有效件数\n\n本年废止件数\n\n规章\n\n0\n\n3\n\n0\n\n行政规范性文件\n\n12\n\n85\n\n2\n"
    assert old in text
    report = govdisclosure.load(text.replace(old, new))

    assert {k: (CellStatus.OK, v) for k, v in TRUTH_2_1.items()} == _cells(
        report, "t2_1."
    )
    assert ["header.reordered"] == _codes(report)


def test_swapped_columns_in_aligned_columns() -> None:
    """A PDF's text layer: columns apart by spaces, no delimiter."""
    aligned = [
        ("第二十条第（一）项 | | | |", "第二十条第（一）项"),
        (HEADER_2_1, "信息内容    本年制发件数    现行有效件数    本年废止件数"),
        ("规章 | 0 | 0 | 3 |", "规章    0    3    0"),
        ("行政规范性文件 | 12 | 2 | 85 |", "行政规范性文件    12    85    2"),
    ]
    report = govdisclosure.load(_pipe(*aligned))

    assert {k: (CellStatus.OK, v) for k, v in TRUTH_2_1.items()} == _cells(
        report, "t2_1."
    )


def test_html_table_with_swapped_columns() -> None:
    """A saved web page: the header row in its own ``<tr>``."""
    rows = [
        ["信息内容", "本年制发件数", "现行有效件数", "本年废止件数"],
        ["规章", "0", "3", "0"],
        ["行政规范性文件", "12", "85", "2"],
    ]
    table = "".join(
        "<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows
    )
    text = _pipe()
    before, after = text.split("第二十条第（一）项 | | | |\n", 1)
    after = after.split("第二十条第（五）项", 1)[1]
    page = (
        "<html><body>"
        + "".join(f"<p>{line}</p>" for line in before.splitlines())
        + f"<p>第二十条第（一）项</p><table>{table}</table>"
        + "".join(
            f"<p>{line}</p>" for line in ("第二十条第（五）项" + after).splitlines()
        )
        + "</body></html>"
    )
    report = govdisclosure.load(page)

    assert {k: (CellStatus.OK, v) for k, v in TRUTH_2_1.items()} == _cells(
        report, "t2_1."
    )


#: 三 with 总计 printed first: header and every row's last number moved to the front.
def _total_first(text: str) -> str:
    lines = text.split("\n")
    start = lines.index("三、收到和处理政府信息公开申请情况")
    end = lines.index("四、政府信息公开行政复议、行政诉讼情况")
    for i in range(start, end):
        cells = lines[i].rstrip(" |").split(" | ")
        if lines[i] == "自然人 | 法人或其他组织 | 总计 | | | | | |":
            lines[i] = "总计 | 自然人 | 法人或其他组织 | | | | | |"
        elif len(cells) >= 8 and cells[-1].isdigit():
            lines[i] = " | ".join([*cells[:-7], cells[-1], *cells[-7:-1]]) + " |"
    return "\n".join(lines)


def test_total_printed_first() -> None:
    text = _total_first(_pipe())
    assert "一、本年新收政府信息公开申请数量 | 48 | 40 | 5 | 0 | 1 | 2 | 0 |" in text
    report = govdisclosure.load(text)

    # 一、本年新收: 自然人 40, 商业企业 5, 科研机构 0, 社会公益组织 1,
    # 法律服务机构 2, 其他 0, 总计 48; （七）总计 40 4 0 1 2 0 47
    t3 = report.table("t3")
    assert [c.value for c in t3.grid()[0]] == [40, 5, 0, 1, 2, 0, 48]
    assert [c.value for c in t3.grid()[-2]] == [40, 4, 0, 1, 2, 0, 47]
    assert {CellStatus.OK} == {c.status for c in t3.cells}
    assert "invariant.violated" not in [f.code for f in report.findings]
    assert ["header.reordered"] == _codes(report)


def test_groups_of_a_merged_header_in_another_order() -> None:
    """四 with 行政诉讼 first, and 复议后起诉 before 未经复议直接起诉 inside it."""
    header = [
        "行政诉讼 | 行政复议 | | | | | | | | | | | | | |",
        "复议后起诉 | 未经复议直接起诉 | 结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 | | | | | | | | |",
        "结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 | 结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 |",
        "0 | 0 | 1 | 0 | 1 | 1 | 0 | 0 | 0 | 1 | 2 | 1 | 0 | 1 | 4 |",
    ]
    report = govdisclosure.load(_with_t4(header))

    # as printed in the original: 行政复议 2 1 0 1 4, 未经复议直接起诉 1 0 0 0 1,
    # 复议后起诉 0 0 1 0 1
    (row,) = report.table("t4").grid()
    assert [(c.status, c.value) for c in row] == [
        (CellStatus.OK, v) for v in [2, 1, 0, 1, 4, 1, 0, 0, 0, 1, 0, 0, 1, 0, 1]
    ]
    assert ["header.reordered"] == _codes(report)


def test_a_header_no_order_explains_leaves_the_cells_undecided() -> None:
    """Two labels out of the form's order and the third missing: which column
    holds 2 and which 85 the text does not say."""
    report = govdisclosure.load(
        _pipe(
            (HEADER_2_1, "信息内容 | 现行有效件数 | 本年制发件数 |"),
            ("行政规范性文件 | 12 | 2 | 85 |", "行政规范性文件 | 85 | 12 | 2 |"),
        )
    )

    cells = [c for c in report.cells if c.key.startswith("t2_1.")]
    assert {CellStatus.AMBIGUOUS} == {c.status for c in cells}
    assert all(c.reason and "header" in c.reason for c in cells)
    assert ["header.contradicts"] == _codes(report)


def test_a_repeated_header_in_another_order_is_a_contradiction() -> None:
    """A table split over pages whose second header disagrees with the first."""
    repeated = "自然人 | 总计 | 法人或其他组织 | | | | | |\n商业企业 | 科研机构 | 社会公益组织 | 法律服务机构 | 其他 | | | |\n"
    row = "二、上年结转政府信息公开申请数量 | 3 | 0 | 0 | 0 | 0 | 0 | 3 |\n"
    report = govdisclosure.load(_pipe((row, row + repeated)))

    t3 = report.table("t3")
    assert {CellStatus.AMBIGUOUS} == {c.status for c in t3.cells}
    # the grid says the header was printed again (info); the header step that
    # the second printing contradicts the first
    assert ["header.contradicts", "header.repeated"] == sorted(_codes(report))


def test_a_header_in_the_forms_order_missing_a_label_is_read_as_today() -> None:
    """Nothing contradicts the form: the form's order, no finding."""
    report = govdisclosure.load(
        _pipe((HEADER_2_1, "信息内容 | 本年制发件数 | 现行有效件数 |"))
    )

    assert {k: (CellStatus.OK, v) for k, v in TRUTH_2_1.items()} == _cells(
        report, "t2_1."
    )
    assert [] == _codes(report)


def test_the_forms_order_gives_no_finding() -> None:
    assert [] == _codes(govdisclosure.load(_pipe()))


def test_merged_cells_copied_into_every_column_and_a_total_next_to_a_total() -> None:
    """A converter that copies a merged cell into each column it spans
    (行政复议 ×5), and 复议后起诉 printed before 未经复议直接起诉 with its 总计
    last and the other's first: ``… | 总计 | 总计 | …``."""
    header = [
        " | ".join(["行政复议"] * 5 + ["行政诉讼"] * 10) + " |",
        "结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 | "
        + " | ".join(["复议后起诉"] * 5 + ["未经复议直接起诉"] * 5)
        + " |",
        "结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 | 总计 | 结果维持 | 结果纠正 | 其他结果 | 尚未审结 |",
        "2 | 1 | 0 | 1 | 4 | 0 | 0 | 1 | 0 | 1 | 1 | 1 | 0 | 0 | 0 |",
    ]
    report = govdisclosure.load(_with_t4(header))

    (row,) = report.table("t4").grid()
    assert [(c.status, c.value) for c in row] == [
        (CellStatus.OK, v) for v in [2, 1, 0, 1, 4, 1, 0, 0, 0, 1, 0, 0, 1, 0, 1]
    ]
    assert ["header.reordered"] == _codes(report)


def test_a_heading_that_names_the_groups_is_no_header() -> None:
    """``第四部分 …行政复议、行政诉讼情况``: the report's own numbering; the
    heading's 行政复议 and 行政诉讼 are words of a heading, not a header."""
    old = "四、政府信息公开行政复议、行政诉讼情况"
    report = govdisclosure.load(
        _pipe((old, "第四部分 政府信息公开行政复议、行政诉讼情况"))
    )

    (row,) = report.table("t4").grid()
    assert [(c.status, c.value) for c in row] == [
        (CellStatus.OK, v) for v in [2, 1, 0, 1, 4, 1, 0, 0, 0, 1, 0, 0, 1, 0, 1]
    ]
    assert [] == _codes(report)


def test_glued_rows_under_a_reordered_header_are_searched_in_the_printed_order() -> (
    None
):
    """A glued 三 whose header prints 法人或其他组织 (商业企业, 其他, 法律服务机构,
    科研机构, 社会公益组织) before 自然人: the run of 29 digits is too long to
    list its cuts, and the search that decodes it under 三's row total filled
    the columns in the form's order, so 商业企业's 423333 became 自然人's, all
    `inferred` (found by the permuted-columns property test). Every other row is
    zeros, so 一、本年新收 and （一）予以公开 hold the same values."""
    from govdisclosure.spec.registry import Registry
    from govdisclosure.testing import FilledReport, Layout, render

    spec = Registry(plugins=False, environment=False).get("gov-2019")
    values = {
        t.id: {r.key: [0 for _ in t.column_leaves()] for r in t.row_leaves()}
        for t in spec.tables
    }
    # 自然人, 商业企业, 科研机构, 社会公益组织, 法律服务机构, 其他, 总计
    row = [154807, 423333, 0, 419678, 8, 303, 998129]
    values["t3"]["new_requests"] = list(row)
    values["t3"]["granted"] = list(row)
    layout = Layout(cells="glued", permuted_columns=649)
    text = render(FilledReport(spec, values, year=2020), layout, random.Random(0))
    # as printed: 商业企业 423333, 其他 303, 法律服务机构 8, 科研机构 0,
    # 社会公益组织 419678, 自然人 154807, 总计 998129
    assert "商业企业其他法律服务机构科研机构社会公益组织\n" in text
    assert "（一）予以公开42333330380419678154807998129\n" in text

    report = govdisclosure.load(text)

    cells = _cells(report, "t3.granted.")
    assert [v for _, v in cells.values()] == row
    assert {CellStatus.INFERRED} == {s for s, _ in cells.values()}
    assert [v for _, v in _cells(report, "t3.new_requests.").values()] == row
