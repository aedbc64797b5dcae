"""TokenGrid → TableDraft: each row's tokens, and every reading they allow.

Strategy. A table's rows are found by walking a section's tokens in reading
order, the way a person reads a flattened table: a row label opens its row,
and the values after it belong to it until something closes it.

* Header, caption and group labels close the current row: the numbers of a
  row never run on past the next heading of the table.
* A standalone text cell that matches no label also closes it, so the values
  after an unknown label are never given to the row before it (they are
  reported as ``token.unused`` instead: "never silently wrong").
* A table whose only row has no label (四's one row of fifteen numbers) is
  opened by its own header labels.
* A unit cell (万元) and a remark belong to the row they follow.
* A row whose label stands alone takes the lines of numbers after it only on
  evidence of the layout's convention (`_ApartLines`): one cell per line, or
  labels printed apart from their rows of values in the same count and order.
  Otherwise its cells are missing with a reason, never blank: its values may
  be the numbers printed apart.

Nothing is decided here: each row's values become the readings the layout
allows (`segment.row_readings`), which `narrow` prunes and `cells` turns into
values and statuses.
"""

from __future__ import annotations

from collections.abc import Sequence

from attrs import evolve, frozen

from govdisclosure.model import Finding, Severity, Value
from govdisclosure.pipeline.grid import LabelRef, LabelRole, Token, TokenGrid, TokenKind
from govdisclosure.pipeline.header import ColumnOrder, column_order
from govdisclosure.pipeline.segment import (
    BLANK,
    Piece,
    Reading,
    TooManyReadingsError,
    row_readings,
)
from govdisclosure.spec.model import Leaf, Spec, TableSpec, ValueType
from govdisclosure.spec.patterns import PatternTimeoutError, search

__all__ = [
    "GroupTotal",
    "RowDraft",
    "TableDraft",
    "draft_tables",
    "in_spec_order",
    "listed",
    "unused_finding",
]

#: Where each row was seen: (table id, row key) → [(its label token, its tokens)].
_Occurrences = dict[tuple[str, str], list[tuple[Token, list[Token]]]]


@frozen
class GroupTotal:
    """A group printed as one row: its label and its value per column.

    ``values`` is None when the row's numbers do not say one value per
    column (several readings); an entry is None for an empty or absent cell.
    """

    label: str
    values: tuple[Value | None, ...] | None


@frozen
class RowDraft:
    """A row before its cells are decided: its tokens and possible readings.

    ``readings`` is None when the row allows too many readings to list.
    ``initial`` keeps the readings before invariants narrowed them, so a cell
    that only the invariants decided is marked INFERRED, not OK.
    """

    table: str
    key: str
    label: str
    found: bool
    tokens: tuple[Token, ...]
    readings: tuple[Reading, ...] | None
    initial: tuple[Reading, ...] | None
    narrowed_by: tuple[str, ...] = ()
    types: tuple[ValueType, ...] = ()
    #: What narrowed the readings from outside the tables, as a cell's reason
    #: says it: the prose's figures (the text says 「…」), a neighbouring year.
    evidence: tuple[str, ...] = ()
    #: The total of the row's group when the report prints the group as one row
    #: (an older form's, `LabelNode.total_row`) and not this row.
    group_total: GroupTotal | None = None
    #: Why the row's columns are in doubt (a header no order of the form's
    #: columns explains): then no cell of it is decided (`header`).
    doubt: str | None = None
    #: Cells (column index, the equations' ids) that no reading decides but
    #: whose value is 0: non-negative counts that an equation makes sum to 0
    #: (set by `narrow`, issue 18).
    zeros: tuple[tuple[int, str], ...] = ()
    #: Why the row's numbers are not placed (its label stands alone, numbers
    #: printed apart from the labels do not say which row they belong to):
    #: its cells are missing with this reason, never blank.
    unplaced: str | None = None
    #: The order the row prints its columns (``order[i]`` is the spec's column
    #: printed ``i``-th, `header.column_order`); None: the form's. Its
    #: readings are in the spec's order; a search of its numbers is not.
    order: tuple[int, ...] | None = None
    #: Whether a reading may have a lost cell (`segment.LOST`); `narrow` says
    #: no for a report that leaves its empty cells unprinted.
    may_lose: bool = True


