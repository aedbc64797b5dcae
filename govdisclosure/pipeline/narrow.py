"""TableDraft → TableDraft: drop the readings that no consistent table allows.

Strategy. The spec's equations (勾稽关系) hold on a true table, so a reading
of a row that no choice of the other rows' readings can complete into a table
satisfying them is not the report's. Each equation instance is a linear form
``Σ coef·cell + constant == 0`` (`spec.expr.Instance`); for one row *r* of it,
a reading survives when minus its contribution is a sum the other rows of the
equation can make (a sumset test, built from prefix and suffix sums so each
row is tested against all the others at once). Repeated over all equations to
a fixpoint, this never drops a reading that is part of a consistent whole
table, so a cell whose surviving readings agree is truly decided by the
equations (and marked ``inferred``, never ``ok``, by `cells`).

Before the equations, a row whose readings were not all listed (too many,
or a glued run too long to cut) is read again under its own equations by
`decode.row_solutions`, an exact memoised search; a row it cannot finish
within its bounds stays undecided with a ``decode.bound`` warning, and a row
still holding uncut runs takes no part in the equations (its listed readings
are none of them the report's).

Three guards keep it honest and bounded:

* an equation no reading can satisfy means the numbers disagree: a small set
  of equations that cannot hold together is found (an unsatisfiable core,
  `_conflict_core`) and reported as an ``invariant.unsatisfiable`` error; its
  rows are frozen (nothing is inferred from them) and narrowing restarts
  without the equations that touch them;
* sumsets larger than `MAX_SUMSET` skip that equation (it narrows nothing);
* after the equations, each figure of the prose narrows too, one at a time,
  and only when the equations leave it satisfiable: prose never overrides
  the table.
"""

from __future__ import annotations

import itertools
import math
import operator
from collections.abc import Iterable, Iterator, Sequence
from collections.abc import Set as AbstractSet
from decimal import Decimal
from typing import Final, cast

from attrs import evolve, frozen

from govdisclosure.model import Fact, Finding, Severity, Value
from govdisclosure.pipeline.decode import (
    MAX_SOLUTIONS,
    MAX_STATES,
    Constraint,
    DecodeBoundError,
    Domain,
    row_solutions,
)
from govdisclosure.pipeline.grid import Token, TokenKind
from govdisclosure.pipeline.narrative import fact_instance
from govdisclosure.pipeline.rows import RowDraft, TableDraft, in_spec_order, listed
from govdisclosure.pipeline.segment import (
    BLANK,
    GAP,
    LOST,
    MISSING,
    Piece,
    Reading,
    Slot,
    Unread,
    may_lose_cells,
)
from govdisclosure.pipeline.sumsets import MAX_SUMSET, UNSATISFIABLE, kept_readings
from govdisclosure.pipeline.values import MAX_SPLIT_DIGITS
from govdisclosure.spec.expr import Instance, instances
from govdisclosure.spec.model import Invariant, Spec, ValueType

__all__ = [
    "CONVENTIONS",
    "MAX_PASSES",
    "MAX_SUMSET",
    "NON_NEGATIVE",
    "SET_ASIDE",
    "ZEROS_PRINTED",
    "Stated",
    "narrow_readings",
    "set_aside_equations",
]

#: Narrowing passes over all equations before giving up on a fixpoint.
MAX_PASSES: Final = 20

#: The reading filters that are conventions, not equations (issue 18): their
#: ids, kept in a row's ``narrowed_by`` beside the equations', and what a
#: cell's reason says of them.
ZEROS_PRINTED: Final = "zeros-printed"
NON_NEGATIVE: Final = "non-negative"
CONVENTIONS: Final = {
    ZEROS_PRINTED: "the report prints its zeros as digits and leaves no cell "
    "empty elsewhere, so no cell of this row is empty",
    NON_NEGATIVE: "counts are never negative, so counts that must sum to 0 are 0",
}

_Number = int | Decimal
_RowKey = tuple[str, str]


@frozen
class Stated:
    """An equation on the report's cells that evidence outside its tables states.

    A figure of the prose (`narrative.fact_instance`), or another report's
    numbers through a cross-year rule (`across.decide_by_neighbours`): both
    narrow readings the same way, after the table's own equations, and only
    where some reading satisfies them. ``said`` is what a decided cell's
    reason quotes.
    """

    id: str
    said: str
    instance: Instance


def narrow_readings(
    drafts: Sequence[TableDraft],
    spec: Spec,
    facts: Sequence[Fact] = (),
    stated: Sequence[Stated] = (),
) -> tuple[tuple[TableDraft, ...], list[Finding]]:
    """Drop the readings no consistent table allows (module docstring): by the equations,
    the prose's ``facts``, then ``stated`` (neighbouring years'); findings: unsatisfiable cores."""
    rows: dict[_RowKey, RowDraft] = {
        (r.table, r.key): r for d in drafts for r in d.rows
    }
    if not (zeros := any(_prints_zero(r) for r in rows.values())):  # no 0 printed
        rows = {k: _without_lost(r) for k, r in rows.items()}
    usable = [
        i
        for i in instances(spec)
        if i.invariant.resolve and i.invariant.severity is Severity.ERROR
    ]
    if all(
        r.readings is not None and len(r.readings) <= 1 for d in drafts for r in d.rows
    ):
        # nothing to choose anywhere: no equation or figure can drop a reading
        # (and a row of one reading that breaks an equation is
        # `invariants`' ``invariant.violated``); only cells the text does
        # not give may still be 0 by an equation that holds
        return _zeros_of_one_reading(drafts, rows, usable), []
    columns = {d.spec.id: _column_indexes(d) for d in drafts}
    conflicts: list[list[Instance]] = []
    bounds = _search_undetermined_rows(rows, columns, usable, conflicts, zeros)
    bounded = {_finding_row(f) for f in bounds}
    # a row whose readings still leave out the cuts of a long run holds none
    # of the true readings: its equations would narrow the others wrongly,
    # and a conflict through it would be the reader's limit, not the report's
    uncut = [
        k for k, r in rows.items() if r.initial != () and _uncut_run(r) is not None
    ]
    unread = {*uncut, *(k for core in conflicts for k in _rows_of(core[0]))}
    rows, active, settled, frozen, decoded = _narrow_and_decode(
        rows, usable, unread, bounded, conflicts, columns, zeros
    )
    bounds = [f for f in bounds if _finding_row(f) not in decoded]
    still = {*uncut, *bounded} - decoded  # rows whose readings are not the report's
    trusted = [i for i in usable if not _rows_of(i) & still]
    rows, settled = _narrow_set_aside(
        rows, active, settled, trusted, conflicts, columns
    )
    evidence = [*_said(facts, spec), *stated]
    rows, dropped = _narrow_by_facts(rows, active, settled, frozen, evidence)
    rows = _zeros_printed(rows, active, spec, still)
    rows = _non_negative_zeros(rows, active, drafts)
    narrowed = tuple(
        evolve(d, rows=tuple(rows[(r.table, r.key)] for r in d.rows)) for d in drafts
    )
    return narrowed, [
        *bounds,
        *(_uncut_finding(rows[k]) for k in uncut if k not in bounded),
        *(_unsatisfiable(core, rows, spec) for core in conflicts),
        # a prose figure dropped is `narrative.check_facts`' to say
        *(_dropped(s) for s in stated if s.id in dropped),
    ]


