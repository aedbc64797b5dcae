"""TableDraft → Table: each cell's value and status, from what its readings agree on.

Strategy. A row's readings are every way the layout lets its numbers fall into
its columns (`segment`), some dropped by the equations and the prose
(`narrow`). A cell is decided by comparing, column by column, the slots of the
readings before narrowing (``initial``) and after (``readings``):

* every initial reading gives the same slot → ``ok`` (or ``blank`` / ``missing``):
  the text alone decides the cell;
* only the readings the equations left agree → ``inferred``, and the reason
  names the equations (and the sentence of the prose) that decided it;
* the remaining readings disagree → ``ambiguous``, with the candidate values.

A row that was not found is ``missing``; one with too many readings to list,
or none that fits the column types, is ``ambiguous`` with its raw text.
Nothing is guessed: a value reaches an ``ok`` cell only when no reading the
layout allows gives another.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from collections.abc import Set as AbstractSet
from functools import partial
from itertools import chain, compress, filterfalse
from operator import is_, is_not, itemgetter
from typing import Final, NamedTuple

from govdisclosure.memo import by_identity
from govdisclosure.model import Cell, CellStatus, Finding, SourceSpan, Table, Value
from govdisclosure.pipeline.grid import TokenKind
from govdisclosure.pipeline.narrow import CONVENTIONS, NON_NEGATIVE, SET_ASIDE
from govdisclosure.pipeline.rows import (
    GroupTotal,
    RowDraft,
    TableDraft,
    unused_finding,
)
from govdisclosure.pipeline.segment import (
    BLANK,
    GAP,
    LOST,
    MISSING,
    NOT_APPLICABLE,
    Blank,
    Piece,
    Reading,
    Slot,
    Unread,
    may_lose_cells,
)
from govdisclosure.pipeline.values import past_records
from govdisclosure.spec.model import ValueType

__all__ = ["finalize_tables"]

_SHORT_ROW: Final = "the row has fewer cells than columns"
_GAP: Final = (
    "not printed: the row has fewer cells than columns and shows no empty cell"
)
#: The distinct slots of one column over a row's readings, comparable by value.
_Slots = AbstractSet[tuple[str, Value]]
#: The slots of a column in a row of one reading: one, never looked into.
_ONE: Final[_Slots] = frozenset({("one reading", None)})


class _Column(NamedTuple):
    """What a cell of one column needs besides its row: its place and units."""

    key: str
    label: str
    #: The unit the spec fixes (column, else row, else table), if any.
    unit: str | None
    #: The unit the report's header states for the column, if any.
    header_unit: str | None
    #: The units a cell of the column may state itself (``units:`` in the spec).
    allowed: tuple[str, ...]


def finalize_tables(
    drafts: Sequence[TableDraft],
) -> tuple[tuple[Table, ...], list[Finding]]:
    """Cells from readings; findings for numbers no surviving reading uses."""
    tables = []
    findings: list[Finding] = []
    for draft in drafts:
        spec = draft.spec
        row_units = {leaf.key: leaf.node.unit for leaf in spec.row_leaves()}
        # the columns differ between rows only by a unit a row fixes: built once per unit
        columns: dict[str | None, list[_Column]] = {}
        cells: list[Cell] = []
        for row in draft.rows:
            unit = row_units[row.key]
            if unit not in columns:
                columns[unit] = _columns(draft, unit)
            cells += _row_cells(row, columns[unit])
            findings += _unused_in_row(row)
        tables.append(
            Table(
                spec.id,
                spec.name,
                spec.section,
                tuple(r.key for r in spec.row_leaves()),
                tuple(c.key for c in spec.column_leaves()),
                tuple(cells),
            )
        )
    return tuple(tables), findings


def _columns(draft: TableDraft, row_unit: str | None) -> list[_Column]:
    spec = draft.spec
    header_units = dict(draft.header_units)
    return [
        _Column(
            col.key,
            col.label,
            col.node.unit or row_unit or spec.unit,
            header_units.get(col.key),
            col.node.units,
        )
        for col in spec.column_leaves()
    ]


def _row_cells(row: RowDraft, columns: Sequence[_Column]) -> list[Cell]:
    if row.group_total is not None:
        return _group_total_cells(row, row.group_total, columns)
    if (
        row.readings is not None
        and len(row.readings) == 1
        and row.initial is row.readings
        and row.doubt is None
        and not row.zeros
    ):
        return _cells_as_read(row, columns)
    return _cells_by_agreement(row, columns)


def _cells_as_read(row: RowDraft, columns: Sequence[_Column]) -> list[Cell]:
    """The cells of a row of one reading that nothing narrowed: every cell as read.

    Equals `_cells_by_agreement` for such a row (a test checks every cell of
    two reports), without comparing readings: most rows are like this.
    """
    (reading,) = row.readings or ((),)
    cells = []
    for column, slot in zip(columns, reading, strict=True):
        if isinstance(slot, Piece):
            cells.append(_number_cell(row, column, slot, CellStatus.OK, None))
        elif isinstance(slot, Unread):
            cells.append(_unread_cell(row, column, slot))
        elif slot == BLANK:
            marker = _marker(row, [slot])
            cells.append(_empty_cell(row, column, CellStatus.BLANK, marker=marker))
        elif slot is GAP:  # pragma: no cover - a row of gaps has several readings
            cells.append(_empty_cell(row, column, CellStatus.MISSING, _GAP))
        else:
            cells.append(_empty_cell(row, column, CellStatus.MISSING, _SHORT_ROW))
    return cells


def _cells_by_agreement(row: RowDraft, columns: Sequence[_Column]) -> list[Cell]:
    """The cells of any row, each from what its readings agree on (module docstring)."""
    undecided = _undecided_row(row)
    if undecided is not None:
        status, reason, raw = undecided
        cells = [_empty_cell(row, c, status, reason, raw=raw) for c in columns]
    else:
        agreement = _agreement(row, len(columns))
        why = _why(row, any(len(f) > 1 for _, f in agreement))
        cells = [
            _decided_cell(row, column, j, *agreement[j], why)
            for j, column in enumerate(columns)
        ]
    # a row whose header is in doubt, or whose numbers stand apart, has no
    # column places to reason from
    for j, ids in row.zeros if row.doubt is None and row.unplaced is None else ():
        if cells[j].status in (CellStatus.AMBIGUOUS, CellStatus.MISSING):
            cells[j] = _zero_cell(row, columns[j], ids, cells[j])
    return cells


def _zero_cell(row: RowDraft, column: _Column, ids: str, before: Cell) -> Cell:
    """A count no reading decides that equations make sum to 0 with others: 0.

    The reason says why (counts are never negative) and what the cell was
    before: 0 or empty in every reading, several values, or not in the text.
    """
    values = set(before.candidates)
    was = (
        "0 or empty in every reading"
        if before.status is CellStatus.AMBIGUOUS and values <= {0, None}
        else "several readings"
        if before.status is CellStatus.AMBIGUOUS
        else f"not given by the text ({before.reason})"
    )
    reason = f"{CONVENTIONS[NON_NEGATIVE]} (invariants {ids}); {was}"
    return _inferred_zero(row, column, reason, raw=before.raw, span=before.span)


def _inferred_zero(
    row: RowDraft,
    column: _Column,
    reason: str,
    *,
    raw: str | None = None,
    span: SourceSpan | None = None,
) -> Cell:
    """A count the text leaves open that reasoning makes 0 (the reason says why)."""
    return _cell(
        row, column, CellStatus.INFERRED, 0, column.unit, raw, span, (), reason
    )


def _undecided_row(row: RowDraft) -> tuple[CellStatus, str, str | None] | None:
    """Status, reason and raw text of every cell of a row whose readings decide nothing.

    Only a row whose numbers fit no reading shows them: the others have none
    (not found) or too many readings for its raw text to help.
    """
    if not row.found:
        return CellStatus.MISSING, "row not found", None
    if row.doubt is not None:  # the header leaves every column's place in doubt
        return CellStatus.AMBIGUOUS, row.doubt, _raw(row)
    if row.unplaced is not None:
        return CellStatus.MISSING, row.unplaced, None
    if row.readings is None or row.initial is None:
        return CellStatus.AMBIGUOUS, "too many possible readings", None
    if not row.readings:
        return CellStatus.AMBIGUOUS, "no reading fits the column types", _raw(row)
    return None


class _Why(NamedTuple):
    """What the reasons of a row's cells say of the row: the same for each of
    its cells, so said once per row (`_why`)."""

    #: What narrowed the row (`_by`), for an inferred cell's reason.
    by: str
    #: The reason of an ambiguous cell, and the row's raw text it shows.
    several: str
    raw: str | None


def _why(row: RowDraft, ambiguous: bool) -> _Why:
    """The row's `_Why`; the ambiguous cells' part only if it has some."""
    by = _by(row)
    if not ambiguous:
        return _Why(by, "", None)
    several = "the layout allows several readings" + by
    return _Why(by, several + _lost_note(row) + _runs_note(row), _raw(row))


def _decided_cell(
    row: RowDraft,
    column: _Column,
    j: int,
    settled: bool,
    final: _Slots,
    why: _Why,
) -> Cell:
    """A cell of a row with readings: ``settled`` says every initial reading
    gives its column the same slot, ``final`` is the column's distinct final
    slots; ``why`` is what the reasons say of the row."""
    readings = row.readings or ()
    slot = readings[0][j]
    if len(final) > 1:
        values = [v for _, v in final]  # an unread cell's value is None: unknown
        numbers = sorted(v for v in values if v is not None)
        return _empty_cell(
            row,
            column,
            CellStatus.AMBIGUOUS,
            why.several,
            raw=why.raw,
            candidates=(*numbers, *([None] if None in values else [])),
        )
    if isinstance(slot, Unread):
        return _unread_cell(row, column, slot, why.by)
    if slot is GAP:
        return _empty_cell(row, column, CellStatus.MISSING, _GAP)
    if slot == MISSING:
        return _empty_cell(row, column, CellStatus.MISSING, _SHORT_ROW)
    if slot == BLANK:
        reason = (
            None if settled else "blank in every reading the invariants allow" + why.by
        )
        # each slot object once (`_column_slots`): the marker is a set of texts
        blanks = [slot] if len(readings) == 1 else _column_slots(readings)[j]
        marker = _marker(row, [s for s in blanks if s == BLANK])
        return _empty_cell(row, column, CellStatus.BLANK, reason, marker=marker)
    if not isinstance(
        slot, Piece
    ):  # pragma: no cover - a slot is a piece, BLANK or MISSING
        raise TypeError(slot)
    if settled:
        return _number_cell(row, column, slot, CellStatus.OK, None)
    reason = "chosen among readings of the layout" + why.by
    return _number_cell(row, column, slot, CellStatus.INFERRED, reason)


def _empty_cell(
    row: RowDraft,
    column: _Column,
    status: CellStatus,
    reason: str | None = None,
    *,
    raw: str | None = None,
    candidates: tuple[Value, ...] = (),
    span: SourceSpan | None = None,
    marker: str | None = None,
) -> Cell:
    """A cell without a value: blank, missing or ambiguous."""
    return _cell(row, column, status, None, None, raw, span, candidates, reason, marker)


def _marker(row: RowDraft, slots: Sequence[Slot]) -> str | None:
    """What a blank cell prints (``—``, ``/``, ``""`` for nothing), None if not known.

    A blank slot that came from an empty-cell token names it (`segment.Blank`);
    one no token gave (a glued row's unprinted column) printed nothing, unless
    the row prints a marker somewhere that may have been this cell's.
    """
    texts = {row.tokens[s.token].text if isinstance(s, Blank) else None for s in slots}
    if None in texts:
        texts.discard(None)
        marked = any(t.kind is TokenKind.EMPTY and t.text for t in row.tokens)
        texts.add(None if marked else "")
    return texts.pop() if len(texts) == 1 else None


def _cell(
    row: RowDraft,
    column: _Column,
    status: CellStatus,
    value: Value | None,
    unit: str | None,
    raw: str | None,
    span: SourceSpan | None,
    candidates: tuple[Value, ...],
    reason: str | None,
    marker: str | None = None,
) -> Cell:
    """A cell of ``row`` in ``column`` (the places every cell names)."""
    return Cell(
        table=row.table,
        row_key=row.key,
        column_key=column.key,
        row_label=row.label,
        column_label=column.label,
        value=value,
        status=status,
        unit=unit,
        raw=raw,
        span=span,
        candidates=candidates,
        reason=reason,
        marker=marker,
    )


def _unread_cell(row: RowDraft, column: _Column, slot: Unread, by: str = "") -> Cell:
    """A cell the text holds but whose value it does not give: missing, with its text.

    A not-applicable marker (不适用) is blank instead, with the marker: the
    report says what the cell holds, and it is no number.
    """
    if slot.why == NOT_APPLICABLE:
        return _empty_cell(
            row,
            column,
            CellStatus.BLANK,
            f"{slot.text!r} {NOT_APPLICABLE} (not_applicable_markers){by}",
            raw=slot.text,
            span=row.tokens[slot.token].span,
            marker=slot.text,
        )
    return _empty_cell(
        row,
        column,
        CellStatus.MISSING,
        f"unread: {slot.why} ({slot.text!r}){by}",
        raw=slot.text,
        span=row.tokens[slot.token].span,
    )


def _number_cell(
    row: RowDraft,
    column: _Column,
    slot: Piece,
    status: CellStatus,
    reason: str | None,
) -> Cell:
    """A cell holding a number, with its unit: its own if the column allows it,
    else the header's, else the one the spec fixes.

    A number longer than a cell may hold (`values.past_records`: past what
    the records' int64 and decimal128 take) is no report's figure: the cell
    is missing, with the number as its text, rather than a value no export
    can write.
    """
    token = row.tokens[slot.token]
    if (past := past_records(slot.value)) is not None:
        return _empty_cell(
            row,
            column,
            CellStatus.MISSING,
            f"unread: {slot.text!r} has {past}",
            raw=slot.text,
            span=token.span,
        )
    allowed = column.allowed
    unit = slot.unit if slot.unit and (not allowed or slot.unit in allowed) else None
    if allowed and unit is None:
        unit = column.header_unit
    if slot.part:
        glued = f"part of the glued run {token.text!r}"
        reason = f"{reason}; {glued}" if reason else glued
    # positional: most cells are built here, and attrs' keyword call costs
    # a sixth of this step; tests/unit/test_cells.py pins the field order
    return Cell(
        row.table,
        row.key,
        column.key,
        row.label,
        column.label,
        slot.value,
        status,
        unit or column.unit,
        slot.text,
        token.span,
        (),
        reason,
        token.note or None,
    )


def _agreement(row: RowDraft, width: int) -> list[tuple[bool, _Slots]]:
    """Per column: whether every initial reading gives the same slot, and the
    distinct slots of the final readings.

    Computed once per row. The final readings are few after narrowing (their
    distinct slots are listed: an ambiguous cell names its candidates); the
    initial ones may be thousands, and of them a cell needs only whether they
    all agree, and only where the final ones do (`_decided_cell`): asked
    column by column, stopping at the first reading that disagrees
    (`_all_agree`), never listing them.
    """
    final = _distinct(row.readings, width)
    initial = row.initial
    if initial is row.readings:
        return [(len(f) == 1, f) for f in final]
    if not initial or not row.readings:
        # readings `narrow` found by search, none listed before: nothing the
        # text alone decides
        return [(False, f) for f in final]
    first = row.readings[0]
    return [
        (len(f) == 1 and _all_agree(initial, j, first[j]), f)
        for j, f in enumerate(final)
    ]


def _distinct(readings: tuple[Reading, ...] | None, width: int) -> list[_Slots]:
    """Per column, the distinct slots of ``readings`` compared by value.

    A row may have thousands of readings, whose slots are mostly the same
    memoised objects, so each column is deduplicated by identity (in C,
    `_column_slots`) before the slots are compared by value.
    """
    if not readings:
        return [set() for _ in range(width)]
    if len(readings) == 1:  # one reading: nothing to compare
        return [_ONE] * width
    return [{_slot_key(s) for s in column} for column in _column_slots(readings)]


def _all_agree(readings: tuple[Reading, ...], j: int, slot: Slot) -> bool:
    """Whether every reading's slot in column ``j`` equals ``slot`` by value
    (`_slot_key`): ``len(_distinct(readings)[j]) == 1`` for a ``slot`` of
    one of them, without a walk of every column of every reading.

    The walk is in C and stops at the first reading that disagrees: it skips
    the readings holding ``slot`` itself (by identity), then any slot equal to
    one already seen (equal slots have equal keys), so Python looks only at
    each new distinct slot (a test holds it to `_distinct`).
    """
    key = _slot_key(slot)
    seen = {slot}
    others = filterfalse(partial(is_, slot), map(itemgetter(j), readings))
    for other in filterfalse(seen.__contains__, others):
        if _slot_key(other) != key:
            return False
        seen.add(other)
    return True


def _slot_key(slot: Slot) -> tuple[str, Value]:
    """A slot compared by value: two pieces reading the same number agree,
    and so do two readings that leave a cell unread (or missing)."""
    if isinstance(slot, Piece):
        return ("value", slot.value)
    return (str(slot), None)


def _raw(row: RowDraft) -> str | None:
    return " ".join(t.text for t in row.tokens if t.text) or None


def _by(row: RowDraft) -> str:
    """What narrowed the row, for a cell's reason: equations, then prose."""
    ids = [
        i
        for i in row.narrowed_by
        if i not in CONVENTIONS and not i.startswith(SET_ASIDE)
    ]
    why = [f"invariants {', '.join(ids)}"] if ids else []
    why += [_set_aside(i) for i in row.narrowed_by if i.startswith(SET_ASIDE)]
    why += [CONVENTIONS[i] for i in row.narrowed_by if i in CONVENTIONS]
    why += list(row.evidence)  # what each figure said, as `narrow.Stated.said`
    return f" ({'; '.join(why)})" if why else ""


def _runs_note(row: RowDraft) -> str:
    """Why runs of blank lines around the row were not read as its empty cells."""
    note = next((t.runs_note for t in row.tokens if t.runs_note), "")
    return f"; {note}" if note else ""


def _lost_note(row: RowDraft) -> str:
    """What a row printed apart with fewer numbers than columns leaves open
    (`segment._lost_cells`): glued cells, or a lost one. Once per row, and
    over each slot object once (`_every_slot`): a row may have thousands of
    readings, and both questions are whether some slot is so."""
    if not row.readings:
        return ""
    readings = row.readings
    slots = list(_every_slot(readings))
    cut = any(isinstance(s, Piece) and s.part for s in slots)
    if (
        cut
        and any(s is LOST for s in slots)
        and may_lose_cells(row.tokens, len(readings[0]))
    ):
        return (
            "; the row prints fewer numbers than columns: a number may be cells "
            "glued together, or a cell may have been lost"
        )
    return ""


def _set_aside(equation_id: str) -> str:
    """What an equation derived with rows set aside (`narrow.SET_ASIDE`) says."""
    ids, _, rows = equation_id.removeprefix(SET_ASIDE).partition(" with ")
    return (
        f"decided by the equations that hold (invariants {ids} combined); "
        f"{rows} set aside as unsatisfiable"
    )


def _unused_in_row(row: RowDraft) -> list[Finding]:
    """The numbers of a row that no remaining reading places in a cell."""
    if not row.readings:
        found_but_unread = row.readings == () and row.found
        return (
            [unused_finding(t) for t in row.tokens if t.kind is TokenKind.VALUE]
            if found_but_unread
            else []
        )
    used = {
        slot.token
        for slot in _every_slot(row.readings)
        if isinstance(slot, (Piece, Unread))
    }
    return [
        unused_finding(t)
        for i, t in enumerate(row.tokens)
        if t.kind is TokenKind.VALUE and i not in used
    ]


def _every_slot(readings: tuple[Reading, ...]) -> Iterable[Slot]:
    """Every slot object of the readings, once or more: the one reading's
    own (most rows), else each column's distinct ones (`_column_slots`)."""
    if len(readings) == 1:
        return readings[0]
    return chain.from_iterable(_column_slots(readings))


@by_identity(maxsize=2)
def _column_slots(readings: tuple[Reading, ...]) -> list[list[Slot]]:
    """Per column, each slot object of the readings once.

    A row may have thousands of readings, whose slots are mostly the same
    memoised objects, so each column is deduplicated by identity (a dict
    by ``id``) before any slot is looked at further. Cached for the row
    being finalised: its cells (`_agreement`, `_marker`, `_lost_note`) and
    its unused numbers (`_unused_in_row`) all need them, and each pass costs
    a walk over every slot of every reading. Only a row's final readings are
    listed (the initial ones are asked `_all_agree`); two entries all the
    same, the next row's replace them.
    """
    return [
        list({id(s): s for s in _run_starts(column)}.values())
        for column in zip(*readings, strict=True)
    ]


def _run_starts(column: tuple[Slot, ...]) -> list[Slot]:
    """The slots of a column that are not the very object before them.

    Readings are listed choice by choice, so a column's slots come in runs of
    one object (the first columns' runs span hundreds of readings); each
    object's first place starts a run, so deduplicating these (in their
    order) gives what deduplicating the column does, and the runs are cut in
    C, without a step of Python per slot.
    """
    rest = column[1:]
    return [column[0], *compress(rest, map(is_not, column, rest))]


# ---- group total rows (issue 17) ----------------------------------------------


def _group_total_cells(
    row: RowDraft, total: GroupTotal, columns: Sequence[_Column]
) -> list[Cell]:
    """The cells of a sub-row whose group the report printed as one row.

    A count's total of 0 makes each of its sub-rows 0 (counts are not
    negative): inferred, with the reason. Any other total does not say how it
    divides among the sub-rows, so the cell is missing, with the total in
    its reason; never a guessed value.
    """
    said = (
        f"the report prints only the group {total.label!r} as one row (an older form's)"
    )
    cells = []
    for j, column in enumerate(columns):
        value = total.values[j] if total.values is not None else None
        count = j < len(row.types) and row.types[j] is ValueType.INT
        if value == 0 and count and total.values is not None:
            reason = f"{said}, 0 in this column: each of its sub-rows is 0"
            cells.append(_inferred_zero(row, column, reason))
            continue
        what = (
            "its numbers cannot be read one per column"
            if total.values is None
            else f"its total here, {value}, does not say how it divides among them"
            if value is not None
            else "its cell here is empty"
        )
        reason = f"{said}, not its sub-rows: {what}"
        cells.append(_empty_cell(row, column, CellStatus.MISSING, reason))
    return cells
