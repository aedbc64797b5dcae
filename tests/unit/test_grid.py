"""Tests for `build_grid`: cells, labels, values and explicit empties."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from govdisclosure.pipeline.grid import (
    TokenKind,
    _bare_count,
    _Reader,
    _reader,
    _searched_tokens,
    _whole_label,
    build_grid,
)
from govdisclosure.pipeline.normalize import normalize_text
from govdisclosure.pipeline.tokens import LineCell
from govdisclosure.pipeline.values import number_pattern, read_number
from govdisclosure.spec.model import Spec
from govdisclosure.typography import match_key


def _tokens(spec: Spec, text: str, section: str = "s3") -> list[tuple[str, str | None]]:
    lines = normalize_text(text).lines
    grid = build_grid(spec, section, [(line, 0, len(line.text)) for line in lines])
    return [(t.kind.value, t.refs[0].key if t.refs else t.text) for t in grid.tokens]


def test_pipe_row_with_padding(spec2019: Spec) -> None:
    """A pipe row gives its label, values and one EMPTY per empty cell."""
    tokens = _tokens(spec2019, "(六)其他处理 | 0 | 3 | | |")

    assert [
        ("label", "other_handling"),
        ("value", "0"),
        ("value", "3"),
        ("empty", ""),
        ("empty", ""),
    ] == tokens


def test_markdown_outer_pipes_and_separator(spec2019: Spec) -> None:
    """Leading pipe and |---| separators are layout, not cells."""
    tokens = _tokens(spec2019, "| 自然人 | 总计 |\n|---|---|\n| (六)其他处理 | 1 |")

    assert [
        ("label", "natural_person"),
        ("label", "total"),
        ("label", "other_handling"),
        ("value", "1"),
    ] == tokens


def test_glued_label_after_digits(spec2019: Spec) -> None:
    """A row label glued to the previous row's digits is still found."""
    tokens = _tokens(spec2019, "1.属于国家秘密00000002.其他法律行政法规禁止公开1")

    assert [
        ("label", "withheld_state_secret"),
        ("value", "0000000"),
        ("label", "withheld_law_prohibited"),
        ("value", "1"),
    ] == tokens


def test_wrapped_header_is_joined(spec2019: Spec) -> None:
    """本年新 / 制作数量 on two lines (seed 000) is one label."""
    tokens = _tokens(spec2019, "本年新\n制作数量\n本年新\n公开数量", section="s2")

    assert [("label", "new_made"), ("label", "new_published")] == tokens


def test_truncated_header_matches_by_prefix(spec2019: Spec) -> None:
    """A header cut short (seed 001: 本年新) still counts as a header label."""
    lines = normalize_text("本年新 | 本年新 | 对外公开总数量").lines
    grid = build_grid(spec2019, "s2", [(lines[0], 0, len(lines[0].text))])

    assert [TokenKind.LABEL] * 3 == [t.kind for t in grid.tokens]
    assert {"new_made", "new_published"} == {r.key for r in grid.tokens[0].refs}


def test_prose_closes_rows_and_keeps_its_numbers_apart(spec2019: Spec) -> None:
    """A sentence is one TEXT token; its numbers are PROSE, never values."""
    tokens = _tokens(
        spec2019, "本年度共收到申请15件，其中自然人13件，已全部按时办结，无结转。"
    )

    assert ["text", "prose", "prose"] == [kind for kind, _ in tokens]


def test_unknown_text_cell_is_text(spec2019: Spec) -> None:
    """A short cell that matches no label stays TEXT (it closes the current row)."""
    tokens = _tokens(spec2019, "备注栏")

    assert [("text", "备注栏")] == tokens


def test_prefix_of_several_rows_opens_no_row(spec2019: Spec) -> None:
    """行政 could be 行政许可, 行政处罚 or 行政强制: it is no row label."""
    lines = normalize_text("行政\n5").lines
    grid = build_grid(spec2019, "s2", [(line, 0, len(line.text)) for line in lines])

    assert TokenKind.TEXT is grid.tokens[0].kind


