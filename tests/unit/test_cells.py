"""Tests for `cells`: the short path for rows read one way equals the general path."""

from __future__ import annotations

from govdisclosure.api import run_stages
from govdisclosure.pipeline.cells import (
    _cells_as_read,
    _cells_by_agreement,
    _columns,
    finalize_tables,
)
from govdisclosure.pipeline.normalize import normalize_text
from govdisclosure.spec.registry import default_registry


def test_rows_read_one_way_get_the_cells_the_general_path_gives(
    seeds: dict[str, str],
) -> None:
    """`_cells_as_read` builds exactly what `_cells_by_agreement` builds, cell for cell."""
    spec = default_registry().get("gov-2019")
    checked = 0
    for name in ("001", "002"):
        stages = run_stages(normalize_text(seeds[name]), spec)
        for draft in stages.narrowed:
            t = draft.spec
            for row in draft.rows:
                if (
                    not (row.readings and len(row.readings) == 1)
                    or row.initial is not row.readings
                    or row.zeros
                ):
                    continue  # the short path is taken only for these rows
                row_unit = {r.key: r for r in t.row_leaves()}[row.key].node.unit
                columns = _columns(draft, row_unit)

                assert _cells_by_agreement(row, columns) == _cells_as_read(row, columns)
                checked += len(columns)

    assert checked > 300  # nearly every cell of two gov-2019 reports


def test_every_cell_of_a_report_is_built_once_in_spec_order(
    seeds: dict[str, str],
) -> None:
    """One cell per row × column, row-major, whatever path built it."""
    spec = default_registry().get("gov-2019")
    stages = run_stages(normalize_text(seeds["002"]), spec)

    tables, _ = finalize_tables(stages.narrowed)

    for table, draft in zip(tables, stages.narrowed, strict=True):
        expected = [
            (r.key, c.key)
            for r in draft.spec.row_leaves()
            for c in draft.spec.column_leaves()
        ]
        assert expected == [(c.row_key, c.column_key) for c in table.cells]


def test_the_positional_cell_build_matches_the_fields_of_cell() -> None:
    """`cells._number_cell` builds `Cell` positionally: its field order is pinned here."""
    import attrs

    from govdisclosure.model import Cell

    assert [
        "table",
        "row_key",
        "column_key",
        "row_label",
        "column_label",
        "value",
        "status",
        "unit",
        "raw",
        "span",
        "candidates",
        "reason",
        "note",
        "marker",
        "decision",
    ] == [f.name for f in attrs.fields(Cell)]
