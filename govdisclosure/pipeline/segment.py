"""A row's tokens → its possible readings: which number goes in which column.

Strategy. List every reading the text allows and choose none: a layout that
keeps cell boundaries (pipes with explicit empty cells, or exactly one number
per column) has one reading. Otherwise the text does not say where the
numbers go, and every placement it allows is a reading:

* a bare digit run may be several glued cells (``000000``, ``640020470``):
  it is cut into well-formed numbers (no leading zeros) in every way;
* fewer numbers than columns: the numbers keep their order and the
  remaining columns are blank, in every placement.

`row_readings` counts the readings before it lists them (a collapsed row has
millions) and refuses past a limit: `SEARCH_PAST` when `rows` drafts a row,
`MAX_READINGS` at most. For such a row, `decode` finds exactly the readings
that satisfy the row's own equations (a collapsed 四 row, 17 digits over 15
columns with a total per group); one it cannot read that way is listed
after all, up to `MAX_READINGS` (`narrow`).

`narrow` then keeps the readings that satisfy the spec's equations, and
`cells` marks a cell OK only when every reading agrees on it. A row beyond
both bounds is left undetermined, never guessed.
"""

from __future__ import annotations

import functools
import itertools
import math
import operator
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Final, Literal, NamedTuple, cast

from govdisclosure.model import Value
from govdisclosure.pipeline.grid import Token, TokenKind
from govdisclosure.pipeline.values import (
    FOOTNOTE_RUN,
    MAX_SPLIT_DIGITS,
    convert,
    count_splits,
    split_counts,
    split_digits,
)
from govdisclosure.spec.model import ValueType

__all__ = [
    "BLANK",
    "GAP",
    "LOST",
    "MAX_READINGS",
    "MISSING",
    "NOT_APPLICABLE",
    "SEARCH_PAST",
    "Blank",
    "Piece",
    "Reading",
    "Slot",
    "TooManyReadingsError",
    "Unread",
    "lost_cell_readings",
    "may_lose_cells",
    "row_readings",
]

#: The most readings listed for one row. A row with more is searched by
#: `decode` under its equations instead, which keeps only the readings that
#: satisfy them: listing 20,000 readings of a long glued row to narrow them
#: later took half the time of a generated glued report (2,000: the same
#: cells decided, 350 → 95 ms per report in `benchmarks/decided.py`).
MAX_READINGS: Final = 2_000
#: The readings past which `rows` leaves a row to `decode` rather than list
#: it. A row of hundreds of readings (a 13-digit glued 三 row: 1,238) costs
#: a millisecond to list and more to narrow by every equation through it,
#: where the search under its own sum finds its few readings in a third of
#: that; a row the search cannot read is listed after all (`narrow`), up to
#: `MAX_READINGS`. 200: the same cells, statuses and reasons as listing up to
#: 2,000 on `benchmarks/run.py`'s 488 inputs of seeds 0 and 1, and p95 of
#: `benchmarks/tail.py` 22.5 → 18.9 ms (lower limits changed cells and were
#: no faster).
SEARCH_PAST: Final = 200


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


class Blank(str):
    """An empty cell the text prints (``—``, ``/``, or nothing between pipes):
    equal to BLANK, with its token, so that `cells` keeps the marker printed."""

    token: int

    def __new__(cls, token: int) -> Blank:
        self = super().__new__(cls, BLANK)
        self.token = token
        return self


#: Why a cell printed as not applicable (`Spec.not_applicable_markers`) is
#: `Unread`: it is no 0, so no equation may weigh it; `cells` makes it blank.
NOT_APPLICABLE: Final = "printed as not applicable, which the spec does not count as 0"


class _Gap(str):
    """The type of `GAP`: a str equal to MISSING, told apart by identity."""


#: A column a short delimited row left out in this reading: the row shows fewer
#: cells than columns and no empty cell, so any column may be the one not
#: printed. Equal to MISSING: its value is not known, so no equation weighs it
#: (`narrow`); a converter may drop an empty cell, but a deleted cell that
#: held a number looks the same, and counting it as empty could choose a
#: wrong placement. `cells` makes a gap ``missing``, with its own reason.
GAP: Final = _Gap(MISSING)
#: A cell a row printed apart may have lost (`_lost_cells`): not printed, its
#: value unknown, like a GAP; told apart so that `narrow` can set these
#: readings aside in a report that leaves its empty cells unprinted (there an
#: absent cell is an empty one).
LOST: Final = _Gap(MISSING)


