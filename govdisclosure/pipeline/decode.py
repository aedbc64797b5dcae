"""A glued row's tokens + its own equations → exactly the readings they allow.

Strategy. A row whose numbers arrive glued (``一、本年新收…640020470``, or
四's fifteen cells as one run) has too many readings to list, but few that
satisfy the row's own equations (each group's 总计 the sum of its cells).
The readings are the paths of a small graph: filling the columns left to
right, the state is where reading is in the numbers (number ``k``, of which
the digits before ``offset`` are placed) and the running sum of each of the
row's equations not yet closed. Two paths reaching the same state have the
same futures, so a state found to lead to no reading that satisfies the
equations is remembered and never searched again (a memoised depth-first
search: exact, and bounded by the number of states, not of paths).

Compared with the depth-first search it replaced (a plain one that judged
an equation only once its last column was filled, within a step cap),
the memo makes a row whose equation closes at its last column (三's
总计) cheap, and a 四 run of fifteen digits a few thousand states.

Blocks. Where the equations fall in blocks of adjacent columns (四's three
groups: no equation crosses from one to the next), each block is searched
on its own between two places in the digits, and the row's readings are
the chains of blocks' readings meeting at the same places (`_by_blocks`).
Searched whole, a block's total chosen first may be any length (the blocks
after it may be empty), and each length opens thousands of states; between
two known places, two facts about counts cut that down: every cell is at
most the sum still owed, so the cells left cannot cover more digits than
they have columns times its digits; and cells covering a stretch of digits
add up, however it is cut, to its digit sum modulo 9. A row of one block
(三's 总计 ends at the row's end) gets the same two prunes. The 四 rows
that passed 20,000 states searched whole take 2,700–13,000 states.

Needed sums. In a part with one equation (a row of one total, a block of
四), the last `DEPTH` columns, from each place in the digits, can bring
the running sum back to zero from a few hundred sums only: those are listed
once, last column first, with the same choices, domains and equation as the
search (`_RowSearch._needed`), and a state there is live exactly when its sum
is among them. Most states of a glued row are dead ones near its end; known
at once, they are not searched: a 三 total row of 33 digits that took
18,000 states takes 800. Exact: only dead states are skipped, so the
readings found, and their order, are the same.

Work per option. The last columns of a part with one equation are filled
by `_RowSearch._fill_ahead`: each place's options are listed once with what
they add and the sums the next column needs (`_RowSearch._steps`), so an
option costs an addition and a set look-up; a count column's glued parts
are cut by `_count_cuts`. Both are shown equal to the general code (the
same readings, in the same order, after the same states) by
``tests/unit/test_decode_paths.py``.

Cuts in order. A count's cuts are listed shortest first, so their values
grow; where every column after it adds to one equation with one sign, a
cell's larger value leaves less owed and a total's more, with fewer digits
left to make it. Once a cut leaves the cells after it less than nothing
(a cell) or more than the digits left read as one integer (a total), so
does every longer one, and none is tried (`_RowSearch._monotone`): the
same readings in the same order, in fewer states (a 27-digit 三 total
row: 87, trying every cut 191), shown by ``tests/unit/test_decode_paths.py``.

The bounds are explicit: more than `MAX_STATES` states visited,
`MAX_SOLUTIONS` readings kept (over all blocks) or `MAX_DIGITS` digits in
the row raises `DecodeBoundError`, and the caller
leaves the row undecided and says so in a finding. Nothing is cut short
silently.
"""

from __future__ import annotations

from collections.abc import Sequence
from collections.abc import Set as AbstractSet
from decimal import Decimal
from itertools import combinations, repeat
from operator import sub
from typing import Final, cast

from govdisclosure.model import Value
from govdisclosure.pipeline.grid import Token, TokenKind
from govdisclosure.pipeline.segment import (
    BLANK,
    LOST,
    Piece,
    Reading,
    Slot,
    lost_cell_readings,
)
from govdisclosure.pipeline.values import (
    MAX_NUMBER_DIGITS,
    MAX_SPLIT_DIGITS,
    convert,
    valid_part,
)
from govdisclosure.spec.model import ValueType

__all__ = [
    "MAX_DIGITS",
    "MAX_SOLUTIONS",
    "MAX_STATES",
    "Constraint",
    "DecodeBoundError",
    "Domain",
    "row_solutions",
]

#: States visited for one row before giving up (the row is left undecided).
MAX_STATES: Final = 20_000
#: Readings satisfying a row's equations kept for one row before giving up.
MAX_SOLUTIONS: Final = 20_000
#: Digits of a row's numbers, all together, past which it is not searched: the
#: search bounds a run's parts by the run read as one integer, and no number
#: of a table is that long (`values.MAX_NUMBER_DIGITS`).
MAX_DIGITS: Final = MAX_NUMBER_DIGITS

#: One row-local equation: ``Σ coef·column == 0`` as ``(coef, column index)`` pairs.
Constraint = tuple[tuple[int, int], ...]
#: A choice for one column: what it holds, and where reading resumes (k, offset).
_Option = tuple[Slot, int, int]
#: A place in the row's numbers: number k, of which ``offset`` digits are read.
_Place = tuple[int, int]
#: The values a column may take (an empty cell counting as 0); None: any.
Domain = AbstractSet[Value] | None
#: A running sum of counts or amounts.
_Sum = int | Decimal
#: An option of `_RowSearch._steps`: the slot, where reading resumes, what it
#: adds to the part's one equation, and the sums the next column needs.
_Step = tuple[Slot, int, int, "_Sum", "set[_Sum] | None"]
#: Sums kept per place of `_RowSearch._needed` before it leaves the place to
#: the prunes: a place of the last three columns has a few hundred at most.
MAX_NEEDED: Final = 1_000
#: The last columns of a part whose sums `_RowSearch._needed` lists: the
#: states there are most of a search's (nearly all dead), and the sums of
#: three cells cut from twenty digits number a few hundred; four, thousands.
DEPTH: Final = 3


