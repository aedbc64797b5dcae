"""Tests for `locate_sections`: headings found in order, wherever lines break."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import govdisclosure
from govdisclosure.pipeline.normalize import Line, normalize_text
from govdisclosure.pipeline.sections import (
    _heading_number,
    _LineKeys,
    _variants,
    locate_sections,
)
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


# ---- headings as crawled pages print them (real reports 03, 07, 08, 09) ------------
# Small texts in the style of the real reports; every expected value is read
# off the text by hand.

T2_GLUED = (
    "第二十条第（一）项信息内容本年新制作数量本年新公开数量对外公开总数量规章000"
    "第二十条第（九）项信息内容采购项目数量采购总金额政府集中采购304948.3955万元"
)
T3_GLUED = (
    "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）申请人情况"
    "自然人法人或其他组织总计商业企业科研机构社会公益组织法律服务机构其他"
    "一、本年新收政府信息公开申请数量22（七）总计22"
)
T3_PIPES = (
    "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和） | 申请人情况\n"
    "自然人 | 法人或其他组织 | 总计\n"
    "商业企业 | 科研机构 | 社会公益组织 | 法律服务机构 | 其他\n"
    "一、本年新收政府信息公开申请数量 | 3 | 1 | 0 | 0 | 0 | 0 | 4\n"
)
T2_PIPES = (
    "第二十条第（一）项\n"
    "信息内容 | 本年新制作数量 | 本年新公开数量 | 对外公开总数量\n"
    "规章 | 0 | 0 | 0\n"
    "规范性文件 | 2 | 5 | 31\n"
)


def _bodies(text: str, spec: Spec) -> dict[str, tuple[str, str]]:
    """Each located section's heading and body text."""
    return {
        s.id: (s.heading, s.text)
        for s in locate_sections(normalize_text(text), spec).as_model()
    }


def _codes(report: govdisclosure.Report) -> list[str]:
    return [f.code for f in report.findings if f.code.startswith(("section", "token"))]


def test_a_heading_glued_after_a_han_character_is_found(spec2019: Spec) -> None:
    """``…服务水平二、主动公开…``: the body after it is the section's table."""
    text = (
        "一、总体情况本厅全年主动公开政府信息766条，切实提升了服务水平"
        f"二、主动公开政府信息情况{T2_GLUED}"
    )

    bodies = _bodies(text, spec2019)
    report = govdisclosure.load(text, spec=spec2019)

    assert "本厅全年主动公开政府信息766条,切实提升了服务水平" == bodies["s1"][1]
    assert "二、主动公开政府信息情况" == bodies["s2"][0]
    assert bodies["s2"][1].startswith("第二十条第(一)项")
    rules = {c.column_key: c.value for c in report.cells if c.row_key == "rules"}
    assert {"new_made": 0, "new_published": 0, "total_published": 0} == rules
    assert "token.in_prose" not in _codes(report)


def test_a_heading_glued_after_a_unit_is_found(spec2019: Spec) -> None:
    """``…304948.3955万元三、收到和处理…`` (real 03): 二 stops at the unit."""
    text = f"二、主动公开政府信息情况{T2_GLUED}三、收到和处理政府信息公开申请情况{T3_GLUED}"

    bodies = _bodies(text, spec2019)
    report = govdisclosure.load(text, spec=spec2019)

    assert bodies["s2"][1].endswith("政府集中采购304948.3955万元")
    assert "三、收到和处理政府信息公开申请情况" == bodies["s3"][0]
    assert bodies["s3"][1].startswith("(本列数据的勾稽关系为")
    assert "token.in_prose" not in _codes(report)


def test_a_heading_glued_after_another_heading_is_found(spec2019: Spec) -> None:
    """``四、结转下年度继续办理四、政府信息公开…`` (real 03, 09): the first is a row
    label of 三, the second the heading of 四, whose body is a sentence."""
    text = (
        f"三、收到和处理政府信息公开申请情况{T3_GLUED}四、结转下年度继续办理"
        "四、政府信息公开行政复议、行政诉讼情况"
        "2019年本厅未发生涉及政府信息公开的行政复议、行政诉讼案件。"
        "五、存在的主要问题及改进情况认识不足，重视不够。"
    )

    bodies = _bodies(text, spec2019)

    assert bodies["s3"][1].endswith("(七)总计22四、结转下年度继续办理")
    assert (
        "四、政府信息公开行政复议、行政诉讼情况",
        "2019年本厅未发生涉及政府信息公开的行政复议、行政诉讼案件。",
    ) == bodies["s4"]
    assert "认识不足,重视不够。" == bodies["s5"][1]


