"""Tests for `spec.expr`: the equation grammar, `for_each`, instances and sums."""

from __future__ import annotations

import pytest

from govdisclosure.spec.expr import (
    EquationSyntaxError,
    Term,
    for_each_indexes,
    instances,
    parse_equation,
    place,
    weighted_sum,
)
from govdisclosure.spec.model import ForEach, Spec


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


@pytest.mark.parametrize(
    ("for_each", "index", "name", "expected"),
    [
        (ForEach.ROW, "r1", "total", ("r1", "total")),
        (ForEach.COLUMN, "c1", "subtotal", ("subtotal", "c1")),
        (ForEach.NONE, None, "r1.c1", ("r1", "c1")),
    ],
)
def test_a_name_is_placed_by_for_each(
    for_each: ForEach, index: str | None, name: str, expected: tuple[str, str]
) -> None:
    """Per row a name is a column, per column a row, once a ``row.column`` pair."""
    assert expected == place(for_each, index, name)


def test_an_equation_is_instantiated_per_row_per_column_or_once() -> None:
    """`for_each_indexes` lists the rows, the columns, or one instance."""
    rows, columns = ("r1", "r2"), ("c1", "c2", "c3")

    assert ["r1", "r2"] == for_each_indexes(ForEach.ROW, rows, columns)
    assert ["c1", "c2", "c3"] == for_each_indexes(ForEach.COLUMN, rows, columns)
    assert [None] == for_each_indexes(ForEach.NONE, rows, columns)


def test_a_blank_cell_counts_as_zero_in_a_sum() -> None:
    """``Σ coef·value`` is exact, and None (blank) adds nothing."""
    from decimal import Decimal

    assert 0 == weighted_sum([])
    assert 3 == weighted_sum([(1, 5), (-1, 2), (1, None)])
    assert Decimal("1.5") == weighted_sum([(1, Decimal("2.5")), (-1, 1)])


def test_every_invariant_of_a_bundled_spec_has_its_instances(spec2019: Spec) -> None:
    """I1 (per column) has one instance per column of 三; each names cells of its table."""
    t3 = spec2019.table("t3")
    i1 = [i for i in instances(spec2019) if i.invariant.id == "I1"]

    assert [c.key for c in t3.column_leaves()] == [i.index for i in i1]
    row_keys = {r.key for r in t3.row_leaves()}
    assert all(row in row_keys for i in i1 for _, row, _ in i.terms)
