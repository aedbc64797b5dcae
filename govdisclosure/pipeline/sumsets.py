"""Which readings of each row of one equation some choice of the other rows completes.

An equation ``Σ rows + constant == 0`` narrows its rows: a row keeps the
readings *v* for which the other rows have readings summing to ``-v -
constant``. Each row's readings are given as their shares of the sum
(`narrow._contribution`). The answer is exact: a reading is dropped only if
no choice of the others completes it.

Three engines give the same answer (`tests/unit/test_sumsets.py` holds
them to brute force and to each other); `_possible` picks one by its work:

* **sets** of the partial sums, from the front and from the back, so that
  each row is tested against the sums of all the rows but itself. Partial
  sums that the rest cannot bring back to 0 (outside the range of their
  sums) are left out as they are built. Any numbers, money included;
  gives up past `MAX_SUMSET` sums (the equation then narrows nothing).
* **bits**: the same partial sums as the bits of one Python integer, for
  counts (integers) whose sums span at most `MAX_SPAN`. Adding a row is a
  shift and an or per reading, done in C over the whole set at once:
  twenty rows of a few readings each, whose sums number tens of thousands
  (a line-per-cell report with blanks for zeros, a glued table), take
  milliseconds instead of hundreds. It never gives up.
* **counted**: the sets engine's sums for counts spanning more than
  `MAX_SPAN`, held as sets while few and as bits once many, counted so that
  it gives up exactly where the sets engine does, only sooner.

Every engine keeps the partial sums before row *i* within
``_windows(ranges)[0][i]`` and those from row *i* on within
``_windows(ranges)[1][i]``: the sums the rest can still bring back to 0.
The bits of a side start at its window's low end (`_Bits`): an integer as
wide as the window, which is most often far narrower than the span (a
7-figure total over rows whose other readings are small).
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Final, NamedTuple

__all__ = ["MAX_SPAN", "MAX_SUMSET", "UNSATISFIABLE", "kept_readings"]

_Number = int | Decimal

#: Partial sums kept in one set before an equation is given up (sets engine).
MAX_SUMSET: Final = 50_000
#: The widest range of sums (max − min) the bits engine takes: 2 Mi bits,
#: 256 KiB an integer, a few dozen alive at once.
MAX_SPAN: Final = 1 << 21

#: The widest range of sums `_by_counted` holds as bits past `_switch` sums
#: (wider: the sets engine alone): 8 Mi bits, 1 MiB an integer.
MAX_COUNTED_SPAN: Final = 1 << 23

UNSATISFIABLE: Final = "unsatisfiable"

#: `_ranges`: the lows and highs of the partial sums, from the front and the back.
_Ranges = tuple[list[_Number], ...]


def kept_readings(
    contributions: Sequence[Sequence[_Number]], constant: _Number
) -> list[list[int]] | str | None:
    """For each row, the indexes of the readings some choice of the others completes.

    ``contributions[i][k]`` is reading *k* of row *i*'s share of the sum.
    None when the sums are too many to search; `UNSATISFIABLE` when a row
    keeps nothing (the numbers disagree: report, don't bend).
    """
    if all(len(c) == 1 for c in contributions):
        # nothing left to choose, but the equation must still hold
        total = sum(c[0] for c in contributions) + constant
        return [[0] for _ in contributions] if total == 0 else UNSATISFIABLE
    if len(contributions) == 1:
        return _one_row(contributions[0], constant)
    sets = [set(c) for c in contributions]
    possible = _possible(sets, constant)
    if possible is None:
        return None
    keep: list[list[int]] = []
    for row_values, distinct, values in zip(contributions, sets, possible, strict=True):
        if len(values) == len(distinct):  # every value kept: every reading is
            keep.append(list(range(len(row_values))))
            continue
        keep.append([k for k, v in enumerate(row_values) if v in values])
        if not keep[-1]:
            return UNSATISFIABLE
    return keep


def _one_row(values: Sequence[_Number], constant: _Number) -> list[list[int]] | str:
    """`kept_readings` of an equation over one row (a total's own sum): the
    readings whose share is minus the constant.

    What every engine gives there (no other row: the sums before it are the
    constant, those after it 0, never more than the row's values, so none
    gives up), without building them: it is asked for each of a row's
    thousands of readings before any equation over several rows.
    """
    keep = [k for k, v in enumerate(values) if v + constant == 0]
    return [keep] if keep else UNSATISFIABLE


def _possible(sets: list[set[_Number]], constant: _Number) -> list[set[_Number]] | None:
    """Each row's values that the others complete: the bits engine for counts
    whose sums span at most `MAX_SPAN` (it never gives up), the sets engine
    otherwise (money; wider sums, given up past `MAX_SUMSET`: where they
    are counts, by `_by_counted`, which gives the same answer sooner).

    Where the sets engine surely cannot give up (the sums it would hold
    number at most `MAX_SUMSET` whatever they are), both give the exact
    answer, and the one with less work is used: a row of hundreds of
    readings alone in its equation is a few hundred sums for the sets, but
    hundreds of shifts of an integer two million bits wide for the bits.
    The bits' work is then that of their widest window (`_widest`), which
    may be far narrower than the span, and at most `MAX_SPAN` wide.
    """
    if not _counts(sets, constant):
        return _by_sets(sets, constant)
    ranges = _ranges(sets, constant)
    span = _span(ranges)
    windows = _windows(ranges)  # the engines' own are built again, as they need them
    by_sets, safe = _sets_work(sets, windows)
    if span <= MAX_SPAN and not safe:
        return _by_bits(sets, constant, ranges)  # the bits engine never gives up
    if safe:  # both exact: the one with less work
        width = _widest(windows)
        by_bits = 3 * sum(len(s) for s in sets) * (4 + width // 1_000)
        if width <= MAX_SPAN and by_bits < by_sets:
            return _by_bits(sets, constant, ranges)
        return _by_sets(sets, constant, ranges)
    if span > MAX_COUNTED_SPAN:
        return _by_sets(sets, constant, ranges)
    return _by_counted(sets, constant, ranges)


def _counts(sets: list[set[_Number]], constant: _Number) -> bool:
    """Whether the equation holds integers only (counts; money is Decimal)."""
    return isinstance(constant, int) and all(
        isinstance(v, int) for s in sets for v in s
    )


def _widest(windows: tuple[list[_Window], list[_Window]]) -> int:
    """The widest of the windows partial sums are kept in (`_windows`): the
    width of the bits engine's integers, at most the span."""
    forward, backward = windows
    return int(max(hi - lo for lo, hi in (*forward, *backward)))


def _span(ranges: _Ranges) -> int:
    """The widest range of partial sums, from the front or from the back."""
    head_low, head_high, rest_low, rest_high = ranges
    return int(max(max(head_high) - min(head_low), max(rest_high) - min(rest_low)))


def _sets_work(
    sets: list[set[_Number]], windows: tuple[list[_Window], list[_Window]]
) -> tuple[int, bool]:
    """The work of the sets engine (sums built and looked up, at most as many as
    it keeps before giving up), and whether it surely cannot give up.

    A set of partial sums holds at most the product of the rows' counts of
    values so far, and at most one sum per integer of the range it is kept in.
    The bits engine costs three operations on a ``span``-bit integer per value
    (`_possible`): measured, one costs about as much as a sum put in a set
    per thousand bits, and a few at the least.
    """
    n = len(sets)
    cap = MAX_SUMSET + 1
    forward, backward = windows
    prefix = [1]
    for values, (low, high) in zip(sets, forward, strict=True):
        width = int(high - low)
        prefix.append(max(0, min(prefix[-1] * len(values), width + 1, cap)))
    suffix = [1]
    for i in range(n - 1, -1, -1):
        low, high = backward[i]
        width = int(high - low)
        suffix.append(max(0, min(suffix[-1] * len(sets[i]), width + 1, cap)))
    suffix.reverse()
    safe = max(*prefix, *suffix) < cap and all(
        prefix[i] * suffix[i + 1] <= MAX_SUMSET * 4 for i in range(n)
    )
    work = sum(
        (prefix[i] + suffix[i + 1] + min(prefix[i], suffix[i + 1])) * len(values)
        for i, values in enumerate(sets)
    )
    return work, safe


# --- sets ----------------------------------------------------------------------


def _by_sets(
    sets: list[set[_Number]], constant: _Number, ranges: _Ranges | None = None
) -> list[set[_Number]] | None:
    """Each row's values that the others complete, by sets of partial sums
    (``ranges``: `_ranges` of them, where already computed)."""
    sides = _leave_one_out(sets, constant, ranges or _ranges(sets, constant))
    if sides is None:
        return None
    prefix, suffix = sides
    out = []
    for i, values in enumerate(sets):
        possible = _completable(values, prefix[i], suffix[i + 1])
        if possible is None:
            return None
        out.append(possible)
    return out


def _ranges(
    sets: list[set[_Number]], constant: _Number
) -> tuple[list[_Number], list[_Number], list[_Number], list[_Number]]:
    """The ranges of partial sums: of the constant with rows before *i*
    (``head_low[i]``, ``head_high[i]``) and of rows *i* on (``rest_low[i]``, ``rest_high[i]``)."""
    n = len(sets)
    lows = [min(s) for s in sets]
    highs = [max(s) for s in sets]
    rest_low: list[_Number] = [0] * (n + 1)
    rest_high: list[_Number] = [0] * (n + 1)
    for i in range(n - 1, -1, -1):
        rest_low[i] = rest_low[i + 1] + lows[i]
        rest_high[i] = rest_high[i + 1] + highs[i]
    head_low: list[_Number] = [constant]
    head_high: list[_Number] = [constant]
    for i in range(n):
        head_low.append(head_low[-1] + lows[i])
        head_high.append(head_high[-1] + highs[i])
    return head_low, head_high, rest_low, rest_high


_Window = tuple[_Number, _Number]


def _windows(
    ranges: _Ranges,
) -> tuple[list[_Window], list[_Window]]:
    """Where partial sums are kept: ``forward[i]`` for the constant with the rows
    up to *i* (a prefix), ``backward[i]`` for the rows from *i* on (a suffix).

    A partial sum outside the range the other rows can bring back to 0 is
    completed by no choice; one outside its own range is never built, so
    the window is the meet of the two.
    """
    head_low, head_high, rest_low, rest_high = ranges
    # each bound the greater (or lesser) of two, as max/min give it (the
    # first where they are equal), compared inline rather than by a call:
    # an equation's windows are built at each of its evaluations
    forward = [
        (b if b > a else a, d if d < c else c)
        for a, b, c, d in zip(
            [-x for x in rest_high[1:]],
            head_low[1:],
            [-x for x in rest_low[1:]],
            head_high[1:],
            strict=True,
        )
    ]
    backward = [
        (b if b > a else a, d if d < c else c)
        for a, b, c, d in zip(
            [-x for x in head_high[:-1]],
            rest_low[:-1],
            [-x for x in head_low[:-1]],
            rest_high[:-1],
            strict=True,
        )
    ]
    return forward, backward


def _leave_one_out(
    sets: list[set[_Number]], constant: _Number, ranges: _Ranges
) -> tuple[list[set[_Number]], list[set[_Number]]] | None:
    """Leave-one-out sumsets: ``prefix[i]`` sums the rows before *i* (with the
    constant), ``suffix[i]`` the rows from *i* on; None past `MAX_SUMSET`.

    A partial sum that the other rows cannot bring back to 0 (it lies
    outside the range of their sums) is left out as it is built: no choice
    completes it, so no row's value is kept through it, and leaving it out
    changes no answer, only how large the sets grow.
    """
    forward, backward = _windows(ranges)
    prefix: list[set[_Number]] = [{constant}]
    for s, (lo, hi) in zip(sets, forward, strict=True):
        nxt = {a + b for a in prefix[-1] for b in s if lo <= a + b <= hi}
        if len(nxt) > MAX_SUMSET:
            return None
        prefix.append(nxt)
    suffix: list[set[_Number]] = [{0}]
    for i in range(len(sets) - 1, -1, -1):
        lo, hi = backward[i]
        nxt = {a + b for a in suffix[-1] for b in sets[i] if lo <= a + b <= hi}
        if len(nxt) > MAX_SUMSET:
            return None
        suffix.append(nxt)
    suffix.reverse()
    return prefix, suffix


def _completable(
    values: set[_Number], before: set[_Number], after: set[_Number]
) -> set[_Number] | None:
    """The values ``v`` of a row for which some ``a + b == -v`` (a before it, b after).

    None when the sums are too many to search. Looks ``-v - a`` up in the
    larger set instead of building the sumset of both: a row has few values.
    """
    if len(before) * len(after) > MAX_SUMSET * 4:
        return None
    small, large = (before, after) if len(before) <= len(after) else (after, before)
    return {v for v in values if any(-v - a in large for a in small)}


# --- bits ----------------------------------------------------------------------


class _Bits(NamedTuple):
    """Partial sums as the bits of one integer: bit ``k`` is the number
    ``base + k``, a sum ``a`` before a row as itself, a sum ``s`` of the rows
    from a row on negated (``-s``), so that ``a + v + s == 0`` reads as the
    same number on both sides once ``v`` is added to ``a``.

    The base is the low end of the window the sums are kept in (`_windows`):
    the integer is only as wide as the window, which is most often far
    narrower than the span of all the sums (a 7-figure total over rows whose
    other readings are small).
    """

    bits: int
    base: int


def _step(side: _Bits, values: Sequence[int], low: int, high: int) -> _Bits:
    """``side`` plus each of ``values``, kept within ``low``..``high`` (inclusive)."""
    if high < low:
        return _Bits(0, low)
    width = high - low + 1
    bits = 0
    for v in values:
        by = side.base + v - low
        if by >= width:
            continue  # every sum lands past the window
        bits |= side.bits << by if by >= 0 else side.bits >> -by
    if bits.bit_length() <= width:  # none past the window's high end
        return _Bits(bits, low)  # (masking copies an integer as wide)
    return _Bits(bits & ((1 << width) - 1), low)


def _meets(head: _Bits, rest: _Bits, value: int) -> bool:
    """Whether some ``a`` of ``head`` plus ``value`` is some ``-s`` of ``rest``."""
    by = head.base + value - rest.base
    if by >= rest.bits.bit_length():
        return False  # every sum lands past the other side's
    shifted = head.bits << by if by >= 0 else head.bits >> -by
    return bool(shifted & rest.bits)


def _int_windows(
    ranges: _Ranges,
) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """`_windows` as the bits hold them: forward as they are, backward negated."""
    forward, backward = _windows(ranges)
    return (
        [(int(lo), int(hi)) for lo, hi in forward],
        [(-int(hi), -int(lo)) for lo, hi in backward],
    )


def _by_bits(
    sets: list[set[_Number]], constant: _Number, ranges: _Ranges | None = None
) -> list[set[_Number]]:
    """Each row's values that the others complete, by partial sums held as bits.

    The sums before row *i* (with the constant) are ``prefix[i]``, those of
    the rows from *i* on ``suffix[i]``, negated (`_Bits`), each kept within
    its window: partial sums outside the range the rest can bring back to 0
    are never held, as in the sets engine.
    """
    ints = [sorted(int(v) for v in s) for s in sets]
    forward, backward = _int_windows(ranges or _ranges(sets, constant))
    prefix = [_Bits(1, int(constant))]
    for values, (low, high) in zip(ints, forward, strict=True):
        prefix.append(_step(prefix[-1], values, low, high))
    suffix = [_Bits(1, 0)]
    for i in range(len(ints) - 1, -1, -1):
        low, high = backward[i]
        suffix.append(_step(suffix[-1], [-v for v in ints[i]], low, high))
    suffix.reverse()
    return [
        {v for v in values if _meets(prefix[i], suffix[i + 1], v)}
        for i, values in enumerate(ints)
    ]


# --- sets, counted by bits past their size -------------------------------------

#: One side of the partial sums: a set (of the sums themselves), or `_Bits`.
_Side = list[set[_Number] | _Bits]


def _by_counted(
    sets: list[set[_Number]], constant: _Number, ranges: _Ranges
) -> list[set[_Number]] | None:
    """`_by_sets`' answer for counts whose sums span more than `MAX_SPAN`.

    The sets engine gives up there past `MAX_SUMSET` sums; sets of tens of
    thousands of sums, built only to be given up, take a tenth of a second.
    The same partial sums (the same prune by range) are held as sets while
    they are few, and as bits (`_Bits`) once they are more than `_switch`
    says; the sums a side holds are counted either way (a set's size, an
    integer's bits set), so it gives up exactly where the sets engine would
    (`_counted_sides`), and otherwise gives its exact answer.
    """
    sides = _counted_sides(sets, int(constant), _int_windows(ranges))
    if sides is None:
        return None
    prefix, suffix = sides
    out: list[set[_Number]] = []
    for i, values in enumerate(sets):
        head, rest = prefix[i], suffix[i + 1]
        if isinstance(head, set) and isinstance(rest, set):
            out.append(_completable(values, head, rest) or set())
            continue
        head = head if isinstance(head, _Bits) else _as_bits(head, 1)
        rest = rest if isinstance(rest, _Bits) else _as_bits(rest, -1)
        out.append({v for v in values if _meets(head, rest, int(v))})
    return out


def _switch(width: int) -> int:
    """The sums past which a side is held as bits: where one shift of a
    ``width``-bit integer costs less than putting that many sums in a set
    (measured: about one sum per two thousand bits)."""
    return max(width // 2_000, 64)


def _counted_sides(
    sets: list[set[_Number]],
    start: int,
    bounds: tuple[list[tuple[int, int]], list[tuple[int, int]]],
) -> tuple[_Side, _Side] | None:
    """The partial sums before each row (from ``start``) and from each row on,
    each kept within its row's ``bounds`` (`_int_windows`: forward, and
    backward negated); None where the sets engine gives up.

    It gives up where a side holds more than `MAX_SUMSET` sums, or where the
    sums before row *i* times those after it pass ``MAX_SUMSET * 4``
    (`_completable`): the answer is None whichever is found first, so both
    sides are built a row at a time from either end, each size checked
    against the other side's where it is known. A side of tens of thousands
    of sums is then most often given up before it is built: the side from
    the other end, small there, has met it.
    """
    n = len(sets)
    prefix: _Side = [{start}] * (n + 1)  # placeholders, each built below
    suffix: _Side = [{0}] * (n + 1)
    before: list[int | None] = [1, *([None] * n)]
    after: list[int | None] = [*([None] * n), 1]
    for t in range(n):
        prefix[t + 1], size = _counted_step(prefix[t], sets[t], bounds[0][t], 1)
        before[t + 1] = size
        if _too_many(size, after[t + 2] if t + 2 <= n else None):
            return None
        j = n - 1 - t
        suffix[j], size = _counted_step(suffix[j + 1], sets[j], bounds[1][j], -1)
        after[j] = size
        if _too_many(size, before[j - 1] if j >= 1 else None):
            return None
    return prefix, suffix


def _too_many(size: int, other: int | None) -> bool:
    """Whether the sets engine gives up on a side of ``size`` sums, met by
    ``other`` sums on the other side of a row (None: not built yet)."""
    return size > MAX_SUMSET or (other is not None and size * other > MAX_SUMSET * 4)


def _counted_step(
    last: set[_Number] | _Bits, values: set[_Number], bound: tuple[int, int], sign: int
) -> tuple[set[_Number] | _Bits, int]:
    """The partial sums ``last`` plus each of a row's ``values``, kept within
    ``bound``, and how many they are: a set up to `_switch` sums, bits past.

    ``sign`` 1 for sums before a row, -1 for sums from a row on: ``bound``
    is the window of ``sign·sum`` (`_Bits`' number), as `_int_windows` gives.
    """
    low, high = bound
    if isinstance(last, set):
        lo, hi = (low, high) if sign == 1 else (-high, -low)
        nxt = {a + b for a in last for b in values if lo <= a + b <= hi}
        size = len(nxt)
        return (_as_bits(nxt, sign) if size > _switch(high - low) else nxt), size
    window = _step(last, [sign * int(v) for v in values], low, high)
    return window, window.bits.bit_count()


def _as_bits(sums: set[_Number], sign: int) -> _Bits:
    """``sums`` as bits of ``sign·sum`` (built in a byte array, one pass:
    or-ing each bit into a wide integer would copy it each time)."""
    places = [sign * int(x) for x in sums]
    if not places:
        return _Bits(0, 0)
    base = min(places)
    buffer = bytearray((max(places) - base) // 8 + 1)
    for place in places:
        place -= base
        buffer[place >> 3] |= 1 << (place & 7)
    return _Bits(int.from_bytes(buffer, "little"), base)
