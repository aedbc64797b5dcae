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
an equation only once its last column was filled, within a step cap), the memo makes a row whose equation closes at its last column (三's
总计) cheap, and a 四 run of fifteen digits a few thousand states.

The bounds are explicit: more than `MAX_STATES` states visited,
`MAX_SOLUTIONS` readings found or `MAX_DIGITS` digits in the row raises
`DecodeBoundError`, and the caller
leaves the row undecided and says so in a finding. Nothing is cut short
silently.
"""

from __future__ import annotations

from collections.abc import Sequence
from collections.abc import Set as AbstractSet
from typing import Final

from govdisclosure.model import Value
from govdisclosure.pipeline.grid import Token, TokenKind
from govdisclosure.pipeline.segment import BLANK, Piece, Reading, Slot
from govdisclosure.pipeline.values import MAX_NUMBER_DIGITS, convert, valid_part
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
#: The values a column may take (an empty cell counting as 0); None: any.
Domain = AbstractSet[Value] | None


class DecodeBoundError(Exception):
    """A row's search passed `MAX_STATES` states or `MAX_SOLUTIONS` readings."""


def row_solutions(
    tokens: Sequence[Token],
    types: Sequence[ValueType],
    constraints: Sequence[Constraint],
    domains: Sequence[Domain] | None = None,
) -> list[Reading] | None:
    """Every reading of the row that places all its numbers and satisfies ``constraints``.

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
    if not _totals_last(constraints):
        search = _RowSearch(tokens, types, values, constraints, reverse=False)
        search.domains = allowed
        return search.run()
    # fill from the right: the totals are chosen first, and the cells before
    # them must then add up to what is left, which the bound prunes at once
    flipped = [tuple((coef, n - 1 - j) for coef, j in eq) for eq in constraints]
    search = _RowSearch(tokens, types[::-1], values[::-1], flipped, reverse=True)
    search.domains = allowed[::-1]
    return [reading[::-1] for reading in search.run()]


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
        *,
        reverse: bool,
    ) -> None:
        n = len(types)
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
        self.dead: set[tuple[int, int, int, tuple[Value, ...]]] = set()
        self.options: dict[tuple[int, int, ValueType], list[_Option]] = {}
        self.left: dict[tuple[int, int], int] = {}
        self.slots: list[Slot] = [BLANK] * n
        self.domains: list[Domain] = [None] * n
        self.found: list[Reading] = []
        self.visited = 0

    def run(self) -> list[Reading]:
        self.fill(0, 0, 0, (0,) * self.width)
        return self.found

    def fill(self, column: int, k: int, offset: int, sums: tuple[Value, ...]) -> bool:
        """Fill ``column`` on in every way that satisfies the equations; any found?"""
        if column == len(self.slots):
            if k != len(self.values):
                return False
            self.found.append(tuple(self.slots))
            if len(self.found) > MAX_SOLUTIONS:
                raise DecodeBoundError
            return True
        state = (column, k, offset, sums)
        if state in self.dead:
            return False
        self.visited += 1
        if self.visited > MAX_STATES:
            raise DecodeBoundError
        any_found = False
        if len(self.slots) - column >= len(self.values) - k and self._reachable(
            column, k, offset, sums
        ):
            domain = self.domains[column]
            for slot, next_k, next_offset in self._options(column, k, offset):
                if domain is not None and _value(slot) not in domain:
                    continue
                after = self._add(column, slot, sums)
                if after is None:
                    continue
                self.slots[column] = slot
                any_found |= self.fill(column + 1, next_k, next_offset, after)
            self.slots[column] = BLANK
        if not any_found:
            self.dead.add(state)
        return any_found

    def _reachable(
        self, column: int, k: int, offset: int, sums: tuple[Value, ...]
    ) -> bool:
        """Whether the digits left can still bring every open sum to zero (counts only)."""
        if self.signed or not any(sums):
            return True
        left = self._left(k, offset)
        for (pos, neg), total in zip(self.reach[column], sums, strict=True):
            if total and not -neg * left <= -total <= pos * left:
                return False
        return True

    def _left(self, k: int, offset: int) -> int:
        """An upper bound of the sum of any numbers cut from the digits not yet read.

        The digits as one integer (a decimal point dropped): the parts of a
        run add up to at most the run itself.
        """
        key = (k, offset)
        if key not in self.left:
            total = 0
            for m in range(k, len(self.values)):
                number = self.tokens[self.values[m]].number
                digits = number.digits.replace(".", "") if number else ""
                if m == k and offset:
                    digits = (
                        digits[: len(digits) - offset]
                        if self.reverse
                        else digits[offset:]
                    )
                total += int(digits or 0)
            self.left[key] = total
        return self.left[key]

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
    size = len(digits)
    if offset == 0 and number.well_formed:
        whole = _piece(tokens[index], index, digits, value_type, first=True, last=True)
        if whole is not None:
            options.append((whole, k + 1, 0))
    if number.splittable:
        stop = size + (0 if offset == 0 else 1)  # a first part is no whole
        for end in range(offset + 1, stop):
            start, stop_at = (size - end, size - offset) if reverse else (offset, end)
            part = digits[start:stop_at]
            if not valid_part(part):
                continue
            first, last = start == 0, stop_at == size
            cut = _piece(tokens[index], index, part, value_type, first=first, last=last)
            if cut is not None:
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
