"""[Report] → Findings: one organisation's reports checked against each other, year by year.

Strategy. Reports are grouped by agency (`agencies.group_agencies`: one
key for the names one agency prints, 淮安市洪泽区人民政府 and 洪泽区人民政府)
and ordered by statistical year; each report of year *y* whose organisation
also has a report of year *y − 1* is checked against it with the rules its
own spec declares (`YearRule`): the later report's spec knows what its
format carries over from the formats before it, so a rule can cross a
change of format (2020 in the 2019 format → 2021 in the 2021 format).

Every rule is a warning: real reports break some legitimately (a clean-up
of 规范性文件 resets 现行有效件数). A rule is checked only where every cell it
names is decided (ok, inferred, or blank as zero) in both reports.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path

from attrs import evolve

from govdisclosure.agencies import Agencies, group_agencies
from govdisclosure.api import trace
from govdisclosure.errors import SpecError
from govdisclosure.model import (
    DECIDED,
    Cell,
    Finding,
    Report,
    Severity,
    Value,
)
from govdisclosure.pipeline.narrow import Stated
from govdisclosure.reuse import section_reuse
from govdisclosure.spec.check import check_previous_names
from govdisclosure.spec.expr import (
    Instance,
    for_each_indexes,
    parse_equation,
    place,
    places,
    weighted_sum,
)
from govdisclosure.spec.model import ForEach, Invariant, Spec, TableSpec, YearRule
from govdisclosure.spec.registry import Registry, default_registry

__all__ = ["REUSE_THRESHOLD", "compare", "decide_by_neighbours"]

#: A section of prose repeating more than this share of last year's prose is
#: an ``across.reused`` finding (evaluators' common rule: more than half).
REUSE_THRESHOLD = 0.5


def compare(
    reports: Iterable[Report],
    registry: Registry | None = None,
    agencies: Agencies | None = None,
    reuse_threshold: float | None = REUSE_THRESHOLD,
) -> tuple[Finding, ...]:
    """Check each organisation's consecutive reports against the declared cross-year rules.

    ``registry`` supplies the specs (default: the bundled and installed ones).
    Reports without an organisation or a year cannot be placed and are named
    in an ``across.unplaced`` info finding; two reports of one organisation
    for the same year are an ``across.duplicate`` warning, and neither is
    compared. Broken rules are ``across.violated`` warnings. A rule naming a
    key its previous spec lacks is a `SpecError`. ``agencies`` says which
    names are one agency (default: `Agencies.bundled`); names it merges are
    an ``across.merged`` info finding, a name two agencies may print an
    ``across.undecided_agency`` info finding. A section of prose repeating
    more than ``reuse_threshold`` of last year's prose (`reuse.section_reuse`)
    is an ``across.reused`` warning; None checks no reuse.
    """
    registry = registry if registry is not None else default_registry()
    findings: list[Finding] = []
    groups = _grouped(reports, agencies, findings)
    for org in sorted(groups):
        by_year = groups[org]
        for year in sorted(by_year):
            findings += _year(org, year, by_year, registry)
            pair = [*by_year.get(year - 1, []), *by_year[year]]
            if reuse_threshold is not None and len(pair) == 2 and year - 1 in by_year:
                findings += _reused(org, pair[1], pair[0], registry, reuse_threshold)
    return tuple(findings)


def _grouped(
    reports: Iterable[Report], agencies: Agencies | None, findings: list[Finding]
) -> dict[str, dict[int, list[Report]]]:
    """Placed reports by agency key and year; the unplaced and merged said in ``findings``."""
    placed: list[tuple[str, int, Report]] = []
    for report in reports:
        if not report.organization or report.year is None:
            findings.append(
                Finding(
                    "across.unplaced",
                    Severity.INFO,
                    f"{report.title or 'a report'} names no "
                    f"{'organisation' if not report.organization else 'year'}: not compared",
                )
            )
            continue
        placed.append((report.organization.strip(), report.year, report))
    named = group_agencies((name for name, _, _ in placed), agencies)
    for key, names in named.merged:
        findings.append(
            Finding(
                "across.merged",
                Severity.INFO,
                f"{key}: the names {'、'.join(names)} are compared as one agency",
            )
        )
    for name, others in named.undecided:
        findings.append(
            Finding(
                "across.undecided_agency",
                Severity.INFO,
                f"{name} may be any of {'、'.join(others)}: compared as an agency of its own",
            )
        )
    groups: dict[str, dict[int, list[Report]]] = {}
    for name, year, report in placed:
        groups.setdefault(named.keys[name], {}).setdefault(year, []).append(report)
    return groups


def _year(
    org: str, year: int, by_year: dict[int, list[Report]], registry: Registry
) -> list[Finding]:
    """The findings of ``org``'s report of ``year`` against its report of the year before."""
    if len(by_year[year]) > 1:
        return [
            Finding(
                "across.duplicate",
                Severity.WARNING,
                f"{org}: {len(by_year[year])} reports for {year}; they are not compared",
            )
        ]
    before = by_year.get(year - 1, [])
    if len(before) != 1:
        return []
    this, last = by_year[year][0], before[0]
    spec = registry.get(this.format)
    cells = {
        "this": {c.key: c for c in this.cells},
        "last": {c.key: c for c in last.cells},
    }
    findings = []
    for rule in spec.across_years:
        if (rule.previous or spec.id) != last.format:
            continue
        _require_names(rule, spec, registry.get(last.format))
        specs = {"this": spec, "last": registry.get(last.format)}
        findings += _check(rule, org, year, this, cells, specs)
    return findings