def _dropped(stated: Stated) -> Finding:
    """Evidence from outside the text that no reading satisfies with the rest:
    it decided nothing, and the evidence disagrees with the table or with
    other evidence (`across.decide_by_neighbours` then uses none of it)."""
    return Finding(
        "stated.dropped",
        Severity.WARNING,
        f"{stated.said}: no reading of the table satisfies it together with its "
        "equations and the evidence before it, so it decides nothing",
        rule=stated.id,
        cells=tuple(
            f"{stated.instance.table}.{r}.{c}" for _, r, c in stated.instance.terms
        ),
    )


def _said(facts: Sequence[Fact], spec: Spec) -> list[Stated]:
    """The prose's figures as `Stated` equations; a row one narrows quotes its sentence."""
    return [
        Stated(f.id, f"the text says 「{f.sentence}」", fact_instance(f, spec))
        for f in facts
    ]


def _finding_row(finding: Finding) -> _RowKey:
    """The row a ``decode.bound`` finding names."""
    return cast(_RowKey, tuple(finding.cells[0].split(".", 1)))


def _narrow_and_decode(
    rows: dict[_RowKey, RowDraft],
    usable: list[Instance],
    unread: set[_RowKey],
    bounded: set[_RowKey],
    conflicts: list[list[Instance]],
    columns: dict[str, dict[str, int]],
    zeros: bool,
) -> tuple[dict[_RowKey, RowDraft], list[Instance], bool, set[_RowKey], set[_RowKey]]:
    """Narrow by the equations, then decode the ``bounded`` rows (their own
    search passed its bounds) with the values the equations through the other
    rows leave each of their columns (`_domains`), and narrow again with
    them, until no more is decoded: `_narrow_by_equations`'s results, and the
    rows decoded. ``zeros``: whether the report prints a 0 as a cell (`_listed`).

    A total row of five-digit counts glued into 31 digits has too many cuts
    for its own sum to search, but its column sums over the outcome rows
    (mostly decided) leave each column a few values: the search is then
    small. Each domain holds every value a consistent table gives (the other
    rows' readings keep all of theirs), so the readings found do too.
    """
    decoded: set[_RowKey] = set()
    frozen: set[_RowKey] = set()
    while True:
        unread -= decoded
        # an equation of few rows first: a row's own sum leaves each row a
        # few readings, and the column sums over many rows are then small to
        # build (the same fixpoint: narrowing only drops, and never what a
        # consistent table keeps)
        active = sorted(
            (i for i in usable if not _rows_of(i) & unread),
            key=lambda i: len(i.places),
        )
        rows, active, settled, frozen = _narrow_by_equations(
            rows, active, conflicts, frozen, zeros=zeros
        )
        pending = bounded - decoded - frozen
        new = {
            k for k in pending if _decode_row(k, rows, usable, unread | frozen, columns)
        }
        if not new:
            return rows, active, settled, frozen, decoded
        decoded |= new


def _decode_row(
    key: _RowKey,
    rows: dict[_RowKey, RowDraft],
    usable: list[Instance],
    unknown: set[_RowKey],
    columns: dict[str, dict[str, int]],
) -> bool:
    """Decode one row past its bounds with the domains of its columns; whether it was.

    ``unknown`` rows (unread, set aside) give no domain. A row the search
    still cannot finish, or that no reading fits (a conflict the exact search
    would have to name: left to its ``decode.bound`` finding), stays as it is.
    """
    row = rows[key]
    domains, ids = _domains(key, rows, usable, unknown)
    if not ids:
        return False
    own = [i for i in usable if _rows_of(i) == {key}]
    constraints = [
        tuple((coef, columns[row.table][col]) for coef, _, col in inst.terms)
        for inst in own
    ]
    try:
        readings = _solutions(row, constraints, domains)
    except DecodeBoundError:
        return False
    if not readings:
        return False
    by = tuple(dict.fromkeys([*(i.invariant.id for i in own), *ids]))
    rows[key] = evolve(row, readings=tuple(readings), initial=(), narrowed_by=by)
    return True


def _domains(
    key: _RowKey,
    rows: dict[_RowKey, RowDraft],
    usable: list[Instance],
    unknown: set[_RowKey],
) -> tuple[list[Domain], list[str]]:
    """Each column's possible values by the equations through ``key``'s row and
    listed rows only, and the ids of the equations that gave any.

    In an equation where the row holds one cell (coefficient ±1), the cell is
    minus the sum of the others, whose possible values are the sumset of the
    other rows' contributions (skipped past `MAX_SUMSET`).
    """
    row = rows[key]
    domains: list[Domain] = [None] * len(row.types)
    ids: list[str] = []
    for inst in usable:
        mine = [terms for r, terms in inst.places if (inst.table, r) == key]
        if len(mine) != 1 or len(mine[0]) != 1 or mine[0][0][0] not in (1, -1):
            continue
        ((coef, j),) = mine[0]
        sums = _others_sumset(inst, key, rows, unknown)
        if sums is None:
            continue
        values: set[Value] = {-coef * s for s in sums}
        before = domains[j]
        domains[j] = values if before is None else values & before
        ids.append(inst.invariant.id)
    return domains, ids


def _others_sumset(
    inst: Instance,
    key: _RowKey,
    rows: dict[_RowKey, RowDraft],
    unknown: set[_RowKey],
) -> set[_Number] | None:
    """The possible sums of ``inst``'s terms outside ``key``'s row (with its
    constant); None when a row is unknown or unlisted, a cell missing, or the
    sums past `MAX_SUMSET`."""
    sums: set[_Number] = {inst.constant}
    for r, terms in inst.places:
        other = (inst.table, r)
        if other == key:
            continue
        d = rows[other]
        if other in unknown or not d.found or not d.readings:
            return None
        found = {_contribution(reading, terms) for reading in d.readings}
        if None in found:
            return None
        values = cast(set[_Number], found)  # not per sum: cast is a call
        sums = {a + b for a in sums for b in values}
        if len(sums) > MAX_SUMSET:
            return None
    return sums


