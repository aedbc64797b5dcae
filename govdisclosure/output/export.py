"""Reports → Arrow tables, and sinks that write reports as they come.

A sink (`ParquetSink`, `CsvSink`, `JsonLinesSink`) takes one report at a
time, so a batch of any size is written with flat memory, and all three share
one interface (`Sink`), so a caller picks one by the output's suffix and
writes the same way to each.

Two tables (docs/records.md), each a `Layout`: `CELLS`, one row per cell
(`RECORD_FIELDS`), and `FINDINGS`, one row per finding (`FINDING_FIELDS`).
Their Arrow types are chosen for analysis: a count is ``int64``, an amount
``decimal128(38, 8)`` (exact; an amount with more than 8 decimal places, never
seen in a report, is refused rather than rounded), the few-valued columns
(``status``, ``table_id``, ``format``, ``unit``, ``code``, ``severity``)
dictionary-encoded, which pandas reads as categoricals and DuckDB as text.
The file's metadata names the library's version, the layout's version and,
once the batch is written, the specs and their versions it used.
"""

from __future__ import annotations

import abc
import contextlib
import csv
import functools
import json
import os
import re
import sys
from collections.abc import Callable, Iterable, Iterator
from decimal import Decimal
from pathlib import Path
from types import TracebackType
from typing import Any, TextIO, TypeVar

from attrs import frozen

from govdisclosure.errors import require_extra
from govdisclosure.faults import fault_of
from govdisclosure.model import FINDING_FIELDS, RECORD_FIELDS, Report, Result

__all__ = [
    "CELLS",
    "FINDINGS",
    "RECORDS_VERSION",
    "CsvSink",
    "JsonLinesSink",
    "Layout",
    "ParquetSink",
    "Sink",
    "failure_record",
    "finding_schema",
    "record_schema",
    "replaced_whole",
    "to_arrow",
]

VALUE_SCALE = 8
#: Rows a Parquet row group collects before it is written (memory stays flat).
ROW_GROUP = 20_000
#: The version of the two tables' columns (file metadata ``govdisclosure.records``):
#: 2 split ``value`` into ``count``/``amount``/``amount_yuan`` and renamed ``table``.
RECORDS_VERSION = "2"
#: The columns of each table that hold few distinct values: dictionary-encoded.
_CATEGORIES = ("format", "table_id", "unit", "status", "code", "severity", "fault")
#: Columns of findings that list cell keys: Arrow lists, CSV text joined by spaces.
_LISTS = ("cells", "blank_cells", "missing_cells")
#: A plain number, which a spreadsheet reads as a number (``-185`` is a change, not a formula).
_NUMBER = re.compile(r"[+-]?[0-9]+(\.[0-9]+)?")


def inert(value: Any) -> Any:
    """A CSV field a spreadsheet will not run: ``=cmd|' /C calc'!A0`` → ``'=cmd|' /C calc'!A0``.

    Report texts are untrusted (an organisation name, a raw text, a file name
    are whatever the report or its folder holds), and Excel or LibreOffice
    run a field that starts with ``=``, ``+``, ``-``, ``@`` (or a tab or
    carriage return before one) as a formula ("CSV injection"). Such a
    text, unless it is a plain number, gets a leading ``'``, which
    spreadsheets hide and read as "text"; tools see the ``'`` (docs/records.md).
    """
    if (
        isinstance(value, str)
        and len(value) > 1
        and value[0] in "=+-@\t\r"
        and not _NUMBER.fullmatch(value)
    ):
        return "'" + value
    return value


def _pyarrow() -> Any:
    require_extra("pyarrow.parquet", "parquet", "Arrow and Parquet output")
    return require_extra("pyarrow", "parquet", "Arrow and Parquet output")


def _version() -> str:
    """The library's version, read where it is written (``govdisclosure.__version__``).

    Looked up at run time: this module is imported while the package is, so
    an import of the package from here would be circular.
    """
    return str(getattr(sys.modules.get("govdisclosure"), "__version__", "unknown"))


