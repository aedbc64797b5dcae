"""Exports that fit the data stack: pandas, Arrow, sinks, JSON Schema, pickling."""

from __future__ import annotations

import csv
import io
import json
import pickle
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import pytest

import govdisclosure
from govdisclosure.output import export

ROOT = Path(__file__).parent
SEED_000 = ROOT / "data" / "seeds" / "000_3691493a38efce86.txt"
SEED_004 = ROOT / "data" / "seeds" / "004_c493ddf6db4f273e.txt"


def test_to_frame_is_one_row_per_cell_with_exact_values() -> None:
    """Seed 000's procurement amount (read by hand: 6119919.29元) stays a Decimal."""
    pytest.importorskip("pandas")
    report = govdisclosure.load_file(SEED_000)

    frame = report.to_frame(source="seed-000")

    assert list(govdisclosure.model.RECORD_FIELDS) == list(frame.columns)
    assert len(list(report.cells)) == len(frame)
    fee = frame[(frame.table_id == "t2_9") & (frame.column_key == "amount")]
    assert [Decimal("6119919.29")] == list(fee.amount)
    assert [Decimal("6119919.29")] == list(fee.amount_yuan)
    assert ["元"] == list(fee.unit)
    assert {"seed-000"} == set(frame.source)
    # 本年新收 15 requests in all (t3, read by hand): an integer, not a Decimal
    new = frame[(frame.table_id == "t3") & (frame.row_key == "new_requests")]
    assert 15 == new[new.column_key == "total"]["count"].iloc[0]
    assert "Int64" == str(frame["count"].dtype)
    assert "category" == str(frame.status.dtype)


def test_to_arrow_takes_reports_and_results_and_skips_failures(tmp_path: Path) -> None:
    pa = pytest.importorskip("pyarrow")
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x00" * 10)
    results = list(govdisclosure.load_many([SEED_000, bad], jobs=1))

    table = govdisclosure.to_arrow([*results, govdisclosure.load_file(SEED_004)])

    cells_000 = len(list(results[0].report.cells))  # type: ignore[union-attr]
    cells_004 = len(list(govdisclosure.load_file(SEED_004).cells))
    assert cells_000 + cells_004 == table.num_rows
    assert pa.int64() == table.schema.field("count").type
    assert pa.decimal128(38, 8) == table.schema.field("amount").type
    sources = table.column("source").to_pylist()
    assert {str(SEED_000), None} == set(sources)
    fee = [
        row
        for row in table.to_pylist()
        if row["source"] == str(SEED_000) and row["column_key"] == "amount"
    ]
    assert Decimal("6119919.29") == fee[0]["amount"]
    assert fee[0]["count"] is None
    specs = json.loads(table.schema.metadata[b"govdisclosure.specs"])
    assert {"gov-2019": 1} == specs  # both seeds are 2020 reports


def test_reports_specs_and_errors_pickle() -> None:
    """What crosses process boundaries (Dask, Spark, ProcessPool) comes back equal."""
    report = govdisclosure.load_file(SEED_004)
    spec = govdisclosure.Registry().get("gov-2021")
    error = govdisclosure.FormatNotRecognizedError("no", [("gov-2021", 0.1, "why")])
    spec_error = govdisclosure.SpecError("bad", "x", ["a:1:1: what; fix: how"])

    assert report == pickle.loads(pickle.dumps(report))
    assert spec == pickle.loads(pickle.dumps(spec))
    assert error.candidates == pickle.loads(pickle.dumps(error)).candidates
    assert spec_error.problems == pickle.loads(pickle.dumps(spec_error)).problems
    result = govdisclosure.Result("a.txt", report)
    assert result == pickle.loads(pickle.dumps(result))


def test_a_cell_with_every_field_set_pickles_whole() -> None:
    """Cells pickle as their fields in order (`Cell.__reduce__`, for the batch's
    speed): none is lost or swapped, whichever fields are set."""
    from govdisclosure.model import Cell, CellStatus, Decision, SourceSpan

    cell = Cell(
        "t3",
        "r",
        "c",
        "行",
        "列",
        Decimal("1.5"),
        CellStatus.CORRECTED,
        "万元",
        "1.5",
        SourceSpan(3, 6, 2),
        (1, None),
        "why",
        "note",
        "—",
        Decision("a", "2026-01-01", "read", CellStatus.AMBIGUOUS, override=True),
    )
    assert all(getattr(cell, a.name) is not a.default for a in attrs.fields(Cell))

    again = pickle.loads(pickle.dumps(cell))
    assert cell == again
    assert attrs.asdict(cell, recurse=False) == attrs.asdict(again, recurse=False)


def test_load_is_a_pure_function_of_its_input() -> None:
    text = SEED_004.read_text("utf-8")

    assert govdisclosure.load(text) == govdisclosure.load(text)


