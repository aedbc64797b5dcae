"""Tests for `locate_sections`: headings found in order, wherever lines break."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from govdisclosure.pipeline.normalize import normalize_text
from govdisclosure.pipeline.sections import _LineKeys, locate_sections
from govdisclosure.spec.model import Spec

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
