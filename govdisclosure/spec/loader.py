"""YAML → Spec: safe YAML, strict structure, semantic checks, located errors.

A spec author's mistakes surface here, when the spec is loaded, not in the
middle of a batch: unknown fields, duplicate keys, equations that name cells
the table does not have, patterns that do not compile. Every problem is
reported at once, each as ``FILE:LINE:COL: what; fix: how`` so an editor can
jump to it and the author knows what to write instead.

A spec may ``extends:`` another by id and override parts of it (see
`merge_spec_data`); the merge happens on the YAML data, before any checking,
so an extended spec is checked as a whole.
"""

from __future__ import annotations

import difflib
import re
import string
import typing
from collections import Counter
from collections.abc import Iterator, Mapping
from typing import Any

import attrs
import cattrs
import regex
import yaml
from attrs import frozen

from govdisclosure.errors import SpecError
from govdisclosure.model import Severity
from govdisclosure.spec.expr import EquationSyntaxError, parse_equation
from govdisclosure.spec.model import (
    ForEach,
    HeadingForm,
    Invariant,
    LabelNode,
    MetadataSpec,
    NarrativeFact,
    SectionSpec,
    Spec,
    TableSpec,
    ValueType,
    YearEvidence,
    YearRule,
)
from govdisclosure.typography import label_key, numeral

__all__ = [
    "SUPPORTED_SCHEMAS",
    "Problem",
    "RawSpec",
    "build_spec",
    "check_previous_names",
    "merge_spec_data",
    "parse_spec",
    "read_spec",
]

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
    NarrativeFact,
    YearRule,
    HeadingForm,
):
    attrs.resolve_types(_cls)

#: What each part of a spec is called in messages.
_NAMES = {
    Spec: "the spec's top level",
    TableSpec: "a table",
    LabelNode: "a row or column",
    SectionSpec: "a section",
    Invariant: "an invariant",
    MetadataSpec: "metadata",
    YearEvidence: "a year_evidence entry",
    NarrativeFact: "a narrative fact",
    YearRule: "an across_years rule",
    HeadingForm: "a heading form",
}


@frozen
class Problem:
    """One thing wrong with a spec: what, how to fix it, and where ($.path)."""

    what: str
    fix: str
    path: str = "$"

    def located(self, source: str, line: int, column: int) -> str:
        return f"{source}:{line}:{column}: {self.what}; fix: {self.fix}"


@frozen
class RawSpec:
    """A spec file as read: its data, its YAML node tree (for positions), its name."""

    source: str
    data: dict[str, Any]
    node: yaml.Node | None = None

    @property
    def id(self) -> str | None:
        value = self.data.get("id")
        return value if isinstance(value, str) else None

    @property
    def extends(self) -> str | None:
        value = self.data.get("extends")
        return value if isinstance(value, str) else None


class _DuplicateKeyError(yaml.MarkedYAMLError):
    pass


class _SafeLoader(yaml.SafeLoader):
    """Safe YAML that refuses a key written twice in one mapping (YAML keeps the last)."""


def _mapping(loader: _SafeLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    loader.flatten_mapping(node)
    seen: dict[Any, yaml.Mark] = {}
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in seen:
            first = seen[key]
            raise _DuplicateKeyError(
                problem=f"the key {key!r} is written twice in one mapping "
                f"(first on line {first.line + 1})",
                problem_mark=key_node.start_mark,
            )
        seen[key] = key_node.start_mark
    return loader.construct_mapping(node, deep=True)


_SafeLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)