@frozen
class TableDraft:
    spec: TableSpec
    rows: tuple[RowDraft, ...]
    #: Units a header stated for a column (``采购总金额(单位:万元)``).
    header_units: tuple[tuple[str, str], ...] = ()


def draft_tables(
    grids: Sequence[TokenGrid], spec: Spec
) -> tuple[tuple[TableDraft, ...], list[Finding]]:
    """Assign each section's tokens to rows and list every row's readings."""
    # labels read through a fuzzy match, said by the grid (labels.fuzzy_findings)
    findings: list[Finding] = [f for grid in grids for f in grid.findings]
    occurrences: _Occurrences = {}
    header_units: dict[tuple[str, str], str] = {}
    unused: list[Token] = []
    unplaced: dict[tuple[str, str], str] = {}
    for grid in grids:
        walk = _RowWalk(spec, grid, occurrences, header_units, findings)
        unused += walk.run()
        unplaced.update(walk.unplaced)
    drafts = []
    places: dict[int, dict[int, int]] = {}  # per grid: each token's index
    for table in spec.tables:
        order = _column_order(table, grids, occurrences, places)
        findings += order.findings
        rows = tuple(
            _unplaced(
                _row_draft(
                    table,
                    leaf,
                    occurrences.get((table.id, leaf.key), []),
                    findings,
                    unused,
                    order,
                ),
                unplaced,
            )
            for leaf in table.row_leaves()
        )
        units = tuple(
            (col, unit) for (tid, col), unit in header_units.items() if tid == table.id
        )
        rows = _group_totals(table, rows, occurrences, findings, unused)
        drafts.append(TableDraft(table, rows, units))
    findings += [unused_finding(token) for token in unused]
    return tuple(drafts), findings


def _row_draft(
    table: TableSpec,
    leaf: Leaf,
    found: list[tuple[Token, list[Token]]],
    findings: list[Finding],
    unused: list[Token],
    order: ColumnOrder,
) -> RowDraft:
    """The draft of one row from where it was seen.

    A row printed twice keeps its first occurrence with numbers; the numbers of
    the others are reported, never summed or silently dropped.
    """
    with_values = [o for o in found if any(t.kind is TokenKind.VALUE for t in o[1])]
    candidates = with_values or found
    for extra in with_values[1:]:
        findings.append(
            Finding(
                "row.duplicate",
                Severity.WARNING,
                f"row {leaf.label!r} of {table.name} appears again with values; the first is used",
                cells=(f"{table.id}.{leaf.key}",),
                span=extra[0].span,
            )
        )
        unused += [t for t in extra[1] if t.kind is TokenKind.VALUE]
    if not candidates:
        return RowDraft(table.id, leaf.key, leaf.label, False, (), (), ())
    tokens = tuple(candidates[0][1])
    if not leaf.node.label:
        tokens = _drop_header_padding(tokens)
    types = table.row_types(leaf)
    readings, types = _readings(tokens, types, order.order)
    return RowDraft(
        table.id,
        leaf.key,
        leaf.label,
        True,
        tokens,
        readings,
        readings,
        types=types,
        doubt=order.doubt,
        order=order.order,
    )


def _readings(
    tokens: tuple[Token, ...],
    types: tuple[ValueType, ...],
    order: tuple[int, ...] | None,
    *,
    search_first: bool = True,
) -> tuple[tuple[Reading, ...] | None, tuple[ValueType, ...]]:
    """A row's readings in the spec's column order, and the types `narrow` may search.

    The numbers are read in the printed order (``order[i]`` is the spec's
    column printed ``i``-th; None: the form's), and each reading is put back in
    the spec's order (`in_spec_order`). `narrow` searches a row with too many
    readings (with ``search_first``, more than `segment.SEARCH_PAST`) in its
    printed order too (``RowDraft.order``), and lists one of up to
    `segment.MAX_READINGS` after all where the search cannot read it (`listed`).
    """
    printed = types if order is None else tuple(types[i] for i in order)
    try:
        readings = row_readings(tokens, printed, search_first=search_first)
    except TooManyReadingsError:
        return None, types  # `narrow` may still search it under its own equations
    return tuple(in_spec_order(readings, order)), types


