"""Empty cells shown by runs of blank lines: a step of the grid (`grid.build_grid`).

Exporters that print a table one cell per line often mark the cell
boundaries with a fixed run of line breaks (bare CRs, blank lines): k
between the cells of a row, r between rows (real 04 and 06: k = 3, r = 5).
An empty cell prints nothing but its separator, so it shows as one more
run of k: 17 breaks after a header's last cell are a row break and four
empty cells (5 + 4 x 3). The grid reads such runs as explicit empty cells,
delimited like a pipe layout's, so that the positional readings of `segment`
place the values, but only where the section itself shows the convention
consistently: where one convention reads every run and fills every row's
columns exactly (`separator_runs`). Anything that contradicts it leaves the
tokens as they were, each value noting why (`Token.runs_note`).

A module of its own because it reads what no cell holds (the lines between
cells), after the cells are read: it takes the grid's tokens and the
section's printed lines and gives the tokens back, with empty cells or not.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Iterator
from typing import Final, NamedTuple

from govdisclosure.memo import by_identity
from govdisclosure.pipeline.tokens import LabelRole, Token, TokenKind
from govdisclosure.spec.model import Spec

__all__ = ["Printed", "separator_runs", "table_widths"]

#: A named tuple built from all its fields by tuple's own constructor, in C
#: (as `tokens.LineCell.token` builds a token).
_new: Final = tuple.__new__


class _Runs(NamedTuple):
    """A separator convention: line breaks between cells and between rows."""

    cell: int  # k
    row: int  # r (equal to k where rows are not told apart)


#: Each printed line of a section (blank lines are in none) → its tokens
#: (before `grid._rejoin_labels`).
Printed = dict[int, list[Token]]


def separator_runs(
    tokens: list[Token],
    printed: Printed,
    stop: int | None,
    widths: dict[str, tuple[int, bool]],
) -> tuple[list[Token], frozenset[int]]:
    """The tokens with the empty cells that runs of blank lines show, if they
    do, and the lines whose cells the runs placed (none if they do not).

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
    first = next((i for i, t in enumerate(tokens) if t.kind in _TABLE), None)
    if first is None or tokens[first].delimited:
        # no table, or one whose first cell is delimited: the region below
        # starts there, so it holds a delimited token (most sections)
        return tokens, frozenset()
    region = _table_region(tokens, printed, first)
    # a delimited line after the table (a page's footer of links) is no part of it
    if region is None or any(
        t.delimited for t in tokens[region.first : region.last + 1]
    ):
        return tokens, frozenset()
    region = _measured(region, printed)
    lines = region.lines
    valued = {n for n in lines if any(t.kind is TokenKind.VALUE for t in printed[n])}
    if all(g == 1 for g in region.gaps):
        return tokens, frozenset()  # no blank line: no run to read
    after = next((n for n in sorted(printed) if n > lines[-1]), stop)
    closes = tokens[region.last]
    if closes.kind is TokenKind.LABEL and not _opens_row(closes):
        after = None  # the run after a header or group label holds no row's cell
    placed, why = _read_runs(tokens, region, valued, after, widths)
    if placed is not None:
        return placed, frozenset(lines)
    note = f"runs of blank lines not read as empty cells: {why}"
    return [
        t._replace(runs_note=note) if t.kind is TokenKind.VALUE else t for t in tokens
    ], frozenset()


