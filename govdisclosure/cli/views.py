"""What the command prints for people: a report as text, and a progress line.

Kept apart from the commands so the text view can change (or be tested, or
reused) without touching argument handling, and so the commands' output to
files and pipes stays free of terminal codes: colours and the progress line
appear only when the stream is a terminal.
"""

from __future__ import annotations

import io
import sys
from collections.abc import Iterator, Mapping, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TextIO

from attrs import frozen

from govdisclosure.model import Cell, CellStatus, Report, Severity, Table
from govdisclosure.spec.model import Leaf, Spec

if TYPE_CHECKING:
    from rich.console import RenderableType

    from govdisclosure.pipeline.normalize import Line

__all__ = ["Progress", "explain_cell", "render"]

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


def _show(cell: Cell) -> str:
    """One cell as one token: its value (amounts with their unit) or its mark."""
    if cell.status is CellStatus.CORRECTED and cell.value is None:
        return "·✓"  # a person decided it is empty
    if cell.status not in (CellStatus.OK, CellStatus.INFERRED, CellStatus.CORRECTED):
        return _MARK[cell.status]
    # amounts need their unit (元 or 万元); counts read fine without it
    unit = cell.unit if isinstance(cell.value, Decimal) and cell.unit else ""
    mark = {CellStatus.INFERRED: "*", CellStatus.CORRECTED: "✓"}.get(cell.status, "")
    return f"{cell.value}{unit}{mark}"


#: A table of one row and more columns than this is shown turned (one line a
#: column): the 15 columns of 行政复议、行政诉讼 do not fit a terminal side by side.
_TURN_ABOVE = 5

#: Terminal columns a table's row labels keep before the headers are wrapped.
_LABEL_ROOM = 44


def render(
    report: Report,
    *,
    color: bool = False,
    labels: str = "zh",
    all_findings: bool = False,
    width: int | None = None,
) -> str:
    """A text view of a report (used by the command line); ANSI colours if asked.

    ``labels="zh"`` heads rows and columns with the official labels, grouped
    as printed in the official form; ``"keys"`` with the spec's keys (what
    `Report.to_records` and ``--json`` use). Tables are laid out by rich,
    which measures CJK characters as two columns, so values stand under
    their headers. Info findings are listed only with ``all_findings``.
    """
    from rich.console import Console

    console = Console(
        file=io.StringIO(),
        width=width or 120,
        force_terminal=color,
        color_system="standard" if color else None,
        highlight=False,
        emoji=False,
        markup=False,
    )
    console.print("\n".join(_metadata(report)), soft_wrap=True)
    spec = _spec(report)
    for table in report.tables:
        title = spec.section(table.section).title if spec else ""
        console.print()
        console.print(f"{table.id} {table.name} {title}".rstrip())
        paths = _Paths.of(table, spec, labels == "zh")
        console.print(_grid(table, paths, color, console.width))
    console.print("\n".join(_findings(report, color, all_findings)), soft_wrap=True)
    text: str = console.file.getvalue()  # type: ignore[attr-defined]
    return "\n".join(line.rstrip() for line in text.splitlines())


def _metadata(report: Report) -> list[str]:
    return [
        f"format: {report.format} (v{report.spec_version}, score {report.score})",
        f"title: {report.title or '—'}",
        f"organization: {report.organization or '—'}",
        f"year: {report.year or '—'}",
    ]


def _spec(report: Report) -> Spec | None:
    """The report's spec, for its label trees and section titles; None if not registered
    (a report parsed with a spec file): its cells' joined labels are used then."""
    from govdisclosure.errors import GovDisclosureError
    from govdisclosure.spec.registry import Registry

    try:
        spec = Registry().get(report.format)
    except GovDisclosureError:
        return None
    return spec if spec.version == report.spec_version else None


def _findings(report: Report, color: bool, every: bool) -> list[str]:
    out = ["", "cells: * inferred, · blank, ∅ missing, ? ambiguous", ""]
    shown = [f for f in report.findings if every or f.severity is not Severity.INFO]
    hidden = "" if every else " (info hidden: --all-findings lists them)"
    out.append(
        f"findings: {len(report.findings)} "
        f"({sum(f.severity is not Severity.INFO for f in report.findings)} warning/error)"
        + (hidden if len(shown) < len(report.findings) else "")
    )
    return out + [
        f"  {_paint(f'[{f.severity.value}]', f.severity, color)} {f.code}: {f.message}"
        for f in shown
    ]


