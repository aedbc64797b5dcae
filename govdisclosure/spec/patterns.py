"""The one place spec-supplied regular expressions run, always with a time limit.

A spec is data written by people we do not know; a pattern with catastrophic
backtracking must not hang a batch. Every search here uses the `regex`
module's ``timeout`` and turns a timeout into `PatternTimeoutError`. A pattern
that timed out once is not run again during the same `timeouts` block (one
`load`), so a slow pattern tried on every line costs one timeout, not one per
line; `load` reports each as a ``spec.pattern_timeout`` finding.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache
from typing import Final

import regex

__all__ = [
    "PATTERN_TIMEOUT",
    "PatternTimeoutError",
    "finditer",
    "fullmatch",
    "search",
    "timeouts",
]

#: Seconds one spec pattern may run on one text.
PATTERN_TIMEOUT: Final = 0.25


class PatternTimeoutError(Exception):
    """A spec pattern ran past PATTERN_TIMEOUT; ``pattern`` says which."""

    def __init__(self, pattern: str) -> None:
        super().__init__(f"pattern {pattern!r} ran past {PATTERN_TIMEOUT}s")
        self.pattern = pattern


_timed_out: ContextVar[list[str] | None] = ContextVar("timed_out", default=None)


@contextmanager
def timeouts() -> Iterator[list[str]]:
    """Collect the patterns that time out in this block; each runs out only once."""
    seen: list[str] = []
    token = _timed_out.set(seen)
    try:
        yield seen
    finally:
        _timed_out.reset(token)


@lru_cache(maxsize=512)
def _compile(pattern: str) -> regex.Pattern[str]:
    return regex.compile(pattern, regex.MULTILINE)


def _check(pattern: str) -> None:
    seen = _timed_out.get()
    if seen is not None and pattern in seen:
        raise PatternTimeoutError(pattern)


def _timeout(pattern: str) -> PatternTimeoutError:
    seen = _timed_out.get()
    if seen is not None and pattern not in seen:
        seen.append(pattern)
    return PatternTimeoutError(pattern)


def search(pattern: str, text: str) -> regex.Match[str] | None:
    _check(pattern)
    try:
        return _compile(pattern).search(text, timeout=PATTERN_TIMEOUT)
    except TimeoutError as exc:
        raise _timeout(pattern) from exc


def fullmatch(pattern: str, text: str) -> regex.Match[str] | None:
    _check(pattern)
    try:
        return _compile(pattern).fullmatch(text, timeout=PATTERN_TIMEOUT)
    except TimeoutError as exc:
        raise _timeout(pattern) from exc


def finditer(pattern: str, text: str) -> Iterator[regex.Match[str]]:
    _check(pattern)
    try:
        yield from _compile(pattern).finditer(text, timeout=PATTERN_TIMEOUT)
    except TimeoutError as exc:
        raise _timeout(pattern) from exc