def read_spec(text: str, source: str = "<string>") -> RawSpec:
    """Read spec YAML (safe YAML only) without checking its structure."""
    try:
        node = yaml.compose(text, Loader=_SafeLoader)  # a SafeLoader
        data = _SafeLoader("").construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        duplicate = isinstance(exc, _DuplicateKeyError)
        what = exc.problem if duplicate else f"not valid YAML: {exc.problem}"
        fix = (
            "keep one of them (YAML would silently use the last)"
            if duplicate
            else "check the indentation and quoting near this place"
        )
        problem = Problem(str(what), fix).located(source, line, column)
        raise SpecError(problem, problems=[problem]) from exc
    except yaml.YAMLError as exc:
        raise SpecError(f"{source}:1:1: not valid YAML: {exc}") from exc
    if not isinstance(data, dict):
        problem = Problem(
            "a spec must be a mapping at the top level",
            "start the file with 'schema: 1' and 'id: …' (docs/writing-a-spec.md)",
        ).located(source, 1, 1)
        raise SpecError(problem, problems=[problem])
    return RawSpec(source, data, node)


def parse_spec(
    text: str,
    *,
    source: str = "<string>",
    parents: Mapping[str, RawSpec] | None = None,
) -> Spec:
    """Parse spec YAML text; ``source`` names it in error messages."""
    return build_spec(read_spec(text, source), parents)[0]


def build_spec(
    raw: RawSpec, parents: Mapping[str, RawSpec] | None = None
) -> tuple[Spec, RawSpec]:
    """Resolve ``extends``, structure and check; returns the Spec and its merged data."""
    data = dict(raw.data)
    parent_id = data.pop("extends", None)
    if parent_id is not None:
        data = _extend(raw, parent_id, data, parents)
    resolved = RawSpec(raw.source, data, raw.node)
    schema = data.get("schema")
    if schema not in SUPPORTED_SCHEMAS:
        _fail(
            raw,
            [
                Problem(
                    f"unsupported 'schema: {schema}'; this library reads schema "
                    + ", ".join(map(str, SUPPORTED_SCHEMAS)),
                    "write 'schema: 1', or upgrade govdisclosure",
                    "$.schema",
                )
            ],
        )
    try:
        spec = _converter.structure(data, Spec)
    except cattrs.BaseValidationError as exc:
        problems = [
            _structure_problem(text, data)
            for text in cattrs.transform_error(exc, path="$")
        ]
        _fail(raw, problems, exc)
    problems = check_spec(spec)
    if problems:
        _fail(raw, problems)
    return spec, resolved


def _extend(
    raw: RawSpec,
    parent_id: object,
    data: dict[str, Any],
    parents: Mapping[str, RawSpec] | None,
) -> dict[str, Any]:
    # the loader resolves a parent only among those it is handed: which specs
    # exist is the registry's business (`registry.load_spec` hands the defaults)
    parents = parents or {}
    parent = parents.get(parent_id) if isinstance(parent_id, str) else None
    if parent is None:
        known = ", ".join(sorted(parents)) or "none"
        _fail(
            raw,
            [
                Problem(
                    f"extends {parent_id!r}, which is not a known spec (known: {known})",
                    "name the id of a bundled, installed or listed spec, and load both "
                    "through one Registry",
                    "$.extends",
                )
            ],
        )
    if "id" not in data or data["id"] == parent_id:
        _fail(
            raw,
            [
                Problem(
                    f"a spec that extends {parent_id!r} needs an id of its own",
                    "add 'id: <new id>' (e.g. 'my-province-2021')",
                    "$.id" if "id" in data else "$",
                )
            ],
        )
    merged: dict[str, Any] = merge_spec_data(parent.data, data)
    return merged


_REMOVED = object()


