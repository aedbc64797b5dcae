"""How much of a report's prose repeats the report of the year before, section by section.

Why: evaluators of government transparency penalise a report whose text is
last year's with the numbers changed (a common rule: more than half reused).
Measuring it needs no model: a passage is repeated when its character
shingles (runs of `SHINGLE` characters) occur in last year's prose.

Strategy: both texts are compared in a match form (width folded, spaces and
line breaks out, every digit read as 0, so that ``2022年`` repeats ``2021年``
and a figure updated in a copied sentence does not hide the copy). A
character of this year's section is *repeated* when some shingle covering it
occurs anywhere in last year's prose (any section: text moved between
sections is still copied). The share is repeated characters over the
section's characters; the passages are the runs of repeated characters, as
offsets into `Section.text`. Cost: linear in the two texts (a set of last
year's shingles, one look-up per position of this year's). The set holds
the shingles' hashes, not the shingles, and a section's offsets and
coverage are packed arrays: a 1 MB section against 1 MB of last year's
prose takes about a second and under 100 MB (tests/test_attack_today.py). Two
different shingles with one 64-bit hash would count as repeated; over a
million shingles the odds are about one in ten million.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable

from attrs import frozen

from govdisclosure.model import Report
from govdisclosure.typography import fold_char

__all__ = ["MIN_CHARS", "SHINGLE", "SectionReuse", "section_reuse"]

#: Characters in a shingle: long enough that two independently written
#: Chinese sentences rarely share one (政府信息公开 alone is 6), short enough
#: that a copied clause with one word changed is still found on both sides.
SHINGLE = 10
#: Sections with fewer characters (in match form) are not measured: a
#: one-line section (本年度无其他需要报告的事项) repeats by necessity.
MIN_CHARS = 40
_ALL = b"\x01" * SHINGLE


@frozen
class SectionReuse:
    """One section of this year's prose against last year's prose.

    ``chars`` counts the section's characters in match form, ``repeated``
    those inside a passage found in last year's prose; ``passages`` are
    ``(start, end)`` offsets into this report's `Section.text`.
    """

    section: str
    heading: str
    chars: int
    repeated: int
    passages: tuple[tuple[int, int], ...] = ()

    @property
    def share(self) -> float:
        """Repeated characters over all characters (0 for an empty section)."""
        return self.repeated / self.chars if self.chars else 0.0


def section_reuse(
    this: Report,
    last: Report,
    sections: Iterable[str] | None = None,
    last_sections: Iterable[str] | None = None,
) -> tuple[SectionReuse, ...]:
    """Per section of ``this`` (those named in ``sections``, default all), its reuse of ``last``'s prose.

    ``last_sections`` names last year's prose (default all its sections).
    Sections shorter than `MIN_CHARS` are left out. The sections are the
    caller's choice of prose (`across.compare` passes those that hold no
    table: a table's labels repeat by the form's design).
    """
    wanted = set(sections) if sections is not None else None
    before = set(last_sections) if last_sections is not None else None
    seen: set[int] = set()
    for section in last.sections:
        if before is None or section.id in before:
            folded, _ = _match_form(section.text)
            seen.update(
                hash(folded[i : i + SHINGLE]) for i in range(len(folded) - SHINGLE + 1)
            )
    out = []
    for section in this.sections:
        if wanted is not None and section.id not in wanted:
            continue
        folded, where = _match_form(section.text)
        if len(folded) < MIN_CHARS:
            continue
        covered = bytearray(len(folded))
        for i in range(len(folded) - SHINGLE + 1):
            if hash(folded[i : i + SHINGLE]) in seen:
                covered[i : i + SHINGLE] = _ALL
        out.append(
            SectionReuse(
                section.id,
                section.heading,
                len(folded),
                covered.count(1),
                _passages(covered, where),
            )
        )
    return tuple(out)


def _match_form(text: str) -> tuple[str, array[int]]:
    """``text`` folded (no spaces, digits as 0) and each character's offset in ``text``."""
    # one translation per distinct character: no object per character is kept
    table = {ord(ch): None if ch.isspace() else _matched(ch) for ch in set(text)}
    where = array("q", (i for i, ch in enumerate(text) if not ch.isspace()))
    return text.translate(table), where


def _matched(ch: str) -> str:
    folded = fold_char(ch)
    return "0" if folded.isdigit() else folded


def _passages(covered: bytearray, where: array[int]) -> tuple[tuple[int, int], ...]:
    """Runs of covered characters as ``(start, end)`` offsets into the section's text."""
    out = []
    start: int | None = None
    for i, flag in enumerate(covered + b"\x00"):
        if flag and start is None:
            start = i
        elif not flag and start is not None:
            out.append((where[start], where[i - 1] + 1))
            start = None
    return tuple(out)
