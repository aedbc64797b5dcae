"""Real-looking input files made from a rendered HTML page: .docx and .pdf.

The page (`govdisclosure.testing.render`, layout ``html``) has the official
merged cells as rowspan/colspan; here they become Word merges (gridSpan and
vMerge, made by python-docx) and ruled PDF tables with spanned cells (made by
reportlab with its built-in Song font, as a word processor would print them).
"""

from __future__ import annotations

from pathlib import Path

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


def write_pdf(page: str, path: Path, *, rules: bool = True) -> None:
    """The page as a PDF: its tables ruled (a grid), or unruled (cells placed only).

    An unruled table is what many offices publish: pdfplumber finds no
    lines to build a table from, and only the words' positions say the columns.
    """
    from reportlab.lib.pagesizes import A3
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    style = ParagraphStyle("song", fontName="STSong-Light", fontSize=7, leading=9)
    story = []
    for block in page_blocks(page):
        if isinstance(block, str):
            story.append(Paragraph(block, style))
            continue
        n_rows, n_cols = _size(block)
        grid: list[list[object]] = [[""] * n_cols for _ in range(n_rows)]
        spans = []
        for row in block:
            for text, r, c, rs, cs in row:
                grid[r][c] = Paragraph(text, style) if text else ""
                if rs > 1 or cs > 1:
                    spans.append(("SPAN", (c, r), (c + cs - 1, r + rs - 1)))
        table = Table(grid, colWidths=[780 / n_cols] * n_cols)
        table.setStyle(
            TableStyle(
                [
                    *([("GRID", (0, 0), (-1, -1), 0.5, "black")] if rules else []),
                    ("FONTNAME", (0, 0), (-1, -1), "STSong-Light"),
                    ("FONTSIZE", (0, 0), (-1, -1), 7),
                    *spans,
                ]
            )
        )
        story.append(table)
    SimpleDocTemplate(str(path), pagesize=A3, leftMargin=30, rightMargin=30).build(
        story
    )