def _require_names(rule: YearRule, spec: Spec, previous: Spec) -> None:
    """A misspelt ``last.`` key would make the rule never fire: refuse it instead."""
    problems = check_previous_names(rule, previous)
    if problems:
        raise SpecError(
            f"across_years rule {rule.id!r} of {spec.id} does not fit {previous.id}: "
            + "; ".join(p.what for p in problems),
            spec_id=spec.id,
            problems=[f"{p.what}; fix: {p.fix}" for p in problems],
        )


def _check(
    rule: YearRule,
    org: str,
    year: int,
    this: Report,
    cells: dict[str, dict[str, Cell]],
    specs: dict[str, Spec],
) -> list[Finding]:
    """The rule's broken instances; ``cells`` maps "this"/"last" to each report's cells by key,
    ``specs`` to their specs."""
    equation = parse_equation(rule.equation)
    tables = {"this": rule.table, "last": rule.previous_table or rule.table}
    try:
        this_table = this.table(tables["this"])
    except KeyError:
        return []
    out = []
    for index in for_each_indexes(
        rule.for_each, this_table.row_keys, this_table.column_keys
    ):
        sides: list[list[tuple[int, Cell]]] = [[], []]
        named: list[str] = []
        complete = True
        for side, terms in enumerate((equation.lhs, equation.rhs)):
            for term in terms:
                which, _, name = term.name.partition(".")
                key = _key(tables[which], rule.for_each, index, name)
                cell = cells[which].get(key)
                if cell is None or not _counted(cell, specs[which]):
                    complete = False
                    break
                sides[side].append((term.coef, cell))
                named.append(f"{which}.{cell.key}")
        if not complete:
            continue
        left, right = (_sum(s) for s in sides)
        if left == right:
            continue
        label = f" [{rule.for_each.value} {index}]" if index else ""
        out.append(
            Finding(
                "across.violated",
                Severity.WARNING,
                f"{org} {year - 1}→{year}: {rule.id} {equation}{label}: "
                f"left side {left}, right side {right}"
                + (f" ({rule.description})" if rule.description else ""),
                rule=rule.id,
                equation=str(equation) + label,
                cells=tuple(named),
                expected=right,
                actual=left,
            )
        )
    return out


def _counted(cell: Cell, spec: Spec) -> bool:
    """Whether a rule may weigh ``cell``: decided, and no blank its spec does not count as 0."""
    return cell.status in DECIDED and spec.counts_as_zero(cell)


def _key(table: str, for_each: ForEach, index: str | None, name: str) -> str:
    """The cell key (``table.row.column``) a term's name stands for in the instance for ``index``."""
    row, column = place(for_each, index, name)
    return f"{table}.{row}.{column}"


def _sum(terms: list[tuple[int, Cell]]) -> Value:
    return weighted_sum((coef, cell.value) for coef, cell in terms)


# ---- neighbouring years as evidence ------------------------------------------


