"""NormalizedText + Spec → Sections: where each section is, and where the report ends.

A heading is a section's number and one of its titles, printed in one of the
spec's heading forms (``二、主动公开政府信息情况``; by default also
``（二）…`` on a line of its own), found in the match form. Sections are
searched in spec order, each after the previous one found, so a table row that
starts like a heading (``四、结转下年度继续办理``) is never the next section.

* **What follows a heading decides, not what stands before it.** Crawled pages
  glue a heading to the value before it (``…3955万元三、收到和处理…``), to
  full-width spaces, or to another heading (``四、结转下年度继续办理四、政府信息
  公开行政复议…``). A heading is taken wherever it stands, unless the text after
  it continues a sentence: a closing quote or an enumeration comma
  (``按照“二、主动公开政府信息情况”的要求``, ``包括一、总体情况、二、…``).
  A table section prefers a heading followed by its own table labels (or by
  its line's end) to one followed by prose, which may be a mention; it takes a
  prose body only when there is no such heading (``2020年未收到政府信息公开申请。``).
* **A report may number its sections its own way.** The title identifies a
  section and the spec's order still holds, but the printed number may differ
  (a narrative 一…六, then the tables under 一、二、三): a general rule, since a
  report's numbering is not part of any format; it gives a
  ``section.renumbered`` finding.
* **A format may not fix a section's number or place.** A section with
  ``number: null`` takes any numeral and is never renumbered; one with
  ``order: any`` is searched in the whole report after the listed sections
  are found (`_anywhere`), and its heading ends the section before it, so
  two sections a report prints in either order (the 2008 regulations' 收费
  and 复议) each keep their own text. A spec without such sections takes
  the ordered path alone.
* **A table whose heading is missing is found by its labels.** When no
  heading of a table section is found, its table is looked for between the
  sections around it: the first run of three of its distinctive labels
  (labels no other section's table has) with only numbers, units and spaces
  between them, which is how a header row reads in every layout. The section
  starts there, with a ``section.located_by_table`` finding.

The preamble is the text before the first section; the text after the last
section ends at the first spec ``end_marker`` (page footer, spam). The
report's metadata is read from the preamble and the first section by the
next step (`metadata`).
"""

from __future__ import annotations

import bisect
import itertools
import operator
import re
import string
from collections.abc import Collection, Iterator, Sequence
from typing import Final, NamedTuple

from attrs import frozen

from govdisclosure.memo import by_identity
from govdisclosure.model import Finding, Section, Severity, SourceSpan
from govdisclosure.pipeline.normalize import Line, NormalizedText
from govdisclosure.spec.model import HeadingForm, SectionOrder, SectionSpec, Spec
from govdisclosure.typography import (
    NUMERALS,
    label_key,
    match_key,
    match_text,
    numeral,
)

__all__ = ["SectionSpan", "Sections", "locate_sections"]


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

    def stop_line(self, section_id: str) -> int | None:
        """The number of the line where the section's body stops, when what
        follows it (the next heading, the report's end) starts that line.

        Blank lines are in no body piece: the grid needs this to count the run
        of them after a table's last cell (`runs.separator_runs`). At the end
        of the text, the line after its last line break; None where the stop
        is in the middle of a line, or the text ends without a line break.
        """
        span = self.span(section_id)
        lines = self.normalized.lines
        if span is None:
            return None
        if span.stop[0] >= len(lines):
            ends_line = self.normalized.source.endswith(("\n", "\r"))
            return len(lines) + 1 if ends_line else None
        line_no, column = span.stop
        if lines[line_no].text[:column].strip():
            return None
        return lines[line_no].number

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
    """The ``(line, start column, end column)`` pieces from ``start`` to ``stop``
    (each a ``(line, column)``), empty pieces left out.

    The lines between the first and the last are whole: they are taken in
    one comprehension (a section spans hundreds of lines, most of them blank
    in a table printed one cell per line; tests/unit/test_sections.py checks
    it against the line-by-line walk).
    """
    first, (last, end) = start[0], stop
    top = min(last, len(lines) - 1)
    if top < first:
        return []
    head, tail = lines[first], lines[top]
    a = start[1]
    b = end if top == last else len(tail.text)
    if first == top:
        return [(head, a, b)] if a < b else []
    out = [(head, a, len(head.text))] if a < len(head.text) else []
    out += [(line, 0, n) for line in lines[first + 1 : top] if (n := len(line.text))]
    if b > 0:
        out.append((tail, 0, b))
    return out


