"""Furniture: what a converter or a printed page adds to a table that is no cell.

Converter furniture (`ConverterFurniture`), within a section. A converter
prints a generic header row (``| 项目 | 数据1 | … |``) over a table it could
not name, and a placeholder table of dashes where the source had a rule or a
blank box: those give no token at all, so the rows of a table a converter
split into pieces continue across the pieces as if it had printed one
table. A header row of text the spec does not know is set aside (it closes
the row before it and gives no value), and a header row printed again in the
middle of a table is named, so that the first printing tells the column
order. Each kind is reported once per section, with its count.

Page furniture (`PageFurniture`), over the whole text: the running header
and footer a PDF repeats at every page break, which land between the rows
of a table printed over pages, and are skipped like page numbers.

A module of its own because furniture is told by what the grid's lines and
tokens are as a whole (a row, a header, a repeat), never by a single cell:
the grid asks it about each line (`grid.build_grid`).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from typing import Final

from attrs import frozen

from govdisclosure.model import Finding, Severity, SourceSpan
from govdisclosure.pipeline.labels import LabelIndex
from govdisclosure.pipeline.normalize import Line
from govdisclosure.pipeline.tokens import (
    DELIMITER,
    LabelRole,
    LineCell,
    Token,
    TokenKind,
)
from govdisclosure.typography import (
    GENERIC_COLUMN,
    GENERIC_NUMBERED,
    PAGE_NUMBER,
    match_text,
)

__all__ = [
    "ConverterFurniture",
    "PageFurniture",
    "page_furniture",
    "placeholder_pieces",
]

#: A cell of a placeholder table: dashes only, or empty (match form).
_DASHES = re.compile(r"[-—–:]*")
#: What each kind of furniture is, for its finding (code → description).
_FURNITURE: Final = {
    "header.generic": "generic header row(s) of a converter (数据1, 列1, Column1…) "
    "carry no label and were skipped",
    "table.placeholder": "placeholder table row(s) of dashes only were skipped",
    "header.unknown": "header row(s) of text the spec does not know were set "
    "aside: they close the row before them and give no value",
    "header.repeated": "header row(s) printed again in the middle of a table "
    "(a table split into pieces) were not used for column order",
}


def placeholder_pieces(body: list[tuple[Line, int, int]]) -> frozenset[int]:
    """The body pieces that form placeholder tables: dashes and separators only.

    A converter prints an empty table (``| - | - |`` over ``| --- | --- |``)
    where the source had a rule or a blank box. A run of consecutive
    delimited lines is one table; it is furniture only when every cell of
    every line is a dash run or empty and some cell holds a dash: a table
    with any other cell (a label, a number) is read as it always was.
    """
    out: set[int] = set()
    block: list[int] = []
    only_dashes, some_dash = True, False
    previous = -1
    for index, (piece, first, last) in enumerate(body):
        text = piece.text[first:last]
        if block and piece.number > previous + 1:  # a blank line ends a table
            if only_dashes and some_dash:
                out.update(block)
            block, only_dashes, some_dash = [], True, False
        previous = piece.number
        if "|" in text or "\t" in text:
            block.append(index)
            if only_dashes:  # once a cell is no dash, the block is a table
                cells = [match_text(c) for c in DELIMITER.split(text)]
                only_dashes = all(_DASHES.fullmatch(c) for c in cells)
                some_dash = some_dash or any(cells)
            continue
        if block and only_dashes and some_dash:
            out.update(block)
        block, only_dashes, some_dash = [], True, False
    if block and only_dashes and some_dash:
        out.update(block)
    return frozenset(out)


class ConverterFurniture:
    """The converter furniture of one section: what is skipped, what set aside.

    Generic header rows and placeholder tables give no token; a header row of
    text the spec does not know keeps one text token (it closes the row
    before it, as it always did) and gives no value; a header row printed
    again after values is kept but named in `TokenGrid.repeated_headers`.
    Each kind is reported once per section, with its count.
    """

    def __init__(
        self, section: str, placeholders: frozenset[int], labels: LabelIndex
    ) -> None:
        self.section = section
        self.labels = labels
        self.placeholders = placeholders
        self.count: Counter[str] = Counter()
        self.first: dict[str, SourceSpan] = {}
        #: Header rows seen, and those of them followed by values.
        self.headers: set[tuple[str, ...]] = set()
        self.headed: set[tuple[str, ...]] = set()
        self.repeated: set[int] = set()

    def _note(self, code: str, cells: Sequence[LineCell]) -> None:
        self.count[code] += 1
        if code not in self.first:
            line = cells[0].line
            a, b = line.source_span(cells[0].start, cells[-1].end)
            self.first[code] = SourceSpan(a, b, line.number)

    def skipped(self, index: int, cells: list[LineCell]) -> bool:
        """Whether the line is furniture that gives no token at all."""
        if not cells:
            return False
        if index in self.placeholders:
            self._note("table.placeholder", cells)
            return True
        if _generic_header(cells):
            self._note("header.generic", cells)
            return True
        return False

    def settled(self, tokens: list[Token], cells: list[LineCell]) -> list[Token]:
        """The line's tokens, an unknown header row reduced to its row closer."""
        if not cells:
            return tokens
        # one pass over the line's tokens (a section has a hundred lines):
        # its labels, its text cells and whether it holds a value
        labels: list[Token] = []
        texts: set[int] = set()
        valued = False
        for t in tokens:
            if t.kind is TokenKind.LABEL:
                labels.append(t)
            elif t.kind is TokenKind.TEXT:
                texts.add(t.cell)
            elif t.kind is TokenKind.VALUE:
                valued = True
        if len(texts) >= 2 and _unknown_header(tokens, cells, self.labels):
            self._note("header.unknown", cells)
            return [next(t for t in tokens if t.kind is TokenKind.TEXT)]
        if labels and any(_caption(t) for t in labels):
            # a caption naming one table starts that table: the header rows
            # before it belong to others (二's tables share 本年处理决定数量)
            self.headers, self.headed = set(), set()
        # a header row is two labels or more: most lines hold one or none
        signature = _header_signature(tokens) if len(labels) >= 2 else None
        if signature is None:
            if valued:
                self.headed |= self.headers
        elif signature in self.headed:
            self._note("header.repeated", cells)
            self.repeated.add(cells[0].line.number)
        else:
            self.headers.add(signature)
        return tokens

    def findings(self) -> tuple[Finding, ...]:
        return tuple(
            Finding(
                code,
                Severity.INFO,
                f"section {self.section}: {self.count[code]} {_FURNITURE[code]}",
                span=self.first[code],
            )
            for code in _FURNITURE
            if self.count[code]
        )


