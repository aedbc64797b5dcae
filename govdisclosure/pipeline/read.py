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

The same rules serve .docx (``gridSpan``, ``vMerge``) and ruled PDF tables (a
merged cell is ``None`` in pdfplumber's grid). A PDF table drawn without ruling
lines is read from where its words stand (`_Table`): its value columns from
where the numbers stand and where its header names them, so a cell printed
empty is an explicit empty cell; a label's wrapped lines joined to its row.
Where the positions do not settle the columns, its rows are written without
delimiters, for the next steps to weigh. A PDF's text layer is read as the
text was written: no spaces between Han and digits (``2023 年``), no page
numbers or footers (``- 3 -``, ``第 3 页``).

A saved web page is read as a person sees the report, not as its markup lies:

* report markup a CMS keeps in a script (``let content = "<p>…<table>…"``,
  a JSON blob, ``JSON.parse('…')``, a ``text/template`` script or a
  ``<template>``) is read where the script stands, with the same table rules.
  Whether a string is report markup is decided by its content tags and the
  text between them, never by words of a format; strings are found by a
  scanner that knows only literals and comments and decoded by JSON's or
  JavaScript's escape rules, never evaluated; the work is bounded
  (`MAX_SCRIPT_CHARS`, `MAX_FRAGMENTS`) and a malformed string is skipped.
  Markup the page already shows is not read twice;
* site chrome is left out: ``<nav>``, elements whose class or id names
  navigation, a menu or breadcrumbs, and a page's header and footer (an
  article's own are kept); whatever holds a data table is never left out;
* a page-metadata table (索引号：… 发布机构：… 发布时间：…) becomes
  ``key：value`` lines, where the metadata step finds them;
* with one ``<article>``/``<main>``/``role=main`` holding most of the text,
  what stands around it is left out but for titles, metadata lines before
  it and data tables.
"""

from __future__ import annotations

import codecs
import contextlib
import json
import re
import sys
from collections.abc import Iterable, Iterator, Mapping, Sequence
from enum import Enum
from functools import cached_property
from pathlib import Path
from typing import Any

from attrs import evolve, frozen

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
    ordinary blocks of text. Only innermost tables are data tables. Report
    markup held in a script's string or a template is read where it stands
    (`_script_markups`); site chrome is left out and a page-metadata table
    becomes ``key：value`` lines (`_Reader`).
    """
    markup = markup.lstrip("\ufeff")
    if not markup.strip():
        return ""
    # an XML declaration in a str makes lxml refuse it; the text is decoded already
    markup = re.sub(r"^\s*<\?xml[^>]*>", "", markup)
    try:
        root = _parsed(markup)
    except _UnreadableError as exc:
        # lxml stopped reading there: what follows would be lost silently
        raise InputError(
            f"cannot read the page's markup past line {exc.line}: "
            f"{exc} (extract the report's text and call load())"
        ) from None
    if root is None:  # nothing but comments or whitespace
        return "\n"
    body = root.find("body")
    body = body if body is not None else root
    container = _main_container(body)
    found = _page_fragments(root)
    shown = sum(len(line.text) for f in found.values() for line in f.lines)
    reader = _Reader(found, container, body, shown)
    head = root.find("head")
    for script in head.iter("script", "template") if head is not None else ():
        reader.walk(script)  # a report held in <head> goes before the body's text
    reader.walk(body)
    reader.flush()
    lines = _resolved(reader.items, container is not None)
    return "".join(line.text + "\n" for line in lines) or "\n"


class _UnreadableError(Exception):
    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.line = line


def _parsed(markup: str) -> Any:
    """The document's root, or None for a page of nothing.

    Raises:
        _UnreadableError: lxml stopped reading before the end (a fatal error).
    """
    from lxml import etree, html

    parser = html.HTMLParser()
    try:
        root = html.document_fromstring(markup, parser=parser)
    except etree.ParserError:
        return None
    fatal = [e for e in parser.error_log if e.level_name == "FATAL"]
    if fatal:
        raise _UnreadableError(fatal[0].message, fatal[0].line)
    return root


class _Kind(Enum):
    TEXT = "text"
    HEADING = "heading"  # a heading or title element: kept around a main container
    META = "meta"  # a page-metadata pair (key：value)
    TABLE = "table"  # a data table's pipe row: never dropped as chrome


@frozen
class _Line:
    text: str
    kind: _Kind
    outside: bool  # outside the page's main content container


@frozen
class _Fragment:
    """The lines of report markup found in a script or a template."""

    lines: tuple[_Line, ...]


class _Budget:
    """Bounds the work spent on scripts, so a page of megabytes of them stays fast."""

    def __init__(self) -> None:
        self.chars = MAX_SCRIPT_CHARS
        self.fragments = MAX_FRAGMENTS

    def take(self, chars: int) -> bool:
        """Whether ``chars`` more characters of script may be scanned (and takes them)."""
        if chars > self.chars:
            self.chars = 0
            return False
        self.chars -= chars
        return True


class _Reader:
    """Walks a page's elements into lines (the module doc says how tables are written).

    Lines remember whether they stand outside the page's main container and
    what they are (`_Kind`), so `_resolved` can drop the chrome around it.
    """

    def __init__(
        self,
        fragments: Mapping[Any, _Fragment],
        container: Any,
        page: Any,
        shown: int = 0,
    ) -> None:
        self.fragments = fragments  # what each script or template holds
        self.container = container
        self.page = page  # whose text chrome may not hold the half of
        self.shown = shown  # text the page's scripts hold
        self.items: list[_Line | _Fragment] = []
        self.text: list[str] = []
        self.inside = container is None
        self.heading = False
        self.articles = 0  # how many <article>/<main> elements enclose this one

    def flush(self) -> None:
        line = " ".join("".join(self.text).split())
        self.text.clear()
        if line:
            kind = _Kind.HEADING if self.heading else _Kind.TEXT
            self.items.append(_Line(line, kind, not self.inside))

    def add(self, lines: Iterable[str], kind: _Kind) -> None:
        self.flush()
        self.items += [_Line(line, kind, not self.inside) for line in lines]

    def walk(self, element: Any) -> None:
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag in ("script", "template"):
            if (fragment := self.fragments.get(element)) is not None:
                self.flush()
                self.items.append(fragment)
            return
        if tag in _SKIP or (
            _is_chrome(element, tag, self.articles) and not self.holds_report(element)
        ):
            return
        if tag == "table" and next(element.iterdescendants("table"), None) is None:
            rows = list(_html_rows(element))
            pairs = _metadata_lines([[cell.text for cell in row] for row in rows])
            if pairs is not None:
                self.add(pairs, _Kind.META)
            else:
                self.add(_table_lines(rows), _Kind.TABLE)
            return
        self.descend(element, tag)

    @cached_property
    def page_chars(self) -> int:
        return _text_chars(self.page) + self.shown

    def holds_report(self, element: Any) -> bool:
        """Whether an element named like chrome holds a data table or half the text.

        Conservative: a CMS that names its content wrapper "header" exists.
        """
        return _holds_data(element) or 2 * _text_chars(element) >= self.page_chars

    def descend(self, element: Any, tag: str) -> None:
        """An element's text and children; a change of state breaks the line."""
        state = (self.inside, self.heading, self.articles)
        inside = self.inside or element is self.container
        heading = self.heading or tag in _HEADINGS or "title" in _name_tokens(element)
        article = _is_article(element, tag)
        block = tag in _BLOCK or (inside, heading) != state[:2]
        if block:
            self.flush()
        self.inside, self.heading = inside, heading
        self.articles += article
        self.text.append(element.text or "")
        for child in element:
            self.walk(child)
            self.text.append(child.tail or "")
        if block:
            self.flush()
        self.inside, self.heading, self.articles = state


def _fragment_lines(markup: str) -> tuple[_Line, ...]:
    """Report markup from a script → its lines, read with the page's own rules."""
    try:
        root = _parsed(f"<html><body>{markup}</body></html>")
    except (_UnreadableError, ValueError):  # markup lxml cannot read whole: skipped
        return ()
    body = root.find("body") if root is not None else None
    if body is None:
        return ()
    reader = _Reader({}, None, body)  # its scripts are not read again
    reader.walk(body)
    reader.flush()
    return tuple(item for item in reader.items if isinstance(item, _Line))


def _page_fragments(root: Any) -> dict[Any, _Fragment]:
    """The report markup each script or template holds, within the page's budget."""
    budget = _Budget()
    found: dict[Any, _Fragment] = {}
    for element in root.iter("script", "template"):
        if element.tag == "script":
            markups = _script_markups(element, budget)
        else:
            markups = _template_markups(element)
        lines: list[_Line] = []
        for markup in markups:
            if budget.fragments <= 0:
                break
            budget.fragments -= 1
            lines += _fragment_lines(markup)
        if lines:
            found[element] = _Fragment(tuple(lines))
    return found


def _resolved(items: Sequence[_Line | _Fragment], contained: bool) -> list[_Line]:
    """The page's lines with script markup in place and the chrome left out.

    Markup a script holds is left out when the page already shows it (half
    its text is lines the page has): a page rendered on the server often
    keeps a copy for its scripts, and the report must not be read twice.
    """
    seen = {item.text for item in items if isinstance(item, _Line)}
    lines: list[_Line] = []
    for item in items:
        if isinstance(item, _Line):
            lines.append(item)
            continue
        repeated = sum(len(line.text) for line in item.lines if line.text in seen)
        if 2 * repeated <= sum(len(line.text) for line in item.lines):
            seen.update(line.text for line in item.lines)
            lines += item.lines
    if contained and _main_share(lines) >= 0.5:
        first = next(i for i, line in enumerate(lines) if not line.outside)
        lines = [line for i, line in enumerate(lines) if _kept(line, i < first)]
    return lines


def _main_share(lines: Sequence[_Line]) -> float:
    total = sum(len(line.text) for line in lines)
    inside = sum(len(line.text) for line in lines if not line.outside)
    return inside / total if total else 0.0


def _kept(line: _Line, before: bool) -> bool:
    """What stands outside the main container and is still read.

    Before it: titles and metadata (a byline such as ``发布时间：…``). After
    it: nothing but data tables (share buttons, related links, footers).
    """
    if not line.outside or line.kind is _Kind.TABLE:
        return True
    return before and (
        line.kind is not _Kind.TEXT or _INLINE_PAIR.fullmatch(line.text) is not None
    )


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


# --- site chrome and page metadata --------------------------------------------

_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
#: Class or id words that name navigation: never report text.
_NAV_WORDS = ("nav", "menu", "crumb")
#: Class or id words that name a page's header or footer (chrome outside an article).
_EDGE_WORDS = ("header", "footer")
_EDGE_EXACT = frozenset({"head", "foot", "bottom", "copyright"})
#: Words that make a header a content header (an article's title block).
_CONTENT_WORDS = frozenset({"title", "article", "content", "detail", "text", "main"})
_ARTICLES = ".//article | .//main | .//*[translate(@role, 'MAIN', 'main') = 'main']"
_NAME_TOKEN = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])")
#: A page-metadata key: short, no digits, ending in a colon (索引号： / Published:).
_KEY = re.compile(r"[^\d:：|]{1,16}[:：]")
_INLINE_PAIR = re.compile(r"(?P<key>[^\d:：|]{1,16}[:：])\s*(?P<value>\S.*)")
_FIGURE = re.compile(r"[-+]?[\d,.]+")
_NON_ASCII_GAP = re.compile(r"(?<=[^\x00-\x7f])\s+(?=[^\x00-\x7f])")


