"""Tests for the spec loader: every kind of broken spec fails at load time with
``FILE:LINE:COL: what; fix: how``; ``extends`` merges a variant onto its parent."""

from __future__ import annotations

from pathlib import Path

import pytest

from govdisclosure import Severity, SpecError, load_spec
from govdisclosure.spec.loader import merge_spec_data, parse_spec, read_spec
from govdisclosure.spec.model import HeadingForm, SectionOrder
from govdisclosure.spec.registry import Registry, bundled_spec_dir, default_registry

MINIMAL = """\
schema: 1
id: tiny
version: 1
title: t
source: s
sections:
  - {id: s1, number: 一, title: 总体情况}
  - {id: s2, number: 二, title: 主动公开}
tables:
  - id: t1
    name: 一
    section: s1
    columns:
      - {key: a, label: 甲}
      - {key: b, label: 乙}
    rows:
      - {key: r, label: 行, aliases: [第一行]}
      - {key: q, label: 列}
invariants:
  - {id: I, table: t1, for_each: row, equation: "a == b"}
metadata:
  title_patterns: ['^(?P<title>.+报告)$']
"""


def test_minimal_spec_loads() -> None:
    """A small valid spec gives a Spec with its leaves."""
    spec = parse_spec(MINIMAL)

    assert ["a", "b"] == [c.key for c in spec.table("t1").column_leaves()]


def test_severity_is_read_as_the_findings_enum() -> None:
    """An invariant's severity is a `Severity`, the one its findings carry."""
    spec = parse_spec(
        MINIMAL.replace("for_each: row,", "for_each: row, severity: warning,")
    )

    assert Severity.WARNING is spec.invariants[0].severity
    assert Severity.ERROR is parse_spec(MINIMAL).invariants[0].severity  # default


def test_heading_forms_are_read_and_default_to_the_national_ones() -> None:
    """Declared forms are read in order; a spec without them gets 二、… and （二）…."""
    spec = parse_spec(
        MINIMAL.replace(
            "metadata:\n",
            "heading_forms:\n  - {form: '第{number}部分 {title}', whole_line: true}\n"
            "  - {form: '（{number}）{title}'}\nmetadata:\n",
            1,
        )
    )

    assert (
        HeadingForm("第{number}部分 {title}", whole_line=True),
        HeadingForm("（{number}）{title}", whole_line=False),
    ) == spec.heading_forms
    assert (
        HeadingForm("{number}、{title}", whole_line=False),
        HeadingForm("（{number}）{title}", whole_line=True),
    ) == parse_spec(MINIMAL).heading_forms


def test_a_spec_of_unnumbered_sections_needs_no_heading_form() -> None:
    """An empty heading_forms is fine when every section is found by its title alone."""
    text = MINIMAL.replace("number: 一", 'number: ""').replace(
        "number: 二", 'number: ""'
    )

    spec = parse_spec(text.replace("metadata:\n", "heading_forms: []\nmetadata:\n"))

    assert () == spec.heading_forms


