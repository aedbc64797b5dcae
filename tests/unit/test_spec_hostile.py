"""Hostile specs (issue 19): each is a `SpecError` at FILE:LINE:COL, fast and small.

A spec is YAML a third party writes. Each case here was, before the bounds, a
raw exception or minutes and gigabytes (alias bombs 26 s / 2.7 GB and
accepted; a regex bomb 8 GB and a raw MemoryError; 20,000 brackets a raw
RecursionError; a 5,000-digit number a raw ValueError; 400 slow patterns
60 s per load). Each runs in a fresh subprocess, which measures its own wall
time and peak memory (``VmHWM`` on Linux, where ``ru_maxrss`` keeps the test
process's peak across ``exec``; the interpreter and imports included, about
40 MB), so one case's memory cannot hide in another's. The targets are
1 s and 200 MB; the bounds asserted are generous for a loaded machine.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from govdisclosure.spec.loader import parse_spec
from govdisclosure.spec.model import spec_limits
from govdisclosure.spec.patterns import pattern_size

DATA = Path(__file__).parent.parent / "data"
SECONDS = 10.0
MEGABYTES = 500

# the smallest valid spec; each case changes one part of it
MINIMAL = """\
schema: 1
id: tiny
version: 1
title: t
source: s
sections:
  - {id: s1, number: 一, title: 总体情况}
tables:
  - id: t1
    name: 一
    section: s1
    columns:
      - {key: a, label: 甲}
      - {key: b, label: 乙}
    rows:
      - {key: r, label: 行, aliases: [第一行]}
      - {key: q, label: 列}
invariants:
  - {id: I, table: t1, for_each: row, equation: "a == b"}
metadata:
  title_patterns: ['^(?P<title>.+报告)$']
"""

# Runs in the subprocess: load a spec (file) or a folder of specs, or parse a
# report with a spec folder; prints the outcome, its time and peak memory.
_PROBE = """
import json, resource, sys, time
from pathlib import Path
import govdisclosure

def peak_mb():
    # this process's own peak: on Linux ru_maxrss keeps the parent's peak
    # from before exec (a test process of 500 MB would be counted)
    try:
        status = open("/proc/self/status").read()
        return int(status.split("VmHWM:")[1].split()[0]) / 1024
    except (OSError, IndexError, ValueError):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

from govdisclosure.spec.registry import Registry, default_registry, load_spec
default_registry()  # the bundled specs: read before the clock starts
kind, path = sys.argv[1], Path(sys.argv[2])
registry = Registry([path]) if kind == "load" else None  # (its spec is no bomb)
before = peak_mb()
started = time.monotonic()
outcome = {"error": None, "message": "", "codes": [], "before": before}
try:
    if kind == "spec":
        load_spec(path)
    elif kind == "folder":
        Registry([path], bundled=False, plugins=False, environment=False)
    else:
        text = Path(sys.argv[3]).read_text("utf-8")
        report = govdisclosure.load(text, spec=sys.argv[4], registry=registry)
        outcome["codes"] = [f.code for f in report.findings]
        outcome["message"] = " | ".join(
            f.message for f in report.findings if f.code.startswith("spec.")
        )
except BaseException as exc:
    outcome["error"] = type(exc).__name__
    outcome["message"] = str(exc)