#: Integer columns that may be null, and the nullable pandas type that keeps them
#: integers (without it pandas makes a column of counts with a null float64).
_NULLABLE_INTS = {"year": "Int32", "count": "Int64", "line": "Int32"}


def _pandas_hint(fields: tuple[str, ...]) -> str:
    """The ``pandas`` metadata pyarrow reads back: nullable integers stay integers.

    ``pyarrow``'s ``to_pandas`` (and so ``pandas.read_parquet``) gives the
    type named here to each column it lists; a column not listed gets its
    default. Written by hand, so that writing needs no pandas.
    """
    columns = [
        {
            "name": name,
            "field_name": name,
            "pandas_type": _NULLABLE_INTS[name].lower(),
            "numpy_type": _NULLABLE_INTS[name],
            "metadata": None,
        }
        for name in fields
        if name in _NULLABLE_INTS
    ]
    return json.dumps({"index_columns": [], "column_indexes": [], "columns": columns})


def _metadata(
    fields: tuple[str, ...], specs: dict[str, int] | None = None
) -> dict[str, str]:
    """The file metadata: who wrote it, in which layout, with which specs."""
    meta = {
        "govdisclosure.version": _version(),
        "govdisclosure.records": RECORDS_VERSION,
        "pandas": _pandas_hint(fields),
    }
    if specs is not None:
        meta["govdisclosure.specs"] = json.dumps(dict(sorted(specs.items())))
    return meta


def _schema(fields: tuple[str, ...], special: dict[str, Any]) -> Any:
    pa = _pyarrow()
    category = pa.dictionary(pa.int32(), pa.string())
    types = {
        name: category if name in _CATEGORIES else special.get(name, pa.string())
        for name in fields
    }
    return pa.schema(
        [(name, types[name]) for name in fields], metadata=_metadata(fields)
    )


def record_schema() -> Any:
    """The Arrow schema of cell records (a ``pyarrow.Schema``; docs/records.md)."""
    pa = _pyarrow()
    amount = pa.decimal128(38, VALUE_SCALE)
    return _schema(
        RECORD_FIELDS,
        {
            "year": pa.int32(),
            "count": pa.int64(),
            "amount": amount,
            "amount_yuan": amount,
        },
    )


def finding_schema() -> Any:
    """The Arrow schema of finding records (a ``pyarrow.Schema``; docs/records.md)."""
    pa = _pyarrow()
    keys = pa.list_(pa.string())
    return _schema(
        FINDING_FIELDS,
        {"year": pa.int32(), "line": pa.int32(), **dict.fromkeys(_LISTS, keys)},
    )


def _exact(value: Decimal | None) -> Decimal | None:
    if value is None:
        return None
    if value.as_tuple().exponent < -VALUE_SCALE:  # type: ignore[operator]
        raise ValueError(
            f"{value} has more than {VALUE_SCALE} decimal places; "
            "Arrow output cannot hold it exactly (use JSON Lines)"
        )
    return value


def _columns(
    fields: tuple[str, ...], records: list[dict[str, Any]]
) -> dict[str, list[Any]]:
    return {name: [r[name] for r in records] for name in fields}


def _checked(columns: dict[str, list[Any]]) -> dict[str, list[Any]]:
    """The columns, once every amount is known to fit Arrow's decimals (`_exact`)."""
    for name in ("amount", "amount_yuan"):
        # most cells are counts: their None passed over in one pass, not a call each
        for value in [v for v in columns.get(name, ()) if v is not None]:
            _exact(value)
    return columns


def failure_record(source: str, error: str) -> dict[str, Any]:
    """A file that could not be parsed, as a row of the findings table.

    It has no report, so no finding of its own; its row (code ``file.failed``,
    severity ``error``, the error as message) keeps the table the whole batch's
    account, so that no failure is lost where findings are counted.
    """
    row: dict[str, Any] = dict.fromkeys(FINDING_FIELDS)
    row.update(
        source=source,
        code="file.failed",
        severity="error",
        fault=fault_of("file.failed").value,
        message=error,
    )
    row.update({key: [] for key in _LISTS})
    return row