def _measured(region: _Region, printed: Printed) -> _Region:
    """The region without its lines of page furniture (a page number, a page
    header: no cell), with the run before each of its lines.

    A page break prints its furniture after the run that ends the cell before
    it, then a run of its own: the run before a line after a page break is
    the one up to the furniture (what the cell before it printed).
    """
    lines: list[int] = []
    gaps: list[int] = []
    end: int | None = None  # where the run before the next line ends
    for n in region.lines:
        if not printed[n]:
            end = n if end is None else end
            continue
        if lines:
            gaps.append((n if end is None else end) - lines[-1])
        lines.append(n)
        end = None
    return region._replace(lines=lines, gaps=tuple(gaps))


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
    gaps = list(region.gaps)
    valued = [a in with_numbers or b in with_numbers for a, b in pairs]
    kinds: dict[tuple[int, bool], int] = {}  # each kind → the line after its first
    after_gap: dict[int, list[int]] = {}  # each run's length → the lines after one
    for gap, beside, line in zip(gaps, valued, lines[1:], strict=True):
        kinds.setdefault((gap, beside), line)
        after_gap.setdefault(gap, []).append(line)
    starts = _line_starts(tokens, region)
    walked = _rows_of(tokens, region, starts, widths)
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
                tried[key] = _placed_by(empties, trailing, starts, after_gap, walked)
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
    #: The run of line breaks before each line but the first (`_measured`).
    gaps: tuple[int, ...] = ()


#: The kinds of a table's tokens: a row's label, a value, an empty cell.
_TABLE: Final = (TokenKind.LABEL, TokenKind.VALUE, TokenKind.EMPTY)


def _table_region(tokens: list[Token], printed: Printed, first: int) -> _Region | None:
    """The table's one-cell lines, and its first and last token.

    From the section's first label or value to its last label, value or
    empty cell before the first line that holds a number beside other
    tokens (no one-cell line: a heading the sections did not find, a row
    glued on one line) or a text that no label reads with numbers after it
    (`_unknown_text`), from which on the tokens are read as they were.
    ``first`` is the index of the section's first label, value or empty cell.
    """
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
            if tokens[i].kind in _TABLE and (cut is None or tokens[i].line < cut)
        ),
        None,
    )
    if last is None:
        return None
    end, stop = tokens[last].line, tokens[last].end
    # the last token may be a label wrapped over lines: its lines are those
    # that start before it ends, and those right after it whose tokens it
    # took in (a label split over the first cells of two lines stands where
    # its first part stood, `grid._split_over_rows`): no token of the stream
    # stands on them
    after = tokens[last + 1].line if last + 1 < len(tokens) else None
    lines: list[int] = []
    for n in numbered:
        if cut is not None and n >= cut:
            break
        if (
            n <= end
            or (printed[n] and printed[n][0].start < stop)
            or (printed[n] and n == lines[-1] + 1 and (after is None or after > n))
        ):
            lines.append(n)
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
    starts: dict[int, int],
    after_gap: dict[int, list[int]],
    rows: _Rows,
) -> tuple[dict[int, int] | None, str]:
    """The empty cells a convention reads before each line, or None and why not.

    ``empties`` gives the empty cells a run of each length shows,
    ``trailing`` those after the last cell. The rows are counted, not
    built: the region's rows as read without the runs (`_rows_of`), each
    with the empty cells of the runs inside it. ``starts`` is the index of
    each of the region's lines' first token, ``after_gap`` the lines after a
    run of each length (most runs show no empty cell: only the lines after
    the others are visited, so ``before`` lists its lines by run, not in
    order, which neither `_unfilled_row` nor `_with_empties` minds).
    """
    # a line → the empty cells in the run before it
    before = {b: c for gap, c in empties.items() if c for b in after_gap[gap]}
    if any(n not in starts for n in before):
        return None, "a run of blank lines ends inside a label wrapped over lines"
    why = _unfilled_row(rows, before, trailing)
    return (None, why) if why else (before, "")


def _line_starts(tokens: list[Token], region: _Region) -> dict[int, int]:
    """Each line of the region → the index of its first token."""
    starts: dict[int, int] = {}
    for i in range(region.first, region.last + 1):
        starts.setdefault(tokens[i].line, i)
    return starts


