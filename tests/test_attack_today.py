"""An attack on the features of 2026-11-30, as a hostile or careless user meets them.

Each test is one attack that used to end in a traceback, a hang, lost data,
a wrong cell or a file written where the user did not ask; it asserts what
happens now: a `GovDisclosureError` (a `CorrectionsError` at ``file:line``,
a `SpecError`, one line from the command), or a Report with a finding.

The report is real 05 (gov-2021, 河北省工信厅 2022): 二（一）'s 规章 row
prints ``000`` (three ok zeros, counts), 行政规范性文件 prints ``5426`` glued
(issued 5, repealed 4, in force 26 by hand; the library leaves them
ambiguous), 二（八）'s 行政事业性收费 is 650.6 (万元, an amount).
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import random
import re
import shutil
import subprocess
import sys
import time
import tracemalloc
from decimal import Decimal
from pathlib import Path

import pytest

import govdisclosure
from govdisclosure.agencies import Agencies, group_agencies
from govdisclosure.corrections import CorrectionsError, parse_corrections
from govdisclosure.model import CellStatus, Report
from govdisclosure.output.export import inert
from govdisclosure.reuse import section_reuse

ROOT = Path(__file__).parent.parent
REAL_05 = ROOT / "tests" / "data" / "real" / "05-hebei-gxt-2022.txt"
RULES = "t2_1.rules.issued"  # printed 0, ok, a count
FEE = "t2_8.administrative_fees.fee_amount"  # printed 650.6, ok, an amount in 万元
GLUED = "t2_1.normative_documents.issued"  # printed in "5426", ambiguous


def _decision(key: str, value: str, raw: str, **extra: str) -> str:
    fields = {"value": value, "by": "张三", "at": "2026-11-30", "why": "原件", **extra}
    lines = [f"  {key}:", *(f"    {k}: {v}" for k, v in fields.items())]
    return "\n".join([*lines, f'    raw: "{raw}"', ""])


def _file(*decisions: str) -> str:
    return "corrections: 1\ncells:\n" + "".join(decisions)


def _beside(tmp_path: Path, corrections: str | None = None) -> Path:
    report = tmp_path / REAL_05.name
    shutil.copy(REAL_05, report)
    if corrections is not None:
        (tmp_path / "05-hebei-gxt-2022.corrections.yaml").write_text(
            corrections, encoding="utf-8"
        )
    return report


def _run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "govdisclosure", *args],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1"},
        cwd=cwd,
        timeout=120,
        check=False,
    )


def _one_error(done: subprocess.CompletedProcess[str]) -> str:
    assert "Traceback" not in done.stderr, done.stderr
    assert done.returncode == 2, done.stderr
    [line] = done.stderr.splitlines()
    assert line.startswith("govdisclosure: error: "), line
    return line


def _tree(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


# ---- 1. corrections files ------------------------------------------------------

HOSTILE = {
    # PyYAML composes recursively: this was a RecursionError
    "deep": ("corrections: 1\ncells: " + "[" * 3000 + "]" * 3000, "nested deeper"),
    # an alias on a scalar slipped past the mapping-only check
    "alias": (
        _file(_decision(RULES, "&v 5", "0"), _decision(GLUED, "*v", "5426")),
        "anchors and aliases",
    ),
    "tag": (_file(_decision(RULES, "!!python/object:os.system 5", "0")), "tag"),
    "report": (
        "corrections: 1\nreport: [a, b]\n" + _file(_decision(RULES, "1", "0"))[15:],
        "report must be a non-empty text",
    ),
    # 30 digits: an OverflowError when the records went to Arrow (int64)
    "count": (_file(_decision(RULES, "9" * 30, "0")), "at most 18 digits"),
    # 5000 digits: Python's own "Exceeds the limit (4300 digits)" message
    "digits": (_file(_decision(RULES, "9" * 5000, "0")), "too long"),
    # more than 8 decimals: a ValueError when the records went to Arrow
    "amount": (_file(_decision(FEE, "1." + "9" * 20, "650.6")), "too long"),
    # a ValueError (4300 digits) escaped the span check
    "span": (
        _file(_decision(RULES, "1", "0", span="[0, " + "9" * 5000 + "]")),
        "span must be",
    ),
    # a lone surrogate: every export (JSON, CSV, the review page) then failed to encode
    "surrogate": (_file(_decision(RULES, "1", "0", by='"\\ud800"')), "U+D800"),
    "bidi": (_file(_decision(RULES, "1", "0", by="张\u202e三")), "U+202E"),
    "control": (_file(_decision(RULES, "1", "0", why='"a\\x07b"')), "U+0007"),
}


@pytest.mark.parametrize("attack", sorted(HOSTILE))
def test_a_hostile_corrections_file_is_refused_at_its_line(attack: str) -> None:
    text, said = HOSTILE[attack]
    with pytest.raises(CorrectionsError) as refused:
        parse_corrections(text, "x.corrections.yaml")
    assert said in str(refused.value)
    assert re.match(r"x\.corrections\.yaml:\d+: ", refused.value.problems[0])


def test_many_cells_are_checked_in_linear_time() -> None:
    """Each key was looked up in a dict rebuilt per key: 40 000 cells took 105 s."""
    text = "corrections: 1\ncells:\n" + "".join(
        f"  t{i}.r.c: {{value: 1, by: a, at: 2026-01-01, why: w, raw: '1'}}\n"
        for i in range(8000)
    )
    started = time.perf_counter()
    assert 8000 == len(parse_corrections(text).items)
    assert time.perf_counter() - started < 20  # was ~4 s of dict copies alone


@pytest.mark.parametrize("kind", ["folder", "broken link", "device"])
def test_a_corrections_file_that_is_no_file_is_an_error(
    tmp_path: Path, kind: str
) -> None:
    """A folder or a broken link by that name was silently no decision at all."""
    report = _beside(tmp_path)
    beside = tmp_path / "05-hebei-gxt-2022.corrections.yaml"
    if kind == "folder":
        beside.mkdir()
    else:
        beside.symlink_to("/nonexistent" if kind == "broken link" else "/dev/zero")
    with pytest.raises(CorrectionsError, match=r"05-hebei-gxt-2022\.corrections\.yaml"):
        govdisclosure.load_file(report)


def test_a_named_pipe_as_corrections_file_does_not_hang(tmp_path: Path) -> None:
    pipe = tmp_path / "x.corrections.yaml"
    os.mkfifo(pipe)
    done = _run("corrections", "check", str(pipe))
    assert 1 == done.returncode
    assert "not a regular file" in done.stdout


def test_an_amount_for_a_cell_of_counts_is_not_applied(tmp_path: Path) -> None:
    """3.5 documents was applied as a count cell's value (a Decimal among counts)."""
    report = govdisclosure.load_file(
        _beside(tmp_path, _file(_decision(RULES, "3.5", "0", override="true")))
    )
    cell = report.table("t2_1").cell("rules", "issued")
    assert (0, CellStatus.OK) == (cell.value, cell.status)
    [refused] = [f for f in report.findings if f.code == "correction.type"]
    assert (RULES,) == refused.cells
    assert "correction.applied" not in {f.code for f in report.findings}


