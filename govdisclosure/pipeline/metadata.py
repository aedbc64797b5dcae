"""Sections + Spec → Metadata: title, organisation, statistical year, publication date.

Strategy: every value comes from the spec's patterns (`metadata:` in the
spec), tried where a report states it: the title from a preamble line, the
organisation from the title or the preamble, the publication date from the
page's byline. The statistical year is weighed, never read off the title
alone: each evidence pattern adds its weight to the years it finds in the
preamble and the first section, and the heaviest year wins (a report titled
2021 may report on 2020, seed 001; the title's year is kept beside it and a
disagreement is an info finding).
"""

from __future__ import annotations

import re
from collections import defaultdict

from attrs import frozen

from govdisclosure.model import Finding, Severity
from govdisclosure.pipeline.sections import Sections
from govdisclosure.spec.model import Spec
from govdisclosure.spec.patterns import PatternTimeoutError, finditer, fullmatch, search

__all__ = ["Metadata", "read_metadata"]

_HAN_SPACE = re.compile(r"(?<=[\u3400-\u9fff])\s+(?=[\u3400-\u9fff])")
_YEAR = re.compile(r"(?<!\d)(20\d{2}|19\d{2})(?!\d)")


@frozen
class Metadata:
    title: str | None
    organization: str | None
    year: int | None
    title_year: int | None
    published: str | None = None


def read_metadata(sections: Sections, spec: Spec) -> tuple[Metadata, list[Finding]]:
    """Title, organisation, statistical year and publication date, from the spec's patterns.

    The year is weighed, never read off the title alone: a report titled 2021
    may report on 2020 (seed 001), and its text says so in several places.
    """
    meta = spec.metadata
    preamble = sections.preamble()
    # the year is often stated only in 一、总体情况's first sentence
    first_body = sections.text(sections.spans[0]) if sections.spans else ""
    findings: list[Finding] = []
    try:
        title = _first_title(preamble, meta.title_patterns)
        organization = _organization(title, preamble, meta.organization_patterns)
        published = _published("\n".join(preamble), meta.date_patterns)
        year = _weighed_year("\n".join(preamble) + "\n" + first_body, spec)
    except PatternTimeoutError:  # reported by load
        return Metadata(None, None, None, None), findings
    title_year = None
    if title and (found := _YEAR.search(title)):
        title_year = int(found.group(1))
    if year is not None and title_year is not None and year != title_year:
        findings.append(
            Finding(
                "year.title_mismatch",
                Severity.INFO,
                f"the title names {title_year} but the text reports on {year}; year = {year}",
                expected=year,
                actual=title_year,
            )
        )
    if year is None:
        findings.append(
            Finding(
                "year.unknown", Severity.WARNING, "the statistical year was not found"
            )
        )
    return Metadata(title, organization, year, title_year, published), findings


def _organization(
    title: str | None, preamble: list[str], patterns: tuple[str, ...]
) -> str | None:
    """The first group ``org`` a pattern finds, in the title first, then the preamble."""
    found = None
    for pattern in patterns:
        for source in (title, "\n".join(preamble)):
            m = search(pattern, source) if source else None
            if m and m.group("org"):
                found = m.group("org").strip()
                if found:
                    return found
                break  # a blank name: the next pattern, not the next source
    return found


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
        if m:
            year, month, day = (int(m.group(g)) for g in ("year", "month", "day"))
            if 1 <= month <= 12 and 1 <= day <= 31:
                return f"{year:04d}-{month:02d}-{day:02d}"
    return None


def _first_title(preamble: list[str], patterns: tuple[str, ...]) -> str | None:
    """The first preamble line matching a title pattern (its group ``title`` if any)."""
    for text in preamble:
        for pattern in patterns:
            m = fullmatch(pattern, text) if text else None
            if m:
                title = (m.groupdict().get("title") or text).strip()
                # a title wrapped by the page keeps no space inside a word
                return _HAN_SPACE.sub("", title)
    return None
