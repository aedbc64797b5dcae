"""Exact spans: a cell's span is where its raw text is in the input, in every
layout and for every spec.

``raw`` is the cell's text as the engine read it, in display form (width
folded, simplified), so the slice is compared after the same normalisation.
For an html page, spans index the text read from it (`api.trace`'s
``stages.normalized.source``). A part of a glued run (``000000`` read as six cells) spans the whole run: its
raw digits are found inside the slice.
"""

from __future__ import annotations

import random

import pytest
from hypothesis import HealthCheck, given, settings

from govdisclosure.api import trace
from govdisclosure.pipeline.normalize import normalize_text
from govdisclosure.spec.model import Spec
from govdisclosure.spec.registry import Registry
from govdisclosure.testing import FilledReport, Layout, fill, render
from govdisclosure.testing.strategies import filled_reports, layouts

SPECS = sorted(
    (s for s in Registry(plugins=False, environment=False) if s.tables),
    key=lambda s: s.id,
)
EXAMPLES = settings(
    max_examples=max(5, settings().max_examples // 10),
    suppress_health_check=[HealthCheck.too_slow],
)


def _shown(piece: str) -> str:
    """The slice in display form, as ``raw`` is."""
    return "".join(line.text for line in normalize_text(piece).lines)


def _wrong_spans(report: FilledReport, layout: Layout) -> list[str]:
    loaded, stages = trace(render(report, layout, random.Random(0)), spec=report.spec)
    text = stages.normalized.source  # the input; for a page, its html_to_text
    wrong = []
    for cell in loaded.cells:
        if cell.span is None or cell.raw is None:
            continue
        piece = text[cell.span.start : cell.span.end]
        shown = _shown(piece) if piece.strip() else piece
        glued = bool(cell.reason and "glued run" in cell.reason)
        if (cell.raw not in shown) if glued else (shown != cell.raw):
            wrong.append(f"{cell.key}: raw {cell.raw!r}, slice {piece!r}")
    return wrong


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.id)
def test_span_slices_the_raw_text(spec: Spec) -> None:
    @EXAMPLES
    @given(filled_reports(spec), layouts())
    def run(report: FilledReport, layout: Layout) -> None:
        assert [] == _wrong_spans(report, layout)

    run()


@pytest.mark.parametrize("cells", ["pipe", "pipe_outer", "markdown", "html", "tabs"])
def test_span_slices_the_raw_text_in_delimited_layouts(cells: str) -> None:
    """The layouts whose spans were one character too long (``'40 '``)."""
    for spec in SPECS:
        report = FilledReport(
            spec, fill(spec, random.Random(0)), year=(spec.years or (2021,))[-1]
        )
        assert [] == _wrong_spans(report, Layout(cells=cells))
        assert [] == _wrong_spans(report, Layout(cells=cells, footnotes="①"))
