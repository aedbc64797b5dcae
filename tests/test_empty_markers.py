"""Empty cells keep what they print (—, /, 无, nothing, 不适用); the spec says which count as 0."""

from __future__ import annotations

import random

import govdisclosure
from govdisclosure.model import CellStatus, Value
from govdisclosure.testing import FilledReport, Layout, render

REGISTRY = govdisclosure.Registry(plugins=False)
PARTIAL = "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"
OTHER = "3.其他"


def _report() -> govdisclosure.Report:
    """A gov-2021 report of zeros but 3 granted to natural persons, whose
    部分公开 row prints — / 无, nothing, then 0s, and whose 3.其他 row prints 不适用."""
    spec = REGISTRY.get("gov-2021")
    values: dict[str, dict[str, list[Value]]] = {
        t.id: {r.key: [0 for _ in t.column_leaves()] for r in t.row_leaves()}
        for t in spec.tables
    }
    for row in ("new_requests", "granted", "processed_total"):
        values["t3"][row] = [3, 0, 0, 0, 0, 0, 3]
    filled = FilledReport(spec, values, 2021, "某某县交通运输局")
    text = render(filled, Layout(cells="pipe"), random.Random(1))
    zeros = " | 0 | 0 | 0 | 0 | 0 | 0 | 0 |"
    assert f"{PARTIAL}{zeros}" in text
    assert f"{OTHER}{zeros}" in text
    text = text.replace(f"{PARTIAL}{zeros}", f"{PARTIAL} | — | / | 无 |  | 0 | 0 | 0 |")
    text = text.replace(f"{OTHER}{zeros}", f"{OTHER}" + " | 不适用" * 7 + " |")
    return govdisclosure.load(text, spec="gov-2021")


def test_each_empty_cell_keeps_its_marker() -> None:
    t3 = _report().table("t3")

    partial = [t3.cell("partial", c) for c in t3.column_keys]

    assert ["—", "/", "无", "", None, None, None] == [c.marker for c in partial]
    assert [CellStatus.BLANK] * 4 + [CellStatus.OK] * 3 == [c.status for c in partial]
    assert None is t3.cell("granted", "natural_person").marker  # a number: no marker


def test_not_applicable_is_blank_and_no_zero() -> None:
    report = _report()
    t3 = report.table("t3")

    other = [t3.cell("other_other", c) for c in t3.column_keys]

    assert [("不适用", CellStatus.BLANK)] * 7 == [(c.marker, c.status) for c in other]
    assert all("not count as 0" in (c.reason or "") for c in other)
    # I3 on the row would hold with 不适用 as 0 (0 = 0 + … + 0): it is not checked instead
    [i3] = [
        f
        for f in report.findings
        if f.rule == "I3" and "other_other" in (f.equation or "")
    ]
    assert "invariant.unchecked" == i3.code
    assert "t3.other_other.total" in i3.missing_cells
    # the dashes and 无 of 部分公开 count as 0: no finding through that row
    assert [] == [f for f in report.findings if "[row partial]" in (f.equation or "")]
    assert not [f for f in report.findings if f.code == "invariant.violated"]


def test_the_marker_is_exported() -> None:
    records = {
        (r["row_key"], r["column_key"]): r for r in _report().to_records(source="x")
    }

    assert "—" == records["partial", "natural_person"]["marker"]
    assert "" == records["partial", "social_welfare"]["marker"]
    assert "不适用" == records["other_other", "total"]["marker"]
    assert None is records["granted", "total"]["marker"]


def test_a_marker_in_both_lists_is_refused() -> None:
    from attrs import evolve

    from govdisclosure.spec.check import check_spec

    spec = evolve(REGISTRY.get("gov-2021"), not_applicable_markers=("不适用", "无"))

    [problem] = check_spec(spec)

    assert "'无' is in blank_markers and in not_applicable_markers" == problem.what
    assert "$.not_applicable_markers[1]" == problem.path


def test_prose_is_not_compared_with_a_cell_not_applicable() -> None:
    """The prose says 5 carried forward; the table prints 不适用 there. An equation
    does not count 不适用 as 0, and neither does the check of prose figures: no
    ``narrative.disagrees`` blaming the report for a 0 it never printed."""
    spec = REGISTRY.get("gov-2021")
    values: dict[str, dict[str, list[Value]]] = {
        t.id: {r.key: [0 for _ in t.column_leaves()] for r in t.row_leaves()}
        for t in spec.tables
    }
    filled = FilledReport(spec, values, 2021, "某某县交通运输局")
    text = render(filled, Layout(cells="pipe"), random.Random(1))
    row = "四、结转下年度继续办理"
    zeros = " | 0 | 0 | 0 | 0 | 0 | 0 | 0 |"
    assert f"{row}{zeros}" in text
    text = text.replace(f"{row}{zeros}", f"{row}" + " | 不适用" * 7 + " |")
    heading = text.index("\n", text.index("一、总体情况"))
    text = text[:heading] + "\n本年度共有5件结转下年度办理。" + text[heading:]

    report = govdisclosure.load(text, spec="gov-2021")

    [fact] = [f for f in report.facts if f.cells == ("t3.carry_forward.total",)]
    assert 5 == fact.value
    assert "不适用" == report.table("t3").cell("carry_forward", "total").marker
    assert not [f for f in report.findings if f.code == "narrative.disagrees"]
