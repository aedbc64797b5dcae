"""The conventions of issue 18 (point 3) against a brute-force oracle.

A small table of two rows under two groups of cells, each with its 总计
(甲: a1 + b1 = t1, 乙: a2 + b2 = t2): the first row a glued run drawn from
cells that mostly add up, some printed empty; the second row the report's
evidence, ``000000`` (it prints its zeros) or ``00000`` (five cells of 0 for
six columns: it leaves a cell empty). The oracle lists every reading of the
run (`segment.row_readings`) and applies the same reasoning by hand:

* the readings satisfying both equations (blank as 0); none: the numbers do
  not add up, the row is set aside from the equations and keeps them all;
* where the spec declares ``zeros_printed_evidence``, the evidence row
  prints its zeros and some reading left has no empty cell: only those;
* a cell is decided when every reading left gives it the same slot, or (the
  equations holding) the same value once an empty cell counts as 0: a count
  0 or empty in every reading is 0.

The library must decide exactly those cells, with those values.
"""

from __future__ import annotations

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

COLUMNS = ["a1", "b1", "t1", "a2", "b2", "t2"]
SPEC = """\
schema: 1
id: small
version: 1
title: t
source: s
zeros_printed_evidence: {zeros}
sections:
  - {{id: s1, number: 一, title: 总体情况}}
  - {{id: s2, number: 二, title: 复议诉讼情况}}
tables:
  - id: t
    name: 二
    section: s2
    columns:
      - {{key: a1, label: 甲维持}}
      - {{key: b1, label: 甲纠正}}
      - {{key: t1, label: 甲总计}}
      - {{key: a2, label: 乙维持}}
      - {{key: b2, label: 乙纠正}}
      - {{key: t2, label: 乙总计}}
    rows:
      - {{key: x, label: 复议案件}}
      - {{key: y, label: 诉讼案件}}
invariants:
  - {{id: G1, table: t, for_each: row, equation: t1 == a1 + b1}}
  - {{id: G2, table: t, for_each: row, equation: t2 == a2 + b2}}
"""
SPECS = {
    flag: parse_spec(SPEC.format(zeros=str(flag).lower())) for flag in (True, False)
}
HEAD = (
    "某局2023年政府信息公开工作年度报告\n一、总体情况\n本年度，本局认真贯彻《条例》。\n"
    "二、复议诉讼情况\n甲维持 甲纠正 甲总计 乙维持 乙纠正 乙总计\n"
)


@st.composite
def runs(draw: st.DrawFn) -> str:
    """Six cells in two groups that mostly add up, some left empty, glued."""
    cells: list[int] = []
    for _ in range(2):
        zero = draw(st.integers(0, 3)) == 0  # a group with nothing to count
        a, b = (0, 0) if zero else (draw(st.integers(0, 12)), draw(st.integers(0, 12)))
        cells += [a, b, a + b + draw(st.sampled_from([0, 0, 0, 0, 1]))]
    dropped = (
        draw(st.sets(st.integers(0, 5), max_size=2)) if draw(st.booleans()) else set()
    )
    text = "".join(str(c) for i, c in enumerate(cells) if i not in dropped)
    return text or "0"


def _value(slot: object) -> object:
    return slot.value if isinstance(slot, Piece) else 0


def _holds(reading: Reading) -> bool:
    v = [_value(s) for s in reading]
    return v[0] + v[1] == v[2] and v[3] + v[4] == v[5]  # type: ignore[operator]


def _slot(slot: object) -> object:
    return ("value", slot.value) if isinstance(slot, Piece) else str(slot)


def _oracle(run: str, evidence: str, zeros: bool) -> list[object] | None:
    """Per cell of the run's row: its value if decided (None: blank), else '?'."""
    token = Token(
        TokenKind.VALUE,
        run,
        0,
        len(run),
        1,
        0,
        False,
        number=NumberToken(None, run, None),
    )
    try:
        readings = row_readings([token], [ValueType.INT] * 6)
    except TooManyReadingsError:
        return None
    consistent = [r for r in readings if _holds(r)]
    left = consistent or list(readings)
    full = [r for r in left if BLANK not in r]
    if zeros and evidence == "000000" and full:
        left = full
    out: list[object] = []
    for j in range(6):
        slots = {_slot(r[j]) for r in left}
        values = {_value(r[j]) for r in left}
        if len(slots) == 1:
            out.append(_value(left[0][j]) if left[0][j] is not BLANK else None)
        elif consistent and values == {0}:
            out.append(0)
        else:
            out.append("?")
    return out


@settings(max_examples=120, deadline=None)
@given(runs(), st.sampled_from(["000000", "00000"]), st.booleans())
def test_decided_cells_are_those_the_readings_agree_on(
    run: str, evidence: str, zeros: bool
) -> None:
    expected = _oracle(run, evidence, zeros)
    if expected is None:
        reject()  # too many readings for the oracle to list
    report = govdisclosure.load(
        f"{HEAD}复议案件{run}\n诉讼案件{evidence}\n", spec=SPECS[zeros]
    )
    row = {c.column_key: c for c in report.cells if c.row_key == "x"}

    got = [
        "?"
        if row[k].status in (CellStatus.AMBIGUOUS, CellStatus.MISSING)
        else row[k].value
        for k in COLUMNS
    ]
    assert expected == got
    # the evidence row: six zeros, or five and an empty cell (which is
    # unknown): every count of it is 0 either way
    assert [0] * 6 == [c.value for c in report.cells if c.row_key == "y"]
