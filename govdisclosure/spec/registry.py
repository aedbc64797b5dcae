"""Where specs come from, and lookup by id.

Specs are collected in this order of precedence (docs/writing-a-spec.md):

1. the specs shipped with the library: first in the installed package (a
   wheel carries the top-level ``specs/`` as ``govdisclosure/specs``), then in
   the checkout next to the package (an editable install does not see
   force-included data);
2. installed plugins: each entry point of the group ``govdisclosure.specs``
   names a package whose folder holds YAML specs, or a function returning a
   folder;
3. the folders in the environment variable ``GOVDISCLOSURE_SPEC_PATH``
   (separated by ``os.pathsep``);
4. the folders and files the caller gives (``Registry(paths)``,
   ``load(text, spec_paths=…)``).

Ids are unique: a spec whose id is already registered is a `SpecError` naming
both files, never a silent override. A variant takes an id of its own and
``extends:`` the spec it changes.
"""

from __future__ import annotations

import os
import types
from collections.abc import Iterable, Iterator, Mapping
from functools import lru_cache
from importlib import metadata, resources
from pathlib import Path

from govdisclosure.errors import SpecError, SpecNotFoundError
from govdisclosure.spec.loader import (
    RawSpec,
    build_spec,
    read_spec,
    refuse_extends_cycle,
)
from govdisclosure.spec.model import Spec

__all__ = [
    "ENTRY_POINT_GROUP",
    "ENV_VAR",
    "Registry",
    "bundled_spec_dir",
    "default_registry",
    "load_spec",
    "plugin_spec_dirs",
    "registry_with",
]

#: The entry-point group a plugin package declares its spec folder in.
ENTRY_POINT_GROUP = "govdisclosure.specs"
#: Folders of extra specs, separated by os.pathsep.
ENV_VAR = "GOVDISCLOSURE_SPEC_PATH"


def bundled_spec_dir() -> Path:
    """The folder of specs shipped with the library."""
    installed = Path(str(resources.files("govdisclosure"))) / "specs"
    if installed.is_dir():
        return installed
    checkout = Path(__file__).resolve().parents[2]
    if (checkout / "pyproject.toml").is_file() and (checkout / "specs").is_dir():
        return checkout / "specs"
    raise SpecError("the bundled specs are missing: reinstall govdisclosure")


def plugin_spec_dirs() -> list[tuple[str, Path]]:
    """``(origin, folder)`` of every installed plugin, sorted by entry-point name."""
    found = []
    for ep in sorted(
        metadata.entry_points(group=ENTRY_POINT_GROUP), key=lambda e: e.name
    ):
        origin = f"plugin {ep.name!r} ({ep.value})"
        try:
            target = ep.load()
            if isinstance(target, types.ModuleType):
                folder = Path(str(resources.files(target)))
            elif callable(target):
                folder = Path(target())
            else:
                folder = Path(target)
        except Exception as exc:  # a third party's code: report it, with its cause
            raise SpecError(
                f"{origin} cannot be loaded: {type(exc).__name__}: {exc}; "
                "fix: reinstall or uninstall that package"
            ) from exc
        if not folder.is_dir():
            raise SpecError(
                f"{origin} points to {folder}, which is not a folder; "
                "fix: the entry point must name a package holding *.yaml specs, "
                "or a function returning a folder"
            )
        found.append((origin, folder))
    return found


