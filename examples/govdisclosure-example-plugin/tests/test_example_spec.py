"""The plugin's own tests: its example report, and the layout fuzzer on its spec."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings

import govdisclosure
from govdisclosure.testing.golden import check_case, find_cases
from govdisclosure.testing.strategies import check_round_trip, filled_reports, layouts

CASES = Path(__file__).parent / "cases"


def test_installed_plugin_is_found() -> None:
    """The entry point registers the spec: no path is passed anywhere."""
    assert "example-county-2021" in govdisclosure.Registry().ids()


def test_example_reports_match_their_expected_values() -> None:
    """Every case's cells, typed by hand, come back exactly."""
    cases = find_cases(CASES)
    assert cases
    for case in cases:
        assert [] == check_case(case)


SPEC = govdisclosure.Registry().get("example-county-2021")


@settings(max_examples=25, deadline=None)
@given(filled_reports(SPEC), layouts())
def test_any_layout_is_read_exactly_or_flagged(report, layout) -> None:  # type: ignore[no-untyped-def]
    """The shipped layout fuzzer, in three lines."""
    assert [] == check_round_trip(report, layout)
