"""A saved web page → its text, tables as pipe rows (`pipes`).

A saved web page is read as a person sees the report, not as its markup lies:

* report markup a CMS keeps in a script (``let content = "<p>…<table>…"``,
  a JSON blob, ``JSON.parse('…')``, a ``text/template`` script or a
  ``<template>``) is read where the script stands, with the same table rules
  (`scripts` finds it, within its bounds). Markup the page already shows is
  not read twice;
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

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from enum import Enum
from functools import cached_property
from typing import Any

from attrs import frozen

from govdisclosure.errors import InputError
from govdisclosure.pipeline.inputs.limits import (
    CellBudget,
    current_input_limits,
    over,
)
from govdisclosure.pipeline.inputs.pipes import MarkupCell, table_lines
from govdisclosure.pipeline.inputs.scripts import (
    Budget,
    script_markups,
    template_markups,
)

__all__ = ["MAX_COLSPAN", "html_to_text"]


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
    (`script_markups`); site chrome is left out and a page-metadata table
    becomes ``key：value`` lines (`_Reader`).
    """
    markup = markup.lstrip("\ufeff")
    if len(markup) > current_input_limits().max_markup_chars:
        raise over(
            f"the page's markup is {len(markup):,} characters", "max_markup_chars"
        )
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
    cells = CellBudget()
    found = _page_fragments(root, cells)
    shown = sum(len(line.text) for f in found.values() for line in f.lines)
    reader = _Reader(found, container, body, shown, cells)
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


class _Reader:
    """Walks a page's elements into lines (`pipes` says how tables are written).

    Lines remember whether they stand outside the page's main container and
    what they are (`_Kind`), so `_resolved` can drop the chrome around it.
    """

    def __init__(
        self,
        fragments: Mapping[Any, _Fragment],
        container: Any,
        page: Any,
        shown: int = 0,
        cells: CellBudget | None = None,
    ) -> None:
        self.fragments = fragments  # what each script or template holds
        self.container = container
        self.page = page  # whose text chrome may not hold the half of
        self.shown = shown  # text the page's scripts hold
        self.cells = cells or CellBudget()  # the page's, its scripts' tables too
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
                self.add(table_lines(rows, self.cells), _Kind.TABLE)
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


def _fragment_lines(markup: str, cells: CellBudget) -> tuple[_Line, ...]:
    """Report markup from a script → its lines, read with the page's own rules."""
    try:
        root = _parsed(f"<html><body>{markup}</body></html>")
    except (_UnreadableError, ValueError):  # markup lxml cannot read whole: skipped
        return ()
    body = root.find("body") if root is not None else None
    if body is None:
        return ()
    reader = _Reader({}, None, body, cells=cells)  # its scripts are not read again
    reader.walk(body)
    reader.flush()
    return tuple(item for item in reader.items if isinstance(item, _Line))


def _page_fragments(root: Any, cells: CellBudget) -> dict[Any, _Fragment]:
    """The report markup each script or template holds, within the page's budget."""
    budget = Budget()
    found: dict[Any, _Fragment] = {}
    for element in root.iter("script", "template"):
        if element.tag == "script":
            markups = script_markups(element, budget)
        else:
            markups = template_markups(element)
        lines: list[_Line] = []
        for markup in markups:
            if budget.fragments <= 0:
                break
            budget.fragments -= 1
            lines += _fragment_lines(markup, cells)
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


def _html_rows(table: Any) -> Iterator[list[MarkupCell]]:
    for tr in table.iter("tr"):
        yield [
            MarkupCell(_cell_text(td), _span(td.get("colspan")))
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