class DecodeBoundError(Exception):
    """A row's search passed `MAX_STATES` states or `MAX_SOLUTIONS` readings."""


def row_solutions(
    tokens: Sequence[Token],
    types: Sequence[ValueType],
    constraints: Sequence[Constraint],
    domains: Sequence[Domain] | None = None,
    *,
    lost: bool = True,
) -> list[Reading] | None:
    """Every reading of the row that places all its numbers and satisfies ``constraints``.

    A row printed apart that may have lost a cell has readings with it lost
    too (`segment.lost_cell_readings`), kept where what is known fits;
    unless ``lost`` is False (the caller drops them: a row of fifteen
    columns and nine numbers has thousands).
    Blank counts as zero, as in `invariants`. ``domains``, when given, are
    the values each column may take (None: any), known from the equations
    through other rows (`narrow`); an empty cell is allowed where 0 is. None
    when the row has more numbers than columns (choosing which to leave out
    is not searched here), or holds an unread cell (a mark: the equations of
    whatever column it takes are unknown, which the running sums cannot say).
    Raises DecodeBoundError past the bounds.
    """
    values = [i for i, t in enumerate(tokens) if t.kind is TokenKind.VALUE]
    if len(values) > len(types) or any(tokens[i].number is None for i in values):
        return None
    numbers = [tokens[i].number for i in values]
    if sum(len(n.digits) for n in numbers if n) > MAX_DIGITS:
        raise DecodeBoundError
    n = len(types)
    constraints = [eq for eq in map(_merged, constraints) if eq]
    allowed: list[Domain] = list(domains) if domains is not None else [None] * n
    kept = [
        r
        for r in (lost_cell_readings(tokens, types) if lost else ())
        if _known_hold(r, constraints, allowed)
    ]
    if (summed := _sum_row(tokens, types, values, constraints, allowed)) is not None:
        return summed + kept
    if not _totals_last(constraints):
        search = _RowSearch(tokens, types, values, constraints, allowed, reverse=False)
        return search.run() + kept
    # fill from the right: the totals are chosen first, and the cells before
    # them must then add up to what is left, which the bound prunes at once
    flipped = [tuple((coef, n - 1 - j) for coef, j in eq) for eq in constraints]
    search = _RowSearch(
        tokens, types[::-1], values[::-1], flipped, allowed[::-1], reverse=True
    )
    return [reading[::-1] for reading in search.run()] + kept


def _sum_row(
    tokens: Sequence[Token],
    types: Sequence[ValueType],
    values: list[int],
    constraints: Sequence[Constraint],
    domains: Sequence[Domain],
) -> list[Reading] | None:
    """The readings of a row whose one equation makes its last column the sum
    of all the others (三's 总计), as `_RowSearch` lists them; None for any
    other row (the search reads it).

    Such a row's cells are numbers cut from its digits, placed in order in
    any of its columns, the others empty (0): which columns take them
    changes no sum. So the cuts are searched without the columns
    (`_SumCuts`), and each cut is placed in every way, as `segment` places
    numbers; the readings are then put in the search's order
    (`_search_order`). The search, filling column by column, meets each cut
    again in every placement of the cells before it: a glued 三 row of 13
    digits took it 60 states and 0.3 ms, its cuts take a third of that.

    Counts only (no sign, no decimal point, no domain: `_counts`): a longer
    cut is then a larger cell, and none is negative. Up to
    `values.MAX_SPLIT_DIGITS` digits (a row `segment` could list): past that,
    as many cuts of a long total are tried as the search visits states, and
    it was no faster (20 rows of 33–41 digits: 38 ms searched, 45 ms cut).
    Bounds of its own: more than `MAX_STATES` states of its cuts (a state
    of the cuts, not of the search's columns, so a row the search would give
    up on may be read, exactly) or `MAX_SOLUTIONS` readings raise
    `DecodeBoundError`.
    """
    n = len(types)
    if len(constraints) != 1 or not _totals_last(constraints):
        return None  # (a row of one cell and its total is searched forward)
    flipped = tuple((coef, n - 1 - j) for coef, j in constraints[0])
    if not _sum_of_rest(flipped, 0, n) or not _counts(tokens, values, types, domains):
        return None
    numbers = [tokens[i].number for i in values]
    if sum(len(x.digits) for x in numbers if x) > MAX_SPLIT_DIGITS:
        return None  # the search's lists of the last columns' sums prune more
    cuts = _SumCuts(tokens, values[::-1])
    found = [reading[::-1] for reading in cuts.block((0, 0), cuts.end, n - 1)]
    if len(found) > MAX_SOLUTIONS:
        raise DecodeBoundError
    return found


def _sum_of_rest(equation: Constraint, lo: int, hi: int) -> bool:
    """Whether ``equation`` says column ``lo`` is the sum of columns ``lo + 1``
    to ``hi - 1``, and names no other."""
    coefs = {column: coef for coef, column in equation}
    total = coefs.get(lo)
    return (
        total in (1, -1)
        and len(coefs) == hi - lo
        and all(coefs.get(j) == -total for j in range(lo + 1, hi))
    )


def _one_sum(constraints: Sequence[Constraint], lo: int, hi: int) -> bool:
    """Whether the equations over columns ``lo`` to ``hi - 1`` are one, which
    makes column ``lo`` the sum of the others (`_sum_of_rest`)."""
    inside = [eq for eq in constraints if any(lo <= j < hi for _, j in eq)]
    return len(inside) == 1 and _sum_of_rest(inside[0], lo, hi)