def test_a_heading_after_full_width_spaces_is_found(spec2019: Spec) -> None:
    """``…万元　　三、收到和处理…　　2020年未收到…`` (real 08): a table section
    whose body is a sentence, after full-width spaces that fold away."""
    text = (
        "\u3000\u3000二、主动公开政府信息情况第二十条第（一）项信息内容本年度新制作数量"
        "本年新公开数量对外公开总数量规章000\u3000\u3000"
        "三、收到和处理政府信息公开申请情况\u3000\u30002020年未收到政府信息公开申请。"
        "\u3000\u3000四、政府信息公开行政复议、行政诉讼情况\u3000\u3000"
        "2020年未发生涉及政府信息公开的行政复议、行政诉讼案件。"
    )

    bodies = _bodies(text, spec2019)
    report = govdisclosure.load(text, spec=spec2019)

    assert ["s2", "s3", "s4"] == list(bodies)
    assert bodies["s2"][1].endswith("规章000")
    assert "2020年未收到政府信息公开申请。" == bodies["s3"][1]
    # the sentences of 三 and 四 hold the only numbers not read as cells
    in_prose = [f.message for f in report.findings if f.code == "token.in_prose"]
    assert 2 == len(in_prose)
    assert all("'2020'" in m for m in in_prose)
    assert {0} == {c.value for c in report.cells if c.row_key == "rules"}


def test_a_table_without_a_heading_is_located_by_its_labels() -> None:
    """A 2014 statistics table published alone (real 07): no title, the page starts
    at its header row 统计指标 / 单位 / 统计数, one cell per line."""
    from govdisclosure.spec.registry import default_registry

    spec = default_registry().get("gov-2014-statistics")
    text = (
        "\r\r\r\r统计指标\r单位\r统计数\r\r\r一、主动公开情况\r\r\r"
        "（一）主动公开政府信息数\r（不同渠道和方式公开相同信息计1条)\r条\r1683\r\r\r"
        "其中：主动公开规范性文件数\r条\r4\r\r\r制发规范性文件总数\r件\r3\r\r\r"
    )

    report = govdisclosure.load(text, spec=spec)

    cells = {c.row_key: (c.value, c.status.value) for c in report.cells}
    assert (1683, "ok") == cells["proactive_total"]
    assert (4, "ok") == cells["proactive_normative"]
    assert (3, "ok") == cells["normative_issued"]
    (found,) = [f for f in report.findings if f.code.startswith("section.")]
    assert ("section.located_by_table", "info") == (found.code, found.severity.value)
    assert "(统计指标, 单位, 统计数)" in found.message


def test_a_reworded_heading_is_found_by_its_alias_or_its_table(spec2019: Spec) -> None:
    """``一、基本情况`` and ``五、存在的主要问题及整改措施`` are aliases; ``三、依申请公开情况``
    is none, so 三's table is located by its header row."""
    text = (
        "一、基本情况\n本厅全年主动公开政府信息766条。\n"
        f"二、主动公开政府信息情况\n{T2_PIPES}"
        f"三、依申请公开情况\n{T3_PIPES}"
        "五、存在的主要问题及整改措施\n认识不足。\n"
    )

    sections = locate_sections(normalize_text(text), spec2019)
    report = govdisclosure.load(text, spec=spec2019)

    assert [("s1", 0), ("s2", 2), ("s3", 8), ("s5", 12)] == [
        (s.spec.id, s.start[0]) for s in sections.spans
    ]
    new = {
        c.column_key: c.value
        for c in report.cells
        if c.table == "t3" and c.row_key == "new_requests"
    }
    assert {"natural_person": 3, "commercial": 1, "total": 4} == {
        k: v for k, v in new.items() if v
    }
    assert ["section.located_by_table", "section.missing", "section.missing"] == [
        f.code for f in sections.findings
    ]


def test_a_report_numbering_its_sections_its_own_way(spec2019: Spec) -> None:
    """A narrative 一…三, then the tables under 一、二: the tables are found by title
    in spec order, each with a ``section.renumbered`` finding."""
    text = (
        "一、概述\n本年度本厅认真贯彻《条例》。\n"
        "二、主动公开政府信息情况\n本厅全年主动公开政府信息766条。\n"
        "三、存在的问题及改进措施\n认识不足。\n"
        f"一、主动公开政府信息情况\n{T2_PIPES}"
        f"二、收到和处理政府信息公开申请情况\n{T3_PIPES}"
    )

    sections = locate_sections(normalize_text(text), spec2019)
    report = govdisclosure.load(text, spec=spec2019)

    assert [("s2", 6), ("s3", 11)] == [
        (s.spec.id, s.heading[0]) for s in sections.spans
    ]
    documents = {
        c.column_key: c.value
        for c in report.cells
        if c.row_key == "normative_documents"
    }
    assert {"new_made": 2, "new_published": 5, "total_published": 31} == documents
    renumbered = [
        f.message for f in sections.findings if f.code == "section.renumbered"
    ]
    assert [
        "section 二、主动公开政府信息情况 is numbered 一 in the report",
        "section 三、收到和处理政府信息公开申请情况 is numbered 二 in the report",
    ] == renumbered


