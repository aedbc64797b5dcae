"""Empty cells shown only by runs of blank lines or bare CRs (issue 17).

Some exporters print a table one cell per line and mark cell boundaries by a
fixed run of line breaks: real 04 and 06 put 3 CRs between the cells of a row
and 5 between rows, and an empty cell is only one more run of 3. The reports
here are written by hand in that style (a title, a line of prose, the table
sections of the format); the values asserted are read by hand from the runs
as printed: a run of 17 after a header is a row boundary and four empty cells
(5 + 4 x 3), a run of 15 between two numbers a cell boundary and four (5 x 3).
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest

import govdisclosure
from govdisclosure import CellStatus, Report
from govdisclosure.pipeline.tokens import Token, TokenKind
from govdisclosure.spec.registry import Registry
from govdisclosure.testing import FilledReport, Layout, fill, render

REAL = Path(__file__).parent / "data" / "real"

#: 2019's 四: the two header rows, as 06 prints them.
T4_HEADER = [
    ["行政复议", "行政诉讼"],
    [
        "结果维持",
        "结果纠正",
        "其他结果",
        "尚未审结",
        "总计",
        "未经复议直接起诉",
        "复议后起诉",
    ],
    ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 2,
]
T4_KEYS = [
    f"{group}_{leaf}"
    for group in ("review", "suit_direct", "suit_after_review")
    for leaf in ("upheld", "corrected", "other", "pending", "total")
]
#: 2021's 三 up to its 上年结转 row, as 04 prints it.
T3_HEADER = [
    ["申请人情况"],
    ["自然人", "法人或其他组织", "总计"],
    ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"],
]
T3_COLUMNS = [
    "natural_person",
    "commercial",
    "research",
    "social_welfare",
    "legal_service",
    "other_org",
    "total",
]


def _table(rows: list[list[str]], brk: str = "\r", cell: int = 3, row: int = 5) -> str:
    """Rows one cell per line: ``cell`` breaks between cells, ``row`` between
    rows; an empty cell ("") prints nothing but its run."""
    return (brk * row).join((brk * cell).join(r) for r in rows)


def _report(sections: list[tuple[str, str]], brk: str = "\r", year: int = 2019) -> str:
    head = [
        f"河北省教育厅{year}年政府信息公开工作年度报告",
        f"本年度报告中所列数据的统计期限自{year}年1月1日起至{year}年12月31日止。",
        "一、总体情况",
        "我厅认真落实《条例》要求，各项工作有序推进。",
    ]
    body = [f"{title}{brk * 6}{table}" for title, table in sections]
    return (
        brk.join(head)
        + brk
        + (brk * 7).join(body)
        + brk * 7
        + "五、存在的主要问题及改进情况"
        + brk
    )


def _t4(values: list[str], brk: str = "\r") -> str:
    return _report(
        [("四、政府信息公开行政复议、行政诉讼情况", _table([*T4_HEADER, values], brk))],
        brk,
    )


def _t3(rows: list[list[str]], brk: str = "\r", cell: int = 3, row: int = 5) -> str:
    table = _table([*T3_HEADER, *rows, ["三、本年度办理结果"]], brk, cell, row)
    return _report([("三、收到和处理政府信息公开申请情况", table)], brk, 2021)


def _cells(
    report: Report, table: str, row: str, columns: list[str]
) -> list[tuple[str, object]]:
    t = report.table(table)
    out = []
    for column in columns:
        cell = t.cell(row, column)
        if cell.status not in (CellStatus.OK, CellStatus.BLANK):
            assert cell.reason, cell  # every flagged cell says why
        out.append((cell.status.value, cell.value))
    return out


# --- a consistent convention decides ---------------------------------------------


@pytest.mark.parametrize("brk", ["\r", "\n"])
def test_three_totals_of_four_placed_by_the_runs(brk: str) -> None:
    """06's 四: only the three group 总计 cells hold a 0; 17 breaks after the
    header (5 + 4 x 3), 15 between the 0s (5 x 3): cells 5, 10 and 15."""
    row = ["", "", "", "", "0"] * 3
    report = govdisclosure.load(_t4(row, brk), spec="gov-2019")
    cells = _cells(report, "t4", "cases", T4_KEYS)
    blank, zero = ("blank", None), ("ok", 0)
    assert cells == [blank, blank, blank, blank, zero] * 3


def test_a_row_ends_with_an_empty_cell() -> None:
    """04's 上年结转: six 0s, then 8 CRs (3 + 5) before the next row: its 总计 is empty."""
    rows = [
        ["一、本年新收政府信息公开申请数量", "34", "1", "0", "0", "2", "0", "37"],
        ["二、上年结转政府信息公开申请数量", "0", "0", "0", "0", "0", "0", ""],
    ]
    report = govdisclosure.load(_t3(rows), spec="gov-2021")
    assert _cells(report, "t3", "carried_over", T3_COLUMNS) == [("ok", 0)] * 6 + [
        ("blank", None)
    ]
    assert _cells(report, "t3", "new_requests", T3_COLUMNS) == [
        ("ok", v) for v in (34, 1, 0, 0, 2, 0, 37)
    ]


