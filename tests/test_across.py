"""The same organisation across years: declared cross-year rules, as warnings."""

from __future__ import annotations

import random
import subprocess
import sys
from pathlib import Path

import pytest
from attrs import evolve

import govdisclosure
from govdisclosure.spec.model import ForEach, YearRule
from govdisclosure.testing import FilledReport, Layout, fill, render

REGISTRY = govdisclosure.Registry(plugins=False)
ORG = "某某县交通运输局"


def _report(
    spec_id: str, year: int, seed: int, **cells: int
) -> tuple[FilledReport, str]:
    """A report of ``spec_id`` for ``year``; ``cells`` set ``table__row__column`` values."""
    spec = REGISTRY.get(spec_id)
    values = fill(spec, random.Random(seed))
    for name, value in cells.items():
        table, row, column = name.split("__")
        columns = [c.key for c in spec.table(table).column_leaves()]
        values[table][row][columns.index(column)] = value
    filled = FilledReport(spec, values, year=year, organization=ORG)
    return filled, render(filled, Layout(cells="pipe"), random.Random(seed))


def _carried(last: FilledReport, table: str, row: str) -> int:
    previous, change = last.values[table][row][:2]
    assert isinstance(previous, int)
    assert isinstance(change, int)
    return previous + change


def _pair(broken: bool) -> list[govdisclosure.Report]:
    last, last_text = _report("gov-2019", 2019, seed=1)
    carried = {
        f"{t}__{r}__previous_count": _carried(last, t, r)
        for t, r in [
            ("t2_5", "administrative_license"),
            ("t2_5", "other_management_services"),
            ("t2_6", "administrative_penalty"),
            ("t2_6", "administrative_coercion"),
            ("t2_8", "administrative_fees"),
        ]
    }
    columns = [c.key for c in REGISTRY.get("gov-2019").table("t3").column_leaves()]
    for column, value in zip(columns, last.values["t3"]["carry_forward"], strict=True):
        assert isinstance(value, int)
        carried[f"t3__carried_over__{column}"] = value  # Y4: 上年结转 = 结转下年度
    if broken:
        carried["t2_5__administrative_license__previous_count"] += 7
    _, this_text = _report("gov-2019", 2020, seed=2, **carried)
    return [govdisclosure.load(this_text), govdisclosure.load(last_text)]


def test_a_consistent_pair_gets_no_finding() -> None:
    reports = _pair(broken=False)
    assert [ORG, ORG] == [r.organization for r in reports]
    assert [2020, 2019] == [r.year for r in reports]

    assert () == govdisclosure.compare(reports)


def test_a_broken_carry_over_is_found() -> None:
    reports = _pair(broken=True)
    last = reports[1].table("t2_5")
    expected = (
        last.cell("administrative_license", "previous_count").value
        + last.cell("administrative_license", "change").value
    )

    [finding] = govdisclosure.compare(reports)

    assert "across.violated" == finding.code
    assert govdisclosure.Severity.WARNING is finding.severity
    assert "Y1" == finding.rule
    assert (expected + 7, expected) == (finding.actual, finding.expected)
    assert f"{ORG} 2019→2020" in finding.message
    assert "administrative_license" in (finding.equation or "")
    assert "this.t2_5.administrative_license.previous_count" in finding.cells


def test_a_rule_crosses_the_change_of_format() -> None:
    """2020 in the 2019 format → 2021 in the 2021 format: 现行有效件数 from 对外公开总数量."""
    last, last_text = _report("gov-2019", 2020, seed=3)
    published = last.values["t2_1"]["rules"][2]
    assert isinstance(published, int)
    consistent = {"t2_1__rules__issued": 2, "t2_1__rules__repealed": 1}
    _, good = _report(
        "gov-2021", 2021, seed=4, t2_1__rules__in_force=published + 1, **consistent
    )
    _, bad = _report(
        "gov-2021", 2021, seed=4, t2_1__rules__in_force=published + 5, **consistent
    )
    earlier = govdisclosure.load(last_text)

    good_findings = govdisclosure.compare([earlier, govdisclosure.load(good)])
    [finding] = [
        f
        for f in govdisclosure.compare([earlier, govdisclosure.load(bad)])
        if "rules" in (f.equation or "")
    ]

    assert [] == [f for f in good_findings if "rules" in (f.equation or "")]
    assert "Y2" == finding.rule
    assert (published + 5, published + 1) == (finding.actual, finding.expected)


def test_reports_that_cannot_be_placed_are_named() -> None:
    reports = _pair(broken=False)
    anonymous = evolve(reports[0], organization=None, title="无名报告")

    findings = govdisclosure.compare([*reports, anonymous])

    assert ["across.unplaced"] == [f.code for f in findings]
    assert "无名报告" in findings[0].message


def test_check_across_years_on_the_command_line(tmp_path: Path) -> None:
    last, last_text = _report("gov-2019", 2019, seed=1)
    _, this_text = _report(
        "gov-2019",
        2020,
        seed=2,
        t2_5__administrative_license__previous_count=_carried(
            last, "t2_5", "administrative_license"
        )
        + 7,
    )
    (tmp_path / "0.txt").write_text(last_text, encoding="utf-8")
    (tmp_path / "1.txt").write_text(this_text, encoding="utf-8")

    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "govdisclosure",
            "check",
            "--across-years",
            "--jobs",
            "1",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        check=False,
    )

    assert 0 == run.returncode  # cross-year rules are warnings
    assert "warning: " in run.stdout
    assert "Y1" in run.stdout
    assert f"{ORG} 2019→2020" in run.stdout


def test_a_rule_naming_a_key_the_previous_format_lacks_is_a_spec_error() -> None:
    """Across formats the loader cannot see the other spec; compare names the misspelt key."""
    spec = REGISTRY.get("gov-2021")
    broken = evolve(
        spec,
        id="my-2021",
        across_years=(
            YearRule(
                "Y9",
                "t2_1",
                "this.in_force == last.total_publishd + this.issued",
                ForEach.ROW,
                previous="gov-2019",
            ),
        ),
    )
    registry = govdisclosure.Registry(plugins=False, environment=False)
    registry.add(broken)
    _, last_text = _report("gov-2019", 2020, seed=3)
    _, this_text = _report("gov-2021", 2021, seed=4)
    reports = [
        govdisclosure.load(last_text),
        evolve(govdisclosure.load(this_text), format="my-2021"),
    ]

    with pytest.raises(govdisclosure.SpecError, match="total_publishd"):
        govdisclosure.compare(reports, registry)
