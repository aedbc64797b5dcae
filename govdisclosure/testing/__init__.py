"""Helpers for spec authors: generate filled reports for a spec and render layouts.

    >>> from govdisclosure.testing import FilledReport, Layout, fill, render

`fill` makes a report's values for any spec, satisfying its equations;
`render` writes them as text in a `Layout`, with the hazards of real documents
when asked (`HAZARDS`); `strategies` (needs hypothesis)
drives both. A plugin's own tests can run the shipped properties on its spec
with `govdisclosure.testing.strategies` (see docs/testing.md).
"""

from govdisclosure.testing.fill import fill
from govdisclosure.testing.render import (
    HAZARDS,
    LAYOUT_CELLS,
    FilledReport,
    Layout,
    render,
)

__all__ = ["HAZARDS", "LAYOUT_CELLS", "FilledReport", "Layout", "fill", "render"]
