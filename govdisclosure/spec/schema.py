"""JSON Schemas derived from the attrs classes: spec files, and reports as JSON.

Editors that read JSON Schema (VS Code's YAML extension, PyCharm) complete
field names and flag typos while a spec is written. The schema is generated
from the attrs classes of `spec.model`, so it cannot drift from what the
loader reads; ``specs/schema/spec-1.schema.json`` is this function's output
(``govdisclosure specs schema``), and a test keeps it current. The loader stays
the authority: only it checks equations, keys and patterns.

`report_json_schema` is the same derivation over the `model` classes: the
shape of ``Report.to_dict()`` / ``govdisclosure parse -o x.jsonl`` lines, for
consumers in other languages (``docs/report.schema.json``, kept current by a test).
"""

from __future__ import annotations

import enum
import types
import typing
from decimal import Decimal
from typing import Any

import attrs

from govdisclosure.model import Report
from govdisclosure.spec.model import (
    Invariant,
    LabelNode,
    NarrativeFact,
    SectionSpec,
    Spec,
    TableSpec,
    YearRule,
)

__all__ = ["REPORT_SCHEMA_ID", "SCHEMA_ID", "report_json_schema", "spec_json_schema"]

SCHEMA_ID = "urn:govdisclosure:spec-schema:1"
REPORT_SCHEMA_ID = "urn:govdisclosure:report-schema:1"

#: Items a spec that ``extends`` another may drop with ``remove: true``: those
#: of the lists the loader merges item by item (by ``id``, or rows and columns).
_REMOVABLE = (SectionSpec, TableSpec, Invariant, LabelNode, NarrativeFact, YearRule)


def spec_json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a ``schema: 1`` spec file."""
    definitions: dict[str, Any] = {}
    top = _object(Spec, definitions)
    top["properties"]["extends"] = {
        "type": "string",
        "description": "the id of a spec this one extends; only the changes are written",
    }
    required = [f.name for f in attrs.fields(Spec) if f.default is attrs.NOTHING]
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "govdisclosure template spec, schema 1",
        **top,
        "if": {"required": ["extends"]},
        "then": {"required": ["schema", "id"]},
        "else": {"required": required},
        "$defs": definitions,
    }


def report_json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of ``Report.to_dict()`` (one JSON Lines record).

    Amounts travel as decimal strings, counts as integers; every field is
    always written. A JSON Lines record of ``govdisclosure parse`` also has
    ``source`` (the file path).
    """
    definitions: dict[str, Any] = {}
    top = _object(Report, definitions, required=True)
    top["properties"]["source"] = {
        "type": ["string", "null"],
        "description": "the file the report was read from (JSON Lines output only)",
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": REPORT_SCHEMA_ID,
        "title": "govdisclosure report, schema 1",
        **top,
        "$defs": definitions,
    }


def _object(
    cls: type, definitions: dict[str, Any], *, required: bool = False
) -> dict[str, Any]:
    hints = typing.get_type_hints(cls)
    properties = {
        field.name: _type(hints[field.name], definitions) for field in attrs.fields(cls)
    }
    if cls in _REMOVABLE:
        properties["remove"] = {
            "type": "boolean",
            "description": "in a spec that extends another: drop this item",
        }
    schema: dict[str, Any] = {"type": "object", "properties": properties}
    if required:
        schema["required"] = list(properties)
    schema["additionalProperties"] = False
    if cls.__doc__:
        schema["description"] = cls.__doc__.strip().splitlines()[0]
    return schema


def _type(kind: Any, definitions: dict[str, Any]) -> dict[str, Any]:
    origin = typing.get_origin(kind)
    args = typing.get_args(kind)
    if origin in (typing.Union, types.UnionType):
        return {"anyOf": [_type(a, definitions) for a in args]}
    if origin is tuple:
        item = _type(args[0], definitions)
        many = {"type": "array", "items": item}
        return {"anyOf": [many, item]} if args[0] is str else many
    if kind is type(None):
        return {"type": "null"}
    if isinstance(kind, type) and issubclass(kind, enum.Enum):
        return {"enum": [m.value for m in kind]}
    if isinstance(kind, type) and attrs.has(kind):
        name = kind.__name__
        if name not in definitions:
            definitions[name] = {}  # recursion guard (LabelNode.children)
            # a report's JSON always has every field; a spec file need not
            always = kind.__module__ == Report.__module__
            definitions[name] = _object(kind, definitions, required=always)
        return {"$ref": f"#/$defs/{name}"}
    if kind is Decimal:
        return {"type": "string", "pattern": r"^-?[0-9]+(\.[0-9]+)?$"}
    simple = {int: "integer", str: "string", bool: "boolean", float: "number"}
    return {"type": simple[kind]}
