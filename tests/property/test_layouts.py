"""Layouts of generated 2019 reports: exact, or flagged — never a wrong value."""

from __future__ import annotations

import random

from hypothesis import example, given
from hypothesis import strategies as st

import govdisclosure
from govdisclosure import CellStatus
from govdisclosure.spec.registry import default_registry

from .layouts2019 import EXACT, LAYOUTS, report

SPEC = default_registry().get("gov-2019")


@given(st.integers(0, 2**32), st.sampled_from(LAYOUTS))
@example(
    4, "glued"
)  # an unsplittable glued run once led to inferred cells from an inconsistent table
@example(70, "glued")  # … and to a wrong inferred cell in a consistent one
def test_no_cell_claims_a_wrong_value(seed: int, layout: str) -> None:
    """Every ok or inferred cell equals the generated value, whatever the layout."""
    text, truth = report(SPEC, random.Random(seed), layout)

    result = govdisclosure.load(text)

    wrong = [
        f"{c.key}: {c.status.value} {c.value!r}, truth {truth[(c.table, c.row_key, c.column_key)]}"
        for c in result.cells
        if c.status in (CellStatus.OK, CellStatus.INFERRED)
        and c.value != truth[(c.table, c.row_key, c.column_key)]
    ]
    assert not wrong, "\n".join(wrong)


@given(st.integers(0, 2**32), st.sampled_from(EXACT))
def test_layouts_that_keep_boundaries_round_trip(seed: int, layout: str) -> None:
    """Pipe rows, one cell per line, spaces: every cell comes back exactly, nothing flagged."""
    text, truth = report(SPEC, random.Random(seed), layout)

    result = govdisclosure.load(text)

    assert truth == {(c.table, c.row_key, c.column_key): c.value for c in result.cells}
    assert {CellStatus.OK} == {c.status for c in result.cells}
    assert not [f for f in result.findings if f.severity.value != "info"]


@given(st.integers(0, 2**32))
def test_blank_zeros_are_blank_not_guessed(seed: int) -> None:
    """Zeros written as empty pipe cells come back blank (or inferred), never as other values."""
    text, truth = report(SPEC, random.Random(seed), "pipe_blank0")

    result = govdisclosure.load(text)

    for cell in result.cells:
        if cell.status is CellStatus.BLANK:
            assert 0 == truth[(cell.table, cell.row_key, cell.column_key)], cell.key