def test_the_published_report_schema_is_current_and_validates_reports() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schema = govdisclosure.report_json_schema()
    published = json.loads(
        (ROOT.parent / "docs" / "report.schema.json").read_text("utf-8")
    )

    assert schema == published, "regenerate: python docs/gen_keys.py"
    for path in (SEED_000, SEED_004):
        data = {"source": str(path), **govdisclosure.load_file(path).to_dict()}
        jsonschema.validate(data, schema)
    data["tables"][0]["cells"][0]["value"] = 1.5  # a float is no value
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, schema)


# The sinks: two reports written, read back, and their cells compared with the
# values read by hand from the seeds (000: 行政许可 137 / 22項 / 5665, the
# procurement amount 6119919.29元; 004: the fee row's figures are ambiguous).
HAND_READ = {
    ("seed-000", "t2_5", "administrative_license", "previous_count"): (137, "ok"),
    ("seed-000", "t2_5", "administrative_license", "change"): (22, "ok"),
    ("seed-000", "t2_9", "centralized_procurement", "amount"): (
        Decimal("6119919.29"),
        "ok",
    ),
    ("seed-000", "t3", "new_requests", "total"): (15, "ok"),
    ("seed-004", "t2_5", "administrative_license", "previous_count"): (3, "ok"),
    ("seed-004", "t2_8", "administrative_fees", "previous_count"): (None, "ambiguous"),
}


def _write_two(sink: export.Sink) -> list[govdisclosure.Report]:
    """Seeds 000 and 004 written to ``sink`` as ``seed-000`` and ``seed-004``."""
    reports = [govdisclosure.load_file(SEED_000), govdisclosure.load_file(SEED_004)]
    with sink:
        for name, report in zip(("seed-000", "seed-004"), reports, strict=True):
            sink.write(report, name)
    return reports


