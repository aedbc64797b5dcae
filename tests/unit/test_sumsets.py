"""The sumsets that narrow one equation's rows (`sumsets.kept_readings`)."""

from __future__ import annotations

import itertools
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from govdisclosure.pipeline import sumsets
from govdisclosure.pipeline.sumsets import (
    MAX_SPAN,
    MAX_SUMSET,
    UNSATISFIABLE,
    _by_bits,
    _by_sets,
    kept_readings,
)


def _brute(contributions: list[list[int]], constant: int) -> list[list[int]]:
    """Each row's readings that some choice of the other rows completes to 0."""
    keep: list[set[int]] = [set() for _ in contributions]
    for choice in itertools.product(*(range(len(c)) for c in contributions)):
        if (
            sum(c[k] for c, k in zip(contributions, choice, strict=True)) + constant
            == 0
        ):
            for i, k in enumerate(choice):
                keep[i].add(k)
    return [sorted(k) for k in keep]


def test_sums_no_row_can_complete_are_not_searched() -> None:
    """Nine rows of 16 readings each, their total printed once (12).

    Without leaving out the partial sums that cannot come back to 12 (all
    counts are non-negative), the rows' sums number far more than
    `MAX_SUMSET` and the equation narrowed nothing; the readings over 12 are
    impossible and are dropped.
    """
    rows = [
        [*range(4), *(1_000 * (i + 1) + 37 * k for k in range(12))] for i in range(9)
    ]
    assert 16**4 > MAX_SUMSET  # the unpruned sums of just four rows pass the bound
    keep = kept_readings([*rows, [-12]], 0)
    assert keep == [[0, 1, 2, 3]] * 9 + [[0]]
    sets: list[set[int | Decimal]] = [set(r) for r in [*rows, [-12]]]
    assert _by_sets(sets, 0) == [{0, 1, 2, 3}] * 9 + [{-12}]


def test_kept_readings_match_every_choice() -> None:
    """On small equations the pruned sumsets keep exactly what brute force keeps."""
    cases = [
        ([[0, 5, 9], [1, 2], [-3, -8, -12]], 0),
        ([[0, 1], [7, 30], [2, 4, 6]], -11),
        ([[0, 10, 20], [0, 1, 100], [5, 50]], -60),
        ([[3], [4, 5], [-1, -2, -9]], -3),
    ]
    for contributions, constant in cases:
        expected = _brute(contributions, constant)
        got = kept_readings(contributions, constant)
        assert got == (expected if all(expected) else UNSATISFIABLE), contributions


@given(
    st.lists(
        st.lists(st.integers(-60, 200), min_size=1, max_size=5),
        min_size=1,
        max_size=6,
    ),
    st.integers(-400, 400),
)
def test_both_engines_keep_what_brute_force_keeps(
    contributions: list[list[int]], constant: int
) -> None:
    """The bits and the sets engines agree with every choice tried in turn."""
    expected = [
        {contributions[i][k] for k in kept}
        for i, kept in enumerate(_brute(contributions, constant))
    ]
    sets: list[set[int | Decimal]] = [set(c) for c in contributions]
    assert _by_sets(sets, constant) == expected
    assert _by_bits(sets, constant) == expected


def _engine(
    monkeypatch: pytest.MonkeyPatch, contributions: list[list[int | Decimal]]
) -> str:
    """Which engine `kept_readings` answers ``contributions`` with."""
    used: list[str] = []

    def spy(name: str, engine):  # type: ignore[no-untyped-def]
        def run(*args):  # type: ignore[no-untyped-def]
            used.append(name)
            return engine(*args)

        return run

    monkeypatch.setattr(sumsets, "_by_bits", spy("bits", _by_bits))
    monkeypatch.setattr(sumsets, "_by_sets", spy("sets", _by_sets))
    kept_readings(contributions, 0)
    return used[0] if used else "none"


def test_the_bits_engine_takes_counts_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """Money (Decimal) and sums kept in windows wider than `MAX_SPAN` go to
    the sets engine. Sums that span more, but are kept in a narrow window
    (the far reading is completed by no choice), take the bits where both
    engines give the answer: the bits are only as wide as the window."""
    many: list[list[int | Decimal]] = [list(range(9)) for _ in range(5)]
    assert _engine(monkeypatch, [*many, [-20]]) == "bits"
    assert _engine(monkeypatch, [*many, [Decimal("1.5"), Decimal(-20)]]) == "sets"
    wide = [[0, MAX_SPAN + 1], [0, -MAX_SPAN - 1]]
    assert _engine(monkeypatch, [*many, *wide]) == "sets"
    assert _engine(monkeypatch, [*many, [0, -MAX_SPAN]]) == "bits"
    assert kept_readings([*many, [0, -MAX_SPAN]], 0) == [[0]] * 5 + [[0]]


