"""What the command prints for people: a report as text, and a progress line.

Kept apart from the commands so the text view can change (or be tested, or
reused) without touching argument handling, and so the commands' output to
files and pipes stays free of terminal codes: colours and the progress line
appear only when the stream is a terminal.
"""

from __future__ import annotations

import sys
import time
from decimal import Decimal
from typing import TextIO

from govdisclosure.model import Cell, CellStatus, Report, Severity

__all__ = ["Progress", "render"]

#: How a cell without a value is shown, so the grid keeps one token per cell.
_MARK = {
    CellStatus.BLANK: "·",
    CellStatus.MISSING: "∅",
    CellStatus.AMBIGUOUS: "?",
}


#: ANSI colours for flagged cells and findings, on a terminal only (NO_COLOR honoured).
_COLOR = {
    CellStatus.INFERRED: "36",  # cyan
    CellStatus.AMBIGUOUS: "33",  # yellow
    CellStatus.MISSING: "31",  # red
    Severity.WARNING: "33",
    Severity.ERROR: "1;31",
}


def _paint(text: str, key: CellStatus | Severity, color: bool) -> str:
    """Colour only what deserves attention: ok cells and info stay plain."""
    code = _COLOR.get(key)
    return f"\x1b[{code}m{text}\x1b[0m" if color and code else text


def _show(cell: Cell, color: bool = False) -> str:
    """One cell as one token, so a row's cells line up with its column keys."""
    if cell.status is CellStatus.CORRECTED and cell.value is None:
        return _paint("·✓", cell.status, color)  # a person decided it is empty
    if cell.status not in (CellStatus.OK, CellStatus.INFERRED, CellStatus.CORRECTED):
        return _paint(_MARK[cell.status], cell.status, color)
    # amounts need their unit (元 or 万元); counts read fine without it
    unit = cell.unit if isinstance(cell.value, Decimal) and cell.unit else ""
    mark = {CellStatus.INFERRED: "*", CellStatus.CORRECTED: "✓"}.get(cell.status, "")
    return _paint(f"{cell.value}{unit}{mark}", cell.status, color)


def render(report: Report, *, color: bool = False) -> str:
    """A plain-text view of a report (used by the command line); ANSI colours if asked."""
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
            out.append(
                f"  {row[0].row_key:<34} " + " ".join(_show(c, color) for c in row)
            )
    out += ["", "cells: * inferred, · blank, ∅ missing, ? ambiguous", ""]
    shown = [f for f in report.findings if f.severity is not Severity.INFO]
    out.append(f"findings: {len(report.findings)} ({len(shown)} warning/error)")
    out += [
        f"  {_paint(f'[{f.severity.value}]', f.severity, color)} {f.code}: {f.message}"
        for f in shown
    ]
    return "\n".join(out)


class Progress:
    """Files done, rate and ETA on one line of stderr, only when it is a terminal.

    A batch can run for minutes; a redirected stderr (CI, a log file) would
    fill with carriage returns, so the line is drawn on a terminal only.
    """

    def __init__(self, total: int, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stderr
        self.on = self.stream.isatty()
        self.total = total
        self.done = 0
        self.start = self.shown = time.monotonic()

    def step(self) -> None:
        """Count one file; redraw at most five times a second, and at the end."""
        self.done += 1
        now = time.monotonic()
        if not self.on or (now - self.shown < 0.2 and self.done < self.total):
            return
        self.shown = now
        rate = self.done / max(now - self.start, 1e-9)
        eta = (self.total - self.done) / rate if rate else 0.0
        self.stream.write(
            f"\r{self.done}/{self.total} files  {rate:.1f} files/s  ETA {eta:.0f}s \x1b[K"
        )
        self.stream.flush()

    def say(self, message: str, stream: TextIO | None = None) -> None:
        """A line of its own (stderr by default), above the bar."""
        if self.on:
            self.stream.write("\r\x1b[K")
        print(message, file=stream or self.stream)

    def close(self) -> None:
        """Erase the bar, so the summary that follows starts a clean line."""
        if self.on and self.done:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
