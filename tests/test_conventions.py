"""Reasoning a person accepts beyond the equations (issue 18, point 3).

Two reading filters, each named in the reason of the cells it decides:

* non-negative counts that an equation makes sum to 0 are 0 (always on:
  the columns of type ``int`` are counts);
* a report that prints its zeros as digits and surely leaves no cell empty
  leaves none empty in a glued row either (the spec's
  ``zeros_printed_evidence``).

The tables are small and made by hand; each expected value is read from the
text given here.
"""

from __future__ import annotations

import govdisclosure
from govdisclosure import CellStatus
from govdisclosure.spec.loader import parse_spec

# two groups of cells, each with its 总计: 甲 (a1 + b1 = t1), 乙 (a2 + b2 = t2)
SPEC = """\
schema: 1
id: small
version: 1
title: t
source: s
zeros_printed_evidence: {zeros}
sections:
  - {{id: s1, number: 一, title: 总体情况}}
  - {{id: s2, number: 二, title: 复议诉讼情况}}
tables:
  - id: t
    name: 二
    section: s2
    columns:
{columns}
    rows:
      - {{key: x, label: 复议案件}}
      - {{key: y, label: 诉讼案件}}
invariants:
  - {{id: G1, table: t, for_each: row, equation: t1 == a1 + b1}}
  - {{id: G2, table: t, for_each: row, equation: t2 == a2 + b2}}
"""
LABELS = {"a": "维持", "b": "纠正", "t": "总计"}
HEAD = (
    "某局2023年政府信息公开工作年度报告\n一、总体情况\n本年度，本局认真贯彻《条例》。\n"
    "二、复议诉讼情况\n"
)
NON_NEGATIVE = "counts are never negative"
ZEROS = "prints its zeros"


def _order(total_first: bool) -> list[str]:
    return [
        f"{c}{g}"
        for g in (1, 2)
        for c in (("t", "a", "b") if total_first else ("a", "b", "t"))
    ]


def _header(total_first: bool = False, *, pipe: bool = False) -> str:
    labels = [
        ("甲" if k[1] == "1" else "乙") + LABELS[k[0]] for k in _order(total_first)
    ]
    return f"| {' | '.join(labels)} |\n" if pipe else " ".join(labels) + "\n"


def _load(
    body: str,
    *,
    zeros: bool = True,
    total_first: bool = False,
    signed: bool = False,
) -> dict[tuple[str, str], govdisclosure.Cell]:
    columns = "\n".join(
        f"      - {{key: {k}, label: {('甲' if k[1] == '1' else '乙') + LABELS[k[0]]}"
        + (", type: signed_int" if signed and k == "b2" else "")
        + "}"
        for k in _order(total_first)
    )
    spec = parse_spec(SPEC.format(zeros=str(zeros).lower(), columns=columns))
    report = govdisclosure.load(HEAD + body, spec=spec)
    return {(c.row_key, c.column_key): c for c in report.cells}


HEADER = _header()
PIPE_HEADER = _header(pipe=True)


def _row(cells: dict[tuple[str, str], govdisclosure.Cell], row: str) -> list[object]:
    """The row's cells as the golden notation writes them: 1, ~1, _, M, ?."""
    out: list[object] = []
    for (r, _), cell in cells.items():
        if r != row:
            continue
        out.append(
            cell.value
            if cell.status is CellStatus.OK
            else f"~{cell.value}"
            if cell.status is CellStatus.INFERRED
            else {"blank": "_", "missing": "M", "ambiguous": "?"}[cell.status.value]
        )
    return out


# ---- a report that prints its zeros ------------------------------------------


def test_a_glued_row_has_no_empty_cell_where_the_report_prints_its_zeros() -> None:
    """``101000``: 1|0|1|0|0|0 is its only cut into six cells, each printed.

    With an empty cell, 10|_|10|0|0|_ and others fit the equations too; the
    report prints ``000000`` for its other row, so it leaves no cell empty.
    """
    cells = _load(HEADER + "复议案件101000\n诉讼案件000000\n")

    assert ["~1", "~0", "~1", "~0", "~0", "~0"] == _row(cells, "x")
    assert [0, 0, 0, 0, 0, 0] == _row(cells, "y")
    for column in ("a1", "b1", "t1"):
        assert ZEROS in (cells[("x", column)].reason or "")


def test_without_the_spec_switch_the_empty_cell_readings_stay() -> None:
    """The same text under a spec that does not declare the convention."""
    cells = _load(HEADER + "复议案件101000\n诉讼案件000000\n", zeros=False)

    assert ["?", "?", "?"] == _row(cells, "x")[:3]
    assert not any(ZEROS in (c.reason or "") for c in cells.values())