def _counts(
    tokens: Sequence[Token],
    values: Sequence[int],
    types: Sequence[ValueType],
    domains: Sequence[Domain],
) -> bool:
    """Whether a row is counts only, as `_SumCuts` needs: count columns with
    any value, numbers without a sign or a decimal point."""
    numbers = [tokens[i].number for i in values]
    return (
        all(t is ValueType.INT for t in types)
        and all(d is None for d in domains)
        and not any(x is None or x.sign or "." in x.digits for x in numbers)
    )


def _placed(total: Slot, cells: tuple[Piece, ...], width: int) -> list[Reading]:
    """The total, then the cells in order in every choice of ``width`` columns,
    the others empty (readings in the order `_RowSearch` fills the columns)."""
    placed: list[Reading] = []
    for columns in combinations(range(width), len(cells)):
        slots: list[Slot] = [BLANK] * width
        for column, cell in zip(columns, cells, strict=True):
            slots[column] = cell
        placed.append((total, *slots))
    return placed


def _search_order(reading: Reading) -> tuple[tuple[int, int], ...]:
    """Where `_RowSearch` finds ``reading`` (its columns in the order it fills
    them): it tries each column's options in turn (an empty cell, the number
    whole, then its cuts shortest first), so it finds the readings in the
    order of their options, column by column. Two readings alike up to a
    column are at the same place in the digits there, so their options in
    it are ranked among the same ones.
    """
    return tuple(
        (0, 0)
        if not isinstance(slot, Piece)
        else (2, len(slot.text))
        if slot.part
        else (1, 0)
        for slot in reading
    )


class _SumCuts:
    """The cuts of a row's numbers, read from the right (``values`` in that
    order, as `_RowSearch` reads a row whose totals are last), into a total
    and cells adding up to it (`_sum_row`, `_RowSearch._segment`),
    memoised per place, sum owed, cells left and where they end.

    Counts: a longer cut is a larger number, none negative. Three prunes,
    each exact: cells covering digits add up to their digit sum modulo 9 (a
    number is congruent to its digits' sum); none has more digits than the
    sum owed; and the sums of the last `DEPTH` cells are listed once per
    place (`_sums`, as `_RowSearch._needed` lists a part's last columns'),
    the sum owed looked up among them.
    """

    def __init__(self, tokens: Sequence[Token], values: list[int]) -> None:
        self.tokens, self.values = tokens, values
        self.end: _Place = (len(values), 0)
        self.options: dict[_Place, list[tuple[Piece, _Place, int]]] = {}
        self.known: dict[tuple[_Place, int, int, _Place], list[tuple[Piece, ...]]] = {}
        self.sums: dict[tuple[_Place, int, _Place], set[int] | None] = {}
        self.digits: dict[tuple[_Place, _Place], tuple[int, int]] = {}
        self.visited = 0

    def block(self, start: _Place, stop: _Place, width: int) -> list[Reading]:
        """The readings from ``start`` to ``stop`` of a total followed by
        ``width`` cells adding up to it (an empty total: cells all 0), in the
        order `_RowSearch` finds them."""
        found = [
            placed
            for cells in self.cells(start, 0, width, stop)
            for placed in _placed(BLANK, cells, width)
        ]
        for total, after, value in self.parts(start):
            if after > stop:
                if total.part:
                    break  # a longer cut ends further still
                continue  # the number whole: its cuts may end sooner
            for cells in self.cells(after, value, width, stop):
                found += _placed(total, cells, width)
                if len(found) > MAX_SOLUTIONS:
                    raise DecodeBoundError
        return sorted(found, key=_search_order)

    def parts(self, place: _Place) -> list[tuple[Piece, _Place, int]]:
        """The numbers a cell can take at ``place`` (whole, then cuts shortest
        first), where reading resumes after each, and its value."""
        found = self.options.get(place)
        if found is None:
            options = _column_options(
                self.tokens, self.values, *place, ValueType.INT, reverse=True
            )[1:]  # not the empty cell: the others are counts
            found = [
                (cast(Piece, slot), (k, offset), cast(int, cast(Piece, slot).value))
                for slot, k, offset in options
            ]
            self.options[place] = found
        return found

    def cells(
        self, place: _Place, owed: int, left: int, stop: _Place
    ) -> list[tuple[Piece, ...]]:
        """The cuts from ``place`` to ``stop`` into at most ``left`` cells
        that add up to ``owed``."""
        if place == stop:
            return [()] if owed == 0 else []
        count, residue = self._between(place, stop)
        if left == 0 or (owed - residue) % 9 or count > left * len(str(owed)):
            return []
        sums = self._sums(place, left, stop) if left <= DEPTH else None
        if sums is not None and owed not in sums:
            return []
        key = (place, owed, left, stop)
        found = self.known.get(key)
        if found is not None:
            return found
        self.visited += 1
        if self.visited > MAX_STATES:
            raise DecodeBoundError
        found = []
        for piece, after, value in self.parts(place):
            if value > owed or after > stop:
                if piece.part:
                    break  # a longer cut is larger still, and ends further
                continue  # the number whole: its cuts may still fit
            found += [
                (piece, *rest)
                for rest in self.cells(after, owed - value, left - 1, stop)
            ]
        self.known[key] = found
        return found

    def _sums(self, place: _Place, left: int, stop: _Place) -> set[int] | None:
        """Every sum of at most ``left`` cells cut from ``place`` to ``stop``;
        None past `MAX_NEEDED` of them."""
        key = (place, left, stop)
        if key in self.sums:
            return self.sums[key]
        found: set[int] | None = {0} if place == stop else set()
        if left and place != stop:
            for piece, after, value in self.parts(place):
                if after > stop:
                    if piece.part:
                        break  # a longer cut ends further still
                    continue
                rest = self._sums(after, left - 1, stop)
                if rest is None or found is None:
                    found = None
                    break
                found.update(value + x for x in rest)
                if len(found) > MAX_NEEDED:
                    found = None
                    break
        self.sums[key] = found
        return found

    def _between(self, place: _Place, stop: _Place) -> tuple[int, int]:
        """How many digits lie from ``place`` to ``stop``, and their sum modulo 9."""
        found = self.digits.get((place, stop))
        if found is None:
            _, count, residue = _digits_between(
                self.tokens, self.values, place, stop, reverse=True
            )
            found = self.digits[place, stop] = (count, residue)
        return found