def decide_by_neighbours(
    text: str,
    neighbours: Iterable[Report],
    *,
    spec: str | Spec | Path | None = None,
    registry: Registry | None = None,
    agencies: Agencies | None = None,
) -> Report:
    """Parse ``text``, then settle its flagged cells with the same agency's reports of the years before and after.

    Each cross-year rule relating this report to a neighbour becomes an
    equation on this report's cells, the neighbour's decided cells as
    numbers, and narrows readings exactly as a figure of the prose does
    (docs/narrative.md#neighbouring-years-as-evidence): after the table's own
    equations, only where some reading satisfies it, so it never overrides a
    cell the text decides; a cell it decides is ``inferred``, its reason naming
    the neighbour and the rule. An ``across.neighbours`` info finding says
    which reports were used and which cells they decided.

    The neighbours' evidence is used whole or not at all: where one
    neighbour's equations leave no reading that another's (or the table's)
    allow, the years disagree, and which of them is wrong the text cannot
    tell; the report is then returned as its text reads it, with an
    ``across.neighbours_disagree`` warning naming the rules (a cell decided
    by the first of two contradicting neighbours would depend on their order).
    """
    registry = registry if registry is not None else default_registry()
    report, stages = trace(text, spec=spec, registry=registry)
    flagged = {c.key for c in report.cells if c.status not in DECIDED}
    if not flagged or not report.organization or report.year is None:
        return report
    own, by_year = _adjacent(report, neighbours, agencies)
    stated: list[Stated] = []
    used: list[str] = []
    for year, others in sorted(by_year.items()):
        if len(others) == 1:
            found = _stated(report, others[0], own, registry, later=year > report.year)
            stated += found
            used += [f"{year}"] if found else []
    doubled = [f"{y} ({len(rs)} reports)" for y, rs in by_year.items() if len(rs) > 1]
    again = report
    if stated:
        # the spec the first run used (a file's too); detection's findings kept below
        again = trace(text, spec=stages.spec, registry=registry, stated=stated)[0]
        dropped = [f for f in again.findings if f.code == "stated.dropped"]
        if dropped:
            return evolve(report, findings=(*report.findings, _disagree(own, dropped)))
    elif not doubled:
        return report
    decided = sorted(
        c.key for c in again.cells if c.key in flagged and c.status in DECIDED
    )
    unused = (
        f"; not used: {', '.join(sorted(doubled))}, which of one year's reports is "
        "right the text does not say" if doubled else ""
    )  # fmt: skip
    note = Finding(
        "across.neighbours",
        Severity.INFO,
        f"{own}: {'the ' + ' and '.join(used) + ' report(s)' if used else 'no report'} "
        "taken as evidence through the cross-year rules; cells they decided: "
        f"{', '.join(decided) or 'none'}{unused}",
        cells=tuple(decided),
    )
    detected = [
        f
        for f in report.findings
        if f.code == "spec.close_call" and again is not report
    ]
    return evolve(
        again, score=report.score, findings=(*detected, *again.findings, note)
    )


def _disagree(org: str, dropped: list[Finding]) -> Finding:
    """The neighbours' evidence set aside: some of it no reading satisfies with the rest."""
    return Finding(
        "across.neighbours_disagree",
        Severity.WARNING,
        f"{org}: the neighbouring years' reports disagree with this one's table or "
        f"with each other through {', '.join(sorted({f.rule or '' for f in dropped}))}; "
        "no cell was decided by them",
        cells=tuple(sorted({c for f in dropped for c in f.cells})),
    )


def _adjacent(
    report: Report, neighbours: Iterable[Report], agencies: Agencies | None
) -> tuple[str, dict[int, list[Report]]]:
    """The report's agency key, and the same agency's reports of the years just before and after.

    Several reports of one neighbouring year are kept together: the caller
    uses none of them, since two reports of one year that state different
    numbers would each decide the cells otherwise, first come first served.
    """
    around = [n for n in neighbours if n.organization and n.year is not None]
    keys = group_agencies(
        [report.organization or "", *(n.organization or "" for n in around)], agencies
    ).keys
    own = keys[(report.organization or "").strip()]
    by_year: dict[int, list[Report]] = {}
    for other in around:
        year = other.year or 0
        if (
            keys[(other.organization or "").strip()] == own
            and abs(year - (report.year or 0)) == 1
        ):
            by_year.setdefault(year, []).append(other)
    return own, by_year


