"""Mutations of real inputs: what damaged, odd or hostile reports and specs look like.

Every mutator is a function of a `random.Random`, so an input is reproduced
from its seed alone (`python -m fuzz.run --replay`), and hypothesis drives the
same functions in CI by drawing the seed (tests/fuzzing/test_fuzz_short.py).
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable

from fuzz import seeds

#: Code points a report can hold and a parser can trip on.
ODD = (
    "\u3000", "\xa0", "\u200b", "\ufeff", "\r", "\t", "\x00", "\x0c", "|", "｜",
    "—", "-", "－", "0", "０", "9", "一", "、", "（", "(", ")", "）", "：", ".", "．",
    "万元", "件", "合计", "总计", "其他", "\U0002a700", "\ud800", "\udfff",
    "<", ">", "&", "&nbsp;", "&#0;", "&#x110000;", "\u202e", "\u0301",
)  # fmt: skip
#: Charsets a page may declare, the bogus and the non-text codecs included.
CHARSETS = (
    "utf-8", "gb2312", "gbk", "gb18030", "big5", "utf-16", "utf-16le", "utf-32",
    "utf-7", "undefined", "hex", "base64", "rot13", "zlib", "bz2", "uu", "idna",
    "punycode", "unicode_escape", "raw_unicode_escape", "latin-1", "ascii",
    "cp65001", "mbcs", "x-user-defined", "", "utf-8-sig", "hz", "iso2022_jp",
)  # fmt: skip
ENCODINGS = ("utf-8", "utf-8-sig", "gb18030", "big5", "utf-16", "utf-32", "utf-7")
Text = Callable[[random.Random, str], str]


def _span(rng: random.Random, n: int, longest: int = 400) -> tuple[int, int]:
    start = rng.randrange(n + 1)
    return start, min(n, start + rng.randint(0, longest))


def _odd(rng: random.Random) -> str:
    if rng.random() < 0.1:
        return chr(rng.randrange(0x110000))
    return rng.choice(ODD)


def char_flips(rng: random.Random, text: str) -> str:
    """A few characters replaced by odd ones or by the report's own."""
    chars = list(text) or [""]
    for _ in range(rng.randint(1, 8)):
        i = rng.randrange(len(chars))
        chars[i] = _odd(rng) if rng.random() < 0.5 else rng.choice(chars)
    return "".join(chars)


def spans(rng: random.Random, text: str) -> str:
    """A span deleted, duplicated, or taken from another report."""
    start, end = _span(rng, len(text))
    kind = rng.randrange(3)
    if kind == 0:
        return text[:start] + text[end:]
    if kind == 1:
        return text[:end] + text[start:end] * rng.randint(1, 50) + text[end:]
    other = rng.choice(seeds.texts())
    a, b = _span(rng, len(other), 3000)
    return text[:start] + other[a:b] + text[end:]


def lines(rng: random.Random, text: str) -> str:
    """Lines shuffled in a window, dropped, duplicated, swapped or joined."""
    rows = text.split("\n")
    a, b = _span(rng, len(rows), 40)
    kind = rng.randrange(5)
    if kind == 0:
        window = rows[a:b]
        rng.shuffle(window)
        rows[a:b] = window
    elif kind == 1:
        del rows[a:b]
    elif kind == 2:
        rows[a:a] = rows[a:b] * rng.randint(1, 5)
    elif kind == 3 and rows:
        i, j = rng.randrange(len(rows)), rng.randrange(len(rows))
        rows[i], rows[j] = rows[j], rows[i]
    else:
        rows[a:b] = ["".join(rows[a:b])]
    return "\n".join(rows)


_ROW = re.compile(r"[|｜\t]|\d\s+\d")


def table_rows(rng: random.Random, text: str) -> str:
    """Table rows of another report spliced in, or a row's cells split and rejoined."""
    rows = text.split("\n")
    other = [r for r in rng.choice(seeds.texts()).split("\n") if _ROW.search(r)]
    at = rng.randrange(len(rows) + 1)
    if other and rng.random() < 0.6:
        start = rng.randrange(len(other))
        rows[at:at] = other[start : start + rng.randint(1, 12)]
    elif rows:
        i = rng.randrange(len(rows))
        cells = re.split(r"(\s+|\|)", rows[i])
        rng.shuffle(cells)
        rows[i] = "".join(cells) if rng.random() < 0.5 else "|".join(cells)
    return "\n".join(rows)


_NUMBER = re.compile(r"\d+(?:\.\d+)?")


def numbers(rng: random.Random, text: str) -> str:
    """Numbers made huge, negative, decimal, full-width, or glued together."""
    found = list(_NUMBER.finditer(text))
    if not found:
        return text + "9" * rng.choice((20, 4301, 5000))
    hit = rng.choice(found)
    choices = (
        "9" * rng.choice((20, 400, 4301, 6000)),
        "-" + hit.group(),
        hit.group() + ".5",
        hit.group().translate({ord(d): 0xFF10 + int(d) for d in "0123456789"}),
        hit.group() * 2,
        "1e308",
        "",
    )
    return text[: hit.start()] + rng.choice(choices) + text[hit.end() :]


def markup(rng: random.Random, text: str) -> str:
    """Part of the text as HTML: rows as <tr>, cells with spans, odd tags."""
    rows = text.split("\n")
    a, b = _span(rng, len(rows), 60)
    cells = []
    for row in rows[a:b]:
        tds = "".join(
            f'<td colspan="{rng.choice((1, 1, 2, 0, 99, -1, 10**6))}"'
            f' rowspan="{rng.choice((1, 1, 3, 0, "x", 10**9))}">{cell}</td>'
            for cell in re.split(r"[|\s]+", row)
        )
        cells.append(f"<tr>{tds}</tr>")
    table = "<table>" + "".join(cells) + "</table>"
    head = rng.choice(("<html><body>", "<!DOCTYPE html><html>", "<p>", ""))
    return head + "\n".join(rows[:a]) + table + "\n".join(rows[b:])


def whitespace(rng: random.Random, text: str) -> str:
    """Line ends and spaces swapped for their odd kinds, or many short lines."""
    kind = rng.randrange(4)
    if kind == 0:
        return text.replace("\n", rng.choice(("\r\n", "\r", "\u2028", "\x85", "")))
    if kind == 1:
        return text.replace(" ", rng.choice(("\u3000", "\xa0", "\t", "")))
    if kind == 2:
        return "\n".join(text)  # one character a line
    return text + "\n" * rng.randint(1, 100_000)


TEXT_MUTATORS: tuple[Text, ...] = (
    char_flips, spans, lines, table_rows, numbers, markup, whitespace,
)  # fmt: skip


def mutate_text(rng: random.Random, text: str | None = None) -> str:
    """A real report (or ``text``) with one to four mutations."""
    if text is None:
        text = rng.choice(seeds.texts())
    for _ in range(rng.choice((1, 1, 2, 3, 4))):
        text = rng.choice(TEXT_MUTATORS)(rng, text)
    return text
