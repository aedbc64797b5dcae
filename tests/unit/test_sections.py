"""Tests for `locate_sections`: headings found in order, wherever lines break."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import govdisclosure
from govdisclosure.pipeline.normalize import normalize_text
from govdisclosure.pipeline.sections import _LineKeys, _variants, locate_sections
from govdisclosure.spec.loader import parse_spec
from govdisclosure.spec.model import DEFAULT_HEADING_FORMS, Spec

HEADINGS = [
    "一、总体情况",
    "二、主动公开政府信息情况",
    "（二）主动公开",
    "三、收到和处理政府信息公开申请情况",
]


def test_headings_are_found_in_order(spec2019: Spec) -> None:
    text = "某局2019年报告\n\n一、总体情况\n本年度……\n\n二、主动公开政府信息情况\n| 规章 | 1 |\n"

    sections = locate_sections(normalize_text(text), spec2019)

    assert ["s1", "s2"] == [s.spec.id for s in sections.spans]
    # headings at the start of lines 2 and 5; bodies right after them
    assert [(2, 0), (5, 0)] == [s.heading for s in sections.spans]
    assert [(2, 6), (5, 12)] == [s.start for s in sections.spans]
    assert (5, 0) == sections.spans[0].stop


@settings(max_examples=200, deadline=None)
@given(
    lines=st.lists(
        st.one_of(
            st.sampled_from(HEADINGS),
            st.sampled_from(["", "正文", "1 | 2", "主动公开"]),
        ),
        min_size=1,
        max_size=12,
    ),
    start=st.integers(min_value=0, max_value=12),
)
def test_the_first_candidate_line_skips_only_lines_without_a_heading(
    lines: list[str], start: int
) -> None:
    """No line before the first candidate holds a heading form; a whole-line form needs its whole line."""
    normalized = normalize_text("\n".join(["x", *lines]))
    keys = _LineKeys(normalized)
    variants = [("二.主动公开政府信息情况", False), ("(二)主动公开", True)]
    start = min(start, len(keys.keys))

    first = keys.first_candidate(variants, start)

    def holds(key: str) -> bool:
        return any(key == v if whole else v in key for v, whole in variants)

    assert not any(holds(k) for k in keys.keys[start:first])
    assert first == len(keys.keys) or holds(keys.keys[first])


# A small spec whose reports do not print national headings; `heading_forms`
# is added per case. The body text after each heading is the same throughout.
HEADED = """\
schema: 1
id: headed
version: 1
title: t
source: s
sections:
  - {id: s1, number: 一, title: 总体情况}
  - {id: s2, number: 二, title: 主动公开政府信息情况}
  - {id: s3, number: 三, title: 其他需要报告的事项}
tables:
  - id: t2
    name: 二
    section: s2
    labels: [信息内容]
    columns:
      - {key: issued, label: 本年制发件数}
      - {key: in_force, label: 现行有效件数}
    rows:
      - {key: rules, label: 规章}
      - {key: documents, label: 规范性文件}
"""
TABLE = "信息内容 | 本年制发件数 | 现行有效件数\n规章 | 2 | 7\n规范性文件 | 5 | 40\n"
TITLE = "某局2023年政府信息公开工作年度报告\n"
# (heading_forms, report, the lines of its headings): bracketed headings with their text glued after them
# on the same line, and headings numbered as parts.
HEADING_CASES = {
    "bracketed": (
        "heading_forms:\n  - {form: '（{number}）{title}'}\n",
        f"{TITLE}（一）总体情况。本年度，本局认真贯彻《条例》。\n"
        f"（二）主动公开政府信息情况。情况如下：\n{TABLE}"
        "（三）其他需要报告的事项。无。\n",
        [1, 2, 6],
    ),
    "parts": (
        "heading_forms:\n  - {form: '第{number}部分 {title}', whole_line: true}\n",
        f"{TITLE}第一部分 总体情况\n本年度，本局认真贯彻《条例》。\n"
        f"第二部分  主动公开政府信息情况\n{TABLE}第三部分 其他需要报告的事项\n无。\n",
        [1, 3, 7],
    ),
}


@pytest.mark.parametrize("case", sorted(HEADING_CASES))
def test_declared_heading_forms_find_the_sections(case: str) -> None:
    """A spec that declares its heading forms finds its sections and their tables."""
    forms, text, heading_lines = HEADING_CASES[case]
    spec = parse_spec(HEADED + forms)

    sections = locate_sections(normalize_text(text), spec)
    report = govdisclosure.load(text, spec=spec)

    assert ["s1", "s2", "s3"] == [s.spec.id for s in sections.spans]
    assert heading_lines == [s.heading[0] for s in sections.spans]
    assert {
        ("rules", "issued"): 2,
        ("rules", "in_force"): 7,
        ("documents", "issued"): 5,
        ("documents", "in_force"): 40,
    } == {(c.row_key, c.column_key): c.value for c in report.cells}
    assert {"ok"} == {c.status.value for c in report.cells}


@pytest.mark.parametrize("case", sorted(HEADING_CASES))
def test_under_the_default_forms_only_the_table_is_found_by_its_labels(
    case: str,
) -> None:
    """The same reports under the default forms (二、…, whole-line （二）…) find no heading;
    the table section is located by its header row, and its cells are read."""
    _, text, heading_lines = HEADING_CASES[case]
    spec = parse_spec(HEADED)

    sections = locate_sections(normalize_text(text), spec)
    report = govdisclosure.load(text, spec=spec)

    # the section starts at the table's header row, the line after its heading
    assert [("s2", heading_lines[1] + 1)] == [
        (s.spec.id, s.start[0]) for s in sections.spans
    ]
    assert sections.spans[0].heading == sections.spans[0].start
    assert {5, 7, 2, 40} == {c.value for c in report.cells}
    assert {"ok"} == {c.status.value for c in report.cells}
    assert 2 == sum(f.code == "section.missing" for f in report.findings)
    (located,) = [f for f in report.findings if f.code == "section.located_by_table"]
    assert "信息内容, 本年制发件数, 现行有效件数" in located.message


def test_default_heading_forms_are_the_national_ones() -> None:
    """By default 二、Title may sit inside a line and （二）Title must fill it."""
    spec = parse_spec(HEADED)

    variants = _variants(spec.sections[1], spec.heading_forms)

    assert DEFAULT_HEADING_FORMS == spec.heading_forms
    assert [
        ("二.主动公开政府信息情况", False),
        ("(二)主动公开政府信息情况", True),
    ] == [(_filled(v.pattern, "二"), v.whole) for v in variants]


def test_a_heading_form_is_matched_in_match_form() -> None:
    """The form's text folds like a label: 、 to ., full-width brackets, no spaces."""
    spec = parse_spec(
        HEADED
        + "heading_forms:\n  - {form: '第 {number} 部分：{title}'}\n"
        + "  - {form: '【{number}】{title}', whole_line: true}\n"
    )

    variants = _variants(spec.sections[0], spec.heading_forms)

    assert [("第一部分:总体情况", False), ("【一】总体情况", True)] == [
        (_filled(v.pattern, "一"), v.whole) for v in variants
    ]


def _filled(pattern: re.Pattern[str], number: str) -> str:
    """A heading pattern with its number filled in, back as the text it matches."""
    text = pattern.pattern.replace(r"(?P<number>[一二三四五六七八九十]+)", number)
    return re.sub(r"\\(.)", r"\1", text)