def test_the_cheaper_engine_where_both_give_the_answer(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A row of hundreds of readings beside a row of two is a few hundred sums:
    the sets engine cannot give up, and answers sooner than hundreds of shifts
    of a wide integer would; the same answer. Alone in its equation, it
    takes no engine (`sumsets._one_row`)."""
    many: list[int | Decimal] = [*range(0, 1_500_000, 2_500), -7_500]
    assert _engine(monkeypatch, [many, [0, -7_500]]) == "sets"
    assert kept_readings([many, [0, -7_500]], 0) == [[0, 3], [0, 1]]
    assert _engine(monkeypatch, [many]) == "none"
    assert kept_readings([many], -7_500) == [[3]]
    assert kept_readings([[0, 1], [0, 1]], -1) == [[0, 1], [0, 1]]


@given(
    st.lists(
        st.lists(st.integers(-3_000, 3_000_000), min_size=1, max_size=4),
        min_size=1,
        max_size=7,
    ),
    st.integers(-6_000_000, 6_000_000),
    st.sampled_from([2, 8, 10_000]),
    st.sampled_from([6, 40, MAX_SUMSET]),
)
def test_counted_sets_give_what_the_sets_engine_gives(
    contributions: list[list[int]], constant: int, switch: int, limit: int
) -> None:
    """Past `MAX_SPAN`, `_by_counted` holds the sets engine's sums as sets or as
    bits: the same answer, and None exactly where that engine gives up (a
    small `MAX_SUMSET` makes it give up often)."""
    sets: list[set[int | Decimal]] = [set(c) for c in contributions]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(sumsets, "MAX_SUMSET", limit)
        patch.setattr(sumsets, "_switch", lambda span: switch)
        ranges = sumsets._ranges(sets, constant)
        counted = sumsets._by_counted(sets, constant, ranges)
        assert counted == _by_sets(sets, constant)


def test_sums_past_the_span_given_up_sooner() -> None:
    """Twenty rows of three counts, summing to a million: their sums span more
    than `MAX_SPAN` and number more than `MAX_SUMSET`, so the equation narrows
    nothing, as the sets engine says; counted as bits past a few thousand."""
    rows: list[list[int | Decimal]] = [
        [0, 7 * i + 1, 150_000 + 13 * i] for i in range(20)
    ]
    sets = [set(r) for r in rows]
    assert sumsets._span(sumsets._ranges(sets, -1_000_000)) > MAX_SPAN
    assert _by_sets(sets, -1_000_000) is None
    assert kept_readings(rows, -1_000_000) is None


def test_sides_given_up_where_they_meet() -> None:
    """Sixteen rows of 0 or a power of two (each twice): each side holds at
    most 256 sums, under `MAX_SUMSET` (600 here), but the sums before the
    middle row times those after it pass what `_completable` searches.
    `_by_counted` gives up, as the sets engine does, once the sides built
    from either end meet there: half the rows from each end, not all twice."""
    rows: list[list[int | Decimal]] = [[0, 1_000 * 2 ** (i % 8)] for i in range(16)]
    sets = [set(r) for r in rows]
    steps: list[int] = []
    step = sumsets._counted_step

    def counted(*args: object) -> tuple[set[int | Decimal] | sumsets._Bits, int]:
        steps.append(1)
        return step(*args)  # type: ignore[arg-type]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(sumsets, "MAX_SUMSET", 600)
        patch.setattr(sumsets, "_counted_step", counted)
        ranges = sumsets._ranges(sets, -255_000)
        assert sumsets._by_counted(sets, -255_000, ranges) is None
        assert _by_sets(sets, -255_000) is None
    assert len(steps) <= len(rows)


def test_bits_are_kept_as_wide_as_their_window() -> None:
    """A 7-figure total over rows of small readings: the sums span millions,
    but the window they are kept in is as wide as the small readings."""
    rows: list[list[int | Decimal]] = [[0, 1, 2, 3] for _ in range(8)]
    sets = [set(r) for r in [*rows, [-1_000_007]]]
    ranges = sumsets._ranges(sets, 1_000_000)
    assert sumsets._span(ranges) > 1_000_000
    step = sumsets._step(
        sumsets._Bits(1, 1_000_000), [0, 1, 2, 3], 1_000_000, 1_000_003
    )
    assert step == sumsets._Bits(0b1111, 1_000_000)
    assert _by_bits(sets, 1_000_000) == [{0, 1, 2, 3}] * 8 + [{-1_000_007}]
