"""The exceptions govdisclosure raises on purpose, under one root.

Exceptions are for situations where no honest `Report` can be made (empty or
binary input, text that is not an annual report) or where a caller or spec
author made a mistake. Everything that is wrong *with a report* is data: a
`Finding` on the `Report`, never an exception.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

__all__ = [
    "FormatNotRecognizedError",
    "GovDisclosureError",
    "GovDisclosureWarning",
    "InputError",
    "InternalError",
    "KeyNotFoundError",
    "MissingExtraError",
    "SpecError",
    "SpecNotFoundError",
    "require_extra",
]


class GovDisclosureError(Exception):
    """Base class: ``except GovDisclosureError`` catches everything we raise."""


class InputError(GovDisclosureError, ValueError):
    """The input cannot be read as a report: empty, binary, or too large."""


class FormatNotRecognizedError(GovDisclosureError):
    """No registered spec fits the text well enough.

    ``candidates`` holds ``(spec_id, score, reason)`` for the best specs, so a
    caller can say why each one failed without parsing the message.
    """

    def __init__(
        self, message: str, candidates: Sequence[tuple[str, float, str]] = ()
    ) -> None:
        super().__init__(message)
        self.candidates: tuple[tuple[str, float, str], ...] = tuple(candidates)


class SpecError(GovDisclosureError, ValueError):
    """A spec file is malformed; ``problems`` lists each problem with its place."""

    def __init__(
        self, message: str, spec_id: str | None = None, problems: Sequence[str] = ()
    ) -> None:
        super().__init__(message)
        self.spec_id = spec_id
        self.problems: tuple[str, ...] = tuple(problems)


class SpecNotFoundError(GovDisclosureError, LookupError):
    """No spec with the requested id is registered; ``known`` lists those that are."""

    def __init__(self, spec_id: str, known: Sequence[str]) -> None:
        super().__init__(
            f"no spec with id {spec_id!r}; known specs: {', '.join(sorted(known)) or 'none'}"
        )
        self.spec_id = spec_id
        self.known: tuple[str, ...] = tuple(known)

    def __reduce__(self) -> tuple[Any, ...]:
        # the default rebuilds from ``args`` (the message alone), which this
        # __init__ does not take: a batch's Result carries the error across processes
        return (type(self), (self.spec_id, self.known))


class KeyNotFoundError(GovDisclosureError, KeyError):
    """A report has no table, section or cell with the key asked for.

    Every lookup by key on a `Report` or `Table` raises it (``report.table``,
    ``report.section``, ``table.cell``, ``table[row, column]``); it is a
    KeyError, so ``except KeyError`` catches it too. ``key`` is the key asked
    for and ``known`` the keys there are.
    """

    def __init__(self, message: str, key: str = "", known: Sequence[str] = ()) -> None:
        super().__init__(message)
        self.key = key
        self.known: tuple[str, ...] = tuple(known)

    def __str__(self) -> str:
        # KeyError's own str() is the repr of its argument, quotes and all
        return str(self.args[0]) if self.args else ""

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (str(self), self.key, self.known))


class MissingExtraError(GovDisclosureError, ImportError):
    """A file kind or output needs an optional extra (``pip install 'govdisclosure[pdf]'``)."""


def require_extra(module: str, extra: str, what: str) -> Any:
    """Import an optional dependency, or say which extra installs it."""
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError as exc:
        # the package is not on an index yet: a checkout installs its extras
        # as '.[extra]'; the published name is said too, for when it is
        raise MissingExtraError(
            f"{what} needs the optional extra {extra!r}: from a checkout, "
            f"pip install '.[{extra}]'; once published, "
            f"pip install 'govdisclosure[{extra}]'"
        ) from exc


class InternalError(GovDisclosureError, RuntimeError):
    """A bug in govdisclosure; the original exception is chained as ``__cause__``.

    Please report it with the input that caused it.
    """


class GovDisclosureWarning(UserWarning):
    """API-level notices only (e.g. a shadowed spec); report problems are Findings."""
