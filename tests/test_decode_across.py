"""Rows past their own search's bound, decoded with what the other rows leave them.

A total row of large counts glued into one run (``023456734567812345600703701``,
27 digits) has too many cuts for its own sum to search within the bound;
but its columns are sums of outcome rows the layout already decides (I2), so
each column has one possible value, and the search within them is small.
本年新收 is then (I1) 上年结转 0 + （七）总计 − 结转下年度 0, column by column.
"""

from __future__ import annotations

import random

import pytest

import govdisclosure
from govdisclosure.model import CellStatus, Value
from govdisclosure.pipeline import decode, segment
from govdisclosure.spec.registry import Registry
from govdisclosure.testing import FilledReport, Layout, render

GRANTED = [0, 0, 0, 123456, 0, 0, 123456]
PARTIAL = [0, 234567, 0, 0, 0, 0, 234567]
SECRET = [0, 0, 345678, 0, 0, 0, 345678]
#: 予以公开 + 部分公开 + 属于国家秘密, column by column (the other outcome rows are 0).
TOTAL = [0, 234567, 345678, 123456, 0, 0, 703701]


def _report(monkeypatch: pytest.MonkeyPatch, states: int) -> govdisclosure.Report:
    monkeypatch.setattr(decode, "MAX_STATES", states)
    # the outcome rows (19 digits each) are listed, not searched, so that the
    # tiny state bound applies to the totals alone, as a long total would meet it
    monkeypatch.setattr(segment, "MAX_READINGS", 20_000)
    monkeypatch.setattr(segment, "SEARCH_PAST", 20_000)
    spec = next(
        s for s in Registry(plugins=False, environment=False) if s.id == "gov-2021"
    )
    values: dict[str, dict[str, list[Value]]] = {
        t.id: {r.key: [0 for _ in t.column_leaves()] for r in t.row_leaves()}
        for t in spec.tables
    }
    t3 = values["t3"]
    t3.update(granted=list(GRANTED), partial=list(PARTIAL))
    t3.update(withheld_state_secret=list(SECRET))
    t3.update(new_requests=list(TOTAL), processed_total=list(TOTAL))
    text = render(
        FilledReport(spec, values, year=2022), Layout(cells="glued"), random.Random(0)
    )
    assert "023456734567812345600703701" in text
    return govdisclosure.load(text, spec=spec)


def test_totals_past_the_bound_are_decoded_from_the_outcome_rows(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    report = _report(monkeypatch, 50)  # too few states for the totals' own sums (87)

    assert [] == [f for f in report.findings if f.code == "decode.bound"]
    t3 = report.table("t3")
    for row, by in (("processed_total", "I2"), ("new_requests", "I1")):
        cells = [t3.cell(row, column) for column in t3.column_keys]
        assert TOTAL == [c.value for c in cells], row
        assert [CellStatus.INFERRED] * 7 == [c.status for c in cells], row
        assert all(by in (c.reason or "") for c in cells), row


def test_a_row_still_past_the_bound_is_said(monkeypatch: pytest.MonkeyPatch) -> None:
    """With a bound too small for even the search within the columns' values,
    the rows stay flagged and a ``decode.bound`` finding says so."""
    report = _report(monkeypatch, 3)

    bound = {c for f in report.findings if f.code == "decode.bound" for c in f.cells}
    assert {"t3.processed_total", "t3.new_requests"} <= bound
    t3 = report.table("t3")
    assert all(
        t3.cell("processed_total", c).status is CellStatus.AMBIGUOUS
        for c in t3.column_keys
    )
