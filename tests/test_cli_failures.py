"""A command that fails in one line (issue 21): each mistake a new user made, run as
they ran it, in a real process (``python -m govdisclosure``).

Each test asserts what the user sees: one line on stderr (``govdisclosure:
error: …``, no traceback), the exit code documented in docs/cli.md, and no
output file, partial or temporary, left behind. Inputs are the small seed
reports; a mistake found before any file is read costs milliseconds.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
SEEDS = ROOT / "tests" / "data" / "seeds"
SEED = SEEDS / "000_3691493a38efce86.txt"

#: In this process, no worker: the quickest batch (a mistake is found before it anyway).
HERE = ("--jobs", "1", "--timeout", "0", "--memory", "0")


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1"}


def _run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "govdisclosure", *args],
        capture_output=True,
        text=True,
        env=_env(),
        cwd=cwd,
        timeout=120,
        check=False,
    )


def _one_error(done: subprocess.CompletedProcess[str], code: int = 2) -> str:
    """The one line on stderr, after checking it is one line, an error, and the code."""
    lines = done.stderr.splitlines()
    assert 1 == len(lines), done.stderr
    assert lines[0].startswith("govdisclosure: error: "), done.stderr
    assert code == done.returncode, done.stderr
    return lines[0].removeprefix("govdisclosure: error: ")


def _files(folder: Path) -> list[str]:
    """Every name in ``folder``, hidden temporaries included."""
    return sorted(p.name for p in folder.iterdir())


def _reports(tmp_path: Path, count: int = 2) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(count):
        shutil.copy(SEED, folder / f"{i:02d}.txt")
    return folder


# ---- the output: checked before any file is read ----


@pytest.mark.parametrize("name", ["nodir/x.csv", "nodir/x.parquet", "nodir/x.jsonl"])
def test_output_in_a_missing_folder(tmp_path: Path, name: str) -> None:
    """Before: FileNotFoundError traceback after parsing every file."""
    done = _run("parse", str(SEED), "-o", name, *HERE, cwd=tmp_path)

    assert "folder nodir does not exist" in _one_error(done)
    assert [] == _files(tmp_path)


@pytest.mark.parametrize("trailing", ["", "/"])
def test_output_naming_a_folder(tmp_path: Path, trailing: str) -> None:
    """Before: `unknown output format ''`, or a file written beside the folder."""
    (tmp_path / "out").mkdir()
    done = _run("parse", str(SEED), "-o", f"out{trailing}", *HERE, cwd=tmp_path)

    assert "is a folder" in _one_error(done)
    assert [] == _files(tmp_path / "out")


@pytest.mark.parametrize(
    ("name", "said"),
    [
        ("nodir/f.csv", "--findings nodir/f.csv: folder nodir does not exist"),
        ("f.txt", "--findings f.txt: unknown output format 'txt'"),
        ("-", "--findings -: the findings table goes to a file"),
    ],
)
def test_a_findings_table_that_cannot_be_written(
    tmp_path: Path, name: str, said: str
) -> None:
    """``--findings`` is checked as ``-o`` is, before any file is read."""
    out = tmp_path / "cells.csv"
    done = _run(
        "parse", str(SEED), "-o", str(out), "--findings", name, *HERE, cwd=tmp_path
    )

    assert _one_error(done).startswith(said)
    assert [] == _files(tmp_path)


def test_two_outputs_of_one_name_keep_the_previous_file(tmp_path: Path) -> None:
    """Before: both written through one temporary file; the previous file was
    replaced by a mix of the two tables, and the command failed."""
    out = tmp_path / "same.csv"
    out.write_text("previous\n", encoding="utf-8")

    done = _run(
        "parse",
        str(SEED),
        "-o",
        "same.csv",
        "--findings",
        "same.csv",
        *HERE,
        cwd=tmp_path,
    )

    assert "-o and --findings name one file" in _one_error(done)
    assert "previous\n" == out.read_text(encoding="utf-8")
    assert ["same.csv"] == _files(tmp_path)


def test_an_output_naming_a_report_read_is_refused(tmp_path: Path) -> None:
    """Before: ``parse report.txt -o report.txt --format csv`` replaced the report with CSV."""
    report = tmp_path / "report.txt"
    shutil.copy(SEED, report)

    done = _run(
        "parse",
        "report.txt",
        "-o",
        "report.txt",
        "--format",
        "csv",
        *HERE,
        cwd=tmp_path,
    )

    assert "is a report the batch reads" in _one_error(done)
    assert SEED.read_bytes() == report.read_bytes()


def test_an_unknown_output_suffix_keeps_the_previous_output(tmp_path: Path) -> None:
    (tmp_path / "cells.xlsx").write_text("before", "utf-8")
    done = _run("parse", str(SEED), "-o", "cells.xlsx", *HERE, cwd=tmp_path)

    assert "unknown output format 'xlsx'" in _one_error(done)
    assert "before" == (tmp_path / "cells.xlsx").read_text("utf-8")
    assert ["cells.xlsx"] == _files(tmp_path)


def test_suffix_and_format_that_disagree(tmp_path: Path) -> None:
    done = _run("parse", str(SEED), "-o", "x.csv", "--format", "jsonl", cwd=tmp_path)

    assert "the suffix says csv, --format says jsonl" in _one_error(done)
    assert [] == _files(tmp_path)


def test_csv_to_stdout(tmp_path: Path) -> None:
    """``-o - --format csv``: the cells on stdout, the summary on stderr (before: refused)."""
    done = _run("parse", str(SEED), "-o", "-", "--format", "csv", *HERE, cwd=tmp_path)

    assert 0 == done.returncode, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith("source,format,organization,year,")
    assert 198 == len(lines) - 1  # gov-2019 declares 198 cells
    assert ["parsed 1, flagged 0 (error findings), not fully read 0, failed 0"] == (
        done.stderr.splitlines()
    )
    assert [] == _files(tmp_path)


def test_parquet_to_stdout_is_refused() -> None:
    done = _run("parse", str(SEED), "-o", "-", "--format", "parquet")

    assert "Parquet cannot go to standard output" in _one_error(done)
    assert "" == done.stdout


# ---- options and arguments ----


@pytest.mark.parametrize(
    "option",
    [("--jobs", "-1"), ("--jobs", "0"), ("--jobs", "two"), ("--timeout", "-1")],
)
def test_a_number_out_of_range(option: tuple[str, str]) -> None:
    """Before: ``--jobs -1`` spun for good (no worker ever started)."""
    done = _run("parse", str(SEED), *option)

    message = _one_error(done)
    assert f"argument {option[0]}" in message
    assert "see 'govdisclosure parse --help'" in message
    assert "" == done.stdout


def test_an_unknown_spec_is_said_once(tmp_path: Path) -> None:
    """Before: the same SpecNotFoundError once per file, each file read first."""
    folder = _reports(tmp_path, 3)
    done = _run("parse", str(folder), "--spec", "nope", "-o", "x.csv", cwd=tmp_path)

    message = _one_error(done)
    assert message.startswith("--spec nope: no spec with this id and no such file")
    assert "gov-2019" in message  # the known specs are listed
    assert ["in"] == _files(tmp_path)


def test_a_spec_file_path(tmp_path: Path) -> None:
    """``--spec FILE.yaml`` is read once and used for every file; a missing one is refused."""
    folder = _reports(tmp_path, 2)
    spec = str(ROOT / "specs" / "gov-2019.yaml")

    done = _run("check", str(folder), "--spec", spec, *HERE)
    assert 0 == done.returncode, done.stderr
    assert "" == done.stdout

    missing = _run("check", str(folder), "--spec", "mine.yaml", cwd=tmp_path)
    assert "--spec mine.yaml: no such spec file" == _one_error(missing)


def test_version() -> None:
    done = _run("--version")

    assert 0 == done.returncode
    assert re.fullmatch(r"govdisclosure \S+\n", done.stdout), done.stdout
    assert "" == done.stderr


def test_no_arguments_prints_help() -> None:
    """Before: `the following arguments are required: command`, exit 2."""
    done = _run()

    assert 0 == done.returncode
    assert done.stdout.startswith("usage: govdisclosure")
    assert "examples:" in done.stdout
    assert "" == done.stderr


@pytest.mark.parametrize(
    ("words", "meant"),
    [
        (["specz", "list"], "specs"),
        (["chek", "in"], "check"),
        (["specs", "lsit"], "list"),
    ],
)
def test_a_misspelt_command(words: list[str], meant: str) -> None:
    """Before: `specz` was taken for a file to show (`unrecognized arguments: list`)."""
    done = _run(*words)

    assert f"did you mean {meant!r}?" in _one_error(done)


def test_a_file_without_suffix_is_still_shown(tmp_path: Path) -> None:
    """``govdisclosure FILE`` works for any file that exists, even named like a word."""
    shutil.copy(SEED, tmp_path / "report")
    done = _run("report", cwd=tmp_path)

    assert 0 == done.returncode, done.stderr
    assert "organization: 东湖区" in done.stdout


# ---- inputs ----


def test_a_missing_file_is_named_once() -> None:
    """Before: ``nosuchfile.txt: nosuchfile.txt: cannot read: … 'nosuchfile.txt'``."""
    for command in (["show"], ["explain"], ["parse"], ["check"], []):
        done = _run(*command, "nosuchfile.txt")
        message = _one_error(done)
        assert 1 == message.count("nosuchfile.txt"), message


def test_an_empty_folder(tmp_path: Path) -> None:
    """Before: `parsed 0` and exit 0, so a wrong folder looked like a clean run."""
    (tmp_path / "empty").mkdir()
    for command in ("parse", "check"):
        done = _run(
            command,
            "empty",
            "-o" if command == "parse" else "-q",
            *(["x.csv"] if command == "parse" else []),
            cwd=tmp_path,
        )
        assert _one_error(done).startswith("no report files in empty")
    assert ["empty"] == _files(tmp_path)


def test_a_doc_file_is_said_skipped(tmp_path: Path) -> None:
    """A .doc among reports is a warning line (before: silently ignored); alone, it says
    why there is nothing to read."""
    folder = _reports(tmp_path, 1)
    (folder / "2019.doc").write_bytes(b"\xd0\xcf\x11\xe0")
    (folder / "notes.json").write_text("{}", "utf-8")

    done = _run("parse", str(folder), "-o", "x.csv", *HERE, cwd=tmp_path)
    assert 0 == done.returncode, done.stderr
    assert [
        f"{folder / '2019.doc'}: skipped: Word 97-2003 (.doc) is not read; "
        "save it as .docx or PDF",
        "parsed 1, flagged 0 (error findings), not fully read 0, failed 0",
    ] == done.stderr.splitlines()

    verbose = _run("check", str(folder), "-v", *HERE)
    assert f"{folder / 'notes.json'}: skipped: not a report file (.json)" in (
        verbose.stderr
    )
    quiet = _run("check", str(folder), "-q", *HERE)
    assert ("", "") == (quiet.stdout, quiet.stderr)

    (folder / "00.txt").unlink()
    alone = _run("parse", str(folder), *HERE)
    assert "skipped" in _one_error(alone)
    assert "2019.doc" in alone.stderr


def test_summaries_go_to_stderr(tmp_path: Path) -> None:
    """``parse`` and ``check`` alike: data on stdout, the summary on stderr (before,
    ``check`` printed its summary on stdout)."""
    folder = _reports(tmp_path, 1)
    parse = _run("parse", str(folder), *HERE)
    check = _run("check", str(folder), *HERE)

    assert parse.stdout.startswith('{"source": ')
    assert parse.stderr.startswith("parsed 1,")
    assert "" == check.stdout  # a clean report has no line
    assert check.stderr.startswith("0 report(s) with errors,")


# ---- ending early: a closed pipe, Ctrl-C ----


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_a_closed_pipe_ends_quietly(tmp_path: Path, fmt: str) -> None:
    """``parse … | head``: exit 141 (SIGPIPE's code), nothing on stderr (before: a
    BrokenPipeError traceback)."""
    folder = _reports(tmp_path, 8)
    running = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "govdisclosure",
            "parse",
            str(folder),
            "--format",
            fmt,
            *HERE,
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=_env(),
    )
    assert running.stdout
    assert running.stderr
    running.stdout.readline()
    running.stdout.close()  # as head does after its lines
    err = running.stderr.read().decode()
    running.stderr.close()
    running.wait(timeout=60)

    assert "" == err
    assert 141 == running.returncode


#: Runs the command with `load_file` replaced by one that marks its start and sleeps:
#: the moment to press Ctrl-C, found without guessing.
SLOW = """
import sys, time
from pathlib import Path
import govdisclosure.cli.commands as commands
import govdisclosure.output.batch as batch

