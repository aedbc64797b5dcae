"""Printed organisation names → one key per agency, from a table of places and aliases.

Why: one agency's reports name it differently from year to year
(``淮安市洪泽区人民政府`` then ``洪泽区人民政府``; ``河北省工业和信息化厅`` then
``省工业和信息化厅``), and comparing years needs them together. What makes two
names one agency is data (`agencies.yaml`: province names, level words,
abbreviations, aliases), never an ``if`` on a name.

Strategy: a name is folded (width, spaces, abbreviations written out,
aliases), and its *shorter forms* are the names a report may print for the
same agency: without a higher-level place before another place (淮安市|洪泽区…),
or with its province's name dropped before the level word (河北|省…). Names are
grouped only through names actually present: a shorter form joins the longer
name that has it, unless two longer names that are not one agency both have
it (``省工业和信息化厅`` beside both 河北省… and 山东省…): then it stays alone,
and that is said. The key of a group is its longest name: the most specific.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from attrs import frozen

from govdisclosure.errors import SpecError
from govdisclosure.typography import fold_char

__all__ = ["Agencies", "AgencyGroups", "group_agencies"]

#: The table shipped with the library.
BUNDLED = Path(__file__).with_name("agencies.yaml")
#: A place name before its level word is at least one character (沛|县) and at
#: most this many (内蒙古|自治区 is 3; 巴音郭楞蒙古|自治州 is 6).
MAX_PLACE = 8
#: A name longer than this has no shorter forms (it is compared as printed).
#: The longest real agency names are some 35 characters
#: (新疆维吾尔自治区伊犁哈萨克自治州察布查尔锡伯自治县人民政府办公室); the
#: forms of a name are its suffixes, so a hostile name of thousands of
#: characters would otherwise cost time and memory quadratic in its length.
MAX_NAME = 64


@frozen
class Agencies:
    """The data that says which names are one agency (see `agencies.yaml`)."""

    provinces: tuple[str, ...] = ()
    province_levels: tuple[str, ...] = ()
    place_levels: tuple[str, ...] = ()
    #: ``(short, full)`` pairs, longest short form first.
    abbreviations: tuple[tuple[str, str], ...] = ()
    #: ``(other name, name)`` pairs.
    aliases: tuple[tuple[str, str], ...] = ()

    @staticmethod
    def bundled() -> Agencies:
        """The table shipped with the library."""
        return _bundled()

    @staticmethod
    def load(path: str | Path, base: Agencies | None = None) -> Agencies:
        """``base`` (default: the bundled table) extended by the YAML file at ``path``."""
        try:
            data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
        except (OSError, UnicodeDecodeError, RecursionError, yaml.YAMLError) as exc:
            problem = "nested too deep" if isinstance(exc, RecursionError) else exc
            msg = f"cannot read the agency table {path}: {problem}"
            raise SpecError(msg) from exc
        if not isinstance(data, dict):  # a list or a scalar is no table
            msg = (
                f"{path}: must be a mapping (provinces, place_levels, abbreviations, …)"
            )
            raise SpecError(msg)
        return (base if base is not None else _bundled()).extended(data, str(path))

    def extended(self, data: Mapping[str, Any], where: str = "the table") -> Agencies:
        """This table with ``data``'s lists and mappings added (same keys as `agencies.yaml`)."""
        unknown = set(data) - {
            "provinces",
            "province_levels",
            "place_levels",
            "abbreviations",
            "aliases",
        }
        if unknown:
            msg = f"{where}: unknown keys {sorted(unknown)}"
            raise SpecError(msg)
        lists = {k: _strings(data.get(k, []), where, k) for k in _LISTS}
        maps = {
            k: _pairs(data.get(k, {}), where, k) for k in ("abbreviations", "aliases")
        }
        return Agencies(
            provinces=self.provinces + lists["provinces"],
            province_levels=self.province_levels + lists["province_levels"],
            place_levels=self.place_levels + lists["place_levels"],
            abbreviations=tuple(
                sorted(
                    {*self.abbreviations, *maps["abbreviations"]},
                    key=lambda p: (-len(p[0]), p),
                )
            ),
            aliases=(*self.aliases, *maps["aliases"]),
        )

    def fold(self, name: str) -> str:
        """The compared form: width folded, spaces out, abbreviations written out, aliases."""
        folded = "".join(fold_char(ch) for ch in name if not ch.isspace())
        for short, full in self.abbreviations:
            if short in folded and full not in folded:
                folded = folded.replace(short, full)
        return dict(self.aliases).get(folded, folded)

    def shorter_forms(self, name: str) -> frozenset[str]:
        """Names the agency ``name`` (folded) may also print itself as (none past `MAX_NAME`)."""
        if len(name) > MAX_NAME:
            return frozenset()
        out: set[str] = set()
        todo = [name]
        while todo:
            current = todo.pop()
            for form in self._one_step(current):
                if form not in out and form != name:
                    out.add(form)
                    todo.append(form)
        return frozenset(out)

    def _one_step(self, name: str) -> list[str]:
        forms = []
        for province in self.provinces:
            for level in self.province_levels:
                if name.startswith(province + level):
                    rest = name[len(province) + len(level) :]
                    forms.append(level + rest)  # 河北省工信厅 → 省工信厅
                    if self._starts_with_place(rest):
                        forms.append(rest)  # 江苏省淮安市… → 淮安市…
        for end in range(2, min(MAX_PLACE, len(name)) + 1):
            if self._is_place(name[:end]) and self._starts_with_place(name[end:]):
                forms.append(name[end:])  # 淮安市洪泽区… → 洪泽区…
        return forms

    def _is_place(self, text: str) -> bool:
        """Whether ``text`` is a place name and its level word (洪泽区, 淮安市)."""
        return any(
            text.endswith(level) and len(text) > len(level)
            for level in self.place_levels
        )

    def _starts_with_place(self, text: str) -> bool:
        """Whether a place opens ``text`` and something (the agency) follows it."""
        return any(
            self._is_place(text[:end])
            for end in range(2, min(MAX_PLACE, len(text) - 1) + 1)
        )


