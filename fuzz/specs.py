"""Mutated specs: the shipped YAML changed as a tree and as text.

A spec is untrusted input (issue 19): a tree mutation keeps the YAML valid so
the structure and checks see odd values (wrong types, collisions, huge
numbers, slow regexes); a text mutation reaches the YAML reader itself
(aliases, nesting, broken quoting).
"""

from __future__ import annotations

import copy
import random
from typing import Any

import yaml

from fuzz import seeds
from fuzz.mutate import char_flips, lines, spans

#: Values a spec field may be given in place of its own.
ODD_VALUES: tuple[Any, ...] = (
    None, "", 0, -1, 1.5, 10**30, "9" * 5000, True, [], {}, [[[]]], "a" * 70_000,
    "(a+)+$", "(?:(?:a{1000}){1000}){1000}", "[", "(?P<title>", "(?P<x>.)(?P<x>.)",
    "\\", "一", "gov-2019", "extends", {"extends": "gov-2021"},
)  # fmt: skip


def _nodes(data: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """The path of every node of the tree, the root's children first."""
    out = [path]
    if isinstance(data, dict):
        for key, value in data.items():
            out += _nodes(value, (*path, key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            out += _nodes(value, (*path, i))
    return out


def _at(data: Any, path: tuple[Any, ...]) -> Any:
    for step in path:
        data = data[step]
    return data


def tree_edit(rng: random.Random, data: Any) -> Any:
    """One node replaced, deleted, duplicated, copied elsewhere, or a key added."""
    paths = [p for p in _nodes(data) if p]
    if not paths:
        return data
    path = rng.choice(paths)
    parent, last = _at(data, path[:-1]), path[-1]
    kind = rng.randrange(5)
    if kind == 0:
        parent[last] = rng.choice(ODD_VALUES)
    elif kind == 1:
        del parent[last]
    elif kind == 2 and isinstance(parent, list):
        parent.insert(last, parent[last])  # a duplicate id or key
    elif kind == 3:
        parent[last] = copy.deepcopy(_at(data, rng.choice(paths)))  # another field's
    elif isinstance(parent, dict):
        parent[rng.choice(("extra", "id", "extends", "aliases"))] = rng.choice(
            ODD_VALUES
        )
    return data


def yaml_text(rng: random.Random, text: str) -> str:
    """The YAML text damaged: lines moved, characters flipped, aliases and nesting."""
    kind = rng.randrange(5)
    if kind == 0:
        return lines(rng, text)
    if kind == 1:
        return char_flips(rng, text)
    if kind == 2:
        return spans(rng, text)
    if kind == 3:  # an alias bomb
        width = rng.randint(2, 12)
        rows = ["a0: &a0 [x]"] + [
            f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * width) + "]"
            for i in range(1, rng.randint(2, 12))
        ]
        return "\n".join(rows) + "\n" + text
    depth = rng.choice((10, 100, 1000, 30_000))
    return text + "\nextra: " + "[" * depth + "]" * depth + "\n"


def mutate_spec(rng: random.Random) -> str:
    """A shipped spec mutated as a tree or as text, one to three times."""
    text = rng.choice(seeds.specs())
    for _ in range(rng.choice((1, 1, 2, 3))):
        if rng.random() < 0.6:
            try:
                data = yaml.safe_load(text)
                text = yaml.safe_dump(tree_edit(rng, data), allow_unicode=True)
            except (yaml.YAMLError, RecursionError, KeyError, IndexError):
                text = yaml_text(rng, text)
        else:
            text = yaml_text(rng, text)
    return text
