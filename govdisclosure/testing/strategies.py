"""Hypothesis strategies and the round-trip check, for any spec.

    from hypothesis import given
    from govdisclosure.testing.strategies import check_round_trip, filled_reports, layouts

    @given(filled_reports(MY_SPEC), layouts())
    def test_my_spec(report, layout):
        assert [] == check_round_trip(report, layout)

The hazards of real documents (`govdisclosure.testing.render.HAZARDS`) are
feature flags of `layouts`, as in cattrs' own strategies: ``"never"`` (the
default, so a property written before them draws what it always drew),
``"sometimes"`` or ``"always"``:

    @given(filled_reports(MY_SPEC), layouts(glue="always", page_numbers="sometimes"))
    def test_my_spec_glued(report, layout):
        assert [] == check_round_trip(report, layout, exact=False)

This module imports hypothesis; the rest of govdisclosure does not need it.
"""

from __future__ import annotations

import random
from typing import Any, Literal

from attrs import evolve
from hypothesis import strategies as st

from govdisclosure.api import load
from govdisclosure.model import CellStatus
from govdisclosure.spec.model import Spec
from govdisclosure.testing.fill import fill
from govdisclosure.testing.render import (
    APART_CELLS,
    APART_FORMS,
    DELIMITED_CELLS,
    FOOTNOTE_FORMS,
    GLUES,
    LAYOUT_CELLS,
    MARKS,
    NUMBERINGS,
    PAGE_NUMBER_FORMS,
    REWORDINGS,
    RUN_FORMS,
    SPLIT_CELLS,
    WRAPPERS,
    FilledReport,
    Layout,
    render,
)

__all__ = ["FeatureFlag", "check_round_trip", "filled_reports", "layouts"]

#: Whether a strategy draws a feature: never, sometimes (hypothesis chooses), always.
FeatureFlag = Literal["always", "never", "sometimes"]


@st.composite
def filled_reports(draw: st.DrawFn, spec: Spec) -> FilledReport:
    """A report of ``spec`` with every cell filled, satisfying its equations."""
    rng = draw(st.randoms(use_true_random=False))
    year = draw(st.sampled_from(spec.years or (2021,)))
    return FilledReport(spec, fill(spec, rng), year=year)


