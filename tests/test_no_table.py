"""Reports without a statutory table, coverage, and the table.* findings.

The seven real reports under the 2008 regulations (tests/data/real 01, 02,
13–17) print no table; their figures below were read by hand from the text.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

import govdisclosure
from govdisclosure.errors import FormatNotRecognizedError, SpecError
from govdisclosure.model import CellStatus, Coverage, Report
from govdisclosure.pipeline.detect import TABLE_LABELS, _fingerprint, table_evidence
from govdisclosure.spec.loader import parse_spec
from govdisclosure.spec.registry import default_registry
from govdisclosure.testing.golden import (
    case_input,
    expected_cell,
    find_cases,
    read_case,
)

DATA = Path(__file__).parent / "data"
REAL = DATA / "real"
CASES = Path(__file__).parent / "golden" / "cases"

#: name → (year, {fact key: [values in text order]}), read by hand.
NO_TABLE = {
    # 通过科技厅门户网站主动公开政府信息2251条; 收到申请事项1件; 受理政府信息公开行政复议1件
    "01-hebei-kjt-2015": (
        2015,
        {"proactive_published": [2251], "requests_received": [1], "reviews": [1]},
    ),
    # 2018年主动公开政府信息1683条; 受理依申请信息公开1件 (五's 行政复议1起 are not about disclosure)
    "02-hebei-jyt-2018": (
        2018,
        {"proactive_published": [1683], "requests_received": [1]},
    ),
    # 2014年主动公开政府信息1635条; 共收到信息公开申请3件
    "13-hebei-jyt-2014": (
        2014,
        {"proactive_published": [1635], "requests_received": [3]},
    ),
    # 受理政府信息依申请公开98件; the 128条 of 行政执法公示 are a part, not the whole
    "14-hebei-rst-2018": (2018, {"requests_received": [98]}),
    # 目录系统主动发布的政府信息共计365条; 共受理公开申请39件; 涉及信息公开有2件行政诉讼
    "15-cnipa-2015": (
        2015,
        {"proactive_published": [365], "requests_received": [39], "suits": [2]},
    ),
    "16-cnipa-2016": (
        2016,
        {"proactive_published": [454], "requests_received": [54]},
    ),
    "17-cnipa-2017": (
        2017,
        {"proactive_published": [564], "requests_received": [38]},
    ),
}


def _load(name: str) -> Report:
    return govdisclosure.load_file(REAL / f"{name}.txt")


@pytest.mark.parametrize("name", sorted(NO_TABLE))
def test_a_report_without_a_table_is_a_report_with_its_prose_figures(
    name: str,
) -> None:
    """Metadata, the prose's figures, no cell, and an info finding saying so."""
    year, figures = NO_TABLE[name]

    report = _load(name)

    assert ("gov-2008", year) == (report.format, report.year)
    assert () == report.tables
    assert [] == list(report.cells)
    found: dict[str, list[object]] = {}
    for fact in report.facts:
        assert () == fact.cells
        found.setdefault(fact.id, []).append(fact.value)
    assert figures == found
    none = [f for f in report.findings if f.code == "table.none"]
    assert 1 == len(none)
    assert govdisclosure.Severity.INFO is none[0].severity
    assert not [f for f in report.findings if f.severity.value == "error"]
    assert Coverage(0, 0, 0) == report.coverage
    assert report.coverage.share is None


def test_the_prose_figures_carry_their_unit_and_sentence() -> None:
    """A stated figure keeps the sentence it came from, its span and its unit."""
    text = (REAL / "13-hebei-jyt-2014.txt").read_text("utf-8")

    fact = govdisclosure.load(text).facts[0]

    assert ("proactive_published", 1635, "条") == (fact.id, fact.value, fact.unit)
    assert "2014年主动公开政府信息1635条" in fact.sentence
    assert fact.span is not None
    assert "1635" in text[fact.span.start : fact.span.end]


def test_organisation_from_the_title_or_the_preface() -> None:
    """Where the text before 一、 names the organisation, it is read."""
    assert "国家知识产权局" == _load("15-cnipa-2015").organization
    assert "河北省教育厅" == _load("13-hebei-jyt-2014").organization


