"""A few seconds of fuzzing in every test run: the same mutations `fuzz.run` runs for hours.

Each example is input number N of a target (`fuzz.run.make_input`): a real
report, page, file or spec mutated. The contract (`fuzz.contract`): a Report
or a `GovDisclosureError` other than `InternalError`, within `SECONDS`. A
failure prints N; ``python -m fuzz.run --target T [--suffix S] --replay N``
runs that input again. The ci profile is derandomized, so CI runs the same
inputs every time; dev and deep draw new ones (docs/testing.md#fuzzing).
"""

from __future__ import annotations

import signal
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import FrameType

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fuzz.contract import Crash
from fuzz.files import SUFFIXES
from fuzz.run import make_input, run_input

#: Per input: generous for a loaded machine, and a hang still fails.
SECONDS = 30
EXAMPLES = max(5, settings.default.max_examples // 20)  # ci: 10, deep: 250
# PDF extraction is the slow one (a second or more a file): fewer of them
FEW = max(3, EXAMPLES // 3)


class Hang(BaseException):
    """Past the time bound; a BaseException, so no `except Exception` hides it."""


@contextmanager
def bounded(seconds: int) -> Iterator[None]:
    def alarm(signum: int, frame: FrameType | None) -> None:
        raise Hang(f"no answer within {seconds} s")

    previous: Callable[..., object] | int | None = signal.signal(signal.SIGALRM, alarm)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def _check(target: str, seed: int, suffix: str | None = None) -> None:
    kind, data = make_input(target, seed, suffix)
    replay = f"python -m fuzz.run --target {target} --replay {seed}"
    if suffix:
        replay += f" --suffix {suffix}"
    try:
        with bounded(SECONDS):
            run_input(target, kind, data)
    except (Crash, Hang) as exc:
        pytest.fail(f"{exc}\nreplay: {replay}")


@settings(max_examples=EXAMPLES)
@given(st.integers(0, 2**32))
def test_load_text(seed: int) -> None:
    _check("text", seed)


@pytest.mark.parametrize("suffix", [s for s in SUFFIXES if s != ".pdf"])
@settings(max_examples=EXAMPLES)
@given(seed=st.integers(0, 2**32))
def test_load_file(suffix: str, seed: int) -> None:
    _check("file", seed, suffix)


@settings(max_examples=FEW)
@given(st.integers(0, 2**32))
def test_load_pdf(seed: int) -> None:
    _check("file", seed, ".pdf")


@settings(max_examples=EXAMPLES)
@given(st.integers(0, 2**32))
def test_load_spec(seed: int) -> None:
    _check("spec", seed)


@settings(max_examples=EXAMPLES)
@given(st.integers(0, 2**32))
def test_load_with_corrections(seed: int) -> None:
    _check("corrections", seed)


def test_a_hang_is_counted_in_cpu_time() -> None:
    """A worker's CPU time is read (so a fuzzer at low priority on a busy machine
    does not report an input waiting for the CPU as a hang), and it grows with
    work done."""
    import os
    import sys
    import time

    from fuzz.run import _cpu_seconds

    if not sys.platform.startswith("linux"):
        pytest.skip("CPU time is read from /proc")
    before = _cpu_seconds(os.getpid())
    assert before is not None
    end = time.process_time() + 0.2
    while time.process_time() < end:
        pass
    after = _cpu_seconds(os.getpid())
    assert after is not None
    assert after - before >= 0.1
    assert _cpu_seconds(None) is None
