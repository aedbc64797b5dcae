"""The one place spec-supplied regular expressions compile and run, bounded.

A spec is data written by people we do not know. Two things bound what its
patterns may cost:

* **at spec-check time**, `compile_problem` refuses a pattern longer than
  ``max_pattern_chars`` or whose counted repeats unroll past
  ``max_pattern_size`` (`pattern_size`: ``(?:(?:a{1000}){1000}){1000}``
  takes gigabytes to compile, so it is measured before it is compiled), and
  compiles the rest with `MemoryError` and `RecursionError` caught;
* **while a report is read**, every search uses the `regex` module's
  ``timeout``: one pattern on one text at most `PATTERN_TIMEOUT`, and all of
  one spec's patterns, in total, at most ``pattern_budget`` seconds per `load`
  (a `timeouts` block). A pattern that timed out once is not run again in the
  block; once the budget is spent no pattern runs. Either way the call raises
  `PatternTimeoutError` and the block records it, so `load` reports each
  pattern that ran out (``spec.pattern_timeout``) and each that was not run
  (``spec.pattern_budget``): nothing is skipped silently.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache
from typing import Final

import regex
from attrs import define, evolve, field

from govdisclosure.spec.model import SpecLimits, current_limits

__all__ = [
    "PATTERN_TIMEOUT",
    "PatternTimeoutError",
    "PatternTimes",
    "compile_problem",
    "compiled",
    "finditer",
    "fullmatch",
    "pattern_size",
    "search",
    "timeouts",
]

#: Seconds one spec pattern may run on one text.
PATTERN_TIMEOUT: Final = 0.25


class PatternTimeoutError(Exception):
    """A spec pattern ran past its time, or was not run; ``pattern`` says which."""

    def __init__(self, pattern: str) -> None:
        super().__init__(f"pattern {pattern!r} ran out of time")
        self.pattern = pattern


@define
class PatternTimes:
    """What one `timeouts` block saw: patterns that ran out, time spent, patterns not run.

    ``spent_on`` is the pattern running when the budget ran out; ``not_run``
    the patterns asked for after that (in order, each once).
    """

    budget: float
    timed_out: list[str] = field(factory=list)
    spent: float = 0.0
    spent_on: str | None = None
    not_run: list[str] = field(factory=list)


_block: ContextVar[PatternTimes | None] = ContextVar("pattern_times", default=None)


@contextmanager
def timeouts(budget: float | None = None) -> Iterator[PatternTimes]:
    """Bound the patterns run in this block (one spec's, in one `load`).

    ``budget`` is the total seconds; by default ``pattern_budget`` of the
    `SpecLimits` in force.
    """
    times = PatternTimes(current_limits().pattern_budget if budget is None else budget)
    token = _block.set(times)
    try:
        yield times
    finally:
        _block.reset(token)


# ---- compiling ---------------------------------------------------------------


@lru_cache(maxsize=512)
def _compile(pattern: str) -> regex.Pattern[str]:
    return regex.compile(pattern, regex.MULTILINE)


def compiled(pattern: str) -> regex.Pattern[str]:
    """The pattern compiled (cached); call `compile_problem` first on a spec's pattern."""
    return _compile(pattern)


#: an escape whose argument is written in braces (``\p{Han}``, ``\x{4e00}``)
_BRACED_ESCAPES = frozenset("pPNxuUgk")
_REPEAT = regex.compile(r"\{(\d*)(?:,(\d*))?\}")


def pattern_size(pattern: str) -> int:
    """The positions a pattern unrolls to: an estimate, read before compiling.

    Counted repeats multiply what they repeat (``(?:ab){3}`` is 6): the
    `regex` module unrolls a repeated group, so ``(?:(?:a{1000}){1000}){1000}``
    is 10^9 positions and gigabytes. Everything else counts one per
    character, an overestimate that does not matter at the sizes allowed.
    """
    # one frame per open group: [positions so far, size of the last atom]
    frames: list[list[int]] = [[0, 0]]
    i = 0
    while i < len(pattern):
        atom, i = _atom(pattern, i, frames)
        if atom is not None:
            frames[-1][0] += atom
            frames[-1][1] = atom
    while len(frames) > 1:  # an unclosed group: compiling will say so
        inner = frames.pop()[0]
        frames[-1][0] += inner
    return frames[0][0]


def _atom(pattern: str, i: int, frames: list[list[int]]) -> tuple[int | None, int]:
    """The size of the atom at ``i`` (None: no atom) and where the next begins."""
    c = pattern[i]
    if c == "\\":
        end = i + 2
        if pattern[i + 1 : i + 2] in _BRACED_ESCAPES and pattern[end : end + 1] == "{":
            close = pattern.find("}", end)
            end = len(pattern) if close < 0 else close + 1
        return 1, end
    if c == "[":
        return 1, _class_end(pattern, i)
    if c == "(":
        frames.append([0, 0])
        return None, i + 1
    if c == ")" and len(frames) > 1:
        return frames.pop()[0], i + 1
    m = _REPEAT.match(pattern, i) if c == "{" else None
    if m:
        low, high = m.group(1), m.group(2)
        count = max(int(low or 0), int(high or 0))
        frame = frames[-1]
        frame[0] += frame[1] * max(count - 1, 0)
        frame[1] *= max(count, 1)
        return None, m.end()
    return 1, i + 1


def _class_end(pattern: str, i: int) -> int:
    """Where the character class opened at ``i`` ends (after its ``]``)."""
    j = i + 1
    if pattern[j : j + 1] == "^":
        j += 1
    if pattern[j : j + 1] == "]":
        j += 1
    while j < len(pattern) and pattern[j] != "]":
        j += 2 if pattern[j] == "\\" else 1
    return j + 1


def compile_problem(
    pattern: str, limits: SpecLimits | None = None, *, whole_spec: bool = False
) -> tuple[str, str] | None:
    """``(what, fix)`` if the pattern is too large or does not compile, else None.

    The bounds are read before compiling; compiling is guarded all the same,
    since a pattern the estimate misjudges must be a problem, not a crash.
    ``whole_spec``: the pattern joins all of a spec's patterns (one
    alternation), bounded as they are together.
    """
    limits = limits or current_limits()
    if whole_spec:
        limits = evolve(
            limits,
            max_pattern_chars=len(pattern),
            max_pattern_size=limits.max_patterns_size,
        )
    raise_it = "or raise the bound: with govdisclosure.spec.model.spec_limits({}=…): … (docs/limits.md)"
    if len(pattern) > limits.max_pattern_chars:
        return (
            f"pattern of {len(pattern)} characters is too long (at most {limits.max_pattern_chars})",
            "write a shorter pattern, " + raise_it.format("max_pattern_chars"),
        )
    size = pattern_size(pattern)
    if size > limits.max_pattern_size:
        return (
            f"pattern {pattern[:80]!r} unrolls to about {size} positions when "
            f"compiled (its counted repeats multiply; at most {limits.max_pattern_size})",
            "repeat less ({1,3}, not {1000}), or use an open repeat (+, *), "
            + raise_it.format("max_pattern_size"),
        )
    try:
        _compile(pattern)
    except regex.error as exc:
        return (
            f"pattern {pattern!r} does not compile: {exc}",
            "fix the regular expression (the `regex` module's syntax)",
        )
    except (MemoryError, RecursionError, OverflowError) as exc:
        return (
            f"pattern {pattern[:80]!r} is too large to compile ({type(exc).__name__})",
            "write a simpler pattern",
        )
    return None


# ---- running -----------------------------------------------------------------


def _allowance(pattern: str) -> float:
    """Seconds this call may take; raises if the pattern may not run at all."""
    times = _block.get()
    if times is None:
        return PATTERN_TIMEOUT
    if pattern in times.timed_out:
        raise PatternTimeoutError(pattern)
    left = times.budget - times.spent
    if left <= 0:
        if pattern != times.spent_on and pattern not in times.not_run:
            times.not_run.append(pattern)
        raise PatternTimeoutError(pattern)
    return min(PATTERN_TIMEOUT, left)


def _spend(pattern: str, started: float, timed_out: bool) -> None:
    """Count a call's time; a pattern that ran out is remembered."""
    times = _block.get()
    if times is None:
        return
    times.spent += time.perf_counter() - started
    if times.spent >= times.budget and times.spent_on is None:
        times.spent_on = pattern
    elif timed_out and pattern not in times.timed_out:
        times.timed_out.append(pattern)


def search(pattern: str, text: str) -> regex.Match[str] | None:
    allowance = _allowance(pattern)
    started = time.perf_counter()
    try:
        found = _compile(pattern).search(text, timeout=allowance)
    except TimeoutError as exc:
        _spend(pattern, started, timed_out=True)
        raise PatternTimeoutError(pattern) from exc
    _spend(pattern, started, timed_out=False)
    return found


def fullmatch(pattern: str, text: str) -> regex.Match[str] | None:
    allowance = _allowance(pattern)
    started = time.perf_counter()
    try:
        found = _compile(pattern).fullmatch(text, timeout=allowance)
    except TimeoutError as exc:
        _spend(pattern, started, timed_out=True)
        raise PatternTimeoutError(pattern) from exc
    _spend(pattern, started, timed_out=False)
    return found


def finditer(pattern: str, text: str) -> Iterator[regex.Match[str]]:
    allowance = _allowance(pattern)
    matches = _compile(pattern).finditer(text, timeout=allowance)
    while True:
        # only the time inside the regex counts, not the caller's between matches
        started = time.perf_counter()
        try:
            found = next(matches)
        except StopIteration:
            _spend(pattern, started, timed_out=False)
            return
        except TimeoutError as exc:
            _spend(pattern, started, timed_out=True)
            raise PatternTimeoutError(pattern) from exc
        _spend(pattern, started, timed_out=False)
        yield found
        _allowance(pattern)  # the budget may be spent by now
