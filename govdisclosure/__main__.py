"""``python -m govdisclosure``: the same command as the ``govdisclosure`` script."""

from __future__ import annotations

import sys

from govdisclosure.cli import main

__all__ = ["main"]

if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
