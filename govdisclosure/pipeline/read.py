"""A file → the report's text: encodings, HTML tables, and (extras) PDF and .docx.

This is the step before `normalize`: everything after it sees plain text.
Tables are written as pipe rows, one markup cell per cell, in the order the
markup gives them. That is the layout the grid reads best: cell boundaries are
exact (no digits glued into ``000000``), and an empty cell is an explicit
empty cell. Spans are read, not guessed:

* a cell covered by a ``rowspan`` from a row above is not repeated (the
  merged label is written once, in its first row, as publishing systems do);
* an *empty* cell spanning several columns is written as that many empty
  cells, so the values after it keep their positions; a cell with text is
  written once, whatever its ``colspan``.

The same rules serve .docx (``gridSpan``, ``vMerge``) and PDF tables (a merged
cell is ``None`` in pdfplumber's grid).
"""

from __future__ import annotations

import codecs
import re
import sys
from collections.abc import Iterable, Iterator, Sequence
from enum import Enum
from pathlib import Path
from typing import Any

from attrs import frozen

from govdisclosure.errors import InputError, MissingExtraError, require_extra

__all__ = [
    "HTML_SUFFIXES",
    "READABLE_SUFFIXES",
    "Decoded",
    "HowRead",
    "decode",
    "html_to_text",
    "looks_like_html",
    "read_text",
]

HTML_SUFFIXES = (".html", ".htm", ".shtml", ".xhtml")
#: The suffixes a folder is searched for (`batch.expand_paths`).
READABLE_SUFFIXES = (".txt", *HTML_SUFFIXES, ".pdf", ".docx")

# BOMs first: they are certain. UTF-32 before UTF-16 (same first two bytes).
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
#: Legacy encodings of Chinese text; GB18030 is a superset of GB2312 and GBK.
_LEGACY = ("gb18030", "big5")
_SUPERSET = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "cp936": "gb18030",
}
_META_CHARSET = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I
)


class HowRead(str, Enum):
    """How a file's text was read: how its encoding was chosen, or extracted.

    A ``str`` enum: a member equals its value and prints as it (``how ==
    "utf-8"``, ``f"({how})"`` gives ``(utf-8)``), as when this was a string.
    """

    GIVEN = "given"  # the caller's encoding
    BOM = "bom"  # a byte-order mark
    UTF8 = "utf-8"  # the bytes are valid UTF-8
    DECLARED = "declared"  # an HTML page's <meta charset>
    DETECTED = "detected"  # GB18030 or Big5, whichever reads (or the likelier)
    EXTRACTED = "extracted"  # the text of a .pdf or .docx

    def __str__(self) -> str:
        return self.value


@frozen
class Decoded:
    """A file's text and how it was read (said in an ``input.encoding`` finding)."""

    text: str
    encoding: str
    how: HowRead


def decode(data: bytes, encoding: str | None = None, *, html: bool = False) -> Decoded:
    """Bytes → text: the given encoding, a BOM, UTF-8, a declared charset, or detected.

    Detection only chooses between GB18030 and Big5 (charset-normalizer
    judges which reading is coherent Chinese); a file neither reads cleanly as
    is refused rather than decoded with replacement characters, which would
    turn numbers and labels into noise silently.
    """
    if encoding:
        return Decoded(_strict(data, encoding), encoding, HowRead.GIVEN)
    for bom, name in _BOMS:
        if data.startswith(bom):
            return Decoded(_strict(data, name), name.removesuffix("-sig"), HowRead.BOM)
    try:
        return Decoded(data.decode("utf-8"), "utf-8", HowRead.UTF8)
    except UnicodeDecodeError:
        pass
    if html and (declared := _META_CHARSET.search(data[:4096])):
        name = declared.group(1).decode("ascii").lower()
        name = _SUPERSET.get(name, name)
        try:
            return Decoded(data.decode(name), name, HowRead.DECLARED)
        except (LookupError, UnicodeDecodeError):
            pass  # a wrong declaration is common: detect instead
    return _detect(data)


