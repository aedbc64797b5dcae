"""What a user at a REPL meets: short reprs, tables as frames, lookups, errors.

Values read by hand from seed 000 (东湖区, 2020): 本年新收 13 by 自然人 and 15
in all (t3), a procurement of 6119919.29元 (t2_9).
"""

from __future__ import annotations

import json
import pickle
import sys
from pathlib import Path

import pytest

import govdisclosure
from govdisclosure import InputError, KeyNotFoundError, Report
from govdisclosure.cli import main

SEEDS = Path(__file__).parent / "data" / "seeds"
SEED_000 = SEEDS / "000_3691493a38efce86.txt"


@pytest.fixture(scope="module")
def report() -> Report:
    return govdisclosure.load_file(SEED_000)


def test_a_report_and_a_result_print_in_one_short_line(report: Report) -> None:
    shown = repr(report)

    assert len(shown) < 200
    assert "\n" not in shown
    for part in ("gov-2019", "2020", "东湖区", "ok 198", "100.0% decided"):
        assert part in shown
    result = govdisclosure.Result("a.txt", report)
    assert repr(result) == f"<Result a.txt: {shown}>"
    failed = govdisclosure.Result("b.txt", None, "InputError: input is empty")
    assert "<Result b.txt: failed: InputError: input is empty>" == repr(failed)
    assert len(repr(report.table("t3"))) < 100
    assert len(repr(report.sections[0])) < 100


def test_a_table_has_a_length_its_cells_and_an_index(report: Report) -> None:
    table = report.table("t3")

    assert len(table.row_keys) * len(table.column_keys) == len(table)
    assert list(table.cells) == list(table)
    assert 15 == table["new_requests", "total"].value
    assert (
        table.cell("new_requests", "natural_person")
        == table["new_requests", "natural_person"]
    )
    assert 13 == table["new_requests", "natural_person"].value


def test_a_table_as_a_frame_is_laid_out_as_the_report_prints_it(report: Report) -> None:
    pytest.importorskip("pandas")
    from decimal import Decimal

    frame = report.table("t3").to_frame()

    assert "总计" == frame.columns[-1]
    assert "法人或其他组织/商业企业" == frame.columns[1]
    assert "一、本年新收政府信息公开申请数量" == frame.index[0]
    assert 15 == frame.loc["一、本年新收政府信息公开申请数量", "总计"]
    assert "Int64" == str(frame["总计"].dtype)
    keyed = report.table("t3").to_frame(labels=False)
    assert 13 == keyed.loc["new_requests", "natural_person"]
    fee = report.table("t2_9").to_frame(labels=False)
    assert Decimal("6119919.29") == fee.loc["centralized_procurement", "amount"]


def test_to_frame_without_pandas_names_the_extra(
    report: Report, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "pandas", None)  # import pandas fails

    with pytest.raises(
        govdisclosure.MissingExtraError, match=r"govdisclosure\[pandas\]"
    ):
        report.table("t3").to_frame()
    with pytest.raises(
        govdisclosure.MissingExtraError, match=r"govdisclosure\[pandas\]"
    ):
        report.to_frame()


def test_every_lookup_by_key_raises_one_error_that_is_a_key_error(
    report: Report,
) -> None:
    table = report.table("t3")
    lookups = {
        "table": lambda: report.table("t9"),
        "section": lambda: report.section("s99"),
        "row": lambda: table.cell("nope", "total"),
        "column": lambda: table["new_requests", "nope"],
        "index": lambda: table["new_requests"],  # type: ignore[index]
    }
    for what, lookup in lookups.items():
        with pytest.raises(KeyNotFoundError) as raised:
            lookup()
        error = raised.value
        assert isinstance(error, KeyError), what
        assert isinstance(error, govdisclosure.GovDisclosureError), what
        assert not str(error).startswith("'"), what  # a message, not a quoted repr
        again = pickle.loads(pickle.dumps(error))
        assert (str(error), error.key, error.known) == (
            str(again),
            again.key,
            again.known,
        )
    with pytest.raises(KeyNotFoundError, match="t2_1, t2_5") as raised:
        report.table("t9")
    assert "t3" in raised.value.known
    assert "s1" == report.section("s1").id