def merge_spec_data(base: Any, override: Any) -> Any:
    """The data of a spec that extends ``base`` with ``override``.

    Mappings merge field by field. A list whose items all have an ``id``, or
    a list of rows or columns (each known by its ``key``, a group without one
    by its ``label``), merges item by item: an item the parent has merges into
    it, ``remove: true`` drops it, and a new item goes right after the item
    written before it in ``override`` (at the end when it comes first). So a
    variant can replace a row inside a merged group, in its place, by removing
    it and writing the new one after it. Any other value replaces the parent's.
    """
    if isinstance(base, dict) and isinstance(override, dict):
        merged = dict(base)
        for name, value in override.items():
            merged[name] = merge_spec_data(base[name], value) if name in base else value
        return merged
    ident = _identity(base) if isinstance(base, list) else None
    if ident and isinstance(override, list) and _identity(override) is ident:
        # (identity, item) in order; a removed item keeps its place until the
        # end, so that a new item written after it can take that place
        slots: list[tuple[object, Any]] = [(ident(item), item) for item in base]
        # the identity of the item written before (none yet: _REMOVED names no item)
        after: object = _REMOVED
        for item in override:
            item = dict(item)
            remove = item.pop("remove", False) is True
            name = ident(item)
            index = _slot(slots, name)
            if index is not None:
                old = slots[index][1]
                new = item if old is _REMOVED else merge_spec_data(old, item)
                slots[index] = (name, _REMOVED if remove else new)
            elif not remove:
                anchor = _slot(slots, after)
                slots.insert(len(slots) if anchor is None else anchor + 1, (name, item))
            after = name
        return [item for _, item in slots if item is not _REMOVED]
    return override


def _slot(slots: list[tuple[object, Any]], name: object) -> int | None:
    return next((i for i, (known, _) in enumerate(slots) if known == name), None)


def _by_id(item: dict[str, Any]) -> object:
    return item["id"]


def _by_key(item: dict[str, Any]) -> object:
    return ("key", item["key"]) if "key" in item else ("label", item["label"])


def _identity(items: list[Any]) -> typing.Callable[[dict[str, Any]], object] | None:
    """How the items of a list are known in a spec and its parent, if they are."""
    if not items or not all(isinstance(i, dict) for i in items):
        return None
    if all("id" in i for i in items):
        return _by_id
    if all("key" in i or "label" in i for i in items):
        return _by_key
    return None


def _fail(
    raw: RawSpec, problems: list[Problem], cause: BaseException | None = None
) -> typing.NoReturn:
    lines = [p.located(raw.source, *_position(raw.node, p.path)) for p in problems]
    spec_id = raw.id
    head = (
        lines[0]
        if len(lines) == 1
        else f"{raw.source}: spec {spec_id!r} has {len(lines)} problems:\n  "
        + "\n  ".join(lines)
    )
    raise SpecError(head, spec_id=spec_id, problems=lines) from cause


_PATH_STEP = re.compile(r"\.([^.\[\]]+)|\[(\d+)\]")


def _steps(path: str) -> list[str | int]:
    return [
        int(index) if index else name for name, index in _PATH_STEP.findall(path[1:])
    ]


def _position(node: yaml.Node | None, path: str) -> tuple[int, int]:
    """Line and column (1-based) of ``$.a[0].b`` in the file; the nearest known part."""
    if node is None:
        return 1, 1
    mark = node.start_mark
    current: yaml.Node | None = node
    for step in _steps(path):
        found: yaml.Node | None = None
        if isinstance(step, str) and isinstance(current, yaml.MappingNode):
            for key_node, value_node in current.value:
                if key_node.value == step:
                    mark, found = key_node.start_mark, value_node
        elif (
            isinstance(step, int)
            and isinstance(current, yaml.SequenceNode)
            and step < len(current.value)
        ):
            found = current.value[step]
            mark = found.start_mark
        if found is None:
            break
        current = found
    return mark.line + 1, mark.column + 1


def _class_at(path: str) -> type | None:
    """The spec class a ``$.path`` to a mapping points at (for field suggestions)."""
    cls: type = Spec
    for step in _steps(path):
        if isinstance(step, int):
            continue
        field = attrs.fields_dict(cls).get(step)
        if field is None:
            return None
        kind = field.type
        inner = [a for a in typing.get_args(kind) if attrs.has(a)]
        if isinstance(kind, type) and attrs.has(kind):
            cls = kind
        elif inner:
            cls = inner[0]
        else:
            return None
    return cls


