"""Spec → problems: the semantic checks a spec's schema cannot express.

A spec that has the right shape (every field known, every value of its type:
the loader's structuring sees to that) can still be wrong in what it says:
an invariant naming a row the table lacks, a table in a section that does not
exist, an alias naming two siblings, a pattern that does not compile, an
``across_years`` rule relating one year to itself.

Strategy. The checks read a built `Spec`, never YAML: each returns `Problem`s,
each with what is wrong, how to fix it and a ``$.path`` to the place, and
they run all, so an author sees every problem at once. Turning a path into
``FILE:LINE:COL`` is the loader's business (it has the YAML nodes); this
module knows no file. `check_previous_names` is also run by `across`, on a
rule against the spec of the report before.
"""

from __future__ import annotations

import difflib
import string
from collections import Counter
from collections.abc import Iterator

import regex
from attrs import frozen

from govdisclosure.spec.expr import EquationSyntaxError, parse_equation
from govdisclosure.spec.model import (
    ForEach,
    LabelNode,
    NarrativeFact,
    Spec,
    TableSpec,
    YearRule,
)
from govdisclosure.typography import label_key, numeral

__all__ = ["Problem", "check_previous_names", "check_spec"]


@frozen
class Problem:
    """One thing wrong with a spec: what, how to fix it, and where ($.path)."""

    what: str
    fix: str
    path: str = "$"

    def located(self, source: str, line: int, column: int) -> str:
        return f"{source}:{line}:{column}: {self.what}; fix: {self.fix}"


def check_spec(spec: Spec) -> list[Problem]:
    """Semantic checks the schema cannot express; returns the problems found."""
    problems = _check_sections(spec)
    problems += _check_heading_forms(spec)
    table_ids = [t.id for t in spec.tables]
    problems += _duplicate_ids("table", table_ids)
    section_ids = [s.id for s in spec.sections]
    for ti, table in enumerate(spec.tables):
        where = f"$.tables[{ti}]"
        if table.section not in section_ids:
            problems.append(
                Problem(
                    f"table {table.id!r} names unknown section {table.section!r}",
                    f"use one of the section ids: {', '.join(section_ids)}",
                    f"{where}.section",
                )
            )
        problems += _check_table(table, where)
    for ii, inv in enumerate(spec.invariants):
        where = f"$.invariants[{ii}]"
        if inv.table not in table_ids:
            problems.append(
                Problem(
                    f"invariant {inv.id!r} names unknown table {inv.table!r}",
                    f"use one of the table ids: {', '.join(table_ids)}",
                    f"{where}.table",
                )
            )
            continue
        problems += _check_invariant(
            spec.table(inv.table), inv.equation, inv.for_each, inv.id, where
        )
    problems += _duplicate_ids("narrative fact", [f.id for f in spec.narrative])
    for fi, fact in enumerate(spec.narrative):
        problems += _check_fact(spec, fact, f"$.narrative[{fi}]")
    for ri, rule in enumerate(spec.across_years):
        problems += _check_year_rule(spec, rule, f"$.across_years[{ri}]")
    problems += [
        Problem(
            f"pattern {pattern!r} does not compile: {exc}",
            "fix the regular expression (the `regex` module's syntax)",
            where,
        )
        for where, pattern in _patterns(spec)
        for exc in _compile_error(pattern)
    ]
    return problems


def _patterns(spec: Spec) -> Iterator[tuple[str, str]]:
    meta = spec.metadata
    for name in ("title_patterns", "organization_patterns", "date_patterns"):
        for i, pattern in enumerate(getattr(meta, name)):
            yield f"$.metadata.{name}[{i}]", pattern
    for i, evidence in enumerate(meta.year_evidence):
        yield f"$.metadata.year_evidence[{i}].pattern", evidence.pattern
    if spec.header_unit_pattern:
        yield "$.header_unit_pattern", spec.header_unit_pattern
    for i, pattern in enumerate(spec.ignore_patterns):
        yield f"$.ignore_patterns[{i}]", pattern
    for i, fact in enumerate(spec.narrative):
        for j, pattern in enumerate(fact.patterns):
            yield f"$.narrative[{i}].patterns[{j}]", pattern