def _column_indexes(draft: TableDraft) -> dict[str, int]:
    """Each column key of the table's spec → its index in a reading."""
    return {c.key: j for j, c in enumerate(draft.spec.column_leaves())}


def _narrow_by_equations(
    initial: dict[_RowKey, RowDraft],
    usable: list[Instance],
    conflicts: list[list[Instance]],
    frozen_before: AbstractSet[_RowKey] = frozenset(),
    *,
    zeros: bool = True,
) -> tuple[dict[_RowKey, RowDraft], list[Instance], bool, set[_RowKey]]:
    """Narrow by the equations: rows, the equations used, whether they settled,
    and the frozen rows (at least ``frozen_before``, those of earlier conflicts).

    When narrowing finds an equation that no reading satisfies, the table has
    no consistent reading there, so nothing may be inferred from it: a small set of equations that cannot hold together is added to
    ``conflicts``, its rows are frozen, and narrowing restarts without the
    equations touching frozen rows. Frozen rows only grow, so this ends.
    """
    frozen = set(frozen_before)
    drafted: dict[_RowKey, RowDraft] | None = None
    while True:
        rows = dict(initial)
        active = [i for i in usable if not frozen & _rows_of(i)]
        broken, settled = _narrow_all(active, rows)
        if broken is None:
            return rows, active, settled, frozen
        if drafted is None:
            drafted = {k: _as_drafted(r, zeros) for k, r in initial.items()}
        core = _conflict_core(drafted, active, broken)
        conflicts.append(core)
        frozen |= {k for inst in core for k in _rows_of(inst)}
        # a frozen row is read as drafted: no equation through it is known
        # to hold, its own sum included (the search read it under that sum)
        initial = {k: drafted[k] if k in frozen else r for k, r in initial.items()}


def _narrow_set_aside(
    rows: dict[_RowKey, RowDraft],
    active: list[Instance],
    settled: bool,
    trusted: list[Instance],
    conflicts: list[list[Instance]],
    columns: dict[str, dict[str, int]],
) -> tuple[dict[_RowKey, RowDraft], bool]:
    """Narrow by the equations that hold once the rows of ``conflicts`` are set aside.

    A row whose numbers cannot add up is unknown, not wrong everywhere: its
    printed readings are set aside and its cells taken as unknowns, and every
    equation of ``trusted`` still holds on the true table. The equations in
    which those unknowns cancel (`set_aside_equations`) are implied by them
    whatever the row holds, so narrowing by them drops only readings that no
    table consistent with the rest keeps. They are appended to ``active``
    (the conventions after this narrow by them too). Should they find no
    reading either, the rest disagree as well and nothing is decided by them.
    """
    aside = {k for core in conflicts for inst in core for k in _rows_of(inst)}
    if not aside:
        return rows, settled
    labels = {k: r.label for k, r in rows.items()}
    derived = set_aside_equations(trusted, aside, labels, columns)
    if not derived:
        return rows, settled
    trial = dict(rows)
    broken, now_settled = _narrow_all(
        [*active, *derived], trial, len(active) if settled else 0
    )
    if broken is not None:
        return rows, settled
    active += derived
    return trial, now_settled


#: The prefix of the id of an equation derived with rows set aside
#: (`set_aside_equations`): what follows it is said in a cell's reason.
SET_ASIDE: Final = "set-aside:"

#: A linear form over cells ``(table, row, column key)`` with integer
#: coefficients, and the ids of the equations it was combined from.
_Form = tuple[dict[tuple[str, str, str], int], list[str]]


def set_aside_equations(
    trusted: Sequence[Instance],
    aside: set[_RowKey],
    labels: dict[_RowKey, str],
    columns: dict[str, dict[str, int]],
) -> list[Instance]:
    """The equations implied by ``trusted`` in which no cell of the ``aside`` rows is left.

    Gaussian elimination: each cell of an aside row is solved for in the
    equation of fewest terms holding it, substituted into the others, and
    that equation dropped. Every form left is a sum of multiples of
    ``trusted`` equations, so it holds on any table satisfying them, whatever
    the aside rows hold; and it names none of their cells.
    """
    # the spec's equations have no constant (a figure of the prose is not
    # among them): a derived form is ``Σ coef·cell == 0`` too
    forms = [_form(i) for i in trusted if _rows_of(i) & aside and not i.constant]
    unknowns = sorted({c for form, _ in forms for c in form if c[:2] in aside})
    for cell in unknowns:
        holding = [f for f in forms if cell in f[0]]
        if not holding:
            continue
        pivot = min(holding, key=lambda f: len(f[0]))
        forms.remove(pivot)
        for form in holding:
            if form is not pivot:
                _substitute(form, pivot, cell)
    names = ", ".join(dict.fromkeys(labels[k] for k in sorted(aside) if k in labels))
    return [_instance(form, ids, names, columns) for form, ids in forms if form]


def _form(inst: Instance) -> _Form:
    form: dict[tuple[str, str, str], int] = {}
    for coef, row, column in inst.terms:
        cell = (inst.table, row, column)
        form[cell] = form.get(cell, 0) + coef
    return {c: v for c, v in form.items() if v}, [inst.invariant.id]


def _substitute(form: _Form, pivot: _Form, cell: tuple[str, str, str]) -> None:
    """``form`` times the pivot's coefficient of ``cell``, minus ``pivot`` times
    the form's (so ``cell`` cancels), divided by the coefficients' gcd; in place.
    Integers throughout: a sum of integer multiples of the two."""
    terms, ids = form
    mine, theirs = terms[cell], pivot[0][cell]
    for c in terms:
        terms[c] *= theirs
    for c, v in pivot[0].items():
        now = terms.get(c, 0) - mine * v
        if now:
            terms[c] = now
        else:
            terms.pop(c, None)
    divisor = math.gcd(*terms.values()) if terms else 1
    for c in terms:
        terms[c] //= divisor
    ids.extend(i for i in pivot[1] if i not in ids)


