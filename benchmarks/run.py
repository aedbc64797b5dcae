"""Speed, memory, scaling and accuracy of `load`, measured in one run on the same inputs.

    python benchmarks/run.py [--quick] [--per-layout N] [--seed S] [--out DIR]

Inputs: a generated corpus (every shipped spec × every layout of
`govdisclosure.testing.render`, values that satisfy the spec's equations,
deterministic by ``--seed``) and the real reports: the seeds and the corpus
(``../shared`` when it is beside the checkout, else the copies in tests/data),
and the real reports of tests/data/real that have a table to judge (read as
`load_file` reads them: line endings kept, the PDF through its text layer).

Measured:
* per-report latency of `load` (median, p95; overall, per layout and per
  spec) and reports per second: what a user waits for, and where the slow
  tail is;
* beside it, so that a number in milliseconds means something: the floor
  (OpenCC and one regex pass over the digits: the least a reader that
  reads traditional characters does), a naive regex baseline (each row
  label of the spec, then the first number after it, as an analyst would
  write it; no OpenCC, so it may cost less than the floor), and the
  library's first step alone (`normalize_text`), with the ratios of
  ``load`` to each, for all reports, the generated ones and the real ones;
* peak memory of one `load` (tracemalloc) and of the process (max RSS);
* scaling: a real report padded with 10× and 100× more narrative text;
* batch throughput with `load_many` in 1 and 2 processes;
* `load_file` on each real PDF (tests/data/real/*.pdf), wall and CPU time:
  reading the PDF costs more than parsing its text, and the CPU time is what
  other processes on a shared machine do not inflate;
* accuracy: cells correct, flagged (blank, missing, ambiguous) and wrong while
  claimed ok or inferred (must be 0), per spec and per layout;
* a calibration loop before and after, so runs on a shared machine can be
  compared.

Writes ``results.json`` and ``results.md`` to ``--out`` (default
benchmarks/results) and prints the Markdown. Numbers are measured, never
asserted: the machine is shared and noisy. docs/performance.md explains them.
"""

from __future__ import annotations

import argparse
import functools
import json
import platform
import random
import re
import resource
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import opencc

import govdisclosure
from govdisclosure.model import CellStatus, Report
from govdisclosure.pipeline.normalize import normalize_text
from govdisclosure.pipeline.read import read_text
from govdisclosure.spec.registry import Registry
from govdisclosure.testing import fill
from govdisclosure.testing.golden import expected_cell, find_cases, read_case
from govdisclosure.testing.render import LAYOUT_CELLS, FilledReport, Layout, render

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
CLAIMED = (CellStatus.OK, CellStatus.INFERRED)
REGISTRY = Registry(plugins=False, environment=False)
T2S = opencc.OpenCC("t2s")
DIGITS = re.compile(r"\d+")


# --- inputs --------------------------------------------------------------------


def generated(per_layout: int, seed: int) -> list[dict[str, Any]]:
    """``per_layout`` reports per (spec, layout); each with its true values."""
    rng = random.Random(seed)
    registry = Registry(plugins=False, environment=False)
    out = []
    for spec in sorted(registry, key=lambda s: s.id):
        for cells in LAYOUT_CELLS:
            for _ in range(per_layout):
                filled = FilledReport(
                    spec, fill(spec, rng), year=rng.choice(spec.years or (2021,))
                )
                layout = Layout(
                    cells=cells,
                    blank_zero=rng.random() < 0.3,
                    traditional=rng.random() < 0.2,
                    wrap=rng.random() < 0.3,
                    chrome=rng.random() < 0.5,
                )
                out.append(
                    {
                        "name": f"{spec.id}/{cells}",
                        "spec": spec.id,
                        "layout": cells,
                        "text": render(filled, layout, rng),
                        "filled": filled,
                    }
                )
    return out


def real_reports() -> list[dict[str, Any]]:
    """The seeds and corpus reports, with their golden cases where there are some."""
    data = ROOT / "tests" / "data"
    seeds = SHARED / "seeds" if (SHARED / "seeds").is_dir() else data / "seeds"
    corpus = SHARED / "corpus" if (SHARED / "corpus").is_dir() else data / "corpus"
    cases = {}
    for case_path in find_cases(ROOT / "tests" / "golden" / "cases"):
        case = read_case(case_path)
        cases[Path(case["input"]).name] = case
    out = []
    for path in sorted([*seeds.glob("*.txt"), *corpus.glob("*.txt")]):
        out.append(
            {
                "name": path.name,
                "spec": cases.get(path.name, {}).get("format", "?"),
                "layout": "real",
                "text": path.read_text("utf-8"),
                "case": cases.get(path.name),
                "expected_json": path.with_suffix(".expected.json"),
            }
        )
    return out + tabled_real_reports(data / "real")


