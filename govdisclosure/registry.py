"""Where specs come from, and lookup by id.

Bundled specs are found first in the installed package (a wheel carries the
top-level ``specs/`` as ``govdisclosure/specs``), then in the checkout next to
the package (an editable install does not see force-included data). Callers
may add folders of their own.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import lru_cache
from importlib import resources
from pathlib import Path

from govdisclosure.errors import SpecError, SpecNotFoundError
from govdisclosure.spec_loader import load_spec
from govdisclosure.spec_model import Spec

__all__ = ["Registry", "bundled_spec_dir", "default_registry"]


def bundled_spec_dir() -> Path:
    """The folder of specs shipped with the library."""
    installed = Path(str(resources.files("govdisclosure"))) / "specs"
    if installed.is_dir():
        return installed
    checkout = Path(__file__).resolve().parent.parent
    if (checkout / "pyproject.toml").is_file() and (checkout / "specs").is_dir():
        return checkout / "specs"
    raise SpecError("the bundled specs are missing: reinstall govdisclosure")


class Registry:
    """A set of specs by id. Later folders may not redefine an id (SpecError)."""

    def __init__(
        self, paths: Iterable[str | Path] = (), *, bundled: bool = True
    ) -> None:
        self._specs: dict[str, Spec] = {}
        self._origin: dict[str, str] = {}
        if bundled:
            self.add_folder(bundled_spec_dir())
        for path in paths:
            p = Path(path)
            if p.is_dir():
                self.add_folder(p)
            else:
                self.add_file(p)

    def add_folder(self, folder: Path) -> None:
        for path in sorted(folder.glob("*.yaml")):
            self.add_file(path)

    def add_file(self, path: Path) -> None:
        self.add(load_spec(path), origin=str(path))

    def add(self, spec: Spec, *, origin: str = "<object>") -> None:
        if spec.id in self._specs:
            raise SpecError(
                f"spec id {spec.id!r} from {origin} is already registered from {self._origin[spec.id]}",
                spec_id=spec.id,
            )
        self._specs[spec.id] = spec
        self._origin[spec.id] = origin

    def get(self, spec_id: str) -> Spec:
        try:
            return self._specs[spec_id]
        except KeyError:
            raise SpecNotFoundError(spec_id, list(self._specs)) from None

    def __iter__(self) -> Iterator[Spec]:
        return iter(self._specs.values())

    def __len__(self) -> int:
        return len(self._specs)

    def ids(self) -> tuple[str, ...]:
        return tuple(self._specs)


@lru_cache(maxsize=1)
def default_registry() -> Registry:
    """The bundled specs, loaded once per process."""
    return Registry()
