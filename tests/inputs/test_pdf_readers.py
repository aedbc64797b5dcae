"""PDFium reads a PDF's pages as pdfminer read them, ten times faster (issue 20).

PDFium (pypdfium2) gives the characters and ruling lines; pdfminer
(pdfplumber) gave them before and still reads a PDF with a font it does
not carry, which PDFium would measure with the machine's fonts. Both feed the same words, lines and tables
(`pdf_lattice`), so both must give the same characters where they stand,
and the same tables: checked here on the real PDF, on turned pages and on
lines drawn inside a form.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from govdisclosure.pipeline.inputs.pdf import _pages_text, pdf_text
from govdisclosure.pipeline.inputs.pdf_lattice import tables
from govdisclosure.pipeline.inputs.pdf_layer import Char, Page, pdf_pages
from govdisclosure.pipeline.inputs.pdf_plumber import plumber_pages

from .documents import PdfLook, write_pdf
from .test_inputs import OK_CASES, _page

pytest.importorskip("pypdfium2")
pytest.importorskip("pdfplumber")
pytest.importorskip("reportlab")

REAL_PDF = Path(__file__).parent.parent / "data" / "real" / "18-huaian-2024.pdf"


def _unmatched(a: Page, b: Page) -> list[Char]:
    """The characters of ``a`` with none of ``b`` the same within 0.15 point (each used once)."""
    left: dict[str, list[Char]] = {}
    for c in b.chars:
        left.setdefault(c.text, []).append(c)
    out = []
    for c in a.chars:
        same = left.get(c.text, [])
        match = next(
            (
                d
                for d in same
                if all(abs(p - q) <= 0.15 for p, q in zip(c[1:], d[1:], strict=True))
            ),
            None,
        )
        if match is None:
            out.append(c)
        else:
            same.remove(match)
    return out


def _near(a: Page, b: Page) -> bool:
    """The same characters on both pages, each where the other has it (rounding apart)."""
    return not _unmatched(a, b) and not _unmatched(b, a)


def _tables(page: Page) -> list[tuple[float, ...]]:
    return [t.bbox for t in tables(page.edges)]


def _same_tables(a: Page, b: Page) -> bool:
    """The same tables on both pages, their corners within a tenth of a point."""
    ta, tb = _tables(a), _tables(b)
    return len(ta) == len(tb) and all(
        abs(p - q) <= 0.1
        for x, y in zip(ta, tb, strict=True)
        for p, q in zip(x, y, strict=True)
    )


def test_the_real_pdf_is_read_by_pdfium_as_pdfminer_reads_it() -> None:
    """18-huaian-2024.pdf: every character where pdfminer put it, the same tables and text."""
    data = REAL_PDF.read_bytes()
    fast, slow = pdf_pages(data), plumber_pages(data)
    assert fast is not None

    assert [0] * 6 == [p.borrowed for p in fast]  # PDFium reads it: its fonts are in it
    assert [len(p.chars) for p in slow] == [len(p.chars) for p in fast]
    assert all(_near(a, b) for a, b in zip(fast, slow, strict=True))
    assert all(_same_tables(a, b) for a, b in zip(fast, slow, strict=True))
    assert _pages_text(slow) == pdf_text(REAL_PDF)


def test_a_font_not_in_the_pdf_is_read_by_pdfminer(tmp_path: Path) -> None:
    """reportlab prints in Song without carrying the font: pdfminer reads the file.

    Where no Chinese font is installed, PDFium leaves out a wrapped label's
    last character alone on its line (a one-glyph text object without
    width) and measures digits a point wider than their advance: the pages
    say their fonts are borrowed, and the text is pdfminer's.
    """
    page, _ = _page(next(p for p in OK_CASES if p.stem.startswith("hand-pipe")))
    path = tmp_path / "report.pdf"
    write_pdf(page, path, PdfLook(rules=False, align="CENTER", valign="MIDDLE"))
    data = path.read_bytes()

    pages = pdf_pages(data)
    assert pages is not None
    assert pages[-1].borrowed  # the first page that borrows one stops the reading
    text = pdf_text(path)
    assert _pages_text(plumber_pages(data)) == text
    assert "| 4.保护第三方合法权益 | 2 | 0 | 0 | 0 | 0 | 0 | 2 |" in text.splitlines()


def _vera() -> str:
    """reportlab's own TrueType font, carried in the PDF (a subset of it)."""
    import reportlab
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    font = Path(reportlab.__file__).parent / "fonts" / "Vera.ttf"
    pdfmetrics.registerFont(TTFont("Vera", str(font)))
    return "Vera"


def _turned(path: Path, rotate: int, angle: int) -> Path:
    """A page turned by ``/Rotate``, its content drawn turned back (upright as shown)."""
    from reportlab.pdfgen import canvas

    pdf = canvas.Canvas(str(path), pagesize=(400, 600))
    pdf.setPageRotation(rotate)
    pdf.translate(200, 300)
    pdf.rotate(angle)
    pdf.translate(-250, -150)
    pdf.setFont(_vera(), 10)
    pdf.drawString(50, 250, "Total 12 34 56")
    pdf.beginForm("grid")  # the table's lines inside a form, drawn scaled
    for i in range(4):
        pdf.line(50, 100 + 30 * i, 350, 100 + 30 * i)
    for j in range(4):
        pdf.line(50 + 100 * j, 100, 50 + 100 * j, 190)
    pdf.endForm()
    pdf.saveState()
    pdf.translate(50, 100)
    pdf.scale(0.5, 1)
    pdf.translate(-50, -100)
    pdf.doForm("grid")
    pdf.restoreState()
    pdf.drawString(55, 105, "cell 7")
    pdf.drawString(105, 105, "8")
    pdf.drawString(155, 135, "9 10")
    pdf.showPage()
    pdf.save()
    return path


@pytest.mark.parametrize(
    ("rotate", "angle"), [(0, 0), (90, 90), (180, 180), (270, -90)]
)
def test_a_turned_page_and_a_form_are_read_as_shown(
    rotate: int, angle: int, tmp_path: Path
) -> None:
    """``/Rotate`` turns the page as shown; lines in a form are where the form draws them."""
    path = _turned(tmp_path / "turned.pdf", rotate, angle)
    data = path.read_bytes()
    pages, (slow,) = pdf_pages(data), plumber_pages(data)
    assert pages is not None
    (fast,) = pages

    assert 0 == fast.borrowed
    assert _near(fast, slow)
    assert _same_tables(fast, slow)
    assert 1 == len(_tables(fast))
    assert "Total 12 34 56\n|  |  | 9 10 |\n| cell 7 | 8 |  |\n" == pdf_text(path)