def tabled_real_reports(real: Path) -> list[dict[str, Any]]:
    """The reports of tests/data/real whose expected.json has cells.

    The narrative ones (no statutory table, ``cells: []``) have nothing to
    judge. The text is what `load_file` reads (CR line endings kept, a
    newline-translating read would change them; the PDF's text layer), and
    `accuracy` judges ``load_file(path)`` itself.
    """
    out = []
    for expected_json in sorted(real.glob("*.expected.json")):
        expected = json.loads(expected_json.read_text("utf-8"))
        if not expected["cells"]:
            continue
        path = real / expected["source"]
        out.append(
            {
                "name": path.name,
                "spec": "?",
                "layout": "real",
                "text": read_text(path).text,
                "path": path,
                "case": None,
                "expected_json": expected_json,
            }
        )
    return out


# --- timing --------------------------------------------------------------------


def _time(fn: Callable[[], object], repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        out.append((time.perf_counter() - start) * 1000)
    return out


def calibration_ms() -> float:
    """The median time of a fixed pure-Python loop: how fast the machine is right now.

    The machine is shared: the same code measures 20 % slower in a busy
    minute. Runs are comparable when their calibration times are.
    """

    def loop() -> None:
        total = 0
        for i in range(200_000):
            total += i % 7
        [str(i) for i in range(20_000)]

    return statistics.median(_time(loop, 15))


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[int(0.95 * (len(ordered) - 1))]


def floor(text: str) -> list[str]:
    """The least a reader of traditional characters does: OpenCC, then one pass over the digits."""
    return DIGITS.findall(T2S.convert(text))


Patterns = list[tuple[str, re.Pattern[str]]]


@functools.cache
def naive_patterns(spec_id: str) -> Patterns:
    """One pattern per leaf row of the spec's tables: its label, then a number."""
    return [
        (
            f"{table.id}.{leaf.key}",
            re.compile(re.escape(leaf.node.label) + r"[^\d\n]{0,40}?(\d+)"),
        )
        for table in REGISTRY.get(spec_id).tables
        for leaf in table.row_leaves()
        if leaf.node.label
    ]


def naive(text: str, patterns: Patterns) -> dict[str, str]:
    """What an analyst would write: each row label, then the first number after it."""
    out = {}
    for key, pattern in patterns:
        if found := pattern.search(text):
            out[key] = found.group(1)
    return out


def time_reports(inputs: list[dict[str, Any]], repeat: int) -> None:
    """Times `load`, `normalize_text`, `floor` and `naive` on each report, in place.

    Keeps each report for `accuracy`; a real report without a golden case
    takes the spec `load` detected (its naive patterns are that spec's).
    """
    for item in inputs:
        text = item["text"]

        def parse(t: str = text, item: dict[str, Any] = item) -> None:
            item["report"] = govdisclosure.load(t)
            if item["spec"] == "?":  # a real report without a golden case
                item["spec"] = item["report"].format

        item["load_ms"] = statistics.median(_time(parse, repeat))
        item["normalise_ms"] = statistics.median(
            _time(functools.partial(normalize_text, text), repeat)
        )
        item["floor_ms"] = statistics.median(
            _time(functools.partial(floor, text), repeat)
        )
        spec = item["spec"] if item["spec"] in REGISTRY else "gov-2021"
        patterns = naive_patterns(spec)  # compiled once per spec, outside the timing
        item["naive_ms"] = statistics.median(
            _time(functools.partial(naive, text, patterns), repeat)
        )


def _by(inputs: list[dict[str, Any]], key: str) -> dict[str, list[float]]:
    groups: dict[str, list[float]] = defaultdict(list)
    for item in inputs:
        groups[item[key]].append(item["load_ms"])
    return dict(sorted(groups.items()))


def speed(inputs: list[dict[str, Any]]) -> dict[str, Any]:
    """The latencies `time_reports` measured on ``inputs``, summed up."""
    load_ms = [item["load_ms"] for item in inputs]
    load = statistics.median(load_ms)
    median = {
        name: statistics.median(item[f"{name}_ms"] for item in inputs)
        for name in ("normalise", "floor", "naive")
    }
    layouts, specs = _by(inputs, "layout"), _by(inputs, "spec")
    return {
        "reports": len(inputs),
        "load_ms_median": load,
        "load_ms_p95": _p95(load_ms),
        "reports_per_second": len(load_ms) / (sum(load_ms) / 1000),
        "baseline_ms_median": median["normalise"],  # normalize_text alone
        "ratio_load_to_baseline": load / median["normalise"],
        "floor_ms_median": median["floor"],
        "ratio_load_to_floor": load / median["floor"],
        "naive_ms_median": median["naive"],
        "ratio_load_to_naive": load / median["naive"],
        "reports_by_layout": {k: len(v) for k, v in layouts.items()},
        "load_ms_median_by_layout": {
            k: statistics.median(v) for k, v in layouts.items()
        },
        "load_ms_p95_by_layout": {k: _p95(v) for k, v in layouts.items()},
        "reports_by_spec": {k: len(v) for k, v in specs.items()},
        "load_ms_median_by_spec": {k: statistics.median(v) for k, v in specs.items()},
        "load_ms_p95_by_spec": {k: _p95(v) for k, v in specs.items()},
    }


def memory(inputs: list[dict[str, Any]]) -> dict[str, Any]:
    largest = max(inputs, key=lambda item: len(item["text"]))
    tracemalloc.start()
    govdisclosure.load(largest["text"])
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {
        "largest_report_chars": len(largest["text"]),
        "load_peak_mib": peak / 2**20,
        "process_max_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        / 1024,
    }


def _padded(text: str, factor: int) -> str:
    """The report with narrative paragraphs added to 一 until it is ``factor``× as long."""
    sentence = (
        "本机关坚持以公开为常态、不公开为例外，全年召开专题会议3次，"
        "组织培训2场，更新政务公开目录56条，进一步提升了政务公开工作质效。\n"
    )
    lines = text.splitlines(keepends=True)
    at = next(
        (i + 1 for i, line in enumerate(lines) if "总体情况" in line), len(lines) // 4
    )
    extra = max(len(text) * (factor - 1), 0)
    return (
        "".join(lines[:at]) + sentence * (extra // len(sentence)) + "".join(lines[at:])
    )


def scaling(text: str, repeat: int) -> list[dict[str, Any]]:
    out = []
    for factor in (1, 10, 100):
        padded = _padded(text, factor)
        ms = statistics.median(
            _time(lambda t=padded: govdisclosure.load(t), max(repeat // factor, 2))
        )
        out.append(
            {
                "factor": factor,
                "chars": len(padded),
                "load_ms": ms,
                "us_per_char": ms * 1000 / len(padded),
            }
        )
    return out


def batch(inputs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    with tempfile.TemporaryDirectory() as tmp:
        paths = []
        for i, item in enumerate(inputs):
            suffix = ".html" if item["layout"] == "html" else ".txt"
            path = Path(tmp) / f"{i:05d}{suffix}"
            path.write_text(item["text"], "utf-8")
            paths.append(path)
        for jobs in (1, 2):
            start = time.perf_counter()
            done = sum(r.ok for r in govdisclosure.load_many(paths, jobs=jobs))
            wall = time.perf_counter() - start
            out.append(
                {
                    "jobs": jobs,
                    "files": len(paths),
                    "parsed": done,
                    "seconds": wall,
                    "files_per_second": len(paths) / wall,
                }
            )
    return out


def wall_cpu_ms(fn: Callable[[], object], repeat: int) -> tuple[float, float]:
    """Median wall and CPU (this process's) milliseconds of ``repeat`` calls."""
    wall, cpu = [], []
    for _ in range(repeat):
        w, c = time.perf_counter(), time.process_time()
        fn()
        wall.append((time.perf_counter() - w) * 1000)
        cpu.append((time.process_time() - c) * 1000)
    return statistics.median(wall), statistics.median(cpu)


def pdf_files(repeat: int) -> dict[str, Any]:
    """`load_file` on each PDF of tests/data/real, after one call to warm up."""
    out = []
    for path in sorted((ROOT / "tests" / "data" / "real").glob("*.pdf")):
        try:
            govdisclosure.load_file(path)
        except govdisclosure.MissingExtraError as error:
            print(f"PDF timings skipped: {error}", file=sys.stderr)
            return {"skipped": str(error)}
        wall, cpu = wall_cpu_ms(
            functools.partial(govdisclosure.load_file, path), repeat
        )
        out.append(
            {
                "file": path.name,
                "kib": path.stat().st_size / 1024,
                "load_file_ms_wall": wall,
                "load_file_ms_cpu": cpu,
            }
        )
    return {"repeat": repeat, "files": out}


# --- accuracy ------------------------------------------------------------------


def _judge_generated(report: Report, filled: FilledReport) -> Counter[str]:
    counts: Counter[str] = Counter()
    columns = {
        (t.id, c.key): i
        for t in filled.spec.tables
        for i, c in enumerate(t.column_leaves())
    }
    for cell in report.cells:
        truth = filled.values[cell.table][cell.row_key][
            columns[(cell.table, cell.column_key)]
        ]
        if cell.status not in CLAIMED:
            counts["flagged"] += 1
        elif cell.value == truth:
            counts["correct"] += 1
        else:
            counts["wrong"] += 1
    return counts


def _judge_case(report: Report, case: dict[str, Any]) -> Counter[str]:
    counts: Counter[str] = Counter()
    for table_id, rows in case["tables"].items():
        table = report.table(table_id)
        for row_key, written in rows.items():
            for cell, typed in zip(
                table.grid()[table.row_keys.index(row_key)], written, strict=True
            ):
                status, value = expected_cell(typed)
                if cell.status not in CLAIMED:
                    counts["flagged"] += 1
                elif status in CLAIMED and cell.value == value:
                    counts["correct"] += 1
                else:
                    counts["wrong"] += 1
    return counts


def _judge_expected_json(report: Report, path: Path) -> Counter[str]:
    """Judged as tests/corpus judges it (what a null truth means there included).

    A true cell the report has no cell for counts as flagged: nothing is
    claimed for it.
    """
    sys.path.insert(0, str(ROOT))
    from tests.corpus.compare import expected_cells, judge

    names = {"right": "correct", "flagged": "flagged", "no cell": "flagged"}
    return Counter(
        names.get(said, "wrong") for _, _, said in judge(report, expected_cells(path))
    )


def accuracy(inputs: Iterable[dict[str, Any]]) -> dict[str, dict[str, int]]:
    table: dict[str, Counter[str]] = defaultdict(Counter)
    for item in inputs:
        if "path" in item:  # a file of tests/data/real, the PDF among them
            report = govdisclosure.load_file(item["path"])
        else:
            report = item.get("report") or govdisclosure.load(item["text"])
        if "filled" in item and report.format != item["spec"]:
            counts = Counter(wrong_spec=len(list(report.cells)))  # misdetected
            print(
                f"misdetected: {item['name']} read as {report.format}", file=sys.stderr
            )
        elif "filled" in item:
            counts = _judge_generated(report, item["filled"])
        elif item.get("case"):
            counts = _judge_case(report, item["case"])
        elif item["expected_json"].exists():
            counts = _judge_expected_json(report, item["expected_json"])
        else:
            continue
        for key in (f"spec {item['spec']}", f"layout {item['layout']}", "all"):
            table[key] += counts
    return {k: dict(v) for k, v in sorted(table.items())}


# --- report --------------------------------------------------------------------


def _latency_table(s: dict[str, Any], by: str) -> list[str]:
    """``by`` (layout or spec) | reports | median | p95 of `load`."""
    return [
        f"| {by} | reports | `load` median ms | `load` p95 ms |",
        "|---|---|---|---|",
        *(
            f"| {k} | {n} | {s[f'load_ms_median_by_{by}'][k]:.1f} | "
            f"{s[f'load_ms_p95_by_{by}'][k]:.1f} |"
            for k, n in s[f"reports_by_{by}"].items()
        ),
    ]


def _ratio_table(results: dict[str, Any]) -> list[str]:
    sets = {
        "all": results["speed"],
        "generated": results["speed_generated"],
        "real": results["speed_real"],
    }
    return [
        "| reports | n | `load` median ms | floor ms | naive ms "
        "| `load` / floor | `load` / naive |",
        "|---|---|---|---|---|---|---|",
        *(
            f"| {name} | {s['reports']} | {s['load_ms_median']:.2f} | "
            f"{s['floor_ms_median']:.3f} | {s['naive_ms_median']:.3f} | "
            f"{s['ratio_load_to_floor']:.0f} | {s['ratio_load_to_naive']:.0f} |"
            for name, s in sets.items()
        ),
    ]


def _pdf_table(pdf: dict[str, Any]) -> list[str]:
    if "skipped" in pdf:
        return [f"PDF: not timed ({pdf['skipped']})."]
    return [
        f"| PDF (`load_file`, median of {pdf['repeat']}) | KiB | wall ms | CPU ms |",
        "|---|---|---|---|",
        *(
            f"| {f['file']} | {f['kib']:.0f} | {f['load_file_ms_wall']:.1f} | "
            f"{f['load_file_ms_cpu']:.1f} |"
            for f in pdf["files"]
        ),
    ]


def markdown(results: dict[str, Any]) -> str:
    s, m, real = results["speed"], results["memory"], results["speed_real"]
    out = [
        f"Machine: {results['machine']}; {results['inputs']}.",
        f"Calibration loop (machine speed now; lower is faster): "
        f"{results['calibration_ms_before']:.1f} ms before, "
        f"{results['calibration_ms_after']:.1f} ms after.",
        "",
        "| measure | value |",
        "|---|---|",
        f"| `load` median / p95 per report | {s['load_ms_median']:.1f} ms / {s['load_ms_p95']:.1f} ms |",
        f"| reports per second (one process) | {s['reports_per_second']:.1f} |",
        f"| normalise (the library's first step) median | {s['baseline_ms_median']:.2f} ms |",
        f"| ratio `load` / normalise | {s['ratio_load_to_baseline']:.1f} |",
        f"| peak memory of one `load` (largest report, {m['largest_report_chars']} chars) | {m['load_peak_mib']:.1f} MiB |",
        f"| process max RSS | {m['process_max_rss_mib']:.0f} MiB |",
    ]
    out += [
        f"| batch, {b['jobs']} process(es), {b['files']} files | {b['files_per_second']:.1f} files/s |"
        for b in results["batch"]
    ]
    out += [
        "",
        "Floor: OpenCC (traditional to simplified) and one regex pass collecting "
        "the digit runs. Naive: for each leaf row label of the report's spec, the "
        "label then the first number after it (one precompiled `re.search` each).",
        "",
        *_ratio_table(results),
        "",
        "p95: the time at rank ⌊0.95·(n−1)⌋ of the n sorted times (of 5 reports, "
        "the second slowest).",
        "",
        *_latency_table(s, "layout"),
        "",
        *_latency_table(s, "spec"),
        "",
        f"Real reports only: median {real['load_ms_median']:.1f} ms, p95 "
        f"{real['load_ms_p95']:.1f} ms, ratio to normalise {real['ratio_load_to_baseline']:.1f}.",
        "",
        *_pdf_table(results["pdf"]),
        "",
        "| padding | chars | `load` ms | µs per char |",
        "|---|---|---|---|",
    ]
    out += [
        f"| {r['factor']}× | {r['chars']} | {r['load_ms']:.1f} | {r['us_per_char']:.2f} |"
        for r in results["scaling"]
    ]
    out += [
        "",
        "| accuracy | cells | correct | flagged | wrong, claimed ok |",
        "|---|---|---|---|---|",
    ]
    for key, c in results["accuracy"].items():
        total = sum(c.values())
        out.append(
            f"| {key} | {total} | {c.get('correct', 0)} | {c.get('flagged', 0)} | "
            f"{c.get('wrong', 0) + c.get('wrong_spec', 0)} |"
        )
    return "\n".join(out) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--quick", action="store_true", help="small sizes: under two minutes"
    )
    parser.add_argument(
        "--per-layout", type=int, help="generated reports per spec and layout"
    )
    parser.add_argument("--repeat", type=int, help="timings per report (median taken)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results")
    args = parser.parse_args()
    per_layout = args.per_layout or (1 if args.quick else 5)
    repeat = args.repeat or (1 if args.quick else 5)
    start = time.perf_counter()
    gen = generated(per_layout, args.seed)
    real = real_reports()
    inputs = [*gen, *real]
    govdisclosure.load(real[0]["text"])  # warm caches (specs, label indexes, OpenCC)
    floor(real[0]["text"])
    seed_001 = next(item["text"] for item in real if item["name"].startswith("001"))
    results: dict[str, Any] = {
        "machine": f"{platform.machine()}, {platform.python_implementation()} {platform.python_version()}, {__import__('os').cpu_count()} cores",
        "inputs": f"{len(gen)} generated reports ({per_layout} per spec and layout, seed {args.seed}) and {len(real)} real ones",
        "calibration_ms_before": calibration_ms(),
    }
    time_reports(inputs, repeat)
    results |= {
        "speed": speed(inputs),
        "speed_generated": speed(gen),
        "speed_real": speed(real),
        "memory": memory(inputs),
        "scaling": scaling(seed_001, repeat * 3),
        "batch": batch(inputs if not args.quick else real * 4),
        "pdf": pdf_files(max(repeat, 3)),
        "accuracy": accuracy(inputs),
    }
    results["calibration_ms_after"] = calibration_ms()
    results["seconds"] = time.perf_counter() - start
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "results.json").write_text(
        json.dumps(results, indent=2, ensure_ascii=False), "utf-8"
    )
    text = markdown(results)
    (args.out / "results.md").write_text(text, "utf-8")
    print(text)
    print(f"({results['seconds']:.0f} s; written to {args.out})")


if __name__ == "__main__":
    main()
