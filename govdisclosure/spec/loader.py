"""YAML → Spec: safe YAML, ``extends`` merged, strict structure, located errors.

A spec author's mistakes surface when the spec is loaded, not in the middle
of a batch: unknown fields, duplicate keys, equations that name cells the
table does not have, patterns that do not compile. Every problem is reported
at once, each as ``FILE:LINE:COL: what; fix: how`` so an editor can jump to
it and the author knows what to write instead.

Strategy, in the order `build_spec` runs:

1. `read_spec` reads safe YAML only, refusing a key written twice in one
   mapping, and keeps the YAML node tree (`RawSpec`) for positions;
2. a spec that ``extends:`` another by id is merged onto it (see
   `merge_spec_data`) on the YAML data, before any checking, so an extended
   spec is checked as a whole;
3. cattrs structures the data into the frozen classes of `spec.model`,
   forbidding unknown fields; its messages (``what @ $.path``) are rewritten
   into `Problem`s with a fix and a "did you mean";
4. `spec.check` runs the semantic checks on the built `Spec`.

Every `Problem` carries a ``$.path``; only here, where the YAML nodes are,
does a path become a line and a column.
"""

from __future__ import annotations

import difflib
import re
import typing
from collections.abc import Mapping
from typing import Any

import attrs
import cattrs
import yaml
from attrs import frozen

from govdisclosure.errors import SpecError
from govdisclosure.model import Severity
from govdisclosure.spec.check import Problem, check_spec
from govdisclosure.spec.model import (
    ForEach,
    HeadingForm,
    Invariant,
    LabelNode,
    MetadataSpec,
    NarrativeFact,
    SectionOrder,
    SectionSpec,
    Spec,
    SpecLimits,
    TableSpec,
    ValueType,
    YearEvidence,
    YearRule,
    current_limits,
)

__all__ = [
    "SUPPORTED_SCHEMAS",
    "RawSpec",
    "build_spec",
    "merge_spec_data",
    "parse_spec",
    "read_spec",
    "refuse_extends_cycle",
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


class _BoundError(yaml.MarkedYAMLError):
    """A spec past one of its `SpecLimits` (``note``: the bound's name), or a value
    YAML cannot read (``note``: the fix)."""


def _raise(bound: str) -> str:
    """The fix for a spec past a bound: smaller, or the bound raised."""
    return (
        "make the spec smaller, or raise the bound: "
        f"with govdisclosure.spec.model.spec_limits({bound}=…): … (docs/limits.md)"
    )


class _SafeLoader(yaml.SafeLoader):
    """Safe YAML, bounded, that refuses a key written twice in one mapping.

    A spec is untrusted input: the composer refuses nesting deeper than
    ``max_depth`` while it reads (PyYAML composes recursively, so 20,000
    brackets would be a raw RecursionError), and a number of more than
    ``max_digits`` digits is refused before Python converts it.
    """

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0
        self._limits = current_limits()

    def fetch_flow_collection_start(self, token_class: type[yaml.Token]) -> None:
        # brackets are refused as they are scanned: the scanner looks ahead up
        # to 1,024 characters for a key, at a cost growing with each open
        # bracket, long before the composer sees how deep they go
        super().fetch_flow_collection_start(token_class)
        if self.flow_level > self._limits.max_depth:
            raise _BoundError(
                problem=f"the YAML is nested more than {self._limits.max_depth} deep",
                problem_mark=self.get_mark(),
                note="max_depth",
            )

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node | None:
        if self._depth >= self._limits.max_depth:
            raise _BoundError(
                problem=f"the YAML is nested more than {self._limits.max_depth} deep",
                problem_mark=self.peek_event().start_mark,  # type: ignore[no-untyped-call]
                note="max_depth",
            )
        self._depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        # a value YAML itself cannot convert (a date 2020-13-45) is a located
        # problem, not a raw ValueError; the innermost node is the one named
        try:
            return super().construct_object(node, deep=deep)
        except (ValueError, OverflowError) as exc:
            raise _BoundError(
                problem=f"{node.value!r} is not a value YAML can read: {exc}",
                problem_mark=node.start_mark,
                note="write a valid value, or quote it to make it a text",
            ) from exc


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


def _int(loader: _SafeLoader, node: yaml.ScalarNode) -> int:
    digits = sum(c.isdigit() for c in str(node.value))
    limit = loader._limits.max_digits
    if digits > limit:
        raise _BoundError(
            problem=f"a number of {digits} digits (at most {limit})",
            problem_mark=node.start_mark,
            note="max_digits",
        )
    return loader.construct_yaml_int(node)


_SafeLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)
_SafeLoader.add_constructor("tag:yaml.org,2002:int", _int)


