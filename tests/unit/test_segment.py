"""Tests for `row_readings` and `decode.row_solutions`: what a row's tokens allow."""

from __future__ import annotations

from itertools import combinations, product

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from govdisclosure.pipeline.decode import row_solutions
from govdisclosure.pipeline.grid import Token, build_grid
from govdisclosure.pipeline.normalize import normalize_text
from govdisclosure.pipeline.segment import (
    BLANK,
    MAX_READINGS,
    MISSING,
    Piece,
    Reading,
    TooManyReadingsError,
    _one_type_placements,
    _placements,
    _product,
    _sequences,
    row_readings,
)
from govdisclosure.pipeline.values import NumberToken, split_digits
from govdisclosure.spec.model import Spec, ValueType

INT = ValueType.INT


def _row(spec: Spec, text: str) -> list[Token]:
    lines = normalize_text(text).lines
    grid = build_grid(spec, "s3", [(line, 0, len(line.text)) for line in lines])
    return [t for t in grid.tokens if t.kind.value in ("value", "empty")]


def _values(reading: Reading) -> list[object]:
    return [s.value if isinstance(s, Piece) else s for s in reading]


def test_exact_count_is_one_reading(spec2019: Spec) -> None:
    """As many numbers as columns: one reading, in order."""
    readings = row_readings(_row(spec2019, "13\n2\n15"), [INT] * 3)

    assert [[13, 2, 15]] == [_values(r) for r in readings]


def test_pipes_keep_positions(spec2019: Spec) -> None:
    """Delimited cells: empties are blank, absent trailing cells are missing."""
    readings = row_readings(_row(spec2019, "0 | | 5 |"), [INT] * 4)

    assert [[0, BLANK, 5, MISSING]] == [_values(r) for r in readings]


def test_fewer_numbers_than_columns_lists_every_placement(spec2019: Spec) -> None:
    """One number for two columns (seed 004 二(八)): both placements."""
    readings = row_readings(_row(spec2019, "0"), [INT] * 2)

    assert [[0, BLANK], [BLANK, 0]] == [_values(r) for r in readings]


def test_glued_zero_run_splits_into_single_digits(spec2019: Spec) -> None:
    """000000 + 0 over seven columns (seed 004) has exactly one reading."""
    readings = row_readings(_row(spec2019, "000000\n0"), [INT] * 7)

    assert [[0] * 7] == [_values(r) for r in readings]


def test_decimal_in_integer_column_is_no_reading(spec2019: Spec) -> None:
    """A fraction cannot be a count: the reading is impossible, not rounded."""
    assert [] == row_readings(_row(spec2019, "1.5"), [INT])


def test_enumeration_is_bounded(spec2019: Spec) -> None:
    """A long glued run over many columns raises instead of running away."""
    with pytest.raises(TooManyReadingsError):
        row_readings(_row(spec2019, "1" * 24), [INT] * 15)
    assert MAX_READINGS > 1000


def _brute_force(runs: list[str], n: int) -> set[tuple[object, ...]]:
    """Every reading of digit runs over ``n`` count columns, listed without pruning:
    each cut and placement, the columns left over blank; and, where a run is
    cut in a row printed apart with fewer runs than columns, each placement of
    the runs whole with the columns left over lost (`segment._lost_cells`)."""
    options = []
    for digits in runs:
        opts = [[digits]] if NumberToken(None, digits, None).well_formed else []
        for parts in range(2, len(digits) + 1):
            opts += [list(cut) for cut in split_digits(digits, parts)]
        options.append(opts)
    chosen = (
        [options]
        if len(runs) <= n
        else [[options[k] for k in keep] for keep in combinations(range(len(runs)), n)]
    )
    out = set()
    for subset in chosen:
        for parts in product(*subset):
            numbers = [int(d) for part in parts for d in part]
            for columns in combinations(range(n), len(numbers)):
                if len(numbers) > n:
                    break
                slots: list[object] = [BLANK] * n
                for value, column in zip(numbers, columns, strict=True):
                    slots[column] = value
                out.add(tuple(slots))
    cut = any(split_digits(d, 2) for d in runs)  # a run may be two glued cells
    whole = all(NumberToken(None, d, None).well_formed for d in runs)
    if cut and 2 <= len(runs) < n and whole:
        # printed apart and short: a cell may have been lost (value unknown)
        for columns in combinations(range(n), len(runs)):
            slots = [MISSING] * n
            for digits, column in zip(runs, columns, strict=True):
                slots[column] = int(digits)
            out.add(tuple(slots))
    return out


@settings(max_examples=200, deadline=None)
@given(
    runs=st.lists(st.from_regex(r"[0-9]{1,4}", fullmatch=True), min_size=1, max_size=4),
    n=st.integers(min_value=1, max_value=5),
)
def test_readings_are_every_cut_and_placement(
    spec2019: Spec, runs: list[str], n: int
) -> None:
    """The bounds that prune the enumeration drop no reading a plain listing has."""
    readings = row_readings(_row(spec2019, "\n".join(runs)), [INT] * n)

    assert _brute_force(runs, n) == {tuple(_values(r)) for r in readings}


