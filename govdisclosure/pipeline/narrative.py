"""Sections → Facts: figures the prose states, checked against the tables.

Strategy. A report restates its key figures in prose ("本年度全区共收到70件
申请，及时依法依规办结69件"). Which phrase restates which cells is the spec's
knowledge (`NarrativeFact`: patterns with a group ``value``, and the cells
whose sum the figure is); this module only applies it:

1. `find_facts` cuts the prose (the preamble and the sections without a
   table) into sentences at 。；！？ and line ends, and tries each fact's
   patterns on each sentence. Every match is a `Fact`, with its sentence.
2. `narrow.narrow_readings` may use them as evidence (see there): a
   figure chooses among the readings of a collapsed row only where the
   table's own equations left a choice, and never against them.
3. `check_facts` compares each figure with the sum of its cells once the
   cells are final: a disagreement is a ``narrative.disagrees`` warning.
   Cells that are not decided (ambiguous, missing) are not compared.

A fact the spec declares without cells is a figure that belongs to no table
(a report under the 2008 regulations has none): it is found like the others
and listed, and takes no part in steps 2 and 3.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from typing import Final

from govdisclosure.memo import by_identity
from govdisclosure.model import (
    DECIDED,
    Cell,
    Fact,
    Finding,
    Severity,
    SourceSpan,
    Table,
    Value,
)
from govdisclosure.pipeline.sections import Sections
from govdisclosure.spec.expr import Instance, places, weighted_sum
from govdisclosure.spec.model import Invariant, Spec
from govdisclosure.spec.patterns import (
    PatternTimeoutError,
    compile_problem,
    finditer,
    search,
)
from govdisclosure.typography import SENTENCE_END

__all__ = ["agreed_facts", "check_facts", "fact_instance", "find_facts"]

_DIGIT = re.compile(r"[0-9]")
#: A longer run without sentence punctuation is not read: it is no sentence
#: (a page of chrome, a table flattened into prose), and cutting it could cut
#: a figure in two.
MAX_SENTENCE: Final = 300


def find_facts(sections: Sections, spec: Spec) -> tuple[Fact, ...]:
    """Every figure the spec's narrative patterns find in the prose, in text order."""
    if not spec.narrative:
        return ()
    tables = {t.section for t in spec.tables}
    out: list[Fact] = []
    for line, first, last in sections.prose(tables):
        for start, end in _sentences(line.text, first, last):
            sentence = line.text[start:end]
            if not _DIGIT.search(sentence):
                continue  # a figure is written in digits (display form folds full-width ones)
            if not _may_match(spec, sentence):
                continue
            for fact in spec.narrative:
                for pattern in fact.patterns:
                    try:
                        matches = list(finditer(pattern, sentence))
                    except PatternTimeoutError:
                        continue
                    for m in matches:
                        value = _value(m.group("value"))
                        if value is None:
                            continue
                        a, b = line.source_span(start, end)
                        out.append(
                            Fact(
                                fact.id,
                                fact.cells,
                                value,
                                sentence.strip(),
                                SourceSpan(a, b, line.number),
                                fact.unit,
                            )
                        )
    return tuple(dict.fromkeys(out))  # two patterns of one fact may find the same


@by_identity(maxsize=64)
def _any_pattern(spec: Spec) -> str | None:
    """All the spec's narrative patterns as one alternation, or None if they do not combine."""
    combined = "|".join(f"(?:{p})" for f in spec.narrative for p in f.patterns)
    # the spec's patterns are bounded each and together (spec.check), so the
    # alternation compiles within the bounds too, unless it does not combine
    if compile_problem(combined, whole_spec=True) is not None:
        return None
    return combined


def _may_match(spec: Spec, sentence: str) -> bool:
    """Whether any pattern matches somewhere in ``sentence``: one search, not one per pattern.

    Exact as a filter: a search for an alternation succeeds wherever one of
    its alternatives can match. A timeout says nothing, so it lets the
    sentence through to the patterns one by one.
    """
    combined = _any_pattern(spec)
    if combined is None:
        return True
    try:
        return search(combined, sentence) is not None
    except PatternTimeoutError:
        return True


def _sentences(text: str, first: int, last: int) -> list[tuple[int, int]]:
    out = []
    start = first
    for m in SENTENCE_END.finditer(text, first, last):
        out.append((start, m.end()))
        start = m.end()
    if start < last:
        out.append((start, last))
    return [(a, b) for a, b in out if text[a:b].strip() and b - a <= MAX_SENTENCE]


def _value(text: str | None) -> Value:
    if not text:
        return None
    digits = text.replace(",", "")  # display form: ，is folded to , already
    try:
        return Decimal(digits) if "." in digits else int(digits)
    except (ValueError, InvalidOperation):
        return None


def agreed_facts(facts: Sequence[Fact], spec: Spec) -> list[Fact]:
    """The facts that may choose readings: resolvable, and stated with one value.

    A figure the prose states twice with different values is evidence of
    nothing (two scopes, or a typo): it is checked, never used.
    """
    values: dict[str, set[Value]] = {}
    for fact in facts:
        values.setdefault(fact.id, set()).add(fact.value)
    # a figure of no table has no cells to choose among
    resolvable = {f.id for f in spec.narrative if f.resolve and f.cells}
    firsts: dict[str, Fact] = {}
    for fact in facts:
        if fact.id in resolvable and len(values[fact.id]) == 1:
            firsts.setdefault(fact.id, fact)
    return list(firsts.values())


def check_facts(
    tables: Sequence[Table], facts: Sequence[Fact], spec: Spec
) -> list[Finding]:
    """A ``narrative.disagrees`` warning for each figure its decided cells contradict."""
    cells: dict[str, Cell] = {c.key: c for t in tables for c in t.cells}
    names = {t.id: t.name for t in spec.tables}
    findings = []
    for fact in facts:
        if not fact.cells:
            continue  # a figure that belongs to no table has nothing to agree with
        found = [cells.get(k) for k in fact.cells]
        if any(
            c is None or c.status not in DECIDED or not spec.counts_as_zero(c)
            for c in found
        ):
            # a cell the table does not decide, or one declared not applicable
            # (no 0, as in the equations), cannot be compared
            continue
        total = weighted_sum((1, c.value) for c in found if c is not None)
        if total == fact.value:
            continue
        where = " + ".join(
            f"{names.get(c.table, c.table)} {c.row_label} {c.column_label}"
            for c in found
            if c is not None
        )
        findings.append(
            Finding(
                "narrative.disagrees",
                Severity.WARNING,
                f"the text 「{fact.sentence}」 states {fact.value}; the table has {where} = {total}",
                rule=fact.id,
                spec=spec.ref,
                cells=fact.cells,
                expected=fact.value,
                actual=total,
                span=fact.span,
            )
        )
    return findings


def fact_instance(fact: Fact, spec: Spec) -> Instance:
    """A figure of the prose as an equation, ``Σ cells − figure == 0``.

    `narrow` narrows with it together with the spec's own equations.
    """
    table = fact.cells[0].partition(".")[0]
    terms = []
    for key in fact.cells:
        _, row, column = key.split(".", 2)
        terms.append((1, row, column))
    equation = f"{' + '.join(fact.cells)} == {fact.value}"
    return Instance(
        Invariant(fact.id, table, equation),
        table,
        None,
        tuple(terms),
        equation,
        -(fact.value or 0),
        places(tuple(terms), spec.table(table)),
    )