def _digits_between(
    tokens: Sequence[Token],
    values: Sequence[int],
    place: _Place,
    stop: _Place,
    reverse: bool,
) -> tuple[int, int, int]:
    """The digits of the numbers from ``place`` to ``stop`` (``reverse``:
    offsets count from each run's end): as one integer (a decimal point
    dropped; the parts of a run add up to at most the run itself), how many
    they are, and their digit sum modulo 9."""
    total = count = residue = 0
    for m in range(place[0], min(stop[0] + 1, len(values))):
        number = tokens[values[m]].number
        digits = number.digits if number else ""
        size = len(digits)
        begin = place[1] if m == place[0] else 0
        end = stop[1] if m == stop[0] else size
        part = (
            digits[size - end : size - begin] if reverse else digits[begin:end]
        ).replace(".", "")  # offsets count the point: cut, then drop it
        total += int(part or 0)
        count += len(part)
        residue += int(part or 0) % 9
    return total, count, residue % 9


def _known_hold(
    reading: Reading, constraints: Sequence[Constraint], allowed: Sequence[Domain]
) -> bool:
    """Whether a reading with lost cells fits what is known: each number in its
    column's domain, and each equation without a lost cell holding."""
    for slot, domain in zip(reading, allowed, strict=True):
        if isinstance(slot, Piece) and domain is not None and slot.value not in domain:
            return False
    for equation in constraints:
        slots = [(coef, reading[j]) for coef, j in equation]
        if any(s is LOST for _, s in slots):
            continue  # a lost cell's value is unknown: the equation may hold
        total = sum(
            coef * s.value for coef, s in slots if isinstance(s, Piece) and s.value
        )
        if total != 0:
            return False
    return True


def _merged(equation: Constraint) -> Constraint:
    """The equation with one term per column (coefficients added, zeros dropped):
    the search keeps a running sum per equation and adds each column once."""
    coefs: dict[int, int] = {}
    for coef, column in equation:
        coefs[column] = coefs.get(column, 0) + coef
    return tuple((coef, column) for column, coef in coefs.items() if coef)


def _totals_last(constraints: Sequence[Constraint]) -> bool:
    """Whether most equations have their lone term (a total) as their last column."""
    votes = 0
    for equation in constraints:
        for sign in (1, -1):
            lone = [j for coef, j in equation if coef * sign > 0]
            if len(lone) == 1 and len(equation) > 1:
                last = lone[0] == max(j for _, j in equation)
                first = lone[0] == min(j for _, j in equation)
                votes += last - first
    return votes > 0