def _tabled_inputs() -> list[Path]:
    """Every report text of the tests that prints a statutory table."""
    no_table = {REAL / f"{name}.txt" for name in NO_TABLE}
    return sorted(p for p in DATA.rglob("*.txt") if p not in no_table)


@pytest.mark.parametrize("path", _tabled_inputs(), ids=lambda p: p.name)
def test_a_report_with_a_table_is_never_read_as_one_without(path: Path) -> None:
    """Golden, seed, corpus and real reports with a table keep a spec with tables."""
    report = govdisclosure.load_file(path)

    assert report.tables
    assert "gov-2008" != report.format


@pytest.mark.parametrize("name", sorted(NO_TABLE))
def test_no_spec_with_tables_reads_a_cell_of_a_report_without_one(name: str) -> None:
    """The evidence detection relies on: forced, the specs with tables find nothing."""
    for spec in default_registry():
        if spec.tables:
            report = govdisclosure.load_file(REAL / f"{name}.txt", spec=spec.id)
            assert 0 == report.coverage.present, spec.id


def test_table_labels_in_the_text_rule_the_table_less_spec_out() -> None:
    """A text that prints a table's labels is never read as a report without a table,
    even when no cell of that table can be read (here: labels without numbers)."""
    text = (REAL / "13-hebei-jyt-2014.txt").read_text("utf-8")
    groups = _fingerprint(default_registry().get("gov-2019"))[1]
    printed = "\n".join(
        g[0] for g in groups[: int(len(groups) * (TABLE_LABELS + 0.05))]
    )

    with pytest.raises(FormatNotRecognizedError, match="table labels of gov-20"):
        govdisclosure.load(text + "\n" + printed)


def test_table_evidence_keeps_the_specs_that_read_a_table() -> None:
    """A spec with tables that reads a cell rules out the specs without; else the reverse."""
    registry = default_registry()
    gov2008, gov2019 = registry.get("gov-2008"), registry.get("gov-2019")
    seed = (DATA / "seeds" / "001_12bbc16d07ceb1d3.txt").read_text("utf-8")
    narrative = (REAL / "02-hebei-jyt-2018.txt").read_text("utf-8")
    reads = govdisclosure.load(seed, spec="gov-2019")
    empty = govdisclosure.load(narrative, spec="gov-2019")
    prose = govdisclosure.load(narrative, spec="gov-2008")

    assert {"gov-2008"} == set(table_evidence([(gov2019, reads), (gov2008, prose)]))
    assert {"gov-2019"} == set(table_evidence([(gov2019, empty), (gov2008, prose)]))
    assert {} == table_evidence([(gov2019, empty)])


# ---- coverage ------------------------------------------------------------------


@pytest.mark.parametrize(
    "case",
    find_cases(CASES),
    ids=lambda p: f"{p.parent.name}/{p.name.removesuffix('.expected.yaml')}",
)
def test_coverage_counts_the_hand_typed_statuses(case: Path) -> None:
    """Report.coverage equals the counts of each golden case's hand-typed cells."""
    data = read_case(case)
    report = govdisclosure.load(case_input(case, data).read_text("utf-8"))

    for table_id, rows in data["tables"].items():
        statuses = Counter(
            expected_cell(w)[0] for written in rows.values() for w in written
        )
        declared = sum(statuses.values())
        read = next(t for t in report.coverage.tables if t.table == table_id)
        assert declared == read.declared
        assert declared - statuses[CellStatus.MISSING] == read.present
        assert (
            statuses[CellStatus.OK]
            + statuses[CellStatus.INFERRED]
            + statuses[CellStatus.BLANK]
        ) == read.decided
    assert report.coverage.declared == sum(t.declared for t in report.coverage.tables)