def _strict(data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except LookupError as exc:
        raise InputError(f"unknown encoding {encoding!r}") from exc
    except UnicodeDecodeError as exc:
        raise InputError(
            f"not valid {encoding} at byte {exc.start}: {exc.reason}"
        ) from exc


def _detect(data: bytes) -> Decoded:
    from charset_normalizer import from_bytes

    readings = {
        name: text for name in _LEGACY if (text := _decoded(data, name)) is not None
    }
    if len(readings) == 1:
        ((name, text),) = readings.items()
        return Decoded(text, name, HowRead.DETECTED)
    if readings:
        best = from_bytes(data, cp_isolation=list(readings)).best()
        if best is not None:
            name = _SUPERSET.get(best.encoding, best.encoding)
            text = readings.get(name)
            return Decoded(
                data.decode(name) if text is None else text, name, HowRead.DETECTED
            )
    raise InputError(
        "cannot tell the text encoding (not UTF-8, GB18030 or Big5); "
        "pass encoding=... or decode the text yourself and call load()"
    )


def _decoded(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        return None


def looks_like_html(text: object) -> bool:
    """Whether a string is HTML markup rather than a page's text."""
    if not isinstance(text, str):
        return False  # load() refuses it with a clear message
    head = text[:1024].lstrip("\ufeff \t\r\n").lower()
    return head.startswith(("<!doctype html", "<html", "<?xml")) or (
        head.startswith("<") and "<table" in text.lower()
    )


def read_text(path: str | Path, *, encoding: str | None = None) -> Decoded:
    """The text of a report file, by suffix: text, HTML, .pdf or .docx.

    ``-`` is standard input, read as bytes and decoded like a text file.

    Raises:
        InputError: the file cannot be read or decoded.
        MissingExtraError: a .pdf or .docx file without its extra installed.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    extractors = {".pdf": _pdf_text, ".docx": _docx_text}
    if suffix in extractors:
        try:
            return Decoded(extractors[suffix](path), suffix[1:], HowRead.EXTRACTED)
        except MissingExtraError:
            raise
        except Exception as exc:  # the extractor's own errors: a damaged file
            raise InputError(
                f"{path}: cannot read as {suffix[1:]}: {type(exc).__name__}: {exc}"
            ) from exc
    try:
        data = sys.stdin.buffer.read() if str(path) == "-" else path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc}") from exc
    try:
        return decode(data, encoding, html=suffix in HTML_SUFFIXES)
    except InputError as exc:
        raise InputError(f"{path}: {exc}") from exc


# --- tables as pipe rows -----------------------------------------------------


@frozen
class _Cell:
    text: str
    colspan: int = 1


def _table_lines(rows: Iterable[Sequence[_Cell]]) -> Iterator[str]:
    """Markup rows → pipe lines: text cells once, empty cells once per column."""
    for row in rows:
        cells: list[str] = []
        for cell in row:
            text = " ".join(cell.text.replace("|", " ").split())
            cells += [text] if text else [""] * max(cell.colspan, 1)
        if any(cells):
            yield "| " + " | ".join(cells) + " |"


# --- HTML --------------------------------------------------------------------

_SKIP = frozenset({"script", "style", "head", "noscript", "template", "svg", "iframe"})
_BLOCK = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "br",
        "caption",
        "center",
        "dd",
        "div",
        "dl",
        "dt",
        "figcaption",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "li",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "tr",
        "ul",
    ]
)


def html_to_text(markup: str) -> str:
    """A saved web page → its text, tables as pipe rows (see the module doc).

    A table that holds another table is page layout: its cells are read as
    ordinary blocks of text. Only innermost tables are data tables.
    """
    from lxml import etree, html

    markup = markup.lstrip("\ufeff")
    if not markup.strip():
        return ""
    # an XML declaration in a str makes lxml refuse it; the text is decoded already
    markup = re.sub(r"^\s*<\?xml[^>]*>", "", markup)
    lines: list[str] = []
    text: list[str] = []

    def flush() -> None:
        line = " ".join("".join(text).split())
        text.clear()
        if line:
            lines.append(line)

    def walk(element: Any) -> None:
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag in _SKIP:
            return
        if tag == "table" and next(element.iterdescendants("table"), None) is None:
            flush()
            lines.extend(_table_lines(_html_rows(element)))
            return
        if tag in _BLOCK:
            flush()
        text.append(element.text or "")
        for child in element:
            walk(child)
            text.append(child.tail or "")
        if tag in _BLOCK:
            flush()

    parser = html.HTMLParser()
    try:
        root = html.document_fromstring(markup, parser=parser)
    except etree.ParserError:  # nothing but comments or whitespace
        return "\n"
    fatal = [e for e in parser.error_log if e.level_name == "FATAL"]
    if fatal:  # lxml stopped reading there: what follows would be lost silently
        raise InputError(
            f"cannot read the page's markup past line {fatal[0].line}: "
            f"{fatal[0].message} (extract the report's text and call load())"
        )
    body = root.find("body")
    walk(body if body is not None else root)
    flush()
    return "\n".join(lines) + "\n"


def _html_rows(table: Any) -> Iterator[list[_Cell]]:
    for tr in table.iter("tr"):
        yield [
            _Cell(_cell_text(td), _span(td.get("colspan")))
            for td in tr
            if td.tag in ("td", "th")
        ]


def _cell_text(element: Any) -> str:
    """A cell's text, with a space where a <br> or a block breaks it."""
    parts = [element.text or ""]
    for child in element:
        if isinstance(child.tag, str) and child.tag not in _SKIP:
            if child.tag in _BLOCK:
                parts.append(" ")
            parts.append(_cell_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


#: No statutory table is wider; a larger colspan is treated as this many columns.
MAX_COLSPAN = 100


def _span(value: str | None) -> int:
    digits = re.match(r"\s*(\d{1,3})", value or "")
    return min(int(digits.group(1)), MAX_COLSPAN) if digits else 1


# --- optional extras: PDF and .docx -------------------------------------------


def _docx_text(path: Path) -> str:
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
                    row.append(_Cell(text, tc.grid_span))
                rows.append(row)
            lines += _table_lines(rows)
    return "\n".join(lines) + "\n"


def _pdf_text(path: Path) -> str:
    """Each page's text outside its ruled tables, with the tables as pipe rows.

    Only ruled (lattice) tables are read as tables; a table drawn without
    lines comes out as the page's text lines, which the grid reads too.
    """
    pdfplumber = require_extra("pdfplumber", "pdf", "reading PDF files")
    lines: list[str] = []
    with pdfplumber.open(str(path)) as pdf:
        for page in pdf.pages:
            tables = page.find_tables()
            boxes = [t.bbox for t in tables]
            placed: list[tuple[float, list[str]]] = []
            for table in tables:
                rows = [
                    [_Cell(text or "") for text in row if text is not None]
                    for row in table.extract()
                ]
                placed.append((table.bbox[1], list(_table_lines(rows))))
            for line in page.extract_text_lines():
                middle = (
                    (line["x0"] + line["x1"]) / 2,
                    (line["top"] + line["bottom"]) / 2,
                )
                if not any(_inside(middle, box) for box in boxes):
                    placed.append((line["top"], [line["text"]]))
            for _, text in sorted(placed, key=lambda item: item[0]):
                lines += text
    return "\n".join(lines) + "\n"


def _inside(point: tuple[float, float], box: tuple[float, float, float, float]) -> bool:
    x, y = point
    return box[0] <= x <= box[2] and box[1] <= y <= box[3]
