"""Reports → Arrow tables, and sinks that write reports as they come.

A sink (`ParquetSink`, `CsvSink`, `JsonLinesSink`) takes one report at a
time, so a batch of any size is written with flat memory, and all three share
one interface (`Sink`), so a caller picks one by the output's suffix and
writes the same way to each.

One row per cell, the columns of `RECORD_FIELDS` (docs/records.md). Arrow
needs one type per column, and a cell's value is an int (a count) or a
Decimal (an amount), so ``value`` is ``decimal128(38, 8)``: exact for both,
read natively by DuckDB, Polars and Spark (pandas gets `Decimal` objects).
A value with more than 8 decimal places cannot be written exactly and is
refused; none is seen in real reports.
"""

from __future__ import annotations

import abc
import contextlib
import csv
import json
import os
from collections.abc import Iterable, Iterator
from decimal import Decimal
from pathlib import Path
from types import TracebackType
from typing import Any, TextIO, TypeVar

from govdisclosure.errors import require_extra
from govdisclosure.model import RECORD_FIELDS, Report, Result

__all__ = [
    "CsvSink",
    "JsonLinesSink",
    "ParquetSink",
    "Sink",
    "record_schema",
    "replaced_whole",
    "to_arrow",
]

VALUE_SCALE = 8
#: Rows a Parquet row group collects before it is written (memory stays flat).
ROW_GROUP = 20_000


def _pyarrow() -> Any:
    require_extra("pyarrow.parquet", "parquet", "Arrow and Parquet output")
    return require_extra("pyarrow", "parquet", "Arrow and Parquet output")


def record_schema() -> Any:
    """The Arrow schema of cell records (a ``pyarrow.Schema``)."""
    pa = _pyarrow()
    text = pa.string()
    types = dict.fromkeys(RECORD_FIELDS, text)
    types["year"] = pa.int32()
    types["value"] = pa.decimal128(38, VALUE_SCALE)
    return pa.schema([(name, types[name]) for name in RECORD_FIELDS])


def _exact(value: int | Decimal | None) -> Decimal | None:
    if value is None:
        return None
    exact = Decimal(value)
    if exact.as_tuple().exponent < -VALUE_SCALE:  # type: ignore[operator]
        raise ValueError(
            f"{value} has more than {VALUE_SCALE} decimal places; "
            "Arrow output cannot hold it exactly (use JSON Lines)"
        )
    return exact


def _columns(records: list[dict[str, Any]]) -> dict[str, list[Any]]:
    columns = {name: [r[name] for r in records] for name in RECORD_FIELDS}
    columns["value"] = [_exact(v) for v in columns["value"]]
    return columns


def _records(items: Iterable[Report | Result]) -> Iterator[dict[str, Any]]:
    for item in items:
        if isinstance(item, Report):
            yield from item.to_records()
        elif item.report is not None:  # a failed file has no cells
            yield from item.report.to_records(source=item.path)


def to_arrow(items: Iterable[Report | Result]) -> Any:
    """Reports (or `load_many` results; failed ones are skipped) → a ``pyarrow.Table``.

    One row per cell; ``source`` is the result's path (None for a bare Report).
    """
    pa = _pyarrow()
    return pa.Table.from_pydict(_columns(list(_records(items))), schema=record_schema())


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


class ParquetSink(Sink):
    """Writes cell records to one Parquet file in row groups, as they come."""

    def __init__(self, path: str | Path) -> None:
        pa = _pyarrow()
        self._pa = pa
        self._schema = record_schema()
        self._writer = pa.parquet.ParquetWriter(str(path), self._schema)
        self._pending: list[dict[str, Any]] = []

    def write(self, report: Report, source: str | None = None) -> None:
        self._pending += report.to_records(source=source)
        if len(self._pending) >= ROW_GROUP:
            self._flush()

    def _flush(self) -> None:
        if self._pending:
            table = self._pa.Table.from_pydict(
                _columns(self._pending), schema=self._schema
            )
            self._writer.write_table(table)
            self._pending = []

    def close(self) -> None:
        self._flush()
        self._writer.close()


class _TextSink(Sink):
    """A sink on a text stream: a file it opens (and closes), or one it is given.

    Given a stream (standard output), it only flushes on close: the stream
    belongs to the caller. Files are UTF-8 with ``newline=""`` so the csv
    module's line ends are written as they are.
    """

    def __init__(self, target: str | Path | TextIO) -> None:
        self._owned = isinstance(target, (str, Path))
        if isinstance(target, (str, Path)):
            # closed by close(): the sink is the context manager
            target = Path(target).open("w", encoding="utf-8", newline="")  # noqa: SIM115
        self._stream = target

    def close(self) -> None:
        if self._owned:
            self._stream.close()
        else:
            self._stream.flush()


class CsvSink(_TextSink):
    """Cell records as CSV, one row per cell under a header of `RECORD_FIELDS`.

    The header is written at once, so an empty batch still gives a file that
    tools read as a table with no rows.
    """

    def __init__(self, target: str | Path | TextIO) -> None:
        super().__init__(target)
        self._writer = csv.DictWriter(self._stream, fieldnames=RECORD_FIELDS)
        self._writer.writeheader()

    def write(self, report: Report, source: str | None = None) -> None:
        self._writer.writerows(report.to_records(source=source))


class JsonLinesSink(_TextSink):
    """One whole report a line (``to_dict`` plus ``source``), lossless.

    Unlike the cell tables it keeps sections, findings and candidates, and
    `Report.from_dict` reads each line back.
    """

    def write(self, report: Report, source: str | None = None) -> None:
        data = {"source": source, **report.to_dict()}
        self._stream.write(json.dumps(data, ensure_ascii=False) + "\n")
