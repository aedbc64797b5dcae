"""Sections + Spec → Metadata: title, organisation, statistical year, publication date.

Strategy: every value comes from the spec's patterns (`metadata:` in the
spec), tried in each place a report states it:

* the **title**: a preamble line (or a piece of one: a collapsed page keeps
  its paragraphs apart with wide spaces), the value of a crawler's header line
  (``标题: …``, the spec's ``header_keys``), with a markdown ``#`` dropped; a
  title whose organisation stands on the line above it (a PDF cover:
  ``淮安市人民政府`` / ``2024年…报告``) is read as one;
* the **organisation**, first found in this order: the title; the signature
  that closes the report (``河北省教育厅 2020年1月15日``, the spec's
  ``signature_patterns`` on the report's last lines); the preamble; the first
  sentence of the first section (``2022年，省工业和信息化厅坚持…``);
* the **statistical year**, weighed, never read off the title alone: each
  evidence pattern adds its weight to the years it finds in the preamble and
  the first section (the 统计期限 sentence weighs most), and the heaviest year
  wins (a report titled 2021 may report on 2020, seed 001; the title's year is
  kept beside it and a disagreement is an info finding);
* the **publication date**: the page's byline, else the signature's date.

Every place is read on a *space-folded* copy: a PDF text layer puts a space
between digits and Han (``2024 年``, ``21 件``) and inside names, so a single
space between a Han character and a Han character or digit is dropped before
matching. The normalised text itself is left alone (other steps and every
span index it).

A value that is not a name is never returned: a sentence, a fragment holding
《》 or sentence punctuation, a header key, a reference such as 我厅, or a
string too long to be a name is refused, and a value left `None` is said in a
finding (``metadata.organization_unknown``, ``metadata.title_unknown``) naming
what was refused.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator, Sequence

from attrs import frozen

from govdisclosure.model import Finding, Severity
from govdisclosure.pipeline.sections import Sections
from govdisclosure.spec.model import MetadataSpec, Spec
from govdisclosure.spec.patterns import PatternTimeoutError, finditer, fullmatch, search

__all__ = ["Metadata", "fold_spaces", "read_metadata"]

_HAN = "\u3400-\u9fff"
_HAN_SPACE = re.compile(rf"(?<=[{_HAN}])\s+(?=[{_HAN}])")
# one space between Han and Han or a digit (either side), never between digits
_PDF_SPACE = re.compile(
    rf"(?<=[{_HAN}\d])[ \t\xa0](?=[{_HAN}])|(?<=[{_HAN}])[ \t\xa0](?=\d)"
)
# a collapsed page separates its paragraphs by runs of (full-width) spaces
_WIDE_SPACE = re.compile(r"[ \t\xa0]{2,}")
_MARKDOWN = re.compile(r"^[ \t]*#{1,6}[ \t]*")
_YEAR = re.compile(r"(?<!\d)(20\d{2}|19\d{2})(?!\d)")
#: Characters a name or a title never holds: sentence punctuation, book-title
#: marks and quotes (a fragment quoting a document), a pipe (a table cell).
_NOT_IN_NAME = frozenset('。，,；;：:！!？?、《》〈〉<>“”"「」『』|')
#: A value starting with these refers to an organisation without naming it (我厅, 本机关).
_REFERENCES = ("我", "本", "该")
_MAX_NAME = 40
_MAX_TITLE = 80
#: How much of the report's end is read for its signature (characters).
_TAIL = 240


@frozen
class Metadata:
    title: str | None
    organization: str | None
    year: int | None
    title_year: int | None
    published: str | None = None


@frozen
class _Places:
    """Where a report states its metadata, each space-folded (`fold_spaces`)."""

    lines: tuple[str, ...]  # the preamble's lines
    preamble: str
    first_body: str  # 一、总体情况's text: the year is often stated only there
    tail: str  # the report's last characters: the signature


def fold_spaces(text: str) -> str:
    """``text`` with a single space between Han and Han or a digit removed.

    PDF text layers write ``2024 年`` and ``淮 安``; patterns are written for
    ``2024年``. Runs of spaces (a collapsed page's paragraph breaks) stay.
    """
    return _PDF_SPACE.sub("", text)


def read_metadata(sections: Sections, spec: Spec) -> tuple[Metadata, list[Finding]]:
    """Title, organisation, statistical year and publication date, from the spec's patterns.

    The year is weighed, never read off the title alone: a report titled 2021
    may report on 2020 (seed 001), and its text says so in several places.
    """
    meta = spec.metadata
    places = _places(sections)
    refused: list[tuple[str, str]] = []  # (what, value) of values that are no names
    try:
        title = _title(places.lines, meta, refused)
        signature = _signature(places.tail, meta.signature_patterns)
        organization = _organization(title, signature, places, meta, refused)
        published = _published(places.preamble, meta.date_patterns) or (
            signature[1] if signature else None
        )
        year = _weighed_year(places.preamble + "\n" + places.first_body, spec)
    except PatternTimeoutError:  # reported by load
        return Metadata(None, None, None, None), []
    title_year = None
    if title and (found := _YEAR.search(title)):
        title_year = int(found.group(1))
    findings = _year_findings(year, title_year)
    findings += _unknown("title", title, refused)
    findings += _unknown("organization", organization, refused)
    return Metadata(title, organization, year, title_year, published), findings


def _places(sections: Sections) -> _Places:
    lines = tuple(fold_spaces(line) for line in sections.preamble())
    spans = sections.spans
    first_body = fold_spaces(sections.text(spans[0])) if spans else ""
    # the report's end: the last section's body, which stops at the spec's
    # end markers (page footer, spam), or the whole text when no heading was found
    end = sections.text(spans[-1]) if spans else "\n".join(sections.preamble())
    tail = fold_spaces(end.rstrip()[-_TAIL:])
    return _Places(lines, "\n".join(lines), first_body, tail)


# ---- title -------------------------------------------------------------------


def _title(
    lines: Sequence[str], meta: MetadataSpec, refused: list[tuple[str, str]]
) -> str | None:
    """The first title candidate a title pattern matches wholly and that is a title.

    A candidate that matches but is a sentence (or a fragment) is refused and
    the search goes on. When the title names no organisation and the piece
    before it is a name, the two are one title printed over two lines.
    """
    for before, candidate in _title_candidates(lines, meta.header_keys):
        title = _title_match(candidate, meta.title_patterns)
        if title is None:
            continue
        if not _is_title(title, meta.header_keys):
            refused.append(("title", title))
            continue
        if before and _is_name(before, meta.header_keys):
            joined = _title_match(before + title, meta.title_patterns)
            if (
                joined
                and _org_in(title, meta.organization_patterns) is None
                and _org_in(joined, meta.organization_patterns)
            ):
                return joined
        return title
    return None


def _title_candidates(
    lines: Sequence[str], header_keys: tuple[str, ...]
) -> Iterator[tuple[str, str]]:
    """Each candidate with the text before it (a line or a piece of one), in order.

    A whole line first, then its pieces between wide spaces; a header line
    gives only its value, a markdown heading its text without ``#``.
    """
    before = ""
    for line in lines:
        text = _header_value(_MARKDOWN.sub("", line).strip(), header_keys)
        if not text:
            continue
        pieces = [p for p in _WIDE_SPACE.split(text) if p]
        yield before, text
        if len(pieces) > 1:
            for i, piece in enumerate(pieces):
                yield (pieces[i - 1] if i else before), piece
        before = pieces[-1] if pieces else text


def _header_value(text: str, header_keys: tuple[str, ...]) -> str:
    """The value of a header line ``标题: …`` (never its key), else ``text``."""
    for key in header_keys:
        if text.startswith(key):
            rest = text[len(key) :].lstrip()
            if rest[:1] in (":", "："):
                return rest[1:].strip()
    return text


def _title_match(text: str, patterns: tuple[str, ...]) -> str | None:
    for pattern in patterns:
        m = fullmatch(pattern, text)
        if m:
            title = (m.groupdict().get("title") or text).strip()
            # a title wrapped by the page keeps no space inside a word
            return _HAN_SPACE.sub("", title) or None
    return None


def _is_title(text: str, header_keys: tuple[str, ...]) -> bool:
    return (
        len(text) <= _MAX_TITLE
        and not (_NOT_IN_NAME & set(text))
        and text not in header_keys
    )


# ---- organisation ------------------------------------------------------------


def _organization(
    title: str | None,
    signature: tuple[str | None, str | None] | None,
    places: _Places,
    meta: MetadataSpec,
    refused: list[tuple[str, str]],
) -> str | None:
    """The first name found: in the title, the signature, the preamble, then 一's opening.

    Within a place the patterns are tried in order; a value that is not a
    name is refused and the search goes on.
    """
    if title and (found := _org_in(title, meta.organization_patterns, refused)):
        return found
    if signature and signature[0]:
        if _is_name(signature[0], meta.header_keys):
            return signature[0]
        refused.append(("organization", signature[0]))
    for source in (places.preamble, places.first_body):
        found = _org_in(source, meta.organization_patterns, refused, meta.header_keys)
        if found:
            return found
    return None


def _org_in(
    text: str,
    patterns: tuple[str, ...],
    refused: list[tuple[str, str]] | None = None,
    header_keys: tuple[str, ...] = (),
) -> str | None:
    """The first group ``org`` of a pattern's match in ``text`` that is a name."""
    for pattern in patterns:
        for m in finditer(pattern, text):
            value = _name_value(m.groupdict().get("org"))
            if not value:
                continue
            if _is_name(value, header_keys):
                return value
            if refused is not None:
                refused.append(("organization", value))
    return None


def _name_value(value: str | None) -> str:
    return _HAN_SPACE.sub("", value.strip()) if value else ""


def _is_name(text: str, header_keys: tuple[str, ...]) -> bool:
    """Whether ``text`` can be an organisation's name (not a sentence, key or reference)."""
    return (
        2 <= len(text) <= _MAX_NAME
        and not (_NOT_IN_NAME & set(text))
        and not _WIDE_SPACE.search(text)
        and not text.startswith(_REFERENCES)
        and text not in header_keys
        and _YEAR.search(text) is None
    )


def _signature(
    tail: str, patterns: tuple[str, ...]
) -> tuple[str | None, str | None] | None:
    """The signature closing the report: (organisation, ISO date), the last match."""
    last = None
    for pattern in patterns:
        for m in finditer(pattern, tail):
            if last is None or m.end() > last.end():
                last = m
    if last is None:
        return None
    groups = last.groupdict()
    return _name_value(groups.get("org")) or None, _iso_date(groups)


# ---- year and date -----------------------------------------------------------


def _weighed_year(text: str, spec: Spec) -> int | None:
    """The year with the most weight of evidence (ties: the later year).

    Each evidence pattern counts a year once, however often it matches.
    """
    weights: dict[int, int] = defaultdict(int)
    for evidence in spec.metadata.year_evidence:
        seen = {int(m.group("year")) for m in finditer(evidence.pattern, text)}
        for seen_year in seen:
            weights[seen_year] += evidence.weight
    return max(weights, key=lambda y: (weights[y], y)) if weights else None


def _published(text: str, patterns: tuple[str, ...]) -> str | None:
    """The first publication date the patterns find, as ISO YYYY-MM-DD."""
    for pattern in patterns:
        m = search(pattern, text)
        if m and (date := _iso_date(m.groupdict())):
            return date
    return None


def _iso_date(groups: dict[str, str | None]) -> str | None:
    parts = [groups.get(g) for g in ("year", "month", "day")]
    if not all(parts):
        return None
    year, month, day = (int(p) for p in parts if p)
    if 1 <= month <= 12 and 1 <= day <= 31:
        return f"{year:04d}-{month:02d}-{day:02d}"
    return None


# ---- findings ----------------------------------------------------------------


def _year_findings(year: int | None, title_year: int | None) -> list[Finding]:
    if year is None:
        return [
            Finding(
                "year.unknown", Severity.WARNING, "the statistical year was not found"
            )
        ]
    if title_year is not None and year != title_year:
        return [
            Finding(
                "year.title_mismatch",
                Severity.INFO,
                f"the title names {title_year} but the text reports on {year}; year = {year}",
                expected=year,
                actual=title_year,
            )
        ]
    return []


def _unknown(
    what: str, value: str | None, refused: list[tuple[str, str]]
) -> list[Finding]:
    """``metadata.<what>_unknown`` when the value is None, naming what was refused."""
    if value is not None:
        return []
    values = list(dict.fromkeys(v for w, v in refused if w == what))
    why = (
        "; refused (not a name): " + ", ".join(repr(v[:60]) for v in values[:3])
        if values
        else ""
    )
    return [
        Finding(
            f"metadata.{what}_unknown",
            Severity.INFO,
            f"the report's {what} was not found{why}",
        )
    ]