def _instance(
    form: dict[tuple[str, str, str], int],
    ids: list[str],
    names: str,
    columns: dict[str, dict[str, int]],
) -> Instance:
    """A derived form as an `Instance`, its id naming the rows set aside."""
    terms = tuple((v, c[1], c[2]) for c, v in form.items())
    table = next(iter(form))[0]
    by_row: dict[str, list[tuple[int, int]]] = {}
    for coef, row, column in terms:
        by_row.setdefault(row, []).append((coef, columns[table][column]))
    text = " + ".join(f"{coef}*{row}.{column}" for coef, row, column in terms)
    invariant = Invariant(
        f"{SET_ASIDE}{', '.join(sorted(ids))} with {names}", table, f"{text} == 0"
    )
    return Instance(
        invariant,
        table,
        None,
        terms,
        f"{text} == 0",
        0,
        tuple((row, tuple(cols)) for row, cols in by_row.items()),
    )


def _narrow_by_facts(
    rows: dict[_RowKey, RowDraft],
    active: list[Instance],
    settled: bool,
    frozen: set[_RowKey],
    facts: Sequence[Stated],
) -> tuple[dict[_RowKey, RowDraft], set[str]]:
    """Narrow further by each figure of the prose (or other `Stated` evidence), together with the equations.

    A figure that no reading left by the equations can satisfy is dropped (it
    disagrees, and `narrative.check_facts` says so): prose never overrides
    the table. Returns the ids of the evidence dropped.
    """
    dropped: set[str] = set()
    for fact in facts:
        stated = fact.instance
        if frozen & _rows_of(stated):
            continue  # no consistent reading there: nothing to choose from
        trial = dict(rows)
        broken, now_settled = _narrow_all(
            [*active, stated], trial, len(active) if settled else 0
        )
        if broken is not None:
            dropped.add(fact.id)
            continue
        settled = now_settled
        for key, row in trial.items():
            if row is not rows[key]:
                trial[key] = evolve(
                    row,
                    narrowed_by=tuple(i for i in row.narrowed_by if i != fact.id),
                    evidence=(*row.evidence, fact.said),
                )
        rows = trial
        active.append(stated)
    return rows, dropped


def _search_undetermined_rows(
    rows: dict[_RowKey, RowDraft],
    columns: dict[str, dict[str, int]],
    usable: list[Instance],
    conflicts: list[list[Instance]],
    zeros: bool,
) -> list[Finding]:
    """Re-read the rows whose readings were not all listed, keeping those their
    own equations allow; a ``decode.bound`` finding for each row left unread.

    A row no reading of which satisfies its own equations adds them to
    ``conflicts`` (the search is exact: the row's numbers do not add up).

    Such a row has too many readings to list (``readings`` None) or a run
    too long to cut (`_uncut_run`). Its own equations (all terms in that
    row: 三's 总计, 四's group totals) are searched exactly (`decode`).
    Whatever it decides was decided by equations, so its cells can be
    INFERRED at best: the readings before the equations are unknown
    (``initial=()``). A row the search cannot read (no equation of its own,
    past its bounds, no reading at all) that has few enough readings to list
    is listed after all (`_listed`): it is then what listing it gave.
    """
    findings: list[Finding] = []
    for key, row in rows.items():
        if not row.found or not row.types:
            continue
        own = [
            inst
            for inst in usable
            if inst.table == row.table and all(r == row.key for _, r, _ in inst.terms)
        ]
        if row.readings is None and (not own or (zeros and _may_lose(row))):
            # nothing to search by; or a row that may have lost a cell in a
            # report that prints its zeros (its lost-cell readings stay):
            # listed, its own sums narrow nothing (a lost cell's value is
            # unknown), where the search would narrow its cuts
            row = rows[key] = _listed(row, zeros)
        if row.readings is not None and _uncut_run(row) is None:
            continue
        if not own and row.readings is None:
            continue  # nothing to search by, and too many readings to list
        if not _search_row(row, own, rows, columns, conflicts, zeros):
            findings.append(_bound_finding(row))
    return findings


def _search_row(
    row: RowDraft,
    own: list[Instance],
    rows: dict[_RowKey, RowDraft],
    columns: dict[str, dict[str, int]],
    conflicts: list[list[Instance]],
    zeros: bool,
) -> bool:
    """Read one row under its ``own`` equations (`_search_undetermined_rows`):
    its readings into ``rows``, or a core into ``conflicts``; False where the
    search passed its bounds and the row stays unread."""
    key = (row.table, row.key)
    constraints = [
        tuple((coef, columns[row.table][col]) for coef, _, col in inst.terms)
        for inst in own
    ]
    try:
        readings, bound = _solutions(row, constraints), False
    except DecodeBoundError:
        readings, bound = None, True
    if not readings and row.readings is None:
        found = _listed(row, zeros)
        if found is not row:  # few enough readings to list: read as listed
            rows[key] = found
            return True
    if bound:
        return False
    if readings is None:
        return True  # more numbers than columns: left as `rows` drafted it
    if not readings and own:
        # no equation in the core: the digits have no cut into the columns
        # at all, which is the row's reading failing, not its equations
        if core := _row_core(row, own, constraints):
            conflicts.append(core)
    elif readings:
        ids = tuple(dict.fromkeys(inst.invariant.id for inst in own))
        rows[key] = evolve(row, readings=tuple(readings), initial=(), narrowed_by=ids)
    return True


def _solutions(
    row: RowDraft,
    constraints: Sequence[Constraint],
    domains: Sequence[Domain] | None = None,
) -> list[Reading] | None:
    """`decode.row_solutions` of a row, in the spec's column order.

    The search fills the columns in the order the numbers are printed, so a
    row whose header prints its columns in another order than the form's
    (``RowDraft.order``) is searched in that order, its equations and
    domains moved there, and its readings put back: searched in the form's
    order, a glued 三 row printed 商业企业 first read its first number as
    自然人's.
    """
    order = row.order
    if order is None:
        found = row_solutions(
            row.tokens, row.types, constraints, domains, lost=row.may_lose
        )
        return found if found is None or row.may_lose else list(_unlost(found))
    place = {column: i for i, column in enumerate(order)}  # spec column → printed
    found = row_solutions(
        row.tokens,
        [row.types[c] for c in order],
        [tuple((coef, place[j]) for coef, j in eq) for eq in constraints],
        None if domains is None else [domains[c] for c in order],
        lost=row.may_lose,
    )
    if found is None:
        return None
    return in_spec_order(found if row.may_lose else list(_unlost(found)), order)