def listed(row: RowDraft) -> RowDraft:
    """A row drafted without readings (more than `segment.SEARCH_PAST`) with
    them listed after all, up to `segment.MAX_READINGS`, before any equation
    narrowed them; itself where it has more.

    For `narrow`, where the search under the row's own equations could not
    read it: the row is then what it would have been drafted listed.
    """
    readings, _ = _readings(row.tokens, row.types, row.order, search_first=False)
    if readings is None:
        return row
    return evolve(row, readings=readings, initial=readings)


def in_spec_order(
    readings: Sequence[Reading], order: tuple[int, ...] | None
) -> list[Reading]:
    """Readings of a row's numbers in the order it prints its columns, in the spec's."""
    if order is None:
        return list(readings)
    back = sorted(range(len(order)), key=order.__getitem__)  # spec column → printed
    return [tuple(r[i] for i in back) for r in readings]


def _column_order(
    table: TableSpec,
    grids: Sequence[TokenGrid],
    occurrences: _Occurrences,
    places: dict[int, dict[int, int]],
) -> ColumnOrder:
    """The order the table's header prints its columns (`header.column_order`).

    The table starts at its first row: its label, or the first token after
    the header label that opened a row without one; it ends at its rows' last
    token. Only the grid that holds the first row is read. ``places`` keeps
    each grid's token indices, for the next table of its section.
    """
    seen = [
        (leaf, opener, tokens)
        for leaf in table.row_leaves()
        for opener, tokens in occurrences.get((table.id, leaf.key), [])
    ]
    for grid in grids:
        if grid.section != table.section:
            continue
        index = places.get(id(grid))
        if index is None:
            index = places[id(grid)] = {id(t): i for i, t in enumerate(grid.tokens)}
        starts = [
            index[id(opener)] + (0 if leaf.node.label else 1)
            for leaf, opener, _ in seen
            if id(opener) in index
        ]
        if not starts:
            continue
        ends = [index[id(t)] for *_, tokens in seen for t in tokens if id(t) in index]
        anchor = min(starts)
        return column_order(table, grid.tokens, anchor, max([anchor, *ends]))
    return ColumnOrder()


def _unplaced(row: RowDraft, unplaced: dict[tuple[str, str], str]) -> RowDraft:
    """A row whose numbers the walk could not place: no readings, and why.

    Without readings the equations narrow nothing through it (`narrow`), and
    its cells are missing with the reason (`cells`), never blank: the report
    may print its values on the lines apart from the labels.
    """
    reason = unplaced.get((row.table, row.key))
    if reason is None:
        return row
    return evolve(row, readings=(), initial=(), unplaced=reason)


def _drop_header_padding(tokens: tuple[Token, ...]) -> tuple[Token, ...]:
    """Empty cells on lines with no number, before an unlabelled row's first number.

    An unlabelled row is opened by its header, so a line of empty cells after
    the header (a merged header row rendered as ``| | |``) would otherwise
    read as leading blank cells and shift every value.
    """
    value_lines = {t.line for t in tokens if t.kind is TokenKind.VALUE}
    start = 0
    while (
        start < len(tokens)
        and tokens[start].kind is TokenKind.EMPTY
        and tokens[start].line not in value_lines
    ):
        start += 1
    return tokens[start:]


def unused_finding(token: Token) -> Finding:
    """``token.unused``: a number of a table that no cell took (a reading dropped it,
    or no row was open), said so that no number is lost silently."""
    return Finding(
        "token.unused",
        Severity.WARNING,
        f"the number {token.text!r} on line {token.line} is in a table but in no cell",
        span=token.span,
    )


