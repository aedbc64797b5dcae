"""A batch of generated reports with corrupt files among them: time, memory, failures.

    python benchmarks/batch.py [--files 1000 200] [--corrupt 10] [--jobs 2] [--output parquet]

For each size, writes that many reports (gov-2019 and gov-2021, filled with
random values that satisfy their equations, printed in every layout the
property tests use, HTML pages among them) plus ``--corrupt`` damaged files
(random bytes, an empty file, a truncated PDF), runs ``govdisclosure parse``
on the folder, and prints wall time, files per second, the CPU time per
file of the command and its workers together, `run.py`'s calibration loop
(how fast the machine is right now: a batch measured on another day is
compared through it, or run again beside the other code), the peak RSS of
the main process and of the largest worker, and whether every corrupt file
was reported by its path. Peak memory that does not grow with the number of files
is the point. Numbers are measured, never asserted.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from run import calibration_ms

from govdisclosure.spec.registry import Registry
from govdisclosure.testing import fill
from govdisclosure.testing.render import LAYOUT_CELLS, FilledReport, Layout, render


def make_reports(folder: Path, count: int, corrupt: int, seed: int = 0) -> list[Path]:
    """``count`` reports and ``corrupt`` damaged files; returns the damaged ones."""
    rng = random.Random(seed)
    registry = Registry(plugins=False, environment=False)
    specs = [registry.get("gov-2019"), registry.get("gov-2021")]
    for i in range(count):
        spec = specs[i % 2]
        filled = FilledReport(
            spec, fill(spec, rng), year=rng.choice(spec.years or (2021,))
        )
        layout = Layout(cells=rng.choice(LAYOUT_CELLS), chrome=rng.random() < 0.5)
        suffix = ".html" if layout.cells == "html" else ".txt"
        (folder / f"r{i:05d}{suffix}").write_text(render(filled, layout, rng), "utf-8")
    damaged = []
    for j in range(corrupt):
        path = (
            folder
            / f"r{j * max(count // corrupt, 1):05d}-bad{'.pdf' if j % 3 == 2 else '.txt'}"
        )
        kind = j % 3
        path.write_bytes(
            bytes(rng.randrange(256) for _ in range(4000))
            if kind == 0
            else b""
            if kind == 1
            else b"%PDF-1.4\n1 0 obj << /Type /Catalog"  # truncated
        )
        damaged.append(path)
    return damaged


def _rss_mib(pid: int) -> float:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0.0
    kb = next(
        (line.split()[1] for line in status.splitlines() if line.startswith("VmRSS")),
        "0",
    )
    return int(kb) / 1024


def _children(pid: int) -> list[int]:
    try:
        return [
            int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        ]
    except OSError:
        return []


def _watch(pid: int) -> tuple[float, float, int, resource.struct_rusage]:
    """Peak RSS of the main process and of its largest worker, sampled every 0.2 s.

    Also the exit status and the rusage (whose peak RSS is the largest of the
    process and its workers), from wait4.
    """
    main_peak = worker_peak = 0.0
    while True:
        done, status, usage = os.wait4(pid, os.WNOHANG)
        if done:
            return main_peak, worker_peak, status, usage
        main_peak = max(main_peak, _rss_mib(pid))
        for child in _children(pid):
            worker_peak = max(worker_peak, _rss_mib(child))
        time.sleep(0.2)


def run(count: int, corrupt: int, jobs: int, output: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "reports"
        folder.mkdir()
        damaged = make_reports(folder, count, corrupt)
        calibration = calibration_ms()
        out = Path(tmp) / f"cells.{output}"
        log = Path(tmp) / "stderr.txt"
        start = time.perf_counter()
        with log.open("w") as err:
            proc = subprocess.Popen(  # noqa: S603
                [
                    sys.executable,
                    "-m",
                    "govdisclosure",
                    "parse",
                    str(folder),
                    "-o",
                    str(out),
                    "--jobs",
                    str(jobs),
                ],
                stderr=err,
            )
            main_peak, worker_peak, status, usage = _watch(proc.pid)
        wall = time.perf_counter() - start
        stderr = log.read_text("utf-8")
        code = os.waitstatus_to_exitcode(status)
        reported = [p for p in damaged if f"{p}: " in stderr]
        summary = stderr.strip().splitlines()[-1]
        total = count + corrupt
        # the command's and its workers' CPU (wait4 counts the reaped workers)
        cpu_ms = (usage.ru_utime + usage.ru_stime) * 1000 / total
        print(
            f"{total:6} files  {wall:6.1f} s  {total / wall:6.1f} files/s  "
            f"CPU {cpu_ms:5.1f} ms a file  calibration {calibration:4.1f} ms  "
            f"peak RSS: main {main_peak:5.0f} MiB, largest worker {worker_peak:5.0f} MiB, "
            f"any process {usage.ru_maxrss / 1024:5.0f} MiB  "
            f"corrupt reported {len(reported)}/{len(damaged)}  exit {code}  | {summary}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, nargs="+", default=[200, 1000])
    parser.add_argument("--corrupt", type=int, default=10)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument(
        "--output", choices=["parquet", "csv", "jsonl"], default="parquet"
    )
    args = parser.parse_args()
    for count in args.files:
        run(count, args.corrupt, args.jobs, args.output)


if __name__ == "__main__":
    main()
