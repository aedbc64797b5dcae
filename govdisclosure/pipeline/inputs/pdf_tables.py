"""A PDF table drawn without ruling lines → pipe rows, read from where its words stand.

Its value columns are read from where the numbers stand and where its header
names them, so a cell printed empty is an explicit empty cell; a label's
wrapped lines are joined to its row (`_Table`). Where the positions do not
settle the columns, its rows are written without delimiters, for the next
steps to weigh.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from govdisclosure.pipeline.inputs.pdf_words import Box, TextLine, glued

__all__ = ["unruled_rows"]

#: What a table prints in a value cell: a number (digits, thousands separators,
#: a decimal part), or a mark for none (``—``, ``/``, ``*``).
_PDF_VALUE = re.compile(r"[-+]?\d[\d,，]*(?:\.\d+)?%?|[-—–/／*＊]{1,3}")

#: A label's own start (``1.``, ``（一）``, ``一、``): never the rest of a wrapped label.
_ENUMERATED = re.compile(r"[(（]?[一二三四五六七八九十\d]{1,3}[)）、.．]")


def _is_value(box: Box) -> bool:
    return _PDF_VALUE.fullmatch(box.text) is not None


def _is_row(line: TextLine) -> bool:
    """A table row printed without rules: two cells or more, one of them a number."""
    return len(line.boxes) >= 2 and any(_is_value(b) for b in line.boxes)


def _first_value(line: TextLine) -> Box:
    return next(b for b in line.boxes if _is_value(b))


def unruled_rows(lines: list[TextLine]) -> list[tuple[float, list[str]]]:
    """Lines outside ruled tables → text, unruled tables as pipe rows.

    An unruled table is a run of row lines (`_is_row`) and the lines of
    labels between them, with the label lines just above and below it (a
    wrapped label's other lines): `_runs` finds them. Its columns are read
    from where its numbers stand (`_Table`), so a cell the column positions
    show empty is written as an empty cell.
    """
    placed: list[tuple[float, list[str]]] = []
    done = 0  # lines before this one are placed
    for start, end in _runs(lines):
        placed += [(line.top, [line.text]) for line in lines[done:start]]
        headers = _header_lines(lines[done:start], lines[start:end])
        placed += _Table(lines[start:end], headers).placed()
        done = end
    placed += [(line.top, [line.text]) for line in lines[done:]]
    return placed


def _runs(lines: list[TextLine]) -> Iterator[tuple[int, int]]:
    """Where the unruled tables are: ``(start, end)`` of each, its label lines included.

    First the loose run: row lines, and lines whose every cell ends before
    the values start. Then the run is cut at each line with a cell right of
    every label (a header over the values, which right-aligned numbers leave
    room for before them): starting right of where the rows' labels end,
    under no label that starts left of there (a wider label above a
    column of sub-labels, whose rows may all be printed empty).
    """
    i = floor = 0
    while i < len(lines):
        if not _is_row(lines[i]):
            i += 1
            continue
        values = _first_value(lines[i]).x0
        start, end = i, i + 1
        while start > floor and _before(lines[start - 1], values):
            start -= 1
        j = end
        while j < len(lines) and (_is_row(lines[j]) or _before(lines[j], values)):
            if _is_row(lines[j]):
                values = min(values, _first_value(lines[j]).x0)
                end = j + 1
            j += 1
        while end < len(lines) and _before(lines[end], values):
            end += 1
        reach = _reach(lines[i:end])
        labels = [b for line in lines[start:end] for b in line.boxes if b.x0 < reach]
        piece = start
        for k in range(start, end + 1):
            if k == end or (
                not _is_row(lines[k])
                and any(
                    b.x0 >= reach and not any(_overlap(_xs(b), _xs(c)) for c in labels)
                    for b in lines[k].boxes
                )
            ):
                if any(_is_row(line) for line in lines[piece:k]):
                    yield piece, k
                piece = k + 1
        i = floor = end


def _before(line: TextLine, values: float) -> bool:
    """A line of label pieces: every cell ends before the value columns start."""
    return not _is_row(line) and all(b.x1 <= values + _half(b) for b in line.boxes)


def _header_lines(before: list[TextLine], table: list[TextLine]) -> list[TextLine]:
    """The lines just above a table with a cell right of its labels: its header."""
    reach = _reach(table)
    found: list[TextLine] = []
    for line in reversed(before[-6:]):
        if _is_row(line) or not any(b.x0 >= reach for b in line.boxes):
            break
        found.append(line)
    return found


def _reach(table: Sequence[TextLine]) -> float:
    """Where the labels beside a table's numbers end: cells right of it stand over values."""
    return max(
        (
            b.x1
            for row in table
            if _is_row(row)
            for b in row.boxes
            if b.x1 <= _first_value(row).x0
        ),
        default=float("-inf"),
    )


def _header_readings(headers: list[TextLine], reach: float) -> list[list[Box]]:
    """The header cells over the values: each line's, then the lowest level of all lines.

    A header of several lines (a group over its columns, columns beside it
    spanning both lines, a cell's text wrapped) names each column once
    across its lines: the cells over no two cells of another line, those
    that overlap (one cell's lines, a group's first column) taken as one.
    """
    lines = [[b for b in line.boxes if b.x0 >= reach] for line in headers]
    kept = [
        box
        for k, line in enumerate(lines)
        for box in line
        if all(
            sum(_overlap(_xs(box), _xs(other)) for other in others) < 2
            for j, others in enumerate(lines)
            if j != k
        )
    ]
    lowest = [
        Box("", x0, x1, 0, 0)
        for x0, x1 in _bands(kept)  # overlapping cells merged
    ]
    return [*lines, lowest]


def _overlap(a: tuple[float, float], b: tuple[float, float]) -> bool:
    return min(a[1], b[1]) - max(a[0], b[0]) > 0


class _Table:
    """An unruled table's lines → pipe rows, its columns read from word positions.

    * The value columns (bands) are where the row lines' cells right of the
      labels stand, overlapping cells merged into one column; a header line
      that matches them adds the columns printed empty in every row
      (`_header_bands`).
    * A label's lines are joined into one cell (a stack) where a line fills
      its column to the edge and the next one goes on below it (`_wraps`):
      text wraps only at the edge, so a line that ends short ends its cell,
      whatever the cell's vertical alignment and however close the rows.
    * A stack belongs to the row line beside it; one beside none, between
      the rows, is a row printed without numbers (or a merged label over
      several rows), written as a row of its own; above or below the rows,
      a line of text; beside several, its lines are written where they stand.
    * Where a row line has two cells in one column, or the header names
      columns it cannot be placed over, the columns are not known: the rows
      are written undelimited, their labels joined all the same.
    """

    def __init__(self, lines: list[TextLine], headers: list[TextLine]) -> None:
        self.lines = lines
        self.headers = headers
        self.rows = [i for i, line in enumerate(lines) if _is_row(line)]
        left = min(_first_value(lines[i]).x0 for i in self.rows)
        self.left = left
        self.bands = _bands([b for i in self.rows for b in self._columns(i)])
        readings = _header_readings(headers, _reach(lines))
        self.known = True
        tolerance = min(_half(b) for i in self.rows for b in lines[i].boxes)
        for boxes in readings:
            bands = _header_bands(self.bands, boxes, tolerance)
            self.known = self.known and bands is not None
            self.bands = self.bands if bands is None else bands
        # a header naming more columns than are placed: the columns are not known
        self.known = self.known and all(len(b) <= len(self.bands) for b in readings)

    def _columns(self, i: int) -> list[Box]:
        """A row line's cells in the value columns."""
        return [b for b in self.lines[i].boxes if b.x0 >= self.left - _half(b)]

    def _labels(self, i: int) -> list[Box]:
        return [b for b in self.lines[i].boxes if b.x0 < self.left - _half(b)]

    def placed(self) -> list[tuple[float, list[str]]]:
        """The table's lines: pipe rows where its columns are known, else text rows.

        Without known columns a row is written undelimited (its label, then
        its values as printed), so the next steps weigh where its numbers go.
        """
        cells = {i: self._cells(i) for i in self.rows}
        known = self.known and all(row is not None for row in cells.values())

        def row(texts: list[str]) -> str:
            return _pipe_row(texts) if known else " ".join(texts)

        labels: dict[int, list[list[Box]]] = {i: [] for i in self.rows}
        placed: list[tuple[float, list[str]]] = []
        first, last = self.lines[self.rows[0]].top, self.lines[self.rows[-1]].top
        for stack in self._stacks():
            beside = [i for i in self.rows if _spans(stack, self.lines[i].middle)]
            if len(beside) == 1:
                labels[beside[0]].append(stack)
            elif not beside and first < stack[0].top < last:
                placed.append((stack[0].top, [row([_stack_text(stack)])]))
            elif not beside:  # above or below the rows: a label, or text
                placed.append((stack[0].top, [_stack_text(stack)]))
            else:
                for box in stack:  # written where it stands
                    at = next(
                        (i for i in self.rows if box in self.lines[i].boxes), None
                    )
                    if at is None:
                        placed.append((box.top, [box.text]))
                    else:
                        labels[at].append([box])
        for i in self.rows:
            stacks = sorted(labels[i], key=lambda s: min(b.x0 for b in s))
            values = cells[i] if known else [b.text for b in self._columns(i)]
            top = min([self.lines[i].top] + [s[0].top for s in stacks])
            placed.append(
                (top, [row([_stack_text(s) for s in stacks] + list(values or ()))])
            )
        return placed

    def _cells(self, i: int) -> list[str] | None:
        """A row line's value cells by column, ``""`` where a column is empty; None if unclear."""
        out = [""] * len(self.bands)
        for box in self._columns(i):
            at = [k for k, band in enumerate(self.bands) if _overlap(band, _xs(box))]
            if len(at) != 1 or out[at[0]]:
                return None
            out[at[0]] = box.text
        return out

    def _stacks(self) -> list[list[Box]]:
        """The label cells, each a stack of the lines its text wrapped over (`_wraps`)."""
        boxes = [
            b
            for i, line in enumerate(self.lines)
            for b in (self._labels(i) if i in self.rows else line.boxes)
        ]
        boxes.sort(key=lambda b: (b.top, b.x0))
        # where cells start: the table's, and its header's (over columns printed empty)
        starts = [b.x0 for line in self.lines + self.headers for b in line.boxes]
        stacks: list[list[Box]] = []
        for box in boxes:
            above = [s for s in stacks if _wraps(s[-1], box, boxes, starts)]
            if len(above) == 1:
                above[0].append(box)
            else:
                stacks.append([box])
        return stacks


def _half(box: Box) -> float:
    return 0.5 * (box.bottom - box.top)


def _xs(box: Box) -> tuple[float, float]:
    return box.x0, box.x1


def _spans(stack: list[Box], y: float) -> bool:
    return stack[0].top - 1 <= y <= stack[-1].bottom + 1


def _pipe_row(texts: Sequence[str]) -> str:
    return "| " + " | ".join(t.replace("|", " ") for t in texts) + " |"


def _wraps(above: Box, box: Box, boxes: Sequence[Box], starts: Sequence[float]) -> bool:
    """Whether ``box`` goes on the text of ``above``: the line below it, in its column.

    Text wraps only at its column's edge, so ``above`` must reach the edge:

    * where the next cell starts (its text within three characters);
    * the right end of the column's widest lines, where two of those lines
      go on below (one long label alone marks no edge);
    * or, in a narrower column within it (a label merged over rows beside
      the rows' own labels), where two lines of the column end together,
      each going on below, and the next column starts right after.

    A line that starts with an enumerator (``1.``, ``（一）``, ``一、``) starts a
    label of its own. ``starts`` are where the table's cells start.
    """
    height = above.bottom - above.top
    if not 0 <= box.top - above.bottom <= height or _ENUMERATED.match(box.text):
        return False
    if box.x0 < above.x0 - 1 or not _overlap(_xs(above), _xs(box)):
        return False
    column = [b for b in boxes if abs(b.x0 - above.x0) <= 1]

    def goes_on(b: Box) -> bool:
        return any(
            0 <= c.top - b.bottom <= height and _overlap(_xs(b), _xs(c)) for c in boxes
        )

    next_start = min((x for x in starts if x > above.x1), default=float("inf"))
    if next_start - above.x1 <= 3 * height and box.x1 <= above.x1 + 1:
        return True
    edge = max(b.x1 for b in column)
    if above.x1 >= edge - height and box.x1 <= edge + 1:
        at_edge = [b for b in column if b.x1 >= edge - height and goes_on(b)]
        if len(at_edge) >= 2:
            return True
    together = [b for b in column if abs(b.x1 - above.x1) <= 1 and goes_on(b)]
    return (
        len(together) >= 2
        and next_start - above.x1 <= 4 * height
        and box.x1 <= above.x1 + 1
    )


def _stack_text(stack: list[Box]) -> str:
    text = ""
    for box in stack:
        text = glued(text, box.text)
    return text


def _bands(boxes: list[Box]) -> list[tuple[float, float]]:
    """The value columns: the cells' horizontal extents, overlapping ones merged."""
    bands: list[tuple[float, float]] = []
    for box in sorted(boxes, key=lambda b: b.x0):
        if bands and box.x0 < bands[-1][1]:
            bands[-1] = (bands[-1][0], max(bands[-1][1], box.x1))
        else:
            bands.append((box.x0, box.x1))
    return bands


def _header_bands(
    bands: list[tuple[float, float]], header: list[Box], tolerance: float
) -> list[tuple[float, float]] | None:
    """The columns with those a header line shows over no number added; None if unclear.

    Numbers and their header may be aligned differently in their cells (a
    header at the left, numbers at the right): a reading of the header is
    an anchor of its cells (left, middle, right), an anchor of the numbers
    and the distance between them, such that every column's anchor is
    within ``tolerance`` (half a character) of exactly one header cell's,
    no cell serving two. The header's other cells are columns printed empty. A header that
    fits no reading (a cell over several columns, another table's header)
    adds nothing; one that fits several placing the numbers differently
    (few numbers, far from their header) leaves the columns unclear.
    """
    if not header or not bands:
        return bands
    placements: set[tuple[int, ...]] = set()
    for h in range(3):
        marks = [(b.x0, (b.x0 + b.x1) / 2, b.x1)[h] for b in header]
        for c in range(3):
            points = [(band[0], sum(band) / 2, band[1])[c] for band in bands]
            for shift in {p - m for p in points for m in marks}:
                placed = _placed(points, [m + shift for m in marks], tolerance)
                if placed is not None:
                    placements.add(placed)
    if len(placements) > 1:
        return None
    if not placements:
        return bands
    (placed,) = placements
    # a cell over no number: a column (a point: no number is in it) where it
    # stands to its header cell as the numbers stand to theirs
    offsets = [bands[n][0] - header[k].x0 for n, k in enumerate(placed)]
    offset = sorted(offsets)[len(offsets) // 2]
    added = [
        (header[k].x0 + offset, header[k].x0 + offset + 0.5)
        for k in range(len(header))
        if k not in placed
    ]
    if any(_overlap(new, band) for new in added for band in bands):
        return None
    return sorted(bands + added)


def _placed(
    points: list[float], marks: list[float], tolerance: float
) -> tuple[int, ...] | None:
    """Which header cell each column's anchor stands at, each at most once; None if any at none."""
    placed: list[int] = []
    for point in points:
        near = [k for k, mark in enumerate(marks) if abs(mark - point) <= tolerance]
        if len(near) != 1 or near[0] in placed:
            return None
        placed.append(near[0])
    return tuple(placed)
