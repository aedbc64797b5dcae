"""PDF tables printed without ruling lines, read from their words' positions.

Many offices publish tables without lines: pdfplumber then finds no table,
and only where the words stand says the rows and columns. The reports are
golden cases (values typed by hand from real reports) printed as PDFs the way
word processors print them: numbers at the left, middle or right of their
cells, labels wrapped over lines and aligned at the top, middle or bottom,
rows as close as a label's lines (no cell padding), tables running across
A4 page breaks with page numbers in the footer, zeros printed as empty cells,
spaces between digits and Han in the text layer. Every cell must come back
right, or flagged with a reason: never a wrong value, never a ``blank`` for a
printed number.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

import govdisclosure
from govdisclosure.model import CellStatus
from govdisclosure.pipeline.read import read_text
from govdisclosure.testing.golden import expected_cell

from .documents import UNRULED, PdfLook, write_pdf
from .test_inputs import OK_CASES, _page

pytest.importorskip("pypdfium2")
pytest.importorskip("reportlab")

CASES = {p.stem.removesuffix(".expected"): p for p in OK_CASES}
LOOKS = {
    "bottom": UNRULED,
    "middle": PdfLook(rules=False, valign="MIDDLE"),
    "top": PdfLook(rules=False, valign="TOP"),
    "no-padding": PdfLook(rules=False, padding=0),
    "no-padding-middle": PdfLook(rules=False, padding=0, valign="MIDDLE"),
    "numbers-right": PdfLook(rules=False, align="RIGHT"),
    "numbers-centred": PdfLook(rules=False, align="CENTER", valign="MIDDLE"),
    "a4-page-numbers": PdfLook(rules=False, page="A4", footer="- {n} -"),
    "a4-page-footer": PdfLook(rules=False, page="A4", footer="第 {n} 页"),
    "spaced-text": PdfLook(rules=False, spaced=True),
}


def _judged(
    report: govdisclosure.Report, case: dict[str, Any], blank_zero: bool
) -> dict[str, list[str]]:
    """Each cell as right, flagged (with a reason) or wrong, against the typed values."""
    out: dict[str, list[str]] = {"right": [], "flagged": [], "wrong": []}
    for table, rows in case["tables"].items():
        got = report.table(table)
        for row_key, typed in rows.items():
            for cell, written in zip(
                got.grid()[got.row_keys.index(row_key)], typed, strict=True
            ):
                status, value = expected_cell(written)
                if cell.value == value and cell.status in (status, CellStatus.INFERRED):
                    verdict = "right"
                elif blank_zero and value == 0 and cell.status is CellStatus.BLANK:
                    verdict = "right"  # the zero was printed as an empty cell
                elif (
                    cell.status in (CellStatus.AMBIGUOUS, CellStatus.MISSING)
                    and cell.reason
                ):
                    verdict = "flagged"
                else:
                    verdict = "wrong"
                out[verdict].append(
                    f"{cell.key}: {cell.status.value} {cell.value} (true {value})"
                )
    return out


def _read(
    case: str, look: PdfLook, tmp_path: Path, *, blank_zero: bool = False
) -> tuple[govdisclosure.Report, dict[str, Any]]:
    page, typed = (
        _page(CASES[case], blank_zero=blank_zero) if blank_zero else _page(CASES[case])
    )
    path = tmp_path / "report.pdf"
    write_pdf(page, path, look)
    return govdisclosure.load_file(path), typed


@pytest.mark.parametrize("look", LOOKS, ids=list(LOOKS))
@pytest.mark.parametrize("case", ["hand-pipe", "seed-000"])
def test_an_unruled_table_reads_every_cell_right(
    case: str, look: str, tmp_path: Path
) -> None:
    report, typed = _read(case, LOOKS[look], tmp_path)

    judged = _judged(report, typed, blank_zero=False)

    assert [] == judged["wrong"] + judged["flagged"]
    assert (typed["year"], typed["organization"]) == (report.year, report.organization)


@pytest.mark.parametrize("look", LOOKS, ids=list(LOOKS))
@pytest.mark.parametrize("case", ["hand-pipe", "seed-000", "seed-001"])
def test_zeros_printed_as_empty_cells_are_never_read_wrong(
    case: str, look: str, tmp_path: Path
) -> None:
    """Empty cells are kept where the column positions show them; a row of them is blank.

    Where the header cannot say which columns a few numbers stand in (table
    四 of seed-000: two numbers in fifteen columns, at the right of their
    cells under headers at the left), its cells are flagged, not guessed.
    """
    report, typed = _read(case, LOOKS[look], tmp_path, blank_zero=True)

    judged = _judged(report, typed, blank_zero=True)

    assert [] == judged["wrong"]
    if case == "hand-pipe":
        assert [] == judged["flagged"]
    assert len(judged["right"]) >= 0.9 * sum(map(len, judged.values()))


def test_the_columns_of_an_unruled_table_are_written_with_its_empty_cells(
    tmp_path: Path,
) -> None:
    """The text read: pipe rows, empty cells where the header shows a column (hand-pipe's values)."""
    page, _ = _page(CASES["hand-pipe"], blank_zero=True)
    path = tmp_path / "report.pdf"
    write_pdf(page, path, PdfLook(rules=False, align="RIGHT"))

    text = read_text(path).text

    assert "| 规章 |  |  | 3 |\n| 行政规范性文件 | 12 | 2 | 85 |\n" in text
    # 三: 二、上年结转 3 … 3, its five organisation columns empty
    assert "| 二、上年结转政府信息公开申请数量 | 3 |  |  |  |  |  | 3 |\n" in text


def test_a_wrapped_label_is_joined_to_its_row_whatever_the_alignment(
    tmp_path: Path,
) -> None:
    for look in ("bottom", "middle", "top", "no-padding-middle"):
        page, _ = _page(CASES["hand-pipe"])
        path = tmp_path / f"{look}.pdf"
        write_pdf(page, path, LOOKS[look])

        text = read_text(path).text

        assert (
            "| 5.要求行政机关确认或重新出具已获取信息 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |"
            in text
        ), look
        assert "\n四、政府信息公开行政复议、行政诉讼情况\n" in text, (
            look
        )  # the heading after stays


def test_page_numbers_and_footers_are_left_out(tmp_path: Path) -> None:
    """The table runs over three A4 pages; its footers are no lines of the text."""
    page, typed = _page(CASES["hand-pipe"])
    for footer in ("- {n} -", "— {n} —", "第 {n} 页", "第{n}页 共3页"):
        path = tmp_path / "report.pdf"
        write_pdf(page, path, PdfLook(rules=False, page="A4", footer=footer))

        text = read_text(path).text

        assert not re.search(r"^(?:[-—] ?\d ?[-—]|第 ?\d ?页.*)$", text, re.M), footer
        judged = _judged(govdisclosure.load(text), typed, blank_zero=False)
        assert [] == judged["wrong"] + judged["flagged"], footer


def test_the_text_layers_spaces_between_digits_and_han_are_undone(
    tmp_path: Path,
) -> None:
    page, _ = _page(CASES["hand-pipe"])
    path = tmp_path / "report.pdf"
    write_pdf(page, path, PdfLook(rules=False, spaced=True))

    text = read_text(path).text

    assert "2021年" in text
    assert [] == re.findall(r"[\u4e00-\u9fff] \d|\d [\u4e00-\u9fff]", text)