def test_a_page_break_after_a_row_keeps_the_run_before_it() -> None:
    """04's 上年结转 with a page number after it: the run up to the page line
    (3 + 5: an empty 总计, then the row's end) is the row's; the page's own
    run after it (one break) shows nothing."""
    rows = [
        ["一、本年新收政府信息公开申请数量", "34", "1", "0", "0", "2", "0", "37"],
        ["二、上年结转政府信息公开申请数量", "0", "0", "0", "0", "0", "0", ""],
    ]
    text = _t3(rows)
    paged = text.replace("\r" * 8 + "三、本年度", "\r" * 8 + "- 1 -\r三、本年度", 1)
    assert paged != text
    report = govdisclosure.load(paged, spec="gov-2021")
    assert _cells(report, "t3", "carried_over", T3_COLUMNS) == [("ok", 0)] * 6 + [
        ("blank", None)
    ]


def test_blank_lines_one_between_cells_two_between_rows() -> None:
    """The same with LF and another convention: one blank line between cells,
    two between rows; an empty cell in the middle of a row is one more."""
    rows = [
        ["一、本年新收政府信息公开申请数量", "5", "", "1", "", "", "", "6"],
        ["二、上年结转政府信息公开申请数量", "", "", "", "", "", "", ""],
    ]
    report = govdisclosure.load(_t3(rows, "\n", 2, 3), spec="gov-2021")
    assert _cells(report, "t3", "new_requests", T3_COLUMNS) == [
        ("ok", 5),
        ("blank", None),
        ("ok", 1),
        ("blank", None),
        ("blank", None),
        ("blank", None),
        ("ok", 6),
    ]
    assert _cells(report, "t3", "carried_over", T3_COLUMNS) == [("blank", None)] * 7


def test_a_label_wrapped_over_lines_is_no_cell() -> None:
    """04 prints 商业«1»企业: a run shorter than the one between cells wraps a label."""
    header = [
        *T3_HEADER[:2],
        ["商业\r企业", "科研\r机构", "社会公益组织", "法律服务机构", "其他"],
    ]
    rows = [["二、上年结转政府信息公开申请数量", "0", "0", "0", "0", "0", "0", ""]]
    table = _table([*header, *rows, ["三、本年度办理结果"]])
    text = _report([("三、收到和处理政府信息公开申请情况", table)], year=2021)
    report = govdisclosure.load(text, spec="gov-2021")
    assert _cells(report, "t3", "carried_over", T3_COLUMNS)[-2:] == [
        ("ok", 0),
        ("blank", None),
    ]


