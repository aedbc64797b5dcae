"""The exact row decoder against a brute-force oracle (issue 18, point 4).

For small glued rows (a few runs of digits over up to eight count columns,
with group totals as 四 has, or one row total as 三 has) the oracle lists
every reading the layout allows (`segment.row_readings`, which enumerates
every cut and placement) and keeps those satisfying the equations, blank as
zero. `decode.row_solutions` must return exactly those readings: then every
cell it decides is one all consistent readings agree on, it flags the rest,
and it finds no reading exactly when the oracle finds none.
"""

from __future__ import annotations

from hypothesis import given, reject, settings
from hypothesis import strategies as st

from govdisclosure.pipeline.decode import Constraint, DecodeBoundError, row_solutions
from govdisclosure.pipeline.grid import Token, TokenKind
from govdisclosure.pipeline.segment import (
    LOST,
    Piece,
    Reading,
    TooManyReadingsError,
    row_readings,
)
from govdisclosure.pipeline.values import NumberToken
from govdisclosure.spec.model import ValueType

INT = ValueType.INT


def _token(digits: str, cell: int) -> Token:
    return Token(
        TokenKind.VALUE,
        digits,
        0,
        len(digits),
        1,
        cell,
        False,
        number=NumberToken(None, digits, None),
    )


def _holds(reading: Reading, constraints: list[Constraint]) -> bool:
    """Every equation holds, blank as zero; one with a lost cell (`LOST`: a row
    printed apart may have lost a cell, whose value is unknown) may hold,
    unless its terms for that column cancel."""

    def value(j: int) -> int:
        slot = reading[j]
        return int(slot.value or 0) if isinstance(slot, Piece) else 0

    for eq in constraints:
        coefs: dict[int, int] = {}
        for c, j in eq:
            coefs[j] = coefs.get(j, 0) + c
        if any(c and reading[j] is LOST for j, c in coefs.items()):
            continue
        if sum(c * value(j) for j, c in coefs.items()) != 0:
            return False
    return True


def _key(reading: Reading) -> tuple[object, ...]:
    return tuple(
        (s.token, s.text, s.value) if isinstance(s, Piece) else s for s in reading
    )


@st.composite
def rows(draw: st.DrawFn) -> tuple[list[Token], int, list[Constraint]]:
    """Runs of digits (from cells that mostly add up) and the equations over them.

    Each group of cells has a total, first or last (searched from the left
    or from the right), as 四's groups and 三's rows have.
    """
    groups = draw(st.integers(1, 2))
    size = draw(st.integers(2, 3))  # cells per group besides its total
    first = draw(st.booleans())
    width = groups * (size + 1)
    cells: list[int] = []
    constraints: list[Constraint] = []
    for g in range(groups):
        parts = draw(st.lists(st.integers(0, 12), min_size=size, max_size=size))
        total = sum(parts) + draw(st.sampled_from([0, 0, 0, 1]))  # sometimes broken
        cells += [total, *parts] if first else [*parts, total]
        base = g * (size + 1)
        at, rest = (base, base + 1) if first else (base + size, base)
        constraints.append(((1, at), *((-1, rest + i) for i in range(size))))
    text = "".join(str(c) for c in cells)
    if draw(st.booleans()):
        # some cells printed empty: their digits are not in the text
        dropped = draw(st.sets(st.integers(0, width - 1), max_size=2))
        text = "".join(str(c) for i, c in enumerate(cells) if i not in dropped)
    cut = draw(st.integers(0, len(text) - 1))  # one or two runs
    runs = [text[:cut], text[cut:]] if cut else [text]
    tokens = [_token(r, i) for i, r in enumerate(r for r in runs if r)]
    return tokens, width, constraints


@settings(max_examples=150, deadline=None)
@given(rows())
def test_row_solutions_are_the_consistent_readings(
    row: tuple[list[Token], int, list[Constraint]],
) -> None:
    tokens, width, constraints = row
    types = [INT] * width
    try:
        listed = row_readings(tokens, types)
    except TooManyReadingsError:
        reject()  # too many for the oracle to list
    oracle = {_key(r) for r in listed if _holds(r, constraints)}

    decoded = row_solutions(tokens, types, constraints)

    assert decoded is not None
    assert oracle == {_key(r) for r in decoded}
    assert len(decoded) == len({_key(r) for r in decoded})  # each reading once


