"""str → NormalizedText: width folding, 繁→简, pinyin stripped, offsets kept.

Strategy: normalise line by line and keep, for every character of a
normalised line, the offset of the character it came from in the input. Every
later step works on normalised text, and every span it reports is mapped back
through these offsets, so a cell's ``span`` indexes the caller's own string.

Two forms exist:

* the *display* form (`Line.text`): folded, simplified, pinyin removed; used
  for section texts and metadata;
* the *match* form (`match_key`): display form with all whitespace removed and
  punctuation variants unified; used to compare text with spec labels, which
  go through the same function. Labels wrapped across a space (``商业 企业``)
  match because whitespace is gone from both sides.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cached_property
from itertools import accumulate, count, repeat
from operator import add, attrgetter
from typing import Final, NamedTuple

import regex
from attrs import frozen

from govdisclosure.errors import InputError
from govdisclosure.pipeline.inputs.limits import (
    InputLimits,
    current_input_limits,
    over,
)
from govdisclosure.typography import (
    FOLD_TABLE,
    fold_char,
    match_fold,
    match_text,
    opencc_converter,
    to_simplified,
)

__all__ = [
    "MAX_INPUT_CHARS",
    "Line",
    "NormalizedText",
    "normalize_text",
]

#: Inputs longer than this are refused (InputError): no annual report is this long,
#: and a bound keeps a batch safe from a runaway file. The default of
#: `InputLimits.max_chars`, which `input_limits` raises.
MAX_INPUT_CHARS: Final = InputLimits().max_chars

# A pinyin annotation after a Han character, as some sites render ruby text:
# 關(guān), 發(fā)布. Only lowercase Latin letters with tone marks are removed,
# so "(APP)", "(一)" or "(电话:…)" survive.
_PINYIN = regex.compile(
    r"(?<=\p{Han})[(（](?=[a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüêńňǹḿ]*[aeiouüāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜê])"
    r"[a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüêńňǹḿ]{1,7}[)）]"
)


#: A named tuple built from all its fields by tuple's own constructor, in C.
_new: Final = tuple.__new__


class Line(NamedTuple):
    """One normalised line: its text and, per character, the input offset.

    A named tuple, not an attrs class: a page has hundreds of lines.
    """

    number: int
    text: str
    offsets: Sequence[int]  # a tuple, or a range when nothing moved
    #: Input offset just past the line's last character (before the newline).
    end: int

    def source_span(self, start: int, end: int) -> tuple[int, int]:
        """Map ``[start, end)`` in ``text`` to offsets in the input string."""
        offsets = self.offsets
        if 0 <= start < end <= len(offsets):  # the common case, taken first
            return (offsets[start], offsets[end - 1] + 1)
        if not self.offsets:
            return (self.end, self.end)
        first = self.offsets[start] if start < len(self.offsets) else self.end
        last = self.offsets[end - 1] + 1 if 0 < end <= len(self.offsets) else self.end
        return (first, max(first, last))


#: A line's text, read in C (`map`): a text has hundreds of lines, joined
#: whole for detection and the match keys.
_text_of: Final = attrgetter("text")


@frozen
class NormalizedText:
    """The input and its normalised lines."""

    source: str
    lines: tuple[Line, ...]

    def text(self, start: int = 0, stop: int | None = None) -> str:
        """The display text of lines ``[start, stop)`` joined by newlines."""
        return "\n".join(map(_text_of, self.lines[start:stop]))

    @cached_property
    def match_keys(self) -> tuple[str, ...]:
        """Each line in match form (`match_text`): detection and sections both need them."""
        # one fold of the whole text, cut again at the newlines (a fold maps
        # each character on its own, and a line's text holds no newline)
        pieces = match_fold("\n".join(map(_text_of, self.lines))).split("\n")
        if len(pieces) != len(self.lines):  # pragma: no cover - a line held a newline
            return tuple(match_text(line.text) for line in self.lines)
        # whitespace runs dropped as `match_text` drops them, all in C
        return tuple(map("".join, map(str.split, pieces)))


def normalize_text(text: str) -> NormalizedText:
    """Normalise ``text``; raises InputError when it cannot be a report."""
    if not isinstance(text, str):
        raise InputError(
            f"load() takes text (str), not {type(text).__name__}; decode bytes first"
        )
    _check_bounds(text)
    if not text.strip():
        raise InputError("input is empty")
    controls = len(_CONTROL.findall(text, 0, 20000))
    if controls > 0.05 * min(len(text), 20000) or "\x00" in text:
        raise InputError(
            "input looks binary (control characters); pass the report's text"
        )
    # Folding maps each character on its own, so the whole text is folded at
    # once and cut into lines; unless a fold dropped a character somewhere,
    # or a line may hold pinyin: those lines are folded one by one.
    whole = text.translate(FOLD_TABLE)
    aligned = len(whole) == len(text)
    # no pinyin in the whole text (a run never spans lines): every line of an
    # aligned text is its slice of the folded whole, whatever brackets it has
    raws = text.splitlines(keepends=True)
    if aligned and _PINYIN.search(text) is None:
        folded = _sliced(whole, raws)
    else:
        folded = []
        pos = 0
        for number, raw in enumerate(raws, start=1):
            body = raw.rstrip("\r\n")
            end = pos + len(body)
            if aligned and "(" not in body and "（" not in body:
                folded.append(
                    _new(Line, (number, whole[pos:end], range(pos, end), end))
                )
            else:
                folded.append(_fold_line(number, body, pos))
            pos += len(raw)
    texts = _simplified_lines([line.text for line in folded])
    lines = tuple(
        line if t is line.text else _new(Line, (line.number, t, line.offsets, line.end))
        for line, t in zip(folded, texts, strict=True)
    )
    return NormalizedText(text, lines)


def _sliced(whole: str, raws: list[str]) -> list[Line]:
    """The lines of a text with no pinyin whose fold dropped nothing: each its
    slice of the folded ``whole`` (``raws``: the input's lines with their
    breaks), as `_fold_line` would give them (tests/unit/test_normalize.py
    checks the two agree).

    A text has hundreds of lines (real 04 a thousand, two thirds of them
    blank), so the lines are cut, measured and built in C: ``whole`` split
    where the input is, each line by tuple's own constructor. A fold maps
    no character to or from a line break, so ``whole`` breaks where the
    input does; the lengths are compared all the same, in C.
    """
    sizes = list(map(len, raws))
    starts = list(accumulate(sizes, initial=0))
    pieces = whole.splitlines(keepends=True)
    if list(map(len, pieces)) == sizes:
        texts = list(map(str.rstrip, pieces, repeat("\r\n", len(pieces))))
    else:  # a fold moved a break (none does): each line cut where the input is
        texts = [
            whole[p : p + len(raw.rstrip("\r\n"))]
            for p, raw in zip(starts, raws, strict=False)
        ]
    ends = list(map(add, starts, map(len, texts)))
    return list(
        map(
            _new,
            repeat(Line, len(texts)),
            zip(count(1), texts, map(range, starts, ends), ends),
        )
    )


def _check_bounds(text: str) -> None:
    """Refuse text past `InputLimits` (characters, lines) or not Unicode.

    Checked before the work: 1.6 million short lines cost 16 s and 1.3 GB.
    A lone surrogate (half of a UTF-16 pair, as decoding with
    ``errors="surrogateescape"`` leaves) is refused too: it is no character,
    no encoder accepts it, and the steps would fail deep inside.
    """
    limits = current_input_limits()
    if len(text) > limits.max_chars:
        raise over(f"input is {len(text):,} characters", "max_chars")
    lines = 1 + sum(map(text.count, _LINE_BREAKS)) - text.count("\r\n")
    if lines > limits.max_lines:
        raise over(f"input is {lines:,} lines", "max_lines")
    if (lone := _SURROGATE.search(text)) is not None:
        raise InputError(
            f"line {_line_of(text, lone.start())} holds a lone surrogate "
            f"(U+{ord(lone.group()):04X}), which is not a character: the text was "
            "decoded wrongly; decode the bytes strictly (or with errors='replace')"
        )


def _line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


_SURROGATE: Final = regex.compile(r"[\ud800-\udfff]")
#: What `str.splitlines` cuts lines at (a CRLF is one break).
_LINE_BREAKS: Final = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"

#: Control characters that do not occur in text (all below space but \t\n\v\f\r).
_CONTROL: Final = regex.compile(r"[\x00-\x08\x0e-\x1f]")


def _simplified_lines(texts: list[str]) -> list[str]:
    """`to_simplified` of each text, with one OpenCC call for all of them.

    The texts are joined with newlines, converted, and cut again: no OpenCC
    phrase holds a newline, so each piece is its line's conversion. A piece
    whose length changed goes through `to_simplified` on its own (which keeps
    offsets by converting it one character at a time).
    """
    todo = [i for i, t in enumerate(texts) if t and not t.isascii()]
    if not todo:
        return texts
    pieces = opencc_converter().convert("\n".join(texts[i] for i in todo)).split("\n")
    if len(pieces) != len(todo):  # pragma: no cover - a text held a newline
        pieces = [to_simplified(texts[i]) for i in todo]
    out = list(texts)
    for i, piece in zip(todo, pieces, strict=True):
        if piece != texts[i]:  # else the text itself: its line is kept as it is
            out[i] = piece if len(piece) == len(texts[i]) else to_simplified(texts[i])
    return out


def _fold_line(number: int, body: str, base: int) -> Line:
    """The line folded and its pinyin removed; simplified later, for all lines at once."""
    runs = [m.span() for m in _PINYIN.finditer(body)]
    if not runs:
        folded = body.translate(FOLD_TABLE)
        if len(folded) == len(body):
            # one character in, one out (a fold never lengthens, only drops):
            # the offsets are a plain range
            return Line(number, folded, range(base, base + len(body)), base + len(body))
    chars: list[str] = []
    offsets: list[int] = []
    at = 0
    # the pieces between the pinyin runs, each folded at once (a line of
    # seed 000 holds dozens of runs: a call per character cost a millisecond)
    for start, end in [*runs, (len(body), len(body))]:
        piece = body[at:start]
        folded = piece.translate(FOLD_TABLE)
        if len(folded) == len(piece):
            chars.append(folded)
            offsets.extend(range(base + at, base + start))
        else:  # a fold dropped a character: one at a time
            for i in range(at, start):
                out = fold_char(body[i])  # "" drops the character
                if out:
                    chars.append(out)
                    offsets.append(base + i)
        at = end
    return Line(number, "".join(chars), tuple(offsets), base + len(body))
