"""The fast paths of narrowing (issue 18, aligned reports) give what the general ones do.

Each fast path is a named helper, checked here against the plain code it
stands for, so that a speed change can never change what a cell reads.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import govdisclosure
from govdisclosure.pipeline import narrow
from govdisclosure.pipeline.narrow import (
    _contribution,
    _narrow_one,
    _sums_of_terms,
)
from govdisclosure.pipeline.rows import RowDraft
from govdisclosure.pipeline.segment import (
    BLANK,
    GAP,
    LOST,
    MISSING,
    Blank,
    Piece,
    Slot,
    Unread,
)
from govdisclosure.pipeline.sumsets import (
    UNSATISFIABLE,
    _Bits,
    _by_sets,
    _one_row,
    _ranges,
    _step,
    _windows,
    kept_readings,
)
from govdisclosure.spec.expr import Instance
from govdisclosure.spec.registry import Registry
from govdisclosure.testing import fill
from govdisclosure.testing.render import FilledReport, Layout, render


@settings(max_examples=300)
@given(st.lists(st.integers(-30, 30), min_size=2, max_size=12), st.integers(-30, 30))
def test_one_row_equals_the_sets_engine(values: list[int], constant: int) -> None:
    """An equation over one row keeps what the sets engine keeps of it."""
    possible = _by_sets([set(values)], constant)
    assert possible is not None
    (kept,) = possible
    plain = [k for k, v in enumerate(values) if v in kept]
    assert _one_row(values, constant) == ([plain] if plain else UNSATISFIABLE)
    assert kept_readings([values], constant) == _one_row(values, constant)


def _step_plain(side: _Bits, values: Sequence[int], low: int, high: int) -> _Bits:
    """`sumsets._step` as first written: always masked to the window."""
    if high < low:
        return _Bits(0, low)
    width = high - low + 1
    bits = 0
    for v in values:
        by = side.base + v - low
        if by >= width:
            continue
        bits |= side.bits << by if by >= 0 else side.bits >> -by
    return _Bits(bits & ((1 << width) - 1), low)


@settings(max_examples=400)
@given(
    st.integers(0, 1 << 40),
    st.integers(-50, 50),
    st.lists(st.integers(-60, 60), max_size=5),
    st.integers(-80, 80),
    st.integers(0, 90),
)
def test_step_equals_the_masked_step(
    bits: int, base: int, values: list[int], low: int, width: int
) -> None:
    """Left unmasked only where nothing passes the window's high end."""
    side = _Bits(bits, base)
    assert _step(side, values, low, low + width) == _step_plain(
        side, values, low, low + width
    )


_SLOTS: list[Slot] = [
    BLANK,
    Blank(3),
    MISSING,
    GAP,
    LOST,
    Unread(2, "*", "the cell holds no number"),
    Piece(0, "7", 7, None),
    Piece(1, "12", 12, None, True),
    Piece(4, "3.5", Decimal("3.5"), None),
    Piece(5, "x", None, None),
]


@settings(max_examples=300)
@given(
    st.lists(st.tuples(*[st.sampled_from(_SLOTS)] * 4), max_size=8),
    st.lists(st.tuples(st.sampled_from([1, -1, 2]), st.integers(0, 3)), min_size=2),
)
def test_sums_of_terms_equal_each_contribution(
    readings: list[tuple[Slot, ...]], terms: list[tuple[int, int]]
) -> None:
    """Each reading's share summed in one loop, empty cells passed over first:
    what `_contribution` gives it, and None where one has a term's cell missing."""
    known = [_contribution(r, terms) for r in readings]
    assert _sums_of_terms(readings, terms) == (None if None in known else known)


def _windows_plain(
    sets: list[set[int | Decimal]], constant: int | Decimal
) -> tuple[list[tuple[object, object]], list[tuple[object, object]]]:
    """`sumsets._windows` as first written, by max and min."""
    head_low, head_high, rest_low, rest_high = _ranges(sets, constant)
    n = len(sets)
    forward = [
        (
            max(-rest_high[i + 1], head_low[i + 1]),
            min(-rest_low[i + 1], head_high[i + 1]),
        )
        for i in range(n)
    ]
    backward = [
        (max(-head_high[i], rest_low[i]), min(-head_low[i], rest_high[i]))
        for i in range(n)
    ]
    return forward, backward


_AMOUNTS = st.integers(-50, 50) | st.decimals(-50, 50, places=1)


@settings(max_examples=300)
@given(
    st.lists(st.sets(_AMOUNTS, min_size=1, max_size=4), min_size=1, max_size=6),
    _AMOUNTS,
)
def test_windows_equal_max_and_min(
    sets: list[set[int | Decimal]], constant: int | Decimal
) -> None:
    """The same bounds, of the same type and form (``max`` keeps the first of equals)."""
    fast = _windows(_ranges(sets, constant))
    plain = _windows_plain(sets, constant)
    assert [[(repr(a), repr(b)) for a, b in side] for side in fast] == [
        [(repr(a), repr(b)) for a, b in side] for side in plain
    ]


def _narrow_all_plain(
    active: list[Instance], rows: dict[tuple[str, str], RowDraft], settled: int = 0
) -> tuple[Instance | None, bool]:
    """`narrow._narrow_all` without skipping: every equation evaluated on every
    pass (``settled`` ignored: evaluating a settled equation changes nothing)."""
    for _ in range(narrow.MAX_PASSES):
        changed = False
        for inst in active:
            result = _narrow_one(inst, rows)
            if result is UNSATISFIABLE:
                return inst, False
            changed |= bool(result)
        if not changed:
            return None, True
    return None, False


def _reports(layouts: Sequence[str], seed: int) -> list[str]:
    """Generated gov-2019/2021 reports of ``layouts``, several readings per row."""
    rng = random.Random(seed)
    registry = Registry(plugins=False, environment=False)
    texts = []
    for spec in (registry.get("gov-2019"), registry.get("gov-2021")):
        for cells in layouts:
            filled = FilledReport(spec, fill(spec, rng), year=spec.years[0])
            layout = Layout(cells=cells, blank_zero=rng.random() < 0.5)
            texts.append(render(filled, layout, rng))
    return texts


def _dump(report: govdisclosure.Report) -> list[object]:
    return [
        *((c.key, c.status, str(c.value), c.reason) for c in report.cells),
        *(f.code + f.message for f in report.findings),
    ]


@pytest.mark.parametrize("seed", [0, 1])
def test_narrowing_skips_only_equations_that_would_narrow_nothing(
    seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An equation whose rows' shares are those it last saw is not evaluated
    again (`_narrow_all`): every cell, reason and finding is what narrowing
    every equation on every pass gives."""
    texts = _reports(["aligned", "blanklines", "glued"], seed)
    fast = [_dump(govdisclosure.load(t)) for t in texts]
    monkeypatch.setattr(narrow, "_narrow_all", _narrow_all_plain)
    assert [_dump(govdisclosure.load(t)) for t in texts] == fast
