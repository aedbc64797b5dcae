"""The one cattrs Converter: Report ↔ plain dicts and JSON.

Decimals travel as strings (so no precision is lost in JSON) and ints as ints;
enums travel as their values. ``structure_report(unstructure_report(r)) == r``
holds for every report `load` returns.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import attrs
import cattrs

from govdisclosure.model import (
    Cell,
    CellStatus,
    Finding,
    Report,
    Section,
    Severity,
    SourceSpan,
    Table,
    Value,
)

__all__ = ["converter", "structure_report", "unstructure_report"]

converter = cattrs.Converter(forbid_extra_keys=True)

for _cls in (SourceSpan, Cell, Table, Finding, Section, Report):
    attrs.resolve_types(_cls)


def _unstructure_value(value: Value) -> int | str | None:
    return str(value) if isinstance(value, Decimal) else value


def _structure_value(data: Any, _: Any) -> Value:
    if data is None or (isinstance(data, int) and not isinstance(data, bool)):
        return data
    if isinstance(data, str):
        return Decimal(data)
    raise TypeError(f"not a cell value: {data!r}")


converter.register_unstructure_hook_func(lambda t: t == Value, _unstructure_value)
converter.register_structure_hook_func(lambda t: t == Value, _structure_value)
converter.register_unstructure_hook(CellStatus, lambda e: e.value)
converter.register_unstructure_hook(Severity, lambda e: e.value)
converter.register_unstructure_hook(Decimal, str)
converter.register_structure_hook(Decimal, lambda d, _: Decimal(d))
converter.register_structure_hook_func(
    lambda t: t == tuple[Value, ...],
    lambda d, _: tuple(_structure_value(v, None) for v in d),
)
converter.register_unstructure_hook_func(
    lambda t: t == tuple[Value, ...],
    lambda vs: [_unstructure_value(v) for v in vs],
)


def unstructure_report(report: Report) -> dict[str, Any]:
    """Report → JSON-ready dict."""
    data: dict[str, Any] = converter.unstructure(report)
    return data


def structure_report(data: dict[str, Any]) -> Report:
    """JSON-ready dict → Report."""
    return converter.structure(data, Report)
