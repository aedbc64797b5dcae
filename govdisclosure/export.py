"""Reports → Arrow tables, Parquet files and pandas frames (optional extras).

One row per cell, the columns of `RECORD_FIELDS` (docs/records.md). Arrow
needs one type per column, and a cell's value is an int (a count) or a
Decimal (an amount), so ``value`` is ``decimal128(38, 8)``: exact for both,
read natively by DuckDB, Polars and Spark (pandas gets `Decimal` objects).
A value with more than 8 decimal places cannot be written exactly and is
refused; none is seen in real reports.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from decimal import Decimal
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

from govdisclosure.errors import require_extra
from govdisclosure.model import RECORD_FIELDS, Report

if TYPE_CHECKING:
    from govdisclosure.batch import Result

__all__ = ["ParquetSink", "parquet_part", "record_schema", "records_frame", "to_arrow"]

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


def records_frame(records: list[dict[str, Any]]) -> Any:
    """Cell records → a ``pandas.DataFrame`` (values stay int or Decimal)."""
    pd = require_extra("pandas", "pandas", "to_frame")
    return pd.DataFrame.from_records(records, columns=list(RECORD_FIELDS))


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


def parquet_part(
    paths: Iterable[str | Path], folder: str | Path, *, spec: str | None = None
) -> list[tuple[str, str | None]]:
    """Parse ``paths`` here, into one Parquet file in ``folder``: one partition.

    Made for ``dask.bag.map_partitions`` and Spark's ``rdd.mapPartitions``
    (docs/scaling.md): each worker writes its own part, named by a hash of
    its paths, so a rerun replaces the part instead of adding a copy.
    Returns ``(path, error)`` for every file (error None when parsed).
    """
    from govdisclosure.batch import load_many

    files = [str(p) for p in paths]
    digest = hashlib.sha1("\n".join(files).encode(), usedforsecurity=False)
    target = Path(folder) / f"part-{digest.hexdigest()[:16]}.parquet"
    target.parent.mkdir(parents=True, exist_ok=True)
    outcome: list[tuple[str, str | None]] = []
    with ParquetSink(target) as sink:
        for result in load_many(files, jobs=1, spec=spec):
            if result.report is not None:
                sink.write(result.report, result.path)
            outcome.append((result.path, result.error))
    return outcome