def _listed(row: RowDraft, zeros: bool) -> RowDraft:
    """A row `rows` left to the search (`segment.SEARCH_PAST`) that the search
    could not read, listed after all (`rows.listed`) and, in a report that
    prints no 0 as a cell (not ``zeros``), without its lost cells as
    `narrow_readings` drops them: what drafting it listed would have given.
    Itself where it has too many readings to list."""
    found = listed(row)
    return found if zeros or found is row else _without_lost(found)


def _may_lose(row: RowDraft) -> bool:
    """Whether a row's readings include lost cells: it may have lost one, and
    the report keeps such readings (`_without_lost` has not set them aside)."""
    return row.may_lose and may_lose_cells(row.tokens, len(row.types))


def _without_lost(row: RowDraft) -> RowDraft:
    """The row without its readings with a lost cell (`segment.LOST`), in a
    report that prints no 0 as a cell of its own: such a report leaves its
    empty cells unprinted, and a cell absent from a row printed apart is an
    empty one, not a lost one (the readings with it blank stay).
    """
    if not may_lose_cells(row.tokens, len(row.types)):
        return row  # no reading of it, listed or searched, has a lost cell
    if not row.readings:
        return evolve(row, may_lose=False)
    kept = tuple(_unlost(row.readings))
    return evolve(row, readings=kept, initial=kept, may_lose=False)


def _unlost(readings: Iterable[Reading]) -> Iterator[Reading]:
    # by identity (LOST equals MISSING and GAP), each slot tested in C
    lost = itertools.repeat(LOST)
    return (r for r in readings if not any(map(operator.is_, r, lost)))


def _row_core(
    row: RowDraft, own: list[Instance], constraints: list[Constraint]
) -> list[Instance]:
    """The fewest of a row's own equations that no reading satisfies (a deletion filter).

    The search is exact, so an equation is dropped when the row still has no
    reading without it. (In a glued 四 run a wrong digit often needs all
    three group totals: without one, the cuts can shift to fit the others.)
    """
    kept = list(range(len(own)))
    for e in range(len(own)):
        trial = [i for i in kept if i != e]
        try:
            none = _solutions(row, [constraints[i] for i in trial])
        except DecodeBoundError:
            continue  # too many readings without it: it is needed
        if none == []:
            kept = trial
    return [own[i] for i in kept]


def _bound_finding(row: RowDraft) -> Finding:
    """``decode.bound``: a row whose exact search passed its bounds, left undecided."""
    return Finding(
        "decode.bound",
        Severity.WARNING,
        f"row {row.label!r} of {row.table} allows more readings than the search "
        f"bounds ({MAX_STATES} states, {MAX_SOLUTIONS} readings): its cells are "
        "left undecided",
        cells=(f"{row.table}.{row.key}",),
    )


def _rows_of(inst: Instance) -> set[_RowKey]:
    return {(inst.table, row) for row, _ in inst.places}


def _narrow_all(
    active: list[Instance],
    rows: dict[_RowKey, RowDraft],
    settled: int = 0,
) -> tuple[Instance | None, bool]:
    """Narrow to a fixpoint: the first equation found unsatisfiable, and whether it settled.

    An equation is evaluated again only when one of its rows changed since
    its last evaluation: one that narrowed leaves its rows consistent with it,
    and one that did not would not now either, so skipping it changes nothing
    but the time (the same passes, the same fixpoint). Its answer depends on
    its rows' sets of shares only (`kept_readings` keeps a reading by its
    share's value), so a row that changed without changing its set of shares
    (narrowed in another column) does not count as changed either (`_Shares`).
    The first ``settled`` equations are already at a fixpoint on ``rows`` (a
    previous call settled them): they count as just evaluated.
    """
    row_keys = [tuple((i.table, row) for row, _ in i.places) for i in active]
    last: list[tuple[RowDraft, ...] | None] = [
        tuple(rows[k] for k in keys) if n < settled else None
        for n, keys in enumerate(row_keys)
    ]
    seen: list[list[set[_Number]] | None] = [None] * len(active)
    shares = _Shares()
    for _ in range(MAX_PASSES):
        changed = False
        for n, inst in enumerate(active):
            before = last[n]
            if before is not None and all(
                rows[k] is d for k, d in zip(row_keys[n], before, strict=True)
            ):
                continue
            now = shares.of(inst, rows)
            sets = None if now is None else [set(c) for c in now[1]]
            if sets is None or sets != seen[n]:
                result = _narrow_one(inst, rows, shares)
                if result is UNSATISFIABLE:
                    return inst, False
                changed |= bool(result)
                after = shares.of(inst, rows) if result else now
                sets = None if after is None else [set(c) for c in after[1]]
            seen[n] = sets
            last[n] = tuple(rows[k] for k in row_keys[n])
        if not changed:
            return None, True
    return None, False


#: An equation's rows and each one's shares of it per reading (`_contributions`).
_RowShares = tuple[list[RowDraft], list[list[_Number]]]


class _Shares:
    """Each row's shares of an equation's terms, remembered per row readings:
    an equation over twenty rows is evaluated again when one of them changed,
    and the others' shares are those it had (`_narrow_all`)."""

    def __init__(self) -> None:
        self.known: dict[
            tuple[_RowKey, tuple[tuple[int, int], ...]],
            tuple[tuple[Reading, ...], list[_Number] | None],
        ] = {}

    def of(self, inst: Instance, rows: dict[_RowKey, RowDraft]) -> _RowShares | None:
        """The rows of ``inst`` and their readings' shares of it (each row's
        looked up where its readings are those seen); None when it cannot
        narrow: a row missing or undetermined, or a term's cell missing."""
        drafts: list[RowDraft] = []
        contributions: list[list[_Number]] = []
        for row, terms in inst.places:
            d = rows[(inst.table, row)]
            if not d.found or not d.readings:
                return None
            known = self.known.get(((inst.table, row), terms))
            if known is None or known[0] is not d.readings:
                known = (d.readings, _contributions(d.readings, terms))
                self.known[((inst.table, row), terms)] = known
            if known[1] is None:
                return None
            drafts.append(d)
            contributions.append(known[1])
        return drafts, contributions


def _contribution(reading: Reading, terms: Sequence[tuple[int, int]]) -> _Number | None:
    """A reading's share of an equation; None when a term's cell is missing."""
    total: _Number = 0
    for coef, j in terms:
        slot = reading[j]
        if isinstance(slot, Piece):  # first: comparing a Piece with a str is slow
            if slot.value is not None:
                total += coef * slot.value
        elif slot == MISSING:
            return None
    return total


