"""Tests for `row_readings`: what a row's tokens allow, without choosing."""

from __future__ import annotations

import pytest

from govdisclosure.grid import build_grid
from govdisclosure.normalize import normalize_text
from govdisclosure.segment import (
    BLANK,
    MAX_READINGS,
    MISSING,
    Piece,
    TooManyReadingsError,
    row_readings,
)
from govdisclosure.spec_model import ValueType

INT = ValueType.INT


def _row(spec, text: str):  # type: ignore[no-untyped-def]
    lines = normalize_text(text).lines
    grid = build_grid(spec, "s3", [(line, 0, len(line.text)) for line in lines])
    return [t for t in grid.tokens if t.kind.value in ("value", "empty")]


def _values(reading) -> list[object]:  # type: ignore[no-untyped-def]
    return [s.value if isinstance(s, Piece) else s for s in reading]


def test_exact_count_is_one_reading(spec2019) -> None:  # type: ignore[no-untyped-def]
    """As many numbers as columns: one reading, in order."""
    readings = row_readings(_row(spec2019, "13\n2\n15"), [INT] * 3)

    assert [[13, 2, 15]] == [_values(r) for r in readings]


def test_pipes_keep_positions(spec2019) -> None:  # type: ignore[no-untyped-def]
    """Delimited cells: empties are blank, absent trailing cells are missing."""
    readings = row_readings(_row(spec2019, "0 | | 5 |"), [INT] * 4)

    assert [[0, BLANK, 5, MISSING]] == [_values(r) for r in readings]


def test_fewer_numbers_than_columns_lists_every_placement(spec2019) -> None:  # type: ignore[no-untyped-def]
    """One number for two columns (seed 004 二(八)): both placements."""
    readings = row_readings(_row(spec2019, "0"), [INT] * 2)

    assert [[0, BLANK], [BLANK, 0]] == [_values(r) for r in readings]


def test_glued_zero_run_splits_into_single_digits(spec2019) -> None:  # type: ignore[no-untyped-def]
    """000000 + 0 over seven columns (seed 004) has exactly one reading."""
    readings = row_readings(_row(spec2019, "000000\n0"), [INT] * 7)

    assert [[0] * 7] == [_values(r) for r in readings]


def test_decimal_in_integer_column_is_no_reading(spec2019) -> None:  # type: ignore[no-untyped-def]
    """A fraction cannot be a count: the reading is impossible, not rounded."""
    assert [] == row_readings(_row(spec2019, "1.5"), [INT])


def test_enumeration_is_bounded(spec2019) -> None:  # type: ignore[no-untyped-def]
    """A long glued run over many columns raises instead of running away."""
    with pytest.raises(TooManyReadingsError):
        row_readings(_row(spec2019, "1" * 24), [INT] * 15)
    assert MAX_READINGS > 1000
