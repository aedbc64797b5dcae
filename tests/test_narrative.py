"""Figures in the prose: found with their sentence, checked, used only where the table leaves a choice."""

from __future__ import annotations

from pathlib import Path

import pytest

import govdisclosure
from govdisclosure import CellStatus, SpecError
from govdisclosure.spec.loader import parse_spec
from govdisclosure.spec.registry import bundled_spec_dir, default_registry

DATA = Path(__file__).parent / "data"
PIPE_2021 = (DATA / "handwritten" / "gov2021-pipe.txt").read_text(encoding="utf-8")
PINGTAN_2017 = (DATA / "corpus" / "pingtan-2017.txt").read_text(encoding="utf-8")
PINGTAN_2021 = (DATA / "corpus" / "pingtan-2021.txt").read_text(encoding="utf-8")
SECTION_1 = "2021年，我局认真贯彻落实《条例》，全年主动公开政府信息326条。"


def _with_sentence(text: str, sentence: str) -> str:
    assert SECTION_1 in text
    return text.replace(SECTION_1, SECTION_1 + sentence)


def test_a_figure_the_table_contradicts_is_a_finding() -> None:
    # the table's 一、本年新收 总计 is 48 (gov2021-pipe.txt, typed by hand)
    sentence = "本年度共收到50件申请，办结47件。"
    text = _with_sentence(PIPE_2021, sentence)

    report = govdisclosure.load(text)

    [finding] = [f for f in report.findings if f.code == "narrative.disagrees"]
    assert govdisclosure.Severity.WARNING is finding.severity
    assert (50, 48) == (finding.expected, finding.actual)
    assert ("t3.new_requests.total",) == finding.cells
    assert "N1" == finding.rule
    assert "共收到50件申请" in finding.message
    assert "= 48" in finding.message
    assert finding.span is not None
    assert text[finding.span.start : finding.span.end].startswith(
        "本年度共收到50件申请"
    )
    # 办结47件 agrees with the table (（七）总计 47): no finding for it
    assert {"N1": 50, "N2": 47} == {f.id: f.value for f in report.facts}


def test_a_figure_that_agrees_changes_nothing() -> None:
    before = govdisclosure.load(PIPE_2021)
    after = govdisclosure.load(_with_sentence(PIPE_2021, "本年度共收到48件申请。"))

    assert [] == [f for f in after.findings if f.code.startswith("narrative")]
    assert [(c.key, c.status, c.value) for c in before.cells] == [
        (c.key, c.status, c.value) for c in after.cells
    ]


def test_prose_never_overrides_what_the_equations_decide() -> None:
    """pingtan-2021's glued 三 is decided by its equations (70 new requests); a wrong sentence is reported, not obeyed."""
    marker = "本年度全区共收到70件申请"
    assert marker in PINGTAN_2021
    before = govdisclosure.load(PINGTAN_2021)
    after = govdisclosure.load(PINGTAN_2021.replace(marker, "本年度全区共收到71件申请"))

    assert [(c.key, c.status, c.value) for c in before.cells] == [
        (c.key, c.status, c.value) for c in after.cells
    ]
    assert 70 == after.table("t3").cell("new_requests", "total").value
    [finding] = [f for f in after.findings if f.code == "narrative.disagrees"]
    assert (71, 70) == (finding.expected, finding.actual)


def test_a_figure_stated_twice_differently_decides_nothing() -> None:
    marker = "2017年全区主动公开政府信息2122条。"
    assert marker in PINGTAN_2017
    text = PINGTAN_2017.replace(marker, marker + "2017年全区主动公开政府信息2123条。")

    row = govdisclosure.load(text).table("stats").grid()[0]

    assert {CellStatus.AMBIGUOUS} == {c.status for c in row}


def test_a_sentence_that_contradicts_every_reading_is_reported_and_leaves_the_row_flagged() -> (
    None
):
    """No cut of 212210037 starts with 2123: the figure cannot narrow, and the row stays ambiguous."""
    marker = "2017年全区主动公开政府信息2122条"
    text = PINGTAN_2017.replace(marker, "2017年全区主动公开政府信息2123条")

    report = govdisclosure.load(text)

    row = report.table("stats").grid()[0]
    assert {CellStatus.AMBIGUOUS} == {c.status for c in row}
    assert [("N1", 2123)] == [(f.id, f.value) for f in report.facts]


@pytest.mark.parametrize(
    ("fact", "problem"),
    [
        (
            "{id: X, cells: [t3.nope.total], patterns: ['收到(?P<value>\\d+)件']}",
            "'t3.nope.total' is not a cell",
        ),
        (
            "{id: X, cells: [t3.new_requests.total], patterns: ['收到(\\d+)件']}",
            "has no group 'value'",
        ),
        (
            "{id: X, cells: [t3.new_requests.total, t4.cases.review_total], patterns: ['(?P<value>\\d+)']}",
            "names cells of several tables",
        ),
    ],
)
def test_spec_problems_in_narrative_facts_are_named(fact: str, problem: str) -> None:
    text = (bundled_spec_dir() / "gov-2021.yaml").read_text(encoding="utf-8")
    text = text.replace("narrative:\n", f"narrative:\n  - {fact}\n", 1)

    with pytest.raises(SpecError) as info:
        parse_spec(
            text,
            source="gov-2021-test.yaml",
            parents=default_registry().raw_specs(),
        )

    assert problem in str(info.value)


@pytest.mark.parametrize(("stated", "findings"), [(85, 0), (90, 1)])
def test_a_check_only_fact_is_compared(stated: int, findings: int) -> None:
    """N14 (现行有效 规范性文件, `resolve: false`): the table says 85 (gov2021-pipe.txt)."""
    text = _with_sentence(PIPE_2021, f"集中公开现行有效行政规范性文件{stated}件。")

    report = govdisclosure.load(text)

    assert [("N14", stated)] == [(f.id, f.value) for f in report.facts]
    assert findings == sum(f.code == "narrative.disagrees" for f in report.findings)


def test_a_run_without_sentence_ends_is_not_prose() -> None:
    """Past MAX_SENTENCE characters without 。；！？ it is no sentence: nothing is read from it."""
    filler = "各项工作有序推进" * 40  # 320 characters, no sentence end
    text = _with_sentence(PIPE_2021, f"{filler}本年度共收到50件申请")

    assert () == govdisclosure.load(text).facts
