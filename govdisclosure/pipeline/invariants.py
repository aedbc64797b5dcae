"""Table → Findings: every equation of the spec, checked on the final cells.

Strategy. Each invariant is instantiated over its table (per row, per column,
or once; `spec.expr.instances`) into ``Σ coef·cell == 0`` and evaluated with
exact arithmetic, a blank cell counting as zero (the formats print a dash or
leave a cell empty for "none"). Each instance that does not hold is reported
with what kept it from holding:

* ``invariant.unchecked`` (info): a cell of it is missing or ambiguous, or a
  whole side is blank (a report that leaves a total empty states nothing);
* ``invariant.violated`` (the invariant's own severity): the numbers are all
  there and do not add up, with both sides' sums and the blank cells named.

Nothing is evaluated with ``eval``: equations are parsed by `spec.expr`.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Final

from attrs import evolve

from govdisclosure.model import Cell, CellStatus, Finding, Severity, Table
from govdisclosure.spec.expr import Instance, instances, weighted_sum
from govdisclosure.spec.model import Spec

__all__ = ["check_invariants"]

_UNDETERMINED: Final = (CellStatus.MISSING, CellStatus.AMBIGUOUS)


def check_invariants(tables: Sequence[Table], spec: Spec) -> list[Finding]:
    """A finding for every equation the final cells break or leave unchecked."""
    cells: dict[tuple[str, str, str], Cell] = {
        (c.table, c.row_key, c.column_key): c for t in tables for c in t.cells
    }
    findings = []
    for inst in instances(spec):
        terms = [
            (coef, _as_counted(cells[(inst.table, row, col)], spec))
            for coef, row, col in inst.terms
        ]
        if not _holds(terms):
            finding = _failure(inst, terms, spec.ref)
            if finding is not None:
                findings.append(finding)
    return findings


def _failure(
    inst: Instance, terms: list[tuple[int, Cell]], spec_ref: str
) -> Finding | None:
    """What to report of an instance that does not hold; None if its sides agree."""
    undetermined = tuple(c.key for _, c in terms if c.status in _UNDETERMINED)
    blank = tuple(c.key for _, c in terms if c.status is CellStatus.BLANK)
    base = Finding(
        "invariant.unchecked",
        Severity.INFO,
        "",
        rule=inst.invariant.id,
        spec=spec_ref,
        equation=inst.text,
        cells=tuple(c.key for _, c in terms),
        blank_cells=blank,
        missing_cells=undetermined,
    )
    rule = inst.invariant.id
    if undetermined:
        return evolve(
            base,
            message=f"{rule} not checked: {len(undetermined)} cell(s) not determined ({inst.text})",
        )
    lhs, rhs = _side(terms, 1), _side(terms, -1)
    if lhs == rhs:
        return None
    if any(
        all(c.status is CellStatus.BLANK for coef, c in terms if coef * sign > 0)
        for sign in (1, -1)
    ):
        return evolve(
            base,
            message=f"{rule} not checked: one side is left blank ({inst.text})",
            expected=rhs,
            actual=lhs,
        )
    counted = f"; blank cells counted as 0: {', '.join(blank)}" if blank else ""
    return evolve(
        base,
        code="invariant.violated",
        severity=inst.invariant.severity,
        message=f"{rule} broken in {inst.table}: {inst.text}: left side {lhs}, right side {rhs}{counted}",
        expected=rhs,
        actual=lhs,
    )


def _as_counted(cell: Cell, spec: Spec) -> Cell:
    """``cell`` as an equation sees it: a blank the spec does not count as 0
    (``不适用``, `Spec.counts_as_zero`) is a value not known."""
    return (
        cell if spec.counts_as_zero(cell) else evolve(cell, status=CellStatus.MISSING)
    )


def _holds(terms: list[tuple[int, Cell]]) -> bool:
    """Every cell determined and ``Σ coef·value == 0`` (blank as zero)."""
    if any(cell.status in _UNDETERMINED for _, cell in terms):
        return False
    return weighted_sum((coef, cell.value) for coef, cell in terms) == 0


def _side(terms: list[tuple[int, Cell]], sign: int) -> int | Decimal:
    """The sum of one side of an equation; blank cells count as zero."""
    return weighted_sum(
        (abs(coef), cell.value) for coef, cell in terms if coef * sign > 0
    )
