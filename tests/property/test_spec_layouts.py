"""Every shipped spec, every layout: exact, or flagged — never a wrong value."""

from __future__ import annotations

import pytest
from hypothesis import given

from govdisclosure.spec.registry import Registry
from govdisclosure.testing.strategies import check_round_trip, filled_reports, layouts

SPECS = sorted(Registry(plugins=False, environment=False), key=lambda s: s.id)


@pytest.mark.parametrize("spec", SPECS, ids=[s.id for s in SPECS])
def test_round_trip(spec) -> None:  # type: ignore[no-untyped-def]
    """Any layout of a filled table is read exactly or flagged (see check_round_trip)."""

    @given(filled_reports(spec), layouts())
    def run(report, layout) -> None:  # type: ignore[no-untyped-def]
        assert [] == check_round_trip(report, layout)

    run()
