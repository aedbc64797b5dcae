"""The real inputs fuzzing starts from: reports, saved pages, files and specs.

Mutating real reports reaches far deeper than random bytes: a mutation of a
report still reads as a report to the early steps, so the later ones (grid,
rows, cells, invariants) see odd input too. Seeds are made once per process.
"""

from __future__ import annotations

import io
import random
import tempfile
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
SPECS = ROOT / "specs"


@cache
def texts() -> tuple[str, ...]:
    """Every report text the tests read by hand: real, seeds, corpus, handwritten."""
    paths = sorted(DATA.glob("*/*.txt"))
    return tuple(p.read_text(encoding="utf-8") for p in paths)


@cache
def specs() -> tuple[str, ...]:
    """The YAML of every shipped spec."""
    return tuple(p.read_text(encoding="utf-8") for p in sorted(SPECS.glob("*.yaml")))


@cache
def pages() -> tuple[str, ...]:
    """Saved web pages: each spec with tables filled and printed as HTML."""
    from govdisclosure.spec.registry import default_registry
    from govdisclosure.testing.fill import fill
    from govdisclosure.testing.render import FilledReport, Layout, render

    out = []
    registry = default_registry()
    for i, spec in enumerate(registry.get(name) for name in registry.ids()):
        if not spec.tables:
            continue
        rng = random.Random(i)
        filled = FilledReport(spec, fill(spec, rng))
        for wrapper in (None, "inline"):
            out.append(render(filled, Layout(cells="html", wrapper=wrapper), rng))
    return tuple(out)


def page_to_file(page: str, suffix: str) -> bytes:
    """A page printed as a .pdf or .docx, as a word processor would (tests/inputs)."""
    from tests.inputs.documents import write_docx, write_pdf

    write = write_pdf if suffix == ".pdf" else write_docx
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"page{suffix}"
        write(page, path)
        return path.read_bytes()


@cache
def files(suffix: str) -> tuple[bytes, ...]:
    """Seed files of one kind: real PDFs where the tests have them, pages printed."""
    if suffix == ".pdf":
        real = tuple(p.read_bytes() for p in sorted(DATA.glob("real/*.pdf")))
        return real + tuple(page_to_file(p, suffix) for p in pages()[::3])
    if suffix == ".docx":
        return tuple(page_to_file(p, suffix) for p in pages()[::2])
    if suffix in (".html", ".htm", ".shtml", ".xhtml"):
        return tuple(p.encode("utf-8") for p in pages())
    return tuple(t.encode("utf-8") for t in texts())


def zipped(members: dict[str, bytes]) -> bytes:
    """A zip (a .docx) of ``members``, deflated as Word writes them."""
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()