def _contributions(
    readings: Sequence[Reading], terms: Sequence[tuple[int, int]]
) -> list[_Number] | None:
    """Each reading's `_contribution`; None if any has a term's cell missing.

    A row's share is most often one cell (a column's equation over rows):
    read from the readings in one loop, not a call per reading (thousands of
    readings, each equation through the row evaluated again as others narrow).
    """
    if len(terms) != 1:
        return _sums_of_terms(readings, terms)
    ((coef, j),) = terms
    out: list[_Number] = []
    for reading in readings:
        slot = reading[j]
        if isinstance(slot, Piece):  # first: comparing a Piece with a str is slow
            out.append(coef * slot.value if slot.value is not None else 0)
        elif slot == MISSING:
            return None
        else:
            out.append(0)
    return out


def _sums_of_terms(
    readings: Sequence[Reading], terms: Sequence[tuple[int, int]]
) -> list[_Number] | None:
    """`_contributions` of several terms: each reading's `_contribution`, in one
    loop (no call per reading), the layout's empty cells (`BLANK` itself, most
    cells of a row of few numbers) passed over first."""
    out: list[_Number] = []
    for reading in readings:
        total: _Number = 0
        for coef, j in terms:
            slot = reading[j]
            if slot is BLANK:
                continue
            if isinstance(slot, Piece):  # first: comparing a Piece with a str is slow
                if slot.value is not None:
                    total += coef * slot.value
            elif slot == MISSING:
                return None
        out.append(total)
    return out


def _narrow_one(
    inst: Instance, rows: dict[_RowKey, RowDraft], shares: _Shares | None = None
) -> bool | str:
    """Narrow the rows of one equation; True if any changed, or `UNSATISFIABLE`
    (no reading of a row satisfies it). ``shares``: the rows' shares seen so far."""
    now = (shares or _Shares()).of(inst, rows)
    if now is None:
        return False  # a missing row or cell, or one undetermined: nothing to narrow
    drafts, contributions = now
    keep = kept_readings(contributions, inst.constant)
    if keep is None:
        return False  # too many sums to search: this equation narrows nothing
    if isinstance(keep, str):
        return keep  # UNSATISFIABLE
    changed = False
    for d, kept in zip(drafts, keep, strict=True):
        readings = d.readings or ()
        if len(kept) < len(readings):
            narrowed = (
                d.narrowed_by
                if inst.invariant.id in d.narrowed_by
                else (*d.narrowed_by, inst.invariant.id)
            )
            rows[(d.table, d.key)] = evolve(
                d, readings=tuple(readings[k] for k in kept), narrowed_by=narrowed
            )
            changed = True
    return changed


def _conflict_core(
    initial: dict[_RowKey, RowDraft], active: list[Instance], broken: Instance
) -> list[Instance]:
    """A small set of equations, ``broken`` among them, that no reading satisfies together.

    Only equations linked to ``broken`` through rows of several readings can
    have narrowed its rows (a row of one reading is a constant), so those are
    the candidates. Each is then dropped in turn if narrowing without it
    still finds the conflict (a deletion filter): what is left is a set of
    equations whose narrowing fails, so they cannot all hold, and none of
    which can be dropped from it.

    The caller gives the rows as drafted (`_as_drafted`): a row the search
    read under its own sum holds only readings that satisfy it, so the sum
    would never be needed, and the core would not name the row's own total.
    """
    core = [*_linked(initial, active, broken), broken]
    core.sort(key=lambda i: len(i.places))  # the small first, as in `narrow_readings`
    for inst in core:  # most often one equation fails alone (a total's own sum)
        if _narrow_one(inst, dict(initial)) is UNSATISFIABLE:
            return [inst]
    # the equations over many rows are tried for removal first, so that the
    # core names the fewest rows it can (a total's row and one column)
    for inst in sorted(core, key=lambda i: -len(i.places)):
        if len(core) == 1:
            break
        trial = [i for i in core if i is not inst]
        if _narrow_all(trial, dict(initial))[0] is not None:
            core = trial
    return core


def _as_drafted(row: RowDraft, zeros: bool) -> RowDraft:
    """A row `rows` left to the search (`segment.SEARCH_PAST`) and the search
    read, listed as drafting it would have (`_listed`); any other row as it is.

    A row read by the search has no initial readings; of those, one that had
    a run too long to cut (`_uncut_run`) or too many readings to list was
    never listed, and is left as the search read it.
    """
    if row.initial != () or not row.readings:
        return row
    found = _listed(evolve(row, readings=None, initial=None, narrowed_by=()), zeros)
    return row if found.readings is None or _uncut_run(found) is not None else found


def _linked(
    initial: dict[_RowKey, RowDraft], active: list[Instance], broken: Instance
) -> list[Instance]:
    """The equations of ``active`` (but ``broken``) linked to it by rows of several readings."""

    def open_rows(inst: Instance) -> set[_RowKey]:
        return {
            k
            for k in _rows_of(inst)
            if initial[k].readings is not None and len(initial[k].readings or ()) > 1
        }

    reached = open_rows(broken)
    linked: list[Instance] = []
    rest = [i for i in active if i is not broken]
    grew = True
    while grew:
        grew = False
        for inst in list(rest):
            rows = open_rows(inst)
            if rows & reached:
                linked.append(inst)
                rest.remove(inst)
                reached |= rows
                grew = True
    return linked


def _unsatisfiable(
    core: list[Instance], rows: dict[_RowKey, RowDraft], spec: Spec
) -> Finding:
    """``invariant.unsatisfiable``: equations that no reading of their rows satisfies."""
    involved = {k for inst in core for k in _rows_of(inst)}
    keys = [k for k in rows if k in involved]  # in the table's order
    labels = ", ".join(rows[k].label for k in keys)
    equations = "; ".join(inst.text for inst in core)
    ids = ", ".join(dict.fromkeys(inst.invariant.id for inst in core))
    return Finding(
        "invariant.unsatisfiable",
        Severity.ERROR,
        f"{ids} cannot all hold in {core[0].table}: no reading of the rows "
        f"{labels} satisfies {equations}; the report's numbers do not add up, "
        "and these rows are left undecided",
        rule=ids,
        spec=spec.ref,
        equation=equations,
        cells=tuple(f"{table}.{row}" for table, row in keys),
    )


