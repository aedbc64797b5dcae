"""Tests for `normalize_text` and `match_key`."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from govdisclosure import InputError
from govdisclosure.pipeline.normalize import normalize_text
from govdisclosure.typography import (
    _MATCH_FOLD,
    fold_char,
    label_key,
    match_fold,
    match_key,
    match_text,
    to_simplified,
)


class TestNormalizeText:
    def test_traditional_becomes_simplified(self) -> None:
        """Traditional characters are converted to simplified ones."""
        text = normalize_text("東湖區政府信息公開工作年度報告").lines[0].text

        assert "东湖区政府信息公开工作年度报告" == text

    def test_pinyin_annotations_are_removed(self) -> None:
        """Ruby pinyin after a Han character (seed 000) is dropped, other brackets stay."""
        text = (
            normalize_text(
                "關(guān)懷版 發(fā)布機(jī)構(gòu) 簡稱(APP) 第(一)項 (電話:0791)"
            )
            .lines[0]
            .text
        )

        assert "关怀版 发布机构 简称(APP) 第(一)项 (电话:0791)" == text

    def test_full_width_is_folded(self) -> None:
        """Full-width digits, brackets and spaces become their ASCII forms."""
        text = normalize_text("（一）予以公开　１２３").lines[0].text

        assert "(一)予以公开 123" == text

    def test_offsets_point_into_the_input(self) -> None:
        """Each normalised character maps back to its character in the input."""
        source = "x\n關(guān)於 １２\n"
        line = normalize_text(source).lines[1]

        start, end = line.source_span(line.text.index("12"), line.text.index("12") + 2)
        assert "１２" == source[start:end]
        assert 2 == line.number

    @pytest.mark.parametrize("bad", ["", "   \n\t ", "\x00\x01\x02binary"])
    def test_empty_or_binary_input_is_refused(self, bad: str) -> None:
        """Empty, blank and binary inputs raise InputError."""
        with pytest.raises(InputError):
            normalize_text(bad)

    def test_non_text_is_refused(self) -> None:
        """Bytes are refused with a hint to decode them."""
        with pytest.raises(InputError, match="decode"):
            normalize_text(b"abc")  # type: ignore[arg-type]


class TestMatchKey:
    def test_whitespace_and_enumerator_punctuation_fold(self) -> None:
        """Wrapped labels and 1、/1. variants compare equal to the spec label."""
        assert label_key("1.属于国家秘密") == match_key("1、属于 国家\n秘密")[0]
        assert label_key("商业企业") == match_key("商业 企业")[0]

    def test_index_maps_back(self) -> None:
        """The index gives, per key character, its position in the text."""
        key, index = match_key("a b")

        assert ("ab", [0, 2]) == (key, list(index))


@given(
    st.text(
        alphabet=st.sampled_from(
            "0１２3 \u3000\xa0\ufeff\u200b－～（）關發布规章ｕＡａ|:：,，。\t"
        ),
        max_size=40,
    )
)
def test_folding_a_line_at_once_equals_folding_each_character(text: str) -> None:
    """The translate table gives what `fold_char` gives one character at a time, offsets included."""
    if not text.strip():
        return
    [line] = normalize_text(text).lines

    folded = [(i, fold_char(ch)) for i, ch in enumerate(text)]

    assert to_simplified("".join(f for _, f in folded)) == line.text
    assert [i for i, f in folded if f] == list(line.offsets)


@pytest.mark.parametrize(
    "text", ["", "  ", " 12 ", "商业 企业", "a\u3000b c", "| 0 | 1 |", "\t规章\t"]
)
def test_match_key_and_match_text_agree(text: str) -> None:
    key, index = match_key(text)

    assert key == match_text(text)
    assert len(index) == len(key)
    assert all(not text[i].isspace() for i in index)


@given(
    st.text(alphabet=st.sampled_from("、“”「」‘’／：，；。.:a规 \u3000"), max_size=30)
)
def test_match_folding_maps_each_character_on_its_own(text: str) -> None:
    """The replace loop is a per-character map: offsets in the match form stay valid."""
    table = dict(_MATCH_FOLD)

    assert "".join(table.get(ch, ch) for ch in text) == match_fold(text)


@given(
    st.text(
        alphabet=st.sampled_from("發布關於資訊公開頭髮乾燥後面裡乾隆著名 |1\n"),
        max_size=60,
    )
)
def test_lines_simplified_together_equal_lines_simplified_alone(text: str) -> None:
    """One OpenCC call for the whole text gives each line what a call of its own gives."""
    if not text.strip():
        return
    lines = normalize_text(text).lines

    expected = [
        to_simplified("".join(map(fold_char, raw))) for raw in text.splitlines()
    ]

    assert expected == [line.text for line in lines]


@given(
    st.text(
        alphabet=st.sampled_from("、：，。 \t\u3000\xa0\x0b\u2028\x85规章1|\n\r"),
        max_size=60,
    )
)
def test_match_keys_are_each_lines_match_form(text: str) -> None:
    """The match form computed for all lines at once is each line's own."""
    if not text.strip():
        return
    normalized = normalize_text(text)

    assert [match_text(line.text) for line in normalized.lines] == list(
        normalized.match_keys
    )


