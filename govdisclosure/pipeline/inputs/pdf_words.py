"""A PDF page's words → lines → cells, read as the text was written.

A text layer gives words and where they stand; lines are the words at one
height, cells (`Box`) the words closer than a character's height apart. The
text layer's own spaces are left out: none between Han and digits
(``2023 年``) or between Han characters (`glued`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from attrs import frozen

__all__ = ["Box", "TextLine", "folded", "glued", "text_lines"]

#: Words further apart than this many character heights are separate cells.
_CELL_GAP = 1.0

# Han, CJK punctuation, full-width forms (not full-width digits): a text layer's
# space between these, or between these and a digit, is no space of the text
_WIDE = re.compile("[\u3000-\u303f\u3400-\u9fff\uff00-\uff0f\uff1a-\uffef]")


@frozen
class Box:
    """A cell of a PDF text line: its words that stand closer than a character's width."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float


@frozen
class TextLine:
    """The words at one height, split into cells (`Box`) where a wide gap is."""

    boxes: tuple[Box, ...]

    @property
    def top(self) -> float:
        return min(b.top for b in self.boxes)

    @property
    def middle(self) -> float:
        return (self.top + max(b.bottom for b in self.boxes)) / 2

    @property
    def text(self) -> str:
        return " ".join(b.text for b in self.boxes)


def glued(left: str, right: str) -> str:
    """Two pieces of text a PDF text layer wrote apart, joined as the text was written.

    A text layer puts a space (or a line break, in a wrapped cell) between
    Han and digits (``2023 年``, ``21 件``) and between Han characters: they are
    not the text's. Between two numbers or Latin words the space is kept.
    """
    if not left or not right:
        return left or right
    a, b = left[-1], right[0]
    wide_a, wide_b = bool(_WIDE.match(a)), bool(_WIDE.match(b))
    if (wide_a and (wide_b or b.isdigit())) or (a.isdigit() and wide_b):
        return left + right
    return f"{left} {right}"


def folded(text: str) -> str:
    """A cell's text with the text layer's spaces and line breaks removed (`glued`)."""
    out = ""
    for piece in text.split():
        out = glued(out, piece)
    return out


def text_lines(words: Sequence[Mapping[str, Any]]) -> list[TextLine]:
    """Words → lines (by height) → cells (by the gaps between words)."""
    rows: list[list[Mapping[str, Any]]] = []
    for word in sorted(words, key=lambda w: (w["top"], w["x0"])):
        middle = (word["top"] + word["bottom"]) / 2
        if rows and rows[-1][0]["top"] <= middle <= rows[-1][0]["bottom"]:
            rows[-1].append(word)
        else:
            rows.append([word])
    return [TextLine(tuple(_line_boxes(row))) for row in rows]


def _line_boxes(words: list[Mapping[str, Any]]) -> Iterator[Box]:
    words = sorted(words, key=lambda w: w["x0"])
    height = sorted(w["bottom"] - w["top"] for w in words)[len(words) // 2]
    group = [words[0]]
    for word in words[1:]:
        if word["x0"] - group[-1]["x1"] > _CELL_GAP * height:
            yield _box(group)
            group = []
        group.append(word)
    yield _box(group)


def _box(words: list[Mapping[str, Any]]) -> Box:
    text = ""
    for word in words:
        text = glued(text, word["text"])
    return Box(
        text,
        min(w["x0"] for w in words),
        max(w["x1"] for w in words),
        min(w["top"] for w in words),
        max(w["bottom"] for w in words),
    )