def test_the_last_row_label_split_over_two_lines_keeps_its_trailing_cells() -> None:
    """三's last row 四、结转下年度 / 继续办理 (one break apart, rejoined as one
    label standing on its first line), all seven cells empty: 5 + 7 x 3 = 26
    breaks before 五's heading, read by hand as seven empty cells."""
    rows = [
        ["一、本年新收政府信息公开申请数量", "5", "", "1", "", "", "", "6"],
        ["四、结转下年度\r继续办理", "", "", "", "", "", "", ""],
    ]
    table = _table([*T3_HEADER, *rows])
    text = _report([("三、收到和处理政府信息公开申请情况", table)], year=2021)
    # the last row's seven empty cells are 7 x 3 breaks, then 5 before 五
    text = text.replace("\r" * 28 + "五、", "\r" * 26 + "五、")
    assert "\r" * 26 + "五、" in text
    report = govdisclosure.load(text, spec="gov-2021")
    assert _cells(report, "t3", "carry_forward", T3_COLUMNS) == [("blank", None)] * 7
    assert _cells(report, "t3", "new_requests", T3_COLUMNS)[:3] == [
        ("ok", 5),
        ("blank", None),
        ("ok", 1),
    ]


def test_a_delimited_line_after_the_table_does_not_stop_the_runs() -> None:
    """A line of links with pipes after 06's 四 row, in its section (a page's
    footer): the table's runs are read as without it."""
    row = ["", "", "", "", "0"] * 3
    brk = "\r"
    text = _t4(row).replace(
        brk * 7 + "五、", brk * 7 + "相关链接 | 首页 | 网站地图" + brk * 7 + "五、"
    )
    assert "网站地图" in text
    report = govdisclosure.load(text, spec="gov-2019")
    cells = _cells(report, "t4", "cases", T4_KEYS)
    assert (
        cells
        == [("blank", None)] * 4
        + [("ok", 0)]
        + ([("blank", None)] * 4 + [("ok", 0)]) * 2
    )


# --- an inconsistent convention keeps the readings ----------------------------------


def test_a_run_of_no_convention_keeps_the_readings() -> None:
    """A run of 4 between two numbers is neither 3 (cells) nor 5 + 3m (rows):
    the runs are not read, and the row keeps every reading, saying why.

    06's 四 so broken: its three 0s stand somewhere in 15 columns. Read by
    hand: every cell is then 0 or empty in every reading, and an empty count
    counts 0 in each group's equation (I4: the four results sum to 总计), so
    each 总计 is 0 whichever reading holds: `inferred` 0 (the zero rule),
    no longer `ambiguous` as before it; the runs decide nothing here.
    """
    row = ["", "", "", "", "0"] * 3
    text = _t4(row).replace("0" + "\r" * 15 + "0", "0" + "\r" * 4 + "0", 1)
    assert text != _t4(row)
    report = govdisclosure.load(text, spec="gov-2019")
    cell = report.table("t4").cell("cases", "review_total")
    assert (cell.status, cell.value) == (CellStatus.INFERRED, 0), cell
    assert cell.reason
    assert "counts that must sum to 0 are 0" in cell.reason


def test_a_run_of_no_convention_flags_the_cells_it_leaves_open() -> None:
    """The same broken run with 2s in each group's 结果尚未审结 and 总计: six 2s in
    15 columns. Read by hand: I4 makes each group take two of them, one in its
    总计 (one 2 alone, or three, sum to no 总计), so each 总计 is 2, but which
    of the four results holds the other 2 no equation says: ambiguous, the
    reason naming the runs not read."""
    row = ["", "", "", "2", "2"] * 3
    text = _t4(row).replace("2" + "\r" * 3 + "2", "2" + "\r" * 4 + "2", 1)
    assert text != _t4(row)
    report = govdisclosure.load(text, spec="gov-2019")
    cells = _cells(report, "t4", "cases", T4_KEYS)
    assert [c for i, c in enumerate(cells) if i % 5 == 4] == [("inferred", 2)] * 3
    pending = report.table("t4").cell("cases", "review_pending")
    assert pending.status is CellStatus.AMBIGUOUS, pending
    assert pending.reason
    assert "runs of blank lines not read as empty cells" in pending.reason
    assert "run of 4" in pending.reason or "cells for 15 columns" in pending.reason