# One case per kind of problem: (change to MINIMAL, the whole message).
# Line and column were counted by hand in MINIMAL after the change.
BROKEN = {
    "duplicate-yaml-key": (
        ("id: tiny\n", "id: tiny\nid: tiny2\n"),
        "tiny.yaml:3:1: the key 'id' is written twice in one mapping (first on line 2); "
        "fix: keep one of them (YAML would silently use the last)",
    ),
    "yaml-syntax": (
        ("  - {id: s2", "  -{id: s2"),
        "tiny.yaml:8:3: not valid YAML: expected <block end>, but found '?'; "
        "fix: check the indentation and quoting near this place",
    ),
    "unknown-field": (
        ("label: 行, aliases:", "label: 行, alias:"),
        "tiny.yaml:17:28: unknown field 'alias' in a row or column; fix: did you mean "
        "'aliases'? the fields of a row or column are: label, key, aliases, children, "
        "type, unit, units, fuzzy, total_row",
    ),
    "missing-field": (
        ("version: 1\n", ""),
        "tiny.yaml:1:1: required field 'version' is missing; "
        "fix: add 'version: …' here (docs/spec-language.md lists every field)",
    ),
    "wrong-type": (
        ("version: 1\n", "version: one\n"),
        "tiny.yaml:3:1: 'version' has a wrong value 'one': expected a whole number; "
        "fix: write a whole number here (docs/spec-language.md)",
    ),
    "wrong-enum": (
        ("for_each: row", "for_each: diagonal"),
        "tiny.yaml:20:24: 'for_each' has a wrong value 'diagonal': expected one of "
        "row, column, none; fix: write one of row, column, none here "
        "(docs/spec-language.md)",
    ),
    "schema-version": (
        ("schema: 1", "schema: 7"),
        "tiny.yaml:1:1: unsupported 'schema: 7'; this library reads schema 1; "
        "fix: write 'schema: 1', or upgrade govdisclosure",
    ),
    "duplicate-section": (
        ("{id: s2,", "{id: s1,"),
        "tiny.yaml:8:6: duplicate section id 's1'; fix: give each section its own id",
    ),
    "section-order": (
        ("number: 二", "number: 一"),
        "tiny.yaml:8:14: section 's2' is numbered 一 after a later number; "
        "fix: list the sections in the order the report prints them (一, 二, 三 …)",
    ),
    "unknown-section": (
        ("section: s1", "section: s9"),
        "tiny.yaml:12:5: table 't1' names unknown section 's9'; "
        "fix: use one of the section ids: s1, s2",
    ),
    "ambiguous-alias": (
        ("{key: q, label: 列}", "{key: q, label: 列, aliases: [第一行]}"),
        "tiny.yaml:18:38: table 't1': '第一行' names both 'r' and 'q'; "
        "fix: remove the alias from one of them, or make it longer so it names one",
    ),
    "unlabelled-row": (
        ("{key: q, label: 列}", "{key: q}"),
        "tiny.yaml:16:5: table 't1': an unlabelled row must be the table's only row; "
        "fix: give the row a label, or make it the table's only row",
    ),
    "invariant-table": (
        ("table: t1,", "table: t9,"),
        "tiny.yaml:20:13: invariant 'I' names unknown table 't9'; "
        "fix: use one of the table ids: t1",
    ),
    "equation-syntax": (
        ('equation: "a == b"', 'equation: "a == "'),
        "tiny.yaml:20:39: invariant 'I': an equation needs 'terms == terms': 'a == '; "
        "fix: write 'terms == terms', terms joined by + or -, each [INT*]name",
    ),
    "equation-key": (
        ('equation: "a == b"', 'equation: "a == bb"'),
        "tiny.yaml:20:39: invariant 'I': 'bb' is not a column key of table 't1'; "
        "fix: did you mean 'b'? for_each: row names column keys (docs/keys.md)",
    ),
    "severity": (
        ("for_each: row,", "for_each: row, severity: fatal,"),
        "tiny.yaml:20:39: 'severity' has a wrong value 'fatal': expected one of info, "
        "warning, error; fix: write one of info, warning, error here "
        "(docs/spec-language.md)",
    ),
    "pattern": (
        ("'^(?P<title>.+报告)$'", "'^(?P<title>.+报告$'"),
        "tiny.yaml:22:20: pattern '^(?P<title>.+报告$' does not compile: missing ) at "
        "position 16; fix: fix the regular expression (the `regex` module's syntax)",
    ),
    "heading-form-fields": (
        ("metadata:\n", "heading_forms:\n  - {form: '{number}、{titel}'}\nmetadata:\n"),
        "tiny.yaml:22:6: heading form '{number}、{titel}' must hold {number} and "
        "{title} once each; it holds {number}, {titel}; fix: write the heading with "
        "{number} where the number goes and {title} where the title goes, e.g. "
        "'第{number}部分 {title}' (a literal brace is written twice: {{ or }})",
    ),
    "heading-form-brace": (
        (
            "metadata:\n",
            "heading_forms:\n  - {form: '第{number}部分 {title'}\nmetadata:\n",
        ),
        "tiny.yaml:22:6: heading form '第{number}部分 {title' must hold {number} and "
        "{title} once each; it holds a stray brace (expected '}' before end of "
        "string); fix: write the heading with {number} where the number goes and "
        "{title} where the title goes, e.g. '第{number}部分 {title}' (a literal brace "
        "is written twice: {{ or }})",
    ),
    "heading-forms-empty": (
        ("metadata:\n", "heading_forms: []\nmetadata:\n"),
        "tiny.yaml:21:1: 'heading_forms' is empty, so no numbered section can be "
        "found; fix: list at least one form, e.g. {form: '{number}、{title}'}, or "
        "leave 'heading_forms' out for the default forms",
    ),
    "extends-unknown": (
        ("id: tiny\n", "id: tiny\nextends: nowhere-2030\n"),
        "tiny.yaml:3:1: extends 'nowhere-2030', which is not a known spec (known: "
        "fujian-legacy, gov-2008, gov-2014-statistics, gov-2019, gov-2021); fix: name the id of "
        "a bundled, installed or listed spec, and load both through one Registry",
    ),
}


@pytest.mark.parametrize("kind", sorted(BROKEN))
def test_each_problem_names_file_line_column_what_and_fix(kind: str) -> None:
    """The whole message: where (file:line:col), what is wrong, how to fix it."""
    change, message = BROKEN[kind]
    assert change[0] in MINIMAL

    with pytest.raises(SpecError) as info:
        parse_spec(
            MINIMAL.replace(*change, 1),
            source="tiny.yaml",
            parents=default_registry().raw_specs(),
        )

    assert message == str(info.value)
    assert (message,) == info.value.problems


