"""Decided share of glued (collapsed) tables: how much of 三 and 四 the equations decide.

    python benchmarks/decided.py [--reports N] [--seed S]

Generates N reports per national format (gov-2019, gov-2021) with values that
satisfy the equations (`testing.fill`), prints them in the ``glued`` layout
(every row's cells run together, ``一、本年新收…640020470``), loads them, and
counts per table the cells decided (``ok``, ``inferred``, ``blank``), the
decided ones whose value is not the generated one (``wrong``: must be 0),
the ``invariant.unsatisfiable`` findings (must be 0: the values add up) and
the time per report. Numbers are measured, never asserted.
"""

from __future__ import annotations

import argparse
import collections
import random
import statistics
import time

import govdisclosure
from govdisclosure.model import CellStatus
from govdisclosure.spec.registry import Registry
from govdisclosure.testing import FilledReport, Layout, fill, render

DECIDED = (CellStatus.OK, CellStatus.INFERRED, CellStatus.BLANK)


def measure(spec_id: str, reports: int, seed: int) -> None:
    """Print one format's decided share per table, wrong cells and timings."""
    spec = next(
        s for s in Registry(plugins=False, environment=False) if s.id == spec_id
    )
    rng = random.Random(seed)
    counts: dict[str, collections.Counter[str]] = collections.defaultdict(
        collections.Counter
    )
    times: list[float] = []
    unsatisfiable = 0
    for _ in range(reports):
        filled = FilledReport(spec, fill(spec, rng), year=2021)
        text = render(filled, Layout(cells="glued"), random.Random(0))
        start = time.perf_counter()
        report = govdisclosure.load(text, spec=spec)
        times.append((time.perf_counter() - start) * 1000)
        unsatisfiable += sum(
            f.code == "invariant.unsatisfiable" for f in report.findings
        )
        for table in spec.tables:
            columns = [c.key for c in table.column_leaves()]
            got = report.table(table.id)
            for row, values in filled.values[table.id].items():
                for column, truth in zip(columns, values, strict=True):
                    cell = got.cell(row, column)
                    tally = counts[table.id]
                    tally["cells"] += 1
                    if cell.status in DECIDED:
                        tally["decided"] += 1
                        value = 0 if cell.status is CellStatus.BLANK else cell.value
                        tally["wrong"] += value != truth
    print(f"{spec_id}: {reports} glued reports, seed {seed}")
    for table_id, tally in counts.items():
        share = tally["decided"] / tally["cells"]
        print(
            f"  {table_id:8} decided {share:7.2%} of {tally['cells']:5} cells, "
            f"wrong {tally['wrong']}"
        )
    times.sort()
    p95 = times[int(0.95 * (len(times) - 1))]
    print(
        f"  unsatisfiable findings {unsatisfiable}; load ms: median "
        f"{statistics.median(times):.1f}, p95 {p95:.1f}, max {times[-1]:.1f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=30)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    for spec_id in ("gov-2019", "gov-2021"):
        measure(spec_id, args.reports, args.seed)


if __name__ == "__main__":
    main()
