"""A PDF's pages → characters and ruling lines, read by pdfplumber (pdfminer): the slow way.

Read only where a font is not in the PDF (`pdf_layer.Page.borrowed`):
PDFium then measures its glyphs with the machine's fonts, and loses those
the machine has none for. pdfminer reads a character from its code and
the PDF's widths, whatever the machine; it takes ten times as long. The pages come out as `pdf_layer` gives them, for
the same words, lines and tables (`pdf_lattice`).
"""

from __future__ import annotations

import io
import re
from typing import Any

from govdisclosure.errors import require_extra
from govdisclosure.pipeline.inputs.limits import current_input_limits
from govdisclosure.pipeline.inputs.pdf_layer import (
    Char,
    Edge,
    Page,
    cannot_decrypt,
    check_page_count,
    needs_password,
)

__all__ = ["plumber_pages"]

#: A glyph the text layer gives no character for: pdfminer writes ``(cid:N)``.
_CID = re.compile(r"\(cid:\d+\)")


def plumber_pages(data: bytes) -> list[Page]:
    """Every page's characters and edges; the page count is checked before any is read."""
    pdfplumber = require_extra("pdfplumber", "pdf", "reading PDF files")
    with _opened(pdfplumber, data) as pdf:
        _check_pages(pdf)
        return [_page(page) for page in pdf.pages]


def _page(page: Any) -> Page:
    chars: list[Char] = []
    glyphs = 0
    for c in page.chars:
        if _CID.fullmatch(c["text"]):
            glyphs += 1
        else:
            chars.append(Char(c["text"], c["x0"], c["x1"], c["top"], c["bottom"]))
    edges = [
        Edge(e["x0"], e["top"], e["x1"], e["bottom"], e["orientation"] == "v")
        for e in page.edges
        if e["orientation"] in ("h", "v")
        and (e["x0"] == e["x1"]) is (e["orientation"] == "v")  # no slanted line
        and (e["top"] == e["bottom"]) is (e["orientation"] == "h")
    ]
    return Page(float(page.height), chars, edges, glyphs)


def _opened(pdfplumber: Any, data: bytes) -> Any:
    """The open PDF; an encrypted one (a password to open it) is an `InputError`."""
    try:
        return pdfplumber.open(io.BytesIO(data))
    except Exception as exc:
        from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

        causes = (exc, exc.__cause__, exc.__context__, *getattr(exc, "args", ()))
        if any(isinstance(c, PDFPasswordIncorrect) for c in causes):
            raise needs_password() from exc
        if any(isinstance(c, PDFEncryptionError) for c in causes):
            raise cannot_decrypt(exc) from exc
        raise


def _check_pages(pdf: Any) -> None:
    """Refuse a PDF of more pages than `InputLimits.max_pdf_pages`, before reading any.

    The page tree's ``Count`` is read first (no page is built); the pages
    found are counted too, since a damaged or hostile ``Count`` may lie.
    """
    from pdfminer.pdftypes import resolve1

    bound = current_input_limits().max_pdf_pages
    try:
        count = int(resolve1(resolve1(pdf.doc.catalog["Pages"])["Count"]))
    except Exception:  # no readable count: the pages found decide
        count = 0
    check_page_count(max(count, len(pdf.pages)) if count <= bound else count)