def _check_fact(spec: Spec, fact: NarrativeFact, where: str) -> list[Problem]:
    problems = []
    if not fact.cells:
        problems.append(
            Problem(
                f"narrative fact {fact.id!r} names no cells",
                "list the cells whose sum the sentence states, as table.row.column",
                f"{where}.cells",
            )
        )
    tables = set()
    for cell in fact.cells:
        table_id, _, rest = cell.partition(".")
        tables.add(table_id)
        try:
            table = spec.table(table_id)
        except KeyError:
            table = None
        row, _, col = rest.partition(".")
        if (
            table is None
            or row not in {r.key for r in table.row_leaves()}
            or col not in {c.key for c in table.column_leaves()}
        ):
            problems.append(
                Problem(
                    f"narrative fact {fact.id!r}: {cell!r} is not a cell of this spec",
                    "write table.row.column with the keys of docs/keys.md",
                    f"{where}.cells",
                )
            )
    if len(tables) > 1:
        problems.append(
            Problem(
                f"narrative fact {fact.id!r} names cells of several tables",
                "a fact restates cells of one table; split it into one fact per table",
                f"{where}.cells",
            )
        )
    if not fact.patterns:
        problems.append(
            Problem(
                f"narrative fact {fact.id!r} has no patterns",
                "give at least one pattern with a group (?P<value>...)",
                f"{where}.patterns",
            )
        )
    for j, pattern in enumerate(fact.patterns):
        if (
            not _compile_error(pattern)
            and "value" not in regex.compile(pattern).groupindex
        ):
            problems.append(
                Problem(
                    f"narrative fact {fact.id!r}: pattern {pattern!r} has no group 'value'",
                    "capture the figure with (?P<value>\\d+)",
                    f"{where}.patterns[{j}]",
                )
            )
    return problems


def _check_year_rule(spec: Spec, rule: YearRule, where: str) -> list[Problem]:
    if rule.table not in [t.id for t in spec.tables]:
        return [
            Problem(
                f"across_years rule {rule.id!r} names unknown table {rule.table!r}",
                f"use one of the table ids: {', '.join(t.id for t in spec.tables)}",
                f"{where}.table",
            )
        ]
    try:
        equation = parse_equation(rule.equation)
    except EquationSyntaxError as exc:
        return [
            Problem(
                f"across_years rule {rule.id!r}: {exc}",
                "write 'terms == terms', each term this.NAME or last.NAME",
                f"{where}.equation",
            )
        ]
    problems = []
    this: list[str] = []
    last: list[str] = []
    for term in (*equation.lhs, *equation.rhs):
        which, _, name = term.name.partition(".")
        if which not in ("this", "last") or not name:
            problems.append(
                Problem(
                    f"across_years rule {rule.id!r}: {term.name!r} says neither this. nor last.",
                    "prefix every name with this. (this report) or last. (the year before)",
                    f"{where}.equation",
                )
            )
        else:
            (this if which == "this" else last).append(name)
    if problems:
        return problems
    if not this or not last:
        return [
            Problem(
                f"across_years rule {rule.id!r} does not relate two years",
                "use this. and last. terms in the same equation",
                f"{where}.equation",
            )
        ]
    problems += _check_invariant(
        spec.table(rule.table), _names_only(this), rule.for_each, rule.id, where
    )
    if rule.previous in (None, spec.id):  # another spec's keys: compare() checks them
        problems += check_previous_names(rule, spec, where)
    return problems


def check_previous_names(
    rule: YearRule, previous: Spec, where: str = "$"
) -> list[Problem]:
    """Problems with the ``last.`` names of ``rule`` as keys of ``previous``, the earlier report's spec.

    The rule's own spec checks them when it loads if ``previous`` is itself;
    `across.compare` checks them against another spec when it meets one.
    """
    equation = parse_equation(rule.equation)
    last = [
        name
        for term in (*equation.lhs, *equation.rhs)
        for which, _, name in [term.name.partition(".")]
        if which == "last"
    ]
    try:
        before = previous.table(rule.previous_table or rule.table)
    except KeyError:
        return [
            Problem(
                f"across_years rule {rule.id!r} names table "
                f"{rule.previous_table or rule.table!r}, which {previous.id} does not have",
                f"use one of the table ids: {', '.join(t.id for t in previous.tables)}",
                f"{where}.previous_table",
            )
        ]
    return _check_invariant(before, _names_only(last), rule.for_each, rule.id, where)


def _names_only(names: list[str]) -> str:
    """An equation over ``names``, for checking that they are keys of a table."""
    return " + ".join(names) + " == " + names[0]


def _compile_error(pattern: str) -> list[regex.error]:
    try:
        regex.compile(pattern)
    except regex.error as exc:
        return [exc]
    return []


def _duplicate_ids(kind: str, ids: list[str]) -> list[Problem]:
    """One problem per repeated id, placed at its second occurrence."""
    return [
        Problem(
            f"duplicate {kind} id {i!r}",
            f"give each {kind} its own id",
            f"$.{kind}s[{ids.index(i, ids.index(i) + 1)}].id",
        )
        for i, n in Counter(ids).items()
        if n > 1
    ]


def _check_sections(spec: Spec) -> list[Problem]:
    problems = _duplicate_ids("section", [s.id for s in spec.sections])
    last = 0
    for si, section in enumerate(spec.sections):
        value = numeral(section.number)
        if value is None:
            continue
        if value <= last:
            problems.append(
                Problem(
                    f"section {section.id!r} is numbered {section.number} after a later number",
                    "list the sections in the order the report prints them (一, 二, 三 …)",
                    f"$.sections[{si}].number",
                )
            )
        last = max(last, value)
    return problems


