"""A batch survives anything one file does (issue 19): killed workers, foreign
exceptions, special files, files that never finish or eat memory, Ctrl-C.

The faults come from a small script that replaces the batch's `load_file`
for files with a marker in their name (``kill``, ``raise``, ``sleep``,
``hog``) before anything runs. It patches at import, so the workers have the
patch under any start method (fork inherits it; spawn and forkserver import
the script again): the library itself has no test hook.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import govdisclosure
from govdisclosure.output import batch

SEED = Path(__file__).parent / "data" / "seeds" / "001_12bbc16d07ceb1d3.txt"

FAULTY = """
import json, os, signal, sys, time
import govdisclosure.output.batch as batch

real = batch.load_file

def faulty(path, **kwargs):
    name = os.path.basename(path)
    if "kill" in name:
        os.kill(os.getpid(), signal.SIGKILL)
    if "raise" in name:
        raise ZeroDivisionError("not a library error")
    if "sleep" in name:
        with open(path + ".started", "w") as started:
            started.write(str(os.getpid()))
        time.sleep(120)
    if "hog" in name:
        hog = bytearray(3 * 2**30)
    return real(path, **kwargs)

batch.load_file = faulty

if __name__ == "__main__":
    if sys.argv[1] == "cli":
        from govdisclosure.cli import main
        sys.exit(main(sys.argv[2:]))
    options = json.loads(sys.argv[2])
    for result in batch.load_many([sys.argv[1]], **options):
        print(os.path.basename(result.path), result.error or "ok", sep="\\t")
