"""A section's lines → TokenGrid: labels, values and explicit empties, in order.

Strategy. Every layout a publishing system produces (pipe rows, one cell per
line, tab or space separated columns, every cell glued on one line, merged
label cells) is, read in order, the same stream: labels and the numbers that
follow them. The grid is that stream:

1. Lines are cut into *cells* at ``|`` and tabs. An empty cell between pipes
   is an explicit EMPTY token: it is where a layout says "this cell is blank".
2. Inside a cell, spec labels are found by substring search on the match form
   (whitespace removed, punctuation folded), longest label first, in the
   section's label index (`labels.label_index`). So a label glued to numbers
   (``…00000002.其他法律…``) or wrapped across a space (``商业 企业``) is
   still found; text the exact search leaves may be a label by a bounded
   edit distance (`labels.with_fuzzy_labels`).
3. The text between labels is read for numbers (on the display form, where
   spaces still separate ``0 0 0``). What is left is TEXT: attached to the
   label in the same cell (``采购总金额(单位:万元)``), or a standalone cell.
   Prose (a long residue or a sentence) is dropped whole: its numbers are not
   table numbers.
4. Standalone TEXT cells are retried as wrapped labels (two or three cells
   joined: ``本年新`` + ``制作数量``) and as truncated labels (a prefix of
   labels: seed 001's ``本年新``, `labels.prefix_refs`).
5. A section printed one cell per line whose cells and rows are apart by
   fixed runs of blank lines or CRs shows an empty cell as one more run: where
   one convention reads every run and fills every row's columns exactly, its
   empty cells become EMPTY tokens and its cells delimited
   (`runs.separator_runs`).

The grid decides nothing about rows or columns; `rows` and `cells` do.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache
from itertools import pairwise
from operator import attrgetter
from typing import Final, NamedTuple

from govdisclosure.memo import by_identity
from govdisclosure.pipeline.furniture import (
    ConverterFurniture,
    PageFurniture,
    placeholder_pieces,
)
from govdisclosure.pipeline.labels import (
    LabelIndex,
    fuzzy_findings,
    label_index,
    prefix_refs,
    with_fuzzy_labels,
)
from govdisclosure.pipeline.normalize import Line
from govdisclosure.pipeline.runs import Printed, separator_runs, table_widths
from govdisclosure.pipeline.tokens import (
    LabelRef,
    LabelRole,
    LineCell,
    Token,
    TokenGrid,
    TokenKind,
)
from govdisclosure.pipeline.values import (
    FOOTNOTE_RUN,
    NumberToken,
    number_pattern,
    read_number,
)
from govdisclosure.spec.model import Spec
from govdisclosure.spec.patterns import PatternTimeoutError, finditer
from govdisclosure.typography import (
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
]

#: A residue this long (in characters) makes a cell prose, not a table cell.
PROSE_RESIDUE = 24
#: A standalone text at least this long may be a truncated label.
MIN_PREFIX = 3

_SEPARATOR = re.compile(r"^:?-{3,}:?$")
_RESIDUE_NOISE = re.compile(r"[\s|,.:;()\[\]{}<>\"'*#·•…\-]+")
#: A cell of marks only (``*``, ``…``, ``#``, a dash the spec does not call
#: blank): the text holds a cell here but gives no value for it.
_MARKS = re.compile(r"[*#·•…⋯※?×~\-—–・]+")
#: A mark standing alone in an undelimited cell, where a value should be: one
#: or two of them between spaces, digits or the cell's ends (``*``, ``……``). No
#: dash (a sign, a rule, page furniture) and no longer run (a markdown rule).
_LONE_MARK = re.compile(r"(?<!\S)[*#·•…⋯※×・]{1,2}(?!\S)")
#: A short text that stands where a value should (``五``, ``5万``, ``N/A``,
#: ``注1``, ``12%``, ``1e400``): digits with something unreadable, Chinese
#: numerals, or a few Latin letters. Longer text is a label or a note.
_VALUE_LIKE = re.compile(
    r"(?=.*\d).{1,16}|[〇零一二两三四五六七八九十百千万亿]{1,8}|[A-Za-z/.]{1,4}"
)
#: A named tuple built from all its fields by tuple's own constructor, in C
#: (as `tokens.LineCell.token` builds a token): for the cells and tokens a
#: section builds by the hundred.
_new: Final = tuple.__new__

#: Tokens that make a cell text or prose: a mark among them is punctuation.
_WORDS = (TokenKind.TEXT, TokenKind.PROSE)


def build_grid(
    spec: Spec,
    section_id: str,
    body: list[tuple[Line, int, int]],
    furniture: PageFurniture | None = None,
    *,
    stop: int | None = None,
) -> TokenGrid:
    """Tokenise a section body, given as ``(line, start column, end column)`` pieces.

    Converter furniture is set aside first (`furniture.ConverterFurniture`): a
    generic header row (``| 项目 | 数据1 | … |``) or a placeholder table of
    dashes gives no token at all, so the rows of a table a converter split
    into pieces continue across the pieces as if it had printed one table.
    ``furniture`` (`furniture.page_furniture`) names the page headers and
    footers of the whole text, which are skipped like page numbers.
    ``stop`` is the number of the line the body stops at (`Sections.stop_line`),
    where the run of blank lines after its last cell ends
    (`runs.separator_runs`).
    """
    reader = _reader(spec, section_id)
    converter = ConverterFurniture(section_id, placeholder_pieces(body), reader.labels)
    tokens: list[Token] = []
    cell_no = 0
    shown = no_outer_pipes = False
    #: Each printed line's number → its tokens (`runs.separator_runs`); a line
    #: skipped as furniture holds none.
    printed: Printed = {}
    for index, (piece, first, last) in enumerate(body):
        if piece.text.isspace() or not piece.text:
            # a blank line (a third of a report's lines): no cell, no token,
            # and not printed, as the steps below would find at more cost
            continue
        if PAGE_NUMBER.match(piece.text[first:last]) or (
            furniture is not None and furniture.skips(piece, reader.labels)
        ):
            printed[piece.number] = []
            continue  # page furniture between the rows of a table printed over pages
        line = _blank_ignored(spec, piece, first, last)
        cells = _cut_cells(line, first, last, cell_no)
        cell_no += len(cells)
        if converter.skipped(index, cells):
            printed[piece.number] = []
            continue
        line_tokens = _leading_optional_dropped(
            converter.settled(_line_tokens(cells, reader), cells)
        )
        tokens += line_tokens
        shown = shown or _prints_empties(line_tokens)
        if cells or piece.text[first:last].strip():
            printed[piece.number] = line_tokens
        no_outer_pipes = no_outer_pipes or _closes_every_cell(cells, line_tokens)
    if no_outer_pipes:
        tokens = [t._replace(optional=False) if t.optional else t for t in tokens]
    if shown:
        tokens = [_empties_shown(t) if t.delimited else t for t in tokens]
    tokens = _rejoin_labels(tokens, reader.labels)
    tokens, runs = separator_runs(tokens, printed, stop, table_widths(spec, section_id))
    joined = tuple(tokens)
    return TokenGrid(
        section_id,
        joined,
        (*converter.findings(), *fuzzy_findings(joined, reader.labels, spec)),
        frozenset(converter.repeated),
        runs,
    )


#: Where `Token.empties_shown` stands in a token's tuple.
_SHOWN: Final = Token._fields.index("empties_shown")


def _empties_shown(token: Token) -> Token:
    """``token._replace(empties_shown=True)``, built by tuple's own constructor:
    a section that prints its empty cells marks every delimited token, and
    `_replace` costs twice as much (tests/unit/test_speed_paths.py checks both agree)."""
    return _new(Token, (*token[:_SHOWN], True, *token[_SHOWN + 1 :]))


def _leading_optional_dropped(line_tokens: list[Token]) -> list[Token]:
    """The line's tokens without an optional leading empty cell before a label.

    An optional leading empty cell matters only before values: in front of a
    label (``| 规章 | 0 |``) it would leak into the previous row.
    """
    if (
        line_tokens
        and line_tokens[0].optional
        and (len(line_tokens) == 1 or line_tokens[1].kind is TokenKind.LABEL)
    ):
        return line_tokens[1:]
    return line_tokens


def _line_tokens(cells: list[LineCell], reader: _Reader) -> list[Token]:
    """The tokens of one line's cells, its unread cells settled (`_settled_unread`)."""
    line_tokens: list[Token] = []
    unread: list[LineCell] = []
    for cell in cells:
        found = _cell_tokens(cell, reader)
        # an undelimited mark is kept as it is: the row walk places it
        if cell.delimited and len(found) == 1 and _is_unread(found[0]):
            unread.append(cell)
        line_tokens += found
    if unread:
        line_tokens = _settled_unread(line_tokens, unread, reader)
    return line_tokens