class _RowSearch:
    """One memoised search (see the module docstring).

    ``terms[j]`` lists, for column ``j``, the ``(equation, coef)`` it adds
    to; ``closing[j]`` the equations whose last column is ``j``, checked
    (running sum zero) once it is filled, then dropped from the state.
    ``reverse``: the columns, the numbers and each run's digits are taken
    from the right (the caller flipped the columns and the numbers).
    ``reach[j]`` is, per equation, the largest positive and negative
    coefficient among the columns from ``j`` on: with counts (no sign), the
    cells still to fill add at most ``reach · R`` to a sum, R being the
    value of the digits left (`_left`), and at least ``-reach · R``.
    """

    def __init__(
        self,
        tokens: Sequence[Token],
        types: Sequence[ValueType],
        values: list[int],
        constraints: Sequence[Constraint],
        domains: Sequence[Domain],
        *,
        reverse: bool,
    ) -> None:
        n = self.n = len(types)
        self.tokens, self.types, self.values = tokens, types, values
        self.reverse = reverse
        self.terms: list[list[tuple[int, int]]] = [[] for _ in range(n)]
        self.closing: list[list[int]] = [[] for _ in range(n)]
        reach = [[(0, 0)] * len(constraints) for _ in range(n + 1)]
        for e, equation in enumerate(constraints):
            for coef, column in equation:
                self.terms[column].append((e, coef))
            self.closing[max(column for _, column in equation)].append(e)
            for j in range(n - 1, -1, -1):
                pos, neg = reach[j + 1][e]
                for f, coef in self.terms[j]:
                    if f == e:
                        pos, neg = max(pos, coef), max(neg, -coef)
                reach[j][e] = (pos, neg)
        self.reach = reach
        numbers = [tokens[i].number for i in values]
        self.signed = any(number is not None and number.sign for number in numbers)
        self.width = len(constraints)
        self.dead: set[tuple[int, int, int, tuple[Value, ...], _Place]] = set()
        self.options: dict[tuple[int, int, ValueType], list[_Option]] = {}
        self.left: dict[tuple[int, int, _Place], tuple[int, int, int]] = {}
        self.needed: dict[tuple[int, int, int, _Place, int], set[_Sum] | None] = {}
        self.steps: dict[tuple[int, int, int, _Place, int], list[_Step]] = {}
        self.monotone: dict[int, tuple[tuple[int, int, int, bool], ...]] = {}
        # the one equation of the part searched, and each column's coefficient in it
        self.single: int | None = None
        self.coef: list[int] = [0] * n
        self.blocks = _blocks(n, constraints)
        self.cover = _cover(self.blocks, constraints, types)
        # the blocks of one total and its cells, read by their cuts (`_segment`)
        counts = reverse and _counts(tokens, values, types, domains)
        self.cuts = _SumCuts(tokens, values) if counts else None
        self.summed = {
            lo for lo, hi in self.blocks if counts and _one_sum(constraints, lo, hi)
        }
        # the part being searched: columns lo..hi-1, ending at place ``stop``
        self.lo, self.hi, self.stop = 0, n, (len(values), 0)
        self.slots: list[Slot] = [BLANK] * n
        self.domains = domains
        self.found: list[Reading] = []
        self.visited = self.held = 0

    def run(self) -> list[Reading]:
        if len(self.blocks) > 1:
            return self._by_blocks()
        self._part(0, self.n)
        self.fill(0, 0, 0, (0,) * self.width)
        return self.found

    def _part(self, lo: int, hi: int) -> None:
        """Search columns ``lo..hi-1`` next: `single` and `coef` for them."""
        self.lo, self.hi = lo, hi
        inside = {e for j in range(lo, hi) for e, _ in self.terms[j]}
        self.single = inside.pop() if len(inside) == 1 else None
        self.coef = [
            sum(c for e, c in self.terms[j] if e == self.single) for j in range(self.n)
        ]

    def fill(self, column: int, k: int, offset: int, sums: tuple[Value, ...]) -> bool:
        """Fill ``column`` on in every way that satisfies the equations; any found?"""
        if (k, offset) > self.stop:
            return False
        if column == self.hi:
            if (k, offset) != self.stop:
                return False
            self.found.append(tuple(self.slots[self.lo : self.hi]))
            self.held += 1  # over all blocks' searches: what the bound keeps
            if self.held > MAX_SOLUTIONS:
                raise DecodeBoundError
            return True
        state = (column, k, offset, sums, self.stop)
        if state in self.dead:
            return False
        self.visited += 1
        if self.visited > MAX_STATES:
            raise DecodeBoundError
        any_found = False
        live = self._live(column, k, offset, sums)
        if live if live is not None else self._reachable(column, k, offset, sums):
            single = self.single
            if single is not None and self.hi - column - 1 <= DEPTH:
                any_found = self._fill_ahead(column, k, offset, sums, single)
            else:
                any_found = self._fill_each(column, k, offset, sums, ahead=False)
            self.slots[column] = BLANK
        if not any_found:
            self.dead.add(state)
        return any_found

    def _fill_each(
        self, column: int, k: int, offset: int, sums: tuple[Value, ...], *, ahead: bool
    ) -> bool:
        """Fill ``column`` with each of its options in turn and search on.

        With ``ahead`` (the part has one equation and the next column is
        among its last `DEPTH`), a next state `_live` knows dead is not even
        entered: `_fill_ahead` does the same with less work per option.
        Otherwise the cuts of a count are listed shortest (smallest) first,
        so once one leaves an equation owed less than nothing, or more than
        the digits left can make, so does every cut after it: none is
        entered (`_monotone`).
        """
        any_found = False
        domain = self.domains[column]
        monotone = () if ahead else self._monotone(column)
        for slot, next_k, next_offset in self._options(column, k, offset):
            if domain is not None and _value(slot) not in domain:
                continue
            after = self._add(column, slot, sums)
            if after is None:
                continue
            if (
                monotone
                and isinstance(slot, Piece)
                and slot.part
                and self._past(monotone, after, next_k, next_offset)
            ):
                break  # dead after this cut, and after every longer one
            if ahead and self._live(column + 1, next_k, next_offset, after) is False:
                continue  # known dead: not even entered
            self.slots[column] = slot
            any_found |= self.fill(column + 1, next_k, next_offset, after)
        return any_found

    def _monotone(self, column: int) -> tuple[tuple[int, int, int, bool], ...]:
        """The equations ``(e, sign, coef, rising)`` along which a longer cut
        of ``column`` fares no better: every column after it in the part
        holds a count adding ``sign·coef`` to ``e`` (`cover`), so those cells
        add up to the owed ``-sign·s / coef``, which must be at least 0 and
        at most the digits left read as one integer (`_left`: cutting a run
        never adds to it). ``column``, a count, adds to ``e`` with the cells'
        sign (a cell: a larger value leaves less owed) or the other (a total,
        ``rising``: more owed, and fewer digits left to make it). A longer
        cut has a larger value (no leading zeros), so once a cut leaves too
        little owed (a cell) or too much (a total), every longer one does
        (`_past`): they are not entered, and not counted against
        `MAX_STATES` either. None with signed numbers (a minus sign makes
        the first cut negative).
        """
        found = self.monotone.get(column)
        if found is None:
            found = ()
            nxt = column + 1
            if (
                not self.signed
                and nxt < self.hi
                and self.types[column] is ValueType.INT
            ):
                mine = dict(self.terms[column])
                found = tuple(
                    (e, sign, coef, mine[e] * sign < 0)
                    for e, sign, coef in self.cover[nxt]
                    if mine.get(e)
                )
            self.monotone[column] = found
        return found

    def _past(
        self,
        monotone: tuple[tuple[int, int, int, bool], ...],
        sums: tuple[Value, ...],
        k: int,
        offset: int,
    ) -> bool:
        """Whether the state a cut leads to (``sums``, reading on at ``(k,
        offset)``) is dead by a `_monotone` equation, and so are the states
        of the longer cuts."""
        for e, sign, coef, rising in monotone:
            owed = -sign * (sums[e] or 0)  # times coef
            if owed < 0 if not rising else owed > coef * self._left(k, offset)[0]:
                return True
        return False

    def _fill_ahead(
        self, column: int, k: int, offset: int, sums: tuple[Value, ...], single: int
    ) -> bool:
        """`_fill_each` with ``ahead``, for a part of one equation (``single``):
        the same states entered in the same order.

        The options that cannot be entered whatever the sums (past ``stop``,
        out of the domain) are dropped once per place (`_steps`), each kept
        one carries what it adds to the one running sum and the sums the next
        column needs, so an option costs an addition and a set look-up
        instead of a new tuple of sums and two calls.
        """
        closes = bool(self.closing[column])  # only the one equation can close
        owed = sums[single]
        head, tail = sums[:single], sums[single + 1 :]
        any_found = False
        for slot, next_k, next_offset, added, need in self._steps(column, k, offset):
            after = owed + added  # type: ignore[operator]  # sums are never None
            if closes:
                if after != 0:
                    continue  # the equation closes false
                after = 0
            if need is not None and after not in need:
                continue  # known dead: not even entered
            self.slots[column] = slot
            any_found |= self.fill(
                column + 1, next_k, next_offset, (*head, after, *tail)
            )
        return any_found

    def _steps(self, column: int, k: int, offset: int) -> list[_Step]:
        """The options of ``column`` at ``(k, offset)`` a next state can come
        from (within ``stop``, ending there at the part's last column, in the
        column's domain), each with what it adds to the part's one equation
        and the sums the next column needs (`_needed`), for `_fill_ahead`."""
        key = (column, k, offset, self.stop, self.hi)
        steps = self.steps.get(key)
        if steps is None:
            steps = []
            stop, domain, coef = self.stop, self.domains[column], self.coef[column]
            for slot, next_k, next_offset in self._options(column, k, offset):
                place = (next_k, next_offset)
                if place > stop or (column + 1 == self.hi and place != stop):
                    continue  # the next state ends no reading: fill returns at once
                if domain is not None and _value(slot) not in domain:
                    continue
                value = slot.value if isinstance(slot, Piece) else None
                added: _Sum = coef * value if value else 0  # as `_add` adds
                need = self._needed(column + 1, next_k, next_offset)
                steps.append((slot, next_k, next_offset, added, need))
            self.steps[key] = steps
        return steps

    def _live(
        self, column: int, k: int, offset: int, sums: tuple[Value, ...]
    ) -> bool | None:
        """Whether the state leads to a reading, where `_needed` knows it (the
        part has one equation, and the column is among its last `DEPTH`);
        None where it does not."""
        single = self.single
        if single is None or self.hi - column > DEPTH:
            return None
        needed = self._needed(column, k, offset)
        if needed is None:
            return None
        owed = sums[single]
        return owed is not None and owed in needed

    def _reachable(
        self, column: int, k: int, offset: int, sums: tuple[Value, ...]
    ) -> bool:
        """Whether the columns left can still take the numbers up to ``stop`` and
        bring every open sum to zero.

        Each number still to start takes a column. With counts only: the
        digits up to ``stop`` bound what the cells add (`_left`), and where
        every column left in the block adds to one equation with one sign,
        each cell is at most the sum still owed, so has at most its digits:
        the columns left cannot cover more digits than that (`cover`); and
        the cells, covering exactly the digits up to ``stop``, add up to
        their digit sum modulo 9 however they are cut (a number is congruent
        to its digit sum), so the sum owed must too.
        """
        left, digits, residue = self._left(k, offset)
        stop_k, stop_offset = self.stop
        starts = stop_k - k + (1 if stop_offset > (offset if k == stop_k else 0) else 0)
        if self.hi - column < starts:
            return False
        if self.signed:
            return True
        for (pos, neg), total in zip(self.reach[column], sums, strict=True):
            if total and not -neg * left <= -total <= pos * left:
                return False
        for e, sign, coef in self.cover[column]:
            whole = -sign * (sums[e] or 0)
            if whole != int(whole):
                return False  # counts cannot add up to a fraction
            owed, rest = divmod(int(whole), coef)
            if rest or owed < 0 or digits > (self.hi - column) * len(str(owed)):
                return False
            if (owed - residue) % 9:
                return False
        return True

    def _left(self, k: int, offset: int) -> tuple[int, int, int]:
        """An upper bound of the sum of any numbers cut from the digits before
        ``stop`` not yet read, how many digits those are, and their digit sum
        modulo 9.

        The digits as one integer (a decimal point dropped): the parts of a
        run add up to at most the run itself.
        """
        key = (k, offset, self.stop)
        if key not in self.left:
            self.left[key] = _digits_between(
                self.tokens, self.values, (k, offset), self.stop, self.reverse
            )
        return self.left[key]

    def _needed(self, column: int, k: int, offset: int) -> set[_Sum] | None:
        """The running sums of the part's one equation (`single`) from which the
        columns ``column`` to ``hi``, reading on from ``(k, offset)``, can end
        at ``stop`` with it holding; None when they are more than `MAX_NEEDED`
        (the search then prunes as it did).

        Exact: built from the same choices and domains the search makes, last
        column first, so a state is live exactly when its sum is among them,
        and a dead one is known at once instead of searched.
        """
        stop, hi, needed = self.stop, self.hi, self.needed
        key = (column, k, offset, stop, hi)
        if key in needed:
            return needed[key]
        found: set[_Sum] = set()
        too_many = False
        if column == hi:
            found = {0} if (k, offset) == stop else set()
        elif (k, offset) <= stop:
            domain = self.domains[column]
            coef = self.coef[column]
            last = column + 1 == hi
            for slot, next_k, next_offset in self._options(column, k, offset):
                place = (next_k, next_offset)
                if place > stop or (last and place != stop):
                    continue  # no reading ends at ``stop`` from there
                value = _value(slot)
                if domain is not None and value not in domain:
                    continue
                less = coef * value if value and coef else 0
                if last:
                    after: set[_Sum] | None = {0}
                else:
                    child = (column + 1, next_k, next_offset, stop, hi)
                    after = (
                        needed[child]
                        if child in needed
                        else self._needed(column + 1, next_k, next_offset)
                    )
                if after is None:
                    too_many = True
                    break
                if less:
                    found.update(map(sub, after, repeat(less)))
                else:
                    found |= after
                if len(found) > MAX_NEEDED:
                    too_many = True
                    break
        needed[key] = None if too_many else found
        return needed[key]

    def _by_blocks(self) -> list[Reading]:
        """The readings of a row whose equations fall in blocks of adjacent columns.

        Each block is searched on its own between two places in the digits
        (`_segment`: its equations close inside it, so it starts and ends
        with every sum zero). The last block is searched from every place to
        the row's end; the others block by block from the row's start, each
        from the places the one before can end at, the one before the last
        ending only where the last can start. Then only the places from which
        the blocks after can still reach the row's end are kept, and the
        readings are the chains of the blocks' readings over them: counted
        first, so that more than `MAX_SOLUTIONS` raise before any is built.
        """
        end: _Place = (len(self.values), 0)
        places = self._places()
        *heads, (lo, hi) = self.blocks
        tail = {(p, end): self._segment(lo, hi, p, end) for p in places}
        last = {pq: readings for pq, readings in tail.items() if readings}
        parts: list[dict[tuple[_Place, _Place], list[Reading]]] = []
        starts: set[_Place] = {(0, 0)}
        for b, (lo, hi) in enumerate(heads):
            ends = [p for p, _ in last] if b == len(heads) - 1 else places
            found: dict[tuple[_Place, _Place], list[Reading]] = {}
            for p in sorted(starts):
                for q in (q for q in ends if q >= p):
                    readings = self._segment(lo, hi, p, q)
                    if readings:
                        found[p, q] = readings
            parts.append(found)
            starts = {q for _, q in found}
        parts.append(last)
        chains: dict[_Place, int] = {end: 1}
        for found in reversed(parts):
            counted: dict[_Place, int] = {}
            for (p, q), readings in found.items():
                if q in chains:
                    counted[p] = counted.get(p, 0) + len(readings) * chains[q]
            chains = counted
        if chains.get((0, 0), 0) > MAX_SOLUTIONS:
            raise DecodeBoundError
        return _chained(parts, (0, 0), end)

    def _segment(self, lo: int, hi: int, start: _Place, stop: _Place) -> list[Reading]:
        """Block ``lo..hi-1``'s readings from place ``start`` to ``stop``.

        A block whose one equation makes its first column the sum of the
        others (a 四 group read from the right: its 总计, then its cells) is
        read by its cuts (`_SumCuts`, as `_sum_row` reads a 三 row): the same
        readings in the same order, without searching each again in every
        placement of the empty cells, for each of the places it may end at.
        Its readings count toward `MAX_SOLUTIONS` as the search's do; its
        states toward `MAX_STATES` apart from the search's (`_SumCuts`).
        """
        if self.cuts is not None and lo in self.summed:
            found = self.cuts.block(start, stop, hi - lo - 1)
            self.held += len(found)  # as `fill` counts them
            if self.held > MAX_SOLUTIONS:
                raise DecodeBoundError
            return found
        if (lo, hi) != (self.lo, self.hi):
            self._part(lo, hi)
        self.stop, self.found = stop, []
        self.fill(lo, *start, (0,) * self.width)
        return self.found

    def _places(self) -> list[_Place]:
        """Every place reading can stop at between the numbers' first digit and the last."""
        places: list[_Place] = []
        for m, index in enumerate(self.values):
            number = self.tokens[index].number
            inner = len(number.digits) if number and number.splittable else 1
            places += [(m, offset) for offset in range(inner)]
        return [*places, (len(self.values), 0)]

    def _add(
        self, column: int, slot: Slot, sums: tuple[Value, ...]
    ) -> tuple[Value, ...] | None:
        """The running sums after ``slot`` fills ``column``; None if an equation closes false.

        A closed equation's sum is reset to 0, so states differing only in
        what is already judged are one state.
        """
        value = slot.value if isinstance(slot, Piece) else None
        if not value and not self.closing[column]:
            return sums
        after = list(sums)
        if value:
            for e, coef in self.terms[column]:
                after[e] += coef * value  # type: ignore[operator]
        for e in self.closing[column]:
            if after[e] != 0:
                return None
            after[e] = 0
        return tuple(after)

    def _options(self, column: int, k: int, offset: int) -> list[_Option]:
        value_type = self.types[column]
        key = (k, offset, value_type)
        if key not in self.options:
            self.options[key] = _column_options(
                self.tokens, self.values, k, offset, value_type, self.reverse
            )
        return self.options[key]