"""


def _folder(tmp_path: Path, good: int, *bad: str) -> Path:
    """``good`` copies of a seed report (00.txt …) and an empty file per bad name."""
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(good):
        shutil.copy(SEED, folder / f"{i:02d}.txt")
    for name in bad:
        (folder / name).touch()
    return folder


def _faulty(
    tmp_path: Path, *args: str, **kwargs: object
) -> subprocess.CompletedProcess[str]:
    script = tmp_path / "faulty.py"
    script.write_text(FAULTY, "utf-8")
    return subprocess.run(
        [sys.executable, str(script), *args],
        check=False,
        capture_output=True,
        text=True,
        timeout=120,
        **kwargs,  # type: ignore[call-overload]
    )


def _batch(tmp_path: Path, folder: Path, **options: object) -> dict[str, str]:
    """load_many over ``folder`` in the faulty script: file name → "ok" or its error."""
    done = _faulty(tmp_path, str(folder), json.dumps(options))
    assert 0 == done.returncode, done.stderr
    lines = [line.split("\t") for line in done.stdout.splitlines()]
    names = [name for name, _ in lines]
    assert sorted(names) == names, "results come in input order"
    return dict(lines)  # type: ignore[arg-type]


def test_a_killed_worker_costs_its_file_only(tmp_path: Path) -> None:
    """SIGKILL of the worker on 03-kill.txt: that file fails, naming the signal; all
    the others are parsed (the pool is rebuilt; before, BrokenProcessPool ended it)."""
    folder = _folder(tmp_path, 8, "03-kill.txt", "05-kill.txt")

    results = _batch(tmp_path, folder, jobs=2)

    assert 10 == len(results)
    for name in ("03-kill.txt", "05-kill.txt"):
        assert results[name].startswith("WorkerDied: "), results[name]
        assert "SIGKILL" in results[name]
    assert {"ok"} == {e for n, e in results.items() if "kill" not in n}


@pytest.mark.parametrize("jobs", [1, 2])
def test_files_queued_behind_a_killed_one_are_parsed(tmp_path: Path, jobs: int) -> None:
    """A worker holds the file it parses and the next (`pool.QUEUED`): killed
    on 02-kill.txt, and again at once on 03-kill.txt sent to its replacement,
    the files queued behind them go to the next replacement and are parsed."""
    folder = _folder(tmp_path, 6, "02-kill.txt", "03-kill.txt")

    results = _batch(tmp_path, folder, jobs=jobs)

    assert 8 == len(results)
    assert {"02-kill.txt", "03-kill.txt"} == {
        n for n, e in results.items() if e.startswith("WorkerDied: ")
    }
    assert 6 == sum(e == "ok" for e in results.values())


def test_a_foreign_exception_is_that_files_error(tmp_path: Path) -> None:
    """A ZeroDivisionError from one file is its error, in a worker and in this process."""
    folder = _folder(tmp_path, 4, "02-raise.txt")

    for options in ({"jobs": 2}, {"jobs": 1, "timeout": None, "memory": None}):
        results = _batch(tmp_path, folder, **options)
        assert "ZeroDivisionError: not a library error" == results["02-raise.txt"]
        assert 4 == sum(e == "ok" for e in results.values())


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_file_over_the_time_limit_is_stopped(tmp_path: Path, jobs: int) -> None:
    """A file that never finishes holds its worker for ``timeout`` seconds, no
    more (counted from when it starts, not when it was queued: with one
    worker, 01-sleep.txt waits behind 00.txt), and the file queued behind it
    is parsed by the worker that replaces it."""
    folder = _folder(tmp_path, 4, "01-sleep.txt")

    start = time.monotonic()
    results = _batch(tmp_path, folder, jobs=jobs, timeout=2)

    assert time.monotonic() - start < 60, "the sleeper sleeps 120 s"
    assert results["01-sleep.txt"].startswith("TimeoutError: not parsed within 2 s")
    assert "--timeout" in results["01-sleep.txt"]
    assert 4 == sum(e == "ok" for e in results.values())


@pytest.mark.skipif(sys.platform == "win32", reason="no RLIMIT_AS on Windows")
def test_a_file_over_the_memory_limit_is_reported(tmp_path: Path) -> None:
    """3 GiB asked for under a 512 MiB limit: a MemoryError naming the limit, and the
    next files are parsed (in a fresh worker)."""
    folder = _folder(tmp_path, 4, "01-hog.txt")

    results = _batch(tmp_path, folder, jobs=1, memory=512 * 2**20)

    assert results["01-hog.txt"].startswith("MemoryError: "), results["01-hog.txt"]
    assert "512 MiB" in results["01-hog.txt"]
    assert 4 == sum(e == "ok" for e in results.values())


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_fifo_is_refused_unopened(tmp_path: Path, jobs: int) -> None:
    """A named pipe, in a folder or named (as a glob would), is reported and never
    opened: opening it would block until someone writes. Before, a folder skipped it
    silently and a named one blocked the batch for good."""
    folder = _folder(tmp_path, 2)
    os.mkfifo(folder / "01-pipe.txt")
    os.mkfifo(tmp_path / "named.html")

    # jobs=1 without limits runs in this process: a regression blocks, so bound it
    options = {"timeout": None, "memory": None} if jobs == 1 else {}
    results = _batch(tmp_path, folder, jobs=jobs, **options)
    named = list(govdisclosure.load_many([tmp_path / "named.html"], jobs=jobs))

    expected = "InputError: {} is a named pipe (FIFO), not a regular file: not read"
    assert expected.format(f"{folder}/01-pipe.txt") == results["01-pipe.txt"]
    assert expected.format(tmp_path / "named.html") == named[0].error
    assert 2 == sum(e == "ok" for e in results.values())


def test_a_device_is_refused_unopened() -> None:
    """/dev/zero would be read without end."""
    (result,) = govdisclosure.load_many(["/dev/zero"], jobs=2)

    assert (
        "InputError: /dev/zero is a character device, not a regular file: not read"
        == (result.error)
    )


def test_parse_reports_a_fifo_in_a_folder(tmp_path: Path) -> None:
    """``parse`` counts the pipe as failed (exit 2) and writes every other file."""
    folder = _folder(tmp_path, 2)
    os.mkfifo(folder / "01-pipe.txt")
    out = tmp_path / "cells.csv"

    done = _faulty(tmp_path, "cli", "parse", str(folder), "-o", str(out), "--jobs", "2")

    assert 2 == done.returncode, done.stderr
    assert "01-pipe.txt: InputError: " in done.stderr
    assert "is a named pipe (FIFO)" in done.stderr
    assert done.stderr.endswith("not fully read 0, failed 1\n")
    assert {"00.txt", "01.txt"} == {
        Path(line.split(",")[0]).name
        for line in out.read_text("utf-8").splitlines()[1:]
    }


def _sleeping_batch(tmp_path: Path) -> tuple[Path, Path, list[str]]:
    """Four files whose third sleeps, an output from before, and the command
    that parses them into it (`FAULTY`): the batch to stop mid-way."""
    folder = _folder(tmp_path, 3, "02-sleep.txt")
    out = tmp_path / "cells.csv"
    out.write_text("the previous run's output\n", "utf-8")
    script = tmp_path / "faulty.py"
    script.write_text(FAULTY, "utf-8")
    command = [sys.executable, str(script), "cli", "parse", str(folder), "-o", str(out)]
    return folder, out, command


def test_ctrl_c_leaves_no_partial_output(tmp_path: Path) -> None:
    """SIGINT mid-batch: exit 130, the summary of what was done, no output file
    written (the one from before is kept) and no temporary file left behind."""
    folder, out, command = _sleeping_batch(tmp_path)
    running = subprocess.Popen(
        [*command, "--jobs", "2"], stderr=subprocess.PIPE, text=True
    )
    started = folder / "02-sleep.txt.started"
    deadline = time.monotonic() + 60
    while (
        not started.exists() and running.poll() is None and time.monotonic() < deadline
    ):
        time.sleep(0.05)
    assert started.exists(), "the batch did not reach the sleeping file"

    running.send_signal(signal.SIGINT)
    _, err = running.communicate(timeout=30)

    assert 130 == running.returncode, err
    assert "Traceback" not in err
    # 00 and 01 may or may not be collected when the signal comes (02 starts
    # as soon as one worker is free): the summary counts what was done
    done = re.search(r"interrupted after (\d) of 4 files: parsed (\d),", err)
    assert done, err
    assert done.group(1) == done.group(2), err
    assert int(done.group(1)) <= 2, err
    assert f"; {out} not written" in err
    assert "the previous run's output\n" == out.read_text("utf-8")
    assert ["cells.csv", "faulty.py", "in"] == sorted(
        p.name for p in tmp_path.iterdir()
    )


def test_stopping_early_stops_the_workers(tmp_path: Path) -> None:
    """A caller that takes one result and closes the iterator leaves no process."""
    folder = _folder(tmp_path, 6)

    results = batch.load_many([folder], jobs=2)
    assert next(results).ok
    results.close()

    assert [] == multiprocessing.active_children()


def _running(script: Path) -> list[int]:
    """Processes whose command line names ``script``: the batch and its workers."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and str(script) in (entry / "cmdline").read_text():
                found.append(int(entry.name))
        except OSError:
            pass  # gone meanwhile
    return found