class Unread(str):
    """A cell the text holds but whose value it does not give (``*``, ``五``,
    ``5万``, ``−5`` in a count column): its token, text and why.

    Equal to MISSING, so that whatever weighs slots (the equations in
    `narrow`) treats it as a value not known; `cells` makes it a ``missing``
    cell that keeps its raw text. It takes its own column: its neighbours keep
    theirs.
    """

    token: int
    text: str
    why: str

    def __new__(cls, token: int, text: str, why: str) -> Unread:
        self = super().__new__(cls, MISSING)
        self.token, self.text, self.why = token, text, why
        return self


Slot = Piece | Unread | _Gap | Blank | Literal["blank", "missing"]
Reading = tuple[Slot, ...]


class TooManyReadingsError(Exception):
    """The row allows more readings than are listed (`row_readings`' limit)."""


def row_readings(
    tokens: Sequence[Token], types: Sequence[ValueType], *, search_first: bool = False
) -> list[Reading]:
    """Every reading of a row's value tokens over columns of ``types``.

    Raises TooManyReadingsError when there are more than `MAX_READINGS`, or
    with ``search_first`` more than `SEARCH_PAST` (`rows` drafting a row).
    """
    limit = min(SEARCH_PAST, MAX_READINGS) if search_first else MAX_READINGS
    n = len(types)
    if _positional(tokens):
        positional, fitted = _positional_readings(tokens, types)
        if fitted:
            return positional
        # more cells than columns: the cells do not say the columns, so the
        # numbers are read as if they had no positions
    # an unread cell (a mark) is a cell whose value is unknown: it takes one
    # column wherever it falls, and is never cut or joined to the digits
    # around it
    values = [i for i, t in enumerate(tokens) if t.kind is TokenKind.VALUE]
    if len(values) == n:
        return _in_order(tokens, values, types)
    # Counting is cheap and listing is not: a collapsed row has millions of
    # readings, which would take seconds to list only to be refused.
    lost = _lost_cells(tokens, n)
    count = _count_readings(tokens, values, n)
    if lost is not None:
        count += math.comb(n, len(lost))
    if count > limit:
        raise TooManyReadingsError
    pieces: Pieces = {}
    readings = _all_placements(tokens, _sequences(tokens, values, n), types, pieces)
    if len(readings) > limit:  # a guard: the count is a bound
        raise TooManyReadingsError
    if lost is not None:
        readings += _all_placements(tokens, [lost], types, pieces, fill=LOST)
    return readings


def lost_cell_readings(
    tokens: Sequence[Token], types: Sequence[ValueType]
) -> list[Reading]:
    """The readings of a row printed apart in which a cell was lost (`_lost_cells`).

    For `decode`, which searches a row's other readings under its equations:
    these have a cell whose value is unknown, which no running sum can hold.
    """
    lost = _lost_cells(tokens, len(types))
    if lost is None:
        return []
    return _all_placements(tokens, [lost], types, {}, fill=LOST)


def may_lose_cells(tokens: Sequence[Token], width: int) -> bool:
    """Whether a row's readings include lost cells (`_lost_cells`): cheap, for
    the reasons `cells` gives, which would otherwise scan every reading."""
    return _lost_cells(tokens, width) is not None


def _lost_cells(tokens: Sequence[Token], n: int) -> list[tuple[int, str, Role]] | None:
    """The row's numbers whole, when a cell it does not print may have been lost.

    A row that prints its numbers apart (two or more, without delimiters) and
    has fewer of them than columns is explained three ways: cells left empty
    (the columns left over are blank), cells glued together (a number cut in
    two), or cells lost (a deleted cell, whose value is not known). Where a
    number can be cut, the lost cells are readings too: otherwise a cut that
    happens to balance the equations (``923`` read as 9 | 23 when the row lost
    its 总计 937) would be the only reading with values, and be inferred. A
    glued row (one run of digits) is not printed apart: its digits are the
    only evidence of its cells, and a lost cell there cannot be told from a
    cut (docs/limits.md, "Reading a table"). The lost cells are `LOST`
    slots, which `narrow` sets aside in a report that prints no 0 as a cell
    of its own (it leaves its empty cells unprinted: an absent cell is empty).

    None when the row is not printed apart, fills its columns, has no number
    that can be cut, or holds one that cannot stand whole (``000000``: it is
    read only cut).
    """
    values = [i for i, t in enumerate(tokens) if t.kind is TokenKind.VALUE]
    numbers = [tokens[i].number for i in values]
    if sum(1 for x in numbers if x is not None) < 2 or len(values) >= n:
        return None
    if not any(x is not None and x.splittable and _cuttable(x.digits) for x in numbers):
        return None
    sequence: list[tuple[int, str, Role]] = []
    for i, number in zip(values, numbers, strict=True):
        if number is None:
            sequence.append((i, "", "unread"))
        elif number.well_formed:
            sequence.append((i, number.digits, "whole"))
        else:
            return None
    return sequence