def _uncut_run(row: RowDraft) -> Token | None:
    """A glued run of ``row`` whose cuts its readings leave out, if any.

    `segment.row_readings` cuts runs of up to `MAX_SPLIT_DIGITS` digits; a
    row with fewer numbers than columns and a longer run (28 digits for
    seven 4-digit cells) is listed with that run whole, so none of its
    readings is the report's. A row of delimited cells, or with as many
    numbers as columns, is read without cuts by design.
    """
    if row.readings is None or all(t.delimited for t in row.tokens):
        return None
    values = [t for t in row.tokens if t.kind is TokenKind.VALUE]
    if len(values) >= len(row.types):
        return None
    return next(
        (
            t
            for t in values
            if t.number is not None
            and t.number.splittable
            and len(t.number.digits) > MAX_SPLIT_DIGITS
        ),
        None,
    )


def _uncut_finding(row: RowDraft) -> Finding:
    """``decode.bound``: a row left undecided because its run is too long to cut."""
    run = _uncut_run(row)
    digits = len(run.number.digits) if run and run.number else 0
    return Finding(
        "decode.bound",
        Severity.WARNING,
        f"row {row.label!r} of {row.table} holds a glued run of {digits} digits, "
        f"longer than the {MAX_SPLIT_DIGITS} whose cuts are listed: its cells are "
        "left undecided, and the equations through it narrow nothing",
        cells=(f"{row.table}.{row.key}",),
        span=run.span if run else None,
    )


# ---- conventions: reasoning a person accepts, beyond the equations (issue 18) ----


def _zeros_of_one_reading(
    drafts: Sequence[TableDraft],
    rows: dict[_RowKey, RowDraft],
    usable: list[Instance],
) -> tuple[TableDraft, ...]:
    """`_non_negative_zeros` for tables whose rows have one reading at most.

    Only a row with a cell cut short (not in the text) can have one; the equations that
    the decided cells break are left out (their rows' numbers disagree).
    """
    if not any(_has_unknown(r) for d in drafts for r in d.rows):
        return tuple(drafts)
    broken = [i for i in usable if _narrow_one(i, dict(rows)) is UNSATISFIABLE]
    frozen = {k for i in broken for k in _rows_of(i)}
    active = [i for i in usable if not _rows_of(i) & frozen]
    rows = _non_negative_zeros(rows, active, drafts)
    return tuple(
        evolve(d, rows=tuple(rows[(r.table, r.key)] for r in d.rows)) for d in drafts
    )


def _has_unknown(row: RowDraft) -> bool:
    """Whether a found row has a cell cut short (the only unknown one reading leaves)."""
    return any(s == MISSING and not _unread(s) for r in row.readings or () for s in r)


def _zeros_printed(
    rows: dict[_RowKey, RowDraft],
    active: list[Instance],
    spec: Spec,
    unread: set[_RowKey],
) -> dict[_RowKey, RowDraft]:
    """Set aside the readings with an empty cell when the report prints its zeros.

    The evidence (where the spec switches it on, ``zeros_printed_evidence``):
    a row of one reading prints a 0 as a cell of its own (``000``), and no
    row, as the layout and the equations leave it, surely leaves a cell
    empty (every reading of it has one). A report that prints 0 where it has
    nothing to count does not leave one cell of a glued row empty, so those
    readings are dropped; in a row only when a reading without an empty cell
    is left. Should the equations then find no consistent table, the report
    does not follow the convention, and nothing is dropped. The ``unread``
    rows (a run too long to cut, a search past its bounds) are no evidence:
    their listed readings, if any, are not the report's.
    """
    if not spec.zeros_printed_evidence:
        return rows
    if not any(_prints_zero(r) for r in rows.values()) or any(
        _leaves_empty(r) for k, r in rows.items() if k not in unread
    ):
        return rows
    trial = dict(rows)
    for key, row in rows.items():
        readings = row.readings if key not in unread else None
        # a lost cell is no empty cell: its value is only not printed
        full = tuple(
            r for r in readings or () if not any(_empty(s) and s is not LOST for s in r)
        )
        if full and len(full) < len(readings or ()):
            trial[key] = evolve(
                row, readings=full, narrowed_by=_with(row.narrowed_by, ZEROS_PRINTED)
            )
    if _renarrow(active, rows, trial):
        return rows
    return trial


def _empty(slot: Slot) -> bool:
    """Whether a slot leaves its cell unprinted: blank, a gap, cut short."""
    return slot == BLANK or slot is GAP or (slot == MISSING and not _unread(slot))


def _unread(slot: Slot) -> bool:
    return isinstance(slot, Unread)


def _prints_zero(row: RowDraft) -> bool:
    """Whether the layout alone reads the row one way, with a 0 as a cell of its own."""
    return (
        row.found
        and row.group_total is None
        and row.initial is not None
        and len(row.initial) == 1
        and any(isinstance(s, Piece) and s.value == 0 for s in row.initial[0])
        and not any(_empty(s) for s in row.initial[0])
    )


def _leaves_empty(row: RowDraft) -> bool:
    """Whether every reading left of a found row leaves a cell unprinted."""
    return (
        row.found
        and row.group_total is None
        and bool(row.readings)
        and all(any(_empty(s) for s in r) for r in row.readings or ())
    )


def _with(ids: tuple[str, ...], new: str) -> tuple[str, ...]:
    return ids if new in ids else (*ids, new)


#: A cell of a table: its row and its column's index.
_CellKey = tuple[_RowKey, int]


def _non_negative_zeros(
    rows: dict[_RowKey, RowDraft],
    active: list[Instance],
    drafts: Sequence[TableDraft],
) -> dict[_RowKey, RowDraft]:
    """Counts that an equation makes sum to 0 are 0 (counts are never negative).

    For each equation still trusted (``active``: none through a row whose
    numbers cannot add up), the cells the readings decide are summed; when
    the rest (cells of several values, or unknown: a row not found, a cell
    cut short, too many readings) are non-negative counts on one side and
    must sum to 0, each is 0. A count of the equation that is 0 or empty in
    every reading is 0 too (the equations count an empty cell as 0). Readings giving such a
    cell another value are dropped and the equations narrow again, to a
    fixpoint; the cells no reading decides carry their 0 in ``zeros``.
    Should the equations then find no consistent table, nothing is changed.
    """
    counts = {
        (d.spec.id, leaf.key): [t is ValueType.INT for t in d.spec.row_types(leaf)]
        for d in drafts
        for leaf in d.spec.row_leaves()
    }
    forced: dict[_CellKey, list[str]] = {}
    states = _CellStates()
    current = rows
    for _ in range(MAX_PASSES):
        grew = False
        for inst in active:
            for cell in _zero_cells(inst, current, forced, counts, states):
                grew |= cell not in forced
                ids = forced.setdefault(cell, [])
                if inst.invariant.id not in ids:
                    ids.append(inst.invariant.id)
        if not grew:
            break
        trial = _drop_nonzero(current, forced, states)
        if trial is None or _renarrow(active, current, trial):
            return rows  # the equations disagree: not the report's table
        current = trial
    return _with_zeros(current, forced)


