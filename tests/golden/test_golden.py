"""Every golden case: real reports, every cell's value and status typed by hand."""

from __future__ import annotations

from pathlib import Path

import pytest

from govdisclosure.spec.registry import Registry
from govdisclosure.testing.golden import check_case, find_cases, read_case

CASES = Path(__file__).parent / "cases"


@pytest.mark.parametrize(
    "case",
    find_cases(CASES),
    ids=lambda p: f"{p.parent.name}/{p.name.removesuffix('.expected.yaml')}",
)
def test_golden_case(case: Path) -> None:
    """Each case's report parses to exactly the hand-typed cells and metadata."""
    assert set(read_case(case)) >= {"format", "year", "organization", "title"}

    problems = check_case(case)

    assert not problems, "\n".join(problems)


def test_a_changed_expected_value_fails(tmp_path: Path) -> None:
    """The check can fail: one cell typed differently is reported, by key."""
    case = CASES / "gov-2019" / "seed-001.expected.yaml"
    text = case.read_text("utf-8").replace(
        "input: ../../../data/", f"input: {case.parent.parent.parent.parent / 'data'}/"
    )
    changed = tmp_path / "seed-001.expected.yaml"
    changed.write_text(text.replace("rules: [", "rules: [9", 1), "utf-8")

    problems = check_case(changed)

    assert 1 == len(problems)
    assert problems[0].startswith("t2_1.rules.")


def test_every_bundled_spec_has_a_golden_case() -> None:
    """A spec without a real report to check it against is not shipped."""
    with_cases = {
        p.name for p in CASES.iterdir() if p.is_dir() and any(p.glob("*.expected.yaml"))
    }

    assert set(Registry(plugins=False, environment=False).ids()) <= with_cases