class _Variant(NamedTuple):
    """One heading form filled in with one title, as a pattern on match forms."""

    pattern: re.Pattern[str]
    #: The title in match form: every match holds it (the line search's needle).
    title: str
    whole: bool
    #: The spec's number for the section.
    number: str
    #: The form starts with its number, so the numerals before a match may
    #: belong to the text before it (``统一二、…``).
    number_first: bool


class _Hit(NamedTuple):
    """A heading found in a line's match form."""

    line: int
    start: int
    end: int
    #: The number as printed (``""`` for an unnumbered heading).
    number: str
    #: Followed by the section's table labels or by its line's end, not prose.
    table: bool


class _Found(NamedTuple):
    """A located section: heading and body positions as (line, column)."""

    section: SectionSpec
    heading: tuple[int, int]
    body: tuple[int, int]
    number: str
    #: The table labels that located it, when its heading was not found.
    by_labels: tuple[str, ...] = ()


#: Any section number a report may print, in match form.
_NUMBER = f"(?P<number>[{NUMERALS}]+)"
#: What cannot follow a heading, in display form (width folded, so ，；are
#: ``,;``): the heading string continues a sentence that quotes or lists it.
_CONTINUATION: Final = frozenset("、,;”’\"'》」』】〉)>")


@by_identity(maxsize=256)
def _variants(
    section: SectionSpec, forms: tuple[HeadingForm, ...]
) -> tuple[_Variant, ...]:
    """The section's headings as patterns: one per heading form and title (or alias).

    The number is any run of numerals (a report may number its sections its
    own way); longer titles first, so a heading is not cut short by a
    shorter alias it starts with.
    """
    titles = sorted(
        {label_key(t) for t in (section.title, *section.aliases)}, key=len, reverse=True
    )
    if not section.numbered:  # an unnumbered heading (附表 政府信息公开情况统计表)
        return tuple(
            _Variant(re.compile(re.escape(t)), t, False, "", False) for t in titles
        )
    return tuple(
        _Variant(
            re.compile(_form_pattern(form.form, t)),
            t,
            form.whole_line,
            section.number or "",  # None: no number of its own to prefer
            form.form.lstrip().startswith("{number}"),
        )
        for t in titles
        for form in forms
    )


def _form_pattern(form: str, title: str) -> str:
    """A heading form as a pattern on match forms; ``title`` is already in match form.

    The form's own text is folded piece by piece (``、`` → ``.``, ``（`` → ``(``,
    spaces dropped), so the title is not folded a second time. The loader has
    checked that ``{number}`` and ``{title}`` are its only fields.
    """
    out = []
    for literal, name, _, _ in string.Formatter().parse(form):
        out.append(re.escape(label_key(literal)))
        if name is not None:
            out.append(_NUMBER if name == "number" else re.escape(title))
    return "".join(out)


def _heading_number(run: str, expected: str, number_first: bool) -> str | None:
    """The section number printed in a run of numerals, or None if there is none.

    A form that starts with its number lets the numerals of the text before
    it run into it (``统一二、``): the number is then the spec's own number if
    the run ends with it, else the longest valid numeral the run ends with.
    """
    if not number_first:
        return run if numeral(run) is not None else None
    if expected and run.endswith(expected):
        return expected
    return next((run[i:] for i in range(len(run)) if numeral(run[i:])), None)


@by_identity(maxsize=64)
def _section_labels(spec: Spec, section_id: str) -> tuple[str, ...]:
    """The labels of the section's tables in match form, longest first."""
    keys = {
        key
        for table in spec.tables
        if table.section == section_id
        for text in table.texts()
        if (key := label_key(text))
    }
    return tuple(sorted(keys, key=len, reverse=True))


@by_identity(maxsize=64)
def _distinctive_labels(spec: Spec, section_id: str) -> tuple[str, ...]:
    """The section's table labels that no other section's table has (two characters or more)."""
    others = {
        key
        for table in spec.tables
        if table.section != section_id
        for text in table.texts()
        if (key := label_key(text))
    }
    return tuple(
        k for k in _section_labels(spec, section_id) if k not in others and len(k) >= 2
    )


