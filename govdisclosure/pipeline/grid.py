"""A section's lines → TokenGrid: labels, values and explicit empties, in order.

Strategy. Every layout a publishing system produces (pipe rows, one cell per
line, tab or space separated columns, every cell glued on one line, merged
label cells) is, read in order, the same stream: labels and the numbers that
follow them. The grid is that stream:

1. Lines are cut into *cells* at ``|`` and tabs. An empty cell between pipes
   is an explicit EMPTY token: it is where a layout says "this cell is blank".
2. Inside a cell, spec labels are found by substring search on the match form
   (whitespace removed, punctuation folded), longest label first. So a label
   glued to numbers (``…00000002.其他法律…``) or wrapped across a space
   (``商业 企业``) is still found.
3. The text between labels is read for numbers (on the display form, where
   spaces still separate ``0 0 0``). What is left is TEXT: attached to the
   label in the same cell (``采购总金额(单位:万元)``), or a standalone cell.
   Prose (a long residue or a sentence) is dropped whole: its numbers are not
   table numbers.
4. Standalone TEXT cells are retried as wrapped labels (two or three cells
   joined: ``本年新`` + ``制作数量``) and as truncated labels (a prefix of
   labels: seed 001's ``本年新``).

The grid decides nothing about rows or columns; `rows` and `cells` do.
"""

from __future__ import annotations

import enum
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from functools import lru_cache
from operator import attrgetter
from typing import Final, NamedTuple

from attrs import frozen

from govdisclosure.memo import by_identity
from govdisclosure.model import SourceSpan
from govdisclosure.pipeline.normalize import Line
from govdisclosure.pipeline.values import NumberToken, number_pattern, read_number
from govdisclosure.spec.model import LabelNode, Spec, TableSpec
from govdisclosure.spec.patterns import PatternTimeoutError, finditer
from govdisclosure.typography import (
    ENUMERATOR,
    PAGE_NUMBER,
    PROSE_MARK,
    label_key,
    match_key,
    match_text,
)

__all__ = [
    "LabelRef",
    "LabelRole",
    "PageFurniture",
    "Token",
    "TokenGrid",
    "TokenKind",
    "build_grid",
    "label_index",
    "page_furniture",
]

#: A residue this long (in characters) makes a cell prose, not a table cell.
PROSE_RESIDUE = 24
#: A standalone text at least this long may be a truncated label.
MIN_PREFIX = 3

_DELIMITER = re.compile(r"[|\t]")
_SEPARATOR = re.compile(r"^:?-{3,}:?$")
_RESIDUE_NOISE = re.compile(r"[\s|,.:;()\[\]{}<>\"'*#·•…\-]+")


class TokenKind(str, enum.Enum):
    LABEL = "label"
    VALUE = "value"
    EMPTY = "empty"
    TEXT = "text"
    PROSE = "prose"  # a number in a sentence: reported, never read as a cell
    UNIT = "unit"  # a cell holding only a unit word


class LabelRole(str, enum.Enum):
    """What a label of a table is; the row walk (`rows`) acts on it."""

    ROW = "row"  # opens its row
    COLUMN = "column"  # a header: closes the open row, may state a unit
    GROUP = "group"  # a merged header or label over several leaves: closes the row
    LABEL = "label"  # a fixed text of the table (caption, 单位): closes the row
    REMARK = "remark"  # a note after a row (备注): leaves the row open


@frozen
class LabelRef:
    """What a label may be: a row, a column, a group or a fixed text of a table."""

    table: str
    role: LabelRole
    key: str | None = None


class Token(NamedTuple):
    """One piece of a table: a label, a number, an explicit empty cell, or text.

    A named tuple, not an attrs class: a report makes hundreds, and a frozen
    attrs instance costs three times as much to build. Its place in the input
    is kept as plain offsets; `span` builds the public `SourceSpan` on demand.
    """

    kind: TokenKind
    text: str
    start: int  # input offsets of the token's text, as in SourceSpan
    end: int
    line: int
    cell: int  # tokens with the same number come from one cell
    delimited: bool  # the cell was cut out by pipes or tabs
    refs: tuple[LabelRef, ...] = ()
    number: NumberToken | None = None
    attached: str = ""  # text in the label's cell that is not a label (a unit note)
    optional: bool = False  # an empty cell that may be no cell (before a leading pipe)
    cell_text: str = ""  # the whole cell's text, for a label or text token

    @property
    def span(self) -> SourceSpan:
        """Where the token's text is in the input."""
        return SourceSpan(self.start, self.end, self.line)


