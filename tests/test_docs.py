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

    from govdisclosure.spec_schema import spec_json_schema

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
