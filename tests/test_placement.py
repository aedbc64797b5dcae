"""Column placement from evidence (issue 17): short rows, marks, unreadable
cells, footnote marks, exact spans.

Each report is the hand-written 2021 pipe report with its 规章 row of 二(一)
(``规章 | 0 | 0 | 3 |``) rewritten as real reports print it; the values asserted
are read by hand from the row as printed.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import govdisclosure
from govdisclosure import CellStatus, Report
from govdisclosure.pipeline.values import NumberToken, number_pattern, read_number
from govdisclosure.spec.registry import Registry

DATA = Path(__file__).parent / "data"
PIPE = (DATA / "handwritten" / "gov2021-pipe.txt").read_text(encoding="utf-8")
ROW = "规章 | 0 | 0 | 3 |"
COLUMNS = ("issued", "repealed", "in_force")


def _load(row: str, text: str = PIPE) -> Report:
    assert ROW in text
    return govdisclosure.load(text.replace(ROW, row), spec="gov-2021")


def _rules(report: Report) -> list[tuple[str, object, str | None]]:
    """The 规章 row's cells as (status, value, raw)."""
    table = report.table("t2_1")
    cells = [table.cell("rules", c) for c in COLUMNS]
    for cell in cells:
        if cell.status not in (CellStatus.OK, CellStatus.BLANK):
            assert cell.reason, cell  # every flagged cell says why
    return [(c.status.value, c.value, c.raw) for c in cells]


# --- short rows: a value's column comes from evidence, never from its position


def test_short_row_without_evidence_is_ambiguous() -> None:
    """``规章 | 22 | 235 |`` under three columns: 235 may be 废止 or 现行有效 (the
    real report's 现行有效), 22 制发 or 废止. Nothing decides: every cell is
    ambiguous, with the values it may hold."""
    report = _load("规章 | 22 | 235 |")
    table = report.table("t2_1")
    cells = [table.cell("rules", c) for c in COLUMNS]
    assert [c.status for c in cells] == [CellStatus.AMBIGUOUS] * 3
    assert [c.candidates for c in cells] == [(22, None), (22, 235, None), (235, None)]
    assert all(c.reason for c in cells)
    # the other rows keep their values
    assert table.cell("normative_documents", "in_force").value == 85


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        (
            "规章 | 22 | | 235 |",
            [("ok", 22, "22"), ("blank", None, None), ("ok", 235, "235")],
        ),
        (
            "规章 | | 22 | 235 |",
            [("blank", None, None), ("ok", 22, "22"), ("ok", 235, "235")],
        ),
        (
            "规章 | 22 | 235 | |",
            [("ok", 22, "22"), ("ok", 235, "235"), ("blank", None, None)],
        ),
        (
            "| 规章 | 22 || 235 |",
            [("ok", 22, "22"), ("blank", None, None), ("ok", 235, "235")],
        ),
    ],
)
def test_short_row_showing_its_empty_cells_is_decided(
    row: str, expected: list[tuple[str, object, str | None]]
) -> None:
    """A row that prints its empty cells (``| |``, ``||``) says where its values are."""
    assert _rules(_load(row)) == expected


def test_a_section_that_prints_empty_cells_cuts_short_rows_at_their_end() -> None:
    """An export that prints the empty cells of its rows (``12 | | 85``) does not
    drop them: its row ``规章 | 22 | 235 |`` is cut short at its end (as seed
    002's one-cell row ``四、结转下年度继续办理 | 0 |``)."""
    text = PIPE.replace(
        "行政规范性文件 | 12 | 2 | 85 |", "行政规范性文件 | 12 | | 85 |"
    )
    report = _load("规章 | 22 | 235 |", text)
    status, value, raw = zip(*_rules(report), strict=True)
    assert (status, value, raw) == (
        ("ok", "ok", "missing"),
        (22, 235, None),
        ("22", "235", None),
    )


# --- marks and unreadable cells keep their position ------------------------------


