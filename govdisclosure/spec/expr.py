"""Invariant equations: a tiny grammar, parsed to linear forms, never eval'd.

Grammar (whitespace free)::

    equation := side "==" side
    side     := term (("+" | "-") term)*
    term     := [INT "*"] NAME ["." NAME ["." NAME]]

(three parts only in `YearRule` equations: ``last.row.column``.)

An equation is kept as a linear form ``Σ coef·cell == 0`` (the left side with
positive, the right side with negative coefficients). That form is all the
engine needs: to evaluate the equation exactly, and to test candidate readings
of a layout against it (see `invariants`).
"""

from __future__ import annotations

from attrs import frozen

from govdisclosure.spec.model import ForEach

__all__ = ["Equation", "Term", "parse_equation"]

import re

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
        out = []
        for sign, side in ((1, self.lhs), (-1, self.rhs)):
            for term in side:
                if for_each is ForEach.ROW:
                    row, col = index or "", term.name
                elif for_each is ForEach.COLUMN:
                    row, col = term.name, index or ""
                else:
                    row, _, col = term.name.partition(".")
                out.append((sign * term.coef, row, col))
        return tuple(out)

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
            coef = int(value)
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