@frozen
class TokenGrid:
    """The tokens of one section, in reading order."""

    section: str
    tokens: tuple[Token, ...]


@frozen
class LabelIndex:
    pattern: re.Pattern[str] | None
    by_key: dict[str, tuple[LabelRef, ...]]
    keys: tuple[str, ...]
    #: Every proper prefix of a key: a cell whose text is none cannot start
    #: a label wrapped over several cells.
    prefixes: frozenset[str]
    #: Some key is all digits: then a bare number cell may hold a label.
    numeric_keys: bool


def _nodes(table: TableSpec) -> Iterable[tuple[LabelNode, LabelRef]]:
    for leaf in table.row_leaves():
        yield leaf.node, LabelRef(table.id, LabelRole.ROW, leaf.key)
    for leaf in table.column_leaves():
        yield leaf.node, LabelRef(table.id, LabelRole.COLUMN, leaf.key)
    for group in (*table.row_groups(), *table.column_groups()):
        yield group, LabelRef(table.id, LabelRole.GROUP, group.key)


@by_identity(maxsize=64)
def label_index(spec: Spec, section_id: str) -> LabelIndex:
    """Every label variant of the section's tables, in match form, with its refs."""
    by_key: dict[str, list[LabelRef]] = {}
    cores: dict[str, list[LabelRef]] = {}

    def add(target: dict[str, list[LabelRef]], key: str, ref: LabelRef) -> None:
        if key and ref not in target.setdefault(key, []):
            target[key].append(ref)

    for table in spec.tables:
        if table.section != section_id:
            continue
        texts: list[tuple[str, LabelRef]] = [
            (t, LabelRef(table.id, LabelRole.LABEL)) for t in table.labels
        ] + [(t, LabelRef(table.id, LabelRole.REMARK)) for t in table.remarks]
        for node, ref in _nodes(table):
            texts += [(t, ref) for t in (node.label, *node.aliases) if t]
        for text, ref in texts:
            key = label_key(text)
            add(by_key, key, ref)
            if key.startswith("(") and key.endswith(")"):
                add(cores, key[1:-1], ref)  # a note cell printed without its brackets
            m = ENUMERATOR.match(key)
            if m and len(key) - m.end() >= 2:
                add(
                    cores, key[m.end() :], ref
                )  # a row label printed without its number
    # A core form is only used where it names one thing and is no full label.
    for key, refs in cores.items():
        if key not in by_key and len({(r.table, r.role, r.key) for r in refs}) == 1:
            by_key[key] = refs
    keys = tuple(sorted(by_key, key=len, reverse=True))
    pattern = re.compile("|".join(re.escape(k) for k in keys)) if keys else None
    prefixes = frozenset(k[:i] for k in keys for i in range(1, len(k)))
    numeric = any(k.isdigit() for k in keys)
    return LabelIndex(
        pattern, {k: tuple(v) for k, v in by_key.items()}, keys, prefixes, numeric
    )


def build_grid(
    spec: Spec,
    section_id: str,
    body: list[tuple[Line, int, int]],
    furniture: PageFurniture | None = None,
) -> TokenGrid:
    """Tokenise a section body, given as ``(line, start column, end column)`` pieces.

    ``furniture`` (`page_furniture`) names the page headers and footers of
    the whole text, which are skipped like page numbers.
    """
    reader = _reader(spec, section_id)
    tokens: list[Token] = []
    cell_no = 0
    for piece, first, last in body:
        if PAGE_NUMBER.match(piece.text[first:last]) or (
            furniture is not None and furniture.skips(piece, reader.labels)
        ):
            continue  # page furniture between the rows of a table printed over pages
        line = _blank_ignored(spec, piece, first, last)
        cells = _cut_cells(line, first, last, cell_no)
        cell_no += len(cells)
        line_tokens: list[Token] = []
        for cell in cells:
            line_tokens += _cell_tokens(cell, reader)
        # An optional leading empty cell matters only before values: in front
        # of a label ("| 规章 | 0 |") it would leak into the previous row.
        if (
            line_tokens
            and line_tokens[0].optional
            and (len(line_tokens) == 1 or line_tokens[1].kind is TokenKind.LABEL)
        ):
            line_tokens.pop(0)
        tokens += line_tokens
    return TokenGrid(section_id, tuple(_rejoin_labels(tokens, reader.labels)))


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
    titles = [ln.number for ln in lines if key and match_text(ln.text) == key]
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


#: A named tuple built from all its fields by tuple's own constructor, in C:
#: for the values a section builds by the hundred (`_Cell`, `Token`).
_new: Final = tuple.__new__


