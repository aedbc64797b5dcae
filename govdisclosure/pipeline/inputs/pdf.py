"""A PDF file → its text: pages stacked, ruled tables, page furniture left out (the ``pdf`` extra).

The pages are read by PDFium (`pdf_layer`: characters and ruling lines),
or by pdfminer where a font is not in the PDF (`pdf_plumber`).
Ruled tables are read from their lines (`pdf_lattice`, pdfplumber's
lattice), as pipe rows by the rules of `pipes` (a merged cell is ``None``
in the grid). The page's other words are read from where they stand
(`pdf_words`), without its page numbers or footers (``- 3 -``, ``第 3 页``)
at the top or bottom; a table drawn without ruling lines among them is
read by `pdf_tables`, across page breaks.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import IO, Any

from attrs import evolve

from govdisclosure.errors import InputError
from govdisclosure.pipeline.inputs.pdf_lattice import tables, words
from govdisclosure.pipeline.inputs.pdf_layer import Page, pdf_pages
from govdisclosure.pipeline.inputs.pdf_plumber import plumber_pages
from govdisclosure.pipeline.inputs.pdf_tables import unruled_rows
from govdisclosure.pipeline.inputs.pdf_words import TextLine, folded, text_lines
from govdisclosure.pipeline.inputs.pipes import MarkupCell, table_lines

__all__ = ["pdf_text"]


def pdf_text(path: Path | IO[bytes]) -> str:
    """Each page's text, its tables as pipe rows, page numbers and footers left out.

    The pages are read by PDFium; by pdfminer, ten times slower, where
    a font is not in the PDF (`pdf_layer.Page.borrowed`) or PDFium cannot
    open the file. Ruled tables are
    read from their lines (pdfplumber's lattice, `pdf_lattice`); a table
    drawn without lines is read from its words' positions (`unruled_rows`),
    across page breaks: the pages are stacked, so a table that goes on on
    the next page without its header keeps its columns.

    The page count is checked before any page is read (`InputLimits`); an
    encrypted PDF and a text layer of glyph codes are said as such.
    """
    data = path.read_bytes() if isinstance(path, Path) else path.read()
    pages = pdf_pages(data)
    # damaged for PDFium, or measured with the machine's fonts: pdfminer reads it
    if pages is None or any(p.borrowed for p in pages):
        pages = plumber_pages(data)
    return _pages_text(pages)


def _pages_text(pages: list[Page]) -> str:
    """The pages' text, stacked (`pdf_text`), whichever reader read them."""
    _readable(pages)
    items: list[tuple[float, list[str]] | TextLine] = []
    for n, page in enumerate(pages):
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
    return "\n".join(lines) + "\n"


def _readable(pages: list[Page]) -> None:
    """Refuse a text layer most of whose glyphs have no character.

    A PDF whose fonts have no map from glyphs to characters (often one made
    not to be copied) gives glyph codes only (pdfminer wrote them
    ``(cid:N)``); parsing them would only say "not a known format".
    """
    glyphs = sum(p.glyphs for p in pages)
    rest = sum(1 for p in pages for c in p.chars if not c.text.isspace())
    if glyphs and glyphs >= rest:
        raise InputError(
            f"the PDF's text layer is unreadable (cid glyphs): {glyphs:,} of its "
            f"{glyphs + rest:,} characters are glyph codes without a character "
            "(its fonts have no Unicode map, as in a PDF protected from copying); "
            "OCR the PDF or copy its text another way, and call load()"
        )


#: How far apart pages are stacked (PDF points; a page is at most 14 400 high).
_PAGE = 100_000.0


def _page_items(page: Page, offset: float) -> list[tuple[float, list[str]] | TextLine]:
    """A page's ruled tables as pipe rows, and its other text lines, moved down by ``offset``."""
    ruled = tables(page.edges)
    boxes = [t.bbox for t in ruled]
    items: list[tuple[float, list[str]] | TextLine] = []
    for table in ruled:
        rows = [
            [MarkupCell(folded(text or "")) for text in row if text is not None]
            for row in table.rows(page.chars)
        ]
        items.append((offset + table.bbox[1], list(table_lines(rows))))
    outside = [
        w
        for w in words(page.chars)
        if not any(_inside(_middle(w), box) for box in boxes)
    ]
    for line in _without_furniture(text_lines(outside), page.height):
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
