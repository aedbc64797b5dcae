"""Golden cases: a real report and the value and status of every cell, typed by hand.

A case is a YAML file ``NAME.expected.yaml`` (notation in docs/writing-a-spec.md)
whose ``input`` names the report text, relative to the case file (by default
``NAME.txt`` beside it). `check_case` parses the input and lists every
difference; an empty list means the case passes. The project's golden tests,
``govdisclosure specs test`` and a plugin's own tests all use it.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from govdisclosure.api import load
from govdisclosure.errors import GovDisclosureError
from govdisclosure.model import CellStatus, Report, Value
from govdisclosure.spec.model import Spec
from govdisclosure.spec.registry import Registry

__all__ = ["case_input", "check_case", "expected_cell", "find_cases", "read_case"]

_MARKS = {"_": CellStatus.BLANK, "M": CellStatus.MISSING, "?": CellStatus.AMBIGUOUS}


def find_cases(folder: str | Path) -> list[Path]:
    """The case files of a folder and its subfolders, sorted."""
    return sorted(Path(folder).rglob("*.expected.yaml"))


def read_case(path: str | Path) -> dict[str, Any]:
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    if not isinstance(data, dict) or "tables" not in data:
        raise ValueError(f"{path}: a golden case is a mapping with 'tables'")
    return data


def case_input(path: str | Path, case: dict[str, Any]) -> Path:
    """The report text a case checks: ``input`` relative to the case, else NAME.txt."""
    path = Path(path)
    default = path.name.removesuffix(".expected.yaml") + ".txt"
    return path.parent / str(case.get("input", default))


def expected_cell(written: Any) -> tuple[CellStatus, Value | None]:
    """The hand-typed notation: ``12``, ``"6.5"`` (decimal), ``~12``, ``_``, ``M``, ``?``."""
    if isinstance(written, str) and written in _MARKS:
        return _MARKS[written], None
    if isinstance(written, str) and written.startswith("~"):
        return CellStatus.INFERRED, int(written[1:])
    if isinstance(written, str):
        return CellStatus.OK, Decimal(written)
    return CellStatus.OK, written


def check_case(
    path: str | Path,
    *,
    spec: str | Spec | Path | None = None,
    registry: Registry | None = None,
) -> list[str]:
    """Every difference between a case and what `load` reads; [] when it passes.

    ``spec``: parse with this spec (by default the text's spec is detected, and
    the case's ``format`` must be the one chosen).
    """
    case = read_case(path)
    source = case_input(path, case)
    try:
        text = source.read_text(encoding="utf-8")
        report = load(text, spec=spec, registry=registry)
    except (OSError, GovDisclosureError) as exc:
        return [f"{source}: {exc}"]
    problems = [
        f"{name}: expected {case[name]!r}, got {getattr(report, name)!r}"
        for name in ("format", "year", "organization", "title")
        if name in case and case[name] != getattr(report, name)
    ]
    return problems + _diff_tables(report, case) + _diff_extras(report, case)


def _diff_tables(report: Report, case: dict[str, Any]) -> list[str]:
    tables = {t.id: t for t in report.tables}
    lines = [f"table {t}: not in the report" for t in case["tables"] if t not in tables]
    lines += [f"table {t}: not in the case" for t in tables if t not in case["tables"]]
    for table_id, rows in case["tables"].items():
        table = tables.get(table_id)
        if table is None:
            continue
        if set(rows) != set(table.row_keys):
            lines.append(f"{table_id}: the case must list every row {table.row_keys}")
            continue
        for row_key, written_row in rows.items():
            if len(written_row) != len(table.column_keys):
                lines.append(
                    f"{table_id}.{row_key}: one entry per column {table.column_keys}"
                )
                continue
            for column_key, written in zip(table.column_keys, written_row, strict=True):
                status, value = expected_cell(written)
                cell = table.cell(row_key, column_key)
                if (cell.status, cell.value) != (status, value) or type(
                    cell.value
                ) is not type(value):
                    lines.append(
                        f"{cell.key}: expected {status.value} {value!r}, "
                        f"got {cell.status.value} {cell.value!r}"
                    )
    return lines


def _diff_extras(report: Report, case: dict[str, Any]) -> list[str]:
    lines = []
    for key, unit in case.get("units", {}).items():
        table_id, row_key, column_key = key.split(".")
        got = report.table(table_id).cell(row_key, column_key).unit
        if got != unit:
            lines.append(f"{key}: expected unit {unit!r}, got {got!r}")
    codes = {f.code for f in report.findings}
    lines += [
        f"finding {code}: expected, not reported"
        for code in case.get("findings", [])
        if code not in codes
    ]
    lines += [
        f"finding {code}: reported, expected absent"
        for code in case.get("no_findings", [])
        if code in codes
    ]
    return lines