def _name_tokens(element: Any) -> frozenset[str]:
    """The words of an element's class and id (``mainNav``, ``bread-crumb`` → words)."""
    names = f"{element.get('class') or ''} {element.get('id') or ''}"
    return frozenset(t.lower() for t in _NAME_TOKEN.findall(names))


def _is_article(element: Any, tag: str) -> bool:
    return tag in ("article", "main") or (element.get("role") or "").lower() == "main"


def _is_chrome(element: Any, tag: str, articles: int) -> bool:
    """Navigation, or a page's header or footer: site chrome, not report text.

    Conservative: a header or footer inside an <article>/<main> is the
    article's own (title, byline, signature) and is kept, and so is one
    that holds a heading (<h1>…<h6>); and the reader
    keeps whatever holds the report (`_Reader.holds_report`).
    """
    words = _name_tokens(element)
    nav = tag == "nav" or any(
        w.startswith(_NAV_WORDS) or w.endswith(_NAV_WORDS) for w in words
    )
    edge = articles == 0 and (
        tag in ("header", "footer")
        or (
            not words & _CONTENT_WORDS
            and (
                bool(words & _EDGE_EXACT)
                or any(
                    w.startswith(_EDGE_WORDS) or w.endswith(_EDGE_WORDS) for w in words
                )
            )
        )
    )
    # a header holding a heading may hold the report's title: kept (the
    # site's name in an <h1> is harmless; the title's loss is not)
    edge = edge and next(element.iter(*_HEADINGS), None) is None
    return nav or edge


