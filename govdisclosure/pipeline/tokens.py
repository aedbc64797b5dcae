"""What the grid is made of: the cells of a line, and the tokens read from them.

The grid (`grid.build_grid`) cuts a section's lines into cells (`LineCell`)
and reads each into tokens (`Token`): labels with what they may be
(`LabelRef`), numbers, explicit empty cells, text. The steps that read a
grid's tokens (`segment`, `header`, `rows`, …) import these types from
`grid`; the steps that build the grid (`labels`, `furniture`, `runs`) from
here, which imports no step of its own, so that they need not import `grid`.
"""

from __future__ import annotations

import enum
import re
from typing import Final, NamedTuple

from attrs import frozen

from govdisclosure.model import Finding, SourceSpan
from govdisclosure.pipeline.normalize import Line
from govdisclosure.pipeline.values import NumberToken

__all__ = [
    "DELIMITER",
    "LabelRef",
    "LabelRole",
    "LineCell",
    "Token",
    "TokenGrid",
    "TokenKind",
]

#: What cuts a line into cells: a pipe or a tab.
DELIMITER = re.compile(r"[|\t]")

#: A named tuple built from all its fields by tuple's own constructor, in C:
#: for the values a section builds by the hundred (`LineCell`, `Token`).
_new: Final = tuple.__new__


class TokenKind(str, enum.Enum):
    LABEL = "label"
    VALUE = "value"
    EMPTY = "empty"
    TEXT = "text"
    # A VALUE token without a number (``number`` None) is an *unread* cell: a
    # delimited cell of a row whose content is no number (``*``, ``五``,
    # ``5万``). It keeps its position; its value is missing (see `grid._unread`).
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
    #: The spec label a printed text was matched to by edit distance
    #: (`labels.fuzzy_match`); None when the text is the label or one of its
    #: aliases.
    fuzzy: str | None = None


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
    #: The section's delimited rows print their empty cells (`grid._prints_empties`):
    #: then a delimited row shorter than its table is cut short at its end.
    empties_shown: bool = False
    #: A bracketed remark after the number in a value's cell (``12（其中修订3件）``
    #: → ``其中修订3件``): kept for the cell, never read for numbers.
    note: str = ""
    #: Why the section's runs of blank lines were not read as empty cells
    #: (`runs.separator_runs`), for the reason of a cell they leave undecided.
    runs_note: str = ""
    #: An EMPTY token whose text is a not-applicable marker (不适用): no 0.
    void: bool = False

    @property
    def span(self) -> SourceSpan:
        """Where the token's text is in the input."""
        return SourceSpan(self.start, self.end, self.line)


@frozen
class TokenGrid:
    """The tokens of one section, in reading order."""

    section: str
    tokens: tuple[Token, ...]
    #: What the grid says of its own reading: labels read through a fuzzy match
    #: or printed texts close to several labels, and converter furniture skipped
    #: or set aside (generic headers, placeholder tables, unknown or repeated
    #: header rows).
    findings: tuple[Finding, ...] = ()
    #: Lines of header rows repeated in the middle of a table: their label
    #: tokens are kept (they close rows as any header does), but the first
    #: printing of the header is the one that tells the column order.
    repeated_headers: frozenset[int] = frozenset()
    #: Lines whose cells the separator runs placed (`runs.separator_runs`): one
    #: cell per line, every row there checked to fill its table's columns with
    #: the cells after its label up to the next label, as the row walk gives
    #: them; so a row printed alone there needs no other evidence of the
    #: layout (`rows._ApartLines`).
    runs_lines: frozenset[int] = frozenset()


class LineCell(NamedTuple):
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
        note: str = "",
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
                *(optional, "", False, note, "", False),
            ),
        )
