"""A row's tokens → its possible readings: which number goes in which column.

Strategy. A layout that keeps cell boundaries (pipes with explicit empty
cells, or exactly one number per column) has one reading. Otherwise the text
does not say where the numbers go, and this module lists every reading the
text allows, without choosing:

* a bare digit run may be several glued cells (``000000``, ``640020470``):
  it is cut into well-formed numbers (no leading zeros) in every way;
* fewer numbers than columns: the numbers keep their order and the
  remaining columns are blank, in every placement.

`invariants` then keeps the readings that satisfy the spec's equations, and
`mapping` marks a cell OK only when every reading agrees on it. Enumeration is
bounded (MAX_READINGS); beyond it the row is left undetermined, never guessed.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterator, Sequence
from typing import Final, Literal, NamedTuple

from govdisclosure.model import Value
from govdisclosure.pipeline.grid import Token, TokenKind
from govdisclosure.pipeline.values import (
    MAX_SPLIT_DIGITS,
    convert,
    count_splits,
    split_digits,
    valid_part,
)
from govdisclosure.spec.model import ValueType

__all__ = [
    "BLANK",
    "MAX_READINGS",
    "MISSING",
    "Piece",
    "Reading",
    "Slot",
    "row_readings",
]

#: The most readings listed for one row; a row with more stays undetermined.
MAX_READINGS: Final = 20_000


class Piece(NamedTuple):
    """A number placed in a column: the token it came from and its value there.

    A named tuple: readings of a glued row hold thousands of pieces.
    """

    token: int  # index into the row's tokens
    text: str  # the token's text, or the glued part used
    value: Value
    unit: str | None
    part: bool = False  # a part of a glued run


BLANK: Final = "blank"
MISSING: Final = "missing"
Slot = Piece | Literal["blank", "missing"]
Reading = tuple[Slot, ...]


class TooManyReadingsError(Exception):
    """The row allows more than MAX_READINGS readings."""


def row_readings(tokens: Sequence[Token], types: Sequence[ValueType]) -> list[Reading]:
    """Every reading of a row's value tokens over columns of ``types``.

    Raises TooManyReadingsError when there are more than MAX_READINGS.
    """
    n = len(types)
    if _positional(tokens):
        positional, fitted = _positional_readings(tokens, types)
        if fitted:
            return positional
    values = [i for i, t in enumerate(tokens) if t.kind is TokenKind.VALUE]
    if len(values) == n:
        return _in_order(tokens, values, types)
    if _count_readings(tokens, values, n) > MAX_READINGS:
        raise TooManyReadingsError
    readings: list[Reading] = []
    pieces: Pieces = {}
    for sequence in _sequences(tokens, values, n):
        for reading in _placements(tokens, sequence, types, pieces):
            readings.append(reading)
            if len(readings) > MAX_READINGS:
                raise TooManyReadingsError
    return readings


def _in_order(
    tokens: Sequence[Token], values: list[int], types: Sequence[ValueType]
) -> list[Reading]:
    """As many numbers as columns: the one reading, each number whole and in order.

    What the listing below gives for such a row (no room for a cut, one
    placement), without listing.
    """
    slots: list[Slot] = []
    for column, i in enumerate(values):
        number = tokens[i].number
        if number is None or not number.well_formed:
            return []
        piece = _piece(tokens, i, number.digits, types[column], role="whole")
        if piece is None:
            return []
        slots.append(piece)
    return [tuple(slots)]


def _count_readings(tokens: Sequence[Token], values: list[int], n: int) -> int:
    """An upper bound of the readings `_sequences` × `_placements` would list.

    Counted with a small convolution over the tokens (how many ways to read
    them as m numbers, for each m), so the bound is checked before anything
    is enumerated.
    """
    ways = [1] + [0] * n  # ways[m]: readings of the tokens so far as m numbers
    most = _most_parts(tokens, values, n)
    for i in values:
        number = tokens[i].number
        if number is None:
            continue
        per_token = [0] * (n + 1)
        if number.well_formed:
            per_token[1] = 1
        if number.splittable and len(number.digits) <= MAX_SPLIT_DIGITS:
            for parts in range(2, min(len(number.digits), most) + 1):
                per_token[parts] = count_splits(number.digits, parts)
        nxt = [0] * (n + 1)
        for m, w in enumerate(ways):
            if w:
                for p, c in enumerate(per_token):
                    if c and m + p <= n:
                        nxt[m + p] += w * c
        ways = nxt
    total = sum(w * math.comb(n, m) for m, w in enumerate(ways))
    if len(values) > n:  # every choice of n tokens is tried
        total = max(total, 1) * math.comb(len(values), n)
    return total


def _positional_readings(
    tokens: Sequence[Token], types: Sequence[ValueType]
) -> tuple[list[Reading], bool]:
    """The reading of each cell variant that fits the table's width.

    A variant with the optional leading empty cells (``| 0 | 5 |``) and one
    without; with none optional there is one variant. Returns the readings and
    whether any variant fitted at all (if none did, the caller reads the
    numbers without positions).
    """
    n = len(types)
    everything = list(range(len(tokens)))
    variants = [everything]
    if any(t.optional for t in tokens):
        variants.append([i for i in everything if not tokens[i].optional])
    readings: list[Reading] = []
    fitted = False
    for cells in variants:
        while len(cells) > n and tokens[cells[-1]].kind is TokenKind.EMPTY:
            cells.pop()  # trailing empty cells pad a row past the table's width
        if len(cells) > n:
            continue
        fitted = True
        slots: list[Slot] = []
        for column, i in enumerate(cells):
            token = tokens[i]
            if token.kind is TokenKind.EMPTY:
                slots.append(BLANK)
                continue
            digits = token.number.digits if token.number else ""
            piece = _piece(tokens, i, digits, types[column], role="whole")
            if piece is None:
                break  # not a value of this column's type: no such reading
            slots.append(piece)
        else:
            slots += [MISSING] * (n - len(cells))
            readings.append(tuple(slots))
    return readings, fitted


def _positional(tokens: Sequence[Token]) -> bool:
    """One value per delimited cell: the cell positions are the columns."""
    if not tokens or not all(t.delimited for t in tokens):
        return False
    cells = [t.cell for t in tokens]
    return len(set(cells)) == len(cells)


#: Where a number sits in its token: the whole token, or a part of a glued run.
Role = Literal["whole", "first", "middle", "last"]


def _role(start: int, end: int, length: int) -> Role:
    if start == 0:
        return "whole" if end == length else "first"
    return "last" if end == length else "middle"


def _piece(
    tokens: Sequence[Token],
    index: int,
    digits: str,
    value_type: ValueType,
    *,
    role: Role,
) -> Piece | None:
    """The value of a number (a token, or a part of one) in a column of ``value_type``.

    A glued run's sign belongs to its first part (``-3000`` of ``-30002021``) and
    its unit to its last (``22项`` of ``13722项``).
    """
    number = tokens[index].number
    if number is None:
        return None
    sign = number.sign if role in ("whole", "first") else None
    unit = number.unit if role in ("whole", "last") else None
    value = convert(digits, value_type, sign)
    if value is None:
        return None
    text = tokens[index].text if role == "whole" else digits
    return Piece(index, text, value, unit, role != "whole")


#: Pieces already converted in one row, by (token, digits, role, column type).
Pieces = dict[tuple[int, str, Role, ValueType], Piece | None]


def _cached_piece(
    tokens: Sequence[Token],
    pieces: Pieces,
    index: int,
    digits: str,
    role: Role,
    value_type: ValueType,
) -> Piece | None:
    """`_piece`, memoised per row: readings share most of their pieces."""
    key = (index, digits, role, value_type)
    if key not in pieces:
        pieces[key] = _piece(tokens, index, digits, value_type, role=role)
    return pieces[key]


def _sequences(
    tokens: Sequence[Token], values: list[int], n: int
) -> Iterator[list[tuple[int, str, Role]]]:
    """Every way to read the value tokens as a sequence of numbers.

    Each item is ``(token index, digits, role)``, the role saying whether the
    number is the whole token or which part of a glued run. When there
    are more numbers than columns, every choice of ``n`` of them is a sequence
    (the others are left unused).
    """
    options: list[list[list[tuple[int, str, Role]]]] = []
    most = _most_parts(tokens, values, n)
    for i in values:
        number = tokens[i].number
        if number is None:
            continue
        opts: list[list[tuple[int, str, Role]]] = []
        if number.well_formed:
            opts.append([(i, number.digits, "whole")])
        if number.splittable and len(number.digits) <= MAX_SPLIT_DIGITS:
            for parts in range(2, min(len(number.digits), most) + 1):
                opts += [
                    [(i, d, _role(k, k + 1, parts)) for k, d in enumerate(cut)]
                    for cut in split_digits(number.digits, parts)
                ]
        options.append(opts)
    if len(values) > n:
        for keep in itertools.combinations(range(len(values)), n):
            yield from _product([options[k] for k in keep], n)
        return
    yield from _product(options, n)


def _most_parts(tokens: Sequence[Token], values: list[int], n: int) -> int:
    """The most numbers one token can be cut into: every other token read takes a column.

    A sequence uses ``min(tokens, n)`` tokens, each giving at least one number,
    so a row with as many tokens as columns has no room for a cut at all.
    """
    present = sum(1 for i in values if tokens[i].number is not None)
    return n - max(min(present, n) - 1, 0)


def _product(
    options: list[list[list[tuple[int, str, Role]]]], n: int
) -> Iterator[list[tuple[int, str, Role]]]:
    # the fewest numbers the options from k on can give: a walk that cannot
    # fit them in the columns left stops there
    fewest = [0] * (len(options) + 1)
    for k in range(len(options) - 1, -1, -1):
        fewest[k] = fewest[k + 1] + min((len(o) for o in options[k]), default=0)

    def walk(
        k: int, acc: list[tuple[int, str, Role]]
    ) -> Iterator[list[tuple[int, str, Role]]]:
        if len(acc) + fewest[k] > n:
            return
        if k == len(options):
            yield acc
            return
        for opt in options[k]:
            yield from walk(k + 1, acc + opt)

    yield from walk(0, [])


def _placements(
    tokens: Sequence[Token],
    sequence: list[tuple[int, str, Role]],
    types: Sequence[ValueType],
    pieces: Pieces,
) -> Iterator[Reading]:
    """Each order-keeping placement of ``sequence`` into the columns.

    ``pieces`` memoises the value of a number in a column type: a row of 15
    columns has thousands of placements but only a few distinct pieces.
    """
    n = len(types)
    for columns in itertools.combinations(range(n), len(sequence)):
        slots: list[Slot] = [BLANK] * n
        for (index, digits, role), column in zip(sequence, columns, strict=True):
            piece = _cached_piece(tokens, pieces, index, digits, role, types[column])
            if piece is None:
                break
            slots[column] = piece
        else:
            yield tuple(slots)


#: Search steps allowed to `constrained_readings` for one row.
MAX_SEARCH: Final = 100_000

#: One row-local equation: ``Σ coef·column == 0`` as ``(coef, column index)`` pairs.
Constraint = tuple[tuple[int, int], ...]


def constrained_readings(
    tokens: Sequence[Token],
    types: Sequence[ValueType],
    constraints: Sequence[Constraint],
) -> list[Reading]:
    """The readings of a row that satisfy its own equations, found depth first.

    Used when a row has too many readings to list (a long glued run over many
    columns, as a collapsed 四 row). Columns are filled left to right, each
    blank or cut from the digits still unread, and an equation is checked as
    soon as its last column is filled, which prunes most of the tree. Raises
    TooManyReadingsError past MAX_SEARCH steps or MAX_READINGS readings.
    """
    n = len(types)
    values = [i for i, t in enumerate(tokens) if t.kind is TokenKind.VALUE]
    ending: dict[int, list[Constraint]] = {}
    for c in constraints:
        ending.setdefault(max(col for _, col in c), []).append(c)
    out: list[Reading] = []
    slots: list[Slot] = [BLANK] * n
    steps = 0
    pieces: Pieces = {}

    def piece(k: int, digits: str, role: Role, column: int) -> Piece | None:
        return _cached_piece(tokens, pieces, values[k], digits, role, types[column])

    def holds(column: int) -> bool:
        for c in ending.get(column, ()):
            total = 0
            for coef, col in c:
                slot = slots[col]
                if isinstance(slot, Piece) and slot.value is not None:
                    total += coef * slot.value  # type: ignore[assignment]
            if total != 0:
                return False
        return True

    def walk(j: int, k: int, offset: int) -> None:
        nonlocal steps
        steps += 1
        if steps > MAX_SEARCH or len(out) > MAX_READINGS:
            raise TooManyReadingsError
        if j == n:
            if k == len(values):
                out.append(tuple(slots))
            return
        if n - j < len(values) - k:
            return  # every unread token needs a column of its own
        options: list[tuple[Slot, int, int]] = [(BLANK, k, offset)]
        if k < len(values):
            number = tokens[values[k]].number
            digits = number.digits if number else ""
            if offset == 0 and number is not None and number.well_formed:
                whole = piece(k, digits, "whole", j)
                if whole is not None:
                    options.append((whole, k + 1, 0))
            if number is not None and number.splittable:
                for end in range(offset + 1, len(digits) + (0 if offset == 0 else 1)):
                    part = digits[offset:end]
                    if not valid_part(part):
                        continue
                    cut = piece(k, part, _role(offset, end, len(digits)), j)
                    if cut is not None:
                        options.append(
                            (cut, k + 1, 0) if end == len(digits) else (cut, k, end)
                        )
        for slot, next_k, next_offset in options:
            slots[j] = slot
            if holds(j):
                walk(j + 1, next_k, next_offset)
        slots[j] = BLANK

    walk(0, 0, 0)
    return out
