"""NormalizedText + Spec → Sections: where each section is, and where the report ends.

Strategy: a heading is a line whose match form starts with the section's
number and one of its titles, printed in one of the spec's heading forms
(``二.主动公开政府信息情况``, also ``(二)…`` by default).
Sections are searched in spec order, each after the previous one found, so a
table row that happens to start with the same number (``四、结转下年度继续办理``)
cannot be taken for the next heading. The text before the first heading is the
preamble (page chrome, title, preface); the text after the last heading ends at
the first spec ``end_marker`` (page footer, spam).

The report's metadata is read from the preamble and the first section by the
next step (`metadata`).
"""

from __future__ import annotations

import bisect
import itertools
import re
import string
from collections.abc import Collection, Sequence

from attrs import frozen

from govdisclosure.memo import by_identity
from govdisclosure.model import Finding, Section, Severity, SourceSpan
from govdisclosure.pipeline.normalize import Line, NormalizedText
from govdisclosure.spec.model import HeadingForm, SectionSpec, Spec
from govdisclosure.typography import label_key, match_key, match_text

__all__ = ["SectionSpan", "Sections", "locate_sections"]

_HAN = re.compile(r"[\u3400-\u9fff]")
_HAN_SPACE = re.compile(r"(?<=[\u3400-\u9fff])\s+(?=[\u3400-\u9fff])")

_YEAR = re.compile(r"(?<!\d)(20\d{2}|19\d{2})(?!\d)")


@frozen
class SectionSpan:
    """A located section: where its heading is, and where its body starts and stops.

    Positions are ``(line index, column)`` in the normalised lines, so a body
    may start and stop in the middle of a line: a collapsed page puts a whole
    report on one line, headings included.
    """

    spec: SectionSpec
    heading: tuple[int, int]
    start: tuple[int, int]
    stop: tuple[int, int]


@frozen
class Sections:
    """Every located section, the end of the report, and its metadata."""

    normalized: NormalizedText
    spans: tuple[SectionSpan, ...]
    preamble_stop: tuple[int, int]
    findings: tuple[Finding, ...]

    def preamble(self) -> list[str]:
        """The lines before the first heading, stripped (the last one cut at the heading)."""
        lines = self.normalized.lines
        line_no, column = self.preamble_stop
        out = [line.text.strip() for line in lines[:line_no]]
        if line_no < len(lines):
            out.append(lines[line_no].text[:column].strip())
        return out

    def text(self, span: SectionSpan) -> str:
        """A section's body as text, lines joined by newlines."""
        pieces = _pieces(self.normalized.lines, span.start, span.stop)
        return "\n".join(line.text[a:b] for line, a, b in pieces)

    def span(self, section_id: str) -> SectionSpan | None:
        return next((s for s in self.spans if s.spec.id == section_id), None)

    def body(self, section_id: str) -> list[tuple[Line, int, int]]:
        """The section's body as ``(line, start column, end column)`` pieces."""
        span = self.span(section_id)
        if span is None:
            return []
        return _pieces(self.normalized.lines, span.start, span.stop)

    def prose(self, exclude: Collection[str]) -> list[tuple[Line, int, int]]:
        """The preamble and the bodies of the sections not in ``exclude``, in order."""
        lines = self.normalized.lines
        out = _pieces(lines, (0, 0), self.preamble_stop)
        for span in self.spans:
            if span.spec.id not in exclude:
                out += _pieces(lines, span.start, span.stop)
        return out

    def as_model(self) -> tuple[Section, ...]:
        out = []
        lines = self.normalized.lines
        for span in self.spans:
            head_line, head_col = span.heading
            head = lines[head_line]
            heading = (
                head.text[head_col : span.start[1]].strip()
                if span.start[0] == head_line
                else head.text[head_col:].strip()
            )
            pieces = _pieces(lines, span.start, span.stop)
            text = "\n".join(
                t for line, a, b in pieces if (t := line.text[a:b].strip())
            )
            start = head.source_span(head_col, head_col + 1)[0]
            last, _, b = pieces[-1] if pieces else (head, 0, len(head.text))
            end = (
                last.source_span(max(b - 1, 0), b)[1]
                if b
                else last.source_span(0, 0)[0]
            )
            out.append(
                Section(
                    span.spec.id, heading, text, SourceSpan(start, end, head.number)
                )
            )
        return tuple(out)