@frozen
class Layout:
    """One of the two tables a sink can write: its columns, Arrow schema and rows."""

    fields: tuple[str, ...]
    schema: Callable[[], Any]
    rows: Callable[[Report, str | None], list[dict[str, Any]]]
    #: The rows a file that failed adds (none to the cells).
    failed: Callable[[str, str], list[dict[str, Any]]]
    #: A report's rows by column, where the table has a way to build them so
    #: (the same values as ``rows``); None: the rows, turned into columns.
    columns: Callable[[Report, str | None], dict[str, list[Any]]] | None = None


# Module-level functions, not lambdas: a layout travels to a batch's workers
# inside a sink's preparer (`Sink.preparer`), and a worker started by spawn
# unpickles it, which a lambda does not survive.


def _cell_records(report: Report, source: str | None) -> list[dict[str, Any]]:
    return report.to_records(source=source)


def _no_rows(source: str, error: str) -> list[dict[str, Any]]:
    return []


def _cell_columns(report: Report, source: str | None) -> dict[str, list[Any]]:
    return report.record_columns(source)


def _finding_records(report: Report, source: str | None) -> list[dict[str, Any]]:
    return report.finding_records(source=source)


def _failure_records(source: str, error: str) -> list[dict[str, Any]]:
    return [failure_record(source, error)]


#: One row per cell (``parse -o``).
CELLS = Layout(RECORD_FIELDS, record_schema, _cell_records, _no_rows, _cell_columns)
#: One row per finding, and one per file that failed (``parse --findings``, ``check --format``).
FINDINGS = Layout(FINDING_FIELDS, finding_schema, _finding_records, _failure_records)


def to_arrow(items: Iterable[Report | Result]) -> Any:
    """Reports (or `load_many` results; those without a report, failed or
    made with ``keep``, are skipped) → a ``pyarrow.Table``.

    One row per cell (`record_schema`); ``source`` is the result's path
    (None for a bare Report). The schema's metadata names the specs used.
    """
    pa = _pyarrow()
    specs: dict[str, int] = {}
    columns: dict[str, list[Any]] = {name: [] for name in RECORD_FIELDS}
    for item in items:
        report, source = (
            (item, None) if isinstance(item, Report) else (item.report, item.path)
        )
        if report is None:  # a failed file has no cells
            continue
        specs[report.format] = report.spec_version
        for name, values in report.record_columns(source).items():
            columns[name] += values
    table = pa.Table.from_pydict(_checked(columns), schema=record_schema())
    return table.replace_schema_metadata(_metadata(RECORD_FIELDS, specs))


_SinkT = TypeVar("_SinkT", bound="Sink")


@contextlib.contextmanager
def replaced_whole(path: str | Path) -> Iterator[Path]:
    """A temporary path beside ``path``, renamed to it only if the block ends normally.

    A batch stopped half-way (Ctrl-C, an error) must not leave an output
    that looks complete, nor destroy a previous complete one: the output is
    written to a hidden temporary file in the same folder (so the rename is
    atomic) and removed if the block raises, whatever the exception.
    """
    target = Path(path)
    # named, not made by mkstemp: the sink creates it, with the user's umask
    temporary = target.with_name(f".{target.name}.{os.getpid()}.partial")
    try:
        yield temporary
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    os.replace(temporary, target)