def _cuttable(digits: str) -> bool:
    """Whether a number's digits can be read as two glued cells."""
    return len(digits) <= MAX_SPLIT_DIGITS and count_splits(digits, 2) > 0


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
        if number is None:
            slots.append(_unread(tokens, i))
            continue
        if not number.well_formed:
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
    most = _most_parts(values, n)
    for i in values:
        number = tokens[i].number
        per_token = [0] * (n + 1)
        if number is None or number.well_formed:  # an unread cell: one column
            per_token[1] = 1
        if (
            number is not None
            and number.splittable
            and len(number.digits) <= MAX_SPLIT_DIGITS
        ):
            counts = split_counts(number.digits, min(len(number.digits), most))
            per_token[2 : len(counts)] = counts[2:]
        nxt = [0] * (n + 1)
        for m, w in enumerate(ways):
            if w:
                for p, c in enumerate(per_token):
                    if c and m + p <= n:
                        nxt[m + p] += w * c
        ways = nxt
    # m numbers fit n columns in comb(n, m) order-keeping ways. A bound, not
    # the count: a piece its column's type refuses (a fraction in a count
    # column) is counted all the same.
    total = sum(w * math.comb(n, m) for m, w in enumerate(ways))
    if len(values) > n:  # every choice of n tokens is tried
        total = max(total, 1) * math.comb(len(values), n)
    return total


def _positional_readings(
    tokens: Sequence[Token], types: Sequence[ValueType]
) -> tuple[list[Reading], bool]:
    """The readings of each cell variant that fits the table's width.

    A variant with the optional leading empty cells (``| 0 | 5 |``) and one
    without; with none optional there is one variant. Returns the readings and
    whether any variant fitted at all (if none did, the caller reads the
    numbers without positions).

    A variant's cells are its columns when the row shows them: as many cells
    as columns, or an empty cell among them (``| 22 | | 235 |``), or a
    section whose rows print their empty cells (`Token.empties_shown`): such
    a row does not drop empty cells, so a cell it does not print is absent
    at its end. A shorter row that shows no empty cell says nothing of which
    columns it left out: every order-keeping placement is a reading
    (`_unplaced`). A cell that holds no value of its column (``*``, ``五``)
    is `Unread` there and keeps its place. When no variant reads in the
    column types, a cell whose number its column refuses (``−5`` in a count
    column) is unread too, rather than the whole row lost.
    """
    n = len(types)
    everything = list(range(len(tokens)))
    variants = [everything]
    if any(t.optional for t in tokens):
        variants.append([i for i in everything if not tokens[i].optional])
    fitting: list[list[int]] = []
    for cells in variants:
        while len(cells) > n and tokens[cells[-1]].kind is TokenKind.EMPTY:
            cells.pop()  # trailing empty cells pad a row past the table's width
        if len(cells) <= n:
            fitting.append(cells)
    readings: list[Reading] = []
    for lenient in (False, True):
        for cells in fitting:
            shown = len(cells) == n or any(
                tokens[i].empties_shown
                or (tokens[i].kind is TokenKind.EMPTY and not tokens[i].optional)
                for i in cells
            )
            if shown:
                readings += _placed(tokens, cells, range(len(cells)), types, lenient)
            else:
                readings += _unplaced(tokens, cells, types, lenient)
        if readings:
            break
    return readings, bool(fitting)


def _unplaced(
    tokens: Sequence[Token],
    cells: list[int],
    types: Sequence[ValueType],
    lenient: bool,
) -> list[Reading]:
    """Every order-keeping placement of a short row's cells into the columns."""
    printed = [i for i in cells if tokens[i].kind is not TokenKind.EMPTY]
    if math.comb(len(types), len(printed)) > MAX_READINGS:
        raise TooManyReadingsError
    readings: list[Reading] = []
    for columns in itertools.combinations(range(len(types)), len(printed)):
        readings += _placed(tokens, printed, columns, types, lenient, fill=GAP)
    return readings


