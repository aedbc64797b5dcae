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

from govdisclosure.pipeline.decode import Constraint, row_solutions
from govdisclosure.pipeline.grid import Token, TokenKind
from govdisclosure.pipeline.segment import (
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
    def value(j: int) -> int:
        slot = reading[j]
        return int(slot.value or 0) if isinstance(slot, Piece) else 0

    return all(sum(c * value(j) for c, j in eq) == 0 for eq in constraints)


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
            d is None or (s.value if isinstance(s, Piece) else 0) in d
            for s, d in zip(reading, domains, strict=True)
        )

    oracle = {_key(r) for r in listed if _holds(r, constraints) and within(r)}

    decoded = row_solutions(tokens, types, constraints, domains)

    assert decoded is not None
    assert oracle == {_key(r) for r in decoded}