def test_prefix_of_one_row_opens_it(spec2019: Spec) -> None:
    """A row label cut short but naming one row still opens that row."""
    lines = normalize_text("其他对外管理\n5").lines
    grid = build_grid(spec2019, "s2", [(line, 0, len(line.text)) for line in lines])

    assert [("row", "other_management_services")] == [
        (r.role, r.key) for r in grid.tokens[0].refs
    ]


def test_ignored_text_glued_to_labels_is_blanked() -> None:
    """A data-free period glued into a collapsed header gives no number token."""
    from govdisclosure.spec.registry import default_registry

    spec = default_registry().get("gov-2014-statistics")
    lines = normalize_text("政府信息公开情况统计表(2018年度)统计指标单位统计数").lines

    grid = build_grid(spec, "table", [(lines[0], 0, len(lines[0].text))])

    assert all(t.kind.value != "value" for t in grid.tokens)


@settings(max_examples=100, deadline=None)
@given(
    lead=st.sampled_from(["", " ", "  ", "\u3000"]),
    digits=st.from_regex(r"[0-9]{1,8}", fullmatch=True),
    trail=st.sampled_from(["", " ", "   "]),
)
def test_a_bare_count_is_read_as_the_number_pattern_reads_it(
    spec2019: Spec, lead: str, digits: str, trail: str
) -> None:
    """The short path for a bare count gives the token the general number search gives."""
    text = f"规章|{lead}{digits}{trail}|"
    [line] = normalize_text(text).lines
    grid = build_grid(spec2019, "s2", [(line, 0, len(line.text))])
    [value] = [t for t in grid.tokens if t.kind is TokenKind.VALUE]

    cell_start = text.index("|") + 1
    m = number_pattern(spec2019).search(line.text, cell_start)
    assert m is not None
    # the token spans the number, not the spaces the pattern takes after it
    shown = m.group().strip()
    assert (shown, m.start(), m.start() + len(shown)) == (
        value.text,
        value.start,
        value.end,
    )
    assert value.number == read_number(m, spec2019.minus_words)


def _only_cell(text: str) -> tuple[LineCell, _Reader]:
    from govdisclosure.spec.registry import default_registry

    [line] = normalize_text(text).lines
    cell = LineCell(line, 0, len(line.text), True, 1, False, line.text)
    return cell, _reader(default_registry().get("gov-2019"), "s3")


@settings(max_examples=100, deadline=None)
@given(
    lead=st.sampled_from(["", " ", "  ", "\u3000"]),
    digits=st.from_regex(r"[0-9]{1,8}", fullmatch=True),
    trail=st.sampled_from(["", " ", "   "]),
)
def test_the_bare_count_path_equals_the_search(
    lead: str, digits: str, trail: str
) -> None:
    """`_bare_count` gives the very token `_searched_tokens` gives for a bare count."""
    cell, reader = _only_cell(f"{lead}{digits}{trail}")
    key, pos = match_key(cell.text)

    assert _searched_tokens(cell, reader, cell.text, key, pos) == [
        _bare_count(cell, cell.text, cell.text.strip())
    ]


@pytest.mark.parametrize(
    "text",
    [
        "总计",
        " 本年新收政府信息公开申请数量 ",
        "（一）予以公开",
        "商业 企业",
        "三、本年度办理结果",
    ],
)
def test_the_whole_label_path_equals_the_search(text: str) -> None:
    """`_whole_label` gives the very token `_searched_tokens` gives for a one-label cell."""
    cell, reader = _only_cell(text)
    key, pos = match_key(cell.text)
    refs = reader.labels.by_key[key]

    assert _searched_tokens(cell, reader, cell.text, key, pos) == [
        _whole_label(cell, cell.text, pos, refs)
    ]