def test_load_of_a_path_or_bytes_says_what_to_call(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"load_file\(path\)"):
        govdisclosure.load(SEED_000)  # type: ignore[arg-type]
    with pytest.raises(InputError, match="decode"):
        govdisclosure.load(SEED_000.read_bytes())  # type: ignore[arg-type]


def test_spec_may_be_a_path_given_as_a_string(tmp_path: Path) -> None:
    text = SEED_000.read_text("utf-8")
    spec_file = Path(__file__).parent.parent / "specs" / "gov-2019.yaml"

    assert "gov-2019" == govdisclosure.load(text, spec=str(spec_file)).format
    assert "gov-2019" == govdisclosure.load(text, spec="gov-2019").format
    with pytest.raises(govdisclosure.SpecError, match=r"nope\.yaml"):
        govdisclosure.load(text, spec=str(tmp_path / "nope.yaml"))
    with pytest.raises(govdisclosure.SpecNotFoundError, match="known specs"):
        govdisclosure.load(text, spec="nope")


@pytest.mark.parametrize("jobs", [1, 2], ids=["here", "workers"])
def test_a_failed_result_carries_its_exception_across_processes(
    jobs: int, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x00" * 10)
    limits = {"timeout": None, "memory": None} if jobs == 1 else {}

    results = list(govdisclosure.load_many([bad, SEED_000], jobs=jobs, **limits))
    spec_results = list(
        govdisclosure.load_many([SEED_000], jobs=jobs, spec="nope", **limits)
    )

    failed, parsed = results
    assert isinstance(failed.exception, InputError)
    assert failed.error == f"InputError: {failed.exception}"
    assert failed.exception.__traceback__ is None
    assert parsed.exception is None
    assert parsed.ok
    assert isinstance(spec_results[0].exception, govdisclosure.SpecNotFoundError)
    assert "gov-2019" in spec_results[0].exception.known
    assert failed == pickle.loads(pickle.dumps(failed))  # the exception is not compared


def test_every_line_parse_writes_reads_back_with_from_dict(tmp_path: Path) -> None:
    out = tmp_path / "reports.jsonl"
    seeds = sorted(SEEDS.glob("*.txt"))

    assert 0 == main(
        [
            "parse",
            *map(str, seeds),
            "-o",
            str(out),
            "--jobs",
            "1",
            "--timeout",
            "0",
            "--memory",
            "0",
        ]
    )

    lines = out.read_text("utf-8").splitlines()
    assert len(seeds) == len(lines)
    for seed, line in zip(seeds, lines, strict=True):
        assert govdisclosure.load_file(seed) == Report.from_dict(json.loads(line))


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (lambda d: d.pop("tables"), "tables"),
        (lambda d: d.update(extra=1), "extra"),
        (
            lambda d: d["tables"][0]["cells"][0].update(value=1.5),
            r"\$\.tables\[0\]\.cells\[0\]\.value",
        ),
        (
            lambda d: d["tables"][0]["cells"][0].update(value="x"),
            r"\$\.tables\[0\]\.cells\[0\]\.value",
        ),
        (lambda d: d["tables"][0]["cells"][0].update(status="sure"), "status"),
    ],
    ids=["missing", "unknown", "float", "no-decimal", "status"],
)
def test_a_malformed_dict_is_an_input_error_naming_the_place(
    report: Report, change: object, problem: str
) -> None:
    data = report.to_dict()
    change(data)  # type: ignore[operator]

    with pytest.raises(InputError, match=problem):
        Report.from_dict(data)


def test_what_is_no_dict_is_an_input_error() -> None:
    with pytest.raises(InputError, match="list"):
        Report.from_dict([])  # type: ignore[arg-type]