def _blocks(n: int, constraints: Sequence[Constraint]) -> list[tuple[int, int]]:
    """The row's columns cut into blocks no equation crosses, each an interval.

    Blocks are the equations' connected components; a column in no equation
    joins the block before it (or the first). One block ``(0, n)`` when fewer
    than two components hold equations or one is not an interval.
    """
    owner = list(range(n))

    def root(j: int) -> int:
        while owner[j] != j:
            j = owner[j]
        return j

    for equation in constraints:
        for _, column in equation[1:]:
            owner[root(column)] = root(equation[0][1])
    spans: dict[int, list[int]] = {}
    for equation in constraints:
        for _, column in equation:
            spans.setdefault(root(column), []).append(column)
    intervals = sorted((min(c), max(c) + 1, len(set(c))) for c in spans.values())
    if len(intervals) < 2 or any(hi - lo != size for lo, hi, size in intervals):
        return [(0, n)]
    cuts = [lo for lo, _, _ in intervals[1:]]
    return list(zip([0, *cuts], [*cuts, n], strict=True))


def _cover(
    blocks: Sequence[tuple[int, int]],
    constraints: Sequence[Constraint],
    types: Sequence[ValueType],
) -> list[list[tuple[int, int, int]]]:
    """Per column, the equations ``(e, sign, coef)`` every column left in its
    block adds to with the coefficient ``sign·coef``, all of them counts (see
    `_RowSearch._reachable`)."""
    cover: list[list[tuple[int, int, int]]] = []
    for lo, hi in blocks:
        for column in range(lo, hi):
            rest = range(column, hi)
            found = []
            for e, equation in enumerate(constraints):
                coefs = {j: c for c, j in equation}
                same = {coefs.get(j, 0) for j in rest}
                if len(same) == 1 and all(types[j] is ValueType.INT for j in rest):
                    (coef,) = same
                    if coef:
                        found.append((e, -1 if coef < 0 else 1, abs(coef)))
            cover.append(found)
    return cover