def _fold_line_by_char(body: str, base: int) -> tuple[str, tuple[int, ...]]:
    """`normalize._fold_line` written plainly: pinyin runs out, then every
    character folded on its own, its offset kept unless the fold drops it."""
    from govdisclosure.pipeline.normalize import _PINYIN

    removed = {i for m in _PINYIN.finditer(body) for i in range(*m.span())}
    kept = [(fold_char(ch), base + i) for i, ch in enumerate(body) if i not in removed]
    return "".join(ch for ch, _ in kept), tuple(at for ch, at in kept if ch)


@given(
    st.lists(
        st.sampled_from(
            [
                "關",
                "發",
                "(guān)",
                "（fā）",
                "(APP)",
                "(一)",
                "\ufeff",
                "\u200b",
                "１",
                "a",
                " ",
                "。",
            ]
        ),
        max_size=30,
    ),
    st.integers(min_value=0, max_value=1000),
)
def test_fold_line_folds_piece_by_piece_as_by_character(
    parts: list[str], base: int
) -> None:
    """The pieces between pinyin runs are folded whole (a translate each), with
    the same text and offsets as one character at a time."""
    from govdisclosure.pipeline.normalize import _fold_line

    body = "".join(parts)
    line = _fold_line(7, body, base)
    assert _fold_line_by_char(body, base) == (line.text, tuple(line.offsets))
    assert (7, base + len(body)) == (line.number, line.end)


@given(
    st.lists(
        st.sampled_from(
            [
                *("規章", "（一）", "(APP)", "１2", " ", "\u3000", "|", "。", "a"),
                *("\r", "\n", "\r\n", "\x0b", "\x0c", "\u2028", "\x85"),
            ]
        ),
        max_size=40,
    )
)
def test_a_text_without_pinyin_is_sliced_as_each_line_is_folded(
    parts: list[str],
) -> None:
    """`_sliced` (the whole text folded, each line its slice, for a text with
    no pinyin whose fold dropped nothing) gives each line as `_fold_line`
    folds it on its own, line breaks of every kind included."""
    from govdisclosure.pipeline.normalize import _PINYIN, _fold_line, _sliced
    from govdisclosure.typography import FOLD_TABLE

    text = "".join(parts)
    whole = text.translate(FOLD_TABLE)
    if len(whole) != len(text) or _PINYIN.search(text):
        return
    raws = text.splitlines(keepends=True)
    expected, pos = [], 0
    for number, raw in enumerate(raws, start=1):
        expected.append(_fold_line(number, raw.rstrip("\r\n"), pos))
        pos += len(raw)

    got = _sliced(whole, raws)

    assert [(e.number, e.text, list(e.offsets), e.end) for e in expected] == [
        (g.number, g.text, list(g.offsets), g.end) for g in got
    ]


def test_a_folded_text_breaking_elsewhere_is_cut_where_the_input_breaks() -> None:
    """No fold maps a character to or from a line break, but if one did,
    `_sliced` would still cut each line where the input breaks it."""
    from govdisclosure.pipeline.normalize import _sliced

    lines = _sliced("abXc", ["ab\n", "c"])

    assert [("ab", range(2), 2), ("c", range(3, 4), 4)] == [
        (line.text, line.offsets, line.end) for line in lines
    ]