def _closes_every_cell(cells: list[LineCell], tokens: list[Token]) -> bool:
    """Whether a line closes each of its cells with a pipe, a label first (``规章 | 2 |``).

    A line that opens with a pipe (``| 0 | 5 |``) is a markdown row, whose
    outer pipes are no cell boundaries, or a row whose first cell is empty:
    `_cut_cells` keeps that first cell as optional. An exporter prints every
    line of a table alike, so a section one of whose lines has no opening pipe
    but a closing one (its first cell a label) closes every cell with a pipe:
    there, a line that opens with a pipe opens with an empty cell, and its
    cells are its columns (四's row with no label, ``  |  | … | 8 | 8 | |``).
    A label, not any text, so a line of prose with a pipe in it is no evidence;
    and the line's own first cell, not the rest of a line after a heading
    found in it (``| 四、结转下年度继续办理 | …`` read as 四's heading).
    """
    if not cells or not tokens or not cells[0].delimited:
        return False
    first, last = cells[0], cells[-1]
    return (
        not first.line.text[: first.start].strip()
        and first.line.text[first.end : first.end + 1] == "|"
        and last.line.text[last.end : last.end + 1] == "|"
        and tokens[0].kind is TokenKind.LABEL
        and tokens[0].cell == first.number
    )


def _prints_empties(tokens: list[Token]) -> bool:
    """Whether a line is a row that prints its empty cells.

    A line with a number and an empty cell before a later filled one, or two
    empty cells (``0 | ||||||``); one empty cell at the end is a row's ragged
    padding (``a | 5 | |``), and a line without a number a header's. A
    section with such a row keeps its empty cells: its exporter does not drop
    them, so a row of it with fewer cells than columns was cut short at its
    end (seed 002's ``四、结转下年度继续办理 | 0 |``).
    """
    if len(tokens) < 2 or not any(t.kind is TokenKind.VALUE for t in tokens):
        return False  # one token is neither two empty cells nor one and a number
    empties = 0
    for t in tokens:
        if t.kind is TokenKind.EMPTY and t.delimited and not t.optional:
            empties += 1
        elif empties and t.kind is TokenKind.VALUE:
            return True
    return empties >= 2


