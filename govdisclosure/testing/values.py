"""Old home of `fill`, kept so ``from govdisclosure.testing.values import fill`` works.

Import it from `govdisclosure.testing` instead; this module is `fill.py` now,
because ``values`` also names the pipeline step that reads cell text.
"""

from govdisclosure.testing.fill import fill

__all__ = ["fill"]