def locate_sections(normalized: NormalizedText, spec: Spec) -> Sections:
    """Find the spec's sections in order, the report's end and its metadata."""
    lines = normalized.lines
    keys = _LineKeys(normalized)
    found = _by_table(normalized, spec, _headings(normalized, spec, keys))
    if _anywhere_sections(spec):
        found = _anywhere(normalized, spec, keys, found)
    # the last section runs to the report's end: the first end marker after
    # its heading, so a page footer or spam after the report is no section text
    end = _report_end(lines, found[-1].body if found else (len(lines), 0), spec)
    spans = tuple(
        SectionSpan(f.section, f.heading, f.body, found[n + 1].heading)
        if n + 1 < len(found)
        else SectionSpan(f.section, f.heading, f.body, end)
        for n, f in enumerate(found)
    )
    preamble_stop = found[0].heading if found else (len(lines), 0)
    findings = (
        _how_found(lines, spec, found)
        + _missing_sections(spec, spans)
        + _unmentioned(lines, spec, spans)
    )
    return Sections(normalized, spans, preamble_stop, tuple(findings))


def _headings(normalized: NormalizedText, spec: Spec, keys: _LineKeys) -> list[_Found]:
    """Each listed section whose heading is found, in spec order.

    Each is searched after the previous one's heading: a section that is not
    found is skipped, and the search goes on for the next, so one missing
    heading costs one section, not the rest of the report. Sections with
    ``order: any`` are left to `_anywhere`.
    """
    found: list[_Found] = []
    cursor = (0, 0)
    for section in spec.sections:
        if section.order is SectionOrder.ANY:
            continue
        variants = _variants(section, spec.heading_forms)
        labels = _section_labels(spec, section.id)
        hit = _find_heading(normalized.lines, keys, variants, cursor, labels)
        if hit is None:
            continue
        index = keys.index(hit.line)
        heading = (hit.line, index[hit.start])
        body = (hit.line, index[hit.end - 1] + 1)
        found.append(_Found(section, heading, body, hit.number))
        cursor = body
    return found


@by_identity(maxsize=64)
def _anywhere_sections(spec: Spec) -> tuple[SectionSpec, ...]:
    """The sections with ``order: any``: none in the national formats."""
    return tuple(s for s in spec.sections if s.order is SectionOrder.ANY)


def _anywhere(
    normalized: NormalizedText, spec: Spec, keys: _LineKeys, found: list[_Found]
) -> list[_Found]:
    """``found`` with each ``order: any`` section whose heading is found, in text order.

    Each is searched in the whole report, by the rules of any heading (what
    follows decides; a table section prefers a heading followed by its
    labels), skipping a heading that overlaps one already taken (a longer
    title of another section at the same place). Its heading then ends the
    body of the section before it, wherever it stands, which is what a
    heading does: a format that does not fix the order of two sections
    (01 prints 复议 before 收费) has each ended by the other.
    """
    lines = normalized.lines
    out = list(found)
    for section in _anywhere_sections(spec):
        variants = _variants(section, spec.heading_forms)
        labels = _section_labels(spec, section.id)
        free: list[tuple[_Found, bool]] = []
        for hit in _hits(lines, keys, variants, (0, 0), labels):
            index = keys.index(hit.line)
            candidate = _Found(
                section,
                (hit.line, index[hit.start]),
                (hit.line, index[hit.end - 1] + 1),
                hit.number,
            )
            if not any(_overlap(candidate, f) for f in out):
                free.append((candidate, hit.table))
        # as `_find_heading`: the first followed by its table, else the first
        chosen = next((f for f, table in free if table or not labels), None)
        if chosen is None and free:
            chosen = free[0][0]
        if chosen is not None:
            out.append(chosen)
    return sorted(out, key=lambda f: f.heading)


def _overlap(a: _Found, b: _Found) -> bool:
    """Whether two headings share text (a heading runs from ``heading`` to ``body``)."""
    return a.heading < b.body and b.heading < a.body


def _how_found(
    lines: tuple[Line, ...], spec: Spec, found: Sequence[_Found]
) -> list[Finding]:
    """Info findings: a section found by its table's labels, or numbered otherwise."""
    findings = []
    for f in found:
        if f.by_labels:
            code = "section.located_by_table"
            message = (
                f"the heading of section {_name(f.section)} was not found; its "
                f"table was located by its labels ({', '.join(f.by_labels)})"
            )
        elif f.section.number is not None and f.number != f.section.number:
            code = "section.renumbered"
            message = f"section {_name(f.section)} is numbered {f.number} in the report"
        else:
            continue
        # the heading, or the first label that located the table
        line, col = lines[f.heading[0]], f.heading[1]
        stop = f.body[1] if not f.by_labels else col + len(f.by_labels[0])
        start, end = line.source_span(col, min(max(stop, col + 1), len(line.text)))
        span = SourceSpan(start, end, line.number)
        findings.append(Finding(code, Severity.INFO, message, spec=spec.ref, span=span))
    return findings