def _check_heading_forms(spec: Spec) -> list[Problem]:
    """Each heading form fills in ``{number}`` and ``{title}`` once, and nothing else.

    Without a form no numbered section could be found, which would only show
    as ``section.missing`` on every report.
    """
    if not spec.heading_forms and any(s.number for s in spec.sections):
        return [
            Problem(
                "'heading_forms' is empty, so no numbered section can be found",
                "list at least one form, e.g. {form: '{number}、{title}'}, or leave "
                "'heading_forms' out for the default forms",
                "$.heading_forms",
            )
        ]
    problems = []
    for i, heading in enumerate(spec.heading_forms):
        try:
            fields = [
                "{"
                + name
                + (f"!{conv}" if conv else "")
                + (f":{fmt}" if fmt else "")
                + "}"
                for _, name, fmt, conv in string.Formatter().parse(heading.form)
                if name is not None
            ]
        except ValueError as exc:
            fields = [f"a stray brace ({exc})"]
        if sorted(fields) != ["{number}", "{title}"]:
            problems.append(
                Problem(
                    f"heading form {heading.form!r} must hold {{number}} and {{title}} "
                    f"once each; it holds {', '.join(fields) or 'neither'}",
                    "write the heading with {number} where the number goes and {title} "
                    "where the title goes, e.g. '第{number}部分 {title}' (a literal "
                    "brace is written twice: {{ or }})",
                    f"$.heading_forms[{i}].form",
                )
            )
    return problems


def _check_table(table: TableSpec, where: str) -> list[Problem]:
    problems = []
    for kind, leaves in (
        ("row", table.row_leaves()),
        ("column", table.column_leaves()),
    ):
        counts = Counter(leaf.key for leaf in leaves)
        problems += [
            Problem(
                f"table {table.id!r}: duplicate {kind} key {k!r}",
                f"give each {kind} its own key (a keyed group prefixes its leaves' keys)",
                f"{where}.{kind}s",
            )
            for k, n in counts.items()
            if n > 1
        ]
        if not leaves:
            problems.append(
                Problem(
                    f"table {table.id!r} has no {kind}s",
                    f"add at least one {kind} with a key and a label",
                    f"{where}.{kind}s",
                )
            )
    unlabelled = [leaf for leaf in table.row_leaves() if not leaf.node.label]
    if unlabelled and len(table.row_leaves()) > 1:
        problems.append(
            Problem(
                f"table {table.id!r}: an unlabelled row must be the table's only row",
                "give the row a label, or make it the table's only row",
                f"{where}.rows",
            )
        )
    for kind in ("rows", "columns"):
        problems += _check_aliases(table, getattr(table, kind), f"{where}.{kind}")
    return problems


def _check_aliases(
    table: TableSpec, nodes: tuple[LabelNode, ...], where: str
) -> list[Problem]:
    """An alias may name one node among its siblings, not two.

    Two siblings with the same official label are allowed (the 2014 table
    repeats （二）被依法纠错数 under 四 and 五): such rows are taken in order.
    """
    problems = []
    owner: dict[str, tuple[int, bool]] = {}
    for i, node in enumerate(nodes):
        for j, text in enumerate((node.label, *node.aliases)):
            if not text:
                continue
            key = label_key(text)
            first = owner.setdefault(key, (i, j > 0))
            if first[0] != i and (j > 0 or first[1]):
                other = nodes[first[0]]
                place = f"{where}[{i}]" + (f".aliases[{j - 1}]" if j else ".label")
                problems.append(
                    Problem(
                        f"table {table.id!r}: {text!r} names both "
                        f"{other.key or other.label!r} and {node.key or node.label!r}",
                        "remove the alias from one of them, or make it longer so it names one",
                        place,
                    )
                )
        problems += _check_aliases(table, node.children, f"{where}[{i}].children")
    return problems


def _check_invariant(
    table: TableSpec, text: str, for_each: ForEach, inv_id: str, where: str
) -> list[Problem]:
    try:
        equation = parse_equation(text)
    except EquationSyntaxError as exc:
        return [
            Problem(
                f"invariant {inv_id!r}: {exc}",
                "write 'terms == terms', terms joined by + or -, each [INT*]name",
                f"{where}.equation",
            )
        ]
    rows = [leaf.key for leaf in table.row_leaves()]
    cols = [leaf.key for leaf in table.column_leaves()]
    problems = []
    for name in equation.names():
        if for_each is ForEach.ROW:
            ok, kind, choices = name in cols, "column", cols
        elif for_each is ForEach.COLUMN:
            ok, kind, choices = name in rows, "row", rows
        else:
            row, _, col = name.partition(".")
            ok, kind = row in rows and col in cols, "row.column"
            choices = [f"{r}.{c}" for r in rows for c in cols]
        if not ok:
            close = difflib.get_close_matches(name, choices, n=1)
            hint = f"did you mean {close[0]!r}? " if close else ""
            problems.append(
                Problem(
                    f"invariant {inv_id!r}: {name!r} is not a {kind} key of table {table.id!r}",
                    f"{hint}for_each: {for_each.value} names {kind} keys (docs/keys.md)",
                    f"{where}.equation",
                )
            )
    return problems
