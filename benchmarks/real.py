"""Accuracy on the real reports: how many printed cells each one reads right.

    python benchmarks/real.py [-v] [NAME ...]

For each real report of tests/data/real (a crawled or published text, or the
PDF, with a hand-read ``NAME.expected.json`` beside it), prints the spec
detected, year, organisation and, over the cells whose true value the text
prints, how many are read right, flagged (not claimed: the reader says it does
not know) and wrong (claimed ``ok``/``inferred`` with another value: must be
0), judged by `tests.corpus.compare`. Cells the truth calls empty or
undetermined are not counted as printed, but a claim on an undetermined one is
counted wrong. ``-v`` lists every printed cell not read right, with its status
and reason; names restrict the reports (``03 10``). Run from the checkout root.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # tests.corpus.compare, when run as a script

import govdisclosure  # noqa: E402
from tests.corpus import compare  # noqa: E402

REAL = ROOT / "tests" / "data" / "real"


def judged(source: Path, verbose: bool) -> tuple[str, Counter[str], list[str]]:
    """One report's heading line, its counts and the cells not read right."""
    name = source.name.split(".")[0]
    expected = compare.expected_cells(REAL / f"{name}.expected.json")
    report = govdisclosure.load_file(source)
    counts: Counter[str] = Counter()
    lines = []
    for truth, cell, said in compare.judge(report, expected):
        printed = truth["value"] is not None
        counts["printed"] += printed
        if printed or said == "wrong":
            counts[said] += 1
        if verbose and said != "right" and (printed or said == "wrong"):
            got = f"{cell.status.value} {cell.value} ({cell.reason})" if cell else "-"
            lines.append(
                f"    {said:8} {truth['table']} {truth['row']} / {truth['column']}"
                f": true {truth['value']}, got {got}"
            )
    head = (
        f"{name:28} {report.format:20} {report.year} {report.organization or '-'}: "
        f"right {counts['right']}, flagged {counts['flagged']}, "
        f"wrong {counts['wrong']}, no cell {counts['no cell']}"
    )
    return head, counts, lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("-v", "--verbose", action="store_true")
    parser.add_argument("names", nargs="*")
    args = parser.parse_args()
    total: Counter[str] = Counter()
    for source in sorted(REAL.iterdir()):
        if source.suffix not in (".txt", ".pdf"):
            continue
        if args.names and not any(n in source.name for n in args.names):
            continue
        head, counts, lines = judged(source, args.verbose)
        total.update(counts)
        print(head, *lines, sep="\n")
    printed = total["printed"]
    share = total["right"] / printed if printed else 0.0
    print(
        f"total: right {total['right']} of {printed} printed cells ({share:.1%}), "
        f"flagged {total['flagged']}, wrong {total['wrong']}"
    )


if __name__ == "__main__":
    main()