class _Reader(NamedTuple):
    """What reading a cell needs of the spec, gathered once per section."""

    labels: LabelIndex
    numbers: re.Pattern[str]
    #: The spec's blank markers (——, /) in match form: a cell of one is empty.
    blanks: frozenset[str]
    #: The spec's unit words in match form: a cell of one is a unit column's cell.
    units: frozenset[str]
    minus_words: tuple[str, ...]
    #: The spec's not-applicable markers (不适用) in match form: an empty cell, no 0.
    voids: frozenset[str] = frozenset()


@by_identity(maxsize=256)
def _reader(spec: Spec, section_id: str) -> _Reader:
    """Gathered once per spec and section: all of it depends on them only, and
    a label key costs a fold and an OpenCC call per marker."""
    blanks = frozenset(label_key(b) for b in spec.blank_markers)
    units = frozenset(label_key(u) for u in spec.units)
    voids = frozenset(label_key(b) for b in spec.not_applicable_markers)
    return _Reader(
        label_index(spec, section_id),
        number_pattern(spec),
        blanks | voids,
        units,
        spec.minus_words,
        voids,
    )


def _blank_ignored(spec: Spec, line: Line, first: int, last: int) -> Line:
    """The line with the spec's data-free texts (``（2018年度）``) blanked out.

    Blanked with spaces, not removed, so every offset stays valid; the texts
    may stand in a cell of their own or glued to labels on a collapsed line.
    """
    if not spec.ignore_patterns:
        return line
    text = line.text
    for pattern in spec.ignore_patterns:
        try:
            found = [m.span() for m in finditer(pattern, text[first:last])]
        except PatternTimeoutError:
            # reported by load; a slow pattern hides nothing, and the patterns
            # after it still run (issue 19: they were skipped silently)
            continue
        for a, b in found:
            a, b = first + a, first + b
            text = text[:a] + " " * (b - a) + text[b:]
    return line if text == line.text else line._replace(text=text)