class _RowWalk:
    """One walk over a section's tokens, giving each value to the open row.

    The state is the open row (``current``, None when no row is open) and the
    line of the last header label (``header_line``): empty cells on that line
    pad the header, not the row it opened.
    """

    def __init__(
        self,
        spec: Spec,
        grid: TokenGrid,
        occurrences: _Occurrences,
        header_units: dict[tuple[str, str], str],
        findings: list[Finding],
    ) -> None:
        self.spec = spec
        self.grid = grid
        self.occurrences = occurrences
        self.header_units = header_units
        self.findings = findings
        #: Tables of this section with one unlabelled row: table id → row key.
        self.unlabelled = {
            t.id: t.row_leaves()[0].key
            for t in spec.tables
            if t.section == grid.section
            and len(t.row_leaves()) == 1
            and not t.row_leaves()[0].node.label
        }
        # a row another section already holds is taken: a repeated label in a
        # later section opens its next free namesake (see `_row_ref`)
        self.taken = {key for key, occ in occurrences.items() if occ}
        self.current: list[Token] | None = None
        self.header_line: int | None = None
        #: The line of the label that opened the current row (None for a row
        #: an unlabelled table's header opened), and whether that line gave
        #: the row a delimited cell (then the row is that one line), or a
        #: number (then a later line of numbers alone is no part of it).
        self.row_line: int | None = None
        self.row_shown = False
        self.row_inline = False
        self.unused: list[Token] = []
        self.apart = _ApartLines(grid.tokens, grid.runs_lines)
        #: Rows whose numbers are not placed (`_ApartLines`): key → reason.
        self.unplaced: dict[tuple[str, str], str] = {}

    def run(self) -> list[Token]:
        """Walk the grid; return the values given to no row."""
        for token in self.grid.tokens:
            kind = token.kind
            if kind is TokenKind.VALUE or kind is TokenKind.EMPTY:
                # most tokens: a value goes to the open row (written here, not
                # in a method: a call per number costs a tenth of the walk)
                if kind is TokenKind.EMPTY and token.line == self.header_line:
                    continue  # empty cells that pad a header or caption row
                if (
                    (self.row_shown or self.row_inline)
                    and token.line != self.row_line
                    and (self.row_shown or token.line not in self.apart.worded)
                ):
                    # a delimited row is one line, and its line showed its
                    # cells, empty ones too: a number on a later, unlabelled
                    # line (a page number, the next table's row) is no cell
                    # of it, and must not fill the cells it showed empty; nor
                    # is a later line of numbers alone part of a row printed
                    # with its numbers beside its label (the next table's row
                    # whose header was lost, in a PDF's aligned columns)
                    self.current = None
                    self.row_shown = self.row_inline = False
                if self.current is not None:
                    if (
                        not self.current  # the row has nothing yet: rarely
                        and self.row_line is not None
                        and token.line != self.row_line
                        and self.apart.take(token, self.current)
                    ):
                        continue  # a line of numbers after a label printed alone
                    self.current.append(token)
                    self.header_line = None
                    if token.line == self.row_line:
                        if token.delimited:
                            self.row_shown = True
                        elif kind is TokenKind.VALUE:
                            self.row_inline = True
                elif kind is TokenKind.VALUE:
                    self.unused.append(token)
            elif kind is TokenKind.LABEL:
                if not _is_remark(token):  # a remark belongs to the row it follows
                    self._label(token)
            elif kind is TokenKind.TEXT:
                self.current, self.header_line = None, None
                self.apart.closed()
            elif kind is TokenKind.PROSE:
                self.findings.append(_in_prose(token))
            # a unit cell (TokenKind.UNIT) belongs to the row it follows
        left, findings = self.apart.place(self.spec, self.unplaced)
        self.unused += left
        self.findings += findings
        return self.unused

    def _label(self, token: Token) -> None:
        row = _row_ref(token.refs, self.taken)
        if row is not None:
            key = (row.table, row.key or "")
            self.current = []
            self.occurrences.setdefault(key, []).append((token, self.current))
            self.apart.opened(key, self.current, token.line)
            self.taken.add(key)
            self.header_line = None
            self.row_line, self.row_shown = token.line, False
            self.row_inline = False
            return
        if self._open_group_total(token):
            return
        # a header, caption or group label: it closes the row, may state a
        # column's unit, and (re)opens the row of an unlabelled table
        _note_unit(self.spec, token, self.header_units)
        self.apart.closed()
        table_id = next(
            (r.table for r in token.refs if r.table in self.unlabelled), None
        )
        self.current = (
            None if table_id is None else self._open_unlabelled(token, table_id)
        )
        self.header_line = token.line
        self.row_line, self.row_shown = None, False
        self.row_inline = False

    def _open_group_total(self, token: Token) -> bool:
        """A `total_row` group's label opens the row of the group's total.

        Numbers right after it are that row's (an older form's single row);
        a sub-row label after it closes it empty, as any row label does.
        """
        group = _total_row_group(self.spec, token.refs)
        if group is None:
            return False
        self.current = []
        self.occurrences.setdefault(group, []).append((token, self.current))
        self.header_line = None
        self.row_line, self.row_shown = token.line, False
        return True

    def _open_unlabelled(self, token: Token, table_id: str) -> list[Token]:
        """Each header label (re)opens the unlabelled row.

        An opening that already holds numbers is kept, so a header repeated
        after the data makes a reported duplicate, not lost numbers.
        """
        current: list[Token] = []
        held = self.occurrences.setdefault((table_id, self.unlabelled[table_id]), [])
        if held and not any(t.kind is TokenKind.VALUE for t in held[-1][1]):
            held[-1] = (token, current)
        else:
            held.append((token, current))
        return current