class Sink(abc.ABC):
    """Where a batch writes its reports, one at a time, whatever the format.

    Used as a context manager, so the output is complete (flushed, footer
    written) even when the batch stops on an error.
    """

    @abc.abstractmethod
    def write(self, report: Report, source: str | None = None) -> None:
        """Add one report; ``source`` (e.g. its path) says which it is."""

    @abc.abstractmethod
    def write_failed(self, source: str, error: str) -> None:
        """Add a file that could not be parsed (only the findings table has a row for it)."""

    def write_rows(self, rows: Iterable[dict[str, Any]]) -> None:
        """Add rows of the sink's table as they are: findings no report holds (cross-year ones).

        Only sinks of a `Layout` have rows; a whole-report sink refuses them.
        """
        raise TypeError(f"{type(self).__name__} writes whole reports, not rows")

    def preparer(self) -> Callable[[Report, str | None], Any]:
        """What this sink writes of a report, as a function of the report and
        its source whose value `write_prepared` takes.

        A batch runs it where each report was parsed (`load_many`'s ``keep``)
        and sends back its value instead of the report: a sink of rows is
        sent its rows, made in the worker, where unpickling whole reports and
        building their rows cost a batch's main process about half of what
        it did (``parse -o cells.parquet``: 1.2 → 0.65 ms a file) and the
        workers less too. It pickles (module-level functions), since a worker
        started by spawn is sent it. This one sends the report itself.
        """
        return _report_and_source

    def write_prepared(self, prepared: Any) -> None:
        """Add one report given as what `preparer` made of it."""
        report, source = prepared
        self.write(report, source)

    @abc.abstractmethod
    def close(self) -> None:
        """Finish the output; a sink given an open stream leaves it open."""

    def __enter__(self: _SinkT) -> _SinkT:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()


class _RowSink(Sink):
    """A sink of one `Layout`'s rows: reports and failures become rows alike."""

    def __init__(self, layout: Layout) -> None:
        self._layout = layout

    def write(self, report: Report, source: str | None = None) -> None:
        self._rows(self._layout.rows(report, source), report)

    def write_failed(self, source: str, error: str) -> None:
        rows = self._layout.failed(source, error)
        if rows:
            self._rows(rows, None)

    def write_rows(self, rows: Iterable[dict[str, Any]]) -> None:
        self._rows(list(rows), None)

    def preparer(self) -> Callable[[Report, str | None], Any]:
        return self._layout.rows

    def write_prepared(self, prepared: Any) -> None:
        self._rows(prepared, None)

    @abc.abstractmethod
    def _rows(self, rows: list[dict[str, Any]], report: Report | None) -> None:
        """Write rows (of ``report``, or of a failed file when None)."""


def _report_and_source(report: Report, source: str | None) -> tuple[Report, str | None]:
    return report, source


def _prepared_columns(
    layout: Layout, report: Report, source: str | None
) -> tuple[dict[str, list[Any]], tuple[str, int]]:
    """A report's rows of ``layout`` by column, with its spec (`ParquetSink.preparer`)."""
    columns = (
        _columns(layout.fields, layout.rows(report, source))
        if layout.columns is None
        else layout.columns(report, source)
    )
    return columns, (report.format, report.spec_version)


class ParquetSink(_RowSink):
    """Writes one table's records to one Parquet file in row groups, as they come.

    The specs the reports were read with are added to the file's metadata
    when it is closed (``govdisclosure.specs``: ``{"gov-2021": 1, …}``).
    """

    def __init__(self, path: str | Path, layout: Layout = CELLS) -> None:
        super().__init__(layout)
        pa = _pyarrow()
        self._pa = pa
        self._schema = layout.schema()
        self._writer = pa.parquet.ParquetWriter(str(path), self._schema)
        self._pending = self._empty()
        self._specs: dict[str, int] = {}

    def _empty(self) -> dict[str, list[Any]]:
        return {name: [] for name in self._layout.fields}

    def write(self, report: Report, source: str | None = None) -> None:
        self.write_prepared(_prepared_columns(self._layout, report, source))

    def preparer(self) -> Callable[[Report, str | None], Any]:
        # by column, as Arrow takes them: no dict per row; with the report's
        # spec, which the file's metadata names
        return functools.partial(_prepared_columns, self._layout)

    def write_prepared(self, prepared: Any) -> None:
        columns, spec = prepared
        self._add(columns, spec)

    def _rows(self, rows: list[dict[str, Any]], report: Report | None) -> None:
        spec = None if report is None else (report.format, report.spec_version)
        self._add(_columns(self._layout.fields, rows), spec)

    def _add(self, columns: dict[str, list[Any]], spec: tuple[str, int] | None) -> None:
        if spec is not None:
            format_id, version = spec
            self._specs[format_id] = version
        for name, values in _checked(columns).items():
            self._pending[name] += values
        if len(self._pending[self._layout.fields[0]]) >= ROW_GROUP:
            self._flush()

    def _flush(self) -> None:
        if self._pending[self._layout.fields[0]]:
            table = self._pa.Table.from_pydict(self._pending, schema=self._schema)
            self._writer.write_table(table)
            self._pending = self._empty()

    def close(self) -> None:
        self._flush()
        self._writer.add_key_value_metadata(_metadata(self._layout.fields, self._specs))
        self._writer.close()


