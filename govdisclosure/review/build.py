"""Writing a review folder: one page per report and the index."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Final

from govdisclosure.api import trace_file
from govdisclosure.errors import GovDisclosureError, InputError
from govdisclosure.review.index import Entry, render_index
from govdisclosure.review.page import GENERATOR, render_page
from govdisclosure.spec.model import Spec

__all__ = ["is_review_page", "write_review"]

#: What the head of a page written by `write_review` holds (the older pages: their title).
_SIGNS: Final = (
    GENERATOR.encode(),
    b" \xc2\xb7 review</title>",
    b"<title>govdisclosure review",
)


def is_review_page(path: Path) -> bool:
    """Whether ``path`` is a page or index this command wrote (so it may be replaced, and is no report)."""
    try:
        with path.open("rb") as stream:
            head = stream.read(4096)
    except OSError:
        return False
    return path.suffix == ".html" and any(sign in head for sign in _SIGNS)


def _planned(files: list[Path], out: Path) -> list[str]:
    """Each file's page name, after checking that no page replaces a file that is no page.

    The output folder may be the reports' own (``-o reports/``): a report
    ``03.html`` beside ``03.txt`` would be overwritten by its page, and an
    ``index.html`` by the index. Checked before anything is written.
    """
    if out.exists() and not out.is_dir():
        raise InputError(f"{out} is a file, not a folder: no page written")
    taken: set[str] = set()
    names = [_page_name(source, taken) for source in files]
    for name in [*names, "index.html"]:
        target = out / name
        if target.exists() and not is_review_page(target):
            raise InputError(
                f"{target} exists and is no review page: not overwritten, no page "
                "written (write the pages to a folder of their own, -o review/)"
            )
    return names


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
    spec: str | Spec | None = None,
    corrections: str | Path | None = None,
) -> list[Entry]:
    """Write each report's page and ``index.html`` into ``folder``; the entries, in input order.

    Each report is read as `load_file` reads it, its own corrections file
    applied (or ``corrections``, for a single report), so the page shows the
    cells as decided and says which decisions are stale or in conflict. A
    file that cannot be read gets no page: the index lists its error.
    """
    out = Path(folder)
    files = list(files)
    names = _planned(files, out)
    out.mkdir(parents=True, exist_ok=True)
    entries = []
    for source, page in zip(files, names, strict=True):
        try:
            report, stages = trace_file(source, spec=spec, corrections=corrections)
        except GovDisclosureError as exc:
            entries.append(
                Entry(str(source), None, error=f"{type(exc).__name__}: {exc}")
            )
            continue
        (out / page).write_text(
            render_page(report, stages, source.name), encoding="utf-8"
        )
        entries.append(Entry(str(source), page, report))
    (out / "index.html").write_text(render_index(entries), encoding="utf-8")
    return entries