outcome["seconds"] = time.monotonic() - started
outcome["megabytes"] = peak_mb()
print(json.dumps(outcome))
"""


def _probe(*args: str | Path) -> dict[str, object]:
    """Run the probe in a fresh interpreter; its own measurements come back."""
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, *map(str, args)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    outcome: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    print(args[0], Path(args[1]).name, outcome)  # the numbers, with pytest -s
    assert float(str(outcome["seconds"])) < SECONDS
    assert float(str(outcome["megabytes"])) < MEGABYTES
    return outcome


def _laughs(prefix: str, leaf: str, levels: int = 9) -> str:
    """Anchors of nine aliases of the one before: 9**levels leaves in a few hundred bytes."""
    items = [f"&{prefix}0 [{', '.join([leaf] * 9)}]"] + [
        f"&{prefix}{i} [{', '.join([f'*{prefix}{i - 1}'] * 9)}]"
        for i in range(1, levels)
    ]
    return "[" + ", ".join(items) + "]"


def _group_bomb() -> str:
    """Row groups whose children are nine aliases of the group before (a row tree bomb)."""
    groups = ["&g0 {label: g, children: [{key: z, label: zz}]}"] + [
        f"&g{i} {{label: g, children: [{', '.join([f'*g{i - 1}'] * 9)}]}}"
        for i in range(1, 10)
    ]
    return "".join(f"      - {g}\n" for g in groups)


_ROWS = "      - {key: q, label: 列}\n"

#: name → (spec text, what the SpecError says, its line in the spec)
HOSTILE = {
    "alias bomb in units": (
        MINIMAL.replace("version: 1\n", f"version: 1\nunits: {_laughs('l', 'lol')}\n"),
        "YAML nodes once its aliases are expanded",
        4,
    ),
    "alias bomb in a row tree": (
        MINIMAL.replace(_ROWS, _ROWS + _group_bomb()),
        "YAML nodes once its aliases are expanded",
        23,
    ),
    "an alias inside the node it names": (
        MINIMAL.replace("version: 1\n", "version: 1\nunits: &a [x, *a]\n"),
        "an alias names a node that holds it",
        4,
    ),
    "YAML nested 20,000 deep": (
        MINIMAL.replace(
            "version: 1\n", "version: 1\nunits: " + "[" * 20_000 + "]" * 20_000 + "\n"
        ),
        "nested more than 50 deep",
        4,
    ),
    "a 60,000-character alias": (
        MINIMAL.replace("aliases: [第一行]", "aliases: [" + "第" * 60_000 + "]"),
        "a text of 60000 characters (at most 5000)",
        16,
    ),
    "a 300-character alias": (
        MINIMAL.replace("aliases: [第一行]", "aliases: [" + "第" * 300 + "]"),
        "has 300 characters; a label, alias or marker has at most 200",
        16,
    ),
    "a regex that explodes when compiled": (
        MINIMAL.replace(
            "'^(?P<title>.+报告)$'", "'(?:(?:(?:a{1000}){1000}){1000}){1000}'"
        ),
        "unrolls to about",
        21,
    ),
    "a 5,000-digit coefficient": (
        MINIMAL.replace('"a == b"', '"' + "1" * 5000 + '*a == b"'),
        "a text of 5007 characters",
        19,
    ),
    "a 4,000-digit coefficient": (
        MINIMAL.replace('"a == b"', '"' + "1" * 4000 + '*a == b"'),
        "a coefficient of 4000 digits",
        19,
    ),
    "a 5,000-digit number": (
        MINIMAL.replace("version: 1", "version: " + "9" * 5000),
        "a number of 5000 digits (at most 15)",
        3,
    ),
    "a date YAML cannot read": (
        MINIMAL.replace("version: 1", "version: 2020-13-45"),
        "is not a value YAML can read",
        3,
    ),
}


@pytest.mark.parametrize("name", list(HOSTILE))
def test_a_hostile_spec_is_a_located_spec_error(name: str, tmp_path: Path) -> None:
    """Each hostile spec is refused as a SpecError at its place, within the bounds."""
    text, what, line = HOSTILE[name]
    path = tmp_path / "hostile.yaml"
    path.write_text(text, "utf-8")

    outcome = _probe("spec", path)

    assert "SpecError" == outcome["error"]
    assert what in str(outcome["message"])
    assert str(outcome["message"]).startswith(f"{path}:{line}:")


def test_specs_extending_each_other_name_the_cycle(tmp_path: Path) -> None:
    """Two specs extending each other: the message names the cycle, not an unknown spec."""
    for me, other in (("cyc-a", "cyc-b"), ("cyc-b", "cyc-a")):
        text = MINIMAL.replace("id: tiny", f"id: {me}\nextends: {other}")
        (tmp_path / f"{me}.yaml").write_text(text, "utf-8")

    outcome = _probe("folder", tmp_path)

    assert "SpecError" == outcome["error"]
    assert "extend each other in a cycle: 'cyc-a' → 'cyc-b' → 'cyc-a'" in str(
        outcome["message"]
    )
    assert str(outcome["message"]).startswith(f"{tmp_path / 'cyc-a.yaml'}:3:1:")


# A pattern the `regex` module backtracks on for seconds in any sentence with a
# word and a digit; {i} makes each of the 400 patterns a pattern of its own.
_SLOW = r"(?:\w|\w)+(?!\w)(?<!\w)(?P<value>\d)(?:x{%d})?"


def test_slow_patterns_share_one_budget_per_load(tmp_path: Path) -> None:
    """400 slow narrative patterns cost the budget (2 s), not 400 timeouts, and say so."""
    facts = "".join(
        f"  - {{id: slow_{i}, patterns: ['{_SLOW % i}']}}\n" for i in range(400)
    )
    (tmp_path / "slow.yaml").write_text(
        "schema: 1\nid: slow\nextends: gov-2021\nnarrative:\n" + facts, "utf-8"
    )

    outcome = _probe(
        "load", tmp_path, DATA / "handwritten" / "gov2021-pipe.txt", "slow"
    )

    assert outcome["error"] is None
    assert "spec.pattern_budget" in outcome["codes"]  # type: ignore[operator]
    message = str(outcome["message"])
    assert "the patterns of spec slow@1 ran" in message
    assert "past their budget of 2.0s per load" in message
    assert "not run after it: " in message
    assert "more" in message  # hundreds not run: each counted, twenty quoted


def test_a_timed_out_ignore_pattern_does_not_skip_the_others(tmp_path: Path) -> None:
    """After an ignore pattern times out, the ones after it still blank their texts."""
    from govdisclosure.pipeline.grid import _blank_ignored
    from govdisclosure.pipeline.normalize import normalize_text
    from govdisclosure.spec.patterns import timeouts

    spec = parse_spec(
        MINIMAL.replace(
            "version: 1\n",
            "version: 1\nignore_patterns: ['^(a|a)+$', '\\(2018年度\\)']\n",
        )
    )
    line = normalize_text("a" * 40 + "!(2018年度)甲 乙").lines[0]

    with timeouts() as times:
        blanked = _blank_ignored(spec, line, 0, len(line.text))

    assert ["^(a|a)+$"] == times.timed_out
    assert "a" * 40 + "!" + " " * len("(2018年度)") + "甲 乙" == blanked.text


def test_pattern_size_counts_unrolled_repeats() -> None:
    """Counted repeats multiply what they repeat; escapes and classes are one position."""
    assert 12 == pattern_size("(?:ab){3}")  # the group's ?: counts too
    assert 3 == pattern_size(r"\p{Han}{3}")  # a braced escape is no repeat
    assert 1 == pattern_size(r"[{]")
    assert pattern_size("(?:(?:a{1000}){1000}){1000}") >= 10**9


def test_a_bound_can_be_raised() -> None:
    """spec_limits raises a bound for the specs read inside the block, and only there."""
    text = MINIMAL.replace("aliases: [第一行]", "aliases: [" + "第" * 300 + "]")

    with spec_limits(max_label_chars=400):
        assert "tiny" == parse_spec(text).id
    with pytest.raises(Exception, match="at most 200"):
        parse_spec(text)
