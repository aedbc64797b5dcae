"""A row of hundreds of readings is searched under its own sums before it is listed.

`rows` drafts a row of more than `segment.SEARCH_PAST` readings without
them, `narrow` searches it under its own equations (`decode`), and lists it
after all where the search cannot read it (no equation of its own, past its
bounds, no reading satisfying them). That is a speed path: every cell,
status, value and reason, and every finding, must be what listing every row
of up to `segment.MAX_READINGS` readings gives. Checked here on generated
reports whose rows have hundreds of readings, and on the real ones with
glued rows (including a total that cannot add up, whose row the search
finds no reading of, and one whose total conflicts with its column).
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

import govdisclosure
from govdisclosure.pipeline import segment
from govdisclosure.spec.registry import Registry
from govdisclosure.testing import FilledReport, Layout, fill, render

DATA = Path(__file__).parent / "data"
#: Real texts with glued rows of hundreds of readings (10-hebei-kjt-2022: a
#: total no cut of which adds up).
REAL = [
    DATA / "corpus" / "pingtan-2021.txt",
    DATA / "corpus" / "pingtan-2023.txt",
    DATA / "real" / "05-hebei-gxt-2022.txt",
    DATA / "real" / "10-hebei-kjt-2022.txt",
    DATA / "real" / "11-hebei-kjt-2023.txt",
]


def _generated() -> list[tuple[str, str]]:
    rng = random.Random(18)
    registry = Registry(plugins=False, environment=False)
    out = []
    for spec in sorted(registry, key=lambda s: s.id):
        if spec.id not in ("gov-2019", "gov-2021"):
            continue
        for cells in ("glued", "aligned", "blanklines"):
            for _ in range(2):
                filled = FilledReport(spec, fill(spec, rng), year=2022)
                layout = Layout(cells=cells, blank_zero=cells != "glued")
                out.append((f"{spec.id}/{cells}", render(filled, layout, rng)))
    return out


def _outcome(text: str) -> tuple[list[tuple[object, ...]], list[str]]:
    report = govdisclosure.load(text)
    cells = [(c.key, c.status, c.value, c.reason) for c in report.cells]
    return cells, [f"{f.code} {f.rule} {f.cells} {f.message}" for f in report.findings]


def _deferred(text: str) -> int:
    """The rows of ``text`` drafted without readings that listing would list."""
    _, stages = govdisclosure.api.trace(text)
    count = 0
    for draft in stages.drafts:
        for row in draft.rows:
            if row.found and row.readings is None:
                try:
                    segment.row_readings(row.tokens, row.types)
                except segment.TooManyReadingsError:
                    continue
                count += 1
    return count


def _corrupted() -> tuple[str, str]:
    """pingtan-2023 with a （七）总计 whose own sum holds but whose column does
    not: the conflict names the row's own sum (I3) only if its readings are
    taken as listed, not as the search under I3 left them."""
    text = (DATA / "corpus" / "pingtan-2023.txt").read_text("utf-8")
    assert "（七）总计801000081" in text
    return "pingtan-2023-corrupted", text.replace(
        "（七）总计801000081", "（七）总计901000091"
    )


def _apart() -> tuple[str, str]:
    """pingtan-2021 with a space in its glued （七）总计: a row of two numbers
    over seven columns, which may have lost a cell. Listed, its own sum
    narrows nothing (a lost cell's value is unknown); searched, its cuts
    were narrowed and the report's zeros convention switched off (23 cells
    inferred when listed were left ambiguous): such a row is listed first."""
    text = (DATA / "corpus" / "pingtan-2021.txt").read_text("utf-8")
    assert "（七）总计630020469" in text
    return "pingtan-2021-apart", text.replace(
        "（七）总计630020469", "（七）总计6 30020469"
    )


CASES = [
    *_generated(),
    *((p.name, p.read_text("utf-8")) for p in REAL),
    _corrupted(),
    _apart(),
]


@pytest.mark.parametrize(("name", "text"), CASES, ids=[n for n, _ in CASES])
def test_searching_first_reads_as_listing(
    name: str, text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    searched = _outcome(text)
    monkeypatch.setattr(segment, "SEARCH_PAST", segment.MAX_READINGS)
    assert searched == _outcome(text)


def test_the_comparison_has_rows_to_search() -> None:
    """Not vacuous: most of the texts have rows the drafts leave to the search."""
    deferred = [n for n, text in CASES if _deferred(text)]
    assert len(deferred) >= len(CASES) // 2, deferred
    assert "10-hebei-kjt-2022.txt" in deferred