def _holds(
    reading: tuple[object, ...], constraints: list[tuple[tuple[int, int], ...]]
) -> bool:
    """Every equation ``Σ coef·column == 0`` holds, blank counting as zero; one
    with a lost cell (value unknown) may hold, unless its terms cancel."""
    for c in constraints:
        coefs: dict[int, int] = {}
        for coef, col in c:
            coefs[col] = coefs.get(col, 0) + coef
        terms = [(coef, reading[col]) for col, coef in coefs.items() if coef]
        if any(v == MISSING for _, v in terms):
            continue
        if sum(coef * v for coef, v in terms if isinstance(v, int)) != 0:
            return False
    return True


_constraint = st.lists(
    st.tuples(st.sampled_from([-1, 1, 2]), st.integers(min_value=0, max_value=5)),
    min_size=1,
    max_size=4,
).map(tuple)


@settings(max_examples=300, deadline=None)
@given(
    runs=st.lists(st.from_regex(r"[0-9]{1,4}", fullmatch=True), min_size=1, max_size=3),
    extra=st.integers(min_value=0, max_value=3),
    constraints=st.lists(_constraint, min_size=1, max_size=3),
)
def test_search_keeps_exactly_the_readings_the_equations_allow(
    spec2019: Spec,
    runs: list[str],
    extra: int,
    constraints: list[tuple[tuple[int, int], ...]],
) -> None:
    """The search prunes no reading a plain listing filtered by the equations keeps.

    Rows with no more numbers than columns (the search places every number);
    the search is given the row's own equations (those over its columns).
    """
    n = len(runs) + extra
    inside = [c for c in constraints if max(col for _, col in c) < n]

    found = row_solutions(_row(spec2019, "\n".join(runs)), [INT] * n, inside)
    assert found is not None

    expected = {r for r in _brute_force(runs, n) if _holds(r, inside)}
    assert expected == {tuple(_values(r)) for r in found}
    assert len(found) == len(expected)  # each reading once


def test_search_places_every_number(spec2019: Spec) -> None:
    """More numbers than columns: the search finds nothing (the listing drops some)."""
    assert row_solutions(_row(spec2019, "1\n2\n3"), [INT] * 2, [((1, 0),)]) is None


def test_collapsed_group_totals_are_searched(spec2019: Spec) -> None:
    """A collapsed 四 row (pingtan-2021): too many readings to list, few to search."""
    tokens = _row(spec2019, "10203120001200000")
    types = [INT] * 15
    groups = [
        ((1, g + 4), (-1, g), (-1, g + 1), (-1, g + 2), (-1, g + 3)) for g in (0, 5, 10)
    ]
    with pytest.raises(TooManyReadingsError):
        row_readings(tokens, types)

    found = row_solutions(tokens, types, groups)
    assert found is not None

    published = (1, 0, 2, 0, 3, 12, 0, 0, 0, 12, 0, 0, 0, 0, 0)
    assert published in {tuple(_values(r)) for r in found}
    assert all(_holds(tuple(_values(r)), groups) for r in found)


def test_collapsed_groups_with_large_counts_are_searched_block_by_block(
    spec2019: Spec,
) -> None:
    """A 四 run whose cells run to four digits: searched whole it passed the
    bound (20,193 states); block by block (each group between two places in
    the digits) it has one reading: 8+0+0+2853 = 2861, 0+1+1+421 = 423,
    0+7+0+4 = 11."""
    tokens = _row(spec2019, "80028532861011421423070411")
    groups = [
        ((1, g + 4), (-1, g), (-1, g + 1), (-1, g + 2), (-1, g + 3)) for g in (0, 5, 10)
    ]

    found = row_solutions(tokens, [INT] * 15, groups)

    assert found is not None
    assert [tuple(_values(r)) for r in found] == [
        (8, 0, 0, 2853, 2861, 0, 1, 1, 421, 423, 0, 7, 0, 4, 11)
    ]


@given(
    st.lists(
        st.lists(st.integers(1, 4), min_size=0, max_size=3),
        min_size=0,
        max_size=6,
    ),
    st.integers(0, 12),
)
def test_sequences_are_the_fitting_choices_in_product_order(
    lengths: list[list[int]], n: int
) -> None:
    """`segment._product` (built breadth first, pruned as it goes) lists
    every choice of one option per token that fits ``n`` columns, in the
    order of `itertools.product`, as the plain filter of it does."""
    options = [
        [[(k, str(o), "whole")] * size for o, size in enumerate(sizes)]
        for k, sizes in enumerate(lengths)
    ]
    expected = [
        [number for choice in combo for number in choice] for combo in product(*options)
    ]
    expected = [sequence for sequence in expected if len(sequence) <= n]
    assert _product(options, n) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "text",
    ["2796\n3\n2799", "633741\n5\n633746", "000000\n0", "1.5\n20\n3", "*\n405\n06"],
)
@pytest.mark.parametrize("width", [2, 4, 7])
def test_one_type_placements_are_the_general_ones(
    spec2019: Spec, text: str, width: int
) -> None:
    """`segment._one_type_placements` (a pick in C per placement) lists, for
    columns of one type, what `_placements` lists sequence by sequence."""
    tokens = _row(spec2019, text)
    values = [i for i, t in enumerate(tokens) if t.kind.value == "value"]
    listed = 0
    for types in ([INT] * width, [ValueType.DECIMAL] * width):
        sequences = list(_sequences(tokens, values, width))
        general = [
            reading
            for sequence in sequences
            for reading in _placements(tokens, sequence, types, {})
        ]
        assert _one_type_placements(tokens, sequences, types, {}) == general
        listed += len(general)
    assert listed or width < 7  # seven columns take every row: readings compared
