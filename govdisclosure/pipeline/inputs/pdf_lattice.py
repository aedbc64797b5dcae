"""A PDF page's characters → words; its ruling lines → ruled tables, cell by cell.

The rules are pdfplumber's (its ``extract_words`` and the ``lines`` strategy
of ``find_tables``, default settings), written again over the characters and
edges PDFium gives (`pdf_layer`): pdfplumber's own ran over pdfminer's page
objects, ten times slower than reading the page. So:

* characters within 3 points of height make a line; a line's characters
  part into words at a space or a gap of more than 3 points;
* edges within 3 points of one line are moved onto it (their mean) and
  joined where they meet or nearly (3 points); an edge shorter than 3 points
  is none;
* where a vertical and a horizontal edge cross (within 3 points) is a
  corner; a cell is the smallest rectangle of corners whose sides are drawn;
  cells that share a corner make a table (two cells or more);
* a cell's text is the characters whose middle is in it (its right and
  bottom sides excluded); a row's place that no cell starts at is ``None``
  (a cell merged over it).
"""

from __future__ import annotations

import itertools
import operator
from bisect import bisect_left
from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeVar

from govdisclosure.pipeline.inputs.pdf_layer import Char, Edge

__all__ = ["Table", "tables", "words"]

#: pdfplumber's default tolerances (points): characters, words, edges, corners.
_X_TOLERANCE = 3.0
_Y_TOLERANCE = 3.0
_SNAP = 3.0
_JOIN = 3.0
_MIN_EDGE = 3.0
_MIN_EDGE_FIRST = 1.0
_CORNER = 3.0

_T = TypeVar("_T")

Word = dict[str, Any]
BBox = tuple[float, float, float, float]
Point = tuple[float, float]


def _clusters(
    items: Iterable[_T], key: Callable[[_T], float], tol: float
) -> list[list[_T]]:
    """Items grouped where their keys, sorted, are each within ``tol`` of the last.

    The groups in the order of their keys; items in a group in their given order.
    """
    items = list(items)
    keys = [key(i) for i in items]
    if not items or max(keys) - min(keys) <= tol:  # one group (a cell's line)
        return [items] if items else []
    cluster: dict[float, int] = {}
    n, last = -1, float("-inf")
    for value in sorted(set(keys)):
        if value > last + tol:
            n += 1
        cluster[value] = n
        last = value
    groups: list[list[_T]] = [[] for _ in range(n + 1)]
    for item, k in zip(items, keys, strict=True):
        groups[cluster[k]].append(item)
    return groups


def words(chars: Sequence[Char]) -> list[Word]:
    """Characters → words (text, x0, x1, top, bottom), line by line, left to right."""
    out: list[Word] = []
    for line in _clusters(chars, _top, _Y_TOLERANCE):
        word: list[Char] = []
        for char in sorted(line, key=_x0):
            if char.text.isspace():
                out += _word(word)
                word = []
                continue
            if word and _parts(word[-1], char):
                out += _word(word)
                word = []
            word.append(char)
        out += _word(word)
    return out


_top = operator.attrgetter("top")
_x0 = operator.attrgetter("x0")


def _parts(prev: Char, char: Char) -> bool:
    """Whether ``char`` starts a new word after ``prev``: behind it, past a gap, or off its line."""
    return (
        char.x0 < prev.x0
        or char.x0 > prev.x1 + _X_TOLERANCE
        or abs(char.top - prev.top) > _Y_TOLERANCE
    )


def _word(chars: list[Char]) -> list[Word]:
    if not chars:
        return []
    text, x0s, x1s, tops, bottoms = zip(*chars, strict=True)
    return [
        {
            "text": "".join(text),
            "x0": min(x0s),
            "x1": max(x1s),
            "top": min(tops),
            "bottom": max(bottoms),
        }
    ]


def _text(chars: Sequence[Char]) -> str:
    """A cell's characters as text: its words, a space between, a line break between lines."""
    lines = _clusters(words(chars), lambda w: w["top"], _Y_TOLERANCE)
    return "\n".join(" ".join(w["text"] for w in line) for line in lines)


class Table:
    """A ruled table: its cells (x0, top, x1, bottom), read row by row (`rows`)."""

    def __init__(self, cells: list[BBox]) -> None:
        self.cells = cells
        self.bbox: BBox = (
            min(c[0] for c in cells),
            min(c[1] for c in cells),
            max(c[2] for c in cells),
            max(c[3] for c in cells),
        )

    def rows(self, chars: Sequence[Char]) -> list[list[str | None]]:
        """Each row's cells' text, left to right; ``None`` where a merged cell covers the place."""
        xs = sorted({c[0] for c in self.cells})
        # the table's characters by the height of their middle: a row's are a slice
        inside = sorted(
            ((ch.top + ch.bottom) / 2, (ch.x0 + ch.x1) / 2, ch)
            for ch in chars
            if _in(ch, self.bbox)
        )
        heights = [m[0] for m in inside]
        out: list[list[str | None]] = []
        ordered = sorted(self.cells, key=lambda c: (c[1], c[0]))
        for _, group in itertools.groupby(ordered, key=lambda c: c[1]):
            by_x = {c[0]: c for c in group}
            row = [by_x.get(x) for x in xs]
            cells = [c for c in row if c is not None]
            top, bottom = min(c[1] for c in cells), max(c[3] for c in cells)
            left, right = min(c[0] for c in cells), max(c[2] for c in cells)
            span = inside[bisect_left(heights, top) : bisect_left(heights, bottom)]
            mine = [m for m in span if left <= m[1] < right]
            out.append(
                [None if cell is None else _cell_text(mine, cell) for cell in row]
            )
        return out


