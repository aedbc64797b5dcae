"""Prose evidence under every layout: true figures never make a cell wrong, false ones never move a decided cell."""

from __future__ import annotations

import random
import re

import pytest
from hypothesis import HealthCheck, given, settings

import govdisclosure
from govdisclosure import CellStatus, Report
from govdisclosure.spec.registry import Registry
from govdisclosure.testing import FilledReport, Layout, render
from govdisclosure.testing.strategies import filled_reports, layouts

REGISTRY = Registry(plugins=False, environment=False)
#: Where render() writes the statistical period; digits and these characters
#: are the same in traditional characters, so the sentence goes after it.
_PERIOD = re.compile(
    r"\d{4}年\d月\d日起至\d{4}年\d\d月\d\d日止。"
)  # \d matches full-width digits too


def _total(filled: FilledReport, row: str) -> int:
    columns = [c.key for c in filled.spec.table("t3").column_leaves()]
    value = filled.values["t3"][row][columns.index("total")]
    assert isinstance(value, int)
    return value


def _with_prose(text: str, received: int, concluded: int, carried: int) -> str:
    sentence = f"本年度共收到{received}件申请，办结{concluded}件，{carried}件结转下年度继续办理。"
    m = _PERIOD.search(text)
    assert m is not None
    return text[: m.end()] + sentence + text[m.end() :]


def _wrong(report: Report, filled: FilledReport) -> list[str]:
    columns = {
        (t.id, c.key): i
        for t in filled.spec.tables
        for i, c in enumerate(t.column_leaves())
    }
    return [
        c.key
        for c in report.cells
        if c.status in (CellStatus.OK, CellStatus.INFERRED)
        and c.value
        != filled.values[c.table][c.row_key][columns[(c.table, c.column_key)]]
    ]


def _decided(report: Report) -> dict[str, object]:
    return {c.key: c.value for c in report.cells if c.status is CellStatus.OK}


@pytest.mark.parametrize("shift", [0, 1], ids=["true figures", "false figures"])
@pytest.mark.parametrize("spec_id", ["gov-2019", "gov-2021"])
def test_figures_in_the_prose(spec_id: str, shift: int) -> None:
    """True figures (the table's own totals): no wrong cell, every ok cell kept, the facts
    found and agreeing. False ones (each off by one): no cell the table decides changes."""
    spec = REGISTRY.get(spec_id)

    @settings(max_examples=40, suppress_health_check=[HealthCheck.too_slow])
    @given(filled_reports(spec), layouts())
    def run(filled: FilledReport, layout: Layout) -> None:
        text = render(filled, layout, random.Random(0))
        figures = [
            _total(filled, r) + shift
            for r in ("new_requests", "processed_total", "carry_forward")
        ]
        before = govdisclosure.load(text, spec=spec_id)
        after = govdisclosure.load(_with_prose(text, *figures), spec=spec_id)

        if shift:
            assert _decided(before) == _decided(after)
            return
        assert [] == _wrong(after, filled)
        assert _decided(before).items() <= _decided(after).items()
        assert {"N1": figures[0], "N2": figures[1], "N3": figures[2]} == {
            f.id: f.value for f in after.facts
        }
        assert [] == [f for f in after.findings if f.code == "narrative.disagrees"]

    run()