def test_a_count_for_a_cell_of_amounts_is_an_amount(tmp_path: Path) -> None:
    """A whole 650 decided for the fee went to the records' count column, no amount_yuan."""
    report = govdisclosure.load_file(
        _beside(tmp_path, _file(_decision(FEE, "650", "650.6", override="true")))
    )
    assert (
        Decimal(650)
        == report.table("t2_8").cell("administrative_fees", "fee_amount").value
    )
    [fee] = [r for r in report.to_records() if r["column_key"] == "fee_amount"]
    assert (None, Decimal(650), Decimal(6500000)) == (
        fee["count"],
        fee["amount"],
        fee["amount_yuan"],
    )


# ---- 2. corrections merge --------------------------------------------------------


def _decisions(
    folder: Path, body: bytes | dict[str, object], name: str = "d.json"
) -> Path:
    path = folder / name
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    path.write_bytes(data)
    return path


def _body(report: str = REAL_05.name, **decision: object) -> dict[str, object]:
    one = {"cell": GLUED, "value": "5", "by": "张三", "at": "2026-11-30T10:00:00Z",
           "why": "原件", "raw": "5426", **decision}  # fmt: skip
    return {"govdisclosure": "decisions", "version": 1, "report": report,
            "sha256": hashlib.sha256(REAL_05.read_bytes()).hexdigest(),
            "decisions": [one]}  # fmt: skip