@frozen
class _Paths:
    """Each row's and column's label as a path of its groups' labels and its own.

    Taken from the spec's label trees, not by splitting the joined labels:
    an official label may hold a slash itself (``本年增/减``). With keys, a
    path is the key alone.
    """

    rows: Mapping[str, tuple[str, ...]]
    columns: Mapping[str, tuple[str, ...]]

    @classmethod
    def of(cls, table: Table, spec: Spec | None, zh: bool) -> _Paths:
        cells = table.grid()[0] if table.cells else ()
        if not zh:
            return cls(
                {k: (k,) for k in table.row_keys}, {k: (k,) for k in table.column_keys}
            )
        if spec is None or table.id not in {t.id for t in spec.tables}:
            rows = {
                row[0].row_key: (row[0].row_label or row[0].row_key,)
                for row in table.grid()
            }
            return cls(
                rows, {c.column_key: (c.column_label or c.column_key,) for c in cells}
            )
        shape = spec.table(table.id)
        return cls(
            {leaf.key: _path(leaf) for leaf in shape.row_leaves()},
            {leaf.key: _path(leaf) for leaf in shape.column_leaves()},
        )


def _path(leaf: Leaf) -> tuple[str, ...]:
    return (*(g.label for g in leaf.groups if g.label), leaf.node.label or "")


def _grid(table: Table, paths: _Paths, color: bool, width: int) -> RenderableType:
    """One table as rich renders it: header row, then a line per row (or per column)."""
    from rich import box
    from rich.cells import cell_len
    from rich.table import Table as Grid
    from rich.text import Text

    grid = Grid(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, padding=(0, 1))
    rows = table.grid()
    if len(rows) == 1 and len(table.column_keys) > _TURN_ABOVE:
        # turned: one line per column, its label and its value
        grid.show_header = False
        grid.add_column("", overflow="fold")
        grid.add_column("", justify="right", no_wrap=True)
        for label, key in _heads(table.column_keys, paths.columns):
            cell = None if key is None else table.cell(table.row_keys[0], key)
            grid.add_row(label, *([] if cell is None else [_shown(cell, color)]))
        return grid
    heads = list(_heads(table.row_keys, paths.rows))
    headers = _headers([paths.columns[k] for k in table.column_keys])
    values = [[_show(c) for c in col] for col in zip(*rows, strict=True)]
    if _wide(headers, values) + _LABEL_ROOM > width:
        # rich cannot break a CJK header (no spaces): cut it in lines of 4 characters
        headers = ["\n".join(_cut(line) for line in h.split("\n")) for h in headers]
    # the labels take what the values leave, folded onto a second line if longer
    widest = max((cell_len(label) for label, _ in heads), default=0)
    room = max(min(widest, width - _wide(headers, values)), 10)
    grid.add_column("", overflow="fold", width=room)
    for head, column in zip(headers, values, strict=True):
        grid.add_column(
            Text(head), justify="right", no_wrap=True, width=_width(head, column)
        )
    for label, key in heads:
        if key is None:
            grid.add_row(label)
            continue
        row = rows[table.row_keys.index(key)]
        grid.add_row(label, *(_shown(c, color) for c in row))
    return grid


def _wide(headers: list[str], values: list[list[str]]) -> int:
    """Terminal columns the value columns take (each with its gap)."""
    return sum(
        _width(head, column) + 3  # a gap of three: padding, rule, padding
        for head, column in zip(headers, values, strict=True)
    )


def _width(head: str, column: list[str]) -> int:
    from rich.cells import cell_len

    return max(cell_len(text) for text in (*head.split("\n"), *column))


def _cut(text: str, size: int = 4) -> str:
    return "\n".join(text[i : i + size] for i in range(0, len(text), size))


def _headers(paths: list[tuple[str, ...]]) -> list[str]:
    """Column headers: each label without its groups, or with them (one a line)
    when the labels alone would not tell the columns apart."""
    last = [path[-1] for path in paths]
    if len(set(last)) == len(last):
        return last
    return ["\n".join(path) for path in paths]


def _heads(
    keys: Sequence[str], paths: Mapping[str, tuple[str, ...]]
) -> Iterator[tuple[str, str | None]]:
    """Row heads as the official form prints them: a group's label on its own line
    (key None) before its first member, members indented under it."""
    before: tuple[str, ...] = ()
    for key in keys:
        path = paths.get(key, (key,))
        for depth, part in enumerate(path[:-1]):
            if before[: depth + 1] != path[: depth + 1]:
                yield "  " * depth + part, None
        before = path
        yield "  " * (len(path) - 1) + (path[-1] or key), key


def _shown(cell: Cell, color: bool) -> RenderableType:
    from rich.text import Text

    code = _COLOR.get(cell.status)
    style = _STYLE.get(code or "", "") if color else ""
    return Text(_show(cell), style=style)