def _pieces(
    lines: tuple[Line, ...], start: tuple[int, int], stop: tuple[int, int]
) -> list[tuple[Line, int, int]]:
    out = []
    for i in range(start[0], min(stop[0], len(lines) - 1) + 1):
        a = start[1] if i == start[0] else 0
        b = stop[1] if i == stop[0] else len(lines[i].text)
        if a < b:
            out.append((lines[i], a, b))
    return out


@by_identity(maxsize=256)
def _heading_keys(
    section: SectionSpec, forms: tuple[HeadingForm, ...]
) -> tuple[tuple[str, bool], ...]:
    """The section's headings in match form, with whether each must fill its line.

    One per heading form and title (or alias), longest first, so that a
    heading is not cut short by a shorter alias it starts with.
    """
    keys = []
    for title in (section.title, *section.aliases):
        t = label_key(title)
        if not section.number:  # an unnumbered heading (附表 政府信息公开情况统计表)
            keys.append((t, False))
            continue
        keys += [
            (_form_key(form.form, section.number, t), form.whole_line) for form in forms
        ]
    return tuple(sorted(keys, key=lambda k: len(k[0]), reverse=True))


def _form_key(form: str, number: str, title: str) -> str:
    """A heading form filled in, in match form; ``title`` is already in match form.

    The form's own text is folded piece by piece (``、`` → ``.``, ``（`` → ``(``,
    spaces dropped), so the number and title are not folded a second time. The
    loader has checked that ``{number}`` and ``{title}`` are its only fields.
    """
    out = []
    for literal, name, _, _ in string.Formatter().parse(form):
        out.append(label_key(literal))
        if name is not None:
            out.append(number if name == "number" else title)
    return "".join(out)


def locate_sections(normalized: NormalizedText, spec: Spec) -> Sections:
    """Find the spec's sections in order, the report's end and its metadata."""
    lines = normalized.lines
    found = _headings(normalized, spec)
    # the last section runs to the report's end: the first end marker after
    # its heading, so a page footer or spam after the report is no section text
    end = _report_end(lines, found[-1][2] if found else (len(lines), 0), spec)
    spans = tuple(
        SectionSpan(
            section, heading, body, found[n + 1][1] if n + 1 < len(found) else end
        )
        for n, (section, heading, body) in enumerate(found)
    )
    preamble_stop = found[0][1] if found else (len(lines), 0)
    findings = _missing_sections(spec, spans) + _unmentioned(lines, spec, spans)
    return Sections(normalized, spans, preamble_stop, tuple(findings))


def _headings(
    normalized: NormalizedText, spec: Spec
) -> list[tuple[SectionSpec, tuple[int, int], tuple[int, int]]]:
    """Each section found: (section, heading position, body position) as (line, column).

    In spec order, each searched after the previous one's heading: a section
    that is not found is skipped, and the search goes on for the next, so one
    missing heading costs one section, not the rest of the report.
    """
    keys = _LineKeys(normalized)
    found: list[tuple[SectionSpec, tuple[int, int], tuple[int, int]]] = []
    cursor = (0, 0)
    for section in spec.sections:
        variants = _heading_keys(section, spec.heading_forms)
        hit = _find_heading(normalized.lines, keys, variants, cursor)
        if hit is not None:
            found.append((section, *hit))
            cursor = hit[1]
    return found


def _missing_sections(spec: Spec, spans: Sequence[SectionSpan]) -> list[Finding]:
    located = {span.spec.id for span in spans}
    return [
        Finding(
            "section.missing",
            Severity.WARNING,
            f"section {section.number}、{section.title} was not found",
            spec=spec.ref,
        )
        for section in spec.sections
        if section.id not in located
    ]


