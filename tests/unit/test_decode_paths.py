"""The decoder's fast paths against the general code they stand for (issue 18).

`decode._RowSearch._fill_ahead` is `_fill_each` with ``ahead`` for a part of
one equation, with the work per option precomputed (`_steps`). Exactness is
not enough: the same readings in the same order, and the same states visited
(the `decode.MAX_STATES` bound must give up on the same rows), so both paths
are run on the same rows and compared on all three.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from unittest.mock import patch

from hypothesis import given, settings
from hypothesis import strategies as st

from govdisclosure.model import Value
from govdisclosure.pipeline import decode
from govdisclosure.pipeline.decode import Constraint, DecodeBoundError, Domain
from govdisclosure.pipeline.grid import Token, TokenKind
from govdisclosure.pipeline.segment import Reading
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


Row = tuple[list[Token], int, list[Constraint], list[Domain] | None]


@st.composite
def rows(draw: st.DrawFn) -> Row:
    """Glued rows of groups with a total (三: one group of up to six cells;
    四: three groups of four), often adding up, in one or two runs,
    sometimes with values allowed per column."""
    groups = draw(st.sampled_from([1, 1, 2, 3]))
    size = draw(st.integers(2, 6 if groups == 1 else 4))
    first = draw(st.booleans())
    cells: list[int] = []
    constraints: list[Constraint] = []
    for g in range(groups):
        parts = draw(st.lists(st.integers(0, 99_999), min_size=size, max_size=size))
        total = sum(parts) + draw(st.sampled_from([0, 0, 0, 1]))
        cells += [total, *parts] if first else [*parts, total]
        base = g * (size + 1)
        at, rest = (base, base + 1) if first else (base + size, base)
        constraints.append(((1, at), *((-1, rest + i) for i in range(size))))
    text = "".join(str(c) for c in cells)
    cut = draw(st.integers(0, len(text) - 1))
    runs = [r for r in ([text[:cut], text[cut:]] if cut else [text]) if r]
    width = len(cells)
    domains: list[Domain] | None = None
    if draw(st.booleans()):
        known = [frozenset[Value]({c, 0}) for c in cells]
        domains = [draw(st.sampled_from([None, known[j]])) for j in range(width)]
    tokens = [_token(r, i) for i, r in enumerate(runs)]
    return tokens, width, constraints, domains


@contextmanager
def _general() -> Iterator[None]:
    """Every part searched by `_fill_each` alone, as before the fast path."""

    def ahead(
        self: decode._RowSearch,
        column: int,
        k: int,
        offset: int,
        sums: tuple[Value, ...],
        single: int,
    ) -> bool:
        return self._fill_each(column, k, offset, sums, ahead=True)

    with patch.object(decode._RowSearch, "_fill_ahead", ahead):
        yield


def _decoded(row: Row) -> tuple[list[Reading] | str | None, list[int]]:
    """The row's readings (or that it passed the bounds) and the states each
    search visited."""
    tokens, width, constraints, domains = row
    visited: list[int] = []
    run = decode._RowSearch.run

    def counted(self: decode._RowSearch) -> list[Reading]:
        try:
            return run(self)
        finally:
            visited.append(self.visited)

    with patch.object(decode._RowSearch, "run", counted):
        try:
            found = decode.row_solutions(tokens, [INT] * width, constraints, domains)
        except DecodeBoundError:
            return "bound", visited
    return found, visited


@contextmanager
def _searched() -> Iterator[None]:
    """Every row searched column by column (`_RowSearch`): none read by its
    cuts (`decode._sum_row`, `_RowSearch._segment`), which need counts."""
    with patch.object(decode, "_counts", lambda *args: False):
        yield


@settings(max_examples=150, deadline=None)
@given(rows())
def test_fill_ahead_is_fill_each(row: Row) -> None:
    with _searched():
        fast = _decoded(row)
        with _general():
            general = _decoded(row)
    assert fast == general


@st.composite
def sum_rows(draw: st.DrawFn) -> Row:
    """Rows whose last column is the sum of the others (三), up to 24 digits in
    one to three runs: cells adding up or not, many zeros, or any digits."""
    size = draw(st.integers(2, 6))  # (a cell and its total are searched forward)
    kind = draw(st.sampled_from(["adds", "adds", "zeros", "digits"]))
    if kind == "digits":
        text = draw(st.text("0123456789", min_size=1, max_size=24))
    else:
        top = 9 if kind == "zeros" else 99_999
        parts = draw(st.lists(st.integers(0, top), min_size=1, max_size=size))
        if kind == "zeros":
            parts = [p if draw(st.booleans()) else 0 for p in parts]
        total = sum(parts) + draw(st.sampled_from([0, 0, 0, 1]))
        text = "".join(str(c) for c in [*parts, total])[:24]
    cuts = sorted(set(draw(st.lists(st.integers(1, len(text)), max_size=2))))
    runs = [
        text[a:b]
        for a, b in zip([0, *cuts], [*cuts, len(text)], strict=True)
        if text[a:b]
    ]
    constraints: list[Constraint] = [((1, size), *((-1, j) for j in range(size)))]
    return [_token(r, i) for i, r in enumerate(runs)], size + 1, constraints, None


@settings(max_examples=400, deadline=None)
@given(sum_rows())
def test_a_sum_row_cut_is_the_search(row: Row) -> None:
    """`decode._sum_row` lists a 三 row's readings as the search does: the
    same readings in the same order (and it is the path such rows take)."""
    tokens, width, constraints, _ = row
    values = list(range(len(tokens)))
    merged = [decode._merged(c) for c in constraints]
    assert (
        decode._sum_row(tokens, [INT] * width, values, merged, [None] * width)
        is not None
    )
    fast, _ = _decoded(row)
    with _searched():
        general, _ = _decoded(row)
    assert fast == general


@settings(max_examples=300, deadline=None)
@given(rows())
def test_blocks_cut_are_the_search(row: Row) -> None:
    """A 四 group read by its cuts (`_RowSearch._segment`) gives what the
    search of its columns gives: the same readings in the same order."""
    fast, _ = _decoded(row)
    with _searched():
        general, _ = _decoded(row)
    assert fast == general


def test_a_sum_row_of_zeros() -> None:
    """``000`` over four columns: three 0 cells with the total empty, or two 0
    cells and a 0 total, in the order the search fills the columns (from the
    total back, each column empty before it takes a number)."""
    row: Row = ([_token("000", 0)], 4, [((1, 3), (-1, 0), (-1, 1), (-1, 2))], None)
    fast, _ = _decoded(row)
    with _searched():
        general, _ = _decoded(row)
    assert fast == general
    assert isinstance(fast, list)
    shown = [["-" if isinstance(s, str) else s.text for s in r] for r in fast]
    assert shown == [
        ["0", "0", "0", "-"],  # the total empty first, then the cells
        ["0", "0", "-", "0"],  # a 0 total, then 总计's neighbour empty first
        ["0", "-", "0", "0"],
        ["-", "0", "0", "0"],
    ]


def test_fill_ahead_on_a_long_total_row() -> None:
    """A 三 total row of 38 digits (gov-2021, glued): the one reading, by both paths."""
    digits = "91358170811074078388879107827382079509"
    constraints: list[Constraint] = [((1, 6), *((-1, j) for j in range(6)))]
    row: Row = ([_token(digits, 0)], 7, constraints, None)
    fast = _decoded(row)
    with _general():
        general = _decoded(row)
    assert fast == general
    found = fast[0]
    assert isinstance(found, list)
    assert [[s.text for s in r if not isinstance(s, str)] for r in found] == [
        ["91358", "1708", "1107407", "8388", "87910", "782738", "2079509"]
    ]


@settings(max_examples=300, deadline=None)
@given(
    st.text("0123456789", min_size=2, max_size=14).filter(lambda d: d[0] != "0"),
    st.sampled_from([None, 1, -1]),
    st.sampled_from([None, "件"]),
    st.booleans(),
    st.data(),
)
def test_count_cuts_are_cuts(
    digits: str,
    sign: int | None,
    unit: str | None,
    reverse: bool,
    data: st.DataObject,
) -> None:
    """`decode._count_cuts` (a count column, a run without a point) lists the
    same parts, values, units and places as the general `decode._cuts`."""
    token = Token(
        TokenKind.VALUE,
        digits,
        0,
        len(digits),
        1,
        0,
        False,
        number=NumberToken(sign, digits, unit),
    )
    offset = data.draw(st.integers(0, len(digits) - 1))
    k = data.draw(st.integers(0, 2))
    fast = decode._count_cuts(token, 3, k, offset, INT, reverse)
    assert fast == decode._cuts(token, 3, k, offset, INT, reverse)
    assert all(type(c[0].value) is int for c in fast)


def test_count_cuts_of_a_run_with_zeros() -> None:
    """``1020`` from the left: 1, 10, 102 (the whole run is no part); from
    its second digit: only ``0`` (``02``, ``020`` have a leading zero)."""
    token = _token("1020", 0)
    cuts = decode._count_cuts(token, 0, 0, 0, INT, False)
    assert [(c[0].text, c[0].value, c[1], c[2]) for c in cuts] == [
        ("1", 1, 0, 1),
        ("10", 10, 0, 2),
        ("102", 102, 0, 3),
    ]
    later = decode._count_cuts(token, 0, 0, 1, INT, False)
    assert [(c[0].text, c[0].value, c[1], c[2]) for c in later] == [("0", 0, 0, 2)]


@contextmanager
def _every_cut() -> Iterator[None]:
    """Every cut of a column tried, as before `decode._RowSearch._monotone`."""

    def monotone(
        self: decode._RowSearch, column: int
    ) -> tuple[tuple[int, int, int, bool], ...]:
        return ()

    with patch.object(decode._RowSearch, "_monotone", monotone):
        yield


@settings(max_examples=300, deadline=None)
@given(rows())
def test_longer_cuts_past_nothing_owed_are_not_tried(row: Row) -> None:
    """`_monotone` stops at the first cut of a count that leaves less than
    nothing owed, or more than the digits left make: the same readings in the same order (or the same bound
    passed), and never more states than trying every cut (so the
    `decode.MAX_STATES` bound gives up on no row it did not before)."""
    found, visited = _decoded(row)
    with _every_cut():
        every, visited_every = _decoded(row)
    assert found == every
    if found != "bound":
        assert len(visited) == len(visited_every)
        assert all(a <= b for a, b in zip(visited, visited_every, strict=True))


def test_a_long_total_row_tries_fewer_cuts() -> None:
    """The 27-digit 三 total row of ``tests/test_decode_across.py``
    (0 | 234567 | 345678 | 123456 | 0 | 0 | 703701, read by hand): its one
    reading, in 87 states where trying every cut took 191."""
    digits = "023456734567812345600703701"
    constraints: list[Constraint] = [((1, 6), *((-1, j) for j in range(6)))]
    row: Row = ([_token(digits, 0)], 7, constraints, None)
    found, visited = _decoded(row)
    with _every_cut():
        every, visited_every = _decoded(row)
    assert found == every
    assert isinstance(found, list)
    values = [[s.value if not isinstance(s, str) else 0 for s in r] for r in found]
    assert [0, 234567, 345678, 123456, 0, 0, 703701] in values
    assert visited[0] < visited_every[0]