def _csv_rows(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    assert list(govdisclosure.model.RECORD_FIELDS) == list(rows[0])
    for row in rows:  # CSV holds text: the numbers are typed back here
        row["count"] = int(row["count"]) if row["count"] else None
        for name in ("amount", "amount_yuan"):
            row[name] = Decimal(row[name]) if row[name] else None
        row["year"] = int(row["year"])
    return rows


_NUMBERS = ("count", "amount", "amount_yuan")


def _as_csv(record: dict[str, Any]) -> dict[str, Any]:
    """A record as `_csv_rows` reads it back: CSV writes None as an empty field."""
    return {k: "" if v is None and k not in _NUMBERS else v for k, v in record.items()}


def _parquet_rows(path: Path) -> list[dict[str, Any]]:
    table = pytest.importorskip("pyarrow.parquet").read_table(path)
    assert govdisclosure.model.RECORD_FIELDS == tuple(table.column_names)
    return table.to_pylist()  # type: ignore[no-any-return]


@pytest.mark.parametrize(
    ("sink_class", "suffix", "read", "as_read"),
    [
        (export.CsvSink, ".csv", _csv_rows, _as_csv),
        (export.ParquetSink, ".parquet", _parquet_rows, dict),
    ],
    ids=["csv", "parquet"],
)
def test_cell_sinks_write_one_row_per_cell_with_the_true_values(
    sink_class: Any, suffix: str, read: Any, as_read: Any, tmp_path: Path
) -> None:
    if sink_class is export.ParquetSink:
        pytest.importorskip("pyarrow")
    path = tmp_path / f"cells{suffix}"

    reports = _write_two(sink_class(path))

    rows = read(path)
    expected = [
        as_read(record)
        for name, report in zip(("seed-000", "seed-004"), reports, strict=True)
        for record in report.to_records(source=name)
    ]
    assert len(expected) == len(rows)
    assert expected == rows  # every column of every cell, in spec order
    by_cell = {
        (r["source"], r["table_id"], r["row_key"], r["column_key"]): r for r in rows
    }
    for key, (value, status) in HAND_READ.items():
        got = by_cell[key]
        kind = "amount" if isinstance(value, Decimal) else "count"
        assert (value, status) == (got[kind], got["status"])
        assert got["amount" if kind == "count" else "count"] is None
    assert (
        "元" == by_cell["seed-000", "t2_9", "centralized_procurement", "amount"]["unit"]
    )
    assert {"东湖区", "常德市行政审批服务局"} == {r["organization"] for r in rows}


def test_json_lines_sink_writes_whole_reports_that_read_back(tmp_path: Path) -> None:
    path = tmp_path / "reports.jsonl"

    reports = _write_two(export.JsonLinesSink(path))

    lines = path.read_text("utf-8").splitlines()
    assert 2 == len(lines)
    datas = [json.loads(line) for line in lines]
    assert ["seed-000", "seed-004"] == [d.pop("source") for d in datas]
    assert reports == [govdisclosure.Report.from_dict(d) for d in datas]
    back = govdisclosure.Report.from_dict(datas[0])
    amount = back.table("t2_9").cell("centralized_procurement", "amount")
    assert (Decimal("6119919.29"), "元") == (amount.value, amount.unit)
    assert "东湖区" in lines[0]  # labels stay readable, not \\u escapes


def test_a_text_sink_given_a_stream_leaves_it_open() -> None:
    """Standard output is the caller's: the sink writes to it but does not close it."""
    stream = io.StringIO()

    _write_two(export.JsonLinesSink(stream))

    assert not stream.closed
    assert 2 == len(stream.getvalue().splitlines())


def _write_then_fail(path: Path, report: govdisclosure.Report) -> None:
    with export.CsvSink(path) as sink:
        sink.write(report, "seed-000")
        raise RuntimeError("a worker died")


def test_a_csv_sink_finishes_its_file_when_the_batch_fails(tmp_path: Path) -> None:
    """The context manager closes the file, so what was written is there."""
    path = tmp_path / "cells.csv"
    report = govdisclosure.load_file(SEED_000)

    with pytest.raises(RuntimeError, match="a worker died"):
        _write_then_fail(path, report)

    assert len(list(report.cells)) == len(_csv_rows(path))


def _report_with_count(value: int) -> govdisclosure.Report:
    """A gov-2021 report in pipe rows, every count 0 but 规章's 本年制发件数."""
    import random

    from govdisclosure.spec.registry import Registry
    from govdisclosure.testing import FilledReport, Layout, render

    spec = Registry(plugins=False, environment=False).get("gov-2021")
    values: dict[str, dict[str, list[Any]]] = {
        t.id: {r.key: [0 for _ in t.column_leaves()] for r in t.row_leaves()}
        for t in spec.tables
    }
    values["t2_1"]["rules"][0] = value
    text = render(
        FilledReport(spec, values, year=2022), Layout(cells="pipe"), random.Random(0)
    )
    report = govdisclosure.load(text, spec=spec)
    cell = report.table("t2_1").cell("rules", "issued")
    assert (govdisclosure.CellStatus.OK, value) == (cell.status, cell.value)
    return report


def test_a_large_count_keeps_every_digit_in_a_frame() -> None:
    """A count past 2**53 (a float's exact integers): the frames hold the
    report's number, not a float's neighbour of it (a column with a missing
    value used to pass through floats)."""
    pd = pytest.importorskip("pandas")
    value = 2**53 + 1
    report = _report_with_count(value)

    frame = report.to_frame()
    row = frame[(frame.table_id == "t2_1") & (frame.row_key == "rules")]
    assert [value] == list(row[row.column_key == "issued"]["count"])
    assert frame["count"].isna().any()  # cells without a count stay missing
    assert "Int64" == str(frame["count"].dtype)
    table = report.table("t2_1").to_frame(labels=False)
    assert value == table.loc["rules", "issued"]
    # a count past int64 (no report's: `values.MAX_COUNT_DIGITS`) stays exact
    wide = govdisclosure.model._counts_column(pd, [2**63 + 5, None])
    assert [2**63 + 5, None] == list(wide)


def test_a_cell_past_what_the_records_hold_is_unread_and_the_batch_written(
    tmp_path: Path,
) -> None:
    """A 19-digit count (past int64) in 规章's 本年制发件数: the cell is missing
    with its text and a reason, not a value no export can hold; `parse` writes
    the Parquet file (it stopped with an OverflowError traceback)."""
    pq = pytest.importorskip("pyarrow.parquet")
    import random

    from govdisclosure.cli import main
    from govdisclosure.spec.registry import Registry
    from govdisclosure.testing import FilledReport, Layout, render

    spec = Registry(plugins=False, environment=False).get("gov-2021")
    values: dict[str, dict[str, list[Any]]] = {
        t.id: {r.key: [0 for _ in t.column_leaves()] for r in t.row_leaves()}
        for t in spec.tables
    }
    values["t2_1"]["rules"][0] = 9223372036854775813  # 2**63 + 5
    text = render(
        FilledReport(spec, values, year=2022), Layout(cells="pipe"), random.Random(0)
    )
    assert "9223372036854775813" in text
    (tmp_path / "big.txt").write_text(text, "utf-8")

    cell = govdisclosure.load(text, spec=spec).table("t2_1").cell("rules", "issued")
    assert govdisclosure.CellStatus.MISSING is cell.status
    assert "9223372036854775813" == cell.raw
    assert "more digits than a count may have (18)" in (cell.reason or "")
    out = tmp_path / "cells.parquet"
    assert 0 == main(
        ["parse", str(tmp_path / "big.txt"), "-o", str(out), "--jobs", "1"]
    )
    table = pq.read_table(out).to_pylist()
    issued = [r for r in table if r["table_id"] == "t2_1" and r["row_key"] == "rules"]
    assert [None] == [r["count"] for r in issued if r["column_key"] == "issued"]


def test_the_largest_amount_read_fits_the_records_in_yuan() -> None:
    """22 digits before the point in 万元 (the most an amount may have,
    `values.MAX_AMOUNT_DIGITS`): Arrow holds the amount and its value in 元
    (it stopped with "Rescaling Decimal value would cause data loss" for 27)."""
    pytest.importorskip("pyarrow")
    import random

    from govdisclosure.spec.registry import Registry
    from govdisclosure.testing import FilledReport, Layout, render

    spec = Registry(plugins=False, environment=False).get("gov-2021")
    values: dict[str, dict[str, list[Any]]] = {
        t.id: {r.key: [0 for _ in t.column_leaves()] for r in t.row_leaves()}
        for t in spec.tables
    }
    from govdisclosure.pipeline.values import MAX_AMOUNT_DIGITS

    whole, places = MAX_AMOUNT_DIGITS
    amount = Decimal("9" * whole + "." + "1" * places)
    values["t2_8"]["administrative_fees"][0] = amount
    text = render(
        FilledReport(spec, values, year=2022), Layout(cells="pipe"), random.Random(0)
    )
    report = govdisclosure.load(text, spec=spec)
    cell = report.table("t2_8").cell("administrative_fees", "fee_amount")
    assert (govdisclosure.CellStatus.OK, amount, "万元") == (
        cell.status,
        cell.value,
        cell.unit,
    )

    rows = govdisclosure.to_arrow([report]).to_pylist()
    (fee,) = [r for r in rows if r["row_key"] == "administrative_fees"]
    assert amount == fee["amount"]
    assert amount * 10_000 == fee["amount_yuan"]


@pytest.mark.parametrize(
    ("make", "suffix"),
    [
        (lambda path: export.CsvSink(path), ".csv"),
        (lambda path: export.CsvSink(path, export.FINDINGS), ".csv"),
        (lambda path: export.ParquetSink(path), ".parquet"),
        (lambda path: export.ParquetSink(path, export.FINDINGS), ".parquet"),
        (lambda path: export.JsonLinesSink(path), ".jsonl"),
        (lambda path: export.JsonLinesSink(path, export.FINDINGS), ".jsonl"),
    ],
    ids=[
        "csv",
        "csv-findings",
        "parquet",
        "parquet-findings",
        "jsonl",
        "jsonl-findings",
    ],
)
def test_a_sink_writes_what_its_preparer_made_as_it_writes_the_report(
    make: Any, suffix: str, tmp_path: Path
) -> None:
    """A batch's workers send what `Sink.preparer` made of each report, pickled
    (`load_many`'s ``keep``), and the main process writes it with
    `write_prepared`: the file must be the one `write` gives."""
    if suffix == ".parquet":
        pytest.importorskip("pyarrow")
    reports = [govdisclosure.load_file(SEED_000), govdisclosure.load_file(SEED_004)]
    written, prepared = tmp_path / f"w{suffix}", tmp_path / f"p{suffix}"
    with make(written) as sink:
        for name, report in zip(("seed-000", "seed-004"), reports, strict=True):
            sink.write(report, name)
        sink.write_failed("bad.txt", "InputError: input is empty")
    with make(prepared) as sink:
        preparer = pickle.loads(pickle.dumps(sink.preparer()))
        for name, report in zip(("seed-000", "seed-004"), reports, strict=True):
            made = pickle.loads(pickle.dumps(preparer(report, name)))
            assert not isinstance(made, govdisclosure.Report)  # rows, not the report
            sink.write_prepared(made)
        sink.write_failed("bad.txt", "InputError: input is empty")
    if suffix == ".parquet":
        import pyarrow.parquet as pq

        got, want = pq.read_table(prepared), pq.read_table(written)
        assert want.num_rows >= 2
        assert want.to_pylist() == got.to_pylist()
        assert want.schema.metadata == got.schema.metadata  # the specs used, too
    else:
        text = written.read_text("utf-8")
        assert text.count("\n") >= 2
        assert text == prepared.read_text("utf-8")


def test_the_base_sink_prepares_the_report_itself() -> None:
    """A sink that writes whole reports (the default preparer) is sent the report."""
    report = govdisclosure.load_file(SEED_004)
    got: list[tuple[Any, Any]] = []

    class Whole(export.Sink):
        def write(self, report: Any, source: str | None = None) -> None:
            got.append((report, source))

        def write_failed(self, source: str, error: str) -> None:
            raise AssertionError

        def close(self) -> None:
            pass

    sink = Whole()
    sink.write_prepared(sink.preparer()(report, "a.txt"))
    assert [(report, "a.txt")] == got
