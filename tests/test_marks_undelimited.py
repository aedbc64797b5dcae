"""Marks printed instead of a value in layouts without delimiters (issue 17).

A delimited cell that holds a mark (``| * |``) keeps its column. Without
delimiters (one cell per line, a glued row) the mark is the only trace of its
cell: it must keep its place too, as a ``missing`` cell with the mark as its
raw text, and never be dropped so that the numbers after it shift into its
column or join the digit runs around it. Each report here is a real one (the
seeds) with one row rewritten by hand; the expected statuses and values are
read from the text. A footnote mark ``注1`` glued into a digit run is the same
kind of trace: where its number ends is not printed, so it is an unread cell.
"""

from __future__ import annotations

from pathlib import Path

import govdisclosure
from govdisclosure import Cell, CellStatus

DATA = Path(__file__).parent / "data"

#: 行政许可's row in seed 004 (one cell per line, a blank line between cells):
#: 上一年项目数量 3, 本年增/减 0, 处理决定数量 110.
LINES_ROW = "行政许可\n\n 3\n\n 0\n\n110"
#: The same row in seed 001 (pipe rows).
PIPE_ROW = "行政许可 | 0 | 0 | 0 | |"


def _row(text: str, table: str = "t2_5") -> list[Cell]:
    return govdisclosure.load(text, spec="gov-2019").table(table).grid()[0]


def _state(cell: Cell) -> tuple[CellStatus, object, str | None]:
    return cell.status, cell.value, cell.raw


def test_mark_on_its_own_line_keeps_its_column(seeds: dict[str, str]) -> None:
    """``*`` on 上一年项目数量's line: that cell is missing with ``*`` as raw;
    0 and 110 stay in 本年增/减 and 处理决定数量 (three lines, three columns)."""
    text = seeds["004"].replace(LINES_ROW, "行政许可\n\n *\n\n 0\n\n110")

    row = _row(text)

    assert (CellStatus.MISSING, None, "*") == _state(row[0])
    assert row[0].reason
    assert [(CellStatus.OK, 0, "0"), (CellStatus.OK, 110, "110")] == [
        _state(c) for c in row[1:]
    ]


def test_mark_on_the_last_line_is_no_shifted_neighbour(seeds: dict[str, str]) -> None:
    """``#`` in 处理决定数量's place: 3 and 0 keep theirs; the line after the
    mark is the next row's label, so nothing moves into it."""
    text = seeds["004"].replace(LINES_ROW, "行政许可\n\n 3\n\n 0\n\n#")

    row = _row(text)

    assert [(CellStatus.OK, 3, "3"), (CellStatus.OK, 0, "0")] == [
        _state(c) for c in row[:2]
    ]
    assert (CellStatus.MISSING, None, "#") == _state(row[2])


def test_glued_mark_splits_the_run(seeds: dict[str, str]) -> None:
    """``行政许可3*110``: the mark stands between two runs, so 3 is 上一年项目数量,
    the mark 本年增/减 and 110 处理决定数量 (the only order-keeping placement of
    three cells in three columns); without the mark, ``3110`` would be cut."""
    text = seeds["001"].replace(PIPE_ROW, "行政许可3*110")

    row = _row(text)

    assert [
        (CellStatus.OK, 3, "3"),
        (CellStatus.MISSING, None, "*"),
        (CellStatus.OK, 110, "110"),
    ] == [_state(c) for c in row]


def test_glued_mark_first_leaves_one_cut(seeds: dict[str, str]) -> None:
    """``行政许可*0110``: the mark takes 上一年项目数量 (it comes first, and the
    run needs the two columns after it: ``0110`` is no number, ``01`` and
    ``011`` neither), so the run is 0 | 110."""
    text = seeds["001"].replace(PIPE_ROW, "行政许可*0110")

    row = _row(text)

    assert [
        (CellStatus.MISSING, None, "*"),
        (CellStatus.OK, 0, "0"),
        (CellStatus.OK, 110, "110"),
    ] == [_state(c) for c in row]


def test_glued_mark_whose_column_is_open_is_flagged(seeds: dict[str, str]) -> None:
    """``行政许可1…``: 1 and the mark over three columns: the text does not say
    which column is left empty, and this report leaves cells empty (its pipe
    rows print empty cells), so no cell is guessed."""
    text = seeds["001"].replace(PIPE_ROW, "行政许可1…")

    row = _row(text)

    assert [] == [
        c.key for c in row if c.status in (CellStatus.OK, CellStatus.INFERRED)
    ]
    assert all(c.reason for c in row)


#: 部分公开's row in real 05 (every row glued, zeros printed): 1|0|0|0|0|0|1.
GLUED_ROW = "（二）部分公开（区分处理的，只计这一情形，不计其他情形）1000001"


def test_glued_footnote_running_into_digits_is_not_read() -> None:
    """``1注1000001``: a footnote ``注1`` after the first cell runs into the
    next cells' digits, so ``注1`` cannot be told from ``注10`` or ``注100``.
    Read as a footnote ``注10`` the row would be 1|0|0|0|1 with cells left
    over, read as digits it would be 11|0|0|0|0|0|1: neither is printed. The
    run is an unread cell: the cells after 自然人 stay flagged with a reason,
    and 自然人 is 1 only because the column's equation (I2: 总计 12 = 予以公开
    3 + 部分公开 + 不掌握 8) says so."""
    text = (DATA / "real" / "05-hebei-gxt-2022.txt").read_text(encoding="utf-8")
    assert GLUED_ROW in text
    text = text.replace(GLUED_ROW, GLUED_ROW.replace("1000001", "1注1000001"))

    row = [
        c for c in govdisclosure.load(text).table("t3").cells if c.row_key == "partial"
    ]

    assert (CellStatus.INFERRED, 1) == (row[0].status, row[0].value)
    assert "I2" in (row[0].reason or "")
    assert [c.status for c in row[1:]] == [CellStatus.AMBIGUOUS] * 6
    assert all(c.reason for c in row[1:])
