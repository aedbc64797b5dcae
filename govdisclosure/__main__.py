"""``python -m govdisclosure FILE``: parse one report and show what was read.

A small viewer for a first look; the full command line (batch parsing,
exports, ``explain``) is planned separately. Prints the metadata, every table
as a grid (flagged cells marked), and the findings; ``--json`` prints the
whole Report as JSON instead.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from decimal import Decimal

from govdisclosure.api import load_file
from govdisclosure.errors import GovDisclosureError
from govdisclosure.model import Cell, CellStatus, Report, Severity

_MARK = {
    CellStatus.BLANK: "·",
    CellStatus.MISSING: "∅",
    CellStatus.AMBIGUOUS: "?",
}


def _show(cell: Cell) -> str:
    if cell.status not in (CellStatus.OK, CellStatus.INFERRED):
        return _MARK[cell.status]
    # amounts need their unit (元 or 万元); counts read fine without it
    unit = cell.unit if isinstance(cell.value, Decimal) and cell.unit else ""
    mark = "*" if cell.status is CellStatus.INFERRED else ""
    return f"{cell.value}{unit}{mark}"


def render(report: Report) -> str:
    """A plain-text view of a report (used by the command line)."""
    out = [
        f"format: {report.format} (v{report.spec_version}, score {report.score})",
        f"title: {report.title or '—'}",
        f"organization: {report.organization or '—'}",
        f"year: {report.year or '—'}",
        "",
    ]
    for table in report.tables:
        out.append(f"{table.id} {table.name}: " + " | ".join(table.column_keys))
        for row in table.grid():
            out.append(f"  {row[0].row_key:<34} " + " ".join(_show(c) for c in row))
    out += ["", "cells: * inferred, · blank, ∅ missing, ? ambiguous", ""]
    shown = [f for f in report.findings if f.severity is not Severity.INFO]
    out.append(f"findings: {len(report.findings)} ({len(shown)} warning/error)")
    out += [f"  [{f.severity.value}] {f.code}: {f.message}" for f in shown]
    return "\n".join(out)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="govdisclosure",
        description="Parse a 政府信息公开工作年度报告 text file and show its tables.",
        epilog="example: python -m govdisclosure report.txt --json > report.json",
    )
    parser.add_argument("file", help="a UTF-8 text file holding one report")
    parser.add_argument("--spec", help="use this spec id instead of detecting one")
    parser.add_argument("--json", action="store_true", help="print the Report as JSON")
    args = parser.parse_args(argv)
    try:
        report = load_file(args.file, spec=args.spec)
    except GovDisclosureError as exc:
        print(f"govdisclosure: {args.file}: {exc}", file=sys.stderr)
        return 2
    print(report.to_json(indent=1) if args.json else render(report))
    errors = any(f.severity is Severity.ERROR for f in report.findings)
    return 1 if errors else 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