def test_a_mostly_unread_table_is_an_error() -> None:
    """seed 004's 二（八） prints one number for two cells (golden case: '?', '?'): table.unread."""
    report = govdisclosure.load_file(DATA / "seeds" / "004_c493ddf6db4f273e.txt")

    unread = [f for f in report.findings if f.code == "table.unread"]

    assert ["t2_8"] == [f.message.split("(")[1].split(")")[0] for f in unread]
    assert all(f.severity is govdisclosure.Severity.ERROR for f in unread)
    fees = next(t for t in report.coverage.tables if t.table == "t2_8")
    assert (2, 2, 0, 0.0) == (fees.declared, fees.present, fees.decided, fees.share)


def test_a_missing_table_is_an_error() -> None:
    """The handwritten 2021 report with section 四 cut off: t4 is table.missing."""
    text = (DATA / "handwritten" / "gov2021-pipe.txt").read_text("utf-8")
    cut = text[: text.index("四、")] + text[text.index("五、") :]

    report = govdisclosure.load(cut, spec="gov-2021")

    missing = [f for f in report.findings if f.code == "table.missing"]
    assert ["t4"] == [f.message.split("(")[1].split(")")[0] for f in missing]
    assert govdisclosure.Severity.ERROR is missing[0].severity
    assert 15 == len(missing[0].missing_cells)


def test_a_fully_read_report_has_no_table_finding_and_full_coverage() -> None:
    """The handwritten 2021 report, every cell typed: coverage 1.0, no table.* finding."""
    report = govdisclosure.load_file(DATA / "handwritten" / "gov2021-pipe.txt")

    assert 1.0 == report.coverage.share
    assert report.coverage.complete
    assert not [f for f in report.findings if f.code.startswith("table.")]


def test_coverage_travels_in_json() -> None:
    """to_dict writes coverage; from_dict reads it back, and an older dict without it."""
    report = govdisclosure.load_file(DATA / "seeds" / "004_c493ddf6db4f273e.txt")
    data = report.to_dict()

    assert data["coverage"]["declared"] == report.coverage.declared
    assert report == Report.from_dict(data)
    data.pop("coverage")
    assert report == Report.from_dict(data)


# ---- the spec language ---------------------------------------------------------

TABLE_LESS = """\
schema: 1
id: tiny-2008
version: 1
title: t
source: s
sections:
  - {id: a, number: 一, title: 概述}
tables: []
narrative:
  - id: FACT
    patterns: ['主动公开政府信息(?P<value>\\d+)条']
"""


def test_a_fact_without_cells_needs_a_key_for_an_id() -> None:
    """Its id is the figure's only name, so it must be a key."""
    with pytest.raises(SpecError) as info:
        parse_spec(TABLE_LESS, source="tiny.yaml")

    assert "narrative fact 'FACT' names no cells, so its id is its key" in str(
        info.value
    )
    spec = parse_spec(TABLE_LESS.replace("FACT", "proactive_published"))
    assert () == spec.tables
    assert () == spec.narrative[0].cells


def test_a_spec_with_neither_tables_nor_sections_is_refused() -> None:
    """Nothing would tell its reports from others."""
    text = TABLE_LESS.replace("FACT", "x").replace(
        "sections:\n  - {id: a, number: 一, title: 概述}\n", "sections: []\n"
    )

    with pytest.raises(SpecError, match="neither tables nor sections"):
        parse_spec(text)


def test_a_fact_without_cells_is_listed_never_checked_nor_used() -> None:
    """In a spec with tables, a stated figure changes no cell and raises no finding."""
    seed = (DATA / "seeds" / "000_3691493a38efce86.txt").read_text("utf-8")
    base = govdisclosure.load(seed, spec="gov-2019")
    raw = (Path(__file__).parent.parent / "specs" / "gov-2019.yaml").read_text("utf-8")
    extra = (
        "narrative:\n  - id: any_figure\n    unit: 件\n"
        "    patterns: ['(?P<value>\\d+)件']\n"
    )
    spec = parse_spec(
        raw.replace("id: gov-2019", "id: gov-2019-x").replace("narrative:\n", extra, 1)
    )

    report = govdisclosure.load(seed, spec=spec)

    assert base.tables == report.tables
    stated = [f for f in report.facts if f.id == "any_figure"]
    assert stated
    assert all(f.cells == () and f.unit == "件" for f in stated)
    assert not [f for f in report.findings if f.rule == "any_figure"]
