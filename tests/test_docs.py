"""Generated docs stay current."""

from __future__ import annotations

import importlib.util
from pathlib import Path

DOCS = Path(__file__).parent.parent / "docs"


def test_keys_doc_is_current() -> None:
    """docs/keys.md is what docs/gen_keys.py writes from the specs."""
    spec = importlib.util.spec_from_file_location("gen_keys", DOCS / "gen_keys.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)

    assert module.render() == (DOCS / "keys.md").read_text(encoding="utf-8"), (
        "run python docs/gen_keys.py"
    )


def test_spec_json_schema_is_current_and_accepts_every_spec() -> None:
    """specs/schema/spec-1.schema.json is what `specs schema` prints, and every
    bundled spec and the example plugin's spec validate against it."""
    import json

    import jsonschema
    import yaml

    from govdisclosure.spec.schema import spec_json_schema

    root = DOCS.parent
    shipped = json.loads(
        (root / "specs" / "schema" / "spec-1.schema.json").read_text("utf-8")
    )
    assert spec_json_schema() == shipped, (
        "run: govdisclosure specs schema > specs/schema/spec-1.schema.json"
    )
    validator = jsonschema.Draft202012Validator(shipped)
    files = [
        *sorted((root / "specs").glob("*.yaml")),
        *sorted((root / "examples").glob("*/src/*/*.yaml")),
    ]
    assert len(files) >= 5
    for path in files:
        errors = [
            e.message
            for e in validator.iter_errors(yaml.safe_load(path.read_text("utf-8")))
        ]
        assert [] == errors, path
    typo = yaml.safe_load((root / "specs" / "gov-2019.yaml").read_text("utf-8"))
    typo["tables"][0]["colums"] = typo["tables"][0].pop("columns")
    assert not validator.is_valid(typo)


def test_writing_a_spec_examples_are_valid() -> None:
    """The tutorial's minimal spec loads, and its extends example is the plugin's spec."""
    import re

    from govdisclosure.spec.loader import parse_spec
    from govdisclosure.spec.registry import Registry

    text = (DOCS / "writing-a-spec.md").read_text("utf-8")
    minimal, variant = re.findall(r"```yaml\n(.*?)```", text, re.DOTALL)[:2]
    plugin = DOCS.parent / "examples" / "govdisclosure-example-plugin" / "src"
    shipped = Registry(
        [plugin / "govdisclosure_example_plugin"], plugins=False, environment=False
    )

    assert "my-province-2016" == parse_spec(minimal).id
    assert shipped.get("example-county-2021") == parse_spec(
        variant, parents=shipped.raw_specs()
    )


def test_every_spec_field_is_in_the_reference() -> None:
    """spec-language.md names every field of the spec model."""
    import attrs

    from govdisclosure.spec import model as spec_model

    reference = (DOCS / "spec-language.md").read_text("utf-8")
    classes = [
        c for c in vars(spec_model).values() if isinstance(c, type) and attrs.has(c)
    ]
    missing = {
        f"{c.__name__}.{f.name}"
        for c in classes
        if c is not spec_model.Leaf
        for f in attrs.fields(c)
        if f"`{f.name}`" not in reference
    }

    assert set() == missing


def test_spec_language_heading_form_examples_load() -> None:
    """Each `heading_forms` example in spec-language.md is a valid part of a spec,
    and the first one is the default."""
    import re

    from govdisclosure.spec.loader import parse_spec
    from govdisclosure.spec.model import DEFAULT_HEADING_FORMS

    text = (DOCS / "spec-language.md").read_text("utf-8")
    examples = re.findall(r"```yaml\n(heading_forms:\n.*?)```", text, re.DOTALL)
    spec = (
        "schema: 1\nid: x\nversion: 1\ntitle: t\nsource: s\n"
        "sections: [{id: s1, number: 一, title: 总体情况}]\n"
        "tables: [{id: t, name: 一, section: s1, rows: [{key: r, label: 行}], "
        "columns: [{key: c, label: 列}]}]\n"
    )

    forms = [parse_spec(spec + example).heading_forms for example in examples]

    assert 3 == len(forms)
    assert DEFAULT_HEADING_FORMS == forms[0]
    assert ["（{number}）{title}", "第{number}部分 {title}"] == [
        f[0].form for f in forms[1:]
    ]
