"""Two revisions of the library timed in turn: is a change faster, or was the machine?

    python benchmarks/compare.py REV_A REV_B [--rounds 3] [--reports 600] [--batch FILES]

The machine is shared, and the same code measured minutes apart differs by
up to a tenth (a batch of 10,000 reports gave 134–151 files/s in five runs
of one commit): two numbers taken at different moments do not tell a
change from the machine. So each revision is checked out apart (``git
archive`` into a temporary folder) and the two are run in turn, A B A B …,
each run in a fresh process, and the medians are compared beside the
spread of each.

What is run:
* ``load`` (always): the same generated reports (`batch.make_reports`: the
  batch's mix, gov-2019 and gov-2021 in every layout, HTML pages among
  them, written once by this checkout) loaded one after the other; the CPU
  time a report, after five to warm up.
* ``--batch FILES``: `batch.py` over that many generated files (1 % corrupt)
  with each revision's package; files per second and the CPU a file of
  the command and its workers.

The revisions' own code is what runs (their folder first on the path, and
as the working folder, which ``python -m`` puts before the path). The
reports ``load`` reads are written once, by this checkout, so both
revisions read the same texts; `batch.py` (this checkout's) writes its files
with each revision's own `govdisclosure.testing`, the same files wherever
that did not change. Numbers are measured, never asserted.
"""

from __future__ import annotations

import argparse
import re
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from batch import make_reports

ROOT = Path(__file__).resolve().parent.parent

#: Run in a revision's folder: the CPU milliseconds of `load` a report.
_LOAD = """
import sys, time
from pathlib import Path
import govdisclosure
texts = [p.read_text("utf-8") for p in sorted(Path(sys.argv[1]).iterdir())]
for text in texts[:5]:
    govdisclosure.load(text)
start = time.process_time()
for text in texts:
    govdisclosure.load(text)
print((time.process_time() - start) * 1000 / len(texts))
"""


def checkout(rev: str, folder: Path) -> Path:
    """The tracked files of ``rev``, written to ``folder``."""
    folder.mkdir(parents=True)
    archive = subprocess.run(  # noqa: S603
        ["git", "-C", str(ROOT), "archive", rev],  # noqa: S607
        check=True,
        capture_output=True,
    ).stdout
    subprocess.run(  # noqa: S603
        ["tar", "-x", "-C", str(folder)],  # noqa: S607
        input=archive,
        check=True,
    )
    return folder


def run_python(
    code: Path, argv: list[str], before: tuple[str, ...] = ()
) -> subprocess.CompletedProcess[str]:
    """``python ARGV`` with ``code``'s package first, from ``code``'s folder,
    behind ``before`` (a command that runs it, such as valgrind)."""
    env = {"PYTHONPATH": str(code), "PATH": "/usr/bin:/bin"}
    return subprocess.run(  # noqa: S603
        [*before, sys.executable, *argv],
        cwd=code,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )


def _run(code: Path, argv: list[str]) -> str:
    return run_python(code, argv).stdout


def load_ms(code: Path, reports: Path) -> float:
    return float(_run(code, ["-c", _LOAD, str(reports)]).strip())


def batch(code: Path, files: int) -> tuple[float, float]:
    """Files per second and CPU ms a file of `batch.py` with ``code``'s package."""
    out = _run(
        code,
        [
            str(ROOT / "benchmarks" / "batch.py"),
            "--files",
            str(files),
            "--corrupt",
            str(max(files // 100, 1)),
        ],
    )
    rate = re.search(r"([\d.]+) files/s", out)
    cpu = re.search(r"CPU\s+([\d.]+) ms a file", out)
    if rate is None or cpu is None:
        raise SystemExit(f"batch.py printed no rate: {out!r}")
    return float(rate.group(1)), float(cpu.group(1))


def _summary(name: str, values: dict[str, list[float]], unit: str) -> None:
    (a, xs), (b, ys) = values.items()
    ma, mb = statistics.median(xs), statistics.median(ys)
    print(f"{name}:")
    for rev, vs in values.items():
        shown = ", ".join(f"{v:.2f}" for v in vs)
        print(f"  {rev:>12}: {shown}  (median {statistics.median(vs):.2f} {unit})")
    print(f"  {b} / {a}: {mb / ma:.3f} (medians)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("revs", nargs=2, metavar="REV")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--reports", type=int, default=600)
    parser.add_argument("--batch", type=int, metavar="FILES")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        reports = Path(tmp) / "reports"
        reports.mkdir()
        make_reports(reports, args.reports, corrupt=0)
        codes = {
            rev: checkout(rev, Path(tmp) / f"rev{i}") for i, rev in enumerate(args.revs)
        }
        loads: dict[str, list[float]] = {rev: [] for rev in args.revs}
        rates: dict[str, list[float]] = {rev: [] for rev in args.revs}
        cpus: dict[str, list[float]] = {rev: [] for rev in args.revs}
        for _ in range(args.rounds):
            for rev, code in codes.items():
                loads[rev].append(load_ms(code, reports))
                if args.batch:
                    rate, cpu = batch(code, args.batch)
                    rates[rev].append(rate)
                    cpus[rev].append(cpu)
        print(f"{args.reports} generated reports, {args.rounds} rounds, in turn")
        _summary("load, CPU a report", loads, "ms")
        if args.batch:
            _summary(f"batch of {args.batch} files, files/s", rates, "files/s")
            _summary("batch, CPU a file", cpus, "ms")


if __name__ == "__main__":
    main()
