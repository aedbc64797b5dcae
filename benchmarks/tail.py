"""The slow tail of `load`: median, p95 and their ratio, and the slowest inputs.

    python benchmarks/tail.py [--per-layout N] [--seed S] [--repeat R] [--show K]

The inputs are `benchmarks/run.py`'s (generated reports of every spec and
layout, and the real ones). Each is loaded ``R`` times and its least CPU
time kept (this process's time, which other processes on a shared machine
do not inflate; the least of a few is the one least disturbed). Prints the
median, p95, p95 ÷ median, mean and max, the median per layout, and the
``K`` slowest inputs. Measured, never asserted: the machine is shared.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from run import _p95, generated, real_reports

import govdisclosure


def _cpu_ms(text: str, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.process_time()
        govdisclosure.load(text)
        best = min(best, time.process_time() - start)
    return best * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-layout", type=int, default=5)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--show", type=int, default=12)
    args = parser.parse_args()
    inputs = [*generated(args.per_layout, args.seed), *real_reports()]
    govdisclosure.load(inputs[0]["text"])  # warm caches
    timed = [(_cpu_ms(i["text"], args.repeat), i["name"], i["layout"]) for i in inputs]
    ms = sorted(t for t, _, _ in timed)
    median, p95 = statistics.median(ms), _p95(ms)
    print(
        f"{len(ms)} inputs: median {median:.1f} ms, p95 {p95:.1f} ms "
        f"({p95 / median:.1f}× the median), mean {statistics.fmean(ms):.1f} ms, "
        f"max {ms[-1]:.0f} ms"
    )
    by_layout: dict[str, list[float]] = defaultdict(list)
    for t, _, layout in timed:
        by_layout[layout].append(t)
    print(
        "median by layout: "
        + ", ".join(
            f"{k} {statistics.median(v):.1f}" for k, v in sorted(by_layout.items())
        )
    )
    for t, name, _ in sorted(timed)[-args.show :]:
        print(f"{t:8.1f} ms  {name}")


if __name__ == "__main__":
    main()
