"""A .docx file → its text: paragraphs and tables in document order (the ``docx`` extra).

Merged cells are written by the rules of `pipes`: a ``vMerge`` continuation
is left out, an empty cell is written once per column of its ``gridSpan``.
A .docx is a zip of XML parts: its size unzipped, its parts and their tags
are checked from the zip before python-docx parses anything (`InputLimits`).
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import IO

from govdisclosure.errors import require_extra
from govdisclosure.pipeline.inputs.limits import CellBudget, current_input_limits, over
from govdisclosure.pipeline.inputs.pipes import MarkupCell, table_lines

__all__ = ["docx_text"]


def docx_text(path: Path | IO[bytes]) -> str:
    """Paragraphs and tables in document order; merged cells as in HTML."""
    docx = require_extra("docx", "docx", "reading .docx files")
    source = str(path) if isinstance(path, Path) else path
    _check_zip(source)
    if not isinstance(source, str):
        source.seek(0)
    document = docx.Document(source)
    cells = CellBudget()
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
            lines += table_lines(rows, cells)
    return "\n".join(lines) + "\n"


def _check_zip(source: str | IO[bytes]) -> None:
    """Refuse a .docx too large once unzipped, before python-docx reads any of it.

    The zip's directory gives the parts and their unzipped sizes (a zip
    reader stops at the size it declares, so it cannot lie to the parser);
    the tags of each XML part (a part starting with ``<``) are counted by
    unzipping it in pieces: 633 KB of ``<w:p/>`` is 6 million paragraphs,
    3 GB once parsed. A damaged zip is left to python-docx to refuse.
    """
    limits = current_input_limits()
    try:
        archive = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, OSError):
        return
    with archive:
        infos = archive.infolist()
        if len(infos) > limits.max_docx_parts:
            raise over(f"the .docx holds {len(infos):,} parts", "max_docx_parts")
        size = sum(info.file_size for info in infos)
        if size > limits.max_docx_bytes:
            raise over(f"the .docx unzips to {size:,} bytes", "max_docx_bytes")
        tags = 0
        for info in infos:
            tags += _tags(archive, info, limits.max_docx_tags - tags)


def _tags(archive: zipfile.ZipFile, info: zipfile.ZipInfo, left: int) -> int:
    """The tags of one part if it is XML (0 if not), refused past ``left``."""
    tags = 0
    with archive.open(info) as part:
        chunk = part.read(1 << 16)
        if not chunk.lstrip(b"\xef\xbb\xbf\xff\xfe\x00 \t\r\n").startswith(b"<"):
            return 0  # media, or not XML: python-docx does not parse it
        while chunk:
            tags += chunk.count(b"<")
            if tags > left:
                raise over(
                    f"the .docx's XML parts hold more tags than allowed ({info.filename})",
                    "max_docx_tags",
                )
            chunk = part.read(1 << 20)
    return tags