def _structure_problem(text: str, data: Any) -> Problem:
    """A cattrs message (``what @ $.path``) as a Problem with a fix.

    ``data`` is the spec's data, where the offending value is looked up: cattrs
    names the expected type but not the value it got (``severity: fatal``).
    """
    what, _, path = text.rpartition(" @ ")
    if not what:
        what, path = text, "$"
    extra = re.fullmatch(r"extra fields found \((.+)\)", what)
    if extra:
        cls = _class_at(path)
        allowed = [f.name for f in attrs.fields(cls)] if cls else []
        names = [n.strip() for n in extra.group(1).split(",")]
        close = difflib.get_close_matches(names[0], allowed, n=1)
        hint = f"did you mean {close[0]!r}? " if close else ""
        where = _NAMES.get(cls, "here") if cls else "here"
        return Problem(
            f"unknown field {names[0]!r} in {where}",
            f"{hint}the fields of {where} are: {', '.join(allowed)}",
            f"{path}.{names[0]}",
        )
    if what == "required field missing":
        field = path.rsplit(".", 1)[-1]
        return Problem(
            f"required field {field!r} is missing",
            f"add '{field}: …' here (docs/spec-language.md lists every field)",
            path,
        )
    expected = re.search(r"expected (.+)$", what)
    field = path.rsplit(".", 1)[-1]
    if expected:
        kind = _TYPE_WORDS.get(expected.group(1), expected.group(1))
        value = _value_at(data, path)
        got = "" if value is _ABSENT else f" {value!r}"
        return Problem(
            f"{field!r} has a wrong value{got}: expected {kind}",
            f"write {kind} here (docs/spec-language.md)",
            path,
        )
    return Problem(
        f"{field!r} has a wrong value: {what}", "see docs/spec-language.md", path
    )


_ABSENT = object()


def _value_at(data: Any, path: str) -> Any:
    """The value at ``$.a[0].b`` in the spec's data; ``_ABSENT`` if there is none."""
    for step in _steps(path):
        try:
            data = data[step]
        except (KeyError, IndexError, TypeError):
            return _ABSENT
    return data


_TYPE_WORDS = {
    "int": "a whole number",
    "str": "a text",
    "bool": "true or false",
    "float": "a number",
    **{
        enum.__name__: "one of " + ", ".join(member.value for member in enum)
        for enum in (ValueType, ForEach, Severity)
    },
}


def check_spec(spec: Spec) -> list[Problem]:
    """Semantic checks the schema cannot express; returns the problems found."""
    problems = _check_sections(spec)
    problems += _check_heading_forms(spec)
    table_ids = [t.id for t in spec.tables]
    problems += _duplicate_ids("table", table_ids)
    section_ids = [s.id for s in spec.sections]
    for ti, table in enumerate(spec.tables):
        where = f"$.tables[{ti}]"
        if table.section not in section_ids:
            problems.append(
                Problem(
                    f"table {table.id!r} names unknown section {table.section!r}",
                    f"use one of the section ids: {', '.join(section_ids)}",
                    f"{where}.section",
                )
            )
        problems += _check_table(table, where)
    for ii, inv in enumerate(spec.invariants):
        where = f"$.invariants[{ii}]"
        if inv.table not in table_ids:
            problems.append(
                Problem(
                    f"invariant {inv.id!r} names unknown table {inv.table!r}",
                    f"use one of the table ids: {', '.join(table_ids)}",
                    f"{where}.table",
                )
            )
            continue
        problems += _check_invariant(
            spec.table(inv.table), inv.equation, inv.for_each, inv.id, where
        )
    problems += _duplicate_ids("narrative fact", [f.id for f in spec.narrative])
    for fi, fact in enumerate(spec.narrative):
        problems += _check_fact(spec, fact, f"$.narrative[{fi}]")
    for ri, rule in enumerate(spec.across_years):
        problems += _check_year_rule(spec, rule, f"$.across_years[{ri}]")
    problems += [
        Problem(
            f"pattern {pattern!r} does not compile: {exc}",
            "fix the regular expression (the `regex` module's syntax)",
            where,
        )
        for where, pattern in _patterns(spec)
        for exc in _compile_error(pattern)
    ]
    return problems


