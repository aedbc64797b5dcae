"""The spec's equations: narrow layout readings, then check the final cells.

Two uses, one representation. Each invariant is instantiated over its table
(per row, per column, or once) into a linear form ``Σ coef·cell == 0``.

* `narrow_readings` keeps, for each row, the readings that can satisfy every
  instantiated equation given the other rows' possible readings. For a linear
  equation that is a sumset test: a reading of row *r* survives when minus
  its contribution is a sum the other rows can make. Repeated to a fixpoint,
  this never drops a reading that is part of a consistent whole table, so a
  cell whose surviving readings agree is truly decided by the invariants.
  An equation no reading can satisfy is left out of narrowing: the numbers
  disagree, and that is reported, not bent.
* `check_invariants` evaluates every instance on the final cells with exact
  arithmetic (blank counts as zero) and reports each broken one.

Nothing here is evaluated with ``eval``: equations are parsed by `spec_expr`.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Final, cast

from attrs import evolve, frozen

from govdisclosure.mapping import RowDraft, TableDraft
from govdisclosure.memo import by_identity
from govdisclosure.model import Cell, CellStatus, Fact, Finding, Severity, Table
from govdisclosure.segment import (
    MISSING,
    Piece,
    Reading,
    TooManyReadingsError,
    constrained_readings,
)
from govdisclosure.spec_expr import parse_equation
from govdisclosure.spec_model import ForEach, Invariant, Spec, TableSpec

__all__ = ["Instance", "check_invariants", "instances", "narrow_readings"]

#: The largest sumset built while narrowing; a larger one skips that equation.
MAX_SUMSET: Final = 50_000
#: Narrowing passes over all equations before giving up on a fixpoint.
MAX_PASSES: Final = 20

_Number = int | Decimal


@frozen
class Instance:
    """One equation of one invariant on concrete cells: Σ coef·cell == 0."""

    invariant: Invariant
    table: str
    index: str | None  # the row or column it was instantiated for
    terms: tuple[tuple[int, str, str], ...]  # (coef, row_key, column_key)
    text: str
    #: Added to the sum: a figure stated in the prose is ``cells - figure == 0``.
    constant: int | Decimal = 0
    #: The terms grouped by row, columns as indexes: ``(row_key, ((coef, j), …))``.
    #: Narrowing sums a row's terms over each of its readings.
    places: tuple[tuple[str, tuple[tuple[int, int], ...]], ...] = ()


def _places(
    terms: tuple[tuple[int, str, str], ...], table: TableSpec
) -> tuple[tuple[str, tuple[tuple[int, int], ...]], ...]:
    index = {c.key: j for j, c in enumerate(table.column_leaves())}
    by_row: dict[str, list[tuple[int, int]]] = {}
    for coef, row, column in terms:
        by_row.setdefault(row, []).append((coef, index[column]))
    return tuple((row, tuple(cols)) for row, cols in by_row.items())


@by_identity(maxsize=32)
def instances(spec: Spec) -> tuple[Instance, ...]:
    """Every invariant of the spec, instantiated over its table."""
    out = []
    for inv in spec.invariants:
        table = spec.table(inv.table)
        equation = parse_equation(inv.equation)
        if inv.for_each is ForEach.ROW:
            indexes: list[str | None] = [r.key for r in table.row_leaves()]
        elif inv.for_each is ForEach.COLUMN:
            indexes = [c.key for c in table.column_leaves()]
        else:
            indexes = [None]
        for index in indexes:
            terms = equation.cells(inv.for_each, index)
            text = str(equation) + (
                f"  [{inv.for_each.value} {index}]" if index else ""
            )
            out.append(
                Instance(inv, table.id, index, terms, text, 0, _places(terms, table))
            )
    return tuple(out)


# ---- narrowing -------------------------------------------------------------


def narrow_readings(
    drafts: Sequence[TableDraft], spec: Spec, facts: Sequence[Fact] = ()
) -> tuple[TableDraft, ...]:
    """Drop the readings that no consistent table allows (see module docstring).

    Then each figure of the prose in ``facts`` (`narrative.agreed_facts`)
    narrows further, one at a time, together with the equations: a figure
    that no reading left by them can satisfy is dropped (it disagrees, and
    `narrative.check_facts` says so), so prose never overrides the table.
    Rows a figure narrowed keep its sentence as evidence.
    """
    if all(
        r.readings is not None and len(r.readings) <= 1 for d in drafts for r in d.rows
    ):
        # nothing to choose anywhere: no equation or figure can drop a reading
        return tuple(drafts)
    rows: dict[tuple[str, str], RowDraft] = {
        (r.table, r.key): r for d in drafts for r in d.rows
    }
    columns = {
        d.spec.id: {c.key: j for j, c in enumerate(d.spec.column_leaves())}
        for d in drafts
    }
    usable = [
        i
        for i in instances(spec)
        if i.invariant.resolve and i.invariant.severity is Severity.ERROR
    ]
    _search_undetermined_rows(rows, columns, usable)
    initial = dict(rows)
    # Rows of an equation that no reading satisfies are frozen: the table has
    # no consistent reading there, so nothing may be inferred from it. Each
    # time one is found, narrowing restarts without the equations touching
    # frozen rows. Frozen rows only grow, so this ends.
    frozen: set[tuple[str, str]] = set()
    while True:
        rows = dict(initial)
        active = [i for i in usable if not frozen & _rows_of(i)]
        broken, settled = _narrow_all(active, rows)
        if broken is None:
            break
        frozen |= _rows_of(broken)
    for fact in facts:
        stated = _fact_instance(fact, spec)
        if frozen & _rows_of(stated):
            continue  # no consistent reading there: nothing to choose from
        trial = dict(rows)
        broken, now_settled = _narrow_all(
            [*active, stated], trial, len(active) if settled else 0
        )
        if broken is not None:
            continue
        settled = now_settled
        for key, row in trial.items():
            if row is not rows[key]:
                trial[key] = evolve(
                    row,
                    narrowed_by=tuple(i for i in row.narrowed_by if i != fact.id),
                    evidence=(*row.evidence, fact.sentence),
                )
        rows = trial
        active.append(stated)
    return tuple(
        evolve(d, rows=tuple(rows[(r.table, r.key)] for r in d.rows)) for d in drafts
    )


def _fact_instance(fact: Fact, spec: Spec) -> Instance:
    """``Σ cells − figure == 0`` for a figure of the prose."""
    table = fact.cells[0].partition(".")[0]
    terms = []
    for key in fact.cells:
        _, row, column = key.split(".", 2)
        terms.append((1, row, column))
    equation = f"{' + '.join(fact.cells)} == {fact.value}"
    inv = Invariant(fact.id, table, equation)
    return Instance(
        inv,
        table,
        None,
        tuple(terms),
        equation,
        -(fact.value or 0),
        _places(tuple(terms), spec.table(table)),
    )


def _search_undetermined_rows(
    rows: dict[tuple[str, str], RowDraft],
    columns: dict[str, dict[str, int]],
    usable: list[Instance],
) -> None:
    """Re-read rows with too many readings, keeping only those their own equations allow.

    A row's own equations (all terms in that row, e.g. 四's group totals) prune
    a depth-first search (`segment.constrained_readings`). Whatever it decides
    was decided by equations, so its cells can be INFERRED at best: the
    readings before the equations are unknown (``initial=()``).
    """
    for key, row in rows.items():
        if not row.found or row.readings is not None or not row.types:
            continue
        own = [
            inst
            for inst in usable
            if inst.table == row.table and all(r == row.key for _, r, _ in inst.terms)
        ]
        if not own:
            continue
        constraints = [
            tuple((coef, columns[row.table][col]) for coef, _, col in inst.terms)
            for inst in own
        ]
        last = len(row.types) - 1
        if all(max(col for _, col in c) == last for c in constraints):
            continue  # nothing prunes before the last column: the search cannot finish
        try:
            readings = constrained_readings(row.tokens, row.types, constraints)
        except TooManyReadingsError:
            continue
        if readings:
            ids = tuple(dict.fromkeys(inst.invariant.id for inst in own))
            rows[key] = evolve(
                row, readings=tuple(readings), initial=(), narrowed_by=ids
            )


def _rows_of(inst: Instance) -> set[tuple[str, str]]:
    return {(inst.table, row) for row, _ in inst.places}


def _narrow_all(
    active: list[Instance],
    rows: dict[tuple[str, str], RowDraft],
    settled: int = 0,
) -> tuple[Instance | None, bool]:
    """Narrow to a fixpoint: the first equation found unsatisfiable, and whether it settled.

    An equation is evaluated again only when one of its rows changed since
    its last evaluation: one that narrowed leaves its rows consistent with it,
    and one that did not would not now either, so skipping it changes nothing
    but the time (the same passes, the same fixpoint). The first ``settled``
    equations are already at a fixpoint on ``rows`` (a previous call settled
    them): they count as just evaluated.
    """
    row_keys = [tuple((i.table, row) for row, _ in i.places) for i in active]
    last: list[tuple[RowDraft, ...] | None] = [
        tuple(rows[k] for k in keys) if n < settled else None
        for n, keys in enumerate(row_keys)
    ]
    for _ in range(MAX_PASSES):
        changed = False
        for n, inst in enumerate(active):
            before = last[n]
            if before is not None and all(
                rows[k] is d for k, d in zip(row_keys[n], before, strict=True)
            ):
                continue
            result = _narrow_one(inst, rows)
            if result is _UNSATISFIABLE:
                return inst, False
            changed |= bool(result)
            last[n] = tuple(rows[k] for k in row_keys[n])
        if not changed:
            return None, True
    return None, False


def _contribution(reading: Reading, terms: Sequence[tuple[int, int]]) -> _Number | None:
    total: _Number = 0
    for coef, j in terms:
        slot = reading[j]
        if isinstance(slot, Piece):  # first: comparing a Piece with a str is slow
            if slot.value is not None:
                total += coef * slot.value
        elif slot == MISSING:
            return None
    return total


_UNSATISFIABLE: Final = "unsatisfiable"


def _narrow_one(
    inst: Instance,
    rows: dict[tuple[str, str], RowDraft],
) -> bool | str:
    """Narrow the rows of one equation; True if any changed, or _UNSATISFIABLE."""
    drafts: list[RowDraft] = []
    readings_of: list[tuple[Reading, ...]] = []
    contributions: list[list[_Number]] = []
    for row, terms in inst.places:
        d = rows[(inst.table, row)]
        if not d.found or not d.readings:
            return False  # a missing or undetermined row: the equation cannot narrow
        known = [_contribution(reading, terms) for reading in d.readings]
        if None in known:
            return False  # a missing cell: its contribution is unknown
        drafts.append(d)
        readings_of.append(d.readings)
        contributions.append(cast(list[_Number], known))
    if all(len(c) == 1 for c in contributions):
        # nothing left to choose, but the equation must still hold
        total = sum(c[0] for c in contributions) + inst.constant
        return False if total == 0 else _UNSATISFIABLE
    sets = [set(c) for c in contributions]
    # leave-one-out sumsets from prefix and suffix sums
    prefix: list[set[_Number]] = [{inst.constant}]
    for s in sets:
        nxt = {a + b for a in prefix[-1] for b in s}
        if len(nxt) > MAX_SUMSET:
            return False
        prefix.append(nxt)
    suffix: list[set[_Number]] = [{0}]
    for s in reversed(sets):
        nxt = {a + b for a in suffix[-1] for b in s}
        if len(nxt) > MAX_SUMSET:
            return False
        suffix.append(nxt)
    suffix.reverse()
    keep: list[list[int]] = []
    for i, row_values in enumerate(contributions):
        possible = _completable(sets[i], prefix[i], suffix[i + 1])
        if possible is None:
            return False
        keep.append([k for k, v in enumerate(row_values) if v in possible])
        if not keep[-1]:
            return _UNSATISFIABLE  # the numbers disagree: report, don't bend
    changed = False
    for d, readings_before, kept in zip(drafts, readings_of, keep, strict=True):
        if len(kept) < len(readings_before):
            readings = tuple(readings_before[k] for k in kept)
            narrowed = (
                d.narrowed_by
                if inst.invariant.id in d.narrowed_by
                else (*d.narrowed_by, inst.invariant.id)
            )
            rows[(d.table, d.key)] = evolve(d, readings=readings, narrowed_by=narrowed)
            changed = True
    return changed


def _completable(
    values: set[_Number], before: set[_Number], after: set[_Number]
) -> set[_Number] | None:
    """The values ``v`` of a row for which some ``a + b == -v`` (a before it, b after).

    None when the sums are too many to search. Looks ``-v - a`` up in the
    larger set instead of building the sumset of both: a row has few values.
    """
    if len(before) * len(after) > MAX_SUMSET * 4:
        return None
    small, large = (before, after) if len(before) <= len(after) else (after, before)
    return {v for v in values if any(-v - a in large for a in small)}


# ---- checking ---------------------------------------------------------------


def check_invariants(tables: Sequence[Table], spec: Spec) -> list[Finding]:
    """A finding for every equation the final cells break or leave unchecked."""
    cells: dict[tuple[str, str, str], Cell] = {
        (c.table, c.row_key, c.column_key): c for t in tables for c in t.cells
    }
    findings = []
    spec_ref = f"{spec.id}@{spec.version}"
    for inst in instances(spec):
        terms = [(coef, cells[(inst.table, row, col)]) for coef, row, col in inst.terms]
        if _holds(terms):
            continue  # the common case
        keys = tuple(c.key for _, c in terms)
        undetermined = tuple(c.key for _, c in terms if c.status in _UNDETERMINED)
        blank = tuple(c.key for _, c in terms if c.status is CellStatus.BLANK)
        base = Finding(
            "invariant.unchecked",
            Severity.INFO,
            "",
            rule=inst.invariant.id,
            spec=spec_ref,
            equation=inst.text,
            cells=keys,
            blank_cells=blank,
            missing_cells=undetermined,
        )
        if undetermined:
            findings.append(
                evolve(
                    base,
                    message=f"{inst.invariant.id} not checked: {len(undetermined)} cell(s) not determined ({inst.text})",
                )
            )
            continue
        lhs = _side(terms, 1)
        rhs = _side(terms, -1)
        if lhs == rhs:
            continue
        left_blank = all(c.status is CellStatus.BLANK for coef, c in terms if coef > 0)
        right_blank = all(c.status is CellStatus.BLANK for coef, c in terms if coef < 0)
        if left_blank or right_blank:
            findings.append(
                evolve(
                    base,
                    message=f"{inst.invariant.id} not checked: one side is left blank ({inst.text})",
                    expected=rhs,
                    actual=lhs,
                )
            )
            continue
        findings.append(
            evolve(
                base,
                code="invariant.violated",
                severity=inst.invariant.severity,
                message=f"{inst.invariant.id} broken in {inst.table}: {inst.text}: left side {lhs}, right side {rhs}"
                + (f"; blank cells counted as 0: {', '.join(blank)}" if blank else ""),
                expected=rhs,
                actual=lhs,
            )
        )
    return findings


_UNDETERMINED: Final = (CellStatus.MISSING, CellStatus.AMBIGUOUS)


def _holds(terms: list[tuple[int, Cell]]) -> bool:
    """Every cell determined and ``Σ coef·value == 0`` (blank as zero): one pass.

    The same test as comparing the two `_side` sums, whose difference it is.
    """
    total: _Number = 0
    for coef, cell in terms:
        if cell.status in _UNDETERMINED:
            return False
        if isinstance(cell.value, (int, Decimal)):
            total += coef * cell.value
    return total == 0


def _side(terms: list[tuple[int, Cell]], sign: int) -> _Number:
    """The sum of one side of an equation; blank cells count as zero."""
    total: _Number = 0
    for coef, cell in terms:
        if coef * sign > 0 and isinstance(cell.value, (int, Decimal)):
            total += abs(coef) * cell.value
    return total