class _ApartLines:
    """Rows whose labels stand alone, and the lines of numbers printed after them.

    A row whose label line holds nothing may take its numbers from the lines
    after it, but only on evidence of the layout's convention, because the
    row printed alone may be an empty row and the numbers another row's,
    another table's (whose header was lost) or a page break's. The lines of
    numbers (no word on them) that come while such a row is open are held
    here, and placed at the end of the section (`place`):

    * **one cell per line** (the ``lines`` exports, shown by a row whose
      lines are one cell each, no more than its columns): each row takes the
      lines after its label that hold a number each at most, as it always
      did, but none that stands farther from its label than the closest two
      row labels of the section (`_far`);
    * **labels apart** (a PDF's label column read before its values, or each
      label above its values): otherwise every held line is one row's
      values; they are placed only when the section prints no number on a
      label's line, as many lines are held as rows were printed alone before
      them, in the same order, each line after its row's label and no wider
      than its row;
    * otherwise nothing held is placed where the convention breaks: the row
      whose lines break it, and the rows printed alone just before it, are
      unplaced (their cells missing, with the reason, never blank) and
      their numbers reported unused.
    """

    def __init__(self, tokens: Sequence[Token], runs: frozenset[int]) -> None:
        #: Lines with a word (a label, a text, a unit): no line of numbers.
        self.worded = frozenset(
            t.line
            for t in tokens
            if t.kind is not TokenKind.VALUE and t.kind is not TokenKind.EMPTY
        )
        #: Lines whose cells the separator runs placed (`TokenGrid.runs_lines`):
        #: their rows are known, and none of them is held.
        self.runs = runs
        #: The rows opened by their labels, in order: key, tokens, held lines.
        self.rows: list[tuple[tuple[str, str], list[Token], list[list[Token]]]] = []
        #: The line of each row's label.
        self.label_lines: list[int] = []
        #: The rows opened after a heading, group label or text.
        self.breaks: set[int] = set()

    def opened(self, key: tuple[str, str], tokens: list[Token], line: int) -> None:
        self.rows.append((key, tokens, []))
        self.label_lines.append(line)

    def closed(self) -> None:
        """A heading, group label or text: the next row does not follow a row."""
        self.breaks.add(len(self.rows))

    def take(self, token: Token, current: list[Token]) -> bool:
        """Hold ``token``, after the label of ``current`` (a row with nothing
        yet), if it stands on a line of numbers."""
        if token.line in self.worded or token.line in self.runs or not self.rows:
            return False
        _, tokens, held = self.rows[-1]
        if tokens is not current:
            return False  # the open row is an unlabelled table's
        if held and held[-1][-1].line == token.line:
            held[-1].append(token)
        else:
            held.append([token])
        return True

    def place(
        self, spec: Spec, unplaced: dict[tuple[str, str], str]
    ) -> tuple[list[Token], list[Finding]]:
        """Place the held lines (class docstring); the numbers left, and findings."""
        holding = [i for i, (_, _, held) in enumerate(self.rows) if held]
        if not holding:
            return [], []
        widths = {t.id: len(t.column_leaves()) for t in spec.tables}
        lines = [line for i in holding for line in self.rows[i][2]]
        # the section's convention: a row printed one cell per line, or a
        # line holding a row's worth of cells
        per_cell = any(
            len(held) > 1
            and all(_cells(line) == 1 for line in held)
            and _valued(held) <= widths[key[0]]
            for key, _, held in self.rows
        )
        per_row = any(_cells(line) > 1 for line in lines) or any(
            _valued(held) > widths[key[0]] for key, _, held in self.rows
        )
        if per_row and not per_cell and self._paired(widths):
            return [], []
        kept = [
            i
            for i in holding
            if (per_cell or not per_row)
            and self._one_cell_per_line(i)
            # without the convention shown, a row printed alone just before
            # may own the line (a table's labels first, then its values)
            and (per_cell or not self._alone_before(i))
        ]
        left: list[Token] = []
        findings: list[Finding] = []
        far = self._cut_far(kept, left) if per_cell else set()
        for i, (_, tokens, held) in enumerate(self.rows):
            if i in far:  # all past its own cells: no row's of this table
                left += [t for line in held for t in line if t.kind is TokenKind.VALUE]
                findings.append(self._unplace(i, unplaced, alone=False))
            elif i in kept:  # in reading order with what the row took itself
                tokens[:] = sorted([*tokens, *(t for ln in held for t in ln)], key=_at)
            elif held:
                left += [t for line in held for t in line if t.kind is TokenKind.VALUE]
                findings.append(self._unplace(i, unplaced))
        return left, findings

    def _one_cell_per_line(self, i: int) -> bool:
        """Row ``i``'s held lines hold a number each at most (besides empty
        cells, ``0 | |``). More of them than the row has columns is the row's
        own excess, which its readings flag (as with the spec of another
        format); a line of several numbers is another row's."""
        return all(_numbers(line) <= 1 for line in self.rows[i][2])

    def _alone_before(self, i: int) -> bool:
        return i > 0 and not any(self.rows[i - 1][1:])

    def _cut_far(self, kept: list[int], left: list[Token]) -> set[int]:
        """Cut off the lines of rows printed one cell per line that stand past
        the cells of a row of their table (their numbers go to ``left``);
        return the rows whose every line does.

        A row's cells lie between its label and the next label, so the
        distance from a row's label to the next row's label bounds a row's
        cells; the longest such distance of the table is taken, since an empty
        row may be printed shorter (seed 004). Where a row with numbers shows
        the distance, lines past it are cut; where only empty rows show it, a
        row whose lines all start past it is unplaced. Such lines are no row's
        printed alone: the row of a table whose heading and header were lost,
        after the last row of a table. Blank lines, kept by the normalised
        text, keep the distances; a heading or text between two rows makes
        their distance no measure (`closed`).
        """
        starts = self.label_lines
        spans: dict[tuple[str, bool], int] = {}  # (table, row with numbers)
        for i in range(len(self.rows) - 1):
            key, _, held = self.rows[i]
            if self.rows[i + 1][0][0] == key[0] and i + 1 not in self.breaks:
                measured = (key[0], bool(held))
                spans[measured] = max(spans.get(measured, 0), starts[i + 1] - starts[i])
        far: set[int] = set()
        for i in kept:
            key, _, held = self.rows[i]
            span = spans.get((key[0], True), 0)
            near = [line for line in held if line[0].line - starts[i] <= span]
            if span > 1 and near:
                for line in held[len(near) :]:
                    left += [t for t in line if t.kind is TokenKind.VALUE]
                held[:] = near
            elif (
                1
                < max(span, spans.get((key[0], False), 0))
                < held[0][0].line - starts[i]
            ):
                far.add(i)  # unplaced, its lines named in the reason
        return far

    def _unplace(
        self, i: int, unplaced: dict[tuple[str, str], str], *, alone: bool = True
    ) -> Finding:
        """Row ``i`` and (``alone``) the rows printed alone just before it:
        unplaced, and why."""
        held = self.rows[i][2]
        first, stop = held[0][0].line, held[-1][-1].line
        where = f"line {first}" if first == stop else f"lines {first}-{stop}"
        reason = (
            "the row's label stands alone and the numbers printed apart from "
            f"the labels ({where}) do not say which row they belong to"
        )
        run = [i]
        while alone and self._alone_before(run[0]):
            run.insert(0, run[0] - 1)
        for j in run:
            unplaced.setdefault(self.rows[j][0], reason)
        return _apart_finding(held[0][0], len(run), where)

    def _paired(self, widths: dict[str, int]) -> bool:
        """Give the k-th held line to the k-th row printed alone, if it fits."""
        lines = [(i, line) for i, (_, _, held) in enumerate(self.rows) for line in held]
        last = lines[-1][0]
        alone = [
            i for i, (_, tokens, _) in enumerate(self.rows[: last + 1]) if not tokens
        ]
        fits = (
            len(alone) == len(lines)
            and all(not tokens for _, tokens, _ in self.rows)
            and all(
                row <= after and _numbers(line) <= widths[self.rows[row][0][0]]
                for row, (after, line) in zip(alone, lines, strict=True)
            )
        )
        if fits:
            for row, (_, line) in zip(alone, lines, strict=True):
                self.rows[row][1].extend(line)
            for _, _, held in self.rows:
                held.clear()
        return fits


