"""Invariant equations: a tiny grammar, parsed to linear forms, never eval'd.

Grammar (whitespace free)::

    equation := side "==" side
    side     := term (("+" | "-") term)*
    term     := [INT "*"] NAME ["." NAME ["." NAME]]

(three parts only in `YearRule` equations: ``last.row.column``.)

An equation is kept as a linear form ``Σ coef·cell == 0`` (the left side with
positive, the right side with negative coefficients). That form is all the
engine needs: to evaluate the equation exactly (`pipeline.invariants`), and to
test candidate readings of a layout against it (`pipeline.narrow`).

This module is also the one home of two concepts every user of equations
shares: what ``for_each`` means (`for_each_indexes`, `place`), and the sum of
terms in which a blank cell counts as zero (`weighted_sum`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal

from attrs import frozen

from govdisclosure.memo import by_identity
from govdisclosure.spec.model import ForEach, Invariant, Spec, TableSpec, current_limits

__all__ = [
    "Equation",
    "EquationSyntaxError",
    "Instance",
    "Term",
    "for_each_indexes",
    "instances",
    "parse_equation",
    "place",
    "places",
    "weighted_sum",
]

_TOKEN = re.compile(
    r"\s*(?:(==)|([+\-*])|(\d+)|([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*){0,2}))"
)


class EquationSyntaxError(ValueError):
    """The equation text does not follow the grammar; the message says where."""


@frozen
class Term:
    coef: int
    name: str  # a row key, a column key, or "row.column", depending on for_each


@frozen
class Equation:
    lhs: tuple[Term, ...]
    rhs: tuple[Term, ...]

    def names(self) -> tuple[str, ...]:
        return tuple(t.name for t in (*self.lhs, *self.rhs))

    def cells(
        self, for_each: ForEach, index: str | None
    ) -> tuple[tuple[int, str, str], ...]:
        """``(coef, row_key, column_key)`` with right-side coefficients negated."""
        return tuple(
            (sign * term.coef, *place(for_each, index, term.name))
            for sign, side in ((1, self.lhs), (-1, self.rhs))
            for term in side
        )

    def __str__(self) -> str:
        return f"{_side(self.lhs)} == {_side(self.rhs)}"


def _side(terms: tuple[Term, ...]) -> str:
    parts: list[str] = []
    for i, t in enumerate(terms):
        mag = abs(t.coef)
        text = t.name if mag == 1 else f"{mag}*{t.name}"
        if i == 0:
            parts.append(text if t.coef > 0 else f"-{text}")
        else:
            parts.append(("+ " if t.coef > 0 else "- ") + text)
    return " ".join(parts)


def parse_equation(text: str) -> Equation:
    """Parse ``text``; raises EquationSyntaxError naming the offending column."""
    tokens: list[tuple[str, str, int]] = []
    pos = 0
    stripped = text.rstrip()
    while pos < len(stripped):
        m = _TOKEN.match(stripped, pos)
        if not m:
            raise EquationSyntaxError(
                f"unexpected {stripped[pos : pos + 10]!r} at column {pos + 1}"
            )
        kind = ("eq", "op", "int", "name")[m.lastindex - 1]  # type: ignore[operator]
        tokens.append((kind, m.group(m.lastindex or 0), m.start(m.lastindex or 0)))
        pos = m.end()
    sides: list[list[Term]] = [[]]
    sign, coef, expect_term = 1, None, True
    for kind, value, col in tokens:
        if kind == "eq":
            if expect_term or len(sides) == 2:
                raise EquationSyntaxError(f"misplaced '==' at column {col + 1}")
            sides.append([])
            sign, expect_term = 1, True
        elif kind == "op" and value in "+-" and not expect_term:
            sign, expect_term = (1 if value == "+" else -1), True
        elif kind == "int" and expect_term and coef is None:
            coef = _coefficient(value, col)
        elif kind == "op" and value == "*" and coef is not None:
            continue
        elif kind == "name" and expect_term:
            sides[-1].append(Term(sign * (coef or 1), value))
            coef, expect_term = None, False
        else:
            raise EquationSyntaxError(f"unexpected {value!r} at column {col + 1}")
    if len(sides) != 2 or expect_term or not sides[0] or not sides[1]:
        raise EquationSyntaxError(f"an equation needs 'terms == terms': {text!r}")
    return Equation(tuple(sides[0]), tuple(sides[1]))


def _coefficient(digits: str, col: int) -> int:
    """A coefficient, refused past ``max_digits`` before Python converts it.

    Python refuses to convert more than 4,300 digits with a bare ValueError,
    and a coefficient of even twenty digits is no table's arithmetic.
    """
    limit = current_limits().max_digits
    if len(digits) > limit:
        raise EquationSyntaxError(
            f"a coefficient of {len(digits)} digits at column {col + 1} "
            f"(at most {limit}; spec_limits(max_digits=…) raises the bound)"
        )
    return int(digits)


# ---- for_each: which cells an equation's names stand for --------------------


def for_each_indexes(
    for_each: ForEach, row_keys: Iterable[str], column_keys: Iterable[str]
) -> list[str | None]:
    """The rows (or columns) an equation is instantiated for; ``[None]`` for once."""
    if for_each is ForEach.ROW:
        return list(row_keys)
    if for_each is ForEach.COLUMN:
        return list(column_keys)
    return [None]


def place(for_each: ForEach, index: str | None, name: str) -> tuple[str, str]:
    """``(row_key, column_key)`` of a term's name in the instance for ``index``.

    Per row, names are columns; per column, names are rows; once, a name is
    ``row.column`` itself.
    """
    if for_each is ForEach.ROW:
        return index or "", name
    if for_each is ForEach.COLUMN:
        return name, index or ""
    row, _, column = name.partition(".")
    return row, column


def weighted_sum(terms: Iterable[tuple[int, int | Decimal | None]]) -> int | Decimal:
    """``Σ coef·value``, exact; a blank cell (None) counts as zero, as the formats mean it."""
    total: int | Decimal = 0
    for coef, value in terms:
        if value is not None:
            total += coef * value
    return total


# ---- instances: an invariant over its table ---------------------------------


@frozen
class Instance:
    """One equation of one invariant on concrete cells: Σ coef·cell + constant == 0."""

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


def places(
    terms: tuple[tuple[int, str, str], ...], table: TableSpec
) -> tuple[tuple[str, tuple[tuple[int, int], ...]], ...]:
    """`Instance.places` of ``terms``: grouped by row, each column as its index."""
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
        indexes = for_each_indexes(
            inv.for_each,
            (r.key for r in table.row_leaves()),
            (c.key for c in table.column_leaves()),
        )
        for index in indexes:
            terms = equation.cells(inv.for_each, index)
            text = str(equation) + (
                f"  [{inv.for_each.value} {index}]" if index else ""
            )
            out.append(
                Instance(inv, table.id, index, terms, text, 0, places(terms, table))
            )
    return tuple(out)