def _cut_cells(line: Line, column: int, stop: int, numbered: int) -> list[LineCell]:
    """Cut ``line.text[column:stop]`` into cells, numbered from ``numbered + 1``.

    A line without pipes or tabs is one cell. ``optional`` marks the empty cell
    before a leading pipe: ``| 0 | 5 |`` is a markdown row of two cells, or a
    row whose first cell is empty; the text does not say which, so both are kept.
    """
    body = line.text[column:stop]
    if not body.strip():
        return []
    # one split in C, not a match object per delimiter: a tab cuts as a pipe,
    # and no part holds a delimiter, so each part is its cell's text
    parts = body.replace("\t", "|").split("|")
    if len(parts) == 1:
        return [_new(LineCell, (line, column, stop, False, numbered + 1, False, body))]
    stripped = body.strip()
    # "a | b |": the text after the last pipe is no cell. A line of pipes only
    # ("|||") is a run of empty cells, each closed by its pipe.
    if stripped.endswith(("|", "\t")) and not parts[-1].strip():
        parts.pop()
    optional = (
        stripped.startswith("|")
        and bool(stripped.strip("|").strip())
        and not parts[0].strip()
    )
    cells: list[LineCell] = []
    at = column
    for i, part in enumerate(parts):
        end = at + len(part)
        first = optional and i == 0
        cells.append(
            _new(LineCell, (line, at, end, True, numbered + 1 + i, first, part))
        )
        at = end + 1
    return cells


def _is_unread(token: Token) -> bool:
    """An unread cell: a VALUE token without a number (`TokenKind`)."""
    return token.kind is TokenKind.VALUE and token.number is None