def test_a_row_that_leaves_a_cell_empty_turns_the_convention_off() -> None:
    """``00000`` is five cells of 0 for six columns: this report leaves a cell
    empty, so a glued row of it may too."""
    cells = _load(HEADER + "复议案件101000\n诉讼案件00000\n")

    assert ["?", "?", "?"] == _row(cells, "x")[:3]
    assert not any(ZEROS in (c.reason or "") for c in cells.values())


def test_a_row_the_equations_leave_empty_cells_turns_the_convention_off() -> None:
    """``1000100``: seven digits for six cells, and no cut without an empty
    cell adds up (10|0|0|1|0|0 breaks 甲); only 100|0|100|_|_|_ and
    _|_|_|100|0|100 do. That row surely leaves cells empty, so the report
    does not print all its zeros: nothing is set aside, anywhere (the two
    纠正 are 0 or empty in both readings: 0)."""
    cells = _load(HEADER + "复议案件000000\n诉讼案件1000100\n")

    assert ["?", "~0", "?", "?", "~0", "?"] == _row(cells, "y")
    assert not any(ZEROS in (c.reason or "") for c in cells.values())


# ---- non-negative counts that must sum to 0 -----------------------------------


def test_cells_zero_or_empty_in_every_reading_are_zero() -> None:
    """Six zeros for six columns of a row and five for the other, one per
    number: which cell of 诉讼案件 is empty is unknown, but each group adds
    up to 0 whichever it is, so every count is 0."""
    cells = _load(HEADER + "复议案件 0 0 0 0 0 0\n诉讼案件 0 0 0 0 0\n")

    assert ["~0"] * 6 == _row(cells, "y")
    for column in ("a1", "b1", "t1", "a2", "b2", "t2"):
        reason = cells[("y", column)].reason or ""
        assert NON_NEGATIVE in reason
        assert "0 or empty in every reading" in reason


def test_a_total_of_zero_makes_its_cells_cut_short_zero() -> None:
    """A pipe row cut short after its 总计 of 0 (the section prints its empty
    cells, so the rest is not in the text): 维持 and 纠正 add up to 0, so both
    are 0; 乙's three cells are all unknown and stay missing."""
    body = (
        _header(total_first=True, pipe=True)
        + "| 复议案件 | 0 | | 0 | 0 | 0 | 0 |\n| 诉讼案件 | 0 |\n"
    )
    cells = _load(body, total_first=True)

    assert [0, "~0", "~0", "M", "M", "M"] == _row(cells, "y")
    reason = cells[("y", "a1")].reason or ""
    assert NON_NEGATIVE in reason
    assert "G1" in reason
    assert "not given by the text" in reason


def test_a_sum_of_zero_over_signed_cells_decides_nothing() -> None:
    """乙's 总计 is 0 and its 维持 and 纠正 are cut short: as counts they are
    both 0; when 纠正 may be negative (a change), 3 and -3 fit as well, and
    nothing is decided."""
    body = (
        _header(total_first=True, pipe=True)
        + "| 复议案件 | 0 | | 0 | 0 | 0 | 0 |\n| 诉讼案件 | 0 | 0 | 0 | 0 |\n"
    )

    assert [0, "~0", "~0"] == _row(_load(body, total_first=True), "y")[3:]
    assert [0, "M", "M"] == _row(_load(body, total_first=True, signed=True), "y")[3:]


def test_cells_on_both_sides_of_an_equation_decide_nothing() -> None:
    """维持 0 printed, 纠正 and 总计 cut short: 总计 - 纠正 = 0 leaves both open."""
    body = (
        PIPE_HEADER
        + "| 复议案件 | 0 | | 0 | 0 | 0 | 0 |\n| 诉讼案件 | 0 | 0 | 0 | 0 |\n"
    )

    assert [0, "M", "M"] == _row(_load(body), "y")[3:]


def test_a_sum_that_is_not_zero_decides_nothing() -> None:
    """乙维持 printed 3: 纠正 and 总计 differ by 3 and are unknown."""
    body = (
        PIPE_HEADER
        + "| 复议案件 | 0 | | 0 | 0 | 0 | 0 |\n| 诉讼案件 | 0 | 0 | 0 | 3 |\n"
    )

    assert [3, "M", "M"] == _row(_load(body), "y")[3:]


def test_a_row_not_found_is_never_set_to_zero() -> None:
    """A row whose label is not in the text may be printed under a label not
    recognised; its cells stay missing even where the equations give 0."""
    body = _header(total_first=True, pipe=True) + "| 复议案件 | 0 | | 0 | 0 | 0 | 0 |\n"
    cells = _load(body, total_first=True)

    assert ["M"] * 6 == _row(cells, "y")