def test_a_heading_string_inside_a_sentence_cuts_no_section(spec2019: Spec) -> None:
    """Quoted (``按照“二、…”的要求``), listed (``包括一、…、二、…``) or merely
    mentioned before the table (``在二、…中``), a title in prose is no heading."""
    text = (
        "一、总体情况本厅按照“二、主动公开政府信息情况”的要求做好公开工作。"
        "本报告包括一、总体情况、二、主动公开政府信息情况、三、收到和处理政府信息公开申请情况等部分。"
        "在二、主动公开政府信息情况中列出了本年度数据。"
        f"二、主动公开政府信息情况{T2_GLUED}"
    )

    bodies = _bodies(text, spec2019)

    assert ["s1", "s2"] == list(bodies)
    assert bodies["s1"][1].endswith("在二、主动公开政府信息情况中列出了本年度数据。")
    assert bodies["s2"][1].startswith("第二十条第(一)项")


def test_a_bracketed_sub_heading_is_no_section(spec2019: Spec) -> None:
    """Seed 004's sub-headings of 一 use the bracketed form followed by prose;
    even one that fills its line loses to the heading followed by 二's table."""
    text = (
        "一、总体情况\n（二）主动公开政府信息情况。本局全年公开信息。\n"
        "（二）主动公开政府信息情况\n本局全年主动公开信息766条。\n"
        f"二、主动公开政府信息情况\n{T2_PIPES}"
    )

    sections = locate_sections(normalize_text(text), spec2019)

    assert [("s1", 0), ("s2", 4)] == [(s.spec.id, s.heading[0]) for s in sections.spans]


@pytest.mark.parametrize(
    ("run", "expected", "number_first", "number"),
    [
        ("二", "二", True, "二"),
        ("一二", "二", True, "二"),  # 统一二、…: 一 ends the word before
        ("一二", "三", True, "二"),  # renumbered: the longest numeral the run ends with
        ("十二", "三", True, "十二"),
        ("一一", "二", False, None),  # 第一一部分 is no number
        ("十", "三", False, "十"),
    ],
)
def test_the_number_of_a_heading(
    run: str, expected: str, number_first: bool, number: str | None
) -> None:
    assert number == _heading_number(run, expected, number_first)


# ---- sections whose number and order vary (number: null, order: any, required: false) --

PROSE_SPEC = """
schema: 1
id: prose-order
version: 1
title: t
source: s
tables: []
sections:
  - {id: overview, number: null, title: 概述}
  - {id: proactive, number: null, title: 主动公开政府信息情况}
  - {id: extra, number: null, title: 建议提案办理结果公开情况, required: false}
  - {id: fees, number: null, order: any, title: 收费及减免情况, aliases: [依申请收费及减免情况]}
  - {id: appeals, number: null, order: any, title: 行政复议、行政诉讼情况}
  - {id: problems, number: null, title: 存在的问题及改进措施}
"""


def test_a_heading_without_a_fixed_number_takes_any_and_is_not_renumbered() -> None:
    """``number: null``: 二、 or 三、 before the title is the same section, with no finding."""
    spec = parse_spec(PROSE_SPEC)
    text = (
        "一、概述本厅认真贯彻《条例》。"
        "三、主动公开政府信息情况全年主动公开政府信息766条。"
        "四、收费及减免情况未收取费用。五、行政复议、行政诉讼情况无。"
        "六、存在的问题及改进措施认识不足。"
    )

    sections = locate_sections(normalize_text(text), spec)

    assert ["overview", "proactive", "fees", "appeals", "problems"] == [
        s.spec.id for s in sections.spans
    ]
    assert [] == [f.code for f in sections.findings]