_LISTS = ("provinces", "province_levels", "place_levels")


def _strings(value: object, where: str, key: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        msg = f"{where}: {key} must be a list of names"
        raise SpecError(msg)
    return tuple(value)


def _pairs(value: object, where: str, key: str) -> tuple[tuple[str, str], ...]:
    if not isinstance(value, dict) or not all(
        isinstance(k, str) and isinstance(v, str) and k and v for k, v in value.items()
    ):
        msg = f"{where}: {key} must map a name to a name"
        raise SpecError(msg)
    return tuple(value.items())


@lru_cache(maxsize=1)
def _bundled() -> Agencies:
    return Agencies().extended(
        yaml.safe_load(BUNDLED.read_text(encoding="utf-8")), str(BUNDLED)
    )


@frozen
class AgencyGroups:
    """Printed names grouped into agencies.

    ``keys`` maps each printed name to its agency's key; ``merged`` lists,
    per key, the different printed names it joined; ``undecided`` names a
    shorter form two agencies may print, with the agencies' keys.
    """

    keys: Mapping[str, str]
    merged: tuple[tuple[str, tuple[str, ...]], ...] = ()
    undecided: tuple[tuple[str, tuple[str, ...]], ...] = ()


def group_agencies(
    names: Iterable[str], agencies: Agencies | None = None
) -> AgencyGroups:
    """Group printed organisation names by agency (module docstring)."""
    table = agencies if agencies is not None else _bundled()
    printed = sorted({n.strip() for n in names if n.strip()})
    folded = {n: table.fold(n) for n in printed}
    present = set(folded.values())
    forms = {f: table.shorter_forms(f) for f in present}
    parent = {f: f for f in present}

    def root(f: str) -> str:
        while parent[f] != f:
            f = parent[f]
        return f

    undecided = []
    for short in sorted(present):
        longer = sorted(f for f in present if short in forms[f])
        if any(
            a not in forms[b] and b not in forms[a]
            for i, a in enumerate(longer)
            for b in longer[i + 1 :]
        ):
            undecided.append((short, tuple(longer)))
            continue
        for f in longer:
            parent[root(short)] = root(f)
    members: dict[str, list[str]] = {}
    for f in present:
        members.setdefault(root(f), []).append(f)
    key_of = {r: max(group, key=lambda f: (len(f), f)) for r, group in members.items()}
    keys = {n: key_of[root(f)] for n, f in folded.items()}
    by_key: dict[str, list[str]] = {}
    for n, k in keys.items():
        by_key.setdefault(k, []).append(n)
    merged = tuple((k, tuple(ns)) for k, ns in sorted(by_key.items()) if len(ns) > 1)
    return AgencyGroups(keys, merged, tuple(undecided))