HEAD = (
    b'{"govdisclosure": "decisions", "version": 1, "report": "05-hebei-gxt-2022.txt", '
)


@pytest.mark.parametrize(
    ("attack", "body", "said"),
    [
        ("deep", HEAD + b'"decisions": ' + b"[" * 100_000 + b"]" * 100_000 + b"}", "nested too deep"),
        ("digits", HEAD + b'"decisions": [{"value": ' + b"9" * 5000 + b"}]}", "digits"),
        ("twice", HEAD + b'"report": "other.txt", "decisions": []}', "report written twice"),
        ("huge count", _body(value=10**30), "invalid value"),
        ("bidi", _body(by="张\u202e三"), "invalid by"),
        ("span", _body(span=[0, 10**30]), "invalid span"),
        ("no report", _body(report="d.json"), "is not a file"),
    ],
)  # fmt: skip
def test_a_hostile_decisions_file_writes_nothing(
    tmp_path: Path, attack: str, body: bytes | dict[str, object], said: str
) -> None:
    """deep, digits: tracebacks; twice: the last key won; huge count, bidi, span:
    merged, then every load of the report failed to export; no report: a
    corrections file was written for the decisions file itself."""
    _beside(tmp_path)
    decisions = _decisions(tmp_path, body)
    before = _tree(tmp_path)
    merge = ("corrections", "merge", str(decisions), "--reports", str(tmp_path))
    line = _one_error(_run(*merge))
    assert said in line, attack
    assert before == _tree(tmp_path)


def test_a_decisions_file_with_a_byte_order_mark_is_merged(tmp_path: Path) -> None:
    """An editor on Windows saves one; it was refused as no JSON."""
    _beside(tmp_path)
    saved = b"\xef\xbb\xbf" + json.dumps(_body()).encode()
    done = _run("corrections", "merge", str(_decisions(tmp_path, saved)),
                "--reports", str(tmp_path))  # fmt: skip
    assert 0 == done.returncode, done.stderr
    report = govdisclosure.load_file(tmp_path / REAL_05.name)
    assert (
        CellStatus.CORRECTED
        == report.table("t2_1").cell("normative_documents", "issued").status
    )


def test_a_batch_of_decisions_with_one_bad_file_writes_nothing(tmp_path: Path) -> None:
    """The first file was merged before the second was found bad."""
    _beside(tmp_path)
    good = _decisions(tmp_path, _body(), "good.json")
    bad = _decisions(tmp_path, _body(value="-5"), "bad.json")
    before = _tree(tmp_path)
    _one_error(
        _run("corrections", "merge", str(good), str(bad), "--reports", str(tmp_path))
    )
    assert before == _tree(tmp_path)


# ---- 3. review pages ---------------------------------------------------------------


def test_review_into_the_reports_folder_overwrites_nothing(tmp_path: Path) -> None:
    """-o the reports' folder: every report was skipped as "inside the output", and
    index.html (here a report of its own) was replaced by an empty index."""
    _beside(tmp_path)
    (tmp_path / "index.html").write_text(
        "<html><body>一份报告</body></html>", encoding="utf-8"
    )
    before = _tree(tmp_path)
    line = _one_error(_run("review", str(tmp_path), "-o", str(tmp_path)))
    assert "index.html exists and is no review page" in line
    assert before == _tree(tmp_path)


