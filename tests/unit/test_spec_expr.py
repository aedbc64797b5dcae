"""Tests for `parse_equation`."""

from __future__ import annotations

import pytest

from govdisclosure.spec.expr import EquationSyntaxError, Term, parse_equation
from govdisclosure.spec.model import ForEach


def test_parse_and_instantiate() -> None:
    """Sides become terms; instantiation negates the right side."""
    eq = parse_equation("a + b == c - 2*d")

    assert (Term(1, "a"), Term(1, "b")) == eq.lhs
    assert (Term(1, "c"), Term(-2, "d")) == eq.rhs
    assert ((1, "a", "x"), (1, "b", "x"), (-1, "c", "x"), (2, "d", "x")) == eq.cells(
        ForEach.COLUMN, "x"
    )
    assert "a + b == c - 2*d" == str(eq)


def test_qualified_names() -> None:
    """With for_each none, names are row.column."""
    eq = parse_equation("r.c == r.d")

    assert ((1, "r", "c"), (-1, "r", "d")) == eq.cells(ForEach.NONE, None)


@pytest.mark.parametrize(
    "bad",
    ["a +", "== a", "a == b == c", "a = b", "a + import(os) == b", "__import__('os')"],
)
def test_syntax_errors(bad: str) -> None:
    """Anything outside the grammar is refused; nothing is evaluated."""
    with pytest.raises(EquationSyntaxError):
        parse_equation(bad)