def _at(token: Token) -> int:
    return token.start


def _numbers(line: list[Token]) -> int:
    """How many numbers a line holds (its empty cells aside)."""
    return sum(t.kind is TokenKind.VALUE for t in line)


def _cells(line: list[Token]) -> int:
    """How many cells a line shows (an empty cell that may be none aside)."""
    return sum(not t.optional for t in line)


def _valued(held: list[list[Token]]) -> int:
    """How many of the held lines hold a number."""
    return sum(any(t.kind is TokenKind.VALUE for t in line) for line in held)


def _apart_finding(token: Token, rows: int, where: str) -> Finding:
    return Finding(
        "row.values_apart",
        Severity.WARNING,
        f"{rows} row(s) print their labels alone and the numbers on {where} are "
        "printed apart from them: the text does not say which row they belong "
        "to, so they fill no cell",
        span=token.span,
    )


def _is_remark(token: Token) -> bool:
    """A label that can only be a remark (备注, 注:…): it leaves the row open."""
    return all(r.role is LabelRole.REMARK for r in token.refs)


def _in_prose(token: Token) -> Finding:
    return Finding(
        "token.in_prose",
        Severity.INFO,
        f"the number {token.text!r} on line {token.line} is in a sentence inside a table section; it is not read as a cell",
        span=token.span,
    )