def _renarrow(
    active: list[Instance],
    before: dict[_RowKey, RowDraft],
    after: dict[_RowKey, RowDraft],
) -> bool:
    """Narrow ``after`` (``before`` with readings of some rows dropped) to a
    fixpoint again, in place; whether an equation then has no reading.

    ``before`` was narrowed, so only the equations through a changed row
    need evaluating first (`_narrow_all`'s ``settled``).
    """
    changed = {k for k in after if after[k] is not before[k]}
    if not changed:
        return False
    quiet = [i for i in active if not _rows_of(i) & changed]
    loud = [i for i in active if _rows_of(i) & changed]
    return _narrow_all([*quiet, *loud], after, len(quiet))[0] is not None


class _CellStates:
    """`_cell_state` of every cell of a row, remembered per row draft (a row
    may have thousands of readings, and each cell is asked for by several
    equations)."""

    def __init__(self) -> None:
        self.known: dict[_RowKey, tuple[RowDraft, list[_State]]] = {}

    def __call__(self, key: _RowKey, row: RowDraft, j: int) -> _State:
        seen = self.known.get(key)
        if seen is None or seen[0] is not row:
            seen = (row, _row_states(row))
            self.known[key] = seen
        states = seen[1]
        return states[j] if j < len(states) else (None, False)  # a row not found


def _zero_cells(
    inst: Instance,
    rows: dict[_RowKey, RowDraft],
    forced: dict[_CellKey, list[str]],
    counts: dict[_RowKey, list[bool]],
    states: _CellStates,
) -> list[_CellKey]:
    """The cells of ``inst`` it makes 0 (see `_non_negative_zeros`); none if it decides none.

    A cell of a row not found, or whose text is unread (``*``, ``五``), takes
    part in the sum but is never set to 0 here: the text may hold it where
    no label was recognised, or say something else than the equations.
    """
    total: _Number = inst.constant
    open_cells: list[tuple[int, _CellKey]] = []  # may be non-zero
    zero_or_empty: list[_CellKey] = []
    kept: set[_CellKey] = set()  # open, but not to be set to 0
    for row, terms in inst.places:
        key = (inst.table, row)
        for coef, j in terms:
            cell = (key, j)
            if cell in forced:
                continue  # 0
            values, decided = states(key, rows[key], j)
            if values is None or len(values) > 1:
                open_cells.append((coef, cell))
                if values is None and not _cut_short(rows[key], j):
                    kept.add(cell)
            elif not decided:  # 0 in some readings, empty in others
                zero_or_empty.append(cell)
            else:
                total += coef * next(iter(values))
    # a count 0 or empty in every reading is 0: the equation counts empty as 0
    zeros = [(key, j) for key, j in zero_or_empty if counts[key][j]]
    if (
        open_cells
        and total == 0
        and len({coef > 0 for coef, _ in open_cells}) == 1
        and all(counts[key][j] for _, (key, j) in open_cells)
    ):
        # non-negative, on one side, summing to 0: each is 0
        zeros += [cell for _, cell in open_cells if cell not in kept]
    return zeros


#: A cell's values over its row's readings (an empty cell as 0; None: unknown),
#: and whether every reading gives it the same slot.
_State = tuple[set[_Number] | None, bool]


def _row_states(row: RowDraft) -> list[_State]:
    """The `_State` of each cell of ``row``."""
    if not row.found or not row.readings:
        return []  # unknown
    # the slots of a column are mostly the same memoised objects: deduplicated
    # by identity (in C) before they are looked at
    return [
        _cell_state(dict(zip(map(id, column), column, strict=True)).values())
        for column in zip(*row.readings, strict=True)
    ]


def _cell_state(slots: Iterable[Slot]) -> _State:
    """The `_State` of a cell whose readings give it ``slots`` (some repeated)."""
    values: set[_Number] = set()
    kinds: set[tuple[bool, object]] = set()
    for slot in slots:
        if isinstance(slot, Piece) and slot.value is not None:
            values.add(slot.value)
            kinds.add((True, slot.value))
        elif slot == BLANK:
            values.add(0)
            kinds.add((False, 0))
        else:
            return None, False  # missing, a gap, unread: its value is unknown
    return values, len(kinds) == 1


def _cut_short(row: RowDraft, j: int) -> bool:
    """Whether a found row's cell ``j`` is unknown only as not in the text.

    Its readings place no unread text there (they hold numbers, empty cells
    or nothing), or the row has too many readings to list.
    """
    if not row.found or row.readings == ():
        return False
    return not any(_unread(r[j]) for r in row.readings or ())


def _drop_nonzero(
    rows: dict[_RowKey, RowDraft],
    forced: dict[_CellKey, list[str]],
    states: _CellStates,
) -> dict[_RowKey, RowDraft] | None:
    """The rows without the readings giving a cell of ``forced`` a value other
    than 0; None when a row would keep none."""
    trial = dict(rows)
    columns: dict[_RowKey, set[int]] = {}
    for key, j in forced:
        values, _ = states(key, rows[key], j)
        if values is None or values - {0}:  # some reading may give another value
            columns.setdefault(key, set()).add(j)
    for key, cols in columns.items():
        row = trial[key]
        readings = row.readings or ()
        kept = tuple(r for r in readings if not any(_nonzero(r[j]) for j in cols))
        if readings and not kept:
            return None
        if len(kept) < len(readings):
            trial[key] = evolve(
                row, readings=kept, narrowed_by=_with(row.narrowed_by, NON_NEGATIVE)
            )
    return trial


def _nonzero(slot: Slot) -> bool:
    return isinstance(slot, Piece) and slot.value != 0


def _with_zeros(
    rows: dict[_RowKey, RowDraft], forced: dict[_CellKey, list[str]]
) -> dict[_RowKey, RowDraft]:
    """The rows with their cells of ``forced`` in ``zeros`` (column, equation ids)."""
    by_row: dict[_RowKey, list[tuple[int, str]]] = {}
    for (key, j), ids in forced.items():
        by_row.setdefault(key, []).append((j, ", ".join(ids)))
    out = dict(rows)
    for key, zeros in by_row.items():
        out[key] = evolve(out[key], zeros=tuple(sorted(zeros)))
    return out