def _chained(
    parts: Sequence[dict[tuple[_Place, _Place], list[Reading]]],
    start: _Place,
    end: _Place,
) -> list[Reading]:
    """Every chain of the blocks' readings from ``start`` to ``end`` (each
    block's chains from a place built once, however many lead to it)."""
    built: dict[tuple[int, _Place], list[Reading]] = {}

    def chains(b: int, place: _Place) -> list[Reading]:
        if b == len(parts):
            return [()] if place == end else []
        if (b, place) not in built:
            built[b, place] = [
                reading + tail
                for (p, q), readings in parts[b].items()
                if p == place
                for tail in chains(b + 1, q)
                for reading in readings
            ]
        return built[b, place]

    return chains(0, start)


def _value(slot: Slot) -> Value:
    """A slot's value as the equations count it: an empty cell is 0."""
    return slot.value if isinstance(slot, Piece) and slot.value is not None else 0


def _column_options(
    tokens: Sequence[Token],
    values: list[int],
    k: int,
    offset: int,
    value_type: ValueType,
    reverse: bool,
) -> list[_Option]:
    """What a column of ``value_type`` can hold when reading resumes at ``(k, offset)``.

    Blank (reading stays); number ``k`` whole, if none of it is placed; each
    next part of it as a glued run, ending it (reading moves to ``k + 1``) or
    not. The same choices as `segment.row_readings` lists: parts without
    leading zeros, a value of the column's type, a sign on the first part
    and a unit on the last. With ``reverse``, ``offset`` digits are placed
    from the run's end, and the next part is the one before them.
    """
    options: list[_Option] = [(BLANK, k, offset)]
    if k == len(values):
        return options
    index = values[k]
    number = tokens[index].number
    if number is None:
        return options
    digits = number.digits
    if offset == 0 and number.well_formed:
        whole = _piece(tokens[index], index, digits, value_type, first=True, last=True)
        if whole is not None:
            options.append((whole, k + 1, 0))
    if number.splittable:
        cuts = (
            _count_cuts if value_type is ValueType.INT and "." not in digits else _cuts
        )
        options += cuts(tokens[index], index, k, offset, value_type, reverse)
    return options


