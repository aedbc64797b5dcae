"""Values for every cell of a spec's tables that satisfy its equations.

Strategy: the equations are solved, not hand-coded per format. Each equation
instance picks one cell to *determine*: the lone term of a side if the
equation has one (a 总计), else its first term that nothing else determines.
Determined cells are computed from the others in dependency order; all other
cells are drawn at random. An equation left without a cell to determine (all
its cells determined elsewhere) holds by linearity, and every equation is
verified at the end; a draw that breaks one, or gives a count below zero, is
drawn again.
"""

from __future__ import annotations

import random
from decimal import Decimal
from graphlib import CycleError, TopologicalSorter

from govdisclosure.model import Value
from govdisclosure.spec.expr import instances
from govdisclosure.spec.model import Spec, ValueType

__all__ = ["fill"]

#: Where a cell sits: (table, row, column). Not a `govdisclosure.Cell`.
CellKey = tuple[str, str, str]

#: Draws tried before giving up on a spec whose equations cannot be met.
MAX_DRAWS = 200


def _draw(rng: random.Random, value_type: ValueType) -> Value:
    """Mostly zeros, some small counts, a few large ones."""
    x = rng.random()
    magnitude = (
        0
        if x < 0.55
        else rng.randint(1, 9)
        if x < 0.8
        else rng.randint(10, 3000)
        if x < 0.97
        else rng.randint(3001, 10**6)
    )
    if value_type is ValueType.DECIMAL:
        places = rng.choice((0, 0, 1, 2, 2, 6))
        return Decimal(
            magnitude * 10**places
            + (rng.randint(0, 10**places - 1) if places and magnitude else 0)
        ).scaleb(-places)
    if value_type is ValueType.SIGNED_INT and magnitude and rng.random() < 0.4:
        return -magnitude
    return magnitude


def fill(spec: Spec, rng: random.Random) -> dict[str, dict[str, list[Value]]]:
    """``{table: {row: [value per column]}}`` satisfying every equation of ``spec``.

    Raises ValueError if no draw satisfies the equations within MAX_DRAWS.
    """
    insts = instances(spec)
    types: dict[CellKey, ValueType] = {}
    for table in spec.tables:
        for row in table.row_leaves():
            for col in table.column_leaves():
                types[(table.id, row.key, col.key)] = table.cell_type(row, col)
    equations = [
        tuple((coef, (inst.table, r, c)) for coef, r, c in inst.terms) for inst in insts
    ]
    determined: dict[CellKey, tuple[int, tuple[tuple[int, CellKey], ...]]] = {}
    for terms in equations:
        lhs = [t for t in terms if t[0] > 0]
        rhs = [t for t in terms if t[0] < 0]
        lone = [side[0] for side in (lhs, rhs) if len(side) == 1]
        choices = [*lone, *terms]
        pick = next(
            (t for t in choices if t[1] not in determined and abs(t[0]) == 1), None
        )
        if pick is not None:
            determined[pick[1]] = (pick[0], tuple(t for t in terms if t[1] != pick[1]))
    graph = {cell: {c for _, c in others} for cell, (_, others) in determined.items()}
    try:
        order = [c for c in TopologicalSorter(graph).static_order() if c in determined]
    except CycleError as exc:
        raise ValueError(
            f"spec {spec.id}: its equations determine cells in a cycle"
        ) from exc
    for _ in range(MAX_DRAWS):
        values: dict[CellKey, Value] = {
            cell: _draw(rng, t) for cell, t in types.items() if cell not in determined
        }
        for cell in order:
            coef, others = determined[cell]
            # coef·cell + Σ others == 0; a unit coefficient keeps integers exact
            value = -_linear(others, values) * coef
            values[cell] = (
                Decimal(value) if types[cell] is ValueType.DECIMAL else int(value)
            )
        if all(_ok(values[c], types[c]) for c in types) and all(
            _linear(terms, values) == 0 for terms in equations
        ):
            return _nest(spec, values)
    raise ValueError(
        f"spec {spec.id}: no draw satisfied its equations in {MAX_DRAWS} tries"
    )


def _linear(
    terms: tuple[tuple[int, CellKey], ...], values: dict[CellKey, Value]
) -> int | Decimal:
    total: int | Decimal = 0
    for coef, cell in terms:
        value = values[cell]
        if value is not None:
            total += coef * value
    return total


def _ok(value: Value, value_type: ValueType) -> bool:
    return value_type is ValueType.SIGNED_INT or (value is not None and value >= 0)


def _nest(
    spec: Spec, values: dict[CellKey, Value]
) -> dict[str, dict[str, list[Value]]]:
    return {
        t.id: {
            r.key: [values[(t.id, r.key, c.key)] for c in t.column_leaves()]
            for r in t.row_leaves()
        }
        for t in spec.tables
    }
