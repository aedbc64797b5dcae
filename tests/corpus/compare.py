"""Match a Report's cells to a corpus expected.json (official labels, true values)."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import govdisclosure

_ENUM = re.compile(
    r"^(?:其中[:：])?(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十]+[）)]|\d+[.、．])"
)


_REMARK = re.compile(r"[（(][^（）()]*[）)]$")


_YEAR_COLUMN = re.compile(r"^\d{4}年度$")


def _core(label: str) -> str:
    """The label without its numbering and a trailing remark in brackets.

    A column named by its year (``2017年度``) is the spec's ``本年度``.
    """
    label = _YEAR_COLUMN.sub("本年度", label.strip())
    return _REMARK.sub("", _ENUM.sub("", label))


def expected_cells(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def pair_cells(
    report: govdisclosure.Report, expected: dict[str, Any]
) -> list[tuple[dict[str, Any], govdisclosure.Cell | None]]:
    """Each expected cell with the report's cell at the same official labels."""
    index: dict[tuple[str, str, str], govdisclosure.Cell] = {}
    for table in report.tables:
        for cell in table.cells:
            parts = [_core(p) for p in cell.column_label.split("/")]
            row = _core(cell.row_label.split("/")[-1]) if cell.row_label else ""
            index[(table.name, row, "/".join(parts[-2:]))] = cell
            index.setdefault((table.name, row, parts[-1]), cell)
    return [
        (
            e,
            index.get(
                (
                    e["table"],
                    _core(e["row"]),
                    "/".join(_core(p) for p in e["column"].split("/")),
                )
            ),
        )
        for e in expected["cells"]
    ]


def wrong_cells(report: govdisclosure.Report, expected: dict[str, Any]) -> list[str]:
    """Cells claimed ok/inferred with a value other than the true one (must be none)."""
    out = []
    for e, cell in pair_cells(report, expected):
        if cell is None:
            out.append(f"{e['table']} {e['row']} / {e['column']}: no such cell")
            continue
        claimed = cell.status in (
            govdisclosure.CellStatus.OK,
            govdisclosure.CellStatus.INFERRED,
        )
        if claimed and Decimal(str(cell.value)) != Decimal(str(e["value"])):
            out.append(
                f"{cell.key}: {cell.status.value} {cell.value}, true {e['value']}"
            )
    return out
