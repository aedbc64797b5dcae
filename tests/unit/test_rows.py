"""Tests for `rows` (and the cells it leads to): what closes a row, what is unused."""

from __future__ import annotations

import govdisclosure
from govdisclosure import CellStatus

T3_ROW = "(六)其他处理 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | ||"


def _load_001_with(seeds: dict[str, str], old: str, new: str) -> govdisclosure.Report:
    text = seeds["001"]
    assert old in text
    return govdisclosure.load(text.replace(old, new))


def test_values_after_an_unknown_label_are_unused_not_misplaced(
    seeds: dict[str, str],
) -> None:
    """A row label the spec does not know hands its numbers to no row."""
    report = _load_001_with(
        seeds, T3_ROW, "(六)其他处置方式 | 4 | 0 | 0 | 0 | 0 | 0 | 4 | ||"
    )
    row = [c for c in report.table("t3").cells if c.row_key == "other_handling"]
    unused = [f for f in report.findings if f.code == "token.unused"]

    assert {CellStatus.MISSING} == {c.status for c in row}
    assert ["4", "4"] == [f.message.split("'")[1] for f in unused if "'4'" in f.message]
    assert all(f.span is not None for f in unused)


def test_duplicate_row_keeps_the_first_and_reports(seeds: dict[str, str]) -> None:
    """The same row twice with values: the first is used, the second reported."""
    report = _load_001_with(
        seeds, T3_ROW, T3_ROW + "\n(六)其他处理 | 9 | 0 | 0 | 0 | 0 | 0 | 9 | ||"
    )
    codes = [f.code for f in report.findings]

    assert 0 == report.table("t3").cell("other_handling", "total").value
    assert "row.duplicate" in codes
    assert 7 == codes.count("token.unused")  # every number of the second occurrence


def test_too_many_numbers_flag_the_row(seeds: dict[str, str]) -> None:
    """More numbers than columns in one cell: no cell of the row is ok."""
    report = _load_001_with(
        seeds, "行政事业性收费 | 0 | 0 | ||", "行政事业性收费 | 3 5 7 ||"
    )
    row = report.table("t2_8").grid()[0]

    assert {CellStatus.AMBIGUOUS} == {c.status for c in row}


def test_header_padding_is_not_a_blank_cell(seeds: dict[str, str]) -> None:
    """Empty cells on a header line (seed 001's 四) do not shift the data row."""
    report = govdisclosure.load(
        seeds["001"].replace(
            "0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |",
            "1 | 0 | 0 | 0 | 1 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |",
        )
    )

    assert 1 == report.table("t4").cell("cases", "review_upheld").value
    assert 1 == report.table("t4").cell("cases", "review_total").value


def test_absent_block_is_missing(seeds: dict[str, str]) -> None:
    """Seed 002 has no 二(一) block: its cells are missing, with a reason."""
    cell = govdisclosure.load(seeds["002"]).table("t2_1").cell("rules", "new_made")

    assert (CellStatus.MISSING, None, "row not found") == (
        cell.status,
        cell.value,
        cell.reason,
    )


def test_empty_line_under_the_header_does_not_shift_the_row(
    seeds: dict[str, str],
) -> None:
    """A line of empty cells between 四's header and its numbers is padding."""
    data = "0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |"
    report = govdisclosure.load(
        seeds["001"].replace(
            data,
            "| | | | | |\n" + "3 | 0 | 0 | 0 | 3 | " + " | ".join(["0"] * 10) + " |",
        )
    )

    assert 3 == report.table("t4").cell("cases", "review_upheld").value
    assert 3 == report.table("t4").cell("cases", "review_total").value


def test_leading_pipe_is_ambiguous_when_both_readings_fit(
    seeds: dict[str, str],
) -> None:
    """| 0 | … with 14 numbers, under a header with outer pipes: markdown (14
    cells, one missing) or a blank first cell."""
    data = "0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |"
    row = "| 0 | 0 | 0 | 0 | " + " | ".join(["0"] * 10) + " |"
    header = [
        line
        for line in seeds["001"].splitlines()
        if line.startswith(("行政复议 |", "结果维持 |"))
    ]
    text = seeds["001"].replace(data, row)
    for line in header:
        text = text.replace(line, "| " + line)
    first = govdisclosure.load(text).table("t4").cell("cases", "review_upheld")

    assert CellStatus.AMBIGUOUS is first.status
    assert (0, None) == first.candidates


def test_leading_pipe_opens_an_empty_cell_where_lines_close_their_cells(
    seeds: dict[str, str],
) -> None:
    """| 0 | … with 14 numbers under seed 001's header, whose lines have no
    opening pipe and close every cell with one (``行政复议 | 行政诉讼 |``):
    the row's first pipe closes its empty first cell."""
    data = "0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |"
    row = "| 0 | 0 | 0 | 0 | " + " | ".join(["0"] * 10) + " |"
    cells = govdisclosure.load(seeds["001"].replace(data, row)).table("t4").cells

    assert [("blank", None)] + [("ok", 0)] * 14 == [
        (c.status.value, c.value) for c in cells
    ]


def test_markdown_row_reads_without_its_outer_pipes(seeds: dict[str, str]) -> None:
    """| 1 | … | 0 | with 15 numbers: only the markdown reading fits."""
    data = "0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |"
    row = "| 1 | 0 | 0 | 0 | 1 | " + " | ".join(["0"] * 10) + " |"
    cells = govdisclosure.load(seeds["001"].replace(data, row)).table("t4").cells

    assert [1, 0, 0, 0, 1] + [0] * 10 == [c.value for c in cells]
    assert {CellStatus.OK} == {c.status for c in cells}


def test_header_repeated_after_the_data_loses_nothing(seeds: dict[str, str]) -> None:
    """四's header printed again after its numbers: the numbers stay, the repeat is reported."""
    data = "0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |"
    report = govdisclosure.load(
        seeds["001"].replace(
            data, data.replace("0 |", "2 |", 1) + "\n行政复议 | 行政诉讼 |\n7"
        )
    )
    codes = [f.code for f in report.findings]

    assert 2 == report.table("t4").cell("cases", "review_upheld").value
    assert "row.duplicate" in codes
    assert "token.unused" in codes


def test_a_sentence_between_rows_is_reported_not_read(seeds: dict[str, str]) -> None:
    """Numbers in a note under a row are info findings, and the row keeps its cells."""
    report = _load_001_with(
        seeds,
        T3_ROW,
        T3_ROW + "\n注：其他处理中有3件为申请人撤回申请，已电话告知申请人。",
    )
    prose = [f for f in report.findings if f.code == "token.in_prose"]

    assert ["'3件'"] == [f.message.split()[2] for f in prose]
    assert 0 == report.table("t3").cell("other_handling", "total").value


def test_a_short_pipe_row_has_missing_cells_after_its_last(
    seeds: dict[str, str],
) -> None:
    """Cells a pipe row does not reach are missing, its empty cells blank, its numbers ok."""
    report = _load_001_with(seeds, T3_ROW, "(六)其他处理 | 4 | | 0 |")
    row = [c for c in report.table("t3").cells if c.row_key == "other_handling"]

    assert [
        (CellStatus.OK, 4),
        (CellStatus.BLANK, None),
        (CellStatus.OK, 0),
        *[(CellStatus.MISSING, None)] * 4,
    ] == [(c.status, c.value) for c in row]
    assert "the row has fewer cells than columns" == row[-1].reason
    assert row[1].reason is None