class Registry:
    """A set of specs by id, collected in the documented order of precedence.

    ``Registry()`` holds the bundled specs, installed plugins and the folders of
    ``GOVDISCLOSURE_SPEC_PATH``; ``paths`` adds folders or files after them.
    Keep one for long-lived use: specs are read once.
    """

    def __init__(
        self,
        paths: Iterable[str | Path] = (),
        *,
        bundled: bool = True,
        plugins: bool = True,
        environment: bool = True,
    ) -> None:
        self._specs: dict[str, Spec] = {}
        self._raw: dict[str, RawSpec] = {}
        self._origin: dict[str, str] = {}
        if bundled:
            self.add_folder(bundled_spec_dir(), origin="bundled")
        if plugins:
            for origin, folder in plugin_spec_dirs():
                self.add_folder(folder, origin=origin)
        if environment:
            for part in os.environ.get(ENV_VAR, "").split(os.pathsep):
                if part.strip():
                    self.add_path(part.strip(), origin=ENV_VAR)
        for path in paths:
            self.add_path(path)

    def add_path(self, path: str | Path, *, origin: str = "") -> None:
        """A folder of ``*.yaml`` specs or one spec file."""
        p = Path(path)
        if p.is_dir():
            self.add_folder(p, origin=origin)
        elif p.is_file():
            self.add_file(p, origin=origin)
        else:
            where = f" (from {origin})" if origin else ""
            raise SpecError(f"{p}{where}: no such spec file or folder")

    def add_folder(self, folder: Path, *, origin: str = "") -> None:
        """Every ``*.yaml`` file of a folder; specs in it may extend each other."""
        self._add_raws(
            [_read(path) for path in sorted(Path(folder).glob("*.yaml"))], origin
        )

    def add_file(self, path: Path, *, origin: str = "") -> None:
        self._add_raws([_read(Path(path))], origin)

    def add(self, spec: Spec, *, origin: str = "<object>") -> None:
        self._register(spec, None, origin)

    def _add_raws(self, raws: list[RawSpec], origin: str) -> None:
        # parents first: a spec may extend one read later from the same folder
        pending = list(raws)
        while pending:
            ready = [r for r in pending if r.extends is None or r.extends in self._raw]
            if not ready:
                refuse_extends_cycle(pending)
            for raw in (
                ready or pending[:1]
            ):  # none ready: the first one's error says why
                spec, merged = build_spec(raw, self._raw)
                where = f"{raw.source} ({origin})" if origin else raw.source
                self._register(spec, merged, where)
                pending.remove(raw)

    def _register(self, spec: Spec, raw: RawSpec | None, origin: str) -> None:
        if spec.id in self._specs:
            raise SpecError(
                f"spec id {spec.id!r} from {origin} is already registered from "
                f"{self._origin[spec.id]}; fix: give the new spec an id of its own "
                f"(a variant can 'extends: {spec.id}')",
                spec_id=spec.id,
            )
        self._specs[spec.id] = spec
        self._origin[spec.id] = origin
        if raw is not None:
            self._raw[spec.id] = raw

    def get(self, spec_id: str) -> Spec:
        try:
            return self._specs[spec_id]
        except KeyError:
            raise SpecNotFoundError(spec_id, list(self._specs)) from None

    def origin(self, spec_id: str) -> str:
        """Where a spec was read from (file, and plugin or environment variable)."""
        self.get(spec_id)
        return self._origin[spec_id]

    def raw_specs(self) -> Mapping[str, RawSpec]:
        """The merged YAML data of each spec read from a file (parents for ``extends``)."""
        return types.MappingProxyType(self._raw)

    def __iter__(self) -> Iterator[Spec]:
        return iter(self._specs.values())

    def __len__(self) -> int:
        return len(self._specs)

    def __contains__(self, spec_id: object) -> bool:
        return spec_id in self._specs

    def ids(self) -> tuple[str, ...]:
        return tuple(self._specs)


def _read(path: Path) -> RawSpec:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise SpecError(f"{path}: cannot read spec: {exc}") from exc
    return read_spec(text, str(path))


@lru_cache(maxsize=1)
def default_registry() -> Registry:
    """Bundled specs, installed plugins and GOVDISCLOSURE_SPEC_PATH, loaded once per process."""
    return Registry()


@lru_cache(maxsize=8)
def registry_with(paths: tuple[str, ...]) -> Registry:
    """The default sources plus ``paths`` (for ``load(spec_paths=…)``), cached."""
    return Registry(paths)


def load_spec(
    path: str | Path, *, parents: Mapping[str, RawSpec] | None = None
) -> Spec:
    """Read and check one spec file. Raises SpecError naming file, line and column.

    ``parents`` resolves ``extends:``; by default the specs of `default_registry`.
    """
    if parents is None:
        parents = default_registry().raw_specs()
    raw = _read(Path(path))
    return build_spec(raw, parents)[0]
