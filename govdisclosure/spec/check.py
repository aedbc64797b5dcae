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

from govdisclosure.spec.expr import Equation, EquationSyntaxError, parse_equation, place
from govdisclosure.spec.model import (
    ForEach,
    LabelNode,
    NarrativeFact,
    SectionOrder,
    Spec,
    TableSpec,
    YearRule,
    current_limits,
)
from govdisclosure.spec.patterns import compile_problem, compiled, pattern_size
from govdisclosure.typography import ENUMERATOR, label_key, numeral

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
    """Semantic checks the schema cannot express; returns the problems found.

    The checks run in the order of the spec's parts, so problems come back in
    the order an author reads the file.
    """
    checks = (
        _check_sections,
        _check_heading_forms,
        _check_heading_titles,
        _check_open_titles,
        _check_tables,
        _check_invariants,
        _check_narrative,
        _check_across_years,
        _check_patterns,
        _check_metadata,
        _check_total_rows,
        _check_label_lengths,
        _check_markers,
    )
    return [problem for check in checks for problem in check(spec)]


def _check_markers(spec: Spec) -> list[Problem]:
    """A marker both "none" (0) and "not applicable" (no 0) would mean both."""
    both = set(spec.blank_markers) & set(spec.not_applicable_markers)
    return [
        Problem(
            f"{marker!r} is in blank_markers and in not_applicable_markers",
            "keep it in one: blank_markers count as 0, not_applicable_markers do not",
            f"$.not_applicable_markers[{spec.not_applicable_markers.index(marker)}]",
        )
        for marker in sorted(both)
    ]


# ---- shared ------------------------------------------------------------------


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


def _unknown_id(owner: str, kind: str, name: str, ids: list[str], path: str) -> Problem:
    """``owner`` (e.g. ``invariant 'I1'``) names a ``kind`` the spec lacks; ``ids`` are those it has."""
    return Problem(
        f"{owner} names unknown {kind} {name!r}",
        f"use one of the {kind} ids: {', '.join(ids)}",
        path,
    )


# ---- sections ----------------------------------------------------------------


def _check_sections(spec: Spec) -> list[Problem]:
    """Unique ids, and the listed sections in their numbering order.

    A section with ``order: any`` or no fixed number has no place in the
    numbering to check.
    """
    problems = _duplicate_ids("section", [s.id for s in spec.sections])
    last = 0
    for si, section in enumerate(spec.sections):
        if section.number is None or section.order is SectionOrder.ANY:
            continue
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
    if not spec.heading_forms and any(s.numbered for s in spec.sections):
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
        fields = _fields(heading.form)
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


def _check_heading_titles(spec: Spec) -> list[Problem]:
    """A section title (or alias) may not be a table label after its enumerator.

    A heading's number may be any numeral (reports number their sections
    their own way), so a row ``三、依申请公开情况`` of a table would be read as
    the heading of a section titled 依申请公开情况, cutting the table.
    """
    labels: dict[str, tuple[str, str]] = {}
    for table in spec.tables:
        for text in table.texts():
            key = label_key(text)
            m = ENUMERATOR.match(key)
            labels.setdefault(key[m.end() :] if m else key, (table.id, text))
    problems = []
    for si, section in enumerate(spec.sections):
        for ti, title in enumerate((section.title, *section.aliases)):
            if (found := labels.get(label_key(title))) is not None:
                place = f"$.sections[{si}]" + (
                    f".aliases[{ti - 1}]" if ti else ".title"
                )
                problems.append(
                    Problem(
                        f"section {section.id!r}: {title!r} is also the label "
                        f"{found[1]!r} of table {found[0]!r}, which would be read as its heading",
                        "word the title or alias so that no table label reads the same",
                        place,
                    )
                )
    return problems