class _Reader(NamedTuple):
    """What reading a cell needs of the spec, gathered once per section."""

    labels: LabelIndex
    numbers: re.Pattern[str]
    #: The spec's blank markers (——, /) in match form: a cell of one is empty.
    blanks: frozenset[str]
    #: The spec's unit words in match form: a cell of one is a unit column's cell.
    units: frozenset[str]
    minus_words: tuple[str, ...]


def _reader(spec: Spec, section_id: str) -> _Reader:
    blanks, units = _whole_cell_words(spec)
    return _Reader(
        label_index(spec, section_id),
        number_pattern(spec),
        blanks,
        units,
        spec.minus_words,
    )


class _Cell(NamedTuple):
    """One cell of a line: its place, and how it was cut out."""

    line: Line
    start: int  # line coordinates
    end: int
    delimited: bool  # cut out by pipes or tabs
    number: int  # the cell's number in the section
    optional: bool  # an empty cell that may be no cell (before a leading pipe)
    text: str  # the line's text from start to end

    def token(
        self,
        kind: TokenKind,
        text: str,
        a: int,
        b: int,
        refs: tuple[LabelRef, ...] = (),
        number: NumberToken | None = None,
        optional: bool = False,
    ) -> Token:
        """A token of this cell for its characters ``[a, b)`` (cell coordinates).

        The one place a cell's token is built, with tuple's own constructor
        and every field given (`_new`): a section builds hundreds, and a named
        tuple's generated ``__new__`` costs twice as much.
        """
        sa, sb = self.line.source_span(self.start + a, self.start + b)
        line, no, delimited = self.line.number, self.number, self.delimited
        return _new(
            Token,
            (kind, text, sa, sb, line, no, delimited, refs, number, "", optional, ""),
        )


@by_identity(maxsize=64)
def _whole_cell_words(spec: Spec) -> tuple[frozenset[str], frozenset[str]]:
    """The spec's blank markers and unit words in match form."""
    return (
        frozenset(label_key(b) for b in spec.blank_markers),
        frozenset(label_key(u) for u in spec.units),
    )


def _blank_ignored(spec: Spec, line: Line, first: int, last: int) -> Line:
    """The line with the spec's data-free texts (``（2018年度）``) blanked out.

    Blanked with spaces, not removed, so every offset stays valid; the texts
    may stand in a cell of their own or glued to labels on a collapsed line.
    """
    if not spec.ignore_patterns:
        return line
    text = line.text
    try:
        for pattern in spec.ignore_patterns:
            for m in finditer(pattern, text[first:last]):
                a, b = first + m.start(), first + m.end()
                text = text[:a] + " " * (b - a) + text[b:]
    except PatternTimeoutError:
        return line  # a slow pattern never hides anything
    return line if text == line.text else line._replace(text=text)


def _cut_cells(line: Line, column: int, stop: int, numbered: int) -> list[_Cell]:
    """Cut ``line.text[column:stop]`` into cells, numbered from ``numbered + 1``.

    A line without pipes or tabs is one cell. ``optional`` marks the empty cell
    before a leading pipe: ``| 0 | 5 |`` is a markdown row of two cells, or a
    row whose first cell is empty; the text does not say which, so both are kept.
    """
    text = line.text
    body = text[column:stop]
    if not body.strip():
        return []
    if "|" not in body and "\t" not in body:
        return [_new(_Cell, (line, column, stop, False, numbered + 1, False, body))]
    bounds = [
        column - 1,
        *(column + m.start() for m in _DELIMITER.finditer(body)),
        stop,
    ]
    spans = [(bounds[i] + 1, bounds[i + 1]) for i in range(len(bounds) - 1)]
    stripped = body.strip()
    # "a | b |": the text after the last pipe is no cell. A line of pipes only
    # ("|||") is a run of empty cells, each closed by its pipe.
    if stripped.endswith(("|", "\t")) and not text[spans[-1][0] : spans[-1][1]].strip():
        spans.pop()
    optional = (
        stripped.startswith("|")
        and bool(stripped.strip("|").strip())
        and not text[spans[0][0] : spans[0][1]].strip()
    )
    return [
        _new(
            _Cell, (line, a, b, True, numbered + 1 + i, optional and i == 0, text[a:b])
        )
        for i, (a, b) in enumerate(spans)
    ]


