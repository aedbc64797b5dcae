"""The tidy tables read back as an analyst reads them: pandas, DuckDB, SQLite.

``parse`` writes seeds 000 and 001 and a file that cannot be parsed; the
values checked were read by hand from the seeds: 000 (东湖区) prints 本年新收
13 by 自然人 and 15 in all, 行政许可 137, and a procurement of 6119919.29元;
001 prints its procurement as ``采购总金额(单位:万元) | 60``, 600000 元.
"""

# ruff: noqa: S608 - the queries name the test's own files and the library's columns
from __future__ import annotations

import decimal
import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

import govdisclosure
from govdisclosure.cli import main
from govdisclosure.model import FINDING_FIELDS, RECORD_FIELDS
from govdisclosure.output.export import ParquetSink

SEEDS = Path(__file__).parent / "data" / "seeds"
SEED_000 = SEEDS / "000_3691493a38efce86.txt"
SEED_001 = SEEDS / "001_12bbc16d07ceb1d3.txt"
SEED_004 = SEEDS / "004_c493ddf6db4f273e.txt"
IN_PROCESS = ["--jobs", "1", "--timeout", "0", "--memory", "0"]


def _inputs(folder: Path) -> list[Path]:
    bad = folder / "bad.txt"
    bad.write_bytes(b"\x00" * 10)  # binary: an InputError, a failed file
    return [SEED_000, SEED_001, bad]


def _parse(tmp_path: Path, suffix: str) -> tuple[Path, Path, list[Path]]:
    """``parse`` of the inputs, cells and findings both written as ``suffix``."""
    inputs = _inputs(tmp_path)
    cells, findings = tmp_path / f"cells{suffix}", tmp_path / f"findings{suffix}"
    argv = ["parse", *map(str, inputs), "-o", str(cells), "--findings", str(findings)]
    assert 2 == main([*argv, *IN_PROCESS])  # 2: a file failed
    return cells, findings, inputs


def _cell(frame: Any, source: Path, table: str, row: str, column: str) -> Any:
    hit = frame[
        (frame.source == str(source))
        & (frame.table_id == table)
        & (frame.row_key == row)
        & (frame.column_key == column)
    ]
    assert 1 == len(hit)
    return hit.iloc[0]


#: The types the docs tell a pandas user to give when reading the CSV.
CSV_DTYPES = {
    "year": "Int32",
    "count": "Int64",
    "format": "category",
    "table_id": "category",
    "unit": "category",
    "status": "category",
}


def _exact(text: str) -> decimal.Decimal | None:
    return decimal.Decimal(text) if text else None


def _read(pd: Any, path: Path) -> Any:
    if path.suffix == ".parquet":
        return pd.read_parquet(path)
    return pd.read_csv(
        path,
        dtype=CSV_DTYPES,
        converters={"amount": _exact, "amount_yuan": _exact},
        keep_default_na=False,
        na_values={"year": [""], "count": [""]},
    )


@pytest.mark.parametrize("suffix", [".parquet", ".csv"])
def test_pandas_reads_counts_as_integers_amounts_exact_status_categorical(
    suffix: str, tmp_path: Path
) -> None:
    pd = pytest.importorskip("pandas")
    pytest.importorskip("pyarrow")
    cells_path, _, _ = _parse(tmp_path, suffix)

    cells = _read(pd, cells_path)

    assert list(RECORD_FIELDS) == list(cells.columns)
    assert "Int64" == str(cells["count"].dtype)
    assert "category" == str(cells.status.dtype)
    assert "category" == str(cells.table_id.dtype)
    new = _cell(cells, SEED_000, "t3", "new_requests", "total")
    assert (15, "ok") == (new["count"], new.status)
    assert 13 == _cell(cells, SEED_000, "t3", "new_requests", "natural_person")["count"]
    license_ = _cell(
        cells, SEED_000, "t2_5", "administrative_license", "previous_count"
    )
    assert 137 == license_["count"]
    fee = _cell(cells, SEED_000, "t2_9", "centralized_procurement", "amount")
    assert decimal.Decimal("6119919.29") == fee.amount
    assert decimal.Decimal("6119919.29") == fee.amount_yuan
    assert pd.isna(fee["count"])
    fee = _cell(cells, SEED_001, "t2_9", "centralized_procurement", "amount")
    assert (decimal.Decimal("60"), "万元") == (fee.amount, fee.unit)
    assert decimal.Decimal("600000") == fee.amount_yuan
    # a sum of counts is an integer (not 0E-8): 本年新收 13 + 2 + 0 + 0 + 0 + 0
    new = cells[
        (cells.source == str(SEED_000))
        & (cells.table_id == "t3")
        & (cells.row_key == "new_requests")
        & (cells.column_key != "total")
    ]
    assert "15" == str(new.groupby("status", observed=True)["count"].sum()["ok"])
    assert decimal.Decimal("6719919.29") == cells.amount_yuan.dropna().sum()


