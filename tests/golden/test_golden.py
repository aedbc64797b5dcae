"""Every golden case: real reports, every cell's value and status typed by hand."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml

import govdisclosure
from govdisclosure import CellStatus

CASES = Path(__file__).parent / "cases"
DATA = Path(__file__).parent.parent / "data"


def _cases() -> list[Any]:
    return [
        pytest.param(
            path, id=f"{path.parent.name}/{path.name.removesuffix('.expected.yaml')}"
        )
        for path in sorted(CASES.glob("*/*.expected.yaml"))
    ]


def _expected_cell(written: Any) -> tuple[CellStatus, Any]:
    """Decode the hand-typed notation (see cases/*/README.md)."""
    if written in ("_", "M", "?"):
        return {
            "_": CellStatus.BLANK,
            "M": CellStatus.MISSING,
            "?": CellStatus.AMBIGUOUS,
        }[written], None
    if isinstance(written, str) and written.startswith("~"):
        return CellStatus.INFERRED, int(written[1:])
    if isinstance(written, str):
        return CellStatus.OK, Decimal(written)
    return CellStatus.OK, written


def diff_report(report: govdisclosure.Report, expected: dict[str, Any]) -> list[str]:
    """One line per cell whose value or status differs from the expected ones."""
    lines = []
    for table_id, rows in expected["tables"].items():
        table = report.table(table_id)
        assert set(rows) == set(table.row_keys), (
            f"{table_id}: the case must list every row"
        )
        for row_key, written_row in rows.items():
            assert len(written_row) == len(table.column_keys), (
                f"{table_id}.{row_key}: one entry per column"
            )
            for column_key, written in zip(table.column_keys, written_row, strict=True):
                status, value = _expected_cell(written)
                cell = table.cell(row_key, column_key)
                if (cell.status, cell.value) != (status, value) or type(
                    cell.value
                ) is not type(value):
                    lines.append(
                        f"{cell.key}: expected {status.value} {value!r}, got {cell.status.value} {cell.value!r}"
                    )
    return lines


@pytest.mark.parametrize("case", _cases())
def test_golden_case(case: Path) -> None:
    """Each case's report parses to exactly the hand-typed cells and metadata."""
    expected = yaml.safe_load(case.read_text(encoding="utf-8"))
    text = (DATA / expected["input"]).read_text(encoding="utf-8")

    report = govdisclosure.load(text)

    assert expected["format"] == report.format
    assert expected["year"] == report.year
    assert expected["organization"] == report.organization
    assert expected["title"] == report.title
    assert set(expected["tables"]) == {t.id for t in report.tables}
    mismatches = diff_report(report, expected)
    assert not mismatches, "\n".join(mismatches)
    for key, unit in expected.get("units", {}).items():
        table_id, row_key, column_key = key.split(".")
        assert unit == report.table(table_id).cell(row_key, column_key).unit, key
    codes = {f.code for f in report.findings}
    assert set(expected.get("findings", [])) <= codes
    assert not set(expected.get("no_findings", [])) & codes, [
        f.message for f in report.findings if f.code in expected["no_findings"]
    ]


def test_every_bundled_spec_has_a_golden_case() -> None:
    """A spec without a real report to check it against is not shipped."""
    from govdisclosure.registry import default_registry

    with_cases = {
        p.name for p in CASES.iterdir() if p.is_dir() and any(p.glob("*.expected.yaml"))
    }

    assert set(default_registry().ids()) <= with_cases