def _check_open_titles(spec: Spec) -> list[Problem]:
    """The titles of sections with no fixed number, or found anywhere, are unambiguous.

    A section with ``number: null`` takes its number from the heading form,
    so a title that prints one (``三、依申请公开…``) would need two. A section
    with ``order: any`` is searched in the whole report, so a title or alias
    it shares with another section would find that section's heading.
    """
    problems = []
    owners: dict[str, list[str]] = {}
    for section in spec.sections:
        for title in (section.title, *section.aliases):
            owners.setdefault(label_key(title), []).append(section.id)
    for si, section in enumerate(spec.sections):
        for ti, title in enumerate((section.title, *section.aliases)):
            place = f"$.sections[{si}]" + (f".aliases[{ti - 1}]" if ti else ".title")
            key = label_key(title)
            if section.number is None and ENUMERATOR.match(key):
                problems.append(
                    Problem(
                        f"section {section.id!r} has no fixed number (number: null), "
                        f"but its title {title!r} prints one",
                        "write the title without its number: the heading forms "
                        "put any section numeral before it",
                        place,
                    )
                )
            others = [o for o in owners[key] if o != section.id]
            if section.order is SectionOrder.ANY and others:
                problems.append(
                    Problem(
                        f"section {section.id!r} (order: any) shares the title "
                        f"{title!r} with section {others[0]!r}, so either heading "
                        "would be read as both",
                        "give each section titles of its own",
                        place,
                    )
                )
    return problems


def _fields(form: str) -> list[str]:
    """The replacement fields of a format string as written (``{title}``, ``{x!r}``)."""
    try:
        return [
            "{" + name + (f"!{conv}" if conv else "") + (f":{fmt}" if fmt else "") + "}"
            for _, name, fmt, conv in string.Formatter().parse(form)
            if name is not None
        ]
    except ValueError as exc:
        return [f"a stray brace ({exc})"]


# ---- tables ------------------------------------------------------------------


def _check_tables(spec: Spec) -> list[Problem]:
    problems = _duplicate_ids("table", [t.id for t in spec.tables])
    if not spec.tables and not spec.sections:
        # a format without a statutory table (the 2008 regulations) is told
        # from the others by its section headings and its prose's figures
        problems.append(
            Problem(
                "the spec declares neither tables nor sections, so no text can be "
                "recognised as its format",
                "declare the format's tables, or, for a format without a table, its "
                "sections (and the figures its prose states, under 'narrative')",
                "$.sections",
            )
        )
    section_ids = [s.id for s in spec.sections]
    for ti, table in enumerate(spec.tables):
        where = f"$.tables[{ti}]"
        if table.section not in section_ids:
            problems.append(
                _unknown_id(
                    f"table {table.id!r}",
                    "section",
                    table.section,
                    section_ids,
                    f"{where}.section",
                )
            )
        problems += _check_table(table, where)
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


# ---- invariants --------------------------------------------------------------


def _check_invariants(spec: Spec) -> list[Problem]:
    table_ids = [t.id for t in spec.tables]
    problems = []
    for ii, inv in enumerate(spec.invariants):
        where = f"$.invariants[{ii}]"
        if inv.table not in table_ids:
            problems.append(
                _unknown_id(
                    f"invariant {inv.id!r}",
                    "table",
                    inv.table,
                    table_ids,
                    f"{where}.table",
                )
            )
            continue
        problems += _check_invariant(
            spec.table(inv.table), inv.equation, inv.for_each, inv.id, where
        )
    return problems


def _check_invariant(
    table: TableSpec, text: str, for_each: ForEach, inv_id: str, where: str
) -> list[Problem]:
    """The equation parses and each of its names is a key of ``table`` under ``for_each``."""
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
        wrong = _not_a_cell(place(for_each, _EACH, name), rows, cols)
        if wrong is None:
            continue
        kind, choices = wrong
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


#: Stands for the row or column an invariant's instance is made for, as the
#: index given to `place`: a key of the table by construction, never a name
#: an equation can write.
_EACH = "*"