def _settled_unread(
    tokens: list[Token], cells: list[LineCell], reader: _Reader
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


def _unread(cell: LineCell, text: str) -> Token:
    """The token of a delimited cell whose content the grammar cannot read."""
    core = text.strip()
    lead = len(text) - len(text.lstrip())
    return cell.token(TokenKind.VALUE, core, lead, lead + len(core))


def _cell_tokens(
    cell: LineCell, reader: _Reader, *, unread: bool = True
) -> list[Token]:
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
        token = cell.token(whole, core, lead, lead + len(core))
        return [token._replace(void=True) if key in reader.voids else token]
    refs = reader.labels.by_key.get(key)
    if refs is not None and PROSE_MARK not in text:
        return [_whole_label(cell, text, pos, refs)]
    return _mixed_tokens(cell, reader, key, pos, unread=unread)


def _mixed_tokens(
    cell: LineCell, reader: _Reader, key: str, pos: Sequence[int], *, unread: bool
) -> list[Token]:
    """A cell that is not one thing: a number with a remark (`_annotated`),
    else the label search; a delimited cell it cannot read is unread."""
    text = cell.text
    core = text.strip()
    if "(" in core:
        annotated = _annotated(cell, text, reader)
        if annotated is not None:
            return [annotated]
    tokens = _searched_tokens(cell, reader, text, key, pos)
    # a label cut short at its cell's end (``2.没有现成信息需要``) is no
    # unread value, though it starts with a digit: `_rejoin_labels` reads it
    if (
        unread
        and cell.delimited
        and key not in reader.labels.prefixes
        and _unreadable(tokens, core)
    ):
        return [_unread(cell, text)]
    return tokens


def _lone_marks(cell: LineCell, piece: str, at: int) -> list[Token]:
    """The unread tokens of the lone marks in ``piece`` (at ``at`` in the cell),
    a residue of an undelimited cell: what the numbers and labels left.

    Without delimiters a mark printed instead of a value (``*`` on its own
    line, ``5    *    7``, a glued ``规章12*34``) is the only trace of its
    cell: dropped as noise, the numbers after it would shift into its column,
    and the digit runs around it would join. Kept as an unread cell it takes
    one column and splits the runs. A delimited cell keeps its own rule.
    """
    if cell.delimited:
        return []
    return [
        cell.token(TokenKind.VALUE, m.group(), at + m.start(), at + m.end())
        for m in _LONE_MARK.finditer(piece)
    ]


#: A cell of a number and a bracketed remark (``12（其中修订3件）``,
#: ``55（含自然失效29件）``, display form: brackets folded to ASCII). The remark
#: holds a Han character: ``12(3)`` is no remark.
_ANNOTATED = re.compile(
    r"\s*(?P<number>[^()\s](?:[^()]*[^()\s])?)\s*"
    r"\((?P<note>[^()]*[\u4e00-\u9fff][^()]*)\)\s*"
)


def _annotated(cell: LineCell, text: str, reader: _Reader) -> Token | None:
    """The value token of a cell that is one number and a remark about it.

    The number is the cell's value; the remark is kept as the token's note,
    and its own numbers (the 3 of 其中修订3件) are neither values nor unused.
    Anything else (two numbers, a label, text around them) is None: read by
    the general path as before.
    """
    m = _ANNOTATED.fullmatch(text)
    if m is None:
        return None
    a, b = m.span("number")
    number = reader.numbers.match(text, a, b)
    if number is None or number.end() != b:
        return None
    shown = number.group().rstrip()
    return cell.token(
        TokenKind.VALUE,
        shown,
        a,
        a + len(shown),
        number=read_number(number, reader.minus_words),
        note=m.group("note").strip(),
    )


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


def _empty(cell: LineCell) -> list[Token]:
    """An empty cell is a token only between pipes: the one trace of a blank a layout gives."""
    if not cell.delimited:
        return []
    return [
        cell.token(
            TokenKind.EMPTY, "", 0, cell.end - cell.start, optional=cell.optional
        )
    ]


def _bare_count(cell: LineCell, text: str, core: str) -> Token:
    """The token of a bare count: what `_searched_tokens` makes of it, without
    the label search and residue analysis (the number pattern matches the
    digits and the spaces after them)."""
    lead = len(text) - len(text.lstrip())
    return cell.token(
        TokenKind.VALUE, core, lead, lead + len(core), number=_bare_number(core)
    )


def _whole_label(
    cell: LineCell, text: str, pos: Sequence[int], refs: tuple[LabelRef, ...]
) -> Token:
    """The token of a cell that is exactly one label: what `_searched_tokens`
    finds (the longest label at the cell's start is the whole cell)."""
    a, b = pos[0], pos[-1] + 1
    return cell.token(TokenKind.LABEL, text[a:b], a, b, refs=refs)


def _searched_tokens(
    cell: LineCell, reader: _Reader, text: str, key: str, pos: Sequence[int]
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
    marks: list[Token] = []
    for a, b, refs in _label_pieces(text, key, pos, reader.labels):
        if a >= b:
            continue
        if refs is not None:
            out.append(cell.token(TokenKind.LABEL, text[a:b], a, b, refs=refs))
            continue
        gap = text[a:b]
        last = 0
        for m in reader.numbers.finditer(gap):
            start = m.start() - _footnote_run(gap, m)
            residue.append(gap[last:start])
            marks += _lone_marks(cell, residue[-1], a + last)
            shown = gap[
                start : m.end()
            ].rstrip()  # the pattern takes the spaces after it
            number = read_number(m, reader.minus_words) if start == m.start() else None
            out.append(
                cell.token(
                    TokenKind.VALUE,
                    shown,
                    a + start,
                    a + start + len(shown),
                    number=number,
                )
            )
            last = m.end()
        residue.append(gap[last:])
        marks += _lone_marks(cell, residue[-1], a + last)
    rest = _RESIDUE_NOISE.sub("", "".join(residue))
    found = _classified(cell, text, out, rest)
    if marks and not any(t.kind in _WORDS for t in found):
        found = sorted(found + marks, key=_start)  # a mark in prose is punctuation
    return found


def _footnote_run(gap: str, m: re.Match[str]) -> int:
    """1 when the number ``m`` is the digits of a footnote mark ``注`` glued
    after a number and running into the next cells (``0000注1808``), else 0.

    Where the mark's number ends and the next cell begins is not printed, so
    the run is kept as an unread cell (it splits the digits around it, and no
    reading takes its digits as values) rather than read as ``注18`` or 1808.
    """
    at = m.start()
    run = FOOTNOTE_RUN.match(gap, at - 1) if at >= 2 else None
    return 1 if run and gap[at - 2].isdigit() and not m.group("sign") else 0


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
    if index.targets:
        labels = with_fuzzy_labels(key, pos, labels, index)
    pieces: list[tuple[int, int, tuple[LabelRef, ...] | None]] = []
    cursor = 0
    for ks, ke, found in labels:
        pieces.append((cursor, pos[ks], None))
        pieces.append((pos[ks], pos[ke - 1] + 1, found))
        cursor = pos[ke - 1] + 1
    pieces.append((cursor, len(text), None))
    return pieces


def _classified(cell: LineCell, text: str, out: list[Token], rest: str) -> list[Token]:
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
    that starts a label is a truncated label (see `prefix_refs`). A label
    split over the label column of two rows is rejoined first
    (`_split_over_rows`).
    """
    per_cell = Counter(map(_cell_of, tokens))
    split = _split_over_rows(tokens, index, per_cell)
    if split is not tokens:  # a label rejoined: its second part's cell is gone
        tokens, per_cell = split, Counter(map(_cell_of, split))
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
            refs = prefix_refs(key, index)
            if refs:
                out.append(tok._replace(kind=TokenKind.LABEL, refs=refs))
                i += 1
                continue
        out.append(tok)
        i += 1
    return out


_cell_of: Final = attrgetter("cell")


def _split_over_rows(
    tokens: list[Token], index: LabelIndex, per_cell: Counter[int]
) -> list[Token]:
    """Labels a converter split over the label column of two rows, rejoined.

    ``| （三）不 | 1.属于国家秘密 | 0 |`` then ``| 予公开 | 2.其他… | 1 |``:
    the first cells of two consecutive lines, the first a proper prefix of a
    label and the second a text cell, whose texts joined make exactly one
    label (one table, role and key). The joined label stands where its first
    part stood; the second part, no cell of its own, goes. ``per_cell``
    counts the tokens of each cell; the tokens are returned as given (the
    same list) when no label is rejoined.
    """
    firsts = _first_cells(tokens, per_cell)
    joined: dict[int, Token] = {}
    dropped: set[int] = set()
    for a, b in pairwise(firsts):
        first, second = tokens[a], tokens[b]
        if (
            a in dropped
            or second.kind is not TokenKind.TEXT
            or second.line != first.line + 1
        ):
            continue
        if first.kind is not TokenKind.TEXT and first.kind is not TokenKind.LABEL:
            continue
        head = match_text(first.cell_text or first.text)
        if head not in index.prefixes:
            continue
        refs = index.by_key.get(head + match_text(second.text), ())
        if len({(r.table, r.role, r.key) for r in refs}) != 1:
            continue
        text = (first.cell_text or first.text) + second.text
        joined[a] = first._replace(kind=TokenKind.LABEL, text=text, refs=refs)
        dropped.add(b)
    if not joined:
        return tokens
    return [joined.get(i, t) for i, t in enumerate(tokens) if i not in dropped]


def _first_cells(tokens: list[Token], per_cell: Counter[int]) -> list[int]:
    """The index of each line's first token that is no empty cell, when that
    token fills its cell alone (a cell of a label and numbers is no label cell)."""
    out: list[int] = []
    line = -1
    for i, t in enumerate(tokens):
        if t.line == line or t.kind is TokenKind.EMPTY:
            continue
        line = t.line
        if per_cell[t.cell] == 1:
            out.append(i)
    return out


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