def _bound_tree(root: yaml.Node, limits: SpecLimits) -> None:
    """Refuse a node tree too large or too deep once its aliases are expanded.

    An alias is the node it names, shared, so composing costs nothing; what
    costs is everything after (merging, structuring, checking), which walks
    the expanded tree: nine aliases of nine aliases… (billion laughs) are a
    few hundred bytes and 10^9 nodes. Each distinct node's expanded size and
    height is computed once, children first, without recursion; an alias to
    a node that holds it (``&a [*a]``) is a cycle and refused.
    """
    size: dict[int, tuple[int, int]] = {}  # id(node) → (expanded nodes, height)
    open_: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        children = _children(node)
        if done:
            open_.discard(id(node))
            nodes = 1 + sum(size[id(c)][0] for c in children)
            height = 1 + max((size[id(c)][1] for c in children), default=0)
            size[id(node)] = (nodes, height)
            if nodes > limits.max_nodes or height > limits.max_depth:
                _refuse_tree(node, nodes, height, limits)
            continue
        if id(node) in size:
            continue
        if id(node) in open_:
            raise _BoundError(
                problem="an alias names a node that holds it (a cycle)",
                problem_mark=node.start_mark,
                note="name a node outside the one the alias stands in",
            )
        open_.add(id(node))
        stack.append((node, True))
        stack.extend((c, False) for c in children if id(c) not in size)


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [n for pair in node.value for n in pair]
    return []


def _refuse_tree(node: yaml.Node, nodes: int, height: int, limits: SpecLimits) -> None:
    if nodes > limits.max_nodes:
        what, bound = (
            f"this part of the spec expands to {nodes} YAML nodes once its aliases "
            f"are expanded (at most {limits.max_nodes})",
            "max_nodes",
        )
    else:
        what, bound = (
            f"this part of the spec is nested {height} deep once its aliases are "
            f"expanded (at most {limits.max_depth})",
            "max_depth",
        )
    raise _BoundError(problem=what, problem_mark=node.start_mark, note=bound)


def _long_scalars(root: yaml.Node, limits: SpecLimits) -> None:
    """Refuse a scalar longer than ``max_scalar_chars`` (each distinct node once)."""
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if (
            isinstance(node, yaml.ScalarNode)
            and len(node.value) > limits.max_scalar_chars
        ):
            raise _BoundError(
                problem=f"a text of {len(node.value)} characters (at most "
                f"{limits.max_scalar_chars})",
                problem_mark=node.start_mark,
                note="max_scalar_chars",
            )
        stack.extend(_children(node))


def _compose(text: str) -> tuple[yaml.Node | None, Any]:
    """The YAML node tree of a spec, bounded (`SpecLimits`), and its data."""
    loader = _SafeLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, None
        _bound_tree(node, loader._limits)
        _long_scalars(node, loader._limits)
        return node, loader.construct_document(node)
    finally:
        loader.dispose()


def read_spec(text: str, source: str = "<string>") -> RawSpec:
    """Read spec YAML (safe YAML only, bounded) without checking its structure."""
    limit = current_limits().max_spec_chars
    if len(text) > limit:
        problem = Problem(
            f"the spec has {len(text)} characters (at most {limit})",
            _raise("max_spec_chars"),
        ).located(source, 1, 1)
        raise SpecError(problem, problems=[problem])
    try:
        node, data = _compose(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        if isinstance(exc, _DuplicateKeyError):
            what, fix = (
                exc.problem,
                "keep one of them (YAML would silently use the last)",
            )
        elif isinstance(exc, _BoundError):
            note = str(exc.note)
            what, fix = exc.problem, _raise(note) if note.startswith("max_") else note
        else:
            what = f"not valid YAML: {exc.problem}"
            fix = "check the indentation and quoting near this place"
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


def refuse_extends_cycle(raws: list[RawSpec]) -> None:
    """Raise a SpecError naming the cycle if these specs extend each other in a ring.

    Without this, the registry, finding no spec whose parent is known, would
    report the first one's parent as "not a known spec", which it is.
    """
    by_id = {raw.id: raw for raw in raws if raw.id is not None}
    for start in raws:
        chain = [start]
        while (parent := by_id.get(chain[-1].extends or "")) is not None:
            if parent in chain:
                ring = chain[chain.index(parent) :]
                names = " → ".join(repr(r.id) for r in [*ring, parent])
                files = ", ".join(r.source for r in ring)
                _fail(
                    parent,
                    [
                        Problem(
                            f"the specs extend each other in a cycle: {names} ({files})",
                            "one of them must extend a spec outside the cycle, or none",
                            "$.extends",
                        )
                    ],
                )
            chain.append(parent)


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
        for enum in (ValueType, ForEach, Severity, SectionOrder)
    },
}