def test_a_row_overflowing_its_columns_keeps_the_readings() -> None:
    """Six 0s with two empty cells after them (3 + 5 + 3 breaks) make eight cells
    for seven columns: the runs do not show this table's cells.

    Read by hand: the six 0s in seven columns leave every cell 0 or empty in
    every reading, and I3 (the six columns sum to 总计) then makes 总计 0
    whichever reading holds: `inferred` 0 (the zero rule), no longer
    `ambiguous`; the runs decide nothing here.
    """
    rows = [
        ["一、本年新收政府信息公开申请数量", "34", "1", "0", "0", "2", "0", "37"],
        ["二、上年结转政府信息公开申请数量", "0", "0", "0", "0", "0", "0", "", ""],
    ]
    report = govdisclosure.load(_t3(rows), spec="gov-2021")
    total = report.table("t3").cell("carried_over", "total")
    assert (total.status, total.value) == (CellStatus.INFERRED, 0), total
    assert total.reason
    assert "counts that must sum to 0 are 0" in total.reason


def test_a_row_overflowing_its_columns_flags_the_cells_it_leaves_open() -> None:
    """上年结转 printed 1, four 0s, an empty 其他, 总计 1 and one more empty cell:
    eight cells for seven columns, the runs not read. Read by hand: six numbers
    in seven columns; 总计 is 1 in every reading I3 allows (an empty 总计
    would be 0 under a sum of 1), but whether the 1 is 自然人's or 商业企业's
    (the empty cell before it) nothing says: ambiguous, saying why."""
    rows = [
        ["一、本年新收政府信息公开申请数量", "34", "1", "0", "0", "2", "0", "37"],
        ["二、上年结转政府信息公开申请数量", "1", "0", "0", "0", "0", "", "1", ""],
    ]
    report = govdisclosure.load(_t3(rows), spec="gov-2021")
    cells = _cells(report, "t3", "carried_over", T3_COLUMNS)
    assert cells[-1] == ("inferred", 1)
    natural = report.table("t3").cell("carried_over", "natural_person")
    assert natural.status is CellStatus.AMBIGUOUS, natural
    assert natural.reason
    assert "8 cells for 7 columns" in natural.reason


# --- the real reports ------------------------------------------------------------------


def test_real_06_four_by_its_runs() -> None:
    """06 (hebei-jyt-2019): 四's row holds three 0s, read by hand in cells 5, 10, 15."""
    report = govdisclosure.load_file(REAL / "06-hebei-jyt-2019.txt")
    cells = _cells(report, "t4", "cases", T4_KEYS)
    assert [c for i, c in enumerate(cells) if i % 5 == 4] == [("ok", 0)] * 3
    assert [c for i, c in enumerate(cells) if i % 5 != 4] == [("blank", None)] * 12


def test_real_04_carried_over_by_its_runs() -> None:
    """04 (hebei-jyt-2021): 上年结转 prints six 0s and an empty 总计 (8 CRs)."""
    report = govdisclosure.load_file(REAL / "04-hebei-jyt-2021.txt")
    assert _cells(report, "t3", "carried_over", T3_COLUMNS) == [("ok", 0)] * 6 + [
        ("blank", None)
    ]


# --- the render hazard ----------------------------------------------------------------