def _cell_tokens(cell: _Cell, reader: _Reader) -> list[Token]:
    """The tokens of one cell: what it is decided by its whole text first.

    Most cells are one thing (a count, a label, an empty cell, a unit, a blank
    marker) and are recognised whole; the others, glued runs of labels and
    numbers on collapsed lines, go through the label search
    (`_searched_tokens`). The two short paths give what the search would
    (tests/unit/test_grid.py checks both against it).
    """
    text = cell.text
    core = text.strip()
    if not core:
        return _empty(cell)
    if (
        core.isdigit()
        and core.isascii()
        and core not in reader.blanks
        and not reader.labels.numeric_keys
    ):
        # a bare count, the commonest cell (no label of the table is digits)
        return [_bare_count(cell, text, core)]
    key, pos = match_key(text)
    if not key:
        return _empty(cell)
    if _SEPARATOR.match(key):
        return []  # a markdown separator row (|---|---|)
    # a unit column's cell (万元, 人次) is part of the row, not a value;
    # a blank marker (——, /) is an empty cell
    whole = (
        TokenKind.UNIT
        if key in reader.units
        else TokenKind.EMPTY
        if key in reader.blanks
        else None
    )
    if whole is not None:
        return [cell.token(whole, core, 0, len(text))]
    refs = reader.labels.by_key.get(key)
    if refs is not None and PROSE_MARK not in text:
        return [_whole_label(cell, text, pos, refs)]
    return _searched_tokens(cell, reader, text, key, pos)


def _empty(cell: _Cell) -> list[Token]:
    """An empty cell is a token only between pipes: the one trace of a blank a layout gives."""
    if not cell.delimited:
        return []
    return [
        cell.token(
            TokenKind.EMPTY, "", 0, cell.end - cell.start, optional=cell.optional
        )
    ]


def _bare_count(cell: _Cell, text: str, core: str) -> Token:
    """The token of a bare count: what `_searched_tokens` makes of it, without
    the label search and residue analysis (the number pattern matches the
    digits and the spaces after them)."""
    lead = len(text) - len(text.lstrip())
    return cell.token(TokenKind.VALUE, core, lead, len(text), number=_bare_number(core))


def _whole_label(
    cell: _Cell, text: str, pos: Sequence[int], refs: tuple[LabelRef, ...]
) -> Token:
    """The token of a cell that is exactly one label: what `_searched_tokens`
    finds (the longest label at the cell's start is the whole cell)."""
    a, b = pos[0], pos[-1] + 1
    return cell.token(TokenKind.LABEL, text[a:b], a, b, refs=refs)


def _searched_tokens(
    cell: _Cell, reader: _Reader, text: str, key: str, pos: Sequence[int]
) -> list[Token]:
    """The general path: labels found in the match form, numbers between them.

    ``key`` is the cell's match form and ``pos`` maps each of its characters
    back to ``text``. Labels are searched on the match form (spaces and
    punctuation variants gone); the gaps between them are read on the display
    form, where the number pattern runs. What is left in the gaps decides what
    the cell is (`_classified`).
    """
    out: list[Token] = []
    residue: list[str] = []
    for a, b, refs in _label_pieces(text, key, pos, reader.labels):
        if a >= b:
            continue
        if refs is not None:
            out.append(cell.token(TokenKind.LABEL, text[a:b], a, b, refs=refs))
            continue
        gap = text[a:b]
        last = 0
        for m in reader.numbers.finditer(gap):
            residue.append(gap[last : m.start()])
            number = read_number(m, reader.minus_words)
            out.append(
                cell.token(
                    TokenKind.VALUE,
                    m.group().strip(),
                    a + m.start(),
                    a + m.end(),
                    number=number,
                )
            )
            last = m.end()
        residue.append(gap[last:])
    rest = _RESIDUE_NOISE.sub("", "".join(residue))
    return _classified(cell, text, out, rest)


def _label_pieces(
    text: str, key: str, pos: Sequence[int], index: LabelIndex
) -> list[tuple[int, int, tuple[LabelRef, ...] | None]]:
    """The cell cut at its labels: ``(start, end, refs)``, refs None for a gap."""
    labels: list[tuple[int, int, tuple[LabelRef, ...]]] = []
    if index.pattern is not None:
        labels = [
            (m.start(), m.end(), index.by_key[m.group()])
            for m in index.pattern.finditer(key)
        ]
    pieces: list[tuple[int, int, tuple[LabelRef, ...] | None]] = []
    cursor = 0
    for ks, ke, found in labels:
        pieces.append((cursor, pos[ks], None))
        pieces.append((pos[ks], pos[ke - 1] + 1, found))
        cursor = pos[ke - 1] + 1
    pieces.append((cursor, len(text), None))
    return pieces


