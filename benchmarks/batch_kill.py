"""Kill a worker during a big batch: every other file must still be written.

    python benchmarks/batch_kill.py [--files 2000] [--jobs 2] [--kill-after 60]

Writes ``--files`` generated reports (as `benchmarks/batch.py` does), runs
``govdisclosure parse FOLDER -o cells.parquet --jobs N``, and ``--kill-after``
seconds after its workers have started sends SIGKILL to one of them. Then it
reads the Parquet file back and prints: the exit code, how many files were
written, which failed and why, and the wall time. The promise (issue 19): the
killed worker costs at most the one file it held, reported; before, the
batch ended in a BrokenProcessPool traceback with most files never written.

Last run (2 cores shared with other work, load average about 5; 2,000 files,
--jobs 2, one worker killed at 62 s): exit 2, 1,999 of 2,000 files written,
the one it held reported (``r00224.txt: WorkerDied: … killed by SIGKILL``),
wall time 538 s. The code before it: a traceback, 1,501 files not written.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from batch import make_reports  # benchmarks/ is on the path when run as a script


def _children(pid: int) -> list[int]:
    """The processes whose parent is ``pid`` (from /proc: Linux only)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # the command name (in parentheses) may hold spaces: split after it
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            found.append(int(entry.name))
    return sorted(found)


def run(files: int, jobs: int, kill_after: float) -> None:
    import pyarrow.parquet as pq

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "reports"
        folder.mkdir()
        make_reports(folder, files, 0)
        out = Path(tmp) / "cells.parquet"
        start = time.monotonic()
        command = [sys.executable, "-m", "govdisclosure", "parse", str(folder)]
        running = subprocess.Popen(  # noqa: S603 - our own command line
            [*command, "-o", str(out), "--jobs", str(jobs)],
            stderr=subprocess.PIPE,
            text=True,
        )
        while len(workers := _children(running.pid)) < jobs:
            time.sleep(0.05)
        time.sleep(kill_after)
        victim = workers[0]
        os.kill(victim, signal.SIGKILL)
        killed_at = time.monotonic() - start
        _, err = running.communicate()
        wall = time.monotonic() - start
        sources = set(
            pq.read_table(out, columns=["source"]).column("source").to_pylist()
        )
    failures = [line for line in err.splitlines() if ": WorkerDied: " in line]
    print(f"files {files}, jobs {jobs}, worker {victim} killed at {killed_at:.1f} s")
    print(f"exit code {running.returncode}; wall time {wall:.1f} s")
    print(f"written {len(sources)} of {files}; reported WorkerDied: {len(failures)}")
    for line in failures:
        print(f"  {line}")
    print(f"summary: {err.splitlines()[-1] if err else '(none)'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--files", type=int, default=2000)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--kill-after", type=float, default=60.0)
    args = parser.parse_args()
    run(args.files, args.jobs, args.kill_after)


if __name__ == "__main__":
    main()