def test_sections_in_any_order_are_each_found_with_their_own_text() -> None:
    """``order: any``: 复议 printed before 收费 (real report 01) is found, and each
    heading ends the section before it, whatever the listed order."""
    spec = parse_spec(PROSE_SPEC)
    text = (
        "一、概述\n本厅认真贯彻《条例》。\n"
        "二、主动公开政府信息情况\n全年主动公开政府信息766条。\n"
        "三、行政复议、行政诉讼情况\n受理政府信息公开行政复议1件。\n"
        "四、依申请收费及减免情况\n未收取费用。\n"
        "五、存在的问题及改进措施\n认识不足。\n"
    )

    bodies = _bodies(text, spec)

    assert ["overview", "proactive", "appeals", "fees", "problems"] == list(bodies)
    assert ("三、行政复议、行政诉讼情况", "受理政府信息公开行政复议1件。") == bodies[
        "appeals"
    ]
    assert ("四、依申请收费及减免情况", "未收取费用。") == bodies["fees"]
    assert "全年主动公开政府信息766条。" == bodies["proactive"][1]


def test_a_section_in_any_order_is_no_heading_inside_a_sentence() -> None:
    """Searched in the whole report, an ``order: any`` title quoted or listed in
    prose still cuts nothing: the heading is the one followed by the section's text."""
    spec = parse_spec(PROSE_SPEC)
    text = (
        "一、概述本报告按照“四、收费及减免情况”的要求编写，"
        "包括五、行政复议、行政诉讼情况、六、存在的问题及改进措施等部分。"
        "二、主动公开政府信息情况全年主动公开766条。"
        "四、收费及减免情况未收取费用。"
    )

    bodies = _bodies(text, spec)

    assert ["overview", "proactive", "fees"] == list(bodies)
    assert bodies["overview"][1].endswith("等部分。")
    assert "未收取费用。" == bodies["fees"][1]


def test_a_missing_section_is_named_by_its_title_and_an_optional_one_is_not_reported() -> (
    None
):
    """A required section without a fixed number reads ``section 收费及减免情况``;
    an optional section (``required: false``) that the report leaves out is no finding."""
    spec = parse_spec(PROSE_SPEC)
    text = "一、概述本厅。二、主动公开政府信息情况766条。三、存在的问题及改进措施不足。"

    sections = locate_sections(normalize_text(text), spec)

    assert [
        ("section.missing", "section 收费及减免情况 was not found"),
        ("section.missing", "section 行政复议、行政诉讼情况 was not found"),
    ] == [(f.code, f.message) for f in sections.findings]


def test_an_optional_section_keeps_its_prose_out_of_the_section_before() -> None:
    spec = parse_spec(PROSE_SPEC)
    text = (
        "一、概述本厅。二、主动公开政府信息情况公开766条。"
        "三、建议提案办理结果公开情况公开办理结果114件。四、收费及减免情况无。"
    )

    bodies = _bodies(text, spec)

    assert "公开766条。" == bodies["proactive"][1]
    assert "公开办理结果114件。" == bodies["extra"][1]


REAL = Path(__file__).parents[1] / "data" / "real"


# Real report 01 (河北省科学技术厅 2015) prints 四、行政复议、行政诉讼情况 before
# 五、收费及减免情况; the texts below are copied from tests/data/real/01-hebei-kjt-2015.txt.
def test_report_01_has_its_appeals_section_before_its_fees_section() -> None:
    report = govdisclosure.load_file(REAL / "01-hebei-kjt-2015.txt")

    sections = {s.id: s for s in report.sections}

    assert "gov-2008" == report.format
    assert ["overview", "proactive", "on_request", "appeals", "fees", "problems"] == [
        s.id for s in report.sections
    ]
    assert "四、行政复议、行政诉讼情况" == sections["appeals"].heading
    assert sections["appeals"].text.startswith(
        "本年度我厅首次受理政府信息公开行政复议1件"
    )
    assert "2015年,我厅未收取和减免任何与政府信息公开相关的费用。" == (
        sections["fees"].text
    )
    assert sections["on_request"].text.endswith("不属于本行政机关的1件。")
    assert not [f for f in report.findings if f.code.startswith("section.")]