def slow(path, **kwargs):
    Path(sys.argv[1]).write_text("started")
    time.sleep(60)

commands.load_file = batch.load_file = slow
from govdisclosure.cli import main
sys.exit(main(sys.argv[2:]))
"""


def _interrupted(tmp_path: Path, *args: str) -> tuple[int, str]:
    """Run ``args`` under `SLOW`, press Ctrl-C (SIGINT to the process group, as a
    terminal does) once a file is being read; the exit code and stderr."""
    script = tmp_path / "slow.py"
    script.write_text(SLOW, "utf-8")
    started = tmp_path / "started"
    running = subprocess.Popen(
        [sys.executable, str(script), str(started), *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env=_env(),
        cwd=tmp_path,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while not started.exists():
        assert running.poll() is None, running.communicate()
        assert time.monotonic() < deadline
        time.sleep(0.05)
    started.unlink()
    script.unlink()
    os.killpg(running.pid, signal.SIGINT)
    _, err = running.communicate(timeout=30)
    return running.returncode, err


def test_ctrl_c_during_a_batch_leaves_no_csv(tmp_path: Path) -> None:
    """Exit 130, one line (what was done), no CSV and no temporary left."""
    folder = _reports(tmp_path, 3)

    code, err = _interrupted(tmp_path, "parse", str(folder), "-o", "cells.csv", *HERE)

    assert 130 == code, err
    assert 1 == len(err.splitlines()), err
    assert err.startswith("interrupted after 0 of 3 files: parsed 0,")
    assert err.endswith("; cells.csv not written\n")
    assert ["in"] == _files(tmp_path)


def test_ctrl_c_while_showing_ends_quietly(tmp_path: Path) -> None:
    shutil.copy(SEED, tmp_path / "report.txt")

    code, err = _interrupted(tmp_path, "report.txt")

    assert (130, "") == (code, err)


# ---- show and explain ----


def test_the_first_readme_command_prints_an_aligned_table() -> None:
    """``python -m govdisclosure tests/data/seeds/000_….txt``: official labels, each
    value's right edge under its header's (widths in terminal cells: a Han
    character takes two)."""
    from rich.cells import cell_len

    done = _run(str(SEED.relative_to(ROOT)), cwd=ROOT)

    assert 0 == done.returncode, done.stderr
    lines = done.stdout.splitlines()
    start = lines.index("t3 三 收到和处理政府信息公开申请情况")
    header, rule, first = lines[start + 1 : start + 4]
    assert set(rule) == {"─"}
    assert re.fullmatch(
        r"一、本年新收政府信息公开申请数量\s+13\s+2(\s+0){4}\s+15", first
    )
    # the right edges of 自然人 … 总计 and of 13 … 15 are the same columns
    edges = [cell_len(header[: m.end()]) for m in re.finditer(r"\S+", header)]
    values = [cell_len(first[: m.end()]) for m in re.finditer(r"\d+", first)]
    assert edges == values
    assert "  （一）予以公开" in done.stdout  # members indented under their group


def test_info_findings_on_request(tmp_path: Path) -> None:
    """A GB18030 file has an info finding (how it was read): hidden, then listed."""
    path = tmp_path / "gbk.txt"
    path.write_bytes(SEED.read_text("utf-8").encode("gb18030"))

    hidden = _run(str(path))
    shown = _run(str(path), "--all-findings")

    assert "input.encoding" not in hidden.stdout
    assert "info hidden: --all-findings lists them" in hidden.stdout
    assert "[info] input.encoding: gbk.txt: read as gb18030" in shown.stdout


def test_explain_one_cell() -> None:
    done = _run("explain", str(SEED), "--cell", "t3.new_requests.total")

    assert 0 == done.returncode, done.stderr
    lines = done.stdout.splitlines()
    assert "t3.new_requests.total: 一、本年新收政府信息公开申请数量 × 总计" == lines[0]
    assert "  status: ok" == lines[1]
    assert "  value: 15件" == lines[2]

    wrong = _run("explain", str(SEED), "--cell", "t3.new_request.total")
    assert "did you mean 'new_requests'?" in _one_error(wrong)


def test_review_checks_its_command_line_first(tmp_path: Path) -> None:
    """As parse and check (before: an empty folder wrote an empty index and
    exited 0; an unknown spec was one error per file)."""
    empty = tmp_path / "empty"
    empty.mkdir()

    nothing = _run("review", str(empty), "-o", "out", cwd=tmp_path)
    unknown = _run("review", str(SEED), "-o", "out", "--spec", "nope", cwd=tmp_path)

    assert "no report files" in _one_error(nothing)
    assert "nope" in _one_error(unknown)
    assert ["empty"] == _files(tmp_path)