def _placed(
    tokens: Sequence[Token],
    cells: Sequence[int],
    columns: Sequence[int],
    types: Sequence[ValueType],
    lenient: bool,
    fill: Slot = MISSING,
) -> list[Reading]:
    """The reading with each cell in its column and ``fill`` in the others.

    None (an empty list) when a number is no value of its column's type,
    unless ``lenient``: then that cell is `Unread`.
    """
    slots: list[Slot] = [fill] * len(types)
    for column, i in zip(columns, cells, strict=True):
        token = tokens[i]
        if token.kind is TokenKind.EMPTY:
            slots[column] = (
                Unread(i, token.text, NOT_APPLICABLE) if token.void else Blank(i)
            )
            continue
        if token.number is None:
            slots[column] = Unread(i, token.text, "the cell holds no number")
            continue
        piece = _piece(tokens, i, token.number.digits, types[column], role="whole")
        if piece is not None:
            slots[column] = piece
        elif lenient:
            why = f"the number is no value of the column's type ({types[column].value})"
            slots[column] = Unread(i, token.text, why)
        else:
            return []  # not a value of this column's type: no such reading
    return [tuple(slots)]


def _unread(tokens: Sequence[Token], index: int) -> Unread:
    """The slot of an unread cell placed without positions (a mark in an
    undelimited row): its value is unknown wherever it lands."""
    text = tokens[index].text
    if FOOTNOTE_RUN.fullmatch(text):
        why = "a footnote mark runs into the digits after it (where its number ends is not printed)"
        return Unread(index, text, why)
    return Unread(index, text, "the cell holds no number")


def _positional(tokens: Sequence[Token]) -> bool:
    """One value per delimited cell: the cell positions are the columns."""
    if not tokens or not all(t.delimited for t in tokens):
        return False
    cells = [t.cell for t in tokens]
    return len(set(cells)) == len(cells)


#: Where a number sits in its token: the whole token, or a part of a glued run;
#: or an unread cell's place (no number: `Unread`).
Role = Literal["whole", "first", "middle", "last", "unread"]


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


#: The slots of numbers already converted in one row, by (token, digits,
#: role): a number's slot in each column (None where its type refuses it).
Pieces = dict[tuple[int, str, Role], list[Slot | None]]


def _column_slots(
    tokens: Sequence[Token],
    pieces: Pieces,
    number: tuple[int, str, Role],
    types: Sequence[ValueType],
) -> list[Slot | None]:
    """A number's slot in each column, memoised per row: a row's sequences
    share most of their numbers, and a number has one piece per column type."""
    slots = pieces.get(number)
    if slots is None:
        index, digits, role = number
        if role == "unread":
            slots = [_unread(tokens, index)] * len(types)
        else:
            by_type = {
                t: _piece(tokens, index, digits, t, role=role) for t in set(types)
            }
            slots = [by_type[t] for t in types]
        pieces[number] = slots
    return slots


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
    most = _most_parts(values, n)
    for i in values:
        number = tokens[i].number
        if number is None:
            options.append([[(i, "", "unread")]])  # one column, never cut
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


def _most_parts(values: list[int], n: int) -> int:
    """The most numbers one token can be cut into: every other token read takes a column.

    A sequence uses ``min(tokens, n)`` tokens, each giving at least one number,
    so a row with as many tokens as columns has no room for a cut at all.
    """
    return n - max(min(len(values), n) - 1, 0)


def _product(
    options: list[list[list[tuple[int, str, Role]]]], n: int
) -> list[list[tuple[int, str, Role]]]:
    """Every choice of one option per token, joined, that fits ``n`` columns,
    in the order of `itertools.product`.

    Built a token at a time, breadth first: a partial sequence is dropped
    as soon as the fewest numbers the tokens after it can give no longer
    fit, so every partial kept ends in at least one sequence, and no level
    holds more than the sequences listed (a list joined per option, not a
    generator frame per step).
    """
    # the fewest numbers the options from k on can give
    fewest = [0] * (len(options) + 1)
    for k in range(len(options) - 1, -1, -1):
        fewest[k] = fewest[k + 1] + min((len(o) for o in options[k]), default=0)
    if fewest[0] > n:
        return []
    partials: list[list[tuple[int, str, Role]]] = [[]]
    for k, choices in enumerate(options):
        room = n - fewest[k + 1]
        partials = [
            acc + opt
            for acc in partials
            for opt in choices
            if len(acc) + len(opt) <= room
        ]
    return partials


