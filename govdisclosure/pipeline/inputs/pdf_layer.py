"""A PDF's pages → their characters and ruling lines, read by PDFium (pypdfium2; the ``pdf`` extra).

PDFium parses a page in C, a few milliseconds a page, where pdfminer took
tens; the positions are given as pdfminer gave them (top-left origin, a
character as high as its font size, standing on its font's descent), so the
words, lines and tables built on them (`pdf_lattice`, `pdf_words`,
`pdf_tables`) read the same.
"""

from __future__ import annotations

import ctypes
import functools
import math
import threading
from collections.abc import Iterable
from typing import Any, NamedTuple

from govdisclosure.errors import InputError, require_extra
from govdisclosure.pipeline.inputs.limits import current_input_limits, over

__all__ = ["Char", "Edge", "Page", "pdf_pages"]


class Char(NamedTuple):
    """A character of the text layer, where it stands (points from the page's top left)."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float


class Edge(NamedTuple):
    """A straight horizontal or vertical piece of a drawn path (a ruling line, a box's side)."""

    x0: float
    top: float
    x1: float
    bottom: float
    vertical: bool


class Page(NamedTuple):
    """A page's characters and edges.

    ``glyphs``: its glyphs without a character. ``borrowed``: its text
    objects in fonts the PDF does not carry (`_borrowed`): where there are
    any, the characters are not all to be trusted.
    """

    height: float
    chars: list[Char]
    edges: list[Edge]
    glyphs: int = 0
    borrowed: int = 0


#: PDFium is not thread-safe: one document is read at a time in a process.
_LOCK = threading.Lock()

#: Forms drawn in forms deeper than this are not looked into (a hostile loop).
_DEPTH = 15


def pdf_pages(data: bytes) -> list[Page] | None:
    """Every page's characters and edges; the page count is checked before any is read.

    An encrypted PDF (a password to open it) is an `InputError`, as is one
    of more pages than `InputLimits.max_pdf_pages`. None if PDFium cannot
    open the file or one of its pages (damaged): pdfminer may read it. The
    pages stop at the first that uses a font the PDF does not carry
    (`Page.borrowed`, without its characters): pdfminer reads that file.
    """
    pdfium = require_extra("pypdfium2", "pdf", "reading PDF files")
    with _LOCK:
        doc = _opened(pdfium, data)
        if doc is None:
            return None
        try:
            count = len(doc)  # the page tree's count: no page is loaded
            check_page_count(count)
            return _read(doc, count)
        except pdfium.PdfiumError:
            return None
        finally:
            doc.close()


def _read(doc: Any, count: int) -> list[Page]:
    """The pages, up to the first that uses a font the PDF does not carry."""
    pages: list[Page] = []
    for n in range(count):
        pages.append(_page(doc[n]))
        if pages[-1].borrowed:  # the rest is pdfminer's to read
            break
    return pages


def _opened(pdfium: Any, data: bytes) -> Any:
    """The open document, None if PDFium cannot open it; an encrypted one is an `InputError`."""
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        code = getattr(exc, "err_code", None)
        if code == pdfium.raw.FPDF_ERR_PASSWORD:
            raise needs_password() from exc
        if code == pdfium.raw.FPDF_ERR_SECURITY:
            raise cannot_decrypt(exc) from exc
        return None


def check_page_count(count: int) -> None:
    """Refuse a PDF of more pages than `InputLimits.max_pdf_pages` (either reader)."""
    if count > current_input_limits().max_pdf_pages:
        raise over(f"the PDF has {count:,} pages", "max_pdf_pages")


def needs_password() -> InputError:
    """What either reader says of a PDF encrypted with a password to open it."""
    return InputError(
        "the PDF is encrypted (it needs a password to open): not read; "
        "decrypt it first (e.g. qpdf --decrypt --password=... in.pdf out.pdf)"
    )


def cannot_decrypt(exc: Exception) -> InputError:
    """What either reader says of a PDF encrypted in a way it cannot read."""
    return InputError(
        f"the PDF is encrypted in a way that cannot be read ({exc}): not read"
    )


class _View(NamedTuple):
    """Page space (PDF points, origin bottom left) → the page as shown (origin top left)."""

    left: float
    bottom: float
    right: float
    top: float
    rotation: int

    @property
    def height(self) -> float:
        if self.rotation in (90, 270):
            return self.right - self.left
        return self.top - self.bottom

    def point(self, x: float, y: float) -> tuple[float, float]:
        """A point as shown: the page turned clockwise by its ``/Rotate``."""
        if self.rotation == 90:
            return y - self.bottom, x - self.left
        if self.rotation == 180:
            return self.right - x, y - self.bottom
        if self.rotation == 270:
            return self.top - y, self.right - x
        return x - self.left, self.top - y


def _page(page: Any) -> Page:
    """A page's characters and edges, where they are shown."""
    try:
        x0, y0, x1, y1 = page.get_mediabox()  # as pdfminer: not the crop box
        (left, right), (bottom, top) = sorted((x0, x1)), sorted((y0, y1))  # any corners
        view = _View(left, bottom, right, top, page.get_rotation() % 360)
        edges, borrowed = _edges(page.raw, view)
        if borrowed:  # pdfminer reads the file: its characters are not asked for
            return Page(view.height, [], edges, 0, borrowed)
        textpage = page.get_textpage()
        try:
            chars, glyphs = _chars(textpage.raw, view)
        finally:
            textpage.close()
        return Page(view.height, chars, edges, glyphs)
    finally:
        page.close()


def _chars(raw: Any, view: _View) -> tuple[list[Char], int]:
    """The text layer's characters, and the count of glyphs it gives no character for.

    A character's box is as wide as its advance and as high as its font
    size, standing on its font's descent (PDFium's loose box gives the
    width and the descent; its height is the font's ascent, which for a
    Latin font is well above the Han characters beside it on the line).
    PDFium's own spaces and line breaks between words are left out: where
    words part is read from the gaps (`pdf_lattice.words`).
    """
    import pypdfium2.raw as c

    box, matrix = c.FS_RECTF(), c.FS_MATRIX()
    generated, unmapped = c.FPDFText_IsGenerated, c.FPDFText_HasUnicodeMapError
    unicode, loose, size_of = (
        c.FPDFText_GetUnicode,
        c.FPDFText_GetLooseCharBox,
        c.FPDFText_GetFontSize,
    )
    matrix_of, hypot = c.FPDFText_GetMatrix, math.hypot
    # (text, left, right, bottom, top, size) in page space, then as shown
    found: list[tuple[str, float, float, float, float, float]] = []
    glyphs = 0
    for n in range(c.FPDFText_CountChars(raw)):
        code = unicode(raw, n)
        if not 0 < code < 0x110000:
            continue
        text = chr(code)
        # PDFium's own characters are spaces and line breaks: only these are asked about
        if text.isspace() and generated(raw, n) == 1:
            continue
        if unmapped(raw, n) == 1:
            glyphs += 1
        elif loose(raw, n, box):
            matrix_of(raw, n, matrix)
            size = size_of(raw, n) * hypot(matrix.c, matrix.d)
            found.append((text, box.left, box.right, box.bottom, box.top, size))
    return _shown(found, view), glyphs


def _shown(
    found: list[tuple[str, float, float, float, float, float]], view: _View
) -> list[Char]:
    """Characters in page space (their loose box and size) → where they are shown."""
    if view.rotation == 0:  # the common case, without a call per character
        left, top = view.left, view.top
        return [
            Char(t, x0 - left, x1 - left, top - y0 - size, top - y0)
            for t, x0, x1, y0, _, size in found
        ]
    chars = []
    for text, x0, x1, y0, y1, size in found:
        xa, ya = view.point(x0, y0)
        xb, yb = view.point(x1, y1)
        bottom = max(ya, yb)
        chars.append(Char(text, min(xa, xb), max(xa, xb), bottom - size, bottom))
    return chars


def _edges(page: Any, view: _View) -> tuple[list[Edge], int]:
    """The straight horizontal and vertical pieces of the page's paths, forms' included.

    And the count of text objects in fonts the PDF does not carry (`_borrowed`).
    """
    import pypdfium2.raw as c

    edges: list[Edge] = []
    objects = map(
        functools.partial(c.FPDFPage_GetObject, page),
        range(c.FPDFPage_CountObjects(page)),
    )
    borrowed = _walk(objects, (1.0, 0.0, 0.0, 1.0, 0.0, 0.0), view, edges, 0)
    return edges, borrowed


_Matrix = tuple[float, float, float, float, float, float]


def _walk(
    objects: Iterable[Any], outer: _Matrix, view: _View, edges: list[Edge], depth: int
) -> int:
    """Add the edges of ``objects`` (drawn through ``outer``), looking into forms.

    Returns the count of text objects in fonts the PDF does not carry (`_borrowed`).
    """
    import pypdfium2.raw as c

    fs = c.FS_MATRIX()
    kind_of, text, path, form = (
        c.FPDFPageObj_GetType,
        c.FPDF_PAGEOBJ_TEXT,
        c.FPDF_PAGEOBJ_PATH,
        c.FPDF_PAGEOBJ_FORM,
    )
    borrowed = 0
    for obj in objects:
        kind = kind_of(obj)
        if kind == text:
            borrowed += _borrowed(obj)
        elif kind in (path, form) and c.FPDFPageObj_GetMatrix(obj, fs):
            matrix = _times((fs.a, fs.b, fs.c, fs.d, fs.e, fs.f), outer)
            if kind == path:
                edges += _path_edges(obj, matrix, view)
            elif depth < _DEPTH:
                inner = map(
                    functools.partial(c.FPDFFormObj_GetObject, obj),
                    range(c.FPDFFormObj_CountObjects(obj)),
                )
                borrowed += _walk(inner, matrix, view, edges, depth + 1)
    return borrowed


def _borrowed(obj: Any) -> int:
    """1 if the text object's font is not in the PDF, else 0.

    PDFium measures the glyphs of a font the PDF does not carry with a font
    of the machine's (or its own): their boxes then depend on the machine
    (a digit of a Song font measured in a Latin one is a point wider than
    its advance), and a one-glyph text object the machine has no font for
    (a Han character alone on a line, where no Chinese font is installed)
    has no width and is left out of the text without a word. pdfminer reads
    such a PDF from the PDF alone (`pdf_plumber`).
    """
    import pypdfium2.raw as c

    font = c.FPDFTextObj_GetFont(obj)
    return 0 if font and c.FPDFFont_GetIsEmbedded(font) == 1 else 1


def _times(m: _Matrix, n: _Matrix) -> _Matrix:
    """``m`` then ``n``: PDF matrices, row vectors."""
    a, b, c, d, e, f = m
    p, q, r, s, t, u = n
    return (
        a * p + b * r,
        a * q + b * s,
        c * p + d * r,
        c * q + d * s,
        e * p + f * r + t,
        e * q + f * s + u,
    )


def _path_edges(obj: Any, m: _Matrix, view: _View) -> list[Edge]:
    """A path's straight pieces that are horizontal or vertical, its closing pieces too.

    A curve's pieces are no ruling line; a slanted line is none either.
    """
    import pypdfium2.raw as c

    x, y = ctypes.c_float(), ctypes.c_float()
    edges: list[Edge] = []
    start = here = (0.0, 0.0)
    for k in range(c.FPDFPath_CountSegments(obj)):
        segment = c.FPDFPath_GetPathSegment(obj, k)
        if not c.FPDFPathSegment_GetPoint(segment, ctypes.byref(x), ctypes.byref(y)):
            continue
        point = view.point(
            m[0] * x.value + m[2] * y.value + m[4],
            m[1] * x.value + m[3] * y.value + m[5],
        )
        kind = c.FPDFPathSegment_GetType(segment)
        if kind == c.FPDF_SEGMENT_MOVETO:
            start = point
        elif kind == c.FPDF_SEGMENT_LINETO:
            edges += _edge(here, point)
        here = point
        if c.FPDFPathSegment_GetClose(segment):
            edges += _edge(here, start)
            here = start
    return edges


#: Points closer than this are on one line (a matrix's rounding, not a slant).
_STRAIGHT = 1e-3


def _edge(a: tuple[float, float], b: tuple[float, float]) -> list[Edge]:
    (xa, ya), (xb, yb) = a, b
    if abs(xa - xb) <= _STRAIGHT:
        x = (xa + xb) / 2
        return [Edge(x, min(ya, yb), x, max(ya, yb), True)]
    if abs(ya - yb) <= _STRAIGHT:
        y = (ya + yb) / 2
        return [Edge(min(xa, xb), y, max(xa, xb), y, False)]
    return []
