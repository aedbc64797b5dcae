"""A .docx file → its text: paragraphs and tables in document order (the ``docx`` extra).

Merged cells are written by the rules of `pipes`: a ``vMerge`` continuation
is left out, an empty cell is written once per column of its ``gridSpan``.
"""

from __future__ import annotations

from pathlib import Path

from govdisclosure.errors import require_extra
from govdisclosure.pipeline.inputs.pipes import MarkupCell, table_lines

__all__ = ["docx_text"]


def docx_text(path: Path) -> str:
    """Paragraphs and tables in document order; merged cells as in HTML."""
    docx = require_extra("docx", "docx", "reading .docx files")
    document = docx.Document(str(path))
    qn = docx.oxml.ns.qn
    lines: list[str] = []
    for block in document.element.body.iterchildren():
        if block.tag == qn("w:p"):
            text = "".join(t.text or "" for t in block.iter(qn("w:t"))).strip()
            if text:
                lines.append(text)
        elif block.tag == qn("w:tbl"):
            rows = []
            for tr in block.iter(qn("w:tr")):
                row = []
                for tc in tr.iterchildren(qn("w:tc")):
                    if tc.vMerge == "continue":
                        continue  # covered by the merged cell above
                    text = " ".join(
                        "".join(t.text or "" for t in p.iter(qn("w:t")))
                        for p in tc.iterchildren(qn("w:p"))
                    )
                    row.append(MarkupCell(text, tc.grid_span))
                rows.append(row)
            lines += table_lines(rows)
    return "\n".join(lines) + "\n"