def layouts(
    cells: tuple[str, ...] = LAYOUT_CELLS,
    *,
    glue: FeatureFlag = "never",
    numbering: FeatureFlag = "never",
    reworded: FeatureFlag = "never",
    missing: FeatureFlag = "never",
    wrapper: FeatureFlag = "never",
    pdf_spacing: FeatureFlag = "never",
    page_numbers: FeatureFlag = "never",
    short_rows: FeatureFlag = "never",
    marks: FeatureFlag = "never",
    footnotes: FeatureFlag = "never",
    deleted: FeatureFlag = "never",
    fuzzy_labels: FeatureFlag = "never",
    split_tables: FeatureFlag = "never",
    permuted_columns: FeatureFlag = "never",
    apart: FeatureFlag = "never",
    runs: FeatureFlag = "never",
) -> st.SearchStrategy[Layout]:
    """Any layout, with its modifiers, and the hazards their flags allow.

    A wrapped page is an html page, so ``wrapper`` draws ``cells="html"``;
    page numbers are not printed in html, so ``page_numbers`` draws the other
    cell layouts (when ``cells`` has any); marks are drawn in every layout,
    deleted cells in a layout that prints a row's numbers apart (not glued: a
    glued row that lost a cell is the glued row of other values) and with no
    blanks for zeros; split tables draw a delimited layout (pieces in `SPLIT_CELLS`); columns
    permuted are printed with their header (without it, nothing in the text
    says their order); labels apart from their values need a row on one
    line, so ``apart`` draws one of `APART_CELLS` (when ``cells`` has any);
    runs of line breaks print text lines (an html layout becomes ``lines``).
    """
    plain = st.builds(
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
    flags = {
        "glue": glue,
        "numbering": numbering,
        "reworded": reworded,
        "missing": missing,
        "wrapper": wrapper,
        "pdf_spacing": pdf_spacing,
        "page_numbers": page_numbers,
        "short_rows": short_rows,
        "marks": marks,
        "footnotes": footnotes,
        "deleted": deleted,
        "fuzzy_labels": fuzzy_labels,
        "split_tables": split_tables,
        "permuted_columns": permuted_columns,
        "apart": apart,
        "runs": runs,
    }
    if all(flag == "never" for flag in flags.values()):
        return plain  # the strategy of old: same draws, same shrinking
    hazards = st.fixed_dictionaries(
        {
            name: _flagged(flag, _HAZARD_FIELDS[name])
            for name, flag in flags.items()
            if flag != "never"
        }
    )
    return st.tuples(plain, hazards).map(
        lambda pair: _with_hazards(pair[0], pair[1], cells)
    )


def _flagged(
    flag: FeatureFlag, fields: st.SearchStrategy[dict[str, Any]]
) -> st.SearchStrategy[dict[str, Any]]:
    """A hazard's fields when the flag draws it, else no field (the default)."""
    if flag == "always":
        return fields
    return st.one_of(st.just({}), fields)  # "sometimes": the plain layout first


_INDICES = st.lists(st.integers(0, 7), min_size=1, max_size=3, unique=True).map(
    lambda xs: tuple(sorted(xs))
)
#: Each hazard's `Layout` fields, drawn when the hazard is on.
_HAZARD_FIELDS: dict[str, st.SearchStrategy[dict[str, Any]]] = {
    "glue": st.fixed_dictionaries({"glue": st.sampled_from(GLUES)}),
    "numbering": st.fixed_dictionaries({"numbering": st.sampled_from(NUMBERINGS)}),
    "reworded": st.fixed_dictionaries(
        {"reworded": _INDICES, "reword": st.sampled_from(REWORDINGS)}
    ),
    "missing": st.fixed_dictionaries({"missing": _INDICES}),
    "wrapper": st.fixed_dictionaries({"wrapper": st.sampled_from(WRAPPERS[1:])}),
    "pdf_spacing": st.just({"pdf_spacing": True}),
    "fuzzy_labels": st.just({"fuzzy_labels": True}),
    "page_numbers": st.fixed_dictionaries(
        {
            "page_numbers": st.sampled_from(PAGE_NUMBER_FORMS),
            "page_rows": st.integers(1, 12),
            "page_header": st.booleans(),
        }
    ),
    "short_rows": st.just({"short_rows": True}),
    "marks": st.fixed_dictionaries({"marks": st.sampled_from(MARKS)}),
    "footnotes": st.fixed_dictionaries({"footnotes": st.sampled_from(FOOTNOTE_FORMS)}),
    "deleted": st.just({"deleted": True}),
    "split_tables": st.just({"split_tables": True}),
    "permuted_columns": st.fixed_dictionaries(
        {"permuted_columns": st.integers(0, 2**16), "header": st.just(True)}
    ),
    "apart": st.fixed_dictionaries({"apart": st.sampled_from(APART_FORMS)}),
    "runs": st.fixed_dictionaries({"runs": st.sampled_from(sorted(RUN_FORMS))}),
}


def _with_hazards(
    layout: Layout, hazards: dict[str, dict[str, Any]], cells: tuple[str, ...]
) -> Layout:
    fields: dict[str, Any] = {
        k: v for part in hazards.values() for k, v in part.items()
    }
    if fields.get("wrapper") is not None:
        fields["cells"] = "html"
    elif fields.get("page_numbers") is not None and layout.cells == "html":
        text_cells = [c for c in cells if c != "html"]
        if text_cells:
            fields["cells"] = text_cells[0]
    if fields.get("deleted"):
        fields["blank_zero"] = False
        # a glued row that lost a cell is the glued row of other values: its
        # digits are all the text says of its cells (pinned as a strict xfail
        # in tests/property/test_hazards.py::test_deleted_cell_glued)
        apart = [c for c in cells if c != "glued"]
        if layout.cells == "glued" and apart:
            spread = layout.header + 2 * layout.wrap + 4 * layout.fullwidth
            fields["cells"] = apart[spread % len(apart)]
    if fields.get("split_tables"):
        # remarks in cells are drawn for delimited layouts, pieces for SPLIT_CELLS
        split = [c for c in cells if c in SPLIT_CELLS]
        if layout.cells not in DELIMITED_CELLS and split:
            fields["cells"] = split[0]
    if fields.get("apart") is not None and layout.cells not in APART_CELLS:
        one_line = [c for c in cells if c in APART_CELLS]
        if one_line:
            # spread over them, so that every one is drawn
            fields["cells"] = one_line[cells.index(layout.cells) % len(one_line)]
    if fields.get("runs") and layout.cells == "html":
        fields["cells"] = "lines"  # runs print text lines
    return evolve(layout, **fields)


def check_round_trip(
    report: FilledReport, layout: Layout, *, seed: int = 0, exact: bool | None = None
) -> list[str]:
    """Render, load with the report's spec, and list every problem.

    A problem is a cell claiming a value (ok or inferred) other than the true
    one, in any layout; and, for layouts that must round-trip exactly
    (``exact``; by default `Layout.exact_for`), any cell that is not ok with
    the true value. ``exact=False`` checks only the first: what a layout with
    a hazard the engine has not learnt must still hold.
    """
    text = render(report, layout, random.Random(seed))
    loaded = load(text, spec=report.spec)
    if exact is None:
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