#: The ANSI codes of `_COLOR` as rich styles.
_STYLE = {"36": "cyan", "33": "yellow", "31": "red", "1;31": "bold red"}


class Progress:
    """A progress bar on stderr for a batch: files done, a smoothed rate, time left.

    Drawn by rich, on a terminal only: a redirected stderr (CI, a log file)
    would fill with redraws. The rate is rich's, averaged over the last 30
    seconds, so one slow PDF does not make the estimate jump. While the bar
    is drawn, rich takes ``sys.stderr`` (and ``sys.stdout`` when it is the
    same terminal), so lines printed or logged meanwhile appear above it.
    """

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stderr
        self.on = self.stream.isatty()
        self.total = 0
        self.done = 0
        self._bar: Any = None
        self._task: Any = None

    def start(self, total: int) -> None:
        """Show the bar for ``total`` files (nothing when not on a terminal)."""
        self.total = total
        if not self.on:
            return
        from rich import progress
        from rich.console import Console

        self._bar = progress.Progress(
            progress.TextColumn("parsing"),
            progress.BarColumn(),
            progress.TextColumn("{task.completed}/{task.total} files"),
            progress.TextColumn("{task.fields[rate]}"),
            progress.TextColumn("ETA"),
            progress.TimeRemainingColumn(),
            console=Console(file=self.stream),
            transient=True,
            redirect_stdout=sys.stdout.isatty(),
            speed_estimate_period=30,
        )
        self._task = self._bar.add_task("parsing", total=total, rate="")
        self._bar.start()

    def step(self) -> None:
        """Count one file."""
        self.done += 1
        if self._bar is not None:
            self._bar.advance(self._task)
            speed = self._bar.tasks[0].speed
            rate = f"{speed:.1f} files/s" if speed else ""
            self._bar.update(self._task, rate=rate)

    def close(self) -> None:
        """Erase the bar, so the summary that follows starts a clean line."""
        if self._bar is not None:
            self._bar.stop()
            self._bar = None


def explain_cell(report: Report, lines: Sequence[Line], key: str) -> str:
    """One cell, all the engine knows of it: ``explain --cell t3.new_requests.total``.

    A flagged cell is usually why someone runs ``explain``; its line among
    the thousands of the full account is hard to find. Raises `UsageError`
    (with the keys to choose from) for a key the report has no cell for.
    """
    cell = _cell_at(report, key)
    value = "—" if cell.value is None else f"{cell.value}{cell.unit or ''}"
    out = [
        f"{cell.key}: {cell.row_label or cell.row_key} × {cell.column_label}",
        f"  status: {cell.status.value}" + (f" ({cell.reason})" if cell.reason else ""),
        f"  value: {value}",
        f"  raw text: {cell.raw!r}" if cell.raw is not None else "  raw text: none",
    ]
    if cell.span:
        text = next((line.text for line in lines if line.number == cell.span.line), "")
        out.append(
            f"  at line {cell.span.line}, chars {cell.span.start}-{cell.span.end}:"
        )
        out.append(f"    {text}")
    else:
        out.append("  at: no single place in the input")
    if cell.candidates:
        out.append("  candidates: " + ", ".join(map(str, cell.candidates)))
    named = [
        f
        for f in report.findings
        if key in (*f.cells, *f.blank_cells, *f.missing_cells)
    ]
    out.append(f"  findings that name it: {len(named)}")
    out += [f"    [{f.severity.value}] {f.code}: {f.message}" for f in named]
    return "\n".join(out)


def _cell_at(report: Report, key: str) -> Cell:
    """The cell ``TABLE.ROW.COLUMN`` names, or a `UsageError` saying what exists."""
    from govdisclosure.cli.inputs import UsageError, suggestion

    parts = key.split(".")
    tables = {t.id: t for t in report.tables}
    if len(parts) != 3:
        raise UsageError(
            f"--cell {key}: give TABLE.ROW.COLUMN, e.g. t3.new_requests.total"
        )
    table_id, row, column = parts
    if table_id not in tables:
        raise UsageError(
            f"--cell {key}: no table {table_id!r} in this report "
            f"({', '.join(tables) or 'none'}){suggestion(table_id, list(tables))}"
        )
    table = tables[table_id]
    for name, given, keys in (
        ("row", row, table.row_keys),
        ("column", column, table.column_keys),
    ):
        if given not in keys:
            raise UsageError(
                f"--cell {key}: {table_id} has no {name} {given!r}"
                f"{suggestion(given, list(keys))} ({', '.join(keys)})"
            )
    return table.cell(row, column)
