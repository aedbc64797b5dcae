"""TokenGrid + TableSpec → rows with their readings → Table of Cells.

Strategy. Walking a section's tokens in order, a row label opens its row and
the values after it belong to it until the next label. Header, caption and
group labels close the current row; for a table whose only row has no label
(四's table), its header opens that row. A standalone text cell that matches
no label also closes the row: values after an unknown label are never given to
the row before it (they are reported as unused instead).

Each row's values become readings (`segment`); `invariants` narrows them; then
`finalize_tables` sets each cell's status from what the readings agree on:

* every reading gives the same value → OK (or BLANK / MISSING);
* only the readings that satisfy the invariants agree → INFERRED;
* otherwise → AMBIGUOUS, with the candidate values.
"""

from __future__ import annotations

from collections.abc import Sequence
from collections.abc import Set as AbstractSet
from typing import Final

from attrs import frozen

from govdisclosure.model import Cell, CellStatus, Finding, Severity, Table, Value
from govdisclosure.pipeline.grid import LabelRef, Token, TokenGrid, TokenKind
from govdisclosure.pipeline.segment import (
    BLANK,
    MISSING,
    Piece,
    Reading,
    TooManyReadingsError,
    row_readings,
)
from govdisclosure.spec.model import Spec, TableSpec, ValueType
from govdisclosure.spec.patterns import PatternTimeoutError, search

__all__ = ["RowDraft", "TableDraft", "draft_tables", "finalize_tables"]


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
    #: Sentences of the prose whose figures narrowed the readings.
    evidence: tuple[str, ...] = ()


@frozen
class TableDraft:
    spec: TableSpec
    rows: tuple[RowDraft, ...]
    #: Units a header stated for a column (``采购总金额(单位:万元)``).
    header_units: tuple[tuple[str, str], ...] = ()


def draft_tables(
    spec: Spec, grids: Sequence[TokenGrid]
) -> tuple[tuple[TableDraft, ...], list[Finding]]:
    """Assign each section's tokens to rows and list every row's readings."""
    findings: list[Finding] = []
    occurrences: dict[tuple[str, str], list[tuple[Token, list[Token]]]] = {}
    header_units: dict[tuple[str, str], str] = {}
    unused: list[Token] = []
    for grid in grids:
        unused += _walk(spec, grid, occurrences, header_units, findings)
    drafts = []
    for table in spec.tables:
        rows = []
        for leaf in table.row_leaves():
            types = table.row_types(leaf)
            found = occurrences.get((table.id, leaf.key), [])
            with_values = [
                o for o in found if any(t.kind is TokenKind.VALUE for t in o[1])
            ]
            candidates = with_values or found
            chosen = candidates[0] if candidates else None
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
            if chosen is None:
                rows.append(RowDraft(table.id, leaf.key, leaf.label, False, (), (), ()))
                continue
            tokens = tuple(chosen[1])
            if not leaf.node.label:
                tokens = _drop_header_padding(tokens)
            try:
                readings: tuple[Reading, ...] | None = tuple(
                    row_readings(tokens, types)
                )
            except TooManyReadingsError:
                readings = None
            rows.append(
                RowDraft(
                    table.id,
                    leaf.key,
                    leaf.label,
                    True,
                    tokens,
                    readings,
                    readings,
                    types=types,
                )
            )
        units = tuple(
            (col, unit) for (tid, col), unit in header_units.items() if tid == table.id
        )
        drafts.append(TableDraft(table, tuple(rows), units))
    for token in unused:
        findings.append(_unused(token))
    return tuple(drafts), findings


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


def _unused(token: Token) -> Finding:
    return Finding(
        "token.unused",
        Severity.WARNING,
        f"the number {token.text!r} on line {token.line} is in a table but in no cell",
        span=token.span,
    )