def _patterns(spec: Spec) -> Iterator[tuple[str, str]]:
    meta = spec.metadata
    for name in ("title_patterns", "organization_patterns", "date_patterns"):
        for i, pattern in enumerate(getattr(meta, name)):
            yield f"$.metadata.{name}[{i}]", pattern
    for i, evidence in enumerate(meta.year_evidence):
        yield f"$.metadata.year_evidence[{i}].pattern", evidence.pattern
    if spec.header_unit_pattern:
        yield "$.header_unit_pattern", spec.header_unit_pattern
    for i, pattern in enumerate(spec.ignore_patterns):
        yield f"$.ignore_patterns[{i}]", pattern
    for i, fact in enumerate(spec.narrative):
        for j, pattern in enumerate(fact.patterns):
            yield f"$.narrative[{i}].patterns[{j}]", pattern


def _check_fact(spec: Spec, fact: NarrativeFact, where: str) -> list[Problem]:
    problems = []
    if not fact.cells:
        problems.append(
            Problem(
                f"narrative fact {fact.id!r} names no cells",
                "list the cells whose sum the sentence states, as table.row.column",
                f"{where}.cells",
            )
        )
    tables = set()
    for cell in fact.cells:
        table_id, _, rest = cell.partition(".")
        tables.add(table_id)
        try:
            table = spec.table(table_id)
        except KeyError:
            table = None
        row, _, col = rest.partition(".")
        if (
            table is None
            or row not in {r.key for r in table.row_leaves()}
            or col not in {c.key for c in table.column_leaves()}
        ):
            problems.append(
                Problem(
                    f"narrative fact {fact.id!r}: {cell!r} is not a cell of this spec",
                    "write table.row.column with the keys of docs/keys.md",
                    f"{where}.cells",
                )
            )
    if len(tables) > 1:
        problems.append(
            Problem(
                f"narrative fact {fact.id!r} names cells of several tables",
                "a fact restates cells of one table; split it into one fact per table",
                f"{where}.cells",
            )
        )
    if not fact.patterns:
        problems.append(
            Problem(
                f"narrative fact {fact.id!r} has no patterns",
                "give at least one pattern with a group (?P<value>...)",
                f"{where}.patterns",
            )
        )
    for j, pattern in enumerate(fact.patterns):
        if (
            not _compile_error(pattern)
            and "value" not in regex.compile(pattern).groupindex
        ):
            problems.append(
                Problem(
                    f"narrative fact {fact.id!r}: pattern {pattern!r} has no group 'value'",
                    "capture the figure with (?P<value>\\d+)",
                    f"{where}.patterns[{j}]",
                )
            )
    return problems


def _check_year_rule(spec: Spec, rule: YearRule, where: str) -> list[Problem]:
    if rule.table not in [t.id for t in spec.tables]:
        return [
            Problem(
                f"across_years rule {rule.id!r} names unknown table {rule.table!r}",
                f"use one of the table ids: {', '.join(t.id for t in spec.tables)}",
                f"{where}.table",
            )
        ]
    try:
        equation = parse_equation(rule.equation)
    except EquationSyntaxError as exc:
        return [
            Problem(
                f"across_years rule {rule.id!r}: {exc}",
                "write 'terms == terms', each term this.NAME or last.NAME",
                f"{where}.equation",
            )
        ]
    problems = []
    this: list[str] = []
    last: list[str] = []
    for term in (*equation.lhs, *equation.rhs):
        which, _, name = term.name.partition(".")
        if which not in ("this", "last") or not name:
            problems.append(
                Problem(
                    f"across_years rule {rule.id!r}: {term.name!r} says neither this. nor last.",
                    "prefix every name with this. (this report) or last. (the year before)",
                    f"{where}.equation",
                )
            )
        else:
            (this if which == "this" else last).append(name)
    if problems:
        return problems
    if not this or not last:
        return [
            Problem(
                f"across_years rule {rule.id!r} does not relate two years",
                "use this. and last. terms in the same equation",
                f"{where}.equation",
            )
        ]
    problems += _check_invariant(
        spec.table(rule.table), _names_only(this), rule.for_each, rule.id, where
    )
    if rule.previous in (None, spec.id):  # another spec's keys: compare() checks them
        problems += check_previous_names(rule, spec, where)
    return problems


