"""Whole tables against a brute-force oracle (issue 18, point 4, across rows).

A small table of four glued rows, 甲, 乙, 丙 and their 合计, under two
counts and their 总计: each row's 总计 is the sum of its counts (t == a + b)
and each column's 合计 the sum of the rows above it (z == x + y + w), so the
rows are linked by the column equations. The oracle lists every reading of
each row (`segment.row_readings`), every table of one reading per row, and
keeps those satisfying all six equations (blank as 0). Then:

* none: the numbers cannot add up, and the library must say so
  (``invariant.unsatisfiable``); when some exist, it must not;
* a cell is decided when every consistent table gives it the same slot, or
  the same value once an empty cell counts as 0 (a count 0 or empty in every
  consistent table is 0); the others are flagged.

The library must decide exactly those cells, with those values. (Narrowing
one equation at a time is sound but not exact in general: a reading may
have a partner in each equation and none in all of them together. The
test says whether that gap shows on tables like these.)
"""

from __future__ import annotations

import itertools

from hypothesis import given, reject, settings
from hypothesis import strategies as st

import govdisclosure
from govdisclosure import CellStatus
from govdisclosure.pipeline.grid import Token, TokenKind
from govdisclosure.pipeline.segment import (
    BLANK,
    Piece,
    Reading,
    TooManyReadingsError,
    row_readings,
)
from govdisclosure.pipeline.values import NumberToken
from govdisclosure.spec.loader import parse_spec
from govdisclosure.spec.model import ValueType

ROWS = ["x", "y", "w", "z"]
SPEC = parse_spec("""\
schema: 1
id: small
version: 1
title: t
source: s
sections:
  - {id: s1, number: 一, title: 总体情况}
  - {id: s2, number: 二, title: 复议诉讼情况}
tables:
  - id: t
    name: 二
    section: s2
    columns:
      - {key: a, label: 维持}
      - {key: b, label: 纠正}
      - {key: t, label: 总计}
    rows:
      - {key: x, label: 甲类案件}
      - {key: y, label: 乙类案件}
      - {key: w, label: 丙类案件}
      - {key: z, label: 合计案件}
invariants:
  - {id: R, table: t, for_each: row, equation: t == a + b}
  - {id: C, table: t, for_each: column, equation: z == x + y + w}
""")
HEAD = (
    "某局2023年政府信息公开工作年度报告\n一、总体情况\n本年度，本局认真贯彻《条例》。\n"
    "二、复议诉讼情况\n维持 纠正 总计\n"
)
LABELS = {"x": "甲类案件", "y": "乙类案件", "w": "丙类案件", "z": "合计案件"}


@st.composite
def tables(draw: st.DrawFn) -> dict[str, str]:
    """Three rows that mostly add up, glued; sometimes a cell left out."""
    cells = {}
    for row in ("x", "y", "w"):
        a, b = draw(st.integers(0, 30)), draw(st.integers(0, 30))
        cells[row] = [a, b, a + b]
    cells["z"] = [sum(column) for column in zip(*cells.values(), strict=True)]
    if draw(st.integers(0, 4)) == 0:  # sometimes broken
        row, j = draw(st.sampled_from(ROWS)), draw(st.integers(0, 2))
        cells[row][j] += draw(st.integers(1, 9))
    runs = {}
    for row, values in cells.items():
        dropped = draw(st.sets(st.integers(0, 2), max_size=1))
        run = "".join(str(v) for j, v in enumerate(values) if j not in dropped)
        runs[row] = run or "0"
    return runs


def _value(slot: object) -> object:
    return slot.value if isinstance(slot, Piece) else 0


def _slot(slot: object) -> object:
    return ("value", slot.value) if isinstance(slot, Piece) else str(slot)


def _readings(run: str) -> list[Reading]:
    number = NumberToken(None, run, None)
    token = Token(TokenKind.VALUE, run, 0, len(run), 1, 0, False, number=number)
    return list(row_readings([token], [ValueType.INT] * 3))


def _adds_up(reading: Reading) -> bool:
    v = [_value(s) for s in reading]
    return v[2] == v[0] + v[1]  # type: ignore[operator]


def _consistent(table: tuple[Reading, ...]) -> bool:
    v = [[_value(s) for s in reading] for reading in table]
    rows_add_up = all(r[2] == r[0] + r[1] for r in v)  # type: ignore[operator]
    return rows_add_up and all(v[3][j] == v[0][j] + v[1][j] + v[2][j] for j in range(3))  # type: ignore[operator]


def _oracle(runs: dict[str, str]) -> dict[str, list[object]] | None:
    """Per row, per cell: its value if decided (None: blank), else '?'; None if
    no table is consistent."""
    # each row's own sum first, then every table of the rows left: the same
    # tables as filtering all of them, listed faster
    listed = [[r for r in _readings(runs[row]) if _adds_up(r)] for row in ROWS]
    consistent = [t for t in itertools.product(*listed) if _consistent(t)]
    if not consistent:
        return None
    out: dict[str, list[object]] = {}
    for i, row in enumerate(ROWS):
        cells: list[object] = []
        for j in range(3):
            slots = {_slot(t[i][j]) for t in consistent}
            if len(slots) == 1:
                slot = consistent[0][i][j]
                cells.append(None if slot is BLANK else _value(slot))
            elif {_value(t[i][j]) for t in consistent} == {0}:
                cells.append(0)
            else:
                cells.append("?")
        out[row] = cells
    return out


@settings(max_examples=200, deadline=None)
@given(tables())
def test_decided_cells_are_those_all_consistent_tables_agree_on(
    runs: dict[str, str],
) -> None:
    try:
        expected = _oracle(runs)
    except TooManyReadingsError:
        reject()
    text = HEAD + "".join(f"{LABELS[row]}{runs[row]}\n" for row in ROWS)
    report = govdisclosure.load(text, spec=SPEC)
    unsatisfiable = [f for f in report.findings if f.code == "invariant.unsatisfiable"]

    if expected is None:
        assert unsatisfiable
        return
    assert [] == unsatisfiable
    got = {
        row: [
            "?" if c.status in (CellStatus.AMBIGUOUS, CellStatus.MISSING) else c.value
            for c in report.cells
            if c.row_key == row
        ]
        for row in ROWS
    }
    assert expected == got
