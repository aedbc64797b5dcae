"""Exports that fit the data stack: pandas, Arrow, JSON Schema, pickling."""

from __future__ import annotations

import json
import pickle
from decimal import Decimal
from pathlib import Path

import pytest

import govdisclosure

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
    fee = frame[(frame.table == "t2_9") & (frame.column_key == "amount")]
    assert [Decimal("6119919.29")] == list(fee.value)
    assert ["元"] == list(fee.unit)
    assert {"seed-000"} == set(frame.source)


def test_to_arrow_takes_reports_and_results_and_skips_failures(tmp_path: Path) -> None:
    pa = pytest.importorskip("pyarrow")
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x00" * 10)
    results = list(govdisclosure.load_many([SEED_000, bad], jobs=1))

    table = govdisclosure.to_arrow([*results, govdisclosure.load_file(SEED_004)])

    cells_000 = len(list(results[0].report.cells))  # type: ignore[union-attr]
    cells_004 = len(list(govdisclosure.load_file(SEED_004).cells))
    assert cells_000 + cells_004 == table.num_rows
    assert pa.decimal128(38, 8) == table.schema.field("value").type
    sources = table.column("source").to_pylist()
    assert {str(SEED_000), None} == set(sources)
    fee = [
        row
        for row in table.to_pylist()
        if row["source"] == str(SEED_000) and row["column_key"] == "amount"
    ]
    assert Decimal("6119919.29") == fee[0]["value"]


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