def _row_ref(
    refs: tuple[LabelRef, ...], taken: set[tuple[str, str]]
) -> LabelRef | None:
    """The row a label opens: the first it may be that is still free, else the first.

    One text may label rows of several tables (其他 in 二 and 三); the first
    free one is the next the reading order reaches.
    """
    rows = [r for r in refs if r.role is LabelRole.ROW]
    if not rows:
        return None
    return next((r for r in rows if (r.table, r.key or "") not in taken), rows[0])


def _note_unit(
    spec: Spec, token: Token, header_units: dict[tuple[str, str], str]
) -> None:
    """Remember the unit a column's header states in its cell (``单位:万元``)."""
    if not token.attached or not spec.header_unit_pattern:
        return
    try:
        m = search(spec.header_unit_pattern, token.attached)
    except PatternTimeoutError:  # reported by load
        return
    if m:
        for ref in token.refs:
            if ref.role is LabelRole.COLUMN and ref.key:
                header_units[(ref.table, ref.key)] = m.group("unit")


# ---- group total rows (issue 17) ----------------------------------------------
#: The occurrence key of a group's total row: (table id, TOTAL_ROW + group key);
#: no leaf key starts with it.
TOTAL_ROW = "="


def _total_row_group(spec: Spec, refs: tuple[LabelRef, ...]) -> tuple[str, str] | None:
    """The occurrence key of the `total_row` group a label names, if any."""
    for ref in refs:
        if ref.role is LabelRole.GROUP and ref.key:
            table = spec.table(ref.table)
            if any(g.total_row and g.key == ref.key for g in table.row_groups()):
                return ref.table, TOTAL_ROW + ref.key
    return None