def _classified(cell: _Cell, text: str, out: list[Token], rest: str) -> list[Token]:
    """What the text left between labels and numbers (``rest``) makes of the cell.

    A sentence is not a table cell: a long residue or a full stop makes the
    cell prose, which closes the current row, and its numbers become PROSE
    tokens, reported and never read. A short residue belongs to the cell's
    label (a unit, a remark), or else is a text cell of its own.
    """
    core = text.strip()
    if len(rest) >= PROSE_RESIDUE or PROSE_MARK in text:
        prose = cell.token(TokenKind.TEXT, core, 0, len(text))
        return [prose] + [
            t._replace(kind=TokenKind.PROSE) for t in out if t.kind is TokenKind.VALUE
        ]
    if not rest:
        return out
    for i, t in enumerate(out):
        if t.kind is TokenKind.LABEL:
            # text sharing a cell with a label belongs to it (a unit, a remark)
            out[i] = t._replace(attached=rest, cell_text=core)
            return out
    out.append(cell.token(TokenKind.TEXT, core, 0, len(text)))
    out.sort(key=_start)  # the cell's text before the numbers inside it
    return out


@lru_cache(maxsize=4096)
def _bare_number(digits: str) -> NumberToken:
    """The NumberToken of a bare count, shared: a report has many ``0`` cells."""
    return NumberToken(None, digits, None)


def _start(token: Token) -> int:
    return token.start


def _rejoin_labels(tokens: list[Token], index: LabelIndex) -> list[Token]:
    """Cells that are parts of one label: wrapped over lines, or truncated.

    Two or three consecutive cells whose whole texts join into a label are one
    label, whether each part alone read as text or as another label
    (``其中：主要负责同志参`` + ``加政府网站在线访谈次数``). A lone text cell
    that starts a label is a truncated label (see `_prefix_refs`).
    """
    per_cell = Counter(map(_cell_of, tokens))
    out: list[Token] = []
    wordy = (TokenKind.TEXT, TokenKind.LABEL)
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if tok.kind is not TokenKind.TEXT and tok.kind is not TokenKind.LABEL:
            out.append(tok)  # a number or an empty cell: most tokens
            i += 1
            continue
        # only a label or text cell followed by another can start a wrapped label
        merged = (
            _joined(tokens, i, index, per_cell)
            if i + 1 < len(tokens) and tokens[i + 1].kind in wordy
            else None
        )
        if merged is not None:
            out.append(merged[1])
            i += merged[0]
            continue
        if tok.kind is not TokenKind.TEXT:
            out.append(tok)
            i += 1
            continue
        key = match_text(tok.text)
        if len(key) >= MIN_PREFIX:
            refs = _prefix_refs(key, index)
            if refs:
                out.append(tok._replace(kind=TokenKind.LABEL, refs=refs))
                i += 1
                continue
        out.append(tok)
        i += 1
    return out


_cell_of: Final = attrgetter("cell")


def _joined(
    tokens: list[Token], i: int, index: LabelIndex, per_cell: Counter[int]
) -> tuple[int, Token] | None:
    """A label made of the whole cells starting at ``i``, and how many it takes."""
    if match_text(tokens[i].cell_text or tokens[i].text) not in index.prefixes:
        return None
    for width in (2, 3):
        group = tokens[i : i + width]
        whole = [
            t
            for t in group
            if t.kind in (TokenKind.TEXT, TokenKind.LABEL) and per_cell[t.cell] == 1
        ]
        if len(whole) < width or len({t.cell for t in group}) < width:
            return None
        key = "".join(match_text(t.cell_text or t.text) for t in group)
        if key in index.by_key:
            text = "".join(t.cell_text or t.text for t in group)
            return width, Token(
                TokenKind.LABEL,
                text,
                group[0].start,
                group[-1].end,
                group[0].line,
                group[0].cell,
                group[0].delimited,
                index.by_key[key],
            )
    return None


def _prefix_refs(key: str, index: LabelIndex) -> tuple[LabelRef, ...]:
    """What a truncated label may be, keeping only what is safe to act on.

    A header cut short (``本年新``) may stand for several columns: harmless,
    headers only close rows. But a prefix opens a row only when it names
    exactly one row and nothing else; ``行政`` (行政许可? 行政处罚?) must not
    hand the next numbers to whichever row happens to be free.
    """
    refs = tuple(
        dict.fromkeys(
            r for k in index.keys if k.startswith(key) for r in index.by_key[k]
        )
    )
    rows = {(r.table, r.key) for r in refs if r.role is LabelRole.ROW}
    if rows and (
        len(rows) > 1 or len(rows) < len({(r.table, r.role, r.key) for r in refs})
    ):
        refs = tuple(r for r in refs if r.role is not LabelRole.ROW)
    return refs
