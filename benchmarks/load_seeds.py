"""Time `load` on the seed reports, against a normalise-only baseline.

    python benchmarks/load_seeds.py [--repeat N]

Prints, per seed, the median and p95 of `load` and of `normalize_text` (the
floor for any parser: reading and normalising the text), and their ratio.
Numbers are measured, never asserted: the machine is shared and noisy.
"""

from __future__ import annotations

import argparse
import statistics
from pathlib import Path

from run import _time as _times  # benchmarks/ is on the path when run as a script

import govdisclosure
from govdisclosure.pipeline.normalize import normalize_text

SEEDS = Path(__file__).parent.parent / "tests" / "data" / "seeds"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=50)
    args = parser.parse_args()
    print(
        f"{'seed':<10} {'chars':>6} {'load ms (median/p95)':>22} {'normalize ms':>13} {'ratio':>6}"
    )
    for path in sorted(SEEDS.glob("00[0124]_*.txt")):
        text = path.read_text(encoding="utf-8")
        govdisclosure.load(text)  # warm caches (spec, label index, OpenCC)
        load = _times(lambda t=text: govdisclosure.load(t), args.repeat)
        base = _times(lambda t=text: normalize_text(t), args.repeat)
        p95 = sorted(load)[int(0.95 * (len(load) - 1))]
        print(
            f"{path.name[:3]:<10} {len(text):>6} {statistics.median(load):>10.2f} / {p95:>8.2f}"
            f" {statistics.median(base):>13.2f} {statistics.median(load) / statistics.median(base):>6.1f}"
        )


if __name__ == "__main__":
    main()