def _name(section: SectionSpec) -> str:
    """How findings name a section: ``三、收到和处理…``, or its title alone when it
    has no number of its own (unnumbered, or ``number: null``)."""
    return f"{section.number}、{section.title}" if section.number else section.title


#: Distinctive labels in a row that make a table's header (fewer if the
#: section's tables have fewer).
TABLE_RUN: Final = 3
#: What may stand between two labels of a table: numbers (with thousands
#: separators), whitespace, cell delimiters, brackets; units and blank
#: markers are removed by name.
_GAP_NUMBER = re.compile(r"[+\-]?\d[\d,]*(?:\.\d+)?")
_GAP_NOISE = re.compile(r"[\s|/()%:\-]+")
#: At most this much other text between two labels of one table run.
_MAX_BETWEEN: Final = 8


def _by_table(
    normalized: NormalizedText, spec: Spec, found: list[_Found]
) -> list[_Found]:
    """``found`` with each table section whose heading was not found located by its table.

    Each is looked for between the sections found around it, so the spec's
    order holds; a section located so bounds the search of the next.
    """
    out = list(found)
    order = {s.id: k for k, s in enumerate(spec.sections)}
    for n, section in enumerate(spec.sections):
        if section.order is SectionOrder.ANY or any(
            f.section.id == section.id for f in out
        ):
            continue
        labels = _distinctive_labels(spec, section.id)
        if len(labels) < 2:  # one label alone is no table: prose may name it
            continue
        before = [f for f in out if order[f.section.id] < n]
        after = [f for f in out if order[f.section.id] > n]
        start = before[-1].body if before else (0, 0)
        stop = after[0].heading if after else (len(normalized.lines), 0)
        anchor = _table_anchor(normalized.lines, start, stop, labels, spec)
        if anchor is not None:
            at, run = anchor
            out.insert(len(before), _Found(section, at, at, "", run))
    return out


def _table_anchor(
    lines: tuple[Line, ...],
    start: tuple[int, int],
    stop: tuple[int, int],
    labels: tuple[str, ...],
    spec: Spec,
) -> tuple[tuple[int, int], tuple[str, ...]] | None:
    """Where a table starts between ``start`` and ``stop``, and the labels that tell.

    The first label of the first run of `TABLE_RUN` different ``labels`` with
    nothing but numbers, units, blank markers and spaces between them: a
    header row or the first rows, in any layout. Prose that names a few
    labels (``其中自然人20件，商业企业2件``) has words and commas between them.
    """
    pieces = [
        (
            i,
            start[1] if i == start[0] else 0,
            stop[1] if i == stop[0] else len(line.text),
        )
        for i, line in enumerate(lines[start[0] : stop[0] + 1], start[0])
    ]
    text = "\n".join(lines[i].text[a:b] for i, a, b in pieces)
    key, index = match_key(text)
    pattern = re.compile("|".join(map(re.escape, labels)))
    # each label found: where it starts and ends in ``text``, and its key
    hits = [
        (index[m.start()], index[m.end() - 1] + 1, m.group())
        for m in pattern.finditer(key)
    ]
    need = min(TABLE_RUN, len(labels))
    for j, (at, _, first) in enumerate(hits):
        run = {first: text[at : hits[j][1]]}
        for k in range(j + 1, len(hits)):
            if len(run) >= need or not _only_cells(
                text[hits[k - 1][1] : hits[k][0]], spec
            ):
                break
            run.setdefault(hits[k][2], text[hits[k][0] : hits[k][1]])
        if len(run) >= need:
            return _position(pieces, at), tuple(run.values())
    return None


def _only_cells(gap: str, spec: Spec) -> bool:
    """Whether the text between two labels is what a table holds: numbers, units, spaces."""
    rest = _GAP_NOISE.sub("", _GAP_NUMBER.sub("", gap))
    words = (*spec.units, *spec.blank_markers, *spec.not_applicable_markers)
    for word in sorted(words, key=len, reverse=True):
        rest = rest.replace(word, "")
    return len(rest) <= _MAX_BETWEEN and not any(ch in "。、,;!?" for ch in rest)


def _position(pieces: Sequence[tuple[int, int, int]], offset: int) -> tuple[int, int]:
    """An offset in the pieces joined by newlines as a (line, column) position."""
    for i, a, b in pieces:
        if offset <= b - a:
            return (i, a + offset)
        offset -= b - a + 1
    raise AssertionError("offset past the pieces")  # pragma: no cover