@settings(max_examples=100, deadline=None)
@given(rows(), st.data())
def test_row_solutions_within_domains_are_the_consistent_readings(
    row: tuple[list[Token], int, list[Constraint]], data: st.DataObject
) -> None:
    """With values allowed per column (as the equations through other rows
    leave them, `narrow._domains`): exactly the oracle's readings within them,
    an empty cell counting as 0."""
    tokens, width, constraints = row
    types = [INT] * width
    try:
        listed = row_readings(tokens, types)
    except TooManyReadingsError:
        reject()
    domains = [
        data.draw(st.none() | st.frozensets(st.integers(0, 30), max_size=4))
        for _ in range(width)
    ]

    def within(reading: Reading) -> bool:
        return all(
            d is None or s is LOST or (s.value if isinstance(s, Piece) else 0) in d
            for s, d in zip(reading, domains, strict=True)
        )

    oracle = {_key(r) for r in listed if _holds(r, constraints) and within(r)}

    decoded = row_solutions(tokens, types, constraints, domains)

    assert decoded is not None
    assert oracle == {_key(r) for r in decoded}


def _cuts(
    digits: str, width: int, constraints: list[Constraint]
) -> set[tuple[int | None, ...]]:
    """Every way to cut ``digits`` into ``width`` cells (empty, or a part
    without leading zeros) that satisfies ``constraints``, empty as zero.

    A plain depth-first enumeration, independent of the decoder: each
    equation is judged once its last column is filled.
    """
    closing: dict[int, list[Constraint]] = {}
    for eq in constraints:
        closing.setdefault(max(j for _, j in eq), []).append(eq)
    found: set[tuple[int | None, ...]] = set()

    def walk(column: int, at: int, cells: list[int | None]) -> None:
        for eq in closing.get(column - 1, []):
            if sum(c * (cells[j] or 0) for c, j in eq):
                return
        if column == width:
            if at == len(digits):
                found.add(tuple(cells))
            return
        walk(column + 1, at, [*cells, None])
        for end in range(at + 1, len(digits) + 1):
            part = digits[at:end]
            if part == "0" or not part.startswith("0"):
                walk(column + 1, end, [*cells, int(part)])

    walk(0, 0, [])
    return found


@st.composite
def blocked_rows(draw: st.DrawFn) -> tuple[str, int, list[Constraint]]:
    """A row of groups, each two cells and their total (四's groups, shorter),
    with values of up to five digits, glued into one run; sometimes a column
    in no equation between or after the groups."""
    groups = draw(st.integers(2, 3))
    free = draw(st.none() | st.integers(0, groups))  # before which group
    cells: list[int] = []
    constraints: list[Constraint] = []
    for g in range(groups + 1):
        if free == g:
            cells.append(draw(st.integers(0, 99_999)))
        if g == groups:
            break
        parts = draw(st.lists(st.integers(0, 99_999), min_size=2, max_size=2))
        base = len(cells)
        cells += [*parts, sum(parts)]
        constraints.append(((1, base + 2), (-1, base), (-1, base + 1)))
    return "".join(map(str, cells)), len(cells), constraints


@settings(max_examples=40, deadline=None)
@given(blocked_rows())
def test_blocked_row_with_large_values_is_the_oracle(
    row: tuple[str, int, list[Constraint]],
) -> None:
    """Rows whose equations fall in blocks of adjacent columns are decoded block
    by block (`decode._RowSearch._by_blocks`): still exactly the readings a
    plain enumeration of every cut finds, with values too large for
    `row_readings` to list."""
    digits, width, constraints = row
    oracle = _cuts(digits, width, constraints)

    try:
        decoded = row_solutions([_token(digits, 0)], [INT] * width, constraints)
    except DecodeBoundError:
        # allowed (the caller flags the row): a 42-digit run of small
        # counts with a free column has 86 readings and passes 20,000 states
        reject()

    assert decoded is not None
    got = [
        tuple(int(s.value) if isinstance(s, Piece) else None for s in r)  # type: ignore[arg-type]
        for r in decoded
    ]
    assert oracle == set(got)
    assert len(got) == len(set(got))