def test_the_csv_opens_in_excel_on_a_chinese_windows(tmp_path: Path) -> None:
    """A byte-order mark: Excel reads the file as UTF-8, not as GBK."""
    cells, findings, _ = _parse(tmp_path, ".csv")

    for path in (cells, findings):
        assert path.read_bytes().startswith(b"\xef\xbb\xbfsource,format,")
    assert "东湖区" in cells.read_text("utf-8-sig")


@pytest.mark.parametrize("suffix", [".parquet", ".csv", ".jsonl"])
def test_the_findings_table_holds_every_finding_of_the_batch(
    suffix: str, tmp_path: Path
) -> None:
    if suffix == ".parquet":
        pytest.importorskip("pyarrow")
    _, path, inputs = _parse(tmp_path, suffix)

    rows = _finding_rows(path)

    reports = [govdisclosure.load_file(p) for p in inputs[:2]]
    expected = [
        (str(p), f.code, f.severity.value, f.message)
        for p, r in zip(inputs, reports, strict=False)
        for f in r.findings
    ]
    expected.append((str(inputs[2]), "file.failed", "error", rows[-1]["message"]))
    assert expected == [
        (r["source"], r["code"], r["severity"], r["message"]) for r in rows
    ]
    assert rows[-1]["message"].startswith("InputError: ")
    assert sum(len(r.findings) for r in reports) + 1 == len(rows)


def _finding_rows(path: Path) -> list[dict[str, Any]]:
    if path.suffix == ".parquet":
        table = pytest.importorskip("pyarrow.parquet").read_table(path)
        assert FINDING_FIELDS == tuple(table.column_names)
        return table.to_pylist()  # type: ignore[no-any-return]
    if path.suffix == ".jsonl":
        rows = [json.loads(line) for line in path.read_text("utf-8").splitlines()]
    else:
        import csv

        with path.open(encoding="utf-8-sig", newline="") as f:
            rows = list(csv.DictReader(f))
    assert all(FINDING_FIELDS == tuple(r) for r in rows)
    return rows


def test_duckdb_queries_parse_output_without_quoting(tmp_path: Path) -> None:
    duckdb = pytest.importorskip(
        "duckdb", reason="duckdb is not installed (the test extra pins it)"
    )
    pytest.importorskip("pyarrow")
    cells, findings, _ = _parse(tmp_path, ".parquet")
    t3_cells = sum(
        len(govdisclosure.load_file(p).table("t3")) for p in (SEED_000, SEED_001)
    )

    connection = duckdb.connect()

    def one(sql: str) -> Any:
        return connection.execute(sql).fetchall()[0]

    parquet = f"'{cells}'"
    assert t3_cells == one(f"select count(*) from {parquet} where table_id = 't3'")[0]
    assert ("BIGINT", "DECIMAL(38,8)") == one(
        f"select typeof(count), typeof(amount) from {parquet} limit 1"
    )
    assert (decimal.Decimal("6719919.29"),) == one(
        f"select sum(amount_yuan) from {parquet}"
    )
    assert (15,) == one(
        f"select count from {parquet} where table_id = 't3' and row_key = 'new_requests' "
        f"and column_key = 'total' and source like '%000_%'"
    )
    failed = one(f"select count(*) from '{findings}' where code = 'file.failed'")
    assert (1,) == failed
    csv_path = tmp_path / "again.csv"
    assert 2 == main(
        [
            "parse",
            str(SEED_000),
            str(tmp_path / "bad.txt"),
            "-o",
            str(csv_path),
            *IN_PROCESS,
        ]
    )
    read = f"read_csv('{csv_path}', types = {{'amount': 'DECIMAL(38,8)', 'amount_yuan': 'DECIMAL(38,8)'}})"
    assert (decimal.Decimal("6119919.29"), 15) == one(
        f"select sum(amount_yuan), max(count) filter (where table_id = 't3') from {read}"
    )


