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

Compared with `segment.constrained_readings` (a plain depth-first search
that judges an equation only once its last column is filled, within a step
cap), the memo makes a row whose equation closes at its last column (三's
总计) cheap, and a 四 run of fifteen digits a few thousand states.

The bounds are explicit: more than `MAX_STATES` states visited or
`MAX_SOLUTIONS` readings found raises `DecodeBoundError`, and the caller
leaves the row undecided and says so in a finding. Nothing is cut short
silently.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from govdisclosure.model import Value
from govdisclosure.pipeline.grid import Token, TokenKind
from govdisclosure.pipeline.segment import BLANK, Piece, Reading, Slot
from govdisclosure.pipeline.values import convert, valid_part
from govdisclosure.spec.model import ValueType

__all__ = ["MAX_SOLUTIONS", "MAX_STATES", "DecodeBoundError", "row_solutions"]

#: States visited for one row before giving up (the row is left undecided).
MAX_STATES: Final = 20_000
#: Readings satisfying a row's equations kept for one row before giving up.
MAX_SOLUTIONS: Final = 20_000

#: One row-local equation: ``Σ coef·column == 0`` as ``(coef, column index)`` pairs.
Constraint = tuple[tuple[int, int], ...]
#: A choice for one column: what it holds, and where reading resumes (k, offset).
_Option = tuple[Slot, int, int]


class DecodeBoundError(Exception):
    """A row's search passed `MAX_STATES` states or `MAX_SOLUTIONS` readings."""


def row_solutions(
    tokens: Sequence[Token],
    types: Sequence[ValueType],
    constraints: Sequence[Constraint],
) -> list[Reading] | None:
    """Every reading of the row that places all its numbers and satisfies ``constraints``.

    Blank counts as zero, as in `invariants`. None when the row has more
    numbers than columns (choosing which to leave out is not searched here).
    Raises DecodeBoundError past the bounds.
    """
    values = [i for i, t in enumerate(tokens) if t.kind is TokenKind.VALUE]
    if len(values) > len(types):
        return None
    return _RowSearch(tokens, types, values, constraints).run()


class _RowSearch:
    """One memoised search (see the module docstring).

    ``terms[j]`` lists, for column ``j``, the ``(equation, coef)`` it adds
    to; ``closing[j]`` the equations whose last column is ``j``, checked
    (running sum zero) once it is filled, then dropped from the state.
    """

    def __init__(
        self,
        tokens: Sequence[Token],
        types: Sequence[ValueType],
        values: list[int],
        constraints: Sequence[Constraint],
    ) -> None:
        n = len(types)
        self.tokens, self.types, self.values = tokens, types, values
        self.terms: list[list[tuple[int, int]]] = [[] for _ in range(n)]
        self.closing: list[list[int]] = [[] for _ in range(n)]
        for e, equation in enumerate(constraints):
            for coef, column in equation:
                self.terms[column].append((e, coef))
            self.closing[max(column for _, column in equation)].append(e)
        self.width = len(constraints)
        self.dead: set[tuple[int, int, int, tuple[Value, ...]]] = set()
        self.options: dict[tuple[int, int, ValueType], list[_Option]] = {}
        self.slots: list[Slot] = [BLANK] * n
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
        if len(self.slots) - column >= len(self.values) - k:
            for slot, next_k, next_offset in self._options(column, k, offset):
                after = self._add(column, slot, sums)
                if after is None:
                    continue
                self.slots[column] = slot
                any_found |= self.fill(column + 1, next_k, next_offset, after)
            self.slots[column] = BLANK
        if not any_found:
            self.dead.add(state)
        return any_found

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
                self.tokens, self.values, k, offset, value_type
            )
        return self.options[key]


def _column_options(
    tokens: Sequence[Token],
    values: list[int],
    k: int,
    offset: int,
    value_type: ValueType,
) -> list[_Option]:
    """What a column of ``value_type`` can hold when reading resumes at ``(k, offset)``.

    Blank (reading stays); number ``k`` whole, if none of it is placed; each
    next part of it as a glued run, ending it (reading moves to ``k + 1``) or
    not. The same choices as `segment.row_readings` lists: parts without
    leading zeros, a value of the column's type, a sign on the first part
    and a unit on the last.
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
        stop = len(digits) + (0 if offset == 0 else 1)  # a first part is no whole
        for end in range(offset + 1, stop):
            part = digits[offset:end]
            if not valid_part(part):
                continue
            last = end == len(digits)
            cut = _piece(
                tokens[index], index, part, value_type, first=offset == 0, last=last
            )
            if cut is not None:
                options.append((cut, k + 1, 0) if last else (cut, k, end))
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
