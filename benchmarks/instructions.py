"""Instructions a `load` costs, per revision: a measure the machine's noise does not move.

    python benchmarks/instructions.py REV [REV ...] [--files FILE ...] [--rounds 5]

Times on this shared machine drift by a tenth between runs minutes apart,
and a change of 2-5 % is lost in that (`compare.py` runs revisions in turn
to see through it, and needs several rounds). valgrind's callgrind counts
the instructions the CPU runs instead: the same for the same code and
inputs whatever else the machine does (two counts of one revision differ
by a few parts in a thousand: Python's start-up varies). Each revision is
checked out apart (`compare.checkout`) and run once uncounted (which
compiles its modules: a first run's count holds the compiling), then
twice under callgrind: once importing the package and loading each report once
(the caches warm), once doing that and then ROUNDS more loads of each.
The difference, divided by the loads, is a `load`'s instructions, start-up
and warm-up left out. Instructions are not time (a cache miss costs more
than an add), but a change that removes work removes instructions.

Needs valgrind (Debian's package). Without ``--files``, the three real
reports printed one cell per line (04, 06, 12: the median of the real
texts), from ``../shared/corpus/real`` or the copies in ``tests/data/real``.
A run takes about a minute and a half a revision. Numbers are measured,
never asserted.
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from compare import ROOT, checkout, run_python

_REAL = ("04-hebei-jyt-2021.txt", "06-hebei-jyt-2019.txt", "12-hebei-jyt-2023.txt")

#: Run in a revision's folder: each report loaded once, then ROUNDS more times.
_LOADS = """
import sys
from pathlib import Path
import govdisclosure
texts = [Path(p).read_text("utf-8") for p in sys.argv[2:]]
for text in texts:
    govdisclosure.load(text)
for _ in range(int(sys.argv[1])):
    for text in texts:
        govdisclosure.load(text)
"""


def default_files() -> list[Path]:
    shared = ROOT.parent / "shared" / "corpus" / "real"
    folder = shared if shared.is_dir() else ROOT / "tests" / "data" / "real"
    return [folder / name for name in _REAL]


def instructions(valgrind: str, code: Path, rounds: int, files: list[Path]) -> int:
    """The instructions callgrind counts for `_LOADS` with ``rounds``."""
    counting = (valgrind, "--tool=callgrind", "--callgrind-out-file=/dev/null")
    out = run_python(code, _loads(rounds, files), counting).stderr
    found = re.search(r"Collected : ([\d,]+)", out)
    if found is None:
        raise SystemExit(f"callgrind printed no count: {out[-500:]!r}")
    return int(found.group(1).replace(",", ""))


def _loads(rounds: int, files: list[Path]) -> list[str]:
    return ["-c", _LOADS, str(rounds), *map(str, files)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("revs", nargs="+", metavar="REV")
    parser.add_argument("--files", nargs="+", type=Path)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    if args.rounds < 1:
        parser.error("--rounds must be at least 1")
    valgrind = shutil.which("valgrind")
    if valgrind is None:
        raise SystemExit("valgrind is not installed (Debian: apt-get install valgrind)")
    files = [f.resolve() for f in args.files] if args.files else default_files()
    loads = args.rounds * len(files)
    print(f"{len(files)} reports, {args.rounds} rounds: {loads} loads a revision")
    with tempfile.TemporaryDirectory() as tmp:
        first: float | None = None
        for i, rev in enumerate(args.revs):
            code = checkout(rev, Path(tmp) / f"rev{i}")
            # once without counting: the first run compiles the fresh
            # checkout's modules, which the counted runs must not
            run_python(code, _loads(0, files))
            base = instructions(valgrind, code, 0, files)
            total = instructions(valgrind, code, args.rounds, files)
            per_load = (total - base) / loads
            first = per_load if first is None else first
            print(
                f"{rev:>12}: {per_load / 1e6:.2f} M instructions a load"
                f"  ({per_load / first:.3f} of {args.revs[0]})"
            )


if __name__ == "__main__":
    main()