def _holds_data(element: Any) -> bool:
    """Whether an element holds a table of figures that is not page metadata."""
    for table in element.iter("table"):
        rows = [[cell.text for cell in row] for row in _html_rows(table)]
        figures = sum(any(c.isdigit() for c in text) for row in rows for text in row)
        if figures >= 3 and _metadata_lines(rows) is None:
            return True
    return False


def _text_chars(element: Any) -> int:
    """How much visible text an element holds (scripts and styles aside)."""
    texts = element.xpath(".//text()[not(ancestor::script or ancestor::style)]")
    return sum(len("".join(str(t).split())) for t in texts)


def _main_container(body: Any) -> Any:
    """The page's one <article>, <main> or role=main element, if it has exactly one.

    Nested ones count as one (the outermost); two side by side (a list of
    teasers) are no main container. Whether the container is preferred is
    decided on the lines read (`_resolved`): only if it holds most of the text.
    """
    found = [
        e
        for e in body.xpath(_ARTICLES)
        if not any(_is_article(a, a.tag) for a in e.iterancestors())
    ]
    return found[0] if len(found) == 1 else None


def _metadata_lines(rows: Sequence[Sequence[str]]) -> list[str] | None:
    """A page-metadata table (索引号：… 发布机构：…) as ``key：value`` lines, or None.

    Decided by shape, in any language: every cell with text is a short key
    ending in a colon followed by its value cell, or a ``key：value`` cell;
    there are two pairs at least, and most values are not bare figures. A
    report's table has labels without colons, and its values are figures.
    """
    pairs: list[tuple[str, str]] = []
    for row in rows:
        cells = [" ".join(text.split()) for text in row]
        i = 0
        while i < len(cells):
            cell = cells[i]
            i += 1
            if not cell:
                continue
            if _KEY.fullmatch(cell):
                value = cells[i] if i < len(cells) else ""
                if value and not _KEY.fullmatch(value):
                    pairs.append((cell, value))
                    i += 1
            elif pair := _INLINE_PAIR.fullmatch(cell):
                pairs.append((pair["key"], pair["value"]))
            else:
                return None
    figures = sum(_FIGURE.fullmatch(value) is not None for _, value in pairs)
    if len(pairs) < 2 or 2 * figures > len(pairs):
        return None
    return [_pair(key, value) for key, value in pairs]


def _pair(key: str, value: str) -> str:
    """``key：value``; padding between non-ASCII letters of the key removed (标　题 → 标题)."""
    key = _NON_ASCII_GAP.sub("", key.strip())
    return f"{key} {value}" if key.endswith(":") else f"{key}{value}"


# --- report markup inside scripts and templates ---------------------------------

#: Script text scanned per page, and fragments of markup read per page, at most.
MAX_SCRIPT_CHARS = 8_000_000
MAX_FRAGMENTS = 64
#: A string holds report markup when it has this many content tags and this
#: much text outside them: decided by markup and size, in any language.
MIN_MARKUP_TAGS = 3
MIN_MARKUP_TEXT = 100