def _cuts(
    token: Token, index: int, k: int, offset: int, value_type: ValueType, reverse: bool
) -> list[_Option]:
    """The glued parts of `_column_options`: each next part of ``token``'s run
    from ``offset`` that can be a value of ``value_type``, with where reading
    resumes after it."""
    digits = token.number.digits if token.number else ""
    size = len(digits)
    options: list[_Option] = []
    stop = size + (0 if offset == 0 else 1)  # a first part is no whole
    for end in range(offset + 1, stop):
        start, stop_at = (size - end, size - offset) if reverse else (offset, end)
        part = digits[start:stop_at]
        if not valid_part(part):
            continue
        first, last = start == 0, stop_at == size
        cut = _piece(token, index, part, value_type, first=first, last=last)
        if cut is not None:
            options.append((cut, k + 1, 0) if end == size else (cut, k, end))
    return options


def _count_cuts(
    token: Token, index: int, k: int, offset: int, value_type: ValueType, reverse: bool
) -> list[_Option]:
    """`_cuts` of a run without a decimal point into a count column (the
    caller checked both): the same list, built with a few string tests per
    part in place of `valid_part`, `convert` and `_piece`, as a glued row's
    options are most of its parts, and most rows are counts.

    What those say of such a part: a leading zero only in ``0`` itself; the
    value its int; none where a minus sign falls on it (the first part), the
    run's unit on the last; the text the part's, never the token's (the
    whole run is no part).
    """
    number = token.number
    if number is None:
        return []
    digits, unit = number.digits, number.unit
    size = len(digits)
    minus = number.sign is not None and number.sign < 0
    options: list[_Option] = []
    for end in range(offset + 1, size + (0 if offset == 0 else 1)):
        start, stop_at = (size - end, size - offset) if reverse else (offset, end)
        if digits[start] == "0" and stop_at - start > 1:
            continue  # a leading zero
        if (start == 0 and minus) or stop_at - start > MAX_NUMBER_DIGITS + 1:
            continue  # a negative count; no figure
        part = digits[start:stop_at]
        cut = Piece(index, part, int(part), unit if stop_at == size else None, True)
        options.append((cut, k + 1, 0) if end == size else (cut, k, end))
    return options


def _piece(
    token: Token,
    index: int,
    digits: str,
    value_type: ValueType,
    *,
    first: bool,
    last: bool,
) -> Piece | None:
    """``digits`` of ``token`` as a value of ``value_type``, as `segment` builds it."""
    number = token.number
    if number is None:
        return None
    whole = first and last and digits == number.digits
    value = convert(digits, value_type, number.sign if first else None)
    if value is None:
        return None
    unit = number.unit if last else None
    return Piece(index, token.text if whole else digits, value, unit, not whole)