def test_several_problems_are_listed_together() -> None:
    """All problems at once, one line each, under a heading naming the spec."""
    broken = MINIMAL.replace("{key: b, label: 乙}", "{key: a, label: 乙}")

    with pytest.raises(SpecError) as info:
        parse_spec(broken, source="tiny.yaml")

    assert str(info.value).startswith("tiny.yaml: spec 'tiny' has 2 problems:\n  ")
    assert [
        "tiny.yaml:13:5: table 't1': duplicate column key 'a'; fix: give each column "
        "its own key (a keyed group prefixes its leaves' keys)",
        "tiny.yaml:20:39: invariant 'I': 'b' is not a column key of table 't1'; "
        "fix: for_each: row names column keys (docs/keys.md)",
    ] == list(info.value.problems)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "[1, 2]",
            "x.yaml:1:1: a spec must be a mapping at the top level; fix: start the file "
            "with 'schema: 1' and 'id: …' (docs/writing-a-spec.md)",
        ),
        (
            "a: [",
            "x.yaml:1:5: not valid YAML: expected the node content, but found "
            "'<stream end>'; fix: check the indentation and quoting near this place",
        ),
    ],
)
def test_not_a_spec(text: str, message: str) -> None:
    """Text that is not YAML, or not a mapping, is a located SpecError."""
    with pytest.raises(SpecError) as info:
        parse_spec(text, source="x.yaml")

    assert message == str(info.value)


def test_unsafe_yaml_tags_are_refused() -> None:
    """Only safe YAML is read: python tags do not construct objects."""
    with pytest.raises(SpecError, match="could not determine a constructor"):
        parse_spec("!!python/object/apply:os.system ['true']")


def test_bundled_specs_load_and_duplicate_ids_are_refused(tmp_path: Path) -> None:
    """Every bundled spec loads; a folder redefining an id is refused, naming both."""
    for path in bundled_spec_dir().glob("*.yaml"):
        load_spec(path)
    copy = tmp_path / "copy.yaml"
    copy.write_text((bundled_spec_dir() / "gov-2019.yaml").read_text("utf-8"), "utf-8")

    with pytest.raises(SpecError) as info:
        Registry([tmp_path], plugins=False, environment=False)

    assert (
        f"spec id 'gov-2019' from {copy} is already registered from "
        f"{bundled_spec_dir() / 'gov-2019.yaml'} (bundled); fix: give the new spec an "
        "id of its own (a variant can 'extends: gov-2019')"
    ) == str(info.value)


VARIANT = """\
schema: 1
id: tiny-variant
extends: tiny
title: 变体
sections:
  - {id: s2, remove: true}
tables:
  - id: t1
    columns:
      - {key: c, label: 丙}
    rows:
      - {key: q, label: 第二列}
"""


def test_extends_merges_by_id_and_key(tmp_path: Path) -> None:
    """A variant changes what it names and keeps the rest of its parent."""
    (tmp_path / "a-variant.yaml").write_text(VARIANT, "utf-8")  # read first: waits
    (tmp_path / "b-tiny.yaml").write_text(MINIMAL, "utf-8")

    registry = Registry([tmp_path], bundled=False, plugins=False, environment=False)
    spec = registry.get("tiny-variant")

    assert "变体" == spec.title
    assert 1 == spec.version  # inherited
    assert ["s1"] == [s.id for s in spec.sections]  # s2 removed
    table = spec.table("t1")
    assert ["a", "b", "c"] == [c.key for c in table.column_leaves()]  # appended
    assert ["行", "第二列"] == [r.label for r in table.row_leaves()]  # merged by key
    assert ("第一行",) == table.rows[0].aliases
    assert "t" == registry.get("tiny").title  # the parent is unchanged


def test_extends_merges_a_group_by_label_and_places_new_rows_in_order() -> None:
    """A group without a key is known by its label; a new row goes after the row
    written before it, so a removed row can be replaced in its place."""
    base = {
        "rows": [
            {"key": "first", "label": "一"},
            {
                "label": "二、结果",
                "children": [
                    {"key": "a", "label": "甲"},
                    {"key": "b", "label": "乙"},
                    {"key": "total", "label": "总计"},
                ],
            },
            {"key": "last", "label": "三"},
        ]
    }
    override = {
        "rows": [
            {"key": "appended", "label": "四"},  # written first: goes at the end
            {
                "label": "二、结果",
                "children": [
                    {"key": "a", "aliases": ["甲方"]},
                    {"key": "b", "remove": True},
                    {"key": "b_group", "label": "乙", "children": [{"key": "x"}]},
                    {"key": "c", "label": "丙"},
                ],
            },
        ]
    }

    merged = merge_spec_data(base, override)

    group = merged["rows"][1]
    assert ["first", None, "last", "appended"] == [r.get("key") for r in merged["rows"]]
    assert ["a", "b_group", "c", "total"] == [c["key"] for c in group["children"]]
    assert {"key": "a", "label": "甲", "aliases": ["甲方"]} == group["children"][0]
    assert 3 == len(base["rows"][1]["children"])  # the parent's data is unchanged


