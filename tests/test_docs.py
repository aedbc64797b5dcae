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
