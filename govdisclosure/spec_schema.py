"""The JSON Schema of spec files, derived from the spec model (for editors).

Editors that read JSON Schema (VS Code's YAML extension, PyCharm) complete
field names and flag typos while a spec is written. The schema is generated
from the attrs classes of `spec_model`, so it cannot drift from what the
loader reads; ``specs/schema/spec-1.schema.json`` is this function's output
(``govdisclosure specs schema``), and a test keeps it current. The loader stays
the authority: only it checks equations, keys and patterns.
"""

from __future__ import annotations

import enum
import types
import typing
from typing import Any

import attrs

from govdisclosure.spec_model import (
    Invariant,
    LabelNode,
    SectionSpec,
    Spec,
    TableSpec,
)

__all__ = ["SCHEMA_ID", "spec_json_schema"]

SCHEMA_ID = "urn:govdisclosure:spec-schema:1"

#: Items a spec that ``extends`` another may drop with ``remove: true``.
_REMOVABLE = (SectionSpec, TableSpec, Invariant, LabelNode)


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


def _object(cls: type, definitions: dict[str, Any]) -> dict[str, Any]:
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
            definitions[name] = _object(kind, definitions)
        return {"$ref": f"#/$defs/{name}"}
    simple = {int: "integer", str: "string", bool: "boolean", float: "number"}
    return {"type": simple[kind]}