_CONTENT_TAG = re.compile(r"<(?:p|table|tr|td|th|br|div|li|h[1-6])\b", re.I)
_ANY_TAG = re.compile(r"<[^<>]*>")
#: Script types whose text is JavaScript or JSON (others hold markup: templates).
_CODE_TYPES = frozenset({"", "module", "importmap", "text/jscript"})
_CODE_WORDS = ("javascript", "ecmascript", "json", "babel", "jsx", "typescript")
_LITERAL_START = re.compile(r"[\"'`]|/[/*]")
# a string's body up to where it stops: its closing quote, or a line break
# (an unterminated string). Alternatives are disjoint: linear, no backtracking.
_LITERAL_RUN = {
    '"': re.compile(r'(?:[^"\\\n\r]|\\(?:\r\n|[\s\S]))*'),
    "'": re.compile(r"(?:[^'\\\n\r]|\\(?:\r\n|[\s\S]))*"),
    "`": re.compile(r"(?:[^`\\]|\\[\s\S])*"),
}
_CONCATENATION = re.compile(r"\s*\+\s*")
_JS_ESCAPE = re.compile(
    r"\\(u\{[0-9A-Fa-f]{1,6}\}|u[0-9A-Fa-f]{4}|x[0-9A-Fa-f]{2}"
    r"|[0-3][0-7]{0,2}|[4-7][0-7]?|\r\n|[\s\S])"
)
_JS_SIMPLE = {
    "n": "\n",
    "r": "\r",
    "t": "\t",
    "b": "\b",
    "f": "\f",
    "v": "\v",
    "\n": "",  # a line continuation
    "\r": "",
    "\r\n": "",
    "\u2028": "",
    "\u2029": "",
}
_SURROGATE = re.compile("[\ud800-\udfff]")


def _script_markups(script: Any, budget: _Budget) -> Iterator[str]:
    """The report markup a <script> holds: in its string literals, or as a template.

    Never evaluated: string literals are found by a scanner that knows only
    strings and comments, and decoded by the language's escape rules.
    """
    source = script.text or ""
    if len(source) < MIN_MARKUP_TEXT or not budget.take(len(source)):
        return
    kind = (script.get("type") or "").split(";")[0].strip().lower()
    if kind in _CODE_TYPES or any(word in kind for word in _CODE_WORDS):
        yield from _string_markups(source, nested=False)
    elif _holds_markup(source):  # text/template, text/html, x-handlebars…
        yield source


def _template_markups(template: Any) -> Iterator[str]:
    """A <template>'s content, which lxml parses as children, as markup."""
    from lxml import etree

    markup = (template.text or "") + "".join(
        etree.tostring(child, encoding="unicode", method="html") for child in template
    )
    if _holds_markup(markup):
        yield markup


def _string_markups(source: str, *, nested: bool) -> Iterator[str]:
    """Each string (literals joined by ``+``) in ``source`` that holds report markup.

    A string that is itself JSON (``JSON.parse('{"content": "<p>…"}')``) is
    searched once more; a malformed string is skipped.
    """
    for pieces in _concatenations(source):
        if sum(len(body) for _, body in pieces) < MIN_MARKUP_TEXT:
            continue
        try:
            value = "".join(_decoded_literal(quote, body) for quote, body in pieces)
        except ValueError:
            continue
        if not nested and value.lstrip()[:1] in ("{", "["):
            yield from _string_markups(value, nested=True)
            continue
        if "<" not in value and "&lt;" in value:  # markup saved entity-escaped
            import html as html_entities

            value = html_entities.unescape(value)
        if _holds_markup(value):
            yield value


def _holds_markup(value: str) -> bool:
    """Report markup: a few content tags (<p, <table, <td…) and real text between them."""
    if len(_CONTENT_TAG.findall(value)) < MIN_MARKUP_TAGS:
        return False
    text = _ANY_TAG.sub("", value)
    return len("".join(text.split())) >= MIN_MARKUP_TEXT


def _concatenations(source: str) -> Iterator[list[tuple[str, str]]]:
    """String literals, those joined by ``+`` as one: ``[(quote, raw body), …]``."""
    group: list[tuple[str, str]] = []
    end = 0
    for start, stop, quote, body in _literals(source):
        if not (group and _CONCATENATION.fullmatch(source, end, start)):
            if group:
                yield group
            group = []
        group.append((quote, body))
        end = stop
    if group:
        yield group


def _literals(source: str) -> Iterator[tuple[int, int, str, str]]:
    """Each string literal of JavaScript or JSON: start, end, quote, raw body.

    Comments are passed over; an unterminated string ends at its line (the
    rest of the line is skipped), a template literal with ``${`` is skipped.
    Every character is looked at once, so the time is linear in the script.
    A regular expression literal holding a quote may pair quotes wrongly:
    the strings found then fail the markup test or decode as errors.
    """
    pos = 0
    while found := _LITERAL_START.search(source, pos):
        mark, start = found.group(), found.end()
        if mark in ("//", "/*"):
            close = "\n" if mark == "//" else "*/"
            end = source.find(close, start)
            pos = len(source) if end < 0 else end + len(close)
            continue
        run = _LITERAL_RUN[mark].match(source, start)
        body = run.group() if run else ""  # the pattern matches the empty string
        pos = start + len(body) + 1
        if source.startswith(mark, start + len(body)) and not (
            mark == "`" and "${" in body
        ):
            yield found.start(), pos, mark, body


def _decoded_literal(quote: str, body: str) -> str:
    """A literal's value: JSON rules for a double-quoted one, JavaScript rules else.

    A double-quoted string JSON refuses (``\\'``, ``\\x3c``, a line
    continuation) is valid JavaScript and read by its rules, which agree
    with JSON wherever JSON has a rule.

    Raises:
        ValueError: a malformed escape, or a lone surrogate.
    """
    value: str | None = None
    if quote == '"':
        with contextlib.suppress(ValueError):
            value = json.loads(f'"{body}"')
    if value is None:
        value = _JS_ESCAPE.sub(_js_escape, body)
    if _SURROGATE.search(value):  # \ud83d\ude00 pairs; a lone one raises
        try:
            value = value.encode("utf-16", "surrogatepass").decode("utf-16")
        except UnicodeDecodeError:
            raise ValueError("a lone surrogate") from None
    return value


