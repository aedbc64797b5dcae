"""The grid reconstructor's own invariants, on generated reports of every spec."""

from __future__ import annotations

import random
from collections import Counter

import pytest
from hypothesis import given

from govdisclosure.api import run_stages
from govdisclosure.pipeline.grid import TokenKind
from govdisclosure.pipeline.normalize import normalize_text
from govdisclosure.spec.model import Spec
from govdisclosure.spec.registry import Registry
from govdisclosure.testing import FilledReport, Layout, render
from govdisclosure.testing.strategies import filled_reports, layouts

SPECS = sorted(Registry(plugins=False, environment=False), key=lambda s: s.id)


@pytest.mark.parametrize("spec", SPECS, ids=[s.id for s in SPECS])
def test_every_number_is_used_at_most_once(spec: Spec) -> None:
    """No number of the text is given to two rows, nor given to a row and reported unused."""

    @given(filled_reports(spec), layouts())
    def run(report: FilledReport, layout: Layout) -> None:
        normalized = normalize_text(render(report, layout, random.Random(0)))
        stages = run_stages(normalized, spec)
        drafts, findings, grids = stages.drafts, stages.draft_findings, stages.grids

        in_rows = Counter(
            (t.span.start, t.span.end)
            for d in drafts
            for row in d.rows
            for t in row.tokens
            if t.kind is TokenKind.VALUE
        )
        assert [] == [span for span, n in in_rows.items() if n > 1]
        unused = {
            (f.span.start, f.span.end)
            for f in findings
            if f.code == "token.unused" and f.span
        }
        assert set() == unused & set(in_rows)
        numbers = sum(t.kind is TokenKind.VALUE for g in grids for t in g.tokens)
        assert numbers == sum(in_rows.values()) + len(
            unused
        )  # every number accounted for

    run()