def _walk(
    spec: Spec,
    grid: TokenGrid,
    occurrences: dict[tuple[str, str], list[tuple[Token, list[Token]]]],
    header_units: dict[tuple[str, str], str],
    findings: list[Finding],
) -> list[Token]:
    """Give each value token of the grid to a row; return those given to none."""
    unlabelled = {
        t.id: t.row_leaves()[0].key
        for t in spec.tables
        if t.section == grid.section
        and len(t.row_leaves()) == 1
        and not t.row_leaves()[0].node.label
    }
    taken = {key for key, occ in occurrences.items() if occ}
    current: list[Token] | None = None
    header_line: int | None = None
    unused: list[Token] = []
    for token in grid.tokens:
        kind = token.kind
        if kind is TokenKind.VALUE or kind is TokenKind.EMPTY:  # most tokens
            if kind is TokenKind.EMPTY and token.line == header_line:
                continue  # empty cells that pad a header or caption row
            if current is not None:
                current.append(token)
                header_line = None
            elif kind is TokenKind.VALUE:
                unused.append(token)
            continue
        if kind is TokenKind.UNIT or (
            kind is TokenKind.LABEL
            # most labels are rows: their first ref settles it without all()
            and (not token.refs or token.refs[0].role == "remark")
            and all(r.role == "remark" for r in token.refs)
        ):
            continue  # a unit cell or a remark belongs to the row it follows
        if kind is TokenKind.LABEL:
            row = _row_ref(token.refs, taken)
            if row is not None:
                current = []
                occurrences.setdefault((row.table, row.key or ""), []).append(
                    (token, current)
                )
                taken.add((row.table, row.key or ""))
                header_line = None
                continue
            _note_unit(spec, token, header_units)
            table_id = next(
                (r.table for r in token.refs if r.table in unlabelled), None
            )
            if table_id is None:
                current = None
            else:
                # each header label (re)opens the unlabelled row; an opening
                # that already holds numbers is kept, so a header repeated
                # after the data makes a reported duplicate, not lost numbers
                current = []
                key = (table_id, unlabelled[table_id])
                held = occurrences.setdefault(key, [])
                if held and not any(t.kind is TokenKind.VALUE for t in held[-1][1]):
                    held[-1] = (token, current)
                else:
                    held.append((token, current))
            header_line = token.line
        elif kind is TokenKind.TEXT:
            current, header_line = None, None
        elif kind is TokenKind.PROSE:
            findings.append(
                Finding(
                    "token.in_prose",
                    Severity.INFO,
                    f"the number {token.text!r} on line {token.line} is in a sentence inside a table section; it is not read as a cell",
                    span=token.span,
                )
            )
    return unused


def _row_ref(
    refs: tuple[LabelRef, ...], taken: set[tuple[str, str]]
) -> LabelRef | None:
    rows = [r for r in refs if r.role == "row"]
    if not rows:
        return None
    return next((r for r in rows if (r.table, r.key or "") not in taken), rows[0])


def _note_unit(
    spec: Spec,
    token: Token,
    header_units: dict[tuple[str, str], str],
) -> None:
    if not token.attached or not spec.header_unit_pattern:
        return
    try:
        m = search(spec.header_unit_pattern, token.attached)
    except PatternTimeoutError:  # reported by load
        return
    if m:
        for ref in token.refs:
            if ref.role == "column" and ref.key:
                header_units[(ref.table, ref.key)] = m.group("unit")


def _slot_key(slot: object) -> tuple[str, Value]:
    if isinstance(slot, Piece):
        return ("value", slot.value)
    return (str(slot), None)


def finalize_tables(
    drafts: Sequence[TableDraft],
) -> tuple[tuple[Table, ...], list[Finding]]:
    """Cells from readings; findings for numbers no surviving reading uses."""
    tables = []
    findings: list[Finding] = []
    for draft in drafts:
        spec = draft.spec
        columns = spec.column_leaves()
        units = dict(draft.header_units)
        cells: list[Cell] = []
        row_units = {leaf.key: leaf.node.unit for leaf in spec.row_leaves()}
        for row in draft.rows:
            if (
                row.readings is not None
                and len(row.readings) == 1
                and row.initial is row.readings
            ):
                # the common row: one reading, nothing narrowed, every cell as read
                for col, slot in zip(columns, row.readings[0], strict=True):
                    where = (spec.id, row.key, col.key, row.label, col.label)
                    if slot is BLANK:
                        cells.append(Cell(*where, None, CellStatus.BLANK))
                    elif isinstance(slot, Piece):
                        cells.append(
                            _piece_cell(
                                where,
                                row,
                                slot,
                                CellStatus.OK,
                                None,
                                col.node.unit or row_units[row.key] or spec.unit,
                                units.get(col.key),
                                col.node.units,
                            )
                        )
                    else:
                        cells.append(
                            Cell(*where, None, CellStatus.MISSING, reason=_SHORT_ROW)
                        )
                findings += _unused_in_row(row)
                continue
            agreement = _agreement(row, len(columns))
            for j, col in enumerate(columns):
                cells.append(
                    _cell(
                        (spec.id, row.key, col.key, row.label, col.label),
                        row,
                        j,
                        agreement,
                        col.node.unit or row_units[row.key] or spec.unit,
                        units.get(col.key),
                        col.node.units,
                    )
                )
            findings += _unused_in_row(row)
        tables.append(
            Table(
                spec.id,
                spec.name,
                spec.section,
                tuple(r.key for r in spec.row_leaves()),
                tuple(c.key for c in columns),
                tuple(cells),
            )
        )
    return tuple(tables), findings