def _group_totals(
    table: TableSpec,
    rows: tuple[RowDraft, ...],
    occurrences: _Occurrences,
    findings: list[Finding],
    unused: list[Token],
) -> tuple[RowDraft, ...]:
    """Sub-rows of a group the report printed as one row, given the group's total.

    Only when none of the group's sub-rows is printed: a report that prints
    them and the group's row too has its group numbers reported unused
    (`token.unused`), never added to a sub-row.
    """
    for group in table.row_groups():
        found = occurrences.get((table.id, TOTAL_ROW + (group.key or "")), [])
        with_values = [o for o in found if any(t.kind is TokenKind.VALUE for t in o[1])]
        if not group.total_row or not with_values:
            continue
        children = {leaf.key for leaf in table.row_leaves() if group in leaf.groups}
        for _, extra in with_values[1:]:
            unused += [t for t in extra if t.kind is TokenKind.VALUE]
        label_token, tokens = with_values[0]
        if any(r.found for r in rows if r.key in children):
            unused += [t for t in tokens if t.kind is TokenKind.VALUE]
            continue
        first = next(leaf for leaf in table.row_leaves() if leaf.key in children)
        total = GroupTotal(
            group.label or "", _total_values(tuple(tokens), table.row_types(first))
        )
        rows = tuple(
            evolve(r, group_total=total, types=table.row_types(leaf))
            if r.key in children
            else r
            for r, leaf in zip(rows, table.row_leaves(), strict=True)
        )
        findings.append(
            _group_total_finding(table, group.label or "", label_token, children)
        )
    return rows


def _total_values(
    tokens: tuple[Token, ...], types: tuple[ValueType, ...]
) -> tuple[Value | None, ...] | None:
    """The group row's value per column, when every reading of it agrees."""
    try:
        readings = list(row_readings(tokens, types))
    except TooManyReadingsError:
        return None
    if not readings or any(r != readings[0] for r in readings[1:]):
        return None
    return (
        tuple(slot.value if isinstance(slot, Piece) else None for slot in readings[0])
        if all(isinstance(s, Piece) or s == BLANK for s in readings[0])
        else None
    )


def _group_total_finding(
    table: TableSpec, label: str, token: Token, children: set[str]
) -> Finding:
    """``row.group_total``: a group printed as one row, its sub-rows read from it."""
    return Finding(
        "row.group_total",
        Severity.WARNING,
        f"{table.name}: {label!r} is printed as one row (an older form's), not as "
        f"its {len(children)} sub-rows; they are decided from its total where it "
        "is 0, and flagged elsewhere",
        cells=tuple(
            f"{table.id}.{leaf.key}.{c.key}"
            for leaf in table.row_leaves()
            if leaf.key in children
            for c in table.column_leaves()
        ),
        span=token.span,
    )