def _stated(
    report: Report, other: Report, org: str, registry: Registry, *, later: bool
) -> list[Stated]:
    """The equations ``other`` (a year before or after) states on ``report``'s cells.

    The rules are the later report's: ``report``'s own rules when ``other`` is
    last year's, ``other``'s when it is next year's. In them ``report`` is
    ``this`` or ``last``, and its cells are the unknowns.
    """
    this, last = (other, report) if later else (report, other)
    spec = registry.get(this.format)
    known = {c.key: c for c in other.cells}
    other_spec = registry.get(other.format)
    out = []
    for rule in spec.across_years:
        if (rule.previous or spec.id) != last.format:
            continue
        _require_names(rule, spec, registry.get(last.format))
        unknown = "last" if later else "this"
        table = (rule.previous_table or rule.table) if later else rule.table
        tables = {"this": rule.table, "last": rule.previous_table or rule.table}
        try:
            target = registry.get(report.format).table(table)
        except KeyError:
            continue
        for index in for_each_indexes(
            rule.for_each,
            [r.key for r in spec.table(rule.table).row_leaves()],
            [c.key for c in spec.table(rule.table).column_leaves()],
        ):
            label = f" [{rule.for_each.value} {index}]" if index else ""
            ident = f"{rule.id}@{other.year}{label}"
            instance = _instance(
                rule, ident, index, unknown, tables, known, other_spec, target
            )
            if instance is None:
                continue
            said = (
                f"{org}'s {other.year} report ({other.format}) and cross-year rule "
                f"{rule.id} {rule.equation}{label} give {instance.text}"
            )
            out.append(Stated(ident, said, instance))
    return out


def _instance(
    rule: YearRule,
    ident: str,
    index: str | None,
    unknown: str,
    tables: dict[str, str],
    known: dict[str, Cell],
    known_spec: Spec,
    target: TableSpec,
) -> Instance | None:
    """The rule for ``index`` as ``Σ coef·cell + constant == 0`` over the unknown report's cells.

    None when a cell of the known report is not decided, or the rule names
    no cell of the unknown one.
    """
    equation = parse_equation(rule.equation)
    rows = {r.key for r in target.row_leaves()}
    terms: list[tuple[int, str, str]] = []
    constant: int | Decimal = 0
    for sign, side in ((1, equation.lhs), (-1, equation.rhs)):
        for term in side:
            which, _, name = term.name.partition(".")
            row, column = place(rule.for_each, index, name)
            if which == unknown:
                if row not in rows:
                    return None
                terms.append((sign * term.coef, row, column))
                continue
            cell = known.get(f"{tables[which]}.{row}.{column}")
            if cell is None or not _counted(cell, known_spec):
                return None
            constant += weighted_sum([(sign * term.coef, cell.value)])
    if not terms:
        return None
    text = f"{_terms_text(target.id, terms)} == {-constant}"
    return Instance(
        Invariant(ident, target.id, text),
        target.id,
        index,
        tuple(terms),
        text,
        constant,
        places(tuple(terms), target),
    )


def _terms_text(table: str, terms: list[tuple[int, str, str]]) -> str:
    """``t2_1.rules.in_force - t2_1.rules.issued``: coefficients shown only past ±1."""
    out = ""
    for coef, row, column in terms:
        sign = "-" if coef < 0 else "+"
        size = f"{abs(coef)}·" if abs(coef) != 1 else ""
        name = f"{size}{table}.{row}.{column}"
        out = f"{out} {sign} {name}" if out else (f"-{name}" if coef < 0 else name)
    return out


def _prose(report: Report, registry: Registry) -> list[str]:
    """The ids of ``report``'s sections that hold no table of its spec."""
    tables = {t.section for t in registry.get(report.format).tables}
    return [s.id for s in report.sections if s.id not in tables]


def _reused(
    org: str, this: Report, last: Report, registry: Registry, threshold: float
) -> list[Finding]:
    """An ``across.reused`` warning per section of prose past ``threshold``."""
    out = []
    for part in section_reuse(
        this, last, _prose(this, registry), _prose(last, registry)
    ):
        if part.share <= threshold:
            continue
        out.append(
            Finding(
                "across.reused",
                Severity.WARNING,
                f"{org} {last.year}→{this.year}: {part.heading} repeats "
                f"{part.share:.0%} of last year's prose ({part.repeated} of "
                f"{part.chars} characters in {len(part.passages)} passage(s))",
                rule=part.section,
            )
        )
    return out