def _not_a_cell(
    cell: tuple[str, str], rows: list[str], cols: list[str]
) -> tuple[str, list[str]] | None:
    """What a term's ``(row, column)`` fails to be, and the keys it could be; None if it is a cell.

    ``cell`` is where `place` puts the term in the instance for `_EACH`: per
    row its name is a column key, per column a row key, once a ``row.column``.
    """
    row, column = cell
    if row == _EACH:
        return None if column in cols else ("column", cols)
    if column == _EACH:
        return None if row in rows else ("row", rows)
    if row in rows and column in cols:
        return None
    return "row.column", [f"{r}.{c}" for r in rows for c in cols]


# ---- narrative facts ---------------------------------------------------------


def _check_narrative(spec: Spec) -> list[Problem]:
    problems = _duplicate_ids("narrative fact", [f.id for f in spec.narrative])
    for fi, fact in enumerate(spec.narrative):
        where = f"$.narrative[{fi}]"
        problems += _check_fact_cells(spec, fact, where)
        problems += _check_fact_patterns(fact, where)
    return problems


def _check_fact_cells(spec: Spec, fact: NarrativeFact, where: str) -> list[Problem]:
    """A fact names cells, each a cell of the spec, all of one table; or none, with a key for an id.

    A fact without cells is a figure that belongs to no table: its id is its
    only name in the data (``Report.facts``), so it must be a key, as row and
    column keys are (docs/keys.md).
    """
    if not fact.cells:
        if _KEY.fullmatch(fact.id):
            return []
        return [
            Problem(
                f"narrative fact {fact.id!r} names no cells, so its id is its key, "
                "and it is not a key",
                "write the id in lower case with underscores (e.g. "
                "'proactive_published'), or list the cells whose sum the sentence "
                "states, as table.row.column",
                f"{where}.id",
            )
        ]
    problems = []
    tables = set()
    for cell in fact.cells:
        tables.add(cell.partition(".")[0])
        if not _is_cell(spec, cell):
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
    return problems


#: The id of a fact that belongs to no table: a key like the keys of rows and columns.
_KEY = regex.compile(r"[a-z][a-z0-9_]*")


def _is_cell(spec: Spec, address: str) -> bool:
    """Whether ``table.row.column`` is a cell of the spec."""
    table_id, _, rest = address.partition(".")
    try:
        table = spec.table(table_id)
    except KeyError:
        return False
    row, _, col = rest.partition(".")
    rows = {leaf.key for leaf in table.row_leaves()}
    return row in rows and col in {leaf.key for leaf in table.column_leaves()}


def _check_fact_patterns(fact: NarrativeFact, where: str) -> list[Problem]:
    """A fact has patterns, each capturing its figure as ``value`` (compiling is `_check_patterns`')."""
    problems = []
    if not fact.patterns:
        problems.append(
            Problem(
                f"narrative fact {fact.id!r} has no patterns",
                "give at least one pattern with a group (?P<value>...)",
                f"{where}.patterns",
            )
        )
    for j, pattern in enumerate(fact.patterns):
        groups = _group_names(pattern)
        if groups is not None and "value" not in groups:
            problems.append(
                Problem(
                    f"narrative fact {fact.id!r}: pattern {pattern!r} has no group 'value'",
                    "capture the figure with (?P<value>\\d+)",
                    f"{where}.patterns[{j}]",
                )
            )
    return problems


# ---- across_years rules ------------------------------------------------------


def _check_across_years(spec: Spec) -> list[Problem]:
    return [
        problem
        for ri, rule in enumerate(spec.across_years)
        for problem in _check_year_rule(spec, rule, f"$.across_years[{ri}]")
    ]


