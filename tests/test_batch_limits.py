"""A batch's files are bounded as `load_file` bounds them here (issue 19).

The input's and the spec's bounds are context variables (`input_limits`,
`spec_limits`), which a worker process does not share: a spawned worker
started with the defaults, a forked one with whatever was in force when it
was forked (so a batch whose results were read outside the ``with`` got the
defaults under any start method). `load_many` now takes the bounds in force
when it is called and sets them around each file's parse, wherever it runs.

Each batch runs in a script of its own, which chooses the start method and
sets the bounds, then reads the results outside the ``with`` block.
"""

from __future__ import annotations

import json
import multiprocessing
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import govdisclosure
from govdisclosure.errors import InputError
from govdisclosure.pipeline.read import input_limits

SEED = Path(__file__).parent / "data" / "seeds" / "001_12bbc16d07ceb1d3.txt"

BATCH = """
import json, multiprocessing, sys
from govdisclosure.output.batch import load_many
from govdisclosure.pipeline.read import input_limits
from govdisclosure.spec.model import spec_limits

if __name__ == "__main__":
    start, inputs, specs, options, paths = json.loads(sys.argv[1])
    multiprocessing.set_start_method(start)
    with input_limits(**inputs), spec_limits(**specs):
        results = load_many(paths, **options)
    # read outside the with: the bounds are the batch's, taken when it was started
    for r in results:
        codes = [] if r.report is None else [f.code for f in r.report.findings]
        print(json.dumps([r.path, r.error, codes]))
"""

#: how the files are parsed: two workers, or here (no process to limit)
SUPERVISED: dict[str, Any] = {"jobs": 2}
HERE: dict[str, Any] = {"jobs": 1, "timeout": None, "memory": None}

STARTS = [
    pytest.param(
        method,
        marks=pytest.mark.skipif(
            method not in multiprocessing.get_all_start_methods(),
            reason=f"no {method} here",
        ),
    )
    for method in ("spawn", "forkserver", "fork")
]


def _batch(
    tmp_path: Path,
    paths: list[Path],
    start: str = "spawn",
    options: dict[str, Any] = SUPERVISED,
    inputs: dict[str, Any] | None = None,
    specs: dict[str, Any] | None = None,
) -> list[tuple[str, str | None, list[str]]]:
    """``load_many(paths, **options)`` in a fresh script: (path, error, finding codes)."""
    script = tmp_path / "batch.py"
    script.write_text(BATCH, "utf-8")
    given = [start, inputs or {}, specs or {}, options, [str(p) for p in paths]]
    done = subprocess.run(
        [sys.executable, str(script), json.dumps(given)],
        check=False,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert 0 == done.returncode, done.stderr
    return [tuple(json.loads(line)) for line in done.stdout.splitlines()]  # type: ignore[misc]


def _copies(tmp_path: Path, n: int) -> list[Path]:
    paths = [tmp_path / f"{i:02d}.txt" for i in range(n)]
    for path in paths:
        shutil.copy(SEED, path)
    return paths


@pytest.mark.parametrize("start", STARTS)
def test_a_lowered_bound_holds_in_the_workers(tmp_path: Path, start: str) -> None:
    """max_chars=100 set around the call: each file of 3,366 characters fails in the
    workers with the error load_file gives here. Before, the workers parsed them
    (spawn, forkserver: fresh context variables; fork: the results were read after
    the with block, where the workers were forked)."""
    paths = _copies(tmp_path, 3)
    with input_limits(max_chars=100), pytest.raises(InputError) as here:
        govdisclosure.load_file(SEED)
    assert "input is 3,366 characters: over the limit max_chars=100" in str(here.value)

    results = _batch(tmp_path, paths, start, inputs={"max_chars": 100})

    assert [str(p) for p in paths] == [path for path, _, _ in results]
    assert {f"InputError: {here.value}"} == {error for _, error, _ in results}


@pytest.mark.parametrize("options", [SUPERVISED, HERE], ids=["workers", "here"])
def test_a_raised_bound_lets_a_file_through(
    tmp_path: Path, options: dict[str, Any]
) -> None:
    """A report followed by 200,000 empty lines is over the default max_lines
    (200,000); raised to 300,000 around the call, the batch reads it (spawned
    workers, or this process after the with block has ended)."""
    big = tmp_path / "long.txt"
    big.write_text(SEED.read_text("utf-8") + "\n" * 200_000, "utf-8")

    (refused,) = _batch(tmp_path, [big], options=options)
    (read,) = _batch(tmp_path, [big], options=options, inputs={"max_lines": 300_000})

    assert refused[1] == (
        "InputError: input is 200,075 lines: over the limit max_lines=200,000 "
        "(raise it with govdisclosure.pipeline.read.input_limits(max_lines=...))"
    )
    assert read[1] is None
    assert "spec.pattern_budget" not in read[2]


def test_a_spec_bound_holds_in_the_workers(tmp_path: Path) -> None:
    """A pattern budget of a nanosecond is spent at the first pattern: each report
    parsed by a spawned worker says so, as load_file's does here."""
    paths = _copies(tmp_path, 2)

    results = _batch(tmp_path, paths, specs={"pattern_budget": 1e-9})
    plain = _batch(tmp_path, paths[:1])

    assert all(error is None for _, error, _ in results + plain)
    assert all("spec.pattern_budget" in codes for _, _, codes in results)
    assert "spec.pattern_budget" not in plain[0][2]