def _unmentioned(
    lines: tuple[Line, ...], spec: Spec, spans: Sequence[SectionSpan]
) -> list[Finding]:
    """A finding for each word a section must mention and does not (``must_mention``)."""
    findings = []
    for span in spans:
        if not span.spec.must_mention:
            continue
        text = "".join(
            line.text[a:b] for line, a, b in _pieces(lines, span.start, span.stop)
        )
        key = match_text(text)
        findings += [
            Finding(
                "section.must_mention",
                Severity.WARNING,
                f"section {span.spec.number}、{span.spec.title} says nothing about {word}, which the format requires it to report",
                spec=spec.ref,
            )
            for word in span.spec.must_mention
            if label_key(word) not in key
        ]
    return findings


class _LineKeys:
    """Each line's match form; its offset index only for the lines that need one."""

    def __init__(self, normalized: NormalizedText) -> None:
        self._lines = normalized.lines
        self.keys = normalized.match_keys
        self._joined: str | None = None
        self._starts: list[int] = []
        self._index: dict[int, Sequence[int]] = {}

    def first_candidate(self, variants: Sequence[tuple[str, bool]], start: int) -> int:
        """The first line from ``start`` on that holds any of ``variants``.

        Found on the joined keys, in C: the lines before it hold none, so a
        heading search may start there (or at the end, when there is none).
        """
        if self._joined is None:
            self._joined = "\n" + "\n".join(self.keys) + "\n"
            self._starts = list(
                itertools.accumulate((len(k) + 1 for k in self.keys), initial=1)
            )
        offset = (
            self._starts[start] - 1 if start < len(self.keys) else len(self._joined)
        )
        hits = [
            (self._joined.find(f"\n{v}\n", offset) + 1)  # past the newline, or 0
            if whole
            else self._joined.find(v, offset)
            for v, whole in variants
        ]
        found = [h for h in hits if h > 0]
        if not found:
            return len(self.keys)
        return max(start, bisect.bisect_right(self._starts, min(found)) - 1)

    def index(self, i: int) -> Sequence[int]:
        if i not in self._index:
            self._index[i] = match_key(self._lines[i].text)[1]
        return self._index[i]


def _find_heading(
    lines: tuple[Line, ...],
    keys: _LineKeys,
    variants: Sequence[tuple[str, bool]],
    cursor: tuple[int, int],
) -> tuple[tuple[int, int], tuple[int, int]] | None:
    """The first heading at or after ``cursor``: (heading start, body start).

    A heading may stand inside a line (collapsed pages), but not inside a
    sentence: the character before it must not be a Han character.
    """
    for i in range(keys.first_candidate(variants, cursor[0]), len(lines)):
        key = keys.keys[i]
        if not key:
            continue
        first = 0
        if i == cursor[0]:
            # on the line of the previous heading, search only after it: two
            # headings may share a collapsed line
            first = next(
                (k for k, pos in enumerate(keys.index(i)) if pos >= cursor[1]),
                len(key),
            )
        best: tuple[int, int] | None = None  # (key start, key end)
        for variant, whole in variants:
            if whole:
                # a whole-line form, (二)…: sub-headings of 一、总体情况 use the
                # same brackets followed by prose (seed 004), so only a line
                # holding nothing else is this heading
                if key == variant and first == 0:
                    best = (0, len(key))
                continue
            # a form that may stand inside a line (collapsed pages glue the
            # body after it); a Han character before it means a sentence
            # that merely quotes the title
            at = key.find(variant, first)
            while at > 0 and _HAN.match(key[at - 1]):
                at = key.find(variant, at + 1)
            if at >= 0 and (best is None or at < best[0]):
                best = (at, at + len(variant))
        if best is not None:
            index = keys.index(i)
            return (i, index[best[0]]), (i, index[best[1] - 1] + 1)
    return None


def _report_end(
    lines: tuple[Line, ...], start: tuple[int, int], spec: Spec
) -> tuple[int, int]:
    """Where the report stops: the first end marker after the last heading."""
    markers = spec.metadata.end_markers
    for i in range(start[0], len(lines)):
        text = lines[i].text
        offset = start[1] if i == start[0] else 0
        hits = [at for m in markers if (at := text.find(m, offset)) >= 0]
        if hits:
            return (i, min(hits))
    return (len(lines), 0)
