"""Settings that hold for the code inside a ``with`` block: bounds a caller raises.

The spec's bounds (`spec.model.spec_limits`) and the input's
(`pipeline.inputs.limits.input_limits`) reach every step that checks them
without a parameter threaded through each. A context variable holds them, so
they are per thread and per task; a process does not share them, so a batch
takes those in force when it starts to its workers (`output.batch`).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, Generic, TypeVar

from attrs import evolve

__all__ = ["Scoped"]

T = TypeVar("T")


class Scoped(Generic[T]):
    """An attrs value in force here: its default, or what a ``with`` changed."""

    def __init__(self, name: str, default: T) -> None:
        self._default = default
        self._var: ContextVar[T | None] = ContextVar(name, default=None)

    def get(self) -> T:
        """The value in force here."""
        return self._var.get() or self._default

    @contextmanager
    def changed(self, **changes: Any) -> Iterator[T]:
        """The value with ``changes`` (fields of it) in force inside the block."""
        value = evolve(self.get(), **changes)  # type: ignore[misc]
        token = self._var.set(value)
        try:
            yield value
        finally:
            self._var.reset(token)
