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
from collections.abc import Callable
from pathlib import Path
from typing import Any

import govdisclosure
from govdisclosure.pipeline.detect import candidate_specs
from govdisclosure.pipeline.grid import TokenGrid, build_grid
from govdisclosure.pipeline.invariants import check_invariants, narrow_readings
from govdisclosure.pipeline.mapping import draft_tables, finalize_tables
from govdisclosure.pipeline.narrative import agreed_facts, find_facts
from govdisclosure.pipeline.normalize import normalize_text
from govdisclosure.pipeline.sections import Sections, locate_sections
from govdisclosure.spec.model import Spec
from govdisclosure.spec.registry import default_registry

SEEDS = Path(__file__).parent.parent / "tests" / "data" / "seeds"


def _grids(spec: Spec, sections: Sections) -> list[TokenGrid]:
    ids = dict.fromkeys(t.section for t in spec.tables)
    return [build_grid(spec, s, sections.body(s)) for s in ids]


def stages(text: str, repeat: int) -> dict[str, float]:
    registry = default_registry()
    govdisclosure.load(text)  # warm the caches
    times: dict[str, list[float]] = {}

    def timed(name: str, fn: Callable[..., Any], *args: Any) -> Any:
        start = time.perf_counter()
        out = fn(*args)
        times.setdefault(name, []).append((time.perf_counter() - start) * 1000)
        return out

    for _ in range(repeat):
        normalized = timed("normalize", normalize_text, text)
        spec = timed("detect", candidate_specs, normalized, registry)[0][0]
        sections = timed("sections", locate_sections, normalized, spec)
        facts = timed("facts", find_facts, sections, spec)
        grids = timed("grid", _grids, spec, sections)
        drafts, _ = timed("draft", draft_tables, spec, grids)
        agreed = agreed_facts(facts, spec)
        drafts = timed("narrow", narrow_readings, drafts, spec, agreed)
        tables, _ = timed("cells", finalize_tables, drafts)
        timed("check", check_invariants, tables, spec)
        timed("load", govdisclosure.load, text)
    return {name: statistics.median(values) for name, values in times.items()}


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