@pytest.mark.skipif(not Path("/proc/self").exists(), reason="lists processes in /proc")
@pytest.mark.parametrize("group", [False, True], ids=["batch", "process-group"])
def test_sigterm_ends_a_batch_cleanly(tmp_path: Path, group: bool) -> None:
    """SIGTERM mid-batch (``kill``, systemd, a container stopping), to the batch or
    to its whole process group: exit 143, the summary of what was done, no output
    file written and no temporary left, and no worker left running. Before, the
    batch died at once: the temporary file stayed, no summary, and the worker on
    the sleeping file ran on without its parent."""
    folder, out, command = _sleeping_batch(tmp_path)
    running = subprocess.Popen(
        [*command, "--jobs", "2"],
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=group,
    )
    started = folder / "02-sleep.txt.started"
    deadline = time.monotonic() + 60
    while not started.exists() or not started.read_text():
        assert running.poll() is None, running.communicate()
        assert time.monotonic() < deadline, "the batch did not reach the sleeping file"
        time.sleep(0.05)
    sleeper = int(started.read_text())

    if group:
        os.killpg(running.pid, signal.SIGTERM)
    else:
        running.send_signal(signal.SIGTERM)
    _, err = running.communicate(timeout=30)

    assert 143 == running.returncode, err
    assert "Traceback" not in err
    done = re.search(r"terminated \(SIGTERM\) after (\d) of 4 files: parsed (\d),", err)
    assert done, err
    assert int(done.group(1)) <= 3, err
    assert f"; {out} not written" in err
    assert "the previous run's output\n" == out.read_text("utf-8")
    assert ["cells.csv", "faulty.py", "in"] == sorted(
        p.name for p in tmp_path.iterdir()
    )
    time.sleep(0.5)  # a worker told to stop has gone by now, as its parent waited
    assert [] == _running(tmp_path / "faulty.py")
    assert not Path(f"/proc/{sleeper}").exists()


