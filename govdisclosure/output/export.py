"""Reports → Arrow tables and Parquet files (optional extras).

One row per cell, the columns of `RECORD_FIELDS` (docs/records.md). Arrow
needs one type per column, and a cell's value is an int (a count) or a
Decimal (an amount), so ``value`` is ``decimal128(38, 8)``: exact for both,
read natively by DuckDB, Polars and Spark (pandas gets `Decimal` objects).
A value with more than 8 decimal places cannot be written exactly and is
refused; none is seen in real reports.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from decimal import Decimal
from pathlib import Path
from types import TracebackType
from typing import Any

from govdisclosure.errors import require_extra
from govdisclosure.model import RECORD_FIELDS, Report, Result

__all__ = ["ParquetSink", "record_schema", "to_arrow"]

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


class ParquetSink:
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

    def __enter__(self) -> ParquetSink:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()
