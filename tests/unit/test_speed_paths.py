"""The fast paths of the clean-report speed work (issue 20) give what the general ones do.

Each fast path is a named helper; here it is checked against the plain
code it stands for, on generated inputs, so that a speed change can never
change what a cell reads.
"""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from govdisclosure.pipeline.cells import _column_slots
from govdisclosure.pipeline.grid import _cut_cells, _empties_shown
from govdisclosure.pipeline.normalize import Line
from govdisclosure.pipeline.segment import BLANK, GAP, MISSING, Piece, Slot, Unread
from govdisclosure.pipeline.tokens import LineCell, Token, TokenKind
from govdisclosure.typography import _MATCH_FOLD, match_fold

#: Texts of cells and lines: pipes, tabs, spaces, digits, Han, and the
#: punctuation the match form folds.
_CHARS = st.sampled_from([*"|\t  012规章其他、，：。；“”()（）-", "\u3000"])
_TEXTS = st.text(_CHARS, max_size=40) | st.text(max_size=80)


def _match_fold_plain(text: str) -> str:
    """`match_fold` as first written: every pair replaced, no shortcut."""
    for old, new in _MATCH_FOLD:
        text = text.replace(old, new)
    return text


@settings(max_examples=400)
@given(_TEXTS)
def test_match_fold_equals_every_replace(text: str) -> None:
    assert match_fold(text) == _match_fold_plain(text)


def test_match_fold_long_text() -> None:
    """A long text takes the ``in`` scans, a short one the class search: both fold."""
    text = "政" * 200 + "，1、2。"
    assert match_fold(text) == _match_fold_plain(text)
    assert match_fold(text[-8:]) == _match_fold_plain(text[-8:])


_DELIMITER = re.compile(r"[|\t]")


def _cut_cells_plain(
    line: Line, column: int, stop: int, numbered: int
) -> list[LineCell]:
    """`grid._cut_cells` as first written: the line cut at each delimiter's match."""
    text = line.text
    body = text[column:stop]
    if not body.strip():
        return []
    if "|" not in body and "\t" not in body:
        return [LineCell(line, column, stop, False, numbered + 1, False, body)]
    bounds = [
        column - 1,
        *(column + m.start() for m in _DELIMITER.finditer(body)),
        stop,
    ]
    spans = [(bounds[i] + 1, bounds[i + 1]) for i in range(len(bounds) - 1)]
    stripped = body.strip()
    if stripped.endswith(("|", "\t")) and not text[spans[-1][0] : spans[-1][1]].strip():
        spans.pop()
    optional = (
        stripped.startswith("|")
        and bool(stripped.strip("|").strip())
        and not text[spans[0][0] : spans[0][1]].strip()
    )
    return [
        LineCell(line, a, b, True, numbered + 1 + i, optional and i == 0, text[a:b])
        for i, (a, b) in enumerate(spans)
    ]


@settings(max_examples=400)
@given(_TEXTS, st.integers(0, 5), st.integers(0, 5), st.integers(0, 50))
def test_cut_cells_equals_delimiter_matches(
    text: str, lead: int, trail: int, numbered: int
) -> None:
    line = Line(3, text, range(len(text)), len(text))
    column, stop = min(lead, len(text)), max(min(lead, len(text)), len(text) - trail)
    assert _cut_cells(line, column, stop, numbered) == _cut_cells_plain(
        line, column, stop, numbered
    )


@given(st.booleans(), st.booleans(), st.text(max_size=5))
def test_empties_shown_equals_replace(
    delimited: bool, optional: bool, note: str
) -> None:
    token = Token(
        TokenKind.EMPTY, "", 4, 4, 2, 7, delimited, optional=optional, note=note
    )
    assert _empties_shown(token) == token._replace(empties_shown=True)
    assert type(_empties_shown(token)) is Token


@given(
    st.lists(
        st.lists(st.integers(0, 6), min_size=3, max_size=3), min_size=1, max_size=30
    )
)
def test_column_slots_equal_every_slot_once(choices: list[list[int]]) -> None:
    """`cells._column_slots` gives, per column, each slot object once, in
    the order first met: what a walk over every reading gives."""
    pool: list[Slot] = [
        Piece(0, "1", 1, None),
        Piece(1, "2", 2, None),
        Piece(0, "1", 1, None),  # equal to the first, another object
        Unread(2, "*", "a mark"),
        BLANK,
        GAP,
        MISSING,
    ]
    readings = tuple(tuple(pool[i] for i in row) for row in choices)
    plain: list[list[Slot]] = []
    for j in range(3):
        seen: dict[int, Slot] = {}
        for reading in readings:
            seen.setdefault(id(reading[j]), reading[j])
        plain.append(list(seen.values()))
    got = _column_slots(readings)
    assert [[id(s) for s in col] for col in got] == [
        [id(s) for s in col] for col in plain
    ]