def check_previous_names(
    rule: YearRule, previous: Spec, where: str = "$"
) -> list[Problem]:
    """Problems with the ``last.`` names of ``rule`` as keys of ``previous``, the earlier report's spec.

    The rule's own spec checks them when it loads if ``previous`` is itself;
    `across.compare` checks them against another spec when it meets one.
    """
    equation = parse_equation(rule.equation)
    last = [
        name
        for term in (*equation.lhs, *equation.rhs)
        for which, _, name in [term.name.partition(".")]
        if which == "last"
    ]
    try:
        before = previous.table(rule.previous_table or rule.table)
    except KeyError:
        return [
            Problem(
                f"across_years rule {rule.id!r} names table "
                f"{rule.previous_table or rule.table!r}, which {previous.id} does not have",
                f"use one of the table ids: {', '.join(t.id for t in previous.tables)}",
                f"{where}.previous_table",
            )
        ]
    return _check_invariant(before, _names_only(last), rule.for_each, rule.id, where)


def _names_only(names: list[str]) -> str:
    """An equation over ``names``, for checking that they are keys of a table."""
    return " + ".join(names) + " == " + names[0]


def _compile_error(pattern: str) -> list[regex.error]:
    try:
        regex.compile(pattern)
    except regex.error as exc:
        return [exc]
    return []


def _duplicate_ids(kind: str, ids: list[str]) -> list[Problem]:
    """One problem per repeated id, placed at its second occurrence."""
    return [
        Problem(
            f"duplicate {kind} id {i!r}",
            f"give each {kind} its own id",
            f"$.{kind}s[{ids.index(i, ids.index(i) + 1)}].id",
        )
        for i, n in Counter(ids).items()
        if n > 1
    ]


def _check_sections(spec: Spec) -> list[Problem]:
    problems = _duplicate_ids("section", [s.id for s in spec.sections])
    last = 0
    for si, section in enumerate(spec.sections):
        value = numeral(section.number)
        if value is None:
            continue
        if value <= last:
            problems.append(
                Problem(
                    f"section {section.id!r} is numbered {section.number} after a later number",
                    "list the sections in the order the report prints them (一, 二, 三 …)",
                    f"$.sections[{si}].number",
                )
            )
        last = max(last, value)
    return problems


def _check_heading_forms(spec: Spec) -> list[Problem]:
    """Each heading form fills in ``{number}`` and ``{title}`` once, and nothing else.

    Without a form no numbered section could be found, which would only show
    as ``section.missing`` on every report.
    """
    if not spec.heading_forms and any(s.number for s in spec.sections):
        return [
            Problem(
                "'heading_forms' is empty, so no numbered section can be found",
                "list at least one form, e.g. {form: '{number}、{title}'}, or leave "
                "'heading_forms' out for the default forms",
                "$.heading_forms",
            )
        ]
    problems = []
    for i, heading in enumerate(spec.heading_forms):
        try:
            fields = [
                "{"
                + name
                + (f"!{conv}" if conv else "")
                + (f":{fmt}" if fmt else "")
                + "}"
                for _, name, fmt, conv in string.Formatter().parse(heading.form)
                if name is not None
            ]
        except ValueError as exc:
            fields = [f"a stray brace ({exc})"]
        if sorted(fields) != ["{number}", "{title}"]:
            problems.append(
                Problem(
                    f"heading form {heading.form!r} must hold {{number}} and {{title}} "
                    f"once each; it holds {', '.join(fields) or 'neither'}",
                    "write the heading with {number} where the number goes and {title} "
                    "where the title goes, e.g. '第{number}部分 {title}' (a literal "
                    "brace is written twice: {{ or }})",
                    f"$.heading_forms[{i}].form",
                )
            )
    return problems


