"""Shared fixtures and hypothesis profiles (choose with HYPOTHESIS_PROFILE)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from hypothesis import HealthCheck, settings

if TYPE_CHECKING:
    from govdisclosure.spec.model import Spec

settings.register_profile(
    "dev", max_examples=50, deadline=None
)  # timing is benchmarked, never asserted
settings.register_profile(
    "ci",
    max_examples=200,
    deadline=None,
    # the same examples every run: CI is red only when a change broke something;
    # dev and deep draw new examples each run and do the searching
    derandomize=True,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("deep", max_examples=5000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="session")
def seeds() -> dict[str, str]:
    """The seed reports by their number ("000" … "004")."""
    return {
        p.name[:3]: p.read_text(encoding="utf-8")
        for p in sorted((DATA / "seeds").glob("*.txt"))
    }


@pytest.fixture(scope="session")
def spec2019() -> Spec:
    from govdisclosure.spec.registry import default_registry

    return default_registry().get("gov-2019")
