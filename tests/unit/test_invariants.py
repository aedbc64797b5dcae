"""Tests for invariant narrowing (INFERRED cells) and checking (findings)."""

from __future__ import annotations

from decimal import Decimal

import govdisclosure
from govdisclosure import CellStatus, Severity

T4_LINE = "0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |"


def _with_t4(seeds: dict[str, str], row: str) -> govdisclosure.Report:
    return govdisclosure.load(seeds["001"].replace(T4_LINE, row))


def test_invariants_choose_among_readings(seeds: dict[str, str]) -> None:
    """13 numbers for 15 columns, "012" glued (no count is written with a leading
    0, so it is glued cells): 0|1|2 fills every column, and 0|12 with an empty
    cell somewhere satisfies no 总计 (0 + 12 + 0 is not 3): only 0|1|2 is left
    by 行政复议 总计 = 3."""
    report = _with_t4(seeds, "\n".join(["012", "0", "3"] + ["0"] * 10))
    cells = report.table("t4").cells

    assert [0, 1, 2, 0, 3] + [0] * 10 == [c.value for c in cells]
    assert {CellStatus.INFERRED} == {c.status for c in cells}
    assert "I4-review" in (cells[0].reason or "")
    assert "012" == "".join(c.raw or "" for c in cells[:3])


def test_a_number_that_may_be_glued_cells_or_a_lost_cell_is_not_chosen(
    seeds: dict[str, str],
) -> None:
    """14 numbers for 15 columns, one a line of its own each: "12" may be 1|2
    glued, which makes 行政复议 总计 3, or 12 whole with a cell lost (a deleted
    cell's value is unknown, so any total may hold). The text does not tell:
    no cell of the row is decided, and the reason names both."""
    report = _with_t4(seeds, "\n".join(["12", "0", "0", "3"] + ["0"] * 10))
    cells = report.table("t4").cells

    assert {CellStatus.AMBIGUOUS} == {c.status for c in cells}
    assert all("may have been lost" in (c.reason or "") for c in cells)
    assert (1, 12, None) == cells[0].candidates


def test_undetermined_cells_stay_ambiguous(seeds: dict[str, str]) -> None:
    """When several readings satisfy every equation, no cell is chosen."""
    report = _with_t4(seeds, "\n".join(["1", "1"] + ["0"] * 12))
    review = report.table("t4").cells[:5]

    assert {CellStatus.AMBIGUOUS} == {c.status for c in review}
    assert all(c.value is None for c in review)


def test_broken_equation_is_a_finding(seeds: dict[str, str]) -> None:
    """Numbers that do not add up load fine and carry an error finding."""
    row = "1 | 0 | 0 | 0 | 5 | " + " | ".join(["0"] * 10) + " |"
    report = _with_t4(seeds, row)
    broken = [f for f in report.findings if f.code == "invariant.violated"]

    assert 5 == report.table("t4").cell("cases", "review_total").value
    assert ["I4-review"] == [f.rule for f in broken]
    assert (Severity.ERROR, 1, 5) == (
        broken[0].severity,
        broken[0].expected,
        broken[0].actual,
    )
    assert "t4.cases.review_total" in broken[0].cells
    assert "gov-2019@1" == broken[0].spec


def test_blank_cells_are_named_in_the_finding(seeds: dict[str, str]) -> None:
    """A broken equation with blank cells says which cells were counted as 0."""
    row = "1 | | 0 | 0 | 5 | " + " | ".join(["0"] * 10) + " |"
    report = _with_t4(seeds, row)
    broken = next(f for f in report.findings if f.code == "invariant.violated")

    assert ("t4.cases.review_corrected",) == broken.blank_cells


def test_blank_total_is_not_a_violation(seeds: dict[str, str]) -> None:
    """A 总计 left blank (reference R2) is unchecked, not broken."""
    row = "1 | 0 | 0 | 0 | | " + " | ".join(["0"] * 10) + " |"
    report = _with_t4(seeds, row)
    codes = {(f.code, f.rule) for f in report.findings}

    assert ("invariant.unchecked", "I4-review") in codes
    assert not any(code == "invariant.violated" for code, _ in codes)


def test_decimal_amounts_are_exact(seeds: dict[str, str]) -> None:
    """Amounts are Decimals, never floats."""
    cell = (
        govdisclosure.load(seeds["000"])
        .table("t2_9")
        .cell("centralized_procurement", "amount")
    )

    assert Decimal("6119919.29") == cell.value
