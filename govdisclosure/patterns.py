"""The one place spec-supplied regular expressions run, always with a time limit.

A spec is data written by people we do not know; a pattern with catastrophic
backtracking must not hang a batch. Every search here uses the `regex`
module's ``timeout`` and turns a timeout into `PatternTimeoutError`, which callers
record as a ``spec.pattern_timeout`` finding.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache
from typing import Final

import regex

__all__ = ["PATTERN_TIMEOUT", "PatternTimeoutError", "finditer", "fullmatch", "search"]

#: Seconds one spec pattern may run on one text.
PATTERN_TIMEOUT: Final = 0.25


class PatternTimeoutError(Exception):
    """A spec pattern ran past PATTERN_TIMEOUT; ``pattern`` says which."""

    def __init__(self, pattern: str) -> None:
        super().__init__(f"pattern {pattern!r} ran past {PATTERN_TIMEOUT}s")
        self.pattern = pattern


@lru_cache(maxsize=512)
def _compile(pattern: str) -> regex.Pattern[str]:
    return regex.compile(pattern, regex.MULTILINE)


def search(pattern: str, text: str) -> regex.Match[str] | None:
    try:
        return _compile(pattern).search(text, timeout=PATTERN_TIMEOUT)
    except TimeoutError as exc:
        raise PatternTimeoutError(pattern) from exc


def fullmatch(pattern: str, text: str) -> regex.Match[str] | None:
    try:
        return _compile(pattern).fullmatch(text, timeout=PATTERN_TIMEOUT)
    except TimeoutError as exc:
        raise PatternTimeoutError(pattern) from exc


def finditer(pattern: str, text: str) -> Iterator[regex.Match[str]]:
    try:
        yield from _compile(pattern).finditer(text, timeout=PATTERN_TIMEOUT)
    except TimeoutError as exc:
        raise PatternTimeoutError(pattern) from exc