def _generic_header(cells: list[LineCell]) -> bool:
    """A converter's generic header row: every filled cell a generic column
    name (``项目 | 数据1 | … | 数据7``), at least one of them numbered."""
    if not cells[0].delimited:
        return False
    names: list[str] = []
    for cell in cells:  # most lines fail at their first filled cell: stop there
        key = match_text(cell.text)
        if key and not GENERIC_COLUMN.fullmatch(key):
            return False
        if key:
            names.append(key)
    return any(GENERIC_NUMBERED.fullmatch(k) for k in names)


def _unknown_header(
    tokens: list[Token], cells: list[LineCell], labels: LabelIndex
) -> bool:
    """A delimited row of two or more text cells that hold no label, unit or
    lone number (``本年新收件数 | 上年结转件数 | …``): a header the spec does
    not know. Digits inside its texts are no values. A text that may start a
    label (wrapped over cells, or cut short) is no unknown text."""
    if not cells[0].delimited or len(tokens) < 2:  # one token: one text at most
        return False
    texts = {t.cell for t in tokens if t.kind is TokenKind.TEXT}
    if len(texts) < 2 or any(
        t.kind is TokenKind.TEXT and match_text(t.text) in labels.prefixes
        for t in tokens
    ):
        return False
    return all(
        t.kind is TokenKind.TEXT
        or t.kind is TokenKind.EMPTY
        or (t.kind is TokenKind.VALUE and t.cell in texts)
        for t in tokens
    )