_SHORT_ROW: Final = "the row has fewer cells than columns"
_Slots = AbstractSet[tuple[str, Value]]
#: The slots of a column in a row of one reading: one, never looked into.
_ONE: Final[_Slots] = frozenset({("one reading", None)})


def _agreement(row: RowDraft, width: int) -> list[tuple[_Slots, _Slots]]:
    """Per column, the distinct slots of the initial and of the final readings.

    Computed once per row: a row may have thousands of readings, whose slots
    are mostly the same memoised objects, so each column is deduplicated by
    identity (in C) before the slots are compared by value.
    """

    def distinct(readings: Sequence[Sequence[object]] | None) -> list[_Slots]:
        if not readings:
            return [set() for _ in range(width)]
        if len(readings) == 1:  # the common row: one reading, nothing to compare
            return [_ONE] * width
        return [
            {
                _slot_key(s)
                for s in dict(zip(map(id, column), column, strict=True)).values()
            }
            for column in zip(*readings, strict=True)
        ]

    initial = distinct(row.initial)
    final = initial if row.readings is row.initial else distinct(row.readings)
    return list(zip(initial, final, strict=True))


def _cell(
    where: tuple[str, str, str, str, str],
    row: RowDraft,
    j: int,
    agreement: list[tuple[_Slots, _Slots]],
    unit: str | None,
    header_unit: str | None,
    allowed: tuple[str, ...],
) -> Cell:
    """The cell at ``where`` (table, row and column keys and labels), its value,
    status and evidence."""
    if not row.found:
        return Cell(*where, None, CellStatus.MISSING, reason="row not found")
    if row.readings is None or row.initial is None:
        return Cell(
            *where, None, CellStatus.AMBIGUOUS, reason="too many possible readings"
        )
    if not row.readings:
        raw = " ".join(t.text for t in row.tokens if t.text)
        return Cell(
            *where,
            None,
            CellStatus.AMBIGUOUS,
            raw=raw or None,
            reason="no reading fits the column types",
        )
    initial, final = agreement[j]
    slot = row.readings[0][j]
    if len(final) > 1:
        values = [v for _, v in final]
        numbers = sorted(v for v in values if v is not None)
        candidates = (*numbers, *([None] if None in values else []))
        return Cell(
            *where,
            None,
            CellStatus.AMBIGUOUS,
            candidates=candidates,
            raw=" ".join(t.text for t in row.tokens if t.text) or None,
            reason="the layout allows several readings" + _by(row),
        )
    if slot == MISSING:
        return Cell(
            *where,
            None,
            CellStatus.MISSING,
            reason=_SHORT_ROW,
        )
    if slot == BLANK:
        reason = (
            None
            if len(initial) == 1
            else "blank in every reading the invariants allow" + _by(row)
        )
        return Cell(*where, None, CellStatus.BLANK, reason=reason)
    if not isinstance(
        slot, Piece
    ):  # pragma: no cover - slots are pieces, BLANK or MISSING
        raise TypeError(slot)
    status = CellStatus.OK if len(initial) == 1 else CellStatus.INFERRED
    reason = (
        None
        if status is CellStatus.OK
        else "chosen among readings of the layout" + _by(row)
    )
    return _piece_cell(where, row, slot, status, reason, unit, header_unit, allowed)


def _piece_cell(
    where: tuple[str, str, str, str, str],
    row: RowDraft,
    slot: Piece,
    status: CellStatus,
    reason: str | None,
    unit: str | None,
    header_unit: str | None,
    allowed: tuple[str, ...],
) -> Cell:
    """A cell holding a number: its unit (its own if allowed, else the header's)."""
    token_ = row.tokens[slot.token]
    cell_unit = (
        slot.unit if slot.unit and (not allowed or slot.unit in allowed) else None
    )
    if allowed and cell_unit is None:
        cell_unit = header_unit
    if slot.part:
        reason = (
            reason + "; " if reason else ""
        ) + f"part of the glued run {token_.text!r}"
    return Cell(
        *where,
        slot.value,
        status,
        cell_unit or unit,
        slot.text,
        token_.span,
        (),
        reason,
    )


def _by(row: RowDraft) -> str:
    why = [f"invariants {', '.join(row.narrowed_by)}"] if row.narrowed_by else []
    why += [f"the text says 「{s}」" for s in row.evidence]
    return f" ({'; '.join(why)})" if why else ""


def _unused_in_row(row: RowDraft) -> list[Finding]:
    if not row.readings:
        return (
            [_unused(t) for t in row.tokens if t.kind is TokenKind.VALUE]
            if row.readings == () and row.found
            else []
        )
    used = {slot.token for r in row.readings for slot in r if isinstance(slot, Piece)}
    return [
        _unused(t)
        for i, t in enumerate(row.tokens)
        if t.kind is TokenKind.VALUE and i not in used
    ]