@pytest.mark.parametrize("mark", ["*", "＊", "…", "·", "•", "#", "※"])
def test_a_mark_is_a_missing_cell_in_its_column(mark: str) -> None:
    """``规章 | * | 7 | 9``: 制发 is printed as a mark, 废止 7, 现行有效 9."""
    report = _load(f"规章 | {mark} | 7 | 9 |")
    (status, value, raw), *rest = _rules(report)
    assert (status, value) == ("missing", None)
    assert raw  # the mark as printed (width-folded)
    assert rest == [("ok", 7, "7"), ("ok", 9, "9")]
    cell = report.table("t2_1").cell("rules", "issued")
    assert cell.reason
    assert cell.reason.startswith("unread")


def test_a_dash_is_the_specs_blank_marker() -> None:
    """gov-2021 declares ``-`` and ``—`` blank markers: an empty cell, in its column."""
    for dash in ("-", "—"):
        assert _rules(_load(f"规章 | {dash} | 7 | 9 |")) == [
            ("blank", None, None),
            ("ok", 7, "7"),
            ("ok", 9, "9"),
        ]


@pytest.mark.parametrize(
    "content",
    ["五", "5万", "N/A", "注1", "1e400", "12%", "\u22125"],
)
def test_an_unreadable_cell_is_missing_and_its_neighbours_read(content: str) -> None:
    """``规章 | 五 | 7 | 9``: the row keeps 7 and 9 in their columns; the cell the
    grammar cannot read (``−5`` is negative: no count) is missing with its text."""
    report = _load(f"规章 | {content} | 7 | 9 |")
    shown = content.replace("（", "(").replace("）", ")")  # raw is width-folded
    assert _rules(report) == [
        ("missing", None, shown),
        ("ok", 7, "7"),
        ("ok", 9, "9"),
    ]
    assert not [f for f in report.findings if f.code == "token.unused"]


def test_a_zero_width_space_between_digits_is_folded_away() -> None:
    assert _rules(_load("规章 | 1\u200b2 | 7 | 9 |"))[0] == ("ok", 12, "12")


def test_a_minus_sign_is_a_sign() -> None:
    """U+2212 (MINUS SIGN) is read as ``-``: −3 in a signed column is -3."""
    spec = Registry(plugins=False, environment=False).get("gov-2019")
    m = number_pattern(spec).search("\u22123")
    assert m is not None
    assert read_number(m, spec.minus_words) == NumberToken(-1, "3", None)


# --- footnote marks are split off, never read as digits ---------------------------


@pytest.mark.parametrize(
    ("printed", "value"), [("5①", 5), ("1²", 1), ("5※", 5), ("5注1", 5), ("12 ②", 12)]
)
def test_a_footnote_mark_is_kept_and_not_read(printed: str, value: int) -> None:
    report = _load(f"规章 | {printed} | 7 | 9 |")
    assert _rules(report) == [("ok", value, printed), ("ok", 7, "7"), ("ok", 9, "9")]


# --- exact spans ------------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["gov2021-pipe.txt", "gov2021-merged.txt", "gov2021-lines.txt"]
)
def test_a_cells_span_is_its_raw_text(name: str) -> None:
    text = (DATA / "handwritten" / name).read_text(encoding="utf-8")
    report = govdisclosure.load(text)
    spans = [
        (c.key, c.raw, text[c.span.start : c.span.end]) for c in report.cells if c.span
    ]
    assert spans
    assert [s for s in spans if s[1] != s[2]] == []


def test_a_deleted_cell_leaves_its_row_undecided() -> None:
    """四's row with 结果纠正 (the second cell, 1) deleted: 14 cells under 15
    columns and no empty cell. No cell may claim a value it does not hold
    (issue 17: a deleted cell gave inferred 0/8/56570 where the truth was
    8/56570/0)."""
    row = "2 | 1 | 0 | 1 | 4 | 1 | 0 | 0 | 0 | 1 | 0 | 0 | 1 | 0 | 1 |"
    truth = [2, 1, 0, 1, 4, 1, 0, 0, 0, 1, 0, 0, 1, 0, 1]
    report = govdisclosure.load(PIPE.replace(row, row[4:]), spec="gov-2021")
    cells = report.table("t4").grid()[0]
    claimed = [
        (c.column_key, c.value, t)
        for c, t in zip(cells, truth, strict=True)
        if c.status in (CellStatus.OK, CellStatus.INFERRED)
    ]
    assert [x for x in claimed if x[1] != x[2]] == []
    assert cells[1].status is CellStatus.AMBIGUOUS
    assert cells[1].reason
