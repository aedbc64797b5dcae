"""Decided share of glued (collapsed) tables: how much of 三 and 四 the equations decide.

    python benchmarks/decided.py [--reports N] [--seed S]

Generates N reports per national format (gov-2019, gov-2021) with values that
satisfy the equations (`testing.fill`), prints them in the ``glued`` layout
(every row's cells run together, ``一、本年新收…640020470``), loads them, and
counts per table the cells decided (``ok``, ``inferred``, ``blank``), the
decided ones whose value is not the generated one (``wrong``: must be 0),
the ``invariant.unsatisfiable`` findings (must be 0: the values add up) and
the time per report. Numbers are measured, never asserted.

For a table of one row (四) it also counts what an oracle decides: every cut
of the row's digits into its columns, each cell a number (the generated
reports print their zeros), that satisfies the row's equations
(`decode.row_solutions`, itself held to a brute-force listing in
tests/property/test_decode_oracle.py); a cell is the oracle's when every such
cut gives it the same value. The library should decide exactly as much.
"""

from __future__ import annotations

import argparse
import collections
import random
import statistics
import time

import govdisclosure
from govdisclosure.model import CellStatus
from govdisclosure.pipeline.decode import row_solutions
from govdisclosure.pipeline.grid import Token, TokenKind
from govdisclosure.pipeline.segment import Piece
from govdisclosure.pipeline.values import NumberToken
from govdisclosure.spec.expr import instances
from govdisclosure.spec.model import Spec, TableSpec
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
            rows = list(filled.values[table.id].values())
            if len(rows) == 1 and all(type(v) is int and v >= 0 for v in rows[0]):
                counts[table.id]["oracle"] += _oracle(spec, table, rows[0])
    print(f"{spec_id}: {reports} glued reports, seed {seed}")
    for table_id, tally in counts.items():
        share = tally["decided"] / tally["cells"]
        oracle = (
            f", oracle {tally['oracle'] / tally['cells']:7.2%}"
            if "oracle" in tally
            else ""
        )
        print(
            f"  {table_id:8} decided {share:7.2%} of {tally['cells']:5} cells, "
            f"wrong {tally['wrong']}{oracle}"
        )
    times.sort()
    p95 = times[int(0.95 * (len(times) - 1))]
    print(
        f"  unsatisfiable findings {unsatisfiable}; load ms: median "
        f"{statistics.median(times):.1f}, p95 {p95:.1f}, max {times[-1]:.1f}"
    )


def _oracle(spec: Spec, table: TableSpec, row: list[object]) -> int:
    """The cells of a one-row table that every cut of its glued digits, each cell
    a number, satisfying the row's equations gives the same value."""
    digits = "".join(str(v) for v in row)
    token = Token(
        TokenKind.VALUE, digits, 0, len(digits), 1, 0, False,
        number=NumberToken(None, digits, None),
    )  # fmt: skip
    index = {c.key: j for j, c in enumerate(table.column_leaves())}
    equations = [
        tuple((coef, index[column]) for coef, _, column in inst.terms)
        for inst in instances(spec)
        if inst.table == table.id and not inst.constant
    ]
    cuts = [
        r
        for r in row_solutions(
            [token], table.row_types(table.row_leaves()[0]), equations
        )
        or ()
        if all(isinstance(s, Piece) for s in r)
    ]
    agreed = [
        {s.value for s in column if isinstance(s, Piece)}
        for column in zip(*cuts, strict=True)
    ]
    return sum(len(values) == 1 for values in agreed)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=30)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    for spec_id in ("gov-2019", "gov-2021"):
        measure(spec_id, args.reports, args.seed)


if __name__ == "__main__":
    main()