def test_no_column_is_a_reserved_word_of_duckdb_or_sqlite() -> None:
    """Every column is used unquoted in a query; DuckDB's list is asked when it is there."""
    for fields in (RECORD_FIELDS, FINDING_FIELDS):
        db = sqlite3.connect(":memory:")
        db.execute(f"create table t ({', '.join(f'{c} text' for c in fields)})")
        for column in fields:
            db.execute(f"select {column} from t where {column} = 'x' order by {column}")
    try:
        import duckdb
    except ImportError:
        return
    reserved = {
        row[0]
        for row in duckdb.sql(
            "select keyword_name from duckdb_keywords() where keyword_category = 'reserved'"
        ).fetchall()
    }
    assert set() == reserved & {*RECORD_FIELDS, *FINDING_FIELDS}


def test_the_parquet_file_says_who_wrote_it_and_with_which_specs(
    tmp_path: Path,
) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    cells, findings, _ = _parse(tmp_path, ".parquet")

    for path in (cells, findings):
        meta = pq.read_metadata(path).metadata
        assert govdisclosure.__version__ == meta[b"govdisclosure.version"].decode()
        assert b"2" == meta[b"govdisclosure.records"]
        assert {"gov-2019": 1} == json.loads(meta[b"govdisclosure.specs"])


def test_every_report_not_fully_read_has_its_row(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Real 05 leaves three cells of t2_1 undecided (行政规范性文件5426): no table is
    unread, so no error finding names them; check exits 3 and its text line says
    so, and as rows a ``coverage.incomplete`` row (reader fault) says the same."""
    real = Path(__file__).parent / "data" / "real" / "05-hebei-gxt-2022.txt"

    code = main(["check", str(real), "--format", "json", *IN_PROCESS])

    out, _ = capsys.readouterr()
    assert 3 == code
    [row] = [json.loads(line) for line in out.splitlines()]
    assert ("coverage.incomplete", "reader") == (row["code"], row["fault"])
    assert "197 of 200 cells decided" in row["message"]
    assert {
        "t2_1.normative_documents.issued",
        "t2_1.normative_documents.repealed",
        "t2_1.normative_documents.in_force",
    } == set(row["missing_cells"])


@pytest.mark.parametrize("kind", ["json", "csv"])
def test_check_writes_what_it_reports_as_rows_of_the_findings_table(
    kind: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Seed 004's fee row is ambiguous, so its table t2_8 is mostly unread: an error."""
    bad = _inputs(tmp_path)[2]

    code = main(
        ["check", str(SEED_000), str(SEED_004), str(bad), "--format", kind, *IN_PROCESS]
    )

    out, err = capsys.readouterr()
    assert 2 == code  # a file failed
    if kind == "json":
        rows = [json.loads(line) for line in out.splitlines()]
    else:
        import csv
        import io

        rows = list(csv.DictReader(io.StringIO(out)))
    assert all(FINDING_FIELDS == tuple(r) for r in rows)
    assert [(str(SEED_004), "table.unread"), (str(bad), "file.failed")] == [
        (r["source"], r["code"]) for r in rows
    ]
    assert "t2_8.administrative_fees.previous_count" in str(rows[0]["missing_cells"])
    assert "could not be parsed" in err  # the summary, off stdout


def test_parquet_by_column_holds_the_records_row_by_row(tmp_path: Path) -> None:
    """Parquet is written a column at a time (`Report.record_columns`), CSV and
    JSON a record at a time: the same rows, fields in `RECORD_FIELDS` order."""
    pq = pytest.importorskip("pyarrow.parquet")
    reports = [govdisclosure.load_file(p) for p in (SEED_000, SEED_001, SEED_004)]
    path = tmp_path / "cells.parquet"
    with ParquetSink(path) as sink:
        for report, source in zip(reports, ("a", "b", "c"), strict=True):
            sink.write(report, source)

    rows = pq.read_table(path).to_pylist()
    records = [
        r
        for report, source in zip(reports, ("a", "b", "c"), strict=True)
        for r in report.to_records(source)
    ]
    assert len(rows) == len(records) > 300
    assert all(tuple(r) == RECORD_FIELDS for r in records)
    assert rows == records
    fee = [r for r in rows if r["source"] == "a" and r["column_key"] == "amount"]
    assert [decimal.Decimal("6119919.29")] == [r["amount"] for r in fee]
