"""Tests for `parse_spec`: broken specs fail at load time, saying where."""

from __future__ import annotations

import pytest

from govdisclosure import SpecError, load_spec
from govdisclosure.registry import Registry, bundled_spec_dir
from govdisclosure.spec_loader import parse_spec

MINIMAL = """
schema: 1
id: tiny
version: 1
title: t
source: s
sections: [{id: s1, number: 一, title: 总体情况}]
tables:
  - id: t1
    name: 一
    section: s1
    columns: [{key: a, label: 甲}, {key: b, label: 乙}]
    rows: [{key: r, label: 行}]
invariants:
  - {id: I, table: t1, for_each: row, equation: "a == b"}
"""


def test_minimal_spec_loads() -> None:
    """A small valid spec gives a Spec with its leaves."""
    spec = parse_spec(MINIMAL)

    assert ["a", "b"] == [c.key for c in spec.table("t1").column_leaves()]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            (
                "columns: [{key: a, label: 甲}, {key: b, label: 乙}]",
                "columns: [{key: a, label: 甲}, {key: a, label: 乙}]",
            ),
            "duplicate column key 'a'",
        ),
        (('equation: "a == b"', 'equation: "a == zz"'), "'zz' is not a row key"),
        (('equation: "a == b"', 'equation: "a == "'), "invariant 'I'"),
        (("section: s1", "section: s9"), "unknown section 's9'"),
        (
            ("rows: [{key: r, label: 行}]", "rows: [{key: r, label: 行, colour: red}]"),
            "extra fields found (colour) @ $.tables[0].rows[0]",
        ),
        (("schema: 1", "schema: 7"), "unsupported 'schema: 7'"),
    ],
)
def test_problems_are_located(change: tuple[str, str], message: str) -> None:
    """Each problem names what is wrong and where ($.path)."""
    with pytest.raises(SpecError) as info:
        parse_spec(MINIMAL.replace(*change), source="tiny.yaml")

    assert message in str(info.value)
    assert str(info.value).startswith("tiny.yaml")


def test_not_yaml() -> None:
    """Invalid YAML is a SpecError, not a yaml exception."""
    with pytest.raises(SpecError, match="not valid YAML"):
        parse_spec("a: [", source="x.yaml")


def test_unsafe_yaml_tags_are_refused() -> None:
    """Only safe YAML is read: python tags do not construct objects."""
    with pytest.raises(SpecError):
        parse_spec("!!python/object/apply:os.system ['true']")


def test_bundled_specs_load_and_duplicate_ids_are_refused(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Every bundled spec loads; a folder redefining an id is refused."""
    for path in bundled_spec_dir().glob("*.yaml"):
        load_spec(path)
    (tmp_path / "copy.yaml").write_text(
        (bundled_spec_dir() / "gov-2019.yaml").read_text("utf-8"), "utf-8"
    )

    with pytest.raises(SpecError, match="already registered"):
        Registry([tmp_path])
