"""How Chinese official documents write things: the one home of typography.

Every step compares text with a spec's labels, and the spec loader checks
labels against each other; both need the same *match form*, so the folding
lives here, below the pipeline and the spec language alike:

* character folds: full-width and NFKC variants to one character each, 繁→简
  (OpenCC, one character for one, so offsets stay valid);
* the *match form* (`match_key`, `match_text`, `label_key`): folded text with
  whitespace removed and punctuation variants unified (``1、`` = ``1.``, ``：`` =
  ``:``, ``。`` = ``.``), so ``商业 企业`` matches ``商业企业``;
* the enumerators, numerals and sentence ends of the documents' prose.

This is language typography, not format knowledge: a format's own wording
(labels, headings, units) is data in its spec.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache
from typing import Final, Protocol

__all__ = [
    "ENUMERATOR",
    "FOLD_TABLE",
    "FOOTNOTE_MARKS",
    "GENERIC_COLUMN",
    "GENERIC_NUMBERED",
    "NUMERALS",
    "PAGE_NUMBER",
    "PROSE_MARK",
    "SENTENCE_END",
    "fold_char",
    "label_key",
    "match_fold",
    "match_key",
    "match_text",
    "numeral",
    "opencc_converter",
    "to_simplified",
]

# Characters NFKC leaves alone but that mean the same in these reports.
_EXTRA_FOLD: Final = {
    "\u3000": " ",
    "\xa0": " ",
    "－": "-",
    "～": "~",
    "\ufeff": "",
    "\u200b": "",
}

#: Footnote marks NFKC would make digits (``①`` → ``1``, ``²`` → ``2``): kept as
#: they are, so ``5①`` (5 with footnote ①) is never read as 51. Circled and
#: negative circled numbers, and superscript digits.
FOOTNOTE_MARKS: Final = frozenset(
    [chr(c) for c in range(0x2460, 0x2474)]  # ① … ⑳
    + [chr(c) for c in range(0x2776, 0x2794)]  # ❶ … ➓
    + ["\u24ea", "\u00b9", "\u00b2", "\u00b3"]  # ⓪ ¹ ² ³
    + [chr(c) for c in range(0x2070, 0x207A)]  # ⁰ … ⁹
)

# Differences that only matter for matching: enumerator punctuation
# (1. / 1、 / 1．), quotes, slashes, colons.
_MATCH_FOLD: Final = tuple(
    {
        "、": ".",
        "“": '"',
        "”": '"',
        "「": '"',
        "」": '"',
        "‘": "'",
        "’": "'",
        "／": "/",
        "：": ":",
        "，": ",",
        "；": ";",
        "。": ".",
    }.items()
)


#: The characters `_MATCH_FOLD` changes, as one class: a text without any is
#: its own match fold.
_MATCH_FOLDED: Final = re.compile("[" + "".join(old for old, _ in _MATCH_FOLD) + "]")
#: Up to this many characters, `_MATCH_FOLDED` tells a text with nothing to
#: fold faster than the ``in`` scans (measured: a cell, not a line of prose).
_SHORT: Final = 64


class _FoldTable(dict[int, str]):
    """`fold_char` as a `str.translate` table, filled as characters are met.

    translate looks each character up in C; only a character not seen before
    costs a Python call. Kept to MAX_FOLDS characters, so a text of rare
    characters cannot grow a batch worker.
    """

    def __missing__(self, code: int) -> str:
        folded = fold_char(chr(code))
        if len(self) < MAX_FOLDS:
            self[code] = folded
        return folded


#: Characters whose fold is remembered (a report uses a few thousand).
MAX_FOLDS: Final = 20_000


FOLD_TABLE: Final = _FoldTable()


@lru_cache(maxsize=4096)
def fold_char(ch: str) -> str:
    if ch in _EXTRA_FOLD:
        return _EXTRA_FOLD[ch]
    if ch.isascii() or ch in FOOTNOTE_MARKS:
        return ch
    folded = unicodedata.normalize("NFKC", ch)
    return folded if len(folded) == 1 else ch


def to_simplified(text: str) -> str:
    # OpenCC converts by phrase; a phrase may change length, which would break
    # the offset map, so fall back to one character at a time when it does.
    if not text or text.isascii():
        return text
    converter = opencc_converter()
    out: str = converter.convert(text)
    if len(out) == len(text):
        return out
    return "".join(_char_to_simplified(ch) for ch in text)


@lru_cache(maxsize=8192)
def _char_to_simplified(ch: str) -> str:
    out: str = opencc_converter().convert(ch)
    return out if len(out) == 1 else ch


class _Converter(Protocol):
    def convert(self, text: str) -> str: ...


@lru_cache(maxsize=1)
def opencc_converter() -> _Converter:
    import opencc

    converter: _Converter = opencc.OpenCC("t2s")
    return converter


def match_key(text: str) -> tuple[str, Sequence[int]]:
    """The match form of display text, with each character's index in ``text``.

    Not memoised: a glued line is one long cell, and a cache of such keys
    with their offset tuples grows a batch worker by megabytes per report.
    """
    folded = match_fold(text)
    parts = folded.split()  # whitespace runs, as str.isspace sees them
    if len(parts) == 1:  # most cells: padded at the ends only (`| 12 |`)
        lead = folded.find(parts[0])
        return parts[0], range(lead, lead + len(parts[0]))
    index: list[int] = []
    pos = 0
    for part in parts:
        pos = folded.find(part, pos)  # only whitespace lies before this run
        index.extend(range(pos, pos + len(part)))
        pos += len(part)
    return "".join(parts), tuple(index)


def match_text(text: str) -> str:
    """The match form alone, when no offsets are needed: `match_key` without its index."""
    return "".join(match_fold(text).split())


def match_fold(text: str) -> str:
    """`_MATCH_FOLD` applied: one character for one, so offsets stay valid.

    A `str.replace` per pair, not `str.translate`: translate looks every
    character of a CJK text up in a dict, a dozen replaces scan in C. Most
    texts are cells with nothing to fold: an ASCII one (a count) never has
    any (every folded character is CJK punctuation), and a short one is
    told by one search of a character class, cheaper than a dozen ``in``
    scans (on a long text the ``in`` scans, which find a character by
    memchr, are the cheaper test).
    """
    if text.isascii():
        return text
    if len(text) <= _SHORT and _MATCH_FOLDED.search(text) is None:
        return text
    for old, new in _MATCH_FOLD:
        if old in text:
            text = text.replace(old, new)
    return text


def label_key(label: str) -> str:
    """A spec label in match form (labels go through the same folding as text)."""
    folded = "".join(fold_char(ch) for ch in label)
    return match_text(to_simplified(folded))


#: An enumerator before a label, in match form: ``一.`` (一、), ``(一)``, ``1.``, ``(1)``.
ENUMERATOR: Final = re.compile(
    r"^(?:[一二三四五六七八九十]+\.|\([一二三四五六七八九十]+\)|\d+\.|\(\d+\))"
)
#: The Chinese numerals of section numbers, in order.
NUMERALS: Final = "一二三四五六七八九十"
#: Where a sentence ends (display form).
SENTENCE_END: Final = re.compile(r"[。；;！!？?]")
#: The full stop: a cell holding one is a sentence, not a table cell.
PROSE_MARK: Final = "。"
#: A page number printed on a line of its own (``- 3 -``, ``— 5 —``, ``-3-``):
#: page furniture a PDF's text layer leaves inside tables, never a cell.
PAGE_NUMBER: Final = re.compile(r"^\s*[-—–]\s*\d{1,4}\s*[-—–]\s*$")
#: A column name a PDF/Excel→markdown converter prints in place of a table's
#: own header (``数据1`` … ``数据7``, ``列1``, ``Column1``, ``col_1``,
#: ``字段1``, ``Unnamed: 0``), in match form: converter furniture, the label of
#: no report. It carries no label and no value (its digit numbers the column).
GENERIC_NUMBERED: Final = re.compile(
    r"(?:数据|列|栏|字段|column|col|field|unnamed:?)_?\d{1,3}", re.IGNORECASE
)
#: A cell of a converter's generic header row: a numbered column name, or
#: the words such a row puts over the label column (``项目``, ``序号``).
GENERIC_COLUMN: Final = re.compile(
    rf"{GENERIC_NUMBERED.pattern}|项目|序号|编号|名称|指标", re.IGNORECASE
)


def numeral(number: str) -> int | None:
    """一 … 十九 as an int (section numbers); None for anything else."""
    if number and all(ch in NUMERALS for ch in number) and len(number) <= 2:
        if len(number) == 1:
            return NUMERALS.index(number) + 1
        if number[0] == "十":
            return 10 + NUMERALS.index(number[1]) + 1
    return None