class _TextSink(Sink):
    """A sink on a text stream: a file it opens (and closes), or one it is given.

    Given a stream (standard output), it only flushes on close: the stream
    belongs to the caller. Files are opened with ``newline=""`` so the csv
    module's line ends are written as they are.
    """

    def __init__(self, target: str | Path | TextIO, encoding: str = "utf-8") -> None:
        self._owned = isinstance(target, (str, Path))
        if isinstance(target, (str, Path)):
            # closed by close(): the sink is the context manager
            target = Path(target).open("w", encoding=encoding, newline="")  # noqa: SIM115
        self._stream = target

    def close(self) -> None:
        if self._owned:
            self._stream.close()
        else:
            self._stream.flush()


class CsvSink(_TextSink, _RowSink):
    """One table's records as CSV, under a header of its fields.

    A file is written in UTF-8 with a byte-order mark (``utf-8-sig``) unless
    ``bom=False``: Excel on a Chinese Windows reads a CSV without one in the
    ANSI code page (GBK) and shows every label as mojibake, while pandas,
    DuckDB, Polars and R's readr skip the mark. A stream given (standard
    output) gets no mark: its reader is a program. Lists of cell keys are
    written joined by spaces. A text a spreadsheet would run as a formula
    (``=…``, ``+…``, ``-…``, ``@…`` that is no number) gets a leading ``'``
    (`inert`). The header is written at once, so an empty batch still gives
    a file that tools read as a table with no rows.
    """

    def __init__(
        self, target: str | Path | TextIO, layout: Layout = CELLS, *, bom: bool = True
    ) -> None:
        _TextSink.__init__(self, target, "utf-8-sig" if bom else "utf-8")
        _RowSink.__init__(self, layout)
        self._writer = csv.DictWriter(self._stream, fieldnames=layout.fields)
        self._writer.writeheader()

    def _rows(self, rows: list[dict[str, Any]], report: Report | None) -> None:
        self._writer.writerows(
            {k: inert(" ".join(v) if k in _LISTS else v) for k, v in row.items()}
            for row in rows
        )


class JsonLinesSink(_TextSink):
    """One whole report a line (``to_dict`` plus ``source``), lossless; or one record a line.

    Without a layout it keeps sections, findings and candidates, and
    `Report.from_dict` reads each line back. With `FINDINGS`, each line is
    one finding record (a failed file's too).
    """

    def __init__(
        self, target: str | Path | TextIO, layout: Layout | None = None
    ) -> None:
        super().__init__(target)
        self._layout = layout

    def write(self, report: Report, source: str | None = None) -> None:
        self._lines(self.preparer()(report, source))

    def write_failed(self, source: str, error: str) -> None:
        if self._layout is not None:
            self._lines(self._layout.failed(source, error))

    def write_rows(self, rows: Iterable[dict[str, Any]]) -> None:
        if self._layout is None:
            super().write_rows(rows)
        self._lines(rows)

    def preparer(self) -> Callable[[Report, str | None], Any]:
        if self._layout is None:
            return _whole_line
        return self._layout.rows

    def write_prepared(self, prepared: Any) -> None:
        self._lines(prepared)

    def _lines(self, rows: Iterable[dict[str, Any]]) -> None:
        for row in rows:
            self._stream.write(json.dumps(row, ensure_ascii=False, default=str) + "\n")


def _whole_line(report: Report, source: str | None) -> list[dict[str, Any]]:
    """A whole report's line of `JsonLinesSink` without a layout."""
    return [{"source": source, **report.to_dict()}]