def _missing_sections(spec: Spec, spans: Sequence[SectionSpan]) -> list[Finding]:
    """A warning for each required section not found; an optional one's absence is normal."""
    located = {span.spec.id for span in spans}
    return [
        Finding(
            "section.missing",
            Severity.WARNING,
            f"section {_name(section)} was not found",
            spec=spec.ref,
        )
        for section in spec.sections
        if section.id not in located and section.required
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
                f"section {_name(span.spec)} says nothing about {word}, which the format requires it to report",
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
            # each key and its newline, summed in C (a text has a thousand lines)
            self._starts = list(
                itertools.accumulate(
                    map(operator.add, map(len, self.keys), itertools.repeat(1)),
                    initial=1,
                )
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
    variants: Sequence[_Variant],
    cursor: tuple[int, int],
    labels: tuple[str, ...],
) -> _Hit | None:
    """The section's heading at or after ``cursor``.

    The first heading whose text goes on with the section's content; for a
    table section (``labels``), the first followed by its table labels if
    there is one, else the first followed by prose: a sentence may mention a
    section's title unquoted before the section itself (``在二、主动公开政府
    信息情况中``), and its table is what the section is read for.
    """
    prose: _Hit | None = None
    for hit in _hits(lines, keys, variants, cursor, labels):
        if hit.table or not labels:
            return hit
        prose = prose or hit
    return prose


def _hits(
    lines: tuple[Line, ...],
    keys: _LineKeys,
    variants: Sequence[_Variant],
    cursor: tuple[int, int],
    labels: tuple[str, ...],
) -> Iterator[_Hit]:
    """Every heading of the section from ``cursor`` on, in text order.

    Only the lines holding one of the titles are read (`first_candidate`).
    """
    needles = tuple({(v.title, False) for v in variants})
    i = keys.first_candidate(needles, cursor[0])
    while i < len(lines):
        first = 0
        if i == cursor[0]:
            # on the line of the previous heading, search only after it: two
            # headings may share a collapsed line. The index rises (a key
            # keeps its characters' order), so the first key position at or
            # after the cursor is found by bisection, not a walk of the line
            first = bisect.bisect_left(keys.index(i), cursor[1])
        yield from _line_hits(i, lines[i].text, keys, variants, first, labels)
        i = keys.first_candidate(needles, i + 1)


def _line_hits(
    i: int,
    text: str,
    keys: _LineKeys,
    variants: Sequence[_Variant],
    first: int,
    labels: tuple[str, ...],
) -> list[_Hit]:
    """The headings in line ``i`` from key position ``first`` on, leftmost and longest first."""
    key = keys.keys[i]
    matches: dict[int, _Hit] = {}
    for variant in variants:
        for m in variant.pattern.finditer(key, first):
            start, number = m.start(), ""
            if "number" in variant.pattern.groupindex:
                found = _heading_number(
                    m.group("number"), variant.number, variant.number_first
                )
                if found is None:
                    continue
                number = found
                if variant.number_first:  # numerals of the text before cut off
                    start = m.end("number") - len(found)
            # a whole-line form, (二)…: sub-headings of 一、总体情况 use the
            # same brackets followed by prose (seed 004), so only a line
            # holding nothing else is this heading
            if variant.whole and (start, m.end(), first) != (0, len(key), 0):
                continue
            table = _follows(keys, i, text, m.end(), labels)
            if table is None:
                continue
            hit = _Hit(i, start, m.end(), number, table)
            if start not in matches or matches[start].end < hit.end:
                matches[start] = hit
    return [matches[k] for k in sorted(matches)]


def _follows(
    keys: _LineKeys, i: int, text: str, end: int, labels: tuple[str, ...]
) -> bool | None:
    """What follows a heading that ends at key position ``end`` of line ``i``.

    None: a continued sentence (a closing quote, an enumeration comma), so
    the heading string is quoted or listed there, not a heading. True: the
    section's table labels, on the same line or, for a heading that ends its
    line, at the start of the next line holding text. False: anything else,
    read as the section's prose.
    """
    key = keys.keys[i]
    if end >= len(key):
        after = next((k for k in itertools.islice(keys.keys, i + 1, None) if k), "")
        return _starts_with_label(after, 0, labels)
    if text[keys.index(i)[end]] in _CONTINUATION:
        return None
    return _starts_with_label(key, end, labels)


def _starts_with_label(key: str, at: int, labels: tuple[str, ...]) -> bool:
    """Whether one of ``labels`` starts at ``at`` in a match form, past cell delimiters."""
    while at < len(key) and key[at] in "|:-":
        at += 1
    return any(key.startswith(label, at) for label in labels)


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