def _check_table(table: TableSpec, where: str) -> list[Problem]:
    problems = []
    for kind, leaves in (
        ("row", table.row_leaves()),
        ("column", table.column_leaves()),
    ):
        counts = Counter(leaf.key for leaf in leaves)
        problems += [
            Problem(
                f"table {table.id!r}: duplicate {kind} key {k!r}",
                f"give each {kind} its own key (a keyed group prefixes its leaves' keys)",
                f"{where}.{kind}s",
            )
            for k, n in counts.items()
            if n > 1
        ]
        if not leaves:
            problems.append(
                Problem(
                    f"table {table.id!r} has no {kind}s",
                    f"add at least one {kind} with a key and a label",
                    f"{where}.{kind}s",
                )
            )
    unlabelled = [leaf for leaf in table.row_leaves() if not leaf.node.label]
    if unlabelled and len(table.row_leaves()) > 1:
        problems.append(
            Problem(
                f"table {table.id!r}: an unlabelled row must be the table's only row",
                "give the row a label, or make it the table's only row",
                f"{where}.rows",
            )
        )
    for kind in ("rows", "columns"):
        problems += _check_aliases(table, getattr(table, kind), f"{where}.{kind}")
    return problems


def _check_aliases(
    table: TableSpec, nodes: tuple[LabelNode, ...], where: str
) -> list[Problem]:
    """An alias may name one node among its siblings, not two.

    Two siblings with the same official label are allowed (the 2014 table
    repeats （二）被依法纠错数 under 四 and 五): such rows are taken in order.
    """
    problems = []
    owner: dict[str, tuple[int, bool]] = {}
    for i, node in enumerate(nodes):
        for j, text in enumerate((node.label, *node.aliases)):
            if not text:
                continue
            key = label_key(text)
            first = owner.setdefault(key, (i, j > 0))
            if first[0] != i and (j > 0 or first[1]):
                other = nodes[first[0]]
                place = f"{where}[{i}]" + (f".aliases[{j - 1}]" if j else ".label")
                problems.append(
                    Problem(
                        f"table {table.id!r}: {text!r} names both "
                        f"{other.key or other.label!r} and {node.key or node.label!r}",
                        "remove the alias from one of them, or make it longer so it names one",
                        place,
                    )
                )
        problems += _check_aliases(table, node.children, f"{where}[{i}].children")
    return problems


def _check_invariant(
    table: TableSpec, text: str, for_each: ForEach, inv_id: str, where: str
) -> list[Problem]:
    try:
        equation = parse_equation(text)
    except EquationSyntaxError as exc:
        return [
            Problem(
                f"invariant {inv_id!r}: {exc}",
                "write 'terms == terms', terms joined by + or -, each [INT*]name",
                f"{where}.equation",
            )
        ]
    rows = [leaf.key for leaf in table.row_leaves()]
    cols = [leaf.key for leaf in table.column_leaves()]
    problems = []
    for name in equation.names():
        if for_each is ForEach.ROW:
            ok, kind, choices = name in cols, "column", cols
        elif for_each is ForEach.COLUMN:
            ok, kind, choices = name in rows, "row", rows
        else:
            row, _, col = name.partition(".")
            ok, kind = row in rows and col in cols, "row.column"
            choices = [f"{r}.{c}" for r in rows for c in cols]
        if not ok:
            close = difflib.get_close_matches(name, choices, n=1)
            hint = f"did you mean {close[0]!r}? " if close else ""
            problems.append(
                Problem(
                    f"invariant {inv_id!r}: {name!r} is not a {kind} key of table {table.id!r}",
                    f"{hint}for_each: {for_each.value} names {kind} keys (docs/keys.md)",
                    f"{where}.equation",
                )
            )
    return problems