def test_review_into_its_own_folder_again(tmp_path: Path) -> None:
    """-o the reports' folder, twice: the pages written the first time are no reports."""
    _beside(tmp_path)
    for _ in range(2):
        done = _run("review", str(tmp_path), "-o", str(tmp_path))
        assert 0 == done.returncode, done.stderr
        assert done.stdout.startswith("1 page(s)")
    assert {"05-hebei-gxt-2022.html", "index.html", REAL_05.name} == {
        p.name for p in tmp_path.iterdir()
    }


@pytest.mark.parametrize("output", ["file", ""])
def test_review_output_that_is_no_folder(tmp_path: Path, output: str) -> None:
    report = _beside(tmp_path)
    before = _tree(tmp_path)
    _one_error(
        _run("review", str(report), "-o", str(report) if output else "", cwd=tmp_path)
    )
    assert before == _tree(tmp_path)


def test_the_page_runs_only_its_own_script(tmp_path: Path) -> None:
    """The policy allowed any inline script ('unsafe-inline'): one that got past
    the escaping would have run. Now only the script with the listed hash runs."""
    hostile = tmp_path / "05.txt"
    hostile.write_text(
        REAL_05.read_text(encoding="utf-8")
        + "\n</script><script>alert(1)</script><img src=x onerror=alert(2)>\u2028\u202e\n",
        encoding="utf-8",
    )
    assert 0 == _run("review", str(hostile), "-o", str(tmp_path / "o")).returncode
    page = (tmp_path / "o" / "05.html").read_text(encoding="utf-8")
    policy = re.search(r'Content-Security-Policy" content="([^"]+)"', page)
    assert policy is not None
    script_src = next(p for p in policy[1].split("; ") if p.startswith("script-src"))
    assert "unsafe-inline" not in script_src
    assert "<img src=x" not in page
    assert "<script>alert" not in page
    [script] = re.findall(r"<script>(.*?)</script>", page, re.S)
    digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
    assert f"'sha256-{digest}'" in script_src


# ---- 4. exports ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("+1+1", "'+1+1"),
        ("-1+cmd", "'-1+cmd"),
        ("\t=1", "'\t=1"),
        ("-185", "-185"),  # a change, a number: kept
        ("+3", "+3"),
        ("-", "-"),  # a blank marker
        ("河北省", "河北省"),
        (None, None),
        (12, 12),
    ],
)
def test_csv_fields_do_not_run_as_formulas(text: object, written: object) -> None:
    assert written == inert(text)


def test_a_report_named_as_a_formula_is_inert_in_csv(tmp_path: Path) -> None:
    shutil.copy(REAL_05, tmp_path / "=HYPERLINK(1).txt")
    done = _run(
        "parse", "=HYPERLINK(1).txt", "-o", "c.csv", "--findings", "f.csv", cwd=tmp_path
    )
    assert 0 == done.returncode, done.stderr
    for table in ("c.csv", "f.csv"):
        row = (tmp_path / table).read_text(encoding="utf-8-sig").splitlines()[1]
        assert row.startswith("'=HYPERLINK(1).txt,"), row


@pytest.mark.parametrize("findings", [False, True])
def test_parse_never_writes_over_a_report_it_reads(
    tmp_path: Path, findings: bool
) -> None:
    """parse in.txt -o in.txt --format jsonl replaced the report with its parse."""
    report = _beside(tmp_path)
    extra = ["--findings", str(report)] if findings else ["--format", "jsonl"]
    out = ["-o", str(tmp_path / "c.csv")] if findings else ["-o", str(report)]
    before = _tree(tmp_path)
    _one_error(_run("parse", str(report), *out, *extra))
    assert before == _tree(tmp_path)


