"""Time each step of the pipeline on given reports: where `load` spends its time.

    python benchmarks/stages.py [FILE ...] [--repeat N]

Without files, the seeds. Prints, per report, the median milliseconds of
normalize, detection (candidate specs), sections, narrative facts, grids,
drafts, narrowing, cells and invariant checks, and of the whole `load`.
Numbers are measured, never asserted: the machine is shared and noisy.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import govdisclosure
from govdisclosure import api
from govdisclosure.pipeline.detect import candidate_specs
from govdisclosure.pipeline.normalize import normalize_text
from govdisclosure.spec.registry import default_registry

SEEDS = Path(__file__).parent.parent / "tests" / "data" / "seeds"

#: The step functions `api` calls, timed where `api` calls them: the order of
#: the steps stays written in `api.run_stages` only.
STEPS = (
    "normalize_text",
    "locate_sections",
    "find_facts",
    "build_grid",
    "draft_tables",
    "narrow_readings",
    "finalize_tables",
    "check_invariants",
    "check_facts",
)


@contextmanager
def _timing(times: dict[str, float]) -> Iterator[None]:
    """Wrap each step in `api`'s namespace so each call adds its time (ms) to ``times``."""
    originals = {name: getattr(api, name) for name in STEPS}

    def timed(name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        def run(*args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                times[name] = (
                    times.get(name, 0.0) + (time.perf_counter() - start) * 1000
                )

        return run

    for name, fn in originals.items():
        setattr(api, name, timed(name, fn))
    try:
        yield
    finally:
        for name, fn in originals.items():
            setattr(api, name, fn)


def stages(text: str, repeat: int) -> dict[str, float]:
    """Median ms of each step (one run with the detected spec), of detection, of `load`."""
    registry = default_registry()
    govdisclosure.load(text)  # warm the caches
    spec = candidate_specs(normalize_text(text), registry)[0][0]
    runs: dict[str, list[float]] = {}
    for _ in range(repeat):
        times: dict[str, float] = {}
        with _timing(times):
            govdisclosure.load(text, spec=spec)
        normalized = normalize_text(text)
        start = time.perf_counter()
        candidate_specs(normalized, registry)
        times["detect"] = (time.perf_counter() - start) * 1000
        start = time.perf_counter()
        govdisclosure.load(text)
        times["load"] = (time.perf_counter() - start) * 1000
        for name, ms in times.items():
            runs.setdefault(name, []).append(ms)
    return {name: statistics.median(values) for name, values in runs.items()}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    files = args.files or sorted(SEEDS.glob("*.txt"))
    for path in files:
        medians = stages(path.read_text(encoding="utf-8"), args.repeat)
        print(
            f"{path.name[:24]:<24} "
            + "  ".join(f"{name} {ms:.2f}" for name, ms in medians.items())
        )


if __name__ == "__main__":
    main()
