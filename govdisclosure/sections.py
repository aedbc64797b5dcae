"""NormalizedText + Spec → Sections: where each section is, and report metadata.

Strategy: a heading is a line whose match form starts with the section's
number and one of its titles (``二.主动公开政府信息情况``, also ``(二)…``).
Sections are searched in spec order, each after the previous one found, so a
table row that happens to start with the same number (``四、结转下年度继续办理``)
cannot be taken for the next heading. The text before the first heading is the
preamble (page chrome, title, preface); the text after the last heading ends at
the first spec ``end_marker`` (page footer, spam).

Metadata comes from spec patterns: the title from a preamble line, the
organisation from the title or the preamble, the statistical year from
weighted evidence in the preamble and first section, never from the title alone.
"""

from __future__ import annotations

import re
from collections import defaultdict

from attrs import frozen

from govdisclosure.model import Finding, Section, Severity, SourceSpan
from govdisclosure.normalize import Line, NormalizedText, label_key, match_key
from govdisclosure.patterns import PatternTimeoutError, finditer, fullmatch, search
from govdisclosure.spec_model import SectionSpec, Spec

__all__ = ["Metadata", "SectionSpan", "Sections", "locate_sections"]

#: Characters of a line's start searched for a heading.
_HEAD = 160

_YEAR = re.compile(r"(?<!\d)(20\d{2}|19\d{2})(?!\d)")


@frozen
class SectionSpan:
    """A located section: heading line, and the body as lines ``[start, stop)``.

    ``column`` is where the body begins on the heading line itself (a collapsed
    layout puts the first table cells on the heading's line).
    """

    spec: SectionSpec
    heading_line: int
    column: int
    start: int
    stop: int


@frozen
class Metadata:
    title: str | None
    organization: str | None
    year: int | None
    title_year: int | None


@frozen
class Sections:
    """Every located section, the end of the report, and its metadata."""

    normalized: NormalizedText
    spans: tuple[SectionSpan, ...]
    preamble_stop: int
    metadata: Metadata
    findings: tuple[Finding, ...]

    def span(self, section_id: str) -> SectionSpan | None:
        return next((s for s in self.spans if s.spec.id == section_id), None)

    def body(self, section_id: str) -> list[tuple[Line, int]]:
        """The section's lines, each with the column where its body text begins."""
        span = self.span(section_id)
        if span is None:
            return []
        lines = self.normalized.lines
        out = [(lines[span.heading_line], span.column)]
        out += [(lines[i], 0) for i in range(span.start, span.stop)]
        return out

    def as_model(self) -> tuple[Section, ...]:
        out = []
        for span in self.spans:
            lines = self.normalized.lines
            head = lines[span.heading_line]
            body = [head.text[span.column :].strip()] + [
                lines[i].text.strip() for i in range(span.start, span.stop)
            ]
            start, _ = head.source_span(0, len(head.text))
            end = lines[span.stop - 1].end if span.stop > span.start else head.end
            text = "\n".join(b for b in body if b)
            heading = head.text[: span.column].strip()
            out.append(
                Section(
                    span.spec.id, heading, text, SourceSpan(start, end, head.number)
                )
            )
        return tuple(out)


def _heading_keys(section: SectionSpec) -> list[tuple[str, bool]]:
    """Heading forms in match form, with whether the form must fill its line.

    ``二、主动公开…`` may have the body glued after it (collapsed layouts);
    ``（二）主动公开…`` only counts as a whole line, because sub-headings of
    一、总体情况 use that form followed by prose (seed 004).
    """
    keys = []
    for title in (section.title, *section.aliases):
        t = label_key(title)
        keys += [(f"{section.number}.{t}", False), (f"({section.number}){t}", True)]
    return sorted(keys, key=lambda k: len(k[0]), reverse=True)


def locate_sections(normalized: NormalizedText, spec: Spec) -> Sections:
    """Find the spec's sections in order, the report's end and its metadata."""
    lines = normalized.lines
    # headings are short: the head of each line is enough to recognise one
    keys = [(line, *match_key(line.text[:_HEAD])) for line in lines]
    found: list[tuple[SectionSpec, int, int]] = []
    cursor = 0
    for section in spec.sections:
        variants = _heading_keys(section)
        for i in range(cursor, len(lines)):
            _, key, index = keys[i]
            hit = next(
                (
                    v
                    for v, whole in variants
                    if (key == v if whole else key.startswith(v))
                ),
                None,
            )
            if hit is not None:
                column = index[len(hit) - 1] + 1
                found.append((section, i, column))
                cursor = i + 1
                break
    end = _report_end(lines, found[-1][1] + 1 if found else len(lines), spec)
    spans = []
    for n, (section, i, column) in enumerate(found):
        stop = found[n + 1][1] if n + 1 < len(found) else end
        spans.append(SectionSpan(section, i, column, i + 1, stop))
    preamble_stop = found[0][1] if found else 0
    findings: list[Finding] = []
    missing = [s for s in spec.sections if s.id not in {f[0].id for f in found}]
    for section in missing:
        findings.append(
            Finding(
                "section.missing",
                Severity.WARNING,
                f"section {section.number}、{section.title} was not found",
                spec=f"{spec.id}@{spec.version}",
            )
        )
    first_body = ""
    if spans:
        s0 = spans[0]
        first_body = normalized.text(s0.start, s0.stop)
    metadata = _metadata(normalized, preamble_stop, first_body, spec, findings)
    return Sections(normalized, tuple(spans), preamble_stop, metadata, tuple(findings))


def _report_end(lines: tuple[Line, ...], start: int, spec: Spec) -> int:
    markers = spec.metadata.end_markers
    for i in range(start, len(lines)):
        if any(m in lines[i].text for m in markers):
            return i
    return len(lines)


def _metadata(
    normalized: NormalizedText,
    preamble_stop: int,
    first_body: str,
    spec: Spec,
    findings: list[Finding],
) -> Metadata:
    meta = spec.metadata
    preamble = [line.text.strip() for line in normalized.lines[:preamble_stop]]
    try:
        title = next(
            (
                text
                for text in preamble
                if text and any(fullmatch(p, text) for p in meta.title_patterns)
            ),
            None,
        )
        organization = None
        for pattern in meta.organization_patterns:
            for source in (title, "\n".join(preamble)):
                m = search(pattern, source) if source else None
                if m and m.group("org"):
                    organization = m.group("org").strip()
                    break
            if organization:
                break
        weights: dict[int, int] = defaultdict(int)
        evidence_text = "\n".join(preamble) + "\n" + first_body
        for evidence in meta.year_evidence:
            seen = {
                int(m.group("year")) for m in finditer(evidence.pattern, evidence_text)
            }
            for seen_year in seen:
                weights[seen_year] += evidence.weight
    except PatternTimeoutError as exc:
        findings.append(
            Finding(
                "spec.pattern_timeout",
                Severity.WARNING,
                str(exc),
                spec=f"{spec.id}@{spec.version}",
            )
        )
        return Metadata(None, None, None, None)
    year = max(weights, key=lambda y: (weights[y], y)) if weights else None
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
    return Metadata(title, organization, year, title_year)