def _caption(token: Token) -> bool:
    """A fixed text of exactly one table (its caption ``第二十条第（六）项``)."""
    return (
        token.kind is TokenKind.LABEL
        and bool(token.refs)
        and all(r.role is LabelRole.LABEL for r in token.refs)
        and len({r.table for r in token.refs}) == 1
    )


def _header_signature(tokens: list[Token]) -> tuple[str, ...] | None:
    """The labels of a header row, in match form: two or more labels that
    open no row, name columns or groups of one table only (a header two
    tables share, 二's 本年处理决定数量, tells no repeat), and no value.
    None for any other line."""
    filled = [t for t in tokens if t.kind is not TokenKind.EMPTY]
    if len(filled) < 2 or any(
        t.kind is not TokenKind.LABEL or any(r.role is LabelRole.ROW for r in t.refs)
        for t in filled
    ):
        return None
    tables = {
        r.table
        for t in filled
        for r in t.refs
        if r.role is LabelRole.COLUMN or r.role is LabelRole.GROUP
    }
    if len(tables) != 1:
        return None
    return tuple(match_text(t.text) for t in filled)


@frozen
class PageFurniture:
    """The lines a printed page adds between a table's rows, besides page numbers.

    A PDF repeats its running header (most often the report's title) and
    footer at every page break, so they land between the rows of a table
    printed over pages; their figures (the title's year) are no cells.
    Recognised exactly, never by looks: a line equal to the report's title,
    or a text that stands next to a page-number line at two page breaks or
    more and holds no label of the table nor a piece of one (a real row is
    printed once; a label, or the half of a wrapped one, printed at two
    breaks is still a row).
    """

    #: Line numbers of the lines equal to the title (in match form).
    titles: frozenset[int]
    #: Line numbers of the texts repeated next to page numbers.
    running: frozenset[int]

    def skips(self, line: Line, labels: LabelIndex) -> bool:
        """Whether ``line`` is page furniture in a section of these ``labels``."""
        if line.number in self.titles:
            return True
        if line.number not in self.running:
            return False
        text = match_text(line.text)
        if labels.pattern is not None and labels.pattern.search(text):
            return False
        # nor a piece of a label wrapped over lines (其中：主要负责同志 /
        # 参加新闻发布会次数), which a row after each page break repeats
        return not any(text in key for key in labels.keys)


def page_furniture(lines: Sequence[Line], title: str | None) -> PageFurniture:
    """The page furniture of a text (`PageFurniture`), from all its lines.

    ``title`` is the report's title as metadata read it; its first line (the
    title itself) is never furniture, only its repeats.
    """
    key = match_text(title) if title else ""
    # the match form folds a character for one and drops spaces: a line
    # shorter than the title (most of a report's) cannot be it
    titles = [
        ln.number
        for ln in lines
        if key and len(ln.text) >= len(key) and match_text(ln.text) == key
    ]
    beside: dict[str, set[int]] = {}
    filled = [ln for ln in lines if ln.text.strip()]
    for i, ln in enumerate(filled):
        if not PAGE_NUMBER.match(ln.text):
            continue
        for j in (i - 1, i + 1):  # the nearest lines before and after the number
            if 0 <= j < len(filled) and not PAGE_NUMBER.match(filled[j].text):
                text = match_text(filled[j].text)
                if _HAN.search(text):
                    beside.setdefault(text, set()).add(filled[j].number)
    running = {n for numbers in beside.values() if len(numbers) >= 2 for n in numbers}
    return PageFurniture(frozenset(titles[1:]), frozenset(running))


_HAN = re.compile(r"[\u3400-\u9fff]")