#: Each narrative report's section headings in the order it prints them, read from
#: the text by hand, with the id of the gov-2008 section each one is.
NARRATIVE_SECTIONS = {
    "01-hebei-kjt-2015": [
        ("overview", "一、概述"),
        ("proactive", "二、主动公开政府信息情况"),
        ("on_request", "三、依申请公开政府信息情况"),
        ("appeals", "四、行政复议、行政诉讼情况"),
        ("fees", "五、收费及减免情况"),
        ("problems", "六、存在的问题及改进措施"),
    ],
    "02-hebei-jyt-2018": [
        ("overview", "一、概述"),
        ("proactive", "二、主动公开政府信息情况"),
        ("on_request", "三、依申请公开政府信息情况"),
        ("fees", "四、依申请收费及减免情况"),
        ("appeals", "五、政府信息公开复议、诉讼情况"),
        ("problems", "六、存在的主要问题及改进措施"),
    ],
    "13-hebei-jyt-2014": [
        ("overview", "一、概述"),
        ("proactive", "二、主动公开政府信息情况"),
        ("on_request", "三、依申请公开政府信息情况"),
        ("fees", "四、依申请收费及减免情况"),
        ("appeals", "五、政府信息公开复议、诉讼情况"),
        ("problems", "六、存在的主要问题"),
    ],
    # its own scheme: 三, 五 and 六 answer no item of 第三十二条, and it has no 收费,
    # 复议 or 问题 section
    "14-hebei-rst-2018": [
        ("overview", "一、围绕建设法治人社全面推进政务公开"),
        ("proactive", "二、加大就业社保人才重点领域主动公开"),
        ("interpretation", "三、围绕社会重大关切加强政策解读舆情回应"),
        ("on_request", "四、依法实施政府信息依申请公开"),
        ("reform", "五、全面深化“放管服”改革推进作风建设"),
        ("leadership", "六、落实制度要求加强政务公开工作领导"),
    ],
    "15-cnipa-2015": [
        ("overview", "一、 总体情况"),
        ("proactive", "二、主动公开情况"),
        ("on_request", "三、依申请信息公开情况"),
        ("fees", "四、政府信息公开的收费及减免情况"),
        ("appeals", "五、申请行政复议、提起行政诉讼的情况"),
        ("problems", "六、存在不足及努力方向"),
    ],
    "16-cnipa-2016": [
        ("overview", "一、总体情况"),
        ("proactive", "二、主动公开政府信息情况"),
        ("proposals", "三、人大代表建议和政协委员提案办理结果公开情况"),
        ("on_request", "四、依申请信息公开情况"),
        ("fees", "五、政府信息公开的收费及减免情况"),
        ("appeals", "六、申请行政复议、提起行政诉讼的情况"),
        ("problems", "七、存在问题"),
        ("next_steps", "八、下一步的主要工作"),
    ],
    "17-cnipa-2017": [
        ("overview", "一、总体情况"),
        ("proactive", "二、主动公开政府信息情况"),
        ("proposals", "三、全国人大代表建议和政协委员提案办理结果公开情况"),
        ("on_request", "四、依申请信息公开情况"),
        ("fees", "五、政府信息公开的收费及减免情况"),
        ("appeals", "六、申请行政复议、提起行政诉讼的情况"),
        ("problems", "七、存在问题及下一步努力方向"),
    ],
}


@pytest.mark.parametrize("name", sorted(NARRATIVE_SECTIONS))
def test_each_narrative_report_reads_its_sections(name: str) -> None:
    """Every heading of the seven reports without a table is its section's, in the
    report's order, and each body stops at the next heading."""
    report = govdisclosure.load_file(REAL / f"{name}.txt")

    assert NARRATIVE_SECTIONS[name] == [(s.id, s.heading) for s in report.sections]
    for section in report.sections:
        assert section.text
        assert not any(h in section.text for _, h in NARRATIVE_SECTIONS[name])


def _pieces_line_by_line(
    lines: tuple[Line, ...], start: tuple[int, int], stop: tuple[int, int]
) -> list[tuple[Line, int, int]]:
    """The pieces as `sections._pieces` walked them, one line at a time."""
    out = []
    for i in range(start[0], min(stop[0], len(lines) - 1) + 1):
        a = start[1] if i == start[0] else 0
        b = stop[1] if i == stop[0] else len(lines[i].text)
        if a < b:
            out.append((lines[i], a, b))
    return out


@given(
    st.lists(
        st.sampled_from(["", " ", "规章", "| 1 | 2 |", "二、主动公开"]), max_size=6
    ),
    st.data(),
)
def test_pieces_are_the_line_by_line_walk(
    texts: list[str], data: st.DataObject
) -> None:
    """`_pieces` takes the whole lines between the first and the last in one
    comprehension: the same pieces as the walk line by line, empty ones left
    out, wherever the start and stop fall (past a line's end, or past the
    text's, included)."""
    from govdisclosure.pipeline.sections import _pieces

    lines = normalize_text("\n".join(["x", *texts])).lines
    first = data.draw(st.integers(0, len(lines)))
    last = data.draw(st.integers(first, len(lines) + 1))
    # columns to 4: a line is at most 9 characters, and the cuts that matter
    # are at and about a line's first characters (a one-character last piece)
    start = (first, data.draw(st.integers(0, 4)))
    stop = (last, data.draw(st.integers(0, 4)))

    assert _pieces(lines, start, stop) == _pieces_line_by_line(lines, start, stop)