def _dies_after(path: str, spec: object, memory: object) -> govdisclosure.Result:
    """A parse that answers, then has its worker killed a moment later (the
    OOM killer, or a crash at teardown, between two files)."""
    import threading

    if "die-after" in path:
        kill = threading.Timer(0.3, os.kill, (os.getpid(), signal.SIGKILL))
        kill.start()
    return govdisclosure.Result(path, None, None, None)


@pytest.mark.skipif(
    multiprocessing.get_start_method() != "fork",
    reason="the workers must inherit this module's parse function",
)
def test_a_file_given_to_a_dead_worker_is_parsed_not_blamed() -> None:
    """The worker answered a.txt and then died; b.txt, handed to it before its
    death was seen, never reached it: b.txt goes to its replacement and is
    parsed, and nobody's file is blamed (it was b.txt's WorkerDied)."""
    from govdisclosure.output.pool import WorkerPool

    with WorkerPool(1, _dies_after, None, timeout=None, memory=None) as pool:
        pool.submit(0, "a-die-after.txt")
        deadline = time.monotonic() + 30
        while multiprocessing.active_children() and time.monotonic() < deadline:
            time.sleep(0.05)  # a answered, then its worker killed (not yet seen)
        pool.submit(1, "b.txt")  # the send finds the pipe closed
        results: list[tuple[int, govdisclosure.Result]] = []
        while len(results) < 2 and time.monotonic() < deadline:
            results += pool.collect()

    assert [(0, None), (1, None)] == sorted((i, r.error) for i, r in results)


def _thresholds(path: str, spec: object, memory: object) -> govdisclosure.Result:
    """A parse that answers with its worker's collector thresholds."""
    import gc

    return govdisclosure.Result(path, None, repr(gc.get_threshold()), None)


@pytest.mark.skipif(
    multiprocessing.get_start_method() != "fork",
    reason="the workers must inherit this module's parse function",
)
def test_a_worker_collects_cycles_less_often_than_its_parent() -> None:
    """The batch's workers raise the collector's thresholds (`pool.COLLECT_AFTER`);
    the caller's process keeps its own."""
    import gc

    from govdisclosure.output.pool import COLLECT_AFTER, WorkerPool

    before = gc.get_threshold()
    with WorkerPool(1, _thresholds, None, timeout=None, memory=None) as pool:
        pool.submit(0, "a.txt")
        results: list[tuple[int, govdisclosure.Result]] = []
        deadline = time.monotonic() + 30
        while not results and time.monotonic() < deadline:
            results += pool.collect()
    assert [(0, repr(COLLECT_AFTER))] == [(i, r.error) for i, r in results]
    assert before == gc.get_threshold()