def test_extends_can_remove_and_rewrite_an_item_in_its_place() -> None:
    """Writing an item again after removing it replaces it whole, where it was."""
    base = {
        "invariants": [{"id": "I1", "table": "t", "severity": "warning"}, {"id": "I2"}]
    }

    merged = merge_spec_data(
        base, {"invariants": [{"id": "I1", "remove": True}, {"id": "I1", "table": "u"}]}
    )

    assert [{"id": "I1", "table": "u"}, {"id": "I2"}] == merged["invariants"]


def test_gov_2021_is_gov_2019_with_the_2021_changes() -> None:
    """The bundled gov-2021 extends gov-2019: 三 keeps every 2019 row in order,
    with （六）其他处理 as three rows in its place, and 二（九） is gone."""
    registry = Registry(plugins=False, environment=False)
    rows2019 = [r.key for r in registry.get("gov-2019").table("t3").row_leaves()]
    spec = registry.get("gov-2021")

    rows = [r.key for r in spec.table("t3").row_leaves()]

    at = rows2019.index("other_handling")
    expected = ["other_no_correction", "other_fee_unpaid", "other_other"]
    assert [*rows2019[:at], *expected, *rows2019[at + 1 :]] == rows
    assert ["t2_1", "t2_5", "t2_6", "t2_8", "t3", "t4"] == [t.id for t in spec.tables]
    assert ["Y1", "Y2", "Y5", "Y4"] == [r.id for r in spec.across_years]
    assert (
        "gov-2019"
        == read_spec((bundled_spec_dir() / "gov-2021.yaml").read_text("utf-8")).extends
    )


def test_extends_needs_an_id_of_its_own(tmp_path: Path) -> None:
    """Extending without a new id is refused at the 'id' line."""
    (tmp_path / "tiny.yaml").write_text(MINIMAL, "utf-8")
    (tmp_path / "v.yaml").write_text(VARIANT.replace("tiny-variant", "tiny"), "utf-8")

    with pytest.raises(SpecError) as info:
        Registry([tmp_path], bundled=False, plugins=False, environment=False)

    assert (
        f"{tmp_path / 'v.yaml'}:2:1: a spec that extends 'tiny' needs an id of its own; "
        "fix: add 'id: <new id>' (e.g. 'my-province-2021')"
    ) == str(info.value)


def test_merge_replaces_plain_lists_and_values() -> None:
    """Lists without ids (aliases, units) are replaced, not appended."""
    base = {"units": ["元"], "tables": [{"id": "t", "unit": "件"}]}

    merged = merge_spec_data(base, {"units": ["万元"], "tables": [{"id": "t"}]})

    assert {"units": ["万元"], "tables": [{"id": "t", "unit": "件"}]} == merged
    assert ["元"] == base["units"]


def test_read_spec_keeps_data_and_positions() -> None:
    """read_spec parses without checking: the registry resolves extends first."""
    raw = read_spec("schema: 1\nid: x\nextends: gov-2021\n", "x.yaml")

    assert ("x", "gov-2021") == (raw.id, raw.extends)


def test_sections_read_number_null_order_and_required() -> None:
    """``number: null`` is a heading of any number, ``order`` and ``required`` are
    read; without them a section is listed and required, as before."""
    spec = parse_spec(
        MINIMAL.replace(
            "{id: s2, number: 二, title: 主动公开}",
            "{id: s2, number: null, title: 主动公开, order: any, required: false}",
        )
    )

    first, second = spec.sections
    assert (None, SectionOrder.ANY, False) == (
        second.number,
        second.order,
        second.required,
    )
    assert ("一", SectionOrder.LISTED, True) == (
        first.number,
        first.order,
        first.required,
    )
    assert second.numbered
    assert first.numbered


def test_an_unknown_section_order_is_located_and_lists_the_orders() -> None:
    """Column 38 is where `order` starts on line 8 (counted by hand)."""
    text = MINIMAL.replace("title: 主动公开}", "title: 主动公开, order: sometimes}")

    with pytest.raises(SpecError) as info:
        parse_spec(text, source="tiny.yaml")

    assert (
        "tiny.yaml:8:38: 'order' has a wrong value 'sometimes': expected one of "
        "listed, any; fix: write one of listed, any here (docs/spec-language.md)"
    ) == str(info.value)
