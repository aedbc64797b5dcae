"""Tests for the semantic checks of a built spec: `check_spec` returns problems
with a ``$.path`` (the loader turns paths into ``FILE:LINE:COL``)."""

from __future__ import annotations

import attrs
import pytest

from govdisclosure.spec.check import Problem, check_previous_names, check_spec
from govdisclosure.spec.loader import parse_spec
from govdisclosure.spec.model import ForEach, Spec, YearRule

TINY = """\
schema: 1
id: tiny
version: 1
title: t
source: s
sections:
  - {id: s1, number: 一, title: 总体情况}
tables:
  - id: t1
    name: 一
    section: s1
    columns:
      - {key: a, label: 甲}
      - {key: b, label: 乙}
    rows:
      - {key: r, label: 行}
      - {key: q, label: 列}
"""


def _with_invariant(for_each: ForEach, equation: str) -> Spec:
    spec = parse_spec(
        TINY + "invariants:\n  - {id: I, table: t1, equation: 'r.a == q.b'}\n"
    )
    invariant = attrs.evolve(spec.invariants[0], for_each=for_each, equation=equation)
    return attrs.evolve(spec, invariants=(invariant,))


def test_a_sound_spec_has_no_problems() -> None:
    """A spec the loader accepts passes the checks again: they read the Spec, not YAML."""
    assert [] == check_spec(parse_spec(TINY))


@pytest.mark.parametrize(
    ("for_each", "equation", "problem"),
    [
        (
            ForEach.ROW,
            "a == bb",
            Problem(
                "invariant 'I': 'bb' is not a column key of table 't1'",
                "did you mean 'b'? for_each: row names column keys (docs/keys.md)",
                "$.invariants[0].equation",
            ),
        ),
        (
            ForEach.COLUMN,
            "r == qq",
            Problem(
                "invariant 'I': 'qq' is not a row key of table 't1'",
                "did you mean 'q'? for_each: column names row keys (docs/keys.md)",
                "$.invariants[0].equation",
            ),
        ),
        (
            ForEach.NONE,
            "r.a == q.bb",
            Problem(
                "invariant 'I': 'q.bb' is not a row.column key of table 't1'",
                "did you mean 'q.b'? for_each: none names row.column keys (docs/keys.md)",
                "$.invariants[0].equation",
            ),
        ),
        (
            ForEach.NONE,
            "r.a == q",
            Problem(
                "invariant 'I': 'q' is not a row.column key of table 't1'",
                "for_each: none names row.column keys (docs/keys.md)",
                "$.invariants[0].equation",
            ),
        ),
    ],
)
def test_an_equation_names_keys_of_its_for_each(
    for_each: ForEach, equation: str, problem: Problem
) -> None:
    """Per row names are columns, per column rows, once row.column; a near miss is suggested."""
    assert [problem] == check_spec(_with_invariant(for_each, equation))


@pytest.mark.parametrize(
    ("for_each", "equation"),
    [(ForEach.ROW, "a == b"), (ForEach.COLUMN, "r == q"), (ForEach.NONE, "r.a == q.b")],
)
def test_an_equation_of_the_table_keys_is_sound(
    for_each: ForEach, equation: str
) -> None:
    assert [] == check_spec(_with_invariant(for_each, equation))


def test_an_unknown_id_names_the_ids_there_are() -> None:
    """A table's section and an invariant's table: one wording, the ids to choose from."""
    spec = _with_invariant(ForEach.ROW, "a == b")
    table = attrs.evolve(spec.tables[0], section="s9")
    invariant = attrs.evolve(spec.invariants[0], table="t9")
    broken = attrs.evolve(spec, tables=(table,), invariants=(invariant,))

    assert [
        Problem(
            "table 't1' names unknown section 's9'",
            "use one of the section ids: s1",
            "$.tables[0].section",
        ),
        Problem(
            "invariant 'I' names unknown table 't9'",
            "use one of the table ids: t1",
            "$.invariants[0].table",
        ),
    ] == check_spec(broken)


