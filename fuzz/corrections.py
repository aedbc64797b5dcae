"""Mutated corrections files: decisions on a real report, changed as a tree and as text.

A corrections file is untrusted input (anyone edits it, docs/review.md): a
tree mutation keeps the YAML valid so the reader's checks and the applying
see odd values (wrong types, signs, exponents, huge digits, control and
bidirectional characters, keys of another format, override flags); a text
mutation reaches the YAML reader itself (aliases, tags, nesting, flips).
The report is real 05 (gov-2021): its glued row leaves three cells
ambiguous, its other cells are ok counts and one amount, so every outcome
of a decision (applied, stale, conflict, override, unknown, type) is reached.
"""

from __future__ import annotations

import random
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from fuzz.specs import tree_edit, yaml_text

#: The report every corrections file decides on.
REPORT = (
    Path(__file__).resolve().parent.parent / "tests/data/real/05-hebei-gxt-2022.txt"
)

#: Values a decision's field may be given in place of its own.
ODD_VALUES: tuple[Any, ...] = (
    None, "", 0, 5, "5", "3.5", "-5", "+5", "5e3", "0x1F", "1_000", "٥", "５", ".inf",
    "9" * 19, "9" * 30, "9" * 5000, "1." + "9" * 9, "1." + "9" * 5000, 10**30, 1.5,
    True, "true", "yes", [], {}, [0, 10**30], [-1, 3], [5, 1], "2026-13-45",
    "2026-W48-1", "20261130T1200", "\x07", "\ud800", "张\u202e三", "a\u2028b",
    "t9.x.y", "t2_1.rules.issued", "../../etc", "a" * 70_000, "!!python/object:os.system",
)  # fmt: skip
#: Cells of real 05 and the raw text each was read from (ok counts, ambiguous, an amount).
CELLS = (
    ("t2_1.rules.issued", "000"), ("t2_1.normative_documents.issued", "5426"),
    ("t2_1.normative_documents.repealed", "5426"), ("t2_1.normative_documents.in_force", "5426"),
    ("t2_8.administrative_fees.fee_amount", "650.6"), ("t3.new_requests.total", "14"),
    ("t9.nothing.here", "1"),
)  # fmt: skip


def seed_file(rng: random.Random) -> str:
    """A valid corrections file of one to five decisions on real 05's cells."""
    cells: dict[str, Any] = {}
    for key, raw in rng.sample(CELLS, rng.randint(1, 5)):
        entry: dict[str, Any] = {
            "value": rng.choice((5, 4, 26, 0, 14, "650.6", None)),
            "by": rng.choice(("张三", "李四", "reviewer")),
            "at": rng.choice(("2026-11-30", "2026-11-30T10:00:00Z")),
            "why": "原件扫描件",
            "raw": raw,
        }
        if rng.random() < 0.3:
            entry["span"] = [rng.randrange(3000), rng.randrange(3000, 6000)]
        if rng.random() < 0.3:
            entry["override"] = True
        cells[key] = entry
    head = {"corrections": 1, "report": REPORT.name}
    return yaml.safe_dump({**head, "cells": cells}, allow_unicode=True, sort_keys=False)


def _field(rng: random.Random, text: str) -> str:
    """One field of one decision given an odd value (the file stays well formed)."""
    data = yaml.safe_load(text)
    entry = data["cells"][rng.choice(list(data["cells"]))]
    field = rng.choice(("value", "value", "by", "at", "why", "raw", "span", "override"))
    entry[field] = rng.choice(ODD_VALUES)
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def _tree(rng: random.Random, text: str) -> str:
    data = yaml.safe_load(text)
    for _ in range(rng.randint(1, 3)):
        data = tree_edit(rng, data)
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def mutate_corrections(rng: random.Random) -> str:
    """A corrections file for real 05, mutated as a tree or as text, one to three times."""
    text = seed_file(rng)
    # a quarter unchanged or one field changed: the decisions must reach the report
    if rng.random() < 0.25:
        return text if rng.random() < 0.3 else _field(rng, text)
    for _ in range(rng.choice((1, 1, 2, 3))):
        if rng.random() < 0.6:
            try:
                text = _tree(rng, text)
            except (yaml.YAMLError, RecursionError, KeyError, IndexError, TypeError):
                text = yaml_text(rng, text)
        else:
            text = yaml_text(rng, text)
    return text


@lru_cache(maxsize=1)
def report_text() -> str:
    return REPORT.read_text(encoding="utf-8")
