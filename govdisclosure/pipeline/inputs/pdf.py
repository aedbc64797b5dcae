"""A PDF file → its text: pages stacked, ruled tables, page furniture left out (the ``pdf`` extra).

Ruled tables are read from their lines (pdfplumber's ``find_tables``), as
pipe rows by the rules of `pipes` (a merged cell is ``None`` in pdfplumber's
grid). The page's other words are read from where they stand (`pdf_words`),
without its page numbers or footers (``- 3 -``, ``第 3 页``) at the top or
bottom; a table drawn without ruling lines among them is read by
`pdf_tables`, across page breaks.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import IO, Any

from attrs import evolve

from govdisclosure.errors import InputError, require_extra
from govdisclosure.pipeline.inputs.limits import current_input_limits, over
from govdisclosure.pipeline.inputs.pdf_tables import unruled_rows
from govdisclosure.pipeline.inputs.pdf_words import TextLine, folded, text_lines
from govdisclosure.pipeline.inputs.pipes import MarkupCell, table_lines

__all__ = ["pdf_text"]


def pdf_text(path: Path | IO[bytes]) -> str:
    """Each page's text, its tables as pipe rows, page numbers and footers left out.

    Ruled tables are read from their lines (pdfplumber's lattice); a table
    drawn without lines is read from its words' positions (`unruled_rows`),
    across page breaks: the pages are stacked, so a table that goes on on
    the next page without its header keeps its columns.

    The page count is checked before any page is read (`InputLimits`); an
    encrypted PDF and a text layer of glyph codes are said as such.
    """
    pdfplumber = require_extra("pdfplumber", "pdf", "reading PDF files")
    items: list[tuple[float, list[str]] | TextLine] = []
    with _opened(pdfplumber, path) as pdf:
        _check_pages(pdf)
        for n, page in enumerate(pdf.pages):
            items += _page_items(page, n * _PAGE)
    placed: list[tuple[float, list[str]]] = []
    text: list[TextLine] = []
    for item in sorted(items, key=lambda i: i.top if isinstance(i, TextLine) else i[0]):
        if isinstance(item, TextLine):
            text.append(item)
        else:  # a ruled table: no unruled table goes on across it
            placed += unruled_rows(text)
            placed.append(item)
            text = []
    placed += unruled_rows(text)
    lines = [t for _, texts in sorted(placed, key=lambda i: i[0]) for t in texts]
    return _readable("\n".join(lines) + "\n")


def _opened(pdfplumber: Any, source: Path | IO[bytes]) -> Any:
    """The open PDF; an encrypted one (a password to open it) is an `InputError`."""
    try:
        return pdfplumber.open(str(source) if isinstance(source, Path) else source)
    except Exception as exc:
        from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

        causes = (exc, exc.__cause__, exc.__context__, *getattr(exc, "args", ()))
        if any(isinstance(c, PDFPasswordIncorrect) for c in causes):
            raise InputError(
                "the PDF is encrypted (it needs a password to open): not read; "
                "decrypt it first (e.g. qpdf --decrypt --password=... in.pdf out.pdf)"
            ) from exc
        if any(isinstance(c, PDFEncryptionError) for c in causes):
            raise InputError(
                f"the PDF is encrypted in a way that cannot be read ({exc}): not read"
            ) from exc
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
    count = max(count, len(pdf.pages)) if count <= bound else count
    if count > bound:
        raise over(f"the PDF has {count:,} pages", "max_pdf_pages")


#: A glyph the text layer gives no character for: pdfminer writes ``(cid:N)``.
_CID = re.compile(r"\(cid:\d+\)")


def _readable(text: str) -> str:
    """The text, unless most of it is glyph codes without characters.

    A PDF whose fonts have no map from glyphs to characters (often one made
    not to be copied: an owner password) gives ``(cid:N)`` for every
    glyph; parsing that would only say "not a known format".
    """
    glyphs = len(_CID.findall(text))
    rest = len("".join(_CID.sub("", text).split()))
    if glyphs and glyphs >= rest:
        raise InputError(
            f"the PDF's text layer is unreadable (cid glyphs): {glyphs:,} of its "
            f"{glyphs + rest:,} characters are glyph codes without a character "
            "(its fonts have no Unicode map, as in a PDF protected from copying); "
            "OCR the PDF or copy its text another way, and call load()"
        )
    return text


#: How far apart pages are stacked (PDF points; a page is at most 14 400 high).
_PAGE = 100_000.0


def _page_items(page: Any, offset: float) -> list[tuple[float, list[str]] | TextLine]:
    """A page's ruled tables as pipe rows, and its other text lines, moved down by ``offset``."""
    tables = page.find_tables()
    boxes = [t.bbox for t in tables]
    items: list[tuple[float, list[str]] | TextLine] = []
    for table in tables:
        rows = [
            [MarkupCell(folded(text or "")) for text in row if text is not None]
            for row in table.extract()
        ]
        items.append((offset + table.bbox[1], list(table_lines(rows))))
    words = [
        w
        for w in page.extract_words(keep_blank_chars=False, use_text_flow=False)
        if not any(_inside(_middle(w), box) for box in boxes)
    ]
    for line in _without_furniture(text_lines(words), page.height):
        items.append(
            TextLine(
                tuple(
                    evolve(b, top=b.top + offset, bottom=b.bottom + offset)
                    for b in line.boxes
                )
            )
        )
    return items


def _middle(word: Mapping[str, Any]) -> tuple[float, float]:
    return (word["x0"] + word["x1"]) / 2, (word["top"] + word["bottom"]) / 2


def _inside(point: tuple[float, float], box: tuple[float, float, float, float]) -> bool:
    x, y = point
    return box[0] <= x <= box[2] and box[1] <= y <= box[3]


#: Page furniture at a page's top or bottom: ``- 3 -``, ``— 5 —``, ``第 3 页``,
#: ``第3页 共6页``, ``3/6``; a bare number only inside the page's margins.
_FOOTER = re.compile(
    r"\s*(?:[-—–－]\s*\d{1,4}\s*[-—–－]|第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?"
    r"|\d{1,4}\s*/\s*\d{1,4})\s*"
)

_BARE_PAGE = re.compile(r"\s*\d{1,3}\s*")
#: The share of the page's height at its top and bottom where a bare page number stands.
_MARGIN = 0.1


def _without_furniture(lines: list[TextLine], height: float) -> list[TextLine]:
    """The page's lines without its page number or footer at the top or bottom.

    Only the first and last lines are looked at, and a bare number only within
    the page's margins: a table's numbers are never furniture.
    """

    def furniture(line: TextLine) -> bool:
        if len(line.boxes) != 1:
            return False
        text = line.boxes[0].text
        edge = line.middle < _MARGIN * height or line.middle > (1 - _MARGIN) * height
        return bool(_FOOTER.fullmatch(text) or (edge and _BARE_PAGE.fullmatch(text)))

    lines = list(lines)
    while lines and furniture(lines[-1]):
        lines.pop()
    while lines and furniture(lines[0]):
        lines.pop(0)
    return lines