def test_cells_and_findings_into_one_file(tmp_path: Path) -> None:
    """Both were written, one renamed over the other, and a confusing error about a .partial."""
    report = _beside(tmp_path)
    before = _tree(tmp_path)
    line = _one_error(
        _run("parse", str(report), "-o", "t.csv", "--findings", "./t.csv", cwd=tmp_path)
    )
    assert "name one file" in line
    assert before == _tree(tmp_path)


# ---- 5. across years -------------------------------------------------------------------


def test_a_very_long_organisation_name_is_grouped_quickly() -> None:
    """Its shorter forms were all its suffixes: 10 000 characters took 6 s and 200 MB."""
    name = "市" * 10_000
    started = time.perf_counter()
    groups = group_agencies(
        [name, name[5:], "河北省工业和信息化厅", "省工业和信息化厅", ""]
    )
    assert time.perf_counter() - started < 1
    assert groups.keys[name] != groups.keys[name[5:]]  # compared as printed
    assert "河北省工业和信息化厅" == groups.keys["省工业和信息化厅"]


@pytest.mark.parametrize(
    "content",
    [b"- a\n- b\n", b"5\n", b"- {a: 1}\n", b"\xff\xfe", b"provinces: " + b"[" * 5000],
)
def test_a_malformed_agency_table_is_a_spec_error(
    tmp_path: Path, content: bytes
) -> None:
    """A list, a number, not UTF-8, deep nesting: TypeError, UnicodeDecodeError, RecursionError."""
    path = tmp_path / "mine.yaml"
    path.write_bytes(content)
    with pytest.raises(govdisclosure.SpecError):
        Agencies.load(path)


def _prose(extra: str) -> Report:
    text = REAL_05.read_text(encoding="utf-8")
    heading = "六、其他需要报告的事项"
    return govdisclosure.load(text.replace(heading, heading + extra))


def test_text_reuse_of_a_megabyte_section_is_bounded() -> None:
    """1 MB of prose: about a second and 90 MB (it held every shingle as a string: 220 MB)."""
    chars = [chr(c) for c in range(0x4E00, 0x4E00 + 3000)]
    draw = random.Random(20261130)  # seeded: the same prose every run
    big = "".join(draw.choices(chars, k=1_000_000))
    this, last = _prose(big), _prose(big[:500_000] + big[::-1][:500_000])
    started = time.perf_counter()
    measured = section_reuse(this, last)
    assert time.perf_counter() - started < 30  # ~1.5 s alone; the machine is shared
    long = max(measured, key=lambda m: m.chars)
    assert long.chars > 1_000_000
    assert 0.45 < long.share < 0.6
    small_this, small_last = _prose(big[:200_000]), _prose(big[:100_000])
    tracemalloc.start()
    try:
        section_reuse(small_this, small_last)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 40 * 2**20  # ~18 MB for 200 KB against 100 KB; it was ~45 MB


def test_two_reports_of_one_neighbouring_year_decide_nothing() -> None:
    """Two 2021 reports stating 25 and 43 in force each fit one reading of
    5426 (5|4|26 and 5|42|6): the first given decided the cells."""
    from tests.test_across_years import _gxt_2022, _hebei_gxt, _normative

    one, other = _hebei_gxt(2021, [5, 2, 25]), _hebei_gxt(2021, [5, 2, 43])
    for neighbours in ([one, other], [other, one]):
        report = _gxt_2022(neighbours)
        assert ["ambiguous"] * 3 == [status for _, status in _normative(report)]
        [said] = [f for f in report.findings if f.code == "across.neighbours"]
        assert "not used: 2021 (2 reports)" in said.message
    # one report of 2021 alone still decides them (tests/test_across_years.py)
    assert [(5, "inferred"), (4, "inferred"), (26, "inferred")] == _normative(
        _gxt_2022([one])
    )
