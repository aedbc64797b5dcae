"""Writing a review folder: one page per report and the index."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from govdisclosure.api import trace_file
from govdisclosure.errors import GovDisclosureError
from govdisclosure.review.index import Entry, render_index
from govdisclosure.review.page import render_page

__all__ = ["write_review"]


def _page_name(source: Path, taken: set[str]) -> str:
    """``03.txt`` → ``03.html``; a second report of the same stem gets ``03-2.html``."""
    stem, n = source.stem, 1
    name = f"{stem}.html"
    while name in taken or name == "index.html":
        n += 1
        name = f"{stem}-{n}.html"
    taken.add(name)
    return name


def write_review(
    files: Iterable[Path],
    folder: str | Path,
    *,
    spec: str | None = None,
    corrections: str | Path | None = None,
) -> list[Entry]:
    """Write each report's page and ``index.html`` into ``folder``; the entries, in input order.

    Each report is read as `load_file` reads it, its own corrections file
    applied (or ``corrections``, for a single report), so the page shows the
    cells as decided and says which decisions are stale or in conflict. A
    file that cannot be read gets no page: the index lists its error.
    """
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    taken: set[str] = set()
    entries = []
    for source in files:
        try:
            report, stages = trace_file(source, spec=spec, corrections=corrections)
        except GovDisclosureError as exc:
            entries.append(
                Entry(str(source), None, error=f"{type(exc).__name__}: {exc}")
            )
            continue
        page = _page_name(source, taken)
        (out / page).write_text(
            render_page(report, stages, source.name), encoding="utf-8"
        )
        entries.append(Entry(str(source), page, report))
    (out / "index.html").write_text(render_index(entries), encoding="utf-8")
    return entries
