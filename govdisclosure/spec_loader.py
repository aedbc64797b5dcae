"""YAML → Spec: safe YAML, strict structure, semantic checks, located errors.

A spec author's mistakes surface here, when the spec is loaded, not in the
middle of a batch: unknown keys, duplicate keys, equations that name cells the
table does not have, patterns that do not compile. Every problem is reported at
once, each with its path in the file (``@ $.tables[2].rows[0]``).
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import attrs
import cattrs
import regex
import yaml

from govdisclosure.errors import SpecError
from govdisclosure.spec_expr import EquationSyntaxError, parse_equation
from govdisclosure.spec_model import (
    ForEach,
    Invariant,
    LabelNode,
    MetadataSpec,
    SectionSpec,
    Spec,
    TableSpec,
    YearEvidence,
)

__all__ = ["SUPPORTED_SCHEMAS", "load_spec", "parse_spec"]

#: Spec schema versions this library reads.
SUPPORTED_SCHEMAS = (1,)

_converter = cattrs.Converter(forbid_extra_keys=True)
_converter.register_structure_hook_func(
    lambda t: t == tuple[str, ...],
    lambda d, _: (d,) if isinstance(d, str) else tuple(str(x) for x in d),
)
for _cls in (
    Spec,
    TableSpec,
    LabelNode,
    SectionSpec,
    Invariant,
    MetadataSpec,
    YearEvidence,
):
    attrs.resolve_types(_cls)


def load_spec(path: str | Path) -> Spec:
    """Read and check one spec file. Raises SpecError naming the file and places."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise SpecError(f"{path}: cannot read spec: {exc}") from exc
    return parse_spec(text, source=str(path))


def parse_spec(text: str, *, source: str = "<string>") -> Spec:
    """Parse spec YAML text; ``source`` names it in error messages."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise SpecError(f"{source}: not valid YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise SpecError(f"{source}: a spec must be a mapping at the top level")
    schema = data.get("schema")
    if schema not in SUPPORTED_SCHEMAS:
        raise SpecError(
            f"{source}: unsupported 'schema: {schema}'; this library reads schema {SUPPORTED_SCHEMAS}",
            spec_id=data.get("id"),
        )
    try:
        spec = _converter.structure(data, Spec)
    except cattrs.BaseValidationError as exc:
        problems = cattrs.transform_error(exc, path="$")
        raise SpecError(
            f"{source}: spec does not match the schema:\n  " + "\n  ".join(problems),
            spec_id=data.get("id"),
            problems=problems,
        ) from exc
    problems = check_spec(spec)
    if problems:
        raise SpecError(
            f"{source}: spec {spec.id!r} has {len(problems)} problem(s):\n  "
            + "\n  ".join(problems),
            spec_id=spec.id,
            problems=problems,
        )
    return spec


def check_spec(spec: Spec) -> list[str]:
    """Semantic checks the schema cannot express; returns the problems found."""
    problems: list[str] = []
    section_ids = [s.id for s in spec.sections]
    problems += [
        f"duplicate section id {i!r} @ $.sections"
        for i, n in Counter(section_ids).items()
        if n > 1
    ]
    table_ids = [t.id for t in spec.tables]
    problems += [
        f"duplicate table id {i!r} @ $.tables"
        for i, n in Counter(table_ids).items()
        if n > 1
    ]
    for ti, table in enumerate(spec.tables):
        where = f"$.tables[{ti}]"
        if table.section not in section_ids:
            problems.append(
                f"table {table.id!r} names unknown section {table.section!r} @ {where}.section"
            )
        problems += _check_table(table, where)
    for ii, inv in enumerate(spec.invariants):
        where = f"$.invariants[{ii}]"
        if inv.table not in table_ids:
            problems.append(
                f"invariant {inv.id!r} names unknown table {inv.table!r} @ {where}.table"
            )
            continue
        problems += _check_invariant(
            spec.table(inv.table), inv.equation, inv.for_each, inv.id, where
        )
        if inv.severity not in ("info", "warning", "error"):
            problems.append(
                f"invariant {inv.id!r}: severity must be info, warning or error @ {where}.severity"
            )
    patterns = [
        *spec.metadata.title_patterns,
        *spec.metadata.organization_patterns,
        *(e.pattern for e in spec.metadata.year_evidence),
        *([spec.header_unit_pattern] if spec.header_unit_pattern else []),
        *spec.ignore_patterns,
        *spec.metadata.date_patterns,
    ]
    for pattern in patterns:
        try:
            regex.compile(pattern)
        except regex.error as exc:
            problems.append(f"pattern {pattern!r} does not compile: {exc} @ $.metadata")
    return problems


def _check_table(table: TableSpec, where: str) -> list[str]:
    problems = []
    for kind, leaves in (
        ("row", table.row_leaves()),
        ("column", table.column_leaves()),
    ):
        counts = Counter(leaf.key for leaf in leaves)
        problems += [
            f"table {table.id!r}: duplicate {kind} key {k!r} @ {where}.{kind}s"
            for k, n in counts.items()
            if n > 1
        ]
        if not leaves:
            problems.append(f"table {table.id!r} has no {kind}s @ {where}.{kind}s")
    unlabelled = [leaf for leaf in table.row_leaves() if not leaf.node.label]
    if unlabelled and len(table.row_leaves()) > 1:
        problems.append(
            f"table {table.id!r}: an unlabelled row must be the table's only row @ {where}.rows"
        )
    return problems


def _check_invariant(
    table: TableSpec, text: str, for_each: ForEach, inv_id: str, where: str
) -> list[str]:
    try:
        equation = parse_equation(text)
    except EquationSyntaxError as exc:
        return [f"invariant {inv_id!r}: {exc} @ {where}.equation"]
    rows = {leaf.key for leaf in table.row_leaves()}
    cols = {leaf.key for leaf in table.column_leaves()}
    problems = []
    for name in equation.names():
        if for_each is ForEach.ROW:
            ok = name in cols
        elif for_each is ForEach.COLUMN:
            ok = name in rows
        else:
            row, _, col = name.partition(".")
            ok = row in rows and col in cols
        if not ok:
            problems.append(
                f"invariant {inv_id!r}: {name!r} is not a {for_each.value if for_each is not ForEach.NONE else 'row.column'} key of table {table.id!r} @ {where}.equation"
            )
    return problems