@pytest.mark.parametrize("runs", ["cr", "lf"])
def test_render_prints_zeros_as_runs_and_they_read_back(runs: str) -> None:
    """`Layout.runs`: one cell per line, a zero only its run; every cell reads
    back as printed (its value, or blank for a zero)."""
    spec = Registry(plugins=False, environment=False).get("gov-2021")
    filled = FilledReport(spec, fill(spec, random.Random(3)), year=2021)
    text = render(filled, Layout(cells="lines", runs=runs), random.Random(0))
    if runs == "cr":
        assert "\n" not in text  # bare CRs only, as real 04 and 06
    report = govdisclosure.load(text, spec=spec)
    columns = {
        (t.id, c.key): i for t in spec.tables for i, c in enumerate(t.column_leaves())
    }
    for cell in report.cells:
        truth = filled.values[cell.table][cell.row_key][
            columns[cell.table, cell.column_key]
        ]
        expected = ("blank", None) if truth == 0 else ("ok", truth)
        assert (cell.status.value, cell.value) == expected, cell


# --- the rows counted once, not walked per convention ---------------------------------


def _walked_row(
    tokens: list[Token],
    region: Any,
    before: dict[int, int],
    trailing: int,
    widths: dict[str, tuple[int, bool]],
) -> str:
    """The first row that does not fill its columns, found as the code before
    `runs._rows_of` found it: the tokens walked with each run's empty cells
    inserted before its line's first token (and after the region, the values
    its last row would still take), every row counted on the way."""
    from govdisclosure.pipeline import runs

    starts = runs._line_starts(tokens, region)
    empty = Token(TokenKind.EMPTY, "", 0, 0, 0, 0, True)
    walked: list[Token] = []
    for i in range(region.first, region.last + 1):
        if starts.get(tokens[i].line) == i:
            walked += [empty] * before.get(tokens[i].line, 0)
        walked.append(tokens[i])
    walked += [empty] * trailing
    for token in tokens[region.last + 1 :]:
        if token.kind in (TokenKind.VALUE, TokenKind.EMPTY):
            walked.append(token)
        elif token.kind is not TokenKind.UNIT:
            break
    owner: Token | None = None
    count = 0
    for token in [*walked, None]:
        kind = None if token is None else token.kind
        if kind in (TokenKind.VALUE, TokenKind.EMPTY):
            count += 1
            continue
        if kind is TokenKind.UNIT or (
            token is not None and kind is TokenKind.LABEL and runs._only_remark(token)
        ):
            continue
        if count or (owner is not None and runs._opens_row(owner)):
            width = runs._owner_width(owner, widths)
            if width != count:
                where = f"line {owner.line}" if owner else "the section's start"
                return (
                    f"the row at {where} has {count} cells for {width or 'no'} columns"
                )
        owner = token if kind is TokenKind.LABEL else None
        count = 0
    return ""


def _rows_read_per_token(
    tokens: list[Token], region: Any, starts: dict[int, int], widths: Any
) -> tuple[Any, ...]:
    """`runs._rows_of` as it was first written: each label's refs read anew
    for every label, not once per refs tuple."""
    from govdisclosure.pipeline import runs

    first_of = {i: n for n, i in starts.items()}
    owners: list[Token | None] = [None]
    cells = [0]
    row_of: dict[int, int] = {}
    for i in range(region.first, region.last + 1):
        token = tokens[i]
        if i in first_of:
            row_of[first_of[i]] = len(cells) - 1
        if token.kind in (TokenKind.VALUE, TokenKind.EMPTY):
            cells[-1] += 1
        elif token.kind is not TokenKind.UNIT and not (
            token.kind is TokenKind.LABEL and runs._only_remark(token)
        ):
            owners.append(token if token.kind is TokenKind.LABEL else None)
            cells.append(0)
    for token in tokens[region.last + 1 :]:
        if token.kind in (TokenKind.VALUE, TokenKind.EMPTY):
            cells[-1] += 1
        elif token.kind is not TokenKind.UNIT:
            break
    return (
        [
            (o, o is not None and runs._opens_row(o), runs._owner_width(o, widths))
            for o in owners
        ],
        cells,
        row_of,
    )