def _js_escape(match: re.Match[str]) -> str:
    escape = match.group(1)
    if escape in _JS_SIMPLE:
        return _JS_SIMPLE[escape]
    if escape[0] == "u" and len(escape) > 1:
        code = int(escape[2:-1] if escape[1] == "{" else escape[1:], 16)
        if code > 0x10FFFF:
            raise ValueError(f"no such code point: \\{escape}")
        return chr(code)
    if escape[0] == "x" and len(escape) == 3:
        return chr(int(escape[1:], 16))
    if escape in ("u", "x"):
        raise ValueError(f"malformed escape: \\{escape}")
    if escape[0] in "01234567":
        return chr(int(escape, 8))  # legacy octal (\0 is NUL)
    return escape  # \' \" \\ \/ and any other character stand for themselves


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
    """Each page's text, its tables as pipe rows, page numbers and footers left out.

    Ruled tables are read from their lines (pdfplumber's lattice); a table
    drawn without lines is read from its words' positions (`_unruled_rows`),
    across page breaks: the pages are stacked, so a table that goes on on
    the next page without its header keeps its columns.
    """
    pdfplumber = require_extra("pdfplumber", "pdf", "reading PDF files")
    items: list[tuple[float, list[str]] | _TextLine] = []
    with pdfplumber.open(str(path)) as pdf:
        for n, page in enumerate(pdf.pages):
            items += _page_items(page, n * _PAGE)
    placed: list[tuple[float, list[str]]] = []
    text: list[_TextLine] = []
    for item in sorted(
        items, key=lambda i: i.top if isinstance(i, _TextLine) else i[0]
    ):
        if isinstance(item, _TextLine):
            text.append(item)
        else:  # a ruled table: no unruled table goes on across it
            placed += _unruled_rows(text)
            placed.append(item)
            text = []
    placed += _unruled_rows(text)
    lines = [t for _, texts in sorted(placed, key=lambda i: i[0]) for t in texts]
    return "\n".join(lines) + "\n"


#: How far apart pages are stacked (PDF points; a page is at most 14 400 high).
_PAGE = 100_000.0


