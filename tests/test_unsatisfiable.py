"""A table whose numbers cannot add up: the equations that still hold decide the rest.

Read by hand from `10-hebei-kjt-2022` (三, every cell glued, zeros printed):
本年新收 ``110000011`` has two readings whose row adds up, 11|0|0|0|0|0|11
and 1|10|0|0|0|0|11. Its （七）总计 ``20000011`` cannot add up (its two
splits, 2|0|0|0|0|0|11 and 20|0|0|0|0|1|1, both break the row's sum), so
that row is set aside. The outcome rows are 予以公开 10|0|0|0|0|0|10 and
属于三类内部事务信息 1|0|0|0|0|0|1, 上年结转 and 结转下年度 all 0. Whatever
（七）总计 truly holds, it is the outcome rows' sum (I2) and 新收 + 上年结转
minus 结转下年度 (I1); so 新收 = 11 + 0 in the 自然人 column and 0 in the
商业企业 column: only 11|0|0|0|0|0|11.
"""

from __future__ import annotations

import random
from fractions import Fraction
from pathlib import Path

import pytest

import govdisclosure
from govdisclosure.model import CellStatus
from govdisclosure.pipeline.narrow import SET_ASIDE, set_aside_equations
from govdisclosure.spec.expr import instances
from govdisclosure.spec.registry import Registry
from govdisclosure.testing.fill import fill

HEBEI_2022 = Path(__file__).parent / "data" / "real" / "10-hebei-kjt-2022.txt"


def test_the_first_row_is_decided_by_the_equations_that_hold() -> None:
    t3 = govdisclosure.load_file(HEBEI_2022).table("t3")

    new = [t3.cell("new_requests", column) for column in t3.column_keys]
    assert [11, 0, 0, 0, 0, 0, 11] == [c.value for c in new]
    assert [CellStatus.INFERRED] * 7 == [c.status for c in new]
    for cell in new:
        reason = cell.reason or ""
        assert "decided by the equations that hold" in reason
        assert "（七）总计 set aside as unsatisfiable" in reason
        assert "I1, I2" in reason


def test_the_row_that_cannot_add_up_stays_flagged() -> None:
    report = govdisclosure.load_file(HEBEI_2022)
    t3 = report.table("t3")

    total = {c: t3.cell("processed_total", c) for c in t3.column_keys}
    flagged = [c for c, cell in total.items() if cell.status is CellStatus.AMBIGUOUS]
    assert ["natural_person", "other_org", "total"] == flagged
    # the text alone gives 0 there in both splits (as before this change)
    for column in ("commercial", "research", "social_welfare", "legal_service"):
        assert 0 == total[column].value
        assert "set aside" not in (total[column].reason or "")
    codes = [f.code for f in report.findings if f.severity.name == "ERROR"]
    assert ["invariant.unsatisfiable"] == codes


@pytest.mark.parametrize("seed", range(20))
@pytest.mark.parametrize("spec_id", ["gov-2019", "gov-2021"])
def test_the_equations_left_hold_on_every_consistent_table(
    spec_id: str, seed: int
) -> None:
    """Soundness: each derived equation holds on any table satisfying the spec's,
    whatever rows are set aside (it is a sum of multiples of them)."""
    spec = next(
        s for s in Registry(plugins=False, environment=False) if s.id == spec_id
    )
    rng = random.Random(seed)
    values = fill(spec, rng)
    rows = [r.key for r in spec.table("t3").row_leaves()]
    aside = {("t3", key) for key in rng.sample(rows, rng.randint(1, 4))}
    columns = {
        t.id: {c.key: j for j, c in enumerate(t.column_leaves())} for t in spec.tables
    }
    labels = {(t.id, r.key): r.label for t in spec.tables for r in t.row_leaves()}
    usable = [i for i in instances(spec) if i.invariant.resolve]

    derived = set_aside_equations(usable, aside, labels, columns)
    assert derived  # three rows and more always leave a column's balance
    for inst in derived:
        assert inst.invariant.id.startswith(SET_ASIDE)
        assert not {(inst.table, row) for row, _ in inst.places} & aside
        total = Fraction(inst.constant)
        for coef, row, column in inst.terms:
            value = values[inst.table][row][columns[inst.table][column]]
            total += coef * Fraction(str(value or 0))
        assert 0 == total, inst.text
