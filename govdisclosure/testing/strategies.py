"""Hypothesis strategies and the round-trip check, for any spec.

    from hypothesis import given
    from govdisclosure.testing.strategies import check_round_trip, filled_reports, layouts

    @given(filled_reports(MY_SPEC), layouts())
    def test_my_spec(report, layout):
        assert [] == check_round_trip(report, layout)

This module imports hypothesis; the rest of govdisclosure does not need it.
"""

from __future__ import annotations

import random

from hypothesis import strategies as st

from govdisclosure.api import load
from govdisclosure.model import CellStatus
from govdisclosure.spec.model import Spec
from govdisclosure.testing.fill import fill
from govdisclosure.testing.render import LAYOUT_CELLS, FilledReport, Layout, render

__all__ = ["check_round_trip", "filled_reports", "layouts"]


@st.composite
def filled_reports(draw: st.DrawFn, spec: Spec) -> FilledReport:
    """A report of ``spec`` with every cell filled, satisfying its equations."""
    rng = draw(st.randoms(use_true_random=False))
    year = draw(st.sampled_from(spec.years or (2021,)))
    return FilledReport(spec, fill(spec, rng), year=year)


def layouts(cells: tuple[str, ...] = LAYOUT_CELLS) -> st.SearchStrategy[Layout]:
    """Any layout, with its modifiers."""
    return st.builds(
        Layout,
        cells=st.sampled_from(cells),
        blank_zero=st.booleans(),
        fullwidth=st.booleans(),
        traditional=st.booleans(),
        aliases=st.booleans(),
        wrap=st.booleans(),
        groups=st.sampled_from(("own_line", "repeat", "omit")),
        header=st.booleans(),
        chrome=st.booleans(),
    )


def check_round_trip(
    report: FilledReport, layout: Layout, *, seed: int = 0
) -> list[str]:
    """Render, load with the report's spec, and list every problem.

    A problem is a cell claiming a value (ok or inferred) other than the true
    one, in any layout; and, for layouts that must round-trip exactly
    (`Layout.exact_for`), any cell that is not ok with the true value.
    """
    text = render(report, layout, random.Random(seed))
    loaded = load(text, spec=report.spec)
    exact = layout.exact_for(report.spec)
    column_index = {
        (t.id, c.key): i
        for t in report.spec.tables
        for i, c in enumerate(t.column_leaves())
    }
    problems = []
    for cell in loaded.cells:
        truth = report.values[cell.table][cell.row_key][
            column_index[(cell.table, cell.column_key)]
        ]
        claimed = cell.status in (CellStatus.OK, CellStatus.INFERRED)
        if claimed and cell.value != truth:
            problems.append(
                f"WRONG {cell.key}: {cell.status.value} {cell.value!r}, truth {truth!r} (raw {cell.raw!r})"
            )
        elif exact and (cell.status is not CellStatus.OK or cell.value != truth):
            problems.append(
                f"not exact {cell.key}: {cell.status.value} {cell.value!r}, truth {truth!r}"
            )
    return problems