def _page_items(page: Any, offset: float) -> list[tuple[float, list[str]] | _TextLine]:
    """A page's ruled tables as pipe rows, and its other text lines, moved down by ``offset``."""
    tables = page.find_tables()
    boxes = [t.bbox for t in tables]
    items: list[tuple[float, list[str]] | _TextLine] = []
    for table in tables:
        rows = [
            [_Cell(_folded(text or "")) for text in row if text is not None]
            for row in table.extract()
        ]
        items.append((offset + table.bbox[1], list(_table_lines(rows))))
    words = [
        w
        for w in page.extract_words(keep_blank_chars=False, use_text_flow=False)
        if not any(_inside(_middle(w), box) for box in boxes)
    ]
    for line in _without_furniture(_text_lines(words), page.height):
        items.append(
            _TextLine(
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


# --- PDF text by position: lines, cells, unruled tables --------------------------

#: Words further apart than this many character heights are separate cells.
_CELL_GAP = 1.0
#: What a table prints in a value cell: a number (digits, thousands separators,
#: a decimal part), or a mark for none (``—``, ``/``, ``*``).
_PDF_VALUE = re.compile(r"[-+]?\d[\d,，]*(?:\.\d+)?%?|[-—–/／*＊]{1,3}")
#: Page furniture at a page's top or bottom: ``- 3 -``, ``— 5 —``, ``第 3 页``,
#: ``第3页 共6页``, ``3/6``; a bare number only inside the page's margins.
_FOOTER = re.compile(
    r"\s*(?:[-—–－]\s*\d{1,4}\s*[-—–－]|第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?"
    r"|\d{1,4}\s*/\s*\d{1,4})\s*"
)
#: A label's own start (``1.``, ``（一）``, ``一、``): never the rest of a wrapped label.
_ENUMERATED = re.compile(r"[(（]?[一二三四五六七八九十\d]{1,3}[)）、.．]")
_BARE_PAGE = re.compile(r"\s*\d{1,3}\s*")
#: The share of the page's height at its top and bottom where a bare page number stands.
_MARGIN = 0.1
# Han, CJK punctuation, full-width forms (not full-width digits): a text layer's
# space between these, or between these and a digit, is no space of the text
_WIDE = re.compile("[\u3000-\u303f\u3400-\u9fff\uff00-\uff0f\uff1a-\uffef]")


@frozen
class _Box:
    """A cell of a PDF text line: its words that stand closer than a character's width."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float


@frozen
class _TextLine:
    """The words at one height, split into cells (`_Box`) where a wide gap is."""

    boxes: tuple[_Box, ...]

    @property
    def top(self) -> float:
        return min(b.top for b in self.boxes)

    @property
    def middle(self) -> float:
        return (self.top + max(b.bottom for b in self.boxes)) / 2

    @property
    def text(self) -> str:
        return " ".join(b.text for b in self.boxes)


def _glued(left: str, right: str) -> str:
    """Two pieces of text a PDF text layer wrote apart, joined as the text was written.

    A text layer puts a space (or a line break, in a wrapped cell) between
    Han and digits (``2023 年``, ``21 件``) and between Han characters: they are
    not the text's. Between two numbers or Latin words the space is kept.
    """
    if not left or not right:
        return left or right
    a, b = left[-1], right[0]
    wide_a, wide_b = bool(_WIDE.match(a)), bool(_WIDE.match(b))
    if (wide_a and (wide_b or b.isdigit())) or (a.isdigit() and wide_b):
        return left + right
    return f"{left} {right}"


def _folded(text: str) -> str:
    """A cell's text with the text layer's spaces and line breaks removed (`_glued`)."""
    out = ""
    for piece in text.split():
        out = _glued(out, piece)
    return out


def _text_lines(words: Sequence[Mapping[str, Any]]) -> list[_TextLine]:
    """Words → lines (by height) → cells (by the gaps between words)."""
    rows: list[list[Mapping[str, Any]]] = []
    for word in sorted(words, key=lambda w: (w["top"], w["x0"])):
        middle = (word["top"] + word["bottom"]) / 2
        if rows and rows[-1][0]["top"] <= middle <= rows[-1][0]["bottom"]:
            rows[-1].append(word)
        else:
            rows.append([word])
    return [_TextLine(tuple(_line_boxes(row))) for row in rows]


def _line_boxes(words: list[Mapping[str, Any]]) -> Iterator[_Box]:
    words = sorted(words, key=lambda w: w["x0"])
    height = sorted(w["bottom"] - w["top"] for w in words)[len(words) // 2]
    group = [words[0]]
    for word in words[1:]:
        if word["x0"] - group[-1]["x1"] > _CELL_GAP * height:
            yield _box(group)
            group = []
        group.append(word)
    yield _box(group)


def _box(words: list[Mapping[str, Any]]) -> _Box:
    text = ""
    for word in words:
        text = _glued(text, word["text"])
    return _Box(
        text,
        min(w["x0"] for w in words),
        max(w["x1"] for w in words),
        min(w["top"] for w in words),
        max(w["bottom"] for w in words),
    )


def _without_furniture(lines: list[_TextLine], height: float) -> list[_TextLine]:
    """The page's lines without its page number or footer at the top or bottom.

    Only the first and last lines are looked at, and a bare number only within
    the page's margins: a table's numbers are never furniture.
    """

    def furniture(line: _TextLine) -> bool:
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


def _is_value(box: _Box) -> bool:
    return _PDF_VALUE.fullmatch(box.text) is not None


def _is_row(line: _TextLine) -> bool:
    """A table row printed without rules: two cells or more, one of them a number."""
    return len(line.boxes) >= 2 and any(_is_value(b) for b in line.boxes)


def _first_value(line: _TextLine) -> _Box:
    return next(b for b in line.boxes if _is_value(b))


def _unruled_rows(lines: list[_TextLine]) -> list[tuple[float, list[str]]]:
    """Lines outside ruled tables → text, unruled tables as pipe rows.

    An unruled table is a run of row lines (`_is_row`) and the lines of
    labels between them, with the label lines just above and below it (a
    wrapped label's other lines): `_runs` finds them. Its columns are read
    from where its numbers stand (`_Table`), so a cell the column positions
    show empty is written as an empty cell.
    """
    placed: list[tuple[float, list[str]]] = []
    done = 0  # lines before this one are placed
    for start, end in _runs(lines):
        placed += [(line.top, [line.text]) for line in lines[done:start]]
        headers = _header_lines(lines[done:start], lines[start:end])
        placed += _Table(lines[start:end], headers).placed()
        done = end
    placed += [(line.top, [line.text]) for line in lines[done:]]
    return placed


def _runs(lines: list[_TextLine]) -> Iterator[tuple[int, int]]:
    """Where the unruled tables are: ``(start, end)`` of each, its label lines included.

    First the loose run: row lines, and lines whose every cell ends before
    the values start. Then the run is cut at each line with a cell right of
    every label (a header over the values, which right-aligned numbers leave
    room for before them): starting right of where the rows' labels end,
    under no label that starts left of there (a wider label above a
    column of sub-labels, whose rows may all be printed empty).
    """
    i = floor = 0
    while i < len(lines):
        if not _is_row(lines[i]):
            i += 1
            continue
        values = _first_value(lines[i]).x0
        start, end = i, i + 1
        while start > floor and _before(lines[start - 1], values):
            start -= 1
        j = end
        while j < len(lines) and (_is_row(lines[j]) or _before(lines[j], values)):
            if _is_row(lines[j]):
                values = min(values, _first_value(lines[j]).x0)
                end = j + 1
            j += 1
        while end < len(lines) and _before(lines[end], values):
            end += 1
        reach = _reach(lines[i:end])
        labels = [b for line in lines[start:end] for b in line.boxes if b.x0 < reach]
        piece = start
        for k in range(start, end + 1):
            if k == end or (
                not _is_row(lines[k])
                and any(
                    b.x0 >= reach and not any(_overlap(_xs(b), _xs(c)) for c in labels)
                    for b in lines[k].boxes
                )
            ):
                if any(_is_row(line) for line in lines[piece:k]):
                    yield piece, k
                piece = k + 1
        i = floor = end


def _before(line: _TextLine, values: float) -> bool:
    """A line of label pieces: every cell ends before the value columns start."""
    return not _is_row(line) and all(b.x1 <= values + _half(b) for b in line.boxes)


def _header_lines(before: list[_TextLine], table: list[_TextLine]) -> list[_TextLine]:
    """The lines just above a table with a cell right of its labels: its header."""
    reach = _reach(table)
    found: list[_TextLine] = []
    for line in reversed(before[-6:]):
        if _is_row(line) or not any(b.x0 >= reach for b in line.boxes):
            break
        found.append(line)
    return found


def _reach(table: Sequence[_TextLine]) -> float:
    """Where the labels beside a table's numbers end: cells right of it stand over values."""
    return max(
        (
            b.x1
            for row in table
            if _is_row(row)
            for b in row.boxes
            if b.x1 <= _first_value(row).x0
        ),
        default=float("-inf"),
    )


def _header_readings(headers: list[_TextLine], reach: float) -> list[list[_Box]]:
    """The header cells over the values: each line's, then the lowest level of all lines.

    A header of several lines (a group over its columns, columns beside it
    spanning both lines, a cell's text wrapped) names each column once
    across its lines: the cells over no two cells of another line, those
    that overlap (one cell's lines, a group's first column) taken as one.
    """
    lines = [[b for b in line.boxes if b.x0 >= reach] for line in headers]
    kept = [
        box
        for k, line in enumerate(lines)
        for box in line
        if all(
            sum(_overlap(_xs(box), _xs(other)) for other in others) < 2
            for j, others in enumerate(lines)
            if j != k
        )
    ]
    lowest = [
        _Box("", x0, x1, 0, 0)
        for x0, x1 in _bands(kept)  # overlapping cells merged
    ]
    return [*lines, lowest]


def _overlap(a: tuple[float, float], b: tuple[float, float]) -> bool:
    return min(a[1], b[1]) - max(a[0], b[0]) > 0


class _Table:
    """An unruled table's lines → pipe rows, its columns read from word positions.

    * The value columns (bands) are where the row lines' cells right of the
      labels stand, overlapping cells merged into one column; a header line
      that matches them adds the columns printed empty in every row
      (`_header_bands`).
    * A label's lines are joined into one cell (a stack) where a line fills
      its column to the edge and the next one goes on below it (`_wraps`):
      text wraps only at the edge, so a line that ends short ends its cell,
      whatever the cell's vertical alignment and however close the rows.
    * A stack belongs to the row line beside it; one beside none, between
      the rows, is a row printed without numbers (or a merged label over
      several rows), written as a row of its own; above or below the rows,
      a line of text; beside several, its lines are written where they stand.
    * Where a row line has two cells in one column, or the header names
      columns it cannot be placed over, the columns are not known: the rows
      are written undelimited, their labels joined all the same.
    """

    def __init__(self, lines: list[_TextLine], headers: list[_TextLine]) -> None:
        self.lines = lines
        self.headers = headers
        self.rows = [i for i, line in enumerate(lines) if _is_row(line)]
        left = min(_first_value(lines[i]).x0 for i in self.rows)
        self.left = left
        self.bands = _bands([b for i in self.rows for b in self._columns(i)])
        readings = _header_readings(headers, _reach(lines))
        self.known = True
        tolerance = min(_half(b) for i in self.rows for b in lines[i].boxes)
        for boxes in readings:
            bands = _header_bands(self.bands, boxes, tolerance)
            self.known = self.known and bands is not None
            self.bands = self.bands if bands is None else bands
        # a header naming more columns than are placed: the columns are not known
        self.known = self.known and all(len(b) <= len(self.bands) for b in readings)

    def _columns(self, i: int) -> list[_Box]:
        """A row line's cells in the value columns."""
        return [b for b in self.lines[i].boxes if b.x0 >= self.left - _half(b)]

    def _labels(self, i: int) -> list[_Box]:
        return [b for b in self.lines[i].boxes if b.x0 < self.left - _half(b)]

    def placed(self) -> list[tuple[float, list[str]]]:
        """The table's lines: pipe rows where its columns are known, else text rows.

        Without known columns a row is written undelimited (its label, then
        its values as printed), so the next steps weigh where its numbers go.
        """
        cells = {i: self._cells(i) for i in self.rows}
        known = self.known and all(row is not None for row in cells.values())

        def row(texts: list[str]) -> str:
            return _pipe_row(texts) if known else " ".join(texts)

        labels: dict[int, list[list[_Box]]] = {i: [] for i in self.rows}
        placed: list[tuple[float, list[str]]] = []
        first, last = self.lines[self.rows[0]].top, self.lines[self.rows[-1]].top
        for stack in self._stacks():
            beside = [i for i in self.rows if _spans(stack, self.lines[i].middle)]
            if len(beside) == 1:
                labels[beside[0]].append(stack)
            elif not beside and first < stack[0].top < last:
                placed.append((stack[0].top, [row([_stack_text(stack)])]))
            elif not beside:  # above or below the rows: a label, or text
                placed.append((stack[0].top, [_stack_text(stack)]))
            else:
                for box in stack:  # written where it stands
                    at = next(
                        (i for i in self.rows if box in self.lines[i].boxes), None
                    )
                    if at is None:
                        placed.append((box.top, [box.text]))
                    else:
                        labels[at].append([box])
        for i in self.rows:
            stacks = sorted(labels[i], key=lambda s: min(b.x0 for b in s))
            values = cells[i] if known else [b.text for b in self._columns(i)]
            top = min([self.lines[i].top] + [s[0].top for s in stacks])
            placed.append(
                (top, [row([_stack_text(s) for s in stacks] + list(values or ()))])
            )
        return placed

    def _cells(self, i: int) -> list[str] | None:
        """A row line's value cells by column, ``""`` where a column is empty; None if unclear."""
        out = [""] * len(self.bands)
        for box in self._columns(i):
            at = [k for k, band in enumerate(self.bands) if _overlap(band, _xs(box))]
            if len(at) != 1 or out[at[0]]:
                return None
            out[at[0]] = box.text
        return out

    def _stacks(self) -> list[list[_Box]]:
        """The label cells, each a stack of the lines its text wrapped over (`_wraps`)."""
        boxes = [
            b
            for i, line in enumerate(self.lines)
            for b in (self._labels(i) if i in self.rows else line.boxes)
        ]
        boxes.sort(key=lambda b: (b.top, b.x0))
        # where cells start: the table's, and its header's (over columns printed empty)
        starts = [b.x0 for line in self.lines + self.headers for b in line.boxes]
        stacks: list[list[_Box]] = []
        for box in boxes:
            above = [s for s in stacks if _wraps(s[-1], box, boxes, starts)]
            if len(above) == 1:
                above[0].append(box)
            else:
                stacks.append([box])
        return stacks


def _half(box: _Box) -> float:
    return 0.5 * (box.bottom - box.top)


def _xs(box: _Box) -> tuple[float, float]:
    return box.x0, box.x1


def _spans(stack: list[_Box], y: float) -> bool:
    return stack[0].top - 1 <= y <= stack[-1].bottom + 1


def _pipe_row(texts: Sequence[str]) -> str:
    return "| " + " | ".join(t.replace("|", " ") for t in texts) + " |"


def _wraps(
    above: _Box, box: _Box, boxes: Sequence[_Box], starts: Sequence[float]
) -> bool:
    """Whether ``box`` goes on the text of ``above``: the line below it, in its column.

    Text wraps only at its column's edge, so ``above`` must reach the edge:

    * where the next cell starts (its text within three characters);
    * the right end of the column's widest lines, where two of those lines
      go on below (one long label alone marks no edge);
    * or, in a narrower column within it (a label merged over rows beside
      the rows' own labels), where two lines of the column end together,
      each going on below, and the next column starts right after.

    A line that starts with an enumerator (``1.``, ``（一）``, ``一、``) starts a
    label of its own. ``starts`` are where the table's cells start.
    """
    height = above.bottom - above.top
    if not 0 <= box.top - above.bottom <= height or _ENUMERATED.match(box.text):
        return False
    if box.x0 < above.x0 - 1 or not _overlap(_xs(above), _xs(box)):
        return False
    column = [b for b in boxes if abs(b.x0 - above.x0) <= 1]

    def goes_on(b: _Box) -> bool:
        return any(
            0 <= c.top - b.bottom <= height and _overlap(_xs(b), _xs(c)) for c in boxes
        )

    next_start = min((x for x in starts if x > above.x1), default=float("inf"))
    if next_start - above.x1 <= 3 * height and box.x1 <= above.x1 + 1:
        return True
    edge = max(b.x1 for b in column)
    if above.x1 >= edge - height and box.x1 <= edge + 1:
        at_edge = [b for b in column if b.x1 >= edge - height and goes_on(b)]
        if len(at_edge) >= 2:
            return True
    together = [b for b in column if abs(b.x1 - above.x1) <= 1 and goes_on(b)]
    return (
        len(together) >= 2
        and next_start - above.x1 <= 4 * height
        and box.x1 <= above.x1 + 1
    )


def _stack_text(stack: list[_Box]) -> str:
    text = ""
    for box in stack:
        text = _glued(text, box.text)
    return text


def _bands(boxes: list[_Box]) -> list[tuple[float, float]]:
    """The value columns: the cells' horizontal extents, overlapping ones merged."""
    bands: list[tuple[float, float]] = []
    for box in sorted(boxes, key=lambda b: b.x0):
        if bands and box.x0 < bands[-1][1]:
            bands[-1] = (bands[-1][0], max(bands[-1][1], box.x1))
        else:
            bands.append((box.x0, box.x1))
    return bands


def _header_bands(
    bands: list[tuple[float, float]], header: list[_Box], tolerance: float
) -> list[tuple[float, float]] | None:
    """The columns with those a header line shows over no number added; None if unclear.

    Numbers and their header may be aligned differently in their cells (a
    header at the left, numbers at the right): a reading of the header is
    an anchor of its cells (left, middle, right), an anchor of the numbers
    and the distance between them, such that every column's anchor is
    within ``tolerance`` (half a character) of exactly one header cell's,
    no cell serving two. The header's other cells are columns printed empty. A header that
    fits no reading (a cell over several columns, another table's header)
    adds nothing; one that fits several placing the numbers differently
    (few numbers, far from their header) leaves the columns unclear.
    """
    if not header or not bands:
        return bands
    placements: set[tuple[int, ...]] = set()
    for h in range(3):
        marks = [(b.x0, (b.x0 + b.x1) / 2, b.x1)[h] for b in header]
        for c in range(3):
            points = [(band[0], sum(band) / 2, band[1])[c] for band in bands]
            for shift in {p - m for p in points for m in marks}:
                placed = _placed(points, [m + shift for m in marks], tolerance)
                if placed is not None:
                    placements.add(placed)
    if len(placements) > 1:
        return None
    if not placements:
        return bands
    (placed,) = placements
    # a cell over no number: a column (a point: no number is in it) where it
    # stands to its header cell as the numbers stand to theirs
    offsets = [bands[n][0] - header[k].x0 for n, k in enumerate(placed)]
    offset = sorted(offsets)[len(offsets) // 2]
    added = [
        (header[k].x0 + offset, header[k].x0 + offset + 0.5)
        for k in range(len(header))
        if k not in placed
    ]
    if any(_overlap(new, band) for new in added for band in bands):
        return None
    return sorted(bands + added)


def _placed(
    points: list[float], marks: list[float], tolerance: float
) -> tuple[int, ...] | None:
    """Which header cell each column's anchor stands at, each at most once; None if any at none."""
    placed: list[int] = []
    for point in points:
        near = [k for k, mark in enumerate(marks) if abs(mark - point) <= tolerance]
        if len(near) != 1 or near[0] in placed:
            return None
        placed.append(near[0])
    return tuple(placed)