def _check_year_rule(spec: Spec, rule: YearRule, where: str) -> list[Problem]:
    table_ids = [t.id for t in spec.tables]
    if rule.table not in table_ids:
        return [
            _unknown_id(
                f"across_years rule {rule.id!r}",
                "table",
                rule.table,
                table_ids,
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
    this, last, problems = _this_and_last(rule, equation, where)
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
    problems = _check_invariant(
        spec.table(rule.table), _names_only(this), rule.for_each, rule.id, where
    )
    if rule.previous in (None, spec.id):  # another spec's keys: compare() checks them
        problems += check_previous_names(rule, spec, where)
    return problems


def _this_and_last(
    rule: YearRule, equation: Equation, where: str
) -> tuple[list[str], list[str], list[Problem]]:
    """The names after ``this.`` and after ``last.``, and a problem per term with neither."""
    this: list[str] = []
    last: list[str] = []
    problems = []
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
    return this, last, problems


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


# ---- patterns ----------------------------------------------------------------


def _check_patterns(spec: Spec) -> list[Problem]:
    """Each pattern compiles within its bounds, and all of them together too.

    Sizes are estimated before anything compiles (`patterns.pattern_size`):
    a pattern bomb must be refused, not compiled, and so must a spec whose
    many patterns are each just under the bound.
    """
    limits = current_limits()
    problems = []
    total = 0
    for where, pattern in _patterns(spec):
        problem = compile_problem(pattern, limits)
        if problem is not None:
            problems.append(Problem(*problem, where))
            continue
        total += pattern_size(pattern)
        if total > limits.max_patterns_size:
            problems.append(
                Problem(
                    f"the spec's patterns together unroll to about {total} positions "
                    f"when compiled (at most {limits.max_patterns_size})",
                    "write fewer or smaller patterns, or raise the bound: with "
                    "govdisclosure.spec.model.spec_limits(max_patterns_size=…): … "
                    "(docs/limits.md)",
                    where,
                )
            )
            break
    return problems


def _patterns(spec: Spec) -> Iterator[tuple[str, str]]:
    meta = spec.metadata
    for name in (
        "title_patterns",
        "organization_patterns",
        "date_patterns",
        "signature_patterns",
    ):
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


#: The groups the metadata step reads from each kind of pattern.
_METADATA_GROUPS = {
    "organization_patterns": ("org",),
    "date_patterns": ("year", "month", "day"),
    "signature_patterns": ("org",),
}
_DATE_GROUPS = frozenset({"year", "month", "day"})


def _check_metadata(spec: Spec) -> list[Problem]:
    """Each metadata pattern has the groups it is read by; header keys are keys.

    A pattern without its group would find text and give nothing, silently;
    a signature date is read only when all three of its parts are there.
    """
    meta = spec.metadata
    problems = []
    for name, required in _METADATA_GROUPS.items():
        for i, pattern in enumerate(getattr(meta, name)):
            groups = _group_names(pattern)
            if groups is None:
                continue  # reported by _check_patterns
            missing = [g for g in required if g not in groups]
            if name == "signature_patterns" and groups & _DATE_GROUPS:
                missing += sorted(_DATE_GROUPS - groups)
            problems += [
                Problem(
                    f"pattern {pattern!r} has no group {group!r}",
                    f"name the part it reads (?P<{group}>...)",
                    f"$.metadata.{name}[{i}]",
                )
                for group in missing
            ]
    for i, evidence in enumerate(meta.year_evidence):
        groups = _group_names(evidence.pattern)
        if groups is not None and "year" not in groups:  # found by fuzzing (#19)
            problems.append(
                Problem(
                    f"year evidence {evidence.pattern!r} has no group 'year'",
                    "name the year it reads (?P<year>20\\d{2})",
                    f"$.metadata.year_evidence[{i}].pattern",
                )
            )
    for i, key in enumerate(meta.header_keys):
        if not key.strip() or any(c in key for c in ":：\n"):
            problems.append(
                Problem(
                    f"header key {key!r} is empty or holds a colon or line break",
                    "write the key alone (标题, not 标题:)",
                    f"$.metadata.header_keys[{i}]",
                )
            )
    return problems


def _group_names(pattern: str) -> set[str] | None:
    """The pattern's named groups; None if it does not compile (`_check_patterns` says why)."""
    if compile_problem(pattern) is not None:
        return None
    return set(compiled(pattern).groupindex)


# ---- bounds (issue 19) --------------------------------------------------------


def _check_label_lengths(spec: Spec) -> list[Problem]:
    """No text matched against a report is longer than ``max_label_chars``.

    Label matching (fuzzy labels, glued labels) is quadratic in a label's
    length: one alias of 60,000 characters made each `load` take 3.5 GB.
    """
    limit = current_limits().max_label_chars
    return [
        Problem(
            f"{text[:40]!r}… has {len(text)} characters; a label, alias or marker "
            f"has at most {limit}",
            "write the label as the report prints it, or raise the bound: with "
            "govdisclosure.spec.model.spec_limits(max_label_chars=…): … (docs/limits.md)",
            where,
        )
        for where, text in _label_texts(spec)
        if len(text) > limit
    ]


def _label_texts(spec: Spec) -> Iterator[tuple[str, str]]:
    """Every text of a spec the steps look for in a report, with its place."""
    for name in (
        "units",
        "plus_words",
        "minus_words",
        "blank_markers",
        "not_applicable_markers",
    ):
        for i, text in enumerate(getattr(spec, name)):
            yield f"$.{name}[{i}]", text
    for i, text in enumerate(spec.metadata.end_markers):
        yield f"$.metadata.end_markers[{i}]", text
    for i, text in enumerate(spec.metadata.header_keys):
        yield f"$.metadata.header_keys[{i}]", text
    for i, section in enumerate(spec.sections):
        yield f"$.sections[{i}].title", section.title
        for name in ("aliases", "must_mention"):
            for j, text in enumerate(getattr(section, name)):
                yield f"$.sections[{i}].{name}[{j}]", text
    for i, table in enumerate(spec.tables):
        for name in ("labels", "remarks"):
            for j, text in enumerate(getattr(table, name)):
                yield f"$.tables[{i}].{name}[{j}]", text
        for name in ("rows", "columns"):
            yield from _node_texts(getattr(table, name), f"$.tables[{i}].{name}")


def _node_texts(nodes: tuple[LabelNode, ...], where: str) -> Iterator[tuple[str, str]]:
    for i, node in enumerate(nodes):
        if node.label:
            yield f"{where}[{i}].label", node.label
        for j, text in enumerate(node.aliases):
            yield f"{where}[{i}].aliases[{j}]", text
        yield from _node_texts(node.children, f"{where}[{i}].children")


# ---- group total rows (issue 17) ------------------------------------------------


def _check_total_rows(spec: Spec) -> list[Problem]:
    """``total_row`` is said of a keyed row group: the row of an older form that
    held the group's total, named by the group's key."""
    problems = []
    for i, table in enumerate(spec.tables):
        groups = table.row_groups()
        flagged = [n for n in _all_nodes((*table.rows, *table.columns)) if n.total_row]
        for node in flagged:
            if node not in groups:
                problems.append(
                    Problem(
                        f"table {table.id!r}: total_row on {node.label or node.key!r}, "
                        "which is not a row group",
                        "put total_row on a row group (a label with children)",
                        f"$.tables[{i}].rows",
                    )
                )
            elif not node.key or not node.label:
                problems.append(
                    Problem(
                        f"table {table.id!r}: the total_row group "
                        f"{node.label or node.key!r} needs a key and a label",
                        "give the group a key and a label",
                        f"$.tables[{i}].rows",
                    )
                )
    return problems


def _all_nodes(nodes: tuple[LabelNode, ...]) -> list[LabelNode]:
    out: list[LabelNode] = []
    for node in nodes:
        out += [node, *_all_nodes(node.children)]
    return out