def test_the_previous_names_of_a_rule_are_checked_against_the_earlier_spec() -> None:
    """`across` checks a rule's last. names against the spec of the report before."""
    rule = YearRule(
        id="Y", table="t1", for_each=ForEach.ROW, equation="this.a == last.a + last.c"
    )
    spec = parse_spec(TINY)
    without_table = attrs.evolve(spec, id="other", tables=())

    assert [
        Problem(
            "invariant 'Y': 'c' is not a column key of table 't1'",
            "for_each: row names column keys (docs/keys.md)",
            "$.equation",
        )
    ] == check_previous_names(rule, spec)
    assert [
        Problem(
            "across_years rule 'Y' names table 't1', which other does not have",
            "use one of the table ids: ",
            "$.previous_table",
        )
    ] == check_previous_names(rule, without_table)


def test_a_section_title_may_not_read_as_a_table_label() -> None:
    """Any numeral may number a heading, so a row ``二、行`` would be the heading of a
    section titled 行: the title or alias is reported, where it is written."""
    spec = parse_spec(TINY)
    row = attrs.evolve(spec.tables[0].rows[0], label="二、行")
    table = attrs.evolve(spec.tables[0], rows=(row, *spec.tables[0].rows[1:]))
    section = attrs.evolve(spec.sections[0], aliases=("行",))
    broken = attrs.evolve(spec, tables=(table,), sections=(section,))

    assert [
        Problem(
            "section 's1': '行' is also the label '二、行' of table 't1', "
            "which would be read as its heading",
            "word the title or alias so that no table label reads the same",
            "$.sections[0].aliases[0]",
        )
    ] == check_spec(broken)


OPEN = """\
schema: 1
id: open
version: 1
title: t
source: s
tables: []
sections:
  - {id: a, number: 一, title: 概述}
  - {id: b, number: null, title: 依申请公开情况}
  - {id: c, number: 三, order: any, title: 收费情况}
  - {id: d, number: 二, title: 存在问题}
"""


def test_sections_in_any_order_or_of_any_number_are_out_of_the_numbering_check() -> (
    None
):
    """``c`` (三, order: any) before ``d`` (二) is no disorder; ``b`` has no number."""
    assert [] == check_spec(parse_spec(OPEN))


def test_a_title_of_a_section_of_any_number_may_not_print_a_number() -> None:
    spec = parse_spec(OPEN)
    section = attrs.evolve(spec.sections[1], aliases=("四、依申请公开情况",))
    broken = attrs.evolve(
        spec, sections=(spec.sections[0], section, *spec.sections[2:])
    )

    assert [
        Problem(
            "section 'b' has no fixed number (number: null), but its title "
            "'四、依申请公开情况' prints one",
            "write the title without its number: the heading forms put any section "
            "numeral before it",
            "$.sections[1].aliases[0]",
        )
    ] == check_spec(broken)


def test_a_section_in_any_order_may_not_share_a_title() -> None:
    """Searched in the whole report, it would take the other section's heading."""
    spec = parse_spec(OPEN)
    section = attrs.evolve(spec.sections[2], aliases=("存在问题",))
    broken = attrs.evolve(
        spec, sections=(*spec.sections[:2], section, spec.sections[3])
    )

    assert [
        Problem(
            "section 'c' (order: any) shares the title '存在问题' with section 'd', "
            "so either heading would be read as both",
            "give each section titles of its own",
            "$.sections[2].aliases[0]",
        )
    ] == check_spec(broken)


def test_sections_of_any_number_need_a_heading_form() -> None:
    """Only ``b`` is numbered (any number): the empty heading_forms is still refused."""
    unnumbered = OPEN.replace("number: 一", 'number: ""').replace(
        "number: 三", 'number: ""'
    )
    spec = parse_spec(unnumbered.replace("number: 二", 'number: ""'))
    spec = attrs.evolve(spec, heading_forms=())

    assert ["$.heading_forms"] == [p.path for p in check_spec(spec)]
