"""Many reports: load_many, `govdisclosure parse` (JSON Lines, CSV, Parquet) and `check`."""

from __future__ import annotations

import csv
import json
import multiprocessing
import shutil
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import govdisclosure
from govdisclosure.cli import main
from govdisclosure.testing.golden import (
    case_input,
    expected_cell,
    find_cases,
    read_case,
)

ROOT = Path(__file__).parent
CASES = find_cases(ROOT / "golden" / "cases")
ROW = "一、本年新收政府信息公开申请数量 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | ||"


def _inputs(folder: Path) -> dict[str, Path]:
    """Every golden case's report copied into ``folder``; case path → copy."""
    copies = {}
    for i, case in enumerate(CASES):
        copy = folder / f"{i:02d}-{case.name.removesuffix('.expected.yaml')}.txt"
        shutil.copy(case_input(case, read_case(case)), copy)
        copies[str(case)] = copy
    return copies


def _read_back(out: Path) -> list[dict[str, Any]]:
    """The rows of a CSV or Parquet output, counts as int and amounts as Decimal (or None)."""
    if out.suffix == ".parquet":
        import pyarrow.parquet as pq

        table = pq.read_table(out)
        assert govdisclosure.model.RECORD_FIELDS == tuple(table.column_names)
        return table.to_pylist()  # type: ignore[no-any-return]
    with out.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    assert govdisclosure.model.RECORD_FIELDS == tuple(rows[0])
    for row in rows:
        row["count"] = int(row["count"]) if row["count"] else None
        row["amount"] = Decimal(row["amount"]) if row["amount"] else None
    return rows


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_parse_gives_every_cell_of_every_report(
    suffix: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """One row per cell; read back, each golden case's cells are its typed values."""
    inputs = tmp_path / "in"
    inputs.mkdir()
    copies = _inputs(inputs)
    out = tmp_path / f"cells{suffix}"

    assert 0 == main(["parse", str(inputs), "-o", str(out), "--jobs", "2"])

    rows = _read_back(out)
    by_cell = {
        (r["source"], r["table_id"], r["row_key"], r["column_key"]): r for r in rows
    }
    assert len(by_cell) == len(rows)
    checked = 0
    for case_path, copy in copies.items():
        case = read_case(case_path)
        for table, table_rows in case["tables"].items():
            for row_key, written in table_rows.items():
                for i, cell in enumerate(written):
                    status, value = expected_cell(cell)
                    got = [
                        r
                        for (src, t, rk, _), r in by_cell.items()
                        if (src, t, rk) == (str(copy), table, row_key)
                    ][i]
                    assert status.value == got["status"], (copy, table, row_key, i)
                    number = got["count"] if got["amount"] is None else got["amount"]
                    assert value == number, (copy, table, row_key, i)
                    checked += 1
    assert checked == len(rows)
    assert (
        f"parsed {len(CASES)}, flagged 0 (error findings), "
        f"not fully read {sum(map(_not_fully_read, CASES))}, failed 0"
        in capsys.readouterr().err
    )


def _not_fully_read(case: Path) -> bool:
    """Whether a golden case types a cell as undecided, or has no table at all."""
    tables = read_case(case)["tables"]
    statuses = {
        expected_cell(written)[0]
        for rows in tables.values()
        for row in rows.values()
        for written in row
    }
    undecided = {govdisclosure.CellStatus.MISSING, govdisclosure.CellStatus.AMBIGUOUS}
    return not tables or bool(statuses & undecided)


def test_parse_to_json_lines_round_trips(tmp_path: Path) -> None:
    """JSON Lines: one report a line, with its source; Report.from_dict reads it back."""
    seed = ROOT / "data" / "seeds" / "000_3691493a38efce86.txt"
    out = tmp_path / "reports.jsonl"

    assert 0 == main(["parse", str(seed), "-o", str(out), "--jobs", "1"])

    (line,) = out.read_text("utf-8").splitlines()
    data = json.loads(line)
    assert str(seed) == data.pop("source")
    assert govdisclosure.load_file(seed) == govdisclosure.Report.from_dict(data)


def test_a_bad_file_is_reported_and_the_batch_goes_on(tmp_path: Path) -> None:
    """A binary file and a missing path become Results with errors, in input order."""
    good = tmp_path / "a.txt"
    shutil.copy(ROOT / "data" / "seeds" / "001_12bbc16d07ceb1d3.txt", good)
    (tmp_path / "b.txt").write_bytes(b"\x00\xff\xfe" * 100)

    results = list(govdisclosure.load_many([tmp_path, tmp_path / "nope.txt"], jobs=2))

    assert [str(good), str(tmp_path / "b.txt"), str(tmp_path / "nope.txt")] == [
        r.path for r in results
    ]
    assert [True, False, False] == [r.ok for r in results]
    assert "InputError" in str(results[1].error)
    assert "nope.txt" in str(results[2].error)


def test_check_names_the_broken_equation(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A report whose 三 does not add up: exit 1, the rule and its equation printed."""
    text = (ROOT / "data" / "seeds" / "001_12bbc16d07ceb1d3.txt").read_text("utf-8")
    assert ROW in text
    broken = tmp_path / "broken.txt"
    broken.write_text(
        text.replace(ROW, ROW.replace("0 | 0 | ||", "0 | 5 | ||")), "utf-8"
    )

    assert 1 == main(["check", str(broken), "--jobs", "1"])
    out = capsys.readouterr().out
    assert (
        f"{broken}: I1 broken in t3: new_requests + carried_over == processed_total "
        "+ carry_forward  [column total]: left side 5, right side 0 [report fault]"
    ) in out.splitlines()


def test_check_passes_clean_reports(capsys: pytest.CaptureFixture[str]) -> None:
    """Seeds read in full (every cell decided, golden cases) that add up: exit 0."""
    seeds = ROOT / "data" / "seeds"
    clean = [
        seeds / f"{n}.txt" for n in ("000_3691493a38efce86", "001_12bbc16d07ceb1d3")
    ]

    assert 0 == main(["check", *map(str, clean), "--jobs", "2"])
    captured = capsys.readouterr()
    assert "" == captured.out  # no report line: the summary is on stderr
    assert "0 report(s) with errors, 0 not fully read, 0 could not be parsed" in (
        captured.err
    )


def test_an_unknown_output_format_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """-o out.xlsx is not silently written as JSON Lines."""
    out = tmp_path / "out.xlsx"

    assert 2 == main(["parse", str(ROOT / "data" / "seeds"), "-o", str(out)])
    assert not out.exists()
    assert "unknown output format 'xlsx'" in capsys.readouterr().err


def _run_cli(args: list[str], **kwargs: Any) -> Any:
    import subprocess
    import sys

    return subprocess.run(
        [sys.executable, "-m", "govdisclosure", *args],
        check=False,
        timeout=300,
        **kwargs,
    )


def test_progress_bar_on_a_terminal_only(tmp_path: Path) -> None:
    """stderr a terminal: files done, rate, ETA; stderr a pipe: only the summary."""
    import os
    import pty

    seeds = str(ROOT / "data" / "seeds")
    out = str(tmp_path / "cells.csv")
    leader, follower = pty.openpty()
    try:
        done = _run_cli(["parse", seeds, "-o", out, "--jobs", "1"], stderr=follower)
        os.close(follower)
        seen = b""
        while True:
            try:
                chunk = os.read(leader, 4096)
            except OSError:  # the terminal closed: all read
                break
            if not chunk:
                break
            seen += chunk
    finally:
        os.close(leader)
    assert 0 == done.returncode
    shown = seen.decode("utf-8")
    assert "5/5 files" in shown
    assert "files/s" in shown
    assert "ETA" in shown
    # seeds 002 (二（一） not found) and 004 (四 undecided) are not fully read
    assert "parsed 5, flagged 0 (error findings), not fully read 2, failed 0" in shown

    piped = _run_cli(["parse", seeds, "-o", out, "--jobs", "1"], capture_output=True)
    assert 0 == piped.returncode
    assert (
        b"parsed 5, flagged 0 (error findings), not fully read 2, failed 0\n"
        == piped.stderr
    ), "no progress when piped"


def test_stdin_is_read_with_a_dash(tmp_path: Path) -> None:
    """`cat report.txt | govdisclosure parse -`: GB18030 bytes on stdin, detected."""
    seed = ROOT / "data" / "seeds" / "001_12bbc16d07ceb1d3.txt"
    text = seed.read_text("utf-8")

    done = _run_cli(["parse", "-"], input=text.encode("gb18030"), capture_output=True)

    assert 0 == done.returncode, done.stderr
    data = json.loads(done.stdout)
    assert "-" == data["source"]
    assert govdisclosure.load(text).to_dict()["tables"] == data["tables"]


def test_a_folder_of_mixed_inputs(tmp_path: Path) -> None:
    """A folder's .txt and .html reports are found and parsed; other files are not."""
    seed = ROOT / "data" / "seeds" / "001_12bbc16d07ceb1d3.txt"
    shutil.copy(seed, tmp_path / "a.txt")
    page = "<html><body>" + "".join(
        f"<p>{line}</p>" for line in seed.read_text("utf-8").splitlines()
    )
    (tmp_path / "b.HTML").write_text(page + "</body></html>", "utf-8")
    (tmp_path / "notes.md").write_text("not a report", "utf-8")

    results = list(govdisclosure.load_many([tmp_path], jobs=1))

    assert ["a.txt", "b.HTML"] == [Path(r.path).name for r in results]
    assert all(r.ok for r in results)


@pytest.mark.parametrize("jobs", [1, 2], ids=["in-process", "workers"])
def test_load_many_keeps_what_keep_made_of_each_report(
    jobs: int, tmp_path: Path
) -> None:
    """``keep`` runs where each report was parsed, and its Result holds the
    value instead of the report; a file that fails, or whose ``keep``
    raises, is a failed Result as any other."""
    import functools

    from govdisclosure.output.export import CELLS, _prepared_columns

    seeds = ROOT / "data" / "seeds"
    good = [seeds / "001_12bbc16d07ceb1d3.txt", seeds / "004_c493ddf6db4f273e.txt"]
    bad = tmp_path / "empty.txt"
    bad.write_text("", "utf-8")
    # the rows by column, and the spec: what a Parquet sink is sent
    preparer = functools.partial(_prepared_columns, CELLS)
    limits: dict[str, Any] = {"timeout": None, "memory": None} if jobs == 1 else {}

    results = list(
        govdisclosure.load_many([*good, bad], jobs=jobs, keep=preparer, **limits)
    )

    assert [str(p) for p in [*good, bad]] == [r.path for r in results]
    for path, result in zip(good, results[:2], strict=True):
        assert (True, None, None) == (result.ok, result.report, result.error)
        report = govdisclosure.load_file(path)
        assert preparer(report, str(path)) == result.value
        columns, spec = result.value
        assert ("gov-2019", 1) == spec
        assert len(list(report.cells)) == len(columns["row_key"]) > 100
    assert not results[2].ok
    assert (results[2].error or "").startswith("InputError")
    raised = list(govdisclosure.load_many(good[:1], jobs=jobs, keep=divmod, **limits))
    assert not raised[0].ok
    assert (raised[0].error or "").startswith("TypeError: unsupported operand")


_START = """
import multiprocessing, sys
if __name__ == "__main__":
    multiprocessing.set_start_method(sys.argv[1], force=True)
    from govdisclosure.cli import main
    sys.exit(main(sys.argv[2:]))
"""


@pytest.mark.parametrize(
    "start",
    [
        pytest.param(
            method,
            marks=pytest.mark.skipif(
                method not in multiprocessing.get_all_start_methods(),
                reason=f"no {method} here",
            ),
        )
        for method in ("spawn", "forkserver")
    ],
)
def test_parse_and_check_send_rows_from_workers_however_they_start(
    start: str, tmp_path: Path
) -> None:
    """`parse` and `check` send each report's rows from the workers (`keep`,
    `Sink.preparer`), which a worker started by spawn or forkserver is sent
    pickled: the output is the one parsing in this process gives."""
    import subprocess
    import sys

    script = tmp_path / "start.py"
    script.write_text(_START, "utf-8")
    seeds = str(ROOT / "data" / "seeds")

    def run(*args: str) -> str:
        done = subprocess.run(
            [sys.executable, str(script), start, *args],
            capture_output=True,
            text=True,
            timeout=180,
            check=False,
        )
        assert done.returncode in (0, 3), done.stderr
        return done.stdout

    here = ("--jobs", "1", "--timeout", "0", "--memory", "0")  # in this process
    for name, workers in (("workers", ("--jobs", "2")), ("here", here)):
        run("parse", seeds, "-o", str(tmp_path / f"{name}.csv"), *workers)
        (tmp_path / f"{name}.txt").write_text(
            run("check", seeds, "--format", "csv", *workers), "utf-8"
        )
    cells = (tmp_path / "workers.csv").read_text("utf-8-sig")
    assert cells.count("\n") > 800  # every cell of the five seeds
    assert (tmp_path / "here.csv").read_text("utf-8-sig") == cells
    found = (tmp_path / "workers.txt").read_text("utf-8")
    assert "table.unread" in found or "coverage.incomplete" in found
    assert (tmp_path / "here.txt").read_text("utf-8") == found


def test_a_result_holding_rows_hashes_and_compares_by_them() -> None:
    """A Result's value is a sink's rows (lists and dicts): it is compared, not
    hashed, so such a Result still hashes (as every Result did before)."""
    columns = {"row_key": ["a", "b"]}
    one = govdisclosure.Result("a.txt", None, value=(columns, ("gov-2021", 1)))
    same = govdisclosure.Result(
        "a.txt", None, value=({"row_key": ["a", "b"]}, ("gov-2021", 1))
    )
    other = govdisclosure.Result(
        "a.txt", None, value=({"row_key": ["a"]}, ("gov-2021", 1))
    )

    assert one == same
    assert one != other
    assert hash(one) == hash(same)
    assert one.ok
    assert not govdisclosure.Result("a.txt", None, "InputError: input is empty").ok