class _Rows(NamedTuple):
    """The region's rows as the row walk delimits them, before the runs'
    empty cells are counted (`_rows_of`), for `_unfilled_row`."""

    #: Each row's label (None: the cells before the first label, or after a
    #: text), whether it opens a row, and its table's columns (None: not one).
    owners: list[tuple[Token | None, bool, int | None]]
    #: Each row's values and empty cells, those after the region included.
    cells: list[int]
    #: A line → the row the empty cells of the run before it fall in.
    row_of: dict[int, int]


def _rows_of(
    tokens: list[Token],
    region: _Region,
    starts: dict[int, int],
    widths: dict[str, tuple[int, bool]],
) -> _Rows:
    """The rows of the region's tokens, to which each convention's empty cells
    are added (`_unfilled_row`) instead of the tokens being walked again with
    the cells inserted (a section read one cell per line is tried under a
    few conventions: real 04's three sections were walked nine times).

    The row walk (`rows`) gives a label's row the values and empty cells
    after it, up to the next label or text; a unit's or a remark's cell
    belongs to the row it follows. A run's empty cells stand before its
    line's first token, so they fall in the row open before that token.
    After the region, the values its last row would still take (up to the
    next label or text; units passed over) count too: a row cannot be cut
    off at the region's end.
    """
    first_of = {i: n for n, i in starts.items()}
    owners: list[tuple[Token | None, bool, int | None]] = [(None, False, None)]
    cells = [0]
    row_of: dict[int, int] = {}
    # what a label's refs say (a remark only; whether it opens a row, and its
    # width), worked out once per refs tuple: a label read whole shares its
    # key's (`labels.LabelIndex.by_key`) with every printing of it
    said: dict[int, tuple[bool, bool, int | None]] = {}
    for i in range(region.first, region.last + 1):
        token = tokens[i]
        if i in first_of:
            row_of[first_of[i]] = len(cells) - 1
        kind = token.kind
        if kind is TokenKind.VALUE or kind is TokenKind.EMPTY:
            cells[-1] += 1
        elif kind is TokenKind.LABEL:
            known = said.get(id(token.refs))
            if known is None:
                known = (
                    _only_remark(token),
                    _opens_row(token),
                    _owner_width(token, widths),
                )
                said[id(token.refs)] = known
            remark, opens, width = known
            if not remark:
                owners.append((token, opens, width))
                cells.append(0)
        elif kind is not TokenKind.UNIT:
            owners.append((None, False, None))
            cells.append(0)
    for token in tokens[region.last + 1 :]:
        if token.kind is TokenKind.VALUE or token.kind is TokenKind.EMPTY:
            cells[-1] += 1
        elif token.kind is not TokenKind.UNIT:
            break
    return _Rows(owners, cells, row_of)


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
def table_widths(spec: Spec, section_id: str) -> dict[str, tuple[int, bool]]:
    """The section's tables: id → (columns, whether its one row is unlabelled)."""
    return {
        t.id: (
            len(t.column_leaves()),
            len(t.row_leaves()) == 1 and not t.row_leaves()[0].node.label,
        )
        for t in spec.tables
        if t.section == section_id
    }


def _unfilled_row(rows: _Rows, before: dict[int, int], trailing: int) -> str:
    """What row's cells do not fill its table's columns exactly ("" if none),
    with ``before[n]`` empty cells in the run before line n and ``trailing``
    after the region's last cell.

    With the empty cells the runs show, every row of a table printed this
    way has exactly as many cells as columns, and a header or caption none
    (or, for a table whose one row is unlabelled, that row's). Anything
    else, and the runs do not show the table's cells.
    """
    cells = list(rows.cells)
    for line, count in before.items():
        cells[rows.row_of[line]] += count
    cells[-1] += trailing
    for (owner, opens, width), count in zip(rows.owners, cells, strict=True):
        if (count or opens) and width != count:
            where = f"line {owner.line}" if owner else "the section's start"
            return f"the row at {where} has {count} cells for {width or 'no'} columns"
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