def _cell_text(row: list[tuple[float, float, Char]], cell: BBox) -> str:
    """The text of the row's characters (middles given) whose middle is in the cell."""
    x0, top, x1, bottom = cell
    chars = [ch for y, x, ch in row if x0 <= x < x1 and top <= y < bottom]
    return _text(chars) if chars else ""


def _in(char: Char, box: BBox) -> bool:
    """Whether a character's middle is in the box, its right and bottom sides excluded."""
    x = (char.x0 + char.x1) / 2
    y = (char.top + char.bottom) / 2
    return box[0] <= x < box[2] and box[1] <= y < box[3]


def tables(edges: Sequence[Edge]) -> list[Table]:
    """The page's ruled tables, top to bottom, from its edges."""
    kept = [e for e in edges if _length(e) >= _MIN_EDGE_FIRST]
    merged = [e for e in _merged(kept) if _length(e) >= _MIN_EDGE]
    corners = _corners(merged)
    return [Table(cells) for cells in _tables(_cells(corners))]


def _length(edge: Edge) -> float:
    return edge.bottom - edge.top if edge.vertical else edge.x1 - edge.x0


def _merged(edges: list[Edge]) -> list[Edge]:
    """Edges moved onto the mean line of those within 3 points, then joined along it."""
    snapped: list[Edge] = []
    for vertical in (True, False):
        group = [e for e in edges if e.vertical is vertical]
        for cluster in _clusters(group, _line, _SNAP):
            at = sum(_line(e) for e in cluster) / len(cluster)
            snapped += [_moved(e, at) for e in cluster]
    out: list[Edge] = []
    key = lambda e: (e.vertical, _line(e))  # noqa: E731
    for _, line in itertools.groupby(sorted(snapped, key=key), key=key):
        out += _joined(list(line))
    return out


def _line(edge: Edge) -> float:
    """Where the edge's line is: a vertical one's x, a horizontal one's height."""
    return edge.x0 if edge.vertical else edge.top


def _moved(edge: Edge, at: float) -> Edge:
    if edge.vertical:
        return edge._replace(x0=at, x1=at)
    return edge._replace(top=at, bottom=at)


def _joined(edges: list[Edge]) -> list[Edge]:
    """Edges on one line joined where one starts within 3 points of where the last ends."""
    start = (lambda e: e.top) if edges[0].vertical else (lambda e: e.x0)
    ordered = sorted(edges, key=start)
    joined = ordered[:1]
    for edge in ordered[1:]:
        last = joined[-1]
        if edge.vertical and edge.top <= last.bottom + _JOIN:
            joined[-1] = last._replace(bottom=max(last.bottom, edge.bottom))
        elif not edge.vertical and edge.x0 <= last.x1 + _JOIN:
            joined[-1] = last._replace(x1=max(last.x1, edge.x1))
        else:
            joined.append(edge)
    return joined


def _corners(edges: list[Edge]) -> dict[Point, tuple[set[Edge], set[Edge]]]:
    """Where a vertical edge and a horizontal one cross or nearly: the edges at each corner."""
    verticals = sorted((e for e in edges if e.vertical), key=lambda e: (e.x0, e.top))
    horizontals = sorted(
        (e for e in edges if not e.vertical), key=lambda e: (e.top, e.x0)
    )
    corners: dict[Point, tuple[set[Edge], set[Edge]]] = {}
    for v in verticals:
        for h in horizontals:
            if (
                v.top <= h.top + _CORNER
                and v.bottom >= h.top - _CORNER
                and h.x0 - _CORNER <= v.x0 <= h.x1 + _CORNER
            ):
                at = corners.setdefault((v.x0, h.top), (set(), set()))
                at[0].add(v)
                at[1].add(h)
    return corners


def _cells(corners: dict[Point, tuple[set[Edge], set[Edge]]]) -> list[BBox]:
    """Each corner's smallest cell: the nearest corners below and right joined by drawn sides."""

    def drawn(p: Point, q: Point) -> bool:
        if p[0] == q[0] and corners[p][0] & corners[q][0]:
            return True
        return p[1] == q[1] and bool(corners[p][1] & corners[q][1])

    columns: dict[float, list[Point]] = {}  # the corners at an x, top to bottom
    lines: dict[float, list[Point]] = {}  # the corners at a height, left to right
    for p in sorted(corners):
        columns.setdefault(p[0], []).append(p)
        lines.setdefault(p[1], []).append(p)
    cells: list[BBox] = []
    for p in sorted(corners):
        below = [q for q in columns[p[0]] if q[1] > p[1] and drawn(p, q)]
        right = [q for q in lines[p[1]] if q[0] > p[0] and drawn(p, q)]
        cell = next(
            (
                (p[0], p[1], r[0], b[1])
                for b in below
                for r in right
                if (r[0], b[1]) in corners
                and drawn((r[0], b[1]), r)
                and drawn((r[0], b[1]), b)
            ),
            None,
        )
        if cell is not None:
            cells.append(cell)
    return cells


def _tables(cells: list[BBox]) -> list[list[BBox]]:
    """Cells grouped into tables: those that share a corner with the group, as pdfplumber groups them."""
    remaining = list(cells)
    corners: set[Point] = set()
    group: list[BBox] = []
    found: list[list[BBox]] = []
    while remaining:
        size = len(group)
        for cell in list(remaining):
            mine = {
                (cell[0], cell[1]),
                (cell[0], cell[3]),
                (cell[2], cell[1]),
                (cell[2], cell[3]),
            }
            if not group or mine & corners:
                corners |= mine
                group.append(cell)
                remaining.remove(cell)
        if len(group) == size:
            found.append(group)
            corners, group = set(), []
    if group:
        found.append(group)
    found.sort(key=lambda t: min((c[1], c[0]) for c in t))
    return [t for t in found if len(t) > 1]
