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
5. A section printed one cell per line whose cells and rows are apart by
   fixed runs of blank lines or CRs shows an empty cell as one more run: where
   one convention reads every run and fills every row's columns exactly, its
   empty cells become EMPTY tokens and its cells delimited
   (`_separator_runs`).

The grid decides nothing about rows or columns; `rows` and `cells` do.
"""

from __future__ import annotations

import enum
import itertools
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
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
    "Token",
    "TokenGrid",
    "TokenKind",
    "build_grid",
    "label_index",
]

#: A residue this long (in characters) makes a cell prose, not a table cell.
PROSE_RESIDUE = 24
#: A standalone text at least this long may be a truncated label.
MIN_PREFIX = 3

_DELIMITER = re.compile(r"[|\t]")
_SEPARATOR = re.compile(r"^:?-{3,}:?$")
_RESIDUE_NOISE = re.compile(r"[\s|,.:;()\[\]{}<>\"'*#·•…\-]+")
#: A cell of marks only (``*``, ``…``, ``#``, a dash the spec does not call
#: blank): the text holds a cell here but gives no value for it.
_MARKS = re.compile(r"[*#·•…⋯※?×~\-—–・]+")
#: A short text that stands where a value should (``五``, ``5万``, ``N/A``,
#: ``注1``, ``12%``, ``1e400``): digits with something unreadable, Chinese
#: numerals, or a few Latin letters. Longer text is a label or a note.
_VALUE_LIKE = re.compile(
    r"(?=.*\d).{1,16}|[〇零一二两三四五六七八九十百千万亿]{1,8}|[A-Za-z/.]{1,4}"
)


class TokenKind(str, enum.Enum):
    LABEL = "label"
    VALUE = "value"
    EMPTY = "empty"
    TEXT = "text"
    # A VALUE token without a number (``number`` None) is an *unread* cell: a
    # delimited cell of a row whose content is no number (``*``, ``五``,
    # ``5万``). It keeps its position; its value is missing (see `_unread`).
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
    #: The section's delimited rows print their empty cells (`_print_empties`):
    #: then a delimited row shorter than its table is cut short at its end.
    empties_shown: bool = False
    #: Why the section's runs of blank lines were not read as empty cells
    #: (`_separator_runs`), for the reason of a cell they leave undecided.
    runs_note: str = ""

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
    *,
    stop: int | None = None,
) -> TokenGrid:
    """Tokenise a section body, given as ``(line, start column, end column)`` pieces.

    ``stop`` is the number of the line the body stops at (`Sections.stop_line`),
    where the run of blank lines after its last cell ends (`_separator_runs`).
    """
    reader = _reader(spec, section_id)
    tokens: list[Token] = []
    cell_no = 0
    shown = False
    #: Each printed line's number → the kinds of its tokens (`_separator_runs`).
    printed: _Printed = {}
    for piece, first, last in body:
        if PAGE_NUMBER.match(piece.text[first:last]):
            printed[piece.number] = []
            continue  # page furniture between the rows of a table printed over pages
        line = _blank_ignored(spec, piece, first, last)
        cells = _cut_cells(line, first, last, cell_no)
        cell_no += len(cells)
        line_tokens: list[Token] = []
        unread: list[_Cell] = []
        for cell in cells:
            found = _cell_tokens(cell, reader)
            if len(found) == 1 and _is_unread(found[0]):
                unread.append(cell)
            line_tokens += found
        if unread:
            line_tokens = _settled_unread(line_tokens, unread, reader)
        # An optional leading empty cell matters only before values: in front
        # of a label ("| 规章 | 0 |") it would leak into the previous row.
        if (
            line_tokens
            and line_tokens[0].optional
            and (len(line_tokens) == 1 or line_tokens[1].kind is TokenKind.LABEL)
        ):
            line_tokens.pop(0)
        tokens += line_tokens
        shown = shown or _prints_empties(line_tokens)
        if cells or piece.text[first:last].strip():
            printed[piece.number] = line_tokens
    if shown:
        tokens = [t._replace(empties_shown=True) if t.delimited else t for t in tokens]
    tokens = _rejoin_labels(tokens, reader.labels)
    tokens = _separator_runs(tokens, printed, stop, _table_widths(spec, section_id))
    return TokenGrid(section_id, tuple(tokens))


def _prints_empties(tokens: list[Token]) -> bool:
    """Whether a line is a row that prints its empty cells.

    A line with a number and an empty cell before a later filled one, or two
    empty cells (``0 | ||||||``); one empty cell at the end is a row's ragged
    padding (``a | 5 | |``), and a line without a number a header's. A
    section with such a row keeps its empty cells: its exporter does not drop
    them, so a row of it with fewer cells than columns was cut short at its
    end (seed 002's ``四、结转下年度继续办理 | 0 |``).
    """
    if not any(t.kind is TokenKind.VALUE for t in tokens):
        return False
    empties = 0
    for t in tokens:
        if t.kind is TokenKind.EMPTY and t.delimited and not t.optional:
            empties += 1
        elif empties and t.kind is TokenKind.VALUE:
            return True
    return empties >= 2


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
            (
                kind,
                *(text, sa, sb, line, no, delimited, refs, number, ""),
                *(optional, "", False, ""),
            ),
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


def _is_unread(token: Token) -> bool:
    """An unread cell: a VALUE token without a number (`TokenKind`)."""
    return token.kind is TokenKind.VALUE and token.number is None


def _settled_unread(
    tokens: list[Token], cells: list[_Cell], reader: _Reader
) -> list[Token]:
    """The line's tokens, its unread cells kept only where the line is a row.

    A cell that holds no number keeps its position only in a row: a line that
    holds a readable number, or whose row label comes before the cell
    (``规章 | * | * | *``). Elsewhere (a header ``项目 | 2021年``) the cell is
    read as it always was: text, which closes the row, or nothing (marks).
    """
    if any(t.kind is TokenKind.VALUE and t.number is not None for t in tokens):
        return tokens
    by_cell = {c.number: c for c in cells}
    out: list[Token] = []
    row_label = False
    for token in tokens:
        if token.kind is TokenKind.LABEL:
            row_label = row_label or any(r.role is LabelRole.ROW for r in token.refs)
        if _is_unread(token) and not row_label:
            out += _cell_tokens(by_cell[token.cell], reader, unread=False)
        else:
            out.append(token)
    return out


def _unread(cell: _Cell, text: str) -> Token:
    """The token of a delimited cell whose content the grammar cannot read."""
    core = text.strip()
    lead = len(text) - len(text.lstrip())
    return cell.token(TokenKind.VALUE, core, lead, lead + len(core))


def _cell_tokens(cell: _Cell, reader: _Reader, *, unread: bool = True) -> list[Token]:
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
        if unread and cell.delimited and _MARKS.fullmatch(core):
            return [_unread(cell, text)]  # a mark the match form drops (※)
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
        lead = len(text) - len(text.lstrip())
        return [cell.token(whole, core, lead, lead + len(core))]
    refs = reader.labels.by_key.get(key)
    if refs is not None and PROSE_MARK not in text:
        return [_whole_label(cell, text, pos, refs)]
    tokens = _searched_tokens(cell, reader, text, key, pos)
    if unread and cell.delimited and _unreadable(tokens, core):
        return [_unread(cell, text)]
    return tokens


def _unreadable(tokens: list[Token], core: str) -> bool:
    """Whether a delimited cell stands where a value should but gives none.

    Marks only, or a short value-like text the search could not read whole
    (a number beside text it cannot place). A label, numbers read whole (a
    footnote mark split off; ``3 5 7``, which the row reports as too many)
    or prose is no unread cell.
    """
    if _MARKS.fullmatch(core):
        return True
    if not tokens:
        return False
    if any(t.kind is TokenKind.LABEL or t.kind is TokenKind.PROSE for t in tokens):
        return False
    if all(t.kind is TokenKind.VALUE for t in tokens):
        return False  # numbers read whole (a unit or footnote mark included)
    return _VALUE_LIKE.fullmatch(core) is not None


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
    return cell.token(
        TokenKind.VALUE, core, lead, lead + len(core), number=_bare_number(core)
    )


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
            shown = m.group().rstrip()  # the pattern takes the spaces after it
            out.append(
                cell.token(
                    TokenKind.VALUE,
                    shown,
                    a + m.start(),
                    a + m.start() + len(shown),
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


# --- empty cells shown by runs of blank lines -----------------------------------
#
# Exporters that print a table one cell per line often mark the cell
# boundaries with a fixed run of line breaks (bare CRs, blank lines): k
# between the cells of a row, r between rows (real 04 and 06: k = 3, r = 5).
# An empty cell prints nothing but its separator, so it shows as one more
# run of k: 17 breaks after a header's last cell are a row break and four
# empty cells (5 + 4 x 3). The grid reads such runs as explicit empty cells,
# delimited like a pipe layout's, so that the positional readings of `segment`
# place the values, but only where the section itself shows the convention
# consistently; anything that contradicts it leaves the tokens as they were.


class _Runs(NamedTuple):
    """A separator convention: line breaks between cells and between rows."""

    cell: int  # k
    row: int  # r (equal to k where rows are not told apart)


#: Each printed line of a section (blank lines are in none) → its tokens
#: (before `_rejoin_labels`).
_Printed = dict[int, list[Token]]


def _separator_runs(
    tokens: list[Token],
    printed: _Printed,
    stop: int | None,
    widths: dict[str, tuple[int, bool]],
) -> list[Token]:
    """The tokens with the empty cells that runs of blank lines show, if they do.

    Only a section printed one cell per line, with blank lines between its
    cells, is read this way. Every convention the runs allow (`_conventions`)
    is tried: under it each run is a cell or row boundary and some empty
    cells (`_run_cells`), and every row must then fill its table's columns
    exactly (`_unfilled_row`). When the conventions that pass all place the
    cells alike, the empty cells become EMPTY tokens and the cells
    delimited, so that each row reads positionally; when none passes, or
    they disagree, the tokens are returned as they were, each value noting
    why (`Token.runs_note`), and the rows keep every reading.
    """
    region = _table_region(tokens, printed)
    if region is None or any(t.delimited for t in tokens):
        return tokens
    lines = region.lines
    valued = {n for n in lines if any(t.kind is TokenKind.VALUE for t in printed[n])}
    gaps = [b - a for a, b in itertools.pairwise(lines)]
    if all(g == 1 for g in gaps):
        return tokens  # no blank line: no run to read
    silent = next((n for n in lines if not printed[n]), None)
    if silent is not None:
        why = f"line {silent} holds no cell of the table"
    else:
        after = next((n for n in sorted(printed) if n > lines[-1]), stop)
        closes = tokens[region.last]
        if closes.kind is TokenKind.LABEL and not _opens_row(closes):
            after = None  # the run after a header or group label holds no row's cell
        placed, why = _read_runs(tokens, region, valued, after, widths)
        if placed is not None:
            return placed
    note = f"runs of blank lines not read as empty cells: {why}"
    return [
        t._replace(runs_note=note) if t.kind is TokenKind.VALUE else t for t in tokens
    ]


def _read_runs(
    tokens: list[Token],
    region: _Region,
    with_numbers: set[int],
    after: int | None,
    widths: dict[str, tuple[int, bool]],
) -> tuple[list[Token] | None, str]:
    """The tokens as the one placement every passing convention gives, or
    None and why not (the first convention that read every run and failed
    on a row's cells says most; else the first, the commonest run as k).

    ``with_numbers`` are the lines that hold a number. Conventions are
    checked on each kind of run (its length, whether a number is beside it)
    rather than on every run, and a convention that reads every run as one
    tried before is not placed again.
    """
    lines = region.lines
    pairs = list(itertools.pairwise(lines))
    gaps = [b - a for a, b in pairs]
    valued = [a in with_numbers or b in with_numbers for a, b in pairs]
    kinds: dict[tuple[int, bool], int] = {}  # each kind → the line after its first
    for gap, beside, line in zip(gaps, valued, lines[1:], strict=True):
        kinds.setdefault((gap, beside), line)
    starts = _line_starts(tokens, region)
    placements: dict[tuple[int, ...], tuple[_Runs, dict[int, int], int]] = {}
    reasons: list[tuple[bool, str]] = []
    tried: dict[tuple[int, ...], tuple[dict[int, int] | None, str]] = {}
    for runs in _conventions(gaps, valued):
        counts = [_run_cells(g, runs, v, line) for (g, v), line in kinds.items()]
        why = next((why for _, why in counts if why), "")
        trailing = _trailing_cells(after - lines[-1], runs) if after else 0
        key = (*(c for c, _ in counts), trailing)
        before = None
        if not why:
            if key not in tried:
                empties = {g: c for (g, _), (c, _) in zip(kinds, counts, strict=True)}
                tried[key] = _placed_by(
                    empties, trailing, tokens, (region, starts), gaps, widths
                )
            before, why = tried[key]
        if before is None:
            reasons.append((why.startswith("the row"), why))
        else:
            placements.setdefault(key, (runs, before, trailing))
    if len(placements) == 1:
        _, before, trailing = next(iter(placements.values()))
        if not before and not trailing:
            return tokens, ""  # every row full: read in order, as positionally
        return _with_empties(tokens, region, starts, before, trailing), ""
    if placements:
        found = ", ".join(f"{k} and {r}" for (k, r), _, _ in placements.values())
        return (
            None,
            f"they fit several conventions that place the cells apart ({found})",
        )
    rows = [why for row, why in reasons if row]
    return None, (rows or [why for _, why in reasons] or ["they show no convention"])[0]


class _Region(NamedTuple):
    """The table's part of a section: its first and last token, its printed lines."""

    first: int
    last: int
    lines: list[int]


def _table_region(tokens: list[Token], printed: _Printed) -> _Region | None:
    """The table's one-cell lines, and its first and last token.

    From the section's first label or value to its last label, value or
    empty cell before the first line that holds a number beside other
    tokens (no one-cell line: a heading the sections did not find, a row
    glued on one line) or a text that no label reads with numbers after it
    (`_unknown_text`), from which on the tokens are read as they were.
    """
    table = (TokenKind.LABEL, TokenKind.VALUE, TokenKind.EMPTY)
    first = next((i for i, t in enumerate(tokens) if t.kind in table), None)
    if first is None:
        return None
    start = tokens[first].line
    numbered = sorted(n for n in printed if n >= start)
    cut = next(
        (
            n
            for n in numbered
            if len(printed[n]) > 1
            and any(t.kind is TokenKind.VALUE for t in printed[n])
        ),
        None,
    )
    unknown = _unknown_text(tokens, first)
    if unknown is not None and (cut is None or unknown < cut):
        cut = unknown
    last = next(
        (
            i
            for i in range(len(tokens) - 1, first - 1, -1)
            if tokens[i].kind in table and (cut is None or tokens[i].line < cut)
        ),
        None,
    )
    if last is None:
        return None
    end, stop = tokens[last].line, tokens[last].end
    # the last token may be a label wrapped over lines: its lines are those
    # that start before it ends
    lines = [
        n
        for n in numbered
        if (cut is None or n < cut)
        and (n <= end or (printed[n] and printed[n][0].start < stop))
    ]
    return _Region(first, last, lines)


def _unknown_text(tokens: list[Token], first: int) -> int | None:
    """The line of the first text cell after ``first`` that numbers follow
    before any label: a heading the sections did not find (``四、基本情况``),
    a table's own caption the spec does not know. The row walk gives those
    numbers to no row; the runs are read up to it only."""
    text: Token | None = None
    for token in tokens[first:]:
        if token.kind is TokenKind.TEXT:
            text = text or token
        elif token.kind is TokenKind.LABEL:
            text = None
        elif token.kind is TokenKind.VALUE and text is not None:
            return text.line
    return None


def _conventions(gaps: list[int], valued: list[bool]) -> list[_Runs]:
    """Every convention the runs may show, the commonest run first as k.

    k is at most the shortest run beside a number (a number never wraps, and
    every run before or after one holds at least a boundary); r is k (rows
    separated like cells) or a longer run that is no multiple of k, so the
    two never meet: ``k (1 + m)`` and ``r + m k`` are told apart. A table
    may print no run of exactly k or r (a header left out, every row with an
    empty cell: ``«11»`` = 5 + 2 x 3 after each label), so every such pair
    is tried that can read the runs: a run of k or more that is no multiple
    of k is a row boundary, so r is at most the shortest such run, and of
    its residue. That each row then fills its columns is the evidence.
    """
    beside = [g for g, v in zip(gaps, valued, strict=True) if v]
    if not beside:
        return []
    counts = Counter(gaps)
    longest = max(counts)
    out = []
    for k in sorted(range(1, min(beside) + 1), key=lambda g: (-counts[g], g)):
        rows = {g for g in counts if g >= k and g % k}
        if len({g % k for g in rows}) > 1:
            continue  # row boundaries of two residues: no r reads both
        if rows:
            residue = next(iter(rows)) % k
            out += [
                _Runs(k, r) for r in range(k + 1, min(rows) + 1) if r % k == residue
            ]
        else:  # r only matters for the run after the last cell
            out += [_Runs(k, k)] + [
                _Runs(k, r) for r in range(k + 1, longest + 1) if r % k
            ]
    return out


def _placed_by(
    empties: dict[int, int],
    trailing: int,
    tokens: list[Token],
    where: tuple[_Region, dict[int, int]],
    gaps: list[int],
    widths: dict[str, tuple[int, bool]],
) -> tuple[dict[int, int] | None, str]:
    """The empty cells a convention reads before each line, or None and why not.

    ``empties`` gives the empty cells a run of each length shows,
    ``trailing`` those after the last cell. The rows are counted on the
    tokens as they would be (`_virtual`), not built. ``where`` is the
    region and the index of each of its lines' first token.
    """
    region, starts = where
    before: dict[int, int] = {}  # a line → the empty cells in the run before it
    lines = region.lines
    for b, gap in zip(lines[1:], gaps, strict=True):
        count = empties[gap]
        if count:
            before[b] = count
    if any(n not in starts for n in before):
        return None, "a run of blank lines ends inside a label wrapped over lines"
    why = _unfilled_row(_virtual(tokens, region, starts, before, trailing), widths)
    return (None, why) if why else (before, "")


#: The empty cell a run shows, as `_unfilled_row` counts it.
_RUN_EMPTY: Final = Token(TokenKind.EMPTY, "", 0, 0, 0, 0, True)


def _line_starts(tokens: list[Token], region: _Region) -> dict[int, int]:
    """Each line of the region → the index of its first token."""
    starts: dict[int, int] = {}
    for i in range(region.first, region.last + 1):
        starts.setdefault(tokens[i].line, i)
    return starts


def _virtual(
    tokens: list[Token],
    region: _Region,
    starts: dict[int, int],
    before: dict[int, int],
    trailing: int,
) -> Iterator[Token]:
    """The region's tokens with the runs' empty cells, as `_with_empties` would
    give them but for their fields: for counting its rows' cells. After the
    region, the values its last row would still take (up to the next label
    or text) count too: a row cannot be cut off at the region's end."""
    for i in range(region.first, region.last + 1):
        token = tokens[i]
        if starts.get(token.line) == i:
            yield from [_RUN_EMPTY] * before.get(token.line, 0)
        yield token
    yield from [_RUN_EMPTY] * trailing
    for token in tokens[region.last + 1 :]:
        if token.kind is not TokenKind.VALUE and token.kind is not TokenKind.EMPTY:
            if token.kind is not TokenKind.UNIT:
                return
            continue
        yield token


def _run_cells(gap: int, runs: _Runs, valued: bool, line: int) -> tuple[int, str]:
    """How many empty cells a run of ``gap`` line breaks before ``line`` shows.

    ``k (1 + m)`` is a cell boundary and m empty cells; ``r + m k`` a row
    boundary and m empty cells; a run shorter than k wraps a label's text,
    never a number.
    """
    k, r = runs
    if gap < k and not valued:
        return 0, ""
    if gap >= k and gap % k == 0:
        return gap // k - 1, ""
    if r != k and gap >= r and (gap - r) % k == 0:
        return (gap - r) // k, ""
    between = f"{k} between cells" + (f" and {r} between rows" if r != k else "")
    return 0, f"the run of {gap} line breaks before line {line} fits no {between}"


def _trailing_cells(gap: int, runs: _Runs) -> int:
    """The empty cells that end the table's last row, in the run after it.

    Read only where rows have a boundary of their own (r + m k): what follows
    a table (a heading, a note) may stand after any number of blank lines
    (real 04: 6, 06: 7, with r = 5), and with r = k they could not be told
    from empty cells.
    """
    k, r = runs
    if r != k and gap >= r and (gap - r) % k == 0:
        return (gap - r) // k
    return 0


def _with_empties(
    tokens: list[Token],
    region: _Region,
    starts: dict[int, int],
    empties: dict[int, int],
    trailing: int,
) -> list[Token]:
    """The tokens with ``empties[n]`` EMPTY tokens before line n's first token
    and ``trailing`` after the region's last, the region's values and empty
    cells delimited. Every line of ``empties`` starts a token (`_placed_by`).

    Each empty cell is a cell of its own, numbered after the section's cells
    (renumbering a section's tokens would cost more than reading the runs).
    """
    first, last = region.first, region.last
    numbers = itertools.count(max(t.cell for t in tokens) + 1)
    out: list[Token] = tokens[:first]
    for i in range(first, last + 1):
        token = tokens[i]
        if starts.get(token.line) == i:  # zero-width, where the next cell starts
            out += [
                _run_empty(token.start, token.line, numbers)
                for _ in range(empties.get(token.line, 0))
            ]
        if token.kind is TokenKind.VALUE or token.kind is TokenKind.EMPTY:
            token = _new(Token, (*token[:_AT], True, *token[_AT + 1 :]))
        out.append(token)
    out += [_run_empty(token.end, token.line, numbers) for _ in range(trailing)]
    return out + tokens[last + 1 :]


#: Where `Token.delimited` is in a token (a token is rebuilt by tuple's own
#: constructor, in C: `_replace` on every value of a section costs more).
_AT: Final = Token._fields.index("delimited")


def _run_empty(offset: int, line: int, numbers: Iterator[int]) -> Token:
    """An empty cell a run shows, at ``offset`` (zero-width)."""
    return Token(TokenKind.EMPTY, "", offset, offset, line, next(numbers), True)


@by_identity(maxsize=64)
def _table_widths(spec: Spec, section_id: str) -> dict[str, tuple[int, bool]]:
    """The section's tables: id → (columns, whether its one row is unlabelled)."""
    return {
        t.id: (
            len(t.column_leaves()),
            len(t.row_leaves()) == 1 and not t.row_leaves()[0].node.label,
        )
        for t in spec.tables
        if t.section == section_id
    }


def _unfilled_row(tokens: Iterable[Token], widths: dict[str, tuple[int, bool]]) -> str:
    """What row's cells do not fill its table's columns exactly ("" if none).

    The row walk (`rows`) gives a label's row the values and empty cells after
    it, up to the next label or text; with the empty cells the runs show,
    every row of a table printed this way has exactly as many cells as
    columns, and a header or caption none (or, for a table whose one row is
    unlabelled, that row's). Anything else, and the runs do not show the
    table's cells.
    """
    owner: Token | None = None
    count = 0
    for token in itertools.chain(tokens, (None,)):
        kind = None if token is None else token.kind
        if kind is TokenKind.VALUE or kind is TokenKind.EMPTY:
            count += 1
            continue
        if kind is TokenKind.UNIT or (
            token is not None and kind is TokenKind.LABEL and _only_remark(token)
        ):
            continue  # a unit's or a remark's cell belongs to the row it follows
        if count or (owner is not None and _opens_row(owner)):
            width = _owner_width(owner, widths)
            if width != count:
                where = f"line {owner.line}" if owner else "the section's start"
                return (
                    f"the row at {where} has {count} cells for {width or 'no'} columns"
                )
        owner = token if kind is TokenKind.LABEL else None
        count = 0
    return ""


def _only_remark(token: Token) -> bool:
    return all(r.role is LabelRole.REMARK for r in token.refs)


def _opens_row(token: Token) -> bool:
    return any(r.role is LabelRole.ROW for r in token.refs)


def _owner_width(
    owner: Token | None, widths: dict[str, tuple[int, bool]]
) -> int | None:
    """The columns of the row a label opens: its row's table's, or the unlabelled
    row's its header opens; None when that is not one number."""
    if owner is None:
        return None
    if _opens_row(owner):
        found = {
            widths[r.table][0]
            for r in owner.refs
            if r.role is LabelRole.ROW and r.table in widths
        }
    else:
        found = {
            widths[r.table][0]
            for r in owner.refs
            if r.table in widths and widths[r.table][1]
        }
    return found.pop() if len(found) == 1 else None