def test_rows_counted_once_find_what_walking_them_under_each_convention_found(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """`runs._unfilled_row` adds each convention's empty cells to the rows
    counted once (`_rows_of`); walking the tokens with the cells inserted, as
    before, finds the same first unfilled row (or none) for every convention
    tried on the real reports printed one cell per line and on generated ones;
    and the rows, counted with each label's refs read once per refs tuple,
    are those counted reading them for every label."""
    from govdisclosure.pipeline import runs

    section: dict[str, Any] = {}
    seen: list[str] = []
    rows_of, placed_by = runs._rows_of, runs._placed_by

    def noted_rows_of(tokens: Any, region: Any, starts: Any, widths: Any) -> Any:
        section.update(tokens=tokens, region=region, widths=widths)
        rows = rows_of(tokens, region, starts, widths)
        assert _rows_read_per_token(tokens, region, starts, widths) == rows
        return rows

    def checked(*args: Any) -> Any:
        empties, trailing, starts, _, _ = args
        before, why = placed_by(*args)
        # the empty cells before each line, from the runs themselves
        region = section["region"]
        counted = {
            b: empties[g]
            for b, g in zip(region.lines[1:], region.gaps, strict=True)
            if empties[g]
        }
        if all(n in starts for n in counted):  # else no row was counted
            walked = _walked_row(
                section["tokens"], region, counted, trailing, section["widths"]
            )
            assert walked == why
            seen.append(why)
        return before, why

    monkeypatch.setattr(runs, "_rows_of", noted_rows_of)
    monkeypatch.setattr(runs, "_placed_by", checked)
    for name in (
        "04-hebei-jyt-2021.txt",
        "06-hebei-jyt-2019.txt",
        "12-hebei-jyt-2023.txt",
    ):
        govdisclosure.load_file(REAL / name)
    registry = Registry(plugins=False, environment=False)
    rng = random.Random(5)
    for spec_id in ("gov-2019", "gov-2021", "gov-2014-statistics"):
        spec = registry.get(spec_id)
        for runs_kind in ("cr", "lf"):
            for _ in range(3):
                filled = FilledReport(spec, fill(spec, rng), year=2021)
                layout = Layout(cells="lines", runs=runs_kind)
                govdisclosure.load(render(filled, layout, rng), spec=spec)
    assert len(seen) > 50
    assert any(seen)  # conventions under which a row fails
    assert not all(seen)  # and ones under which every row fills


def test_rows_counted_with_a_remark_and_labels_printed_twice() -> None:
    """The rows `runs._rows_of` counts, each label's refs read once per refs
    tuple, are those read for every label: a remark (备注) leaves its row
    open, a row label printed twice shares its refs, a text closes a row."""
    from govdisclosure.pipeline import runs
    from govdisclosure.pipeline.tokens import LabelRef, LabelRole

    row = (LabelRef("t", LabelRole.ROW, "a"),)
    other = (LabelRef("t", LabelRole.ROW, "b"),)
    remark = (LabelRef("t", LabelRole.REMARK),)
    kinds = [
        (TokenKind.LABEL, row),
        (TokenKind.VALUE, ()),
        (TokenKind.LABEL, remark),
        (TokenKind.VALUE, ()),
        (TokenKind.LABEL, other),
        (TokenKind.EMPTY, ()),
        (TokenKind.TEXT, ()),
        (TokenKind.VALUE, ()),
        (TokenKind.LABEL, row),
        (TokenKind.LABEL, remark),
        (TokenKind.VALUE, ()),
    ]
    tokens = [
        Token(kind, "x", i, i + 1, i + 1, i + 1, False, refs)
        for i, (kind, refs) in enumerate(kinds)
    ]
    region = runs._Region(0, len(tokens) - 1, [t.line for t in tokens])
    starts = runs._line_starts(tokens, region)
    widths = {"t": (2, False)}

    rows = runs._rows_of(tokens, region, starts, widths)

    assert _rows_read_per_token(tokens, region, starts, widths) == rows
    # the remark kept its rows open: a's 2 values, b's empty cell, the
    # text's value, a's again with the value after its remark
    assert [0, 2, 1, 1, 1] == rows.cells
