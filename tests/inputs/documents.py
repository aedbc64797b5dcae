"""Real-looking input files made from a rendered HTML page: .docx and .pdf.

The page (`govdisclosure.testing.render`, layout ``html``) has the official
merged cells as rowspan/colspan; here they become Word merges (gridSpan and
vMerge, made by python-docx) and ruled PDF tables with spanned cells (made by
reportlab with its built-in Song font, as a word processor would print them).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lxml import html

Block = (
    str | list[list[tuple[str, int, int, int, int]]]
)  # text, or cells (r, c, rs, cs)


def page_blocks(page: str) -> list[Block]:
    """The page's paragraphs and its data tables, cells placed on a grid."""
    root = html.document_fromstring(page)
    blocks: list[Block] = []
    for element in root.iter("p", "table"):
        if element.tag == "p":
            blocks.append(element.text_content())
        elif next(element.iterdescendants("table"), None) is None:
            blocks.append(_placed(element))
    return blocks


def _placed(table: html.HtmlElement) -> list[list[tuple[str, int, int, int, int]]]:
    taken: set[tuple[int, int]] = set()
    rows = []
    for r, tr in enumerate(table.iter("tr")):
        row = []
        c = 0
        for td in tr:
            while (r, c) in taken:
                c += 1
            rs, cs = int(td.get("rowspan", 1)), int(td.get("colspan", 1))
            text = " ".join(t.strip() for t in td.itertext())  # <br> → a space
            row.append((text, r, c, rs, cs))
            taken |= {(r + i, c + j) for i in range(rs) for j in range(cs)}
            c += cs
        rows.append(row)
    return rows


def _size(cells: list[list[tuple[str, int, int, int, int]]]) -> tuple[int, int]:
    flat = [cell for row in cells for cell in row]
    return (
        max(r + rs for _, r, _, rs, _ in flat),
        max(c + cs for _, _, c, _, cs in flat),
    )


def write_docx(page: str, path: Path) -> None:
    import docx

    document = docx.Document()
    for block in page_blocks(page):
        if isinstance(block, str):
            document.add_paragraph(block)
            continue
        n_rows, n_cols = _size(block)
        table = document.add_table(rows=n_rows, cols=n_cols)
        for row in block:
            for text, r, c, rs, cs in row:
                cell = table.cell(r, c)
                if rs > 1 or cs > 1:
                    cell = cell.merge(table.cell(r + rs - 1, c + cs - 1))
                cell.text = text
    document.save(str(path))


@dataclass(frozen=True)
class PdfLook:
    """How a PDF prints its tables: the ways real reports differ from one another.

    ``rules=False`` is an unruled table: pdfplumber finds no lines to build a
    table from, and only the words' positions say the columns. ``padding=0``
    puts rows as close as the lines of a wrapped label (a word processor's
    table without cell margins); ``valign`` is where a cell's text stands
    when its row is taller (a wrapped label beside it, a merged cell);
    ``align`` is where numbers stand in their cells; ``footer`` is printed at
    each page's foot (``{n}`` its number) and ``page`` is the paper, A4 for
    tables that run across a page break; ``spaced`` writes a space between
    Han and digits in the paragraphs, as text layers do (``2023 年``).
    """

    rules: bool = True
    padding: float = 3
    valign: str = "BOTTOM"
    align: str = "LEFT"
    footer: str | None = None
    page: str = "A3"
    spaced: bool = False


UNRULED = PdfLook(rules=False)
_HAN_DIGIT = re.compile(r"(?<=[\u4e00-\u9fff])(?=\d)|(?<=\d)(?=[\u4e00-\u9fff])")
_NUMBER = re.compile(r"[\d.,]+")


def write_pdf(page: str, path: Path, look: PdfLook = PdfLook()) -> None:
    """The page as a PDF, printed with reportlab's Song font as ``look`` says."""
    from reportlab.lib import pagesizes
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    style = ParagraphStyle("song", fontName="STSong-Light", fontSize=7, leading=9)
    aligns = {"LEFT": 0, "CENTER": 1, "RIGHT": 2}
    number = ParagraphStyle("number", style, alignment=aligns[look.align])
    size = getattr(pagesizes, look.page)
    story: list[Any] = []
    for block in page_blocks(page):
        if isinstance(block, str):
            text = _HAN_DIGIT.sub(" ", block) if look.spaced else block
            story.append(Paragraph(text, style))
        else:
            story.append(_pdf_table(block, look, size[0] - 60, style, number))

    def footer(canvas: Any, document: Any) -> None:
        if look.footer:
            canvas.setFont("STSong-Light", 9)
            canvas.drawCentredString(
                size[0] / 2, 20, look.footer.format(n=document.page)
            )

    SimpleDocTemplate(str(path), pagesize=size, leftMargin=30, rightMargin=30).build(
        story, onFirstPage=footer, onLaterPages=footer
    )


def _pdf_table(
    block: list[list[tuple[str, int, int, int, int]]],
    look: PdfLook,
    width: float,
    style: Any,
    number: Any,
) -> Any:
    from reportlab.platypus import Paragraph, Table, TableStyle

    n_rows, n_cols = _size(block)
    grid: list[list[object]] = [[""] * n_cols for _ in range(n_rows)]
    spans = []
    for row in block:
        for text, r, c, rs, cs in row:
            kind = number if _NUMBER.fullmatch(text) else style
            grid[r][c] = Paragraph(text, kind) if text else ""
            if rs > 1 or cs > 1:
                spans.append(("SPAN", (c, r), (c + cs - 1, r + rs - 1)))
    table = Table(grid, colWidths=[width / n_cols] * n_cols, repeatRows=0)
    table.setStyle(
        TableStyle(
            [
                *([("GRID", (0, 0), (-1, -1), 0.5, "black")] if look.rules else []),
                ("FONTNAME", (0, 0), (-1, -1), "STSong-Light"),
                ("FONTSIZE", (0, 0), (-1, -1), 7),
                ("VALIGN", (0, 0), (-1, -1), look.valign),
                ("TOPPADDING", (0, 0), (-1, -1), look.padding),
                ("BOTTOMPADDING", (0, 0), (-1, -1), look.padding),
                *spans,
            ]
        )
    )
    return table