def _placements(
    tokens: Sequence[Token],
    sequence: list[tuple[int, str, Role]],
    types: Sequence[ValueType],
    pieces: Pieces,
    fill: Slot = BLANK,
) -> list[Reading]:
    """Each order-keeping placement of ``sequence`` into the columns, the
    others holding ``fill``, in the order of `itertools.combinations`.

    ``pieces`` memoises the value of a number in a column type: a row of 15
    columns has thousands of placements but only a few distinct pieces. The
    placements are built column by column, each sharing the start it has in
    common with the one before (a tuple joined in C), and a number its
    column's type refuses cuts off every placement putting it there.
    """
    n, m = len(types), len(sequence)
    table = [_column_slots(tokens, pieces, number, types) for number in sequence]
    fills = [(fill,) * g for g in range(n + 1)]
    out: list[Reading] = []

    def walk(i: int, start: int, head: Reading) -> None:
        row, room = table[i], n - (m - i) + 1
        if i == m - 1:  # the last number: each placement is one tuple
            for column in range(start, room):
                slot = row[column]
                if slot is not None:
                    out.append(
                        head + fills[column - start] + (slot,) + fills[n - column - 1]
                    )
            return
        for column in range(start, room):
            slot = row[column]
            if slot is not None:
                walk(i + 1, column + 1, head + fills[column - start] + (slot,))

    if m == 0:
        return [fills[n]]
    if m <= n:
        walk(0, 0, ())
    return out


def _all_placements(
    tokens: Sequence[Token],
    sequences: Iterable[list[tuple[int, str, Role]]],
    types: Sequence[ValueType],
    pieces: Pieces,
    fill: Slot = BLANK,
) -> list[Reading]:
    """The `_placements` of each sequence in turn, joined; where every
    column has one type, by `_one_type_placements`, which lists the same."""
    if len(types) >= 2 and all(t is types[0] for t in types):
        return _one_type_placements(tokens, sequences, types, pieces, fill)
    readings: list[Reading] = []
    for sequence in sequences:
        readings += _placements(tokens, sequence, types, pieces, fill)
    return readings


def _one_type_placements(
    tokens: Sequence[Token],
    sequences: Iterable[list[tuple[int, str, Role]]],
    types: Sequence[ValueType],
    pieces: Pieces,
    fill: Slot = BLANK,
) -> list[Reading]:
    """`_placements` of each sequence, joined, for columns of one type.

    Each number's slot is then the same in every column, and a placement is
    the same pick from ``(fill, *slots)`` whatever the numbers are
    (`_picks`): a pick in C per placement, and per sequence only its slots
    looked up (a glued or aligned row has a thousand sequences).
    """
    n = len(types)
    readings: list[Reading] = []
    for sequence in sequences:
        slots = (fill, *[_column_slots(tokens, pieces, x, types)[0] for x in sequence])
        if len(sequence) > n or None in slots:
            continue  # more numbers than columns, or one no column takes
        readings += map(
            operator.call, _picks(n, len(sequence)), itertools.repeat(slots)
        )
    return readings


#: A placement: the slot of each column, picked from ``(fill, *numbers)``.
_Pick = Callable[[tuple[Slot | None, ...]], Reading]


@functools.lru_cache(maxsize=64)
def _picks(n: int, m: int) -> list[_Pick]:
    """Per order-keeping placement of ``m`` numbers in ``n`` columns, in the
    order of `itertools.combinations`: what each column takes from ``(fill,
    number 1, ..., number m)`` (a pick in C, where a placement built slot by
    slot costs microseconds, and a glued row has thousands)."""
    picks: list[_Pick] = []
    for columns in itertools.combinations(range(n), m):
        source = [0] * n
        for k, column in enumerate(columns):
            source[column] = k + 1
        picks.append(cast(_Pick, operator.itemgetter(*source)))
    return picks


#: One row-local equation: ``Σ coef·column == 0`` as ``(coef, column index)`` pairs.
Constraint = tuple[tuple[int, int], ...]
