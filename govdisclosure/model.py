"""Report, Table, Cell, Finding: the frozen values `load` returns.

The model holds no parsing logic. Derived views (``report.cells``,
``report.table(id)``, ``table.grid()``) are conveniences over the stored tuples.
Every value here is immutable, hashable and picklable, so reports can be
compared, cached and shipped between processes.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator
from decimal import Decimal
from typing import Any, Final

import attrs
import cattrs
from attrs import Factory, field, frozen

from govdisclosure.errors import require_extra

__all__ = [
    "DECIDED",
    "RECORD_FIELDS",
    "Cell",
    "CellStatus",
    "Coverage",
    "Decision",
    "Fact",
    "Finding",
    "Report",
    "Result",
    "Section",
    "Severity",
    "SourceSpan",
    "Table",
    "TableCoverage",
    "Value",
    "converter",
    "structure_report",
    "unstructure_report",
]

#: A cell value: integers for counts, Decimal for amounts, None when not determined.
Value = int | Decimal | None


class CellStatus(str, enum.Enum):
    """How sure the library is of a cell's value.

    Only ``OK``, ``INFERRED`` and ``CORRECTED`` cells carry a value.
    ``INFERRED`` means the layout allowed several readings and the spec's
    invariants picked one; ``CORRECTED`` that a person decided the value in a
    corrections file (docs/review.md), the cell's `Decision` saying who, when
    and why.
    """

    OK = "ok"
    INFERRED = "inferred"
    BLANK = "blank"
    MISSING = "missing"
    AMBIGUOUS = "ambiguous"
    CORRECTED = "corrected"


#: The statuses of cells whose value is determined, by the text (ok, inferred,
#: blank) or by a person's recorded decision (corrected); sums count a blank as 0.
DECIDED: Final = frozenset(
    {CellStatus.OK, CellStatus.INFERRED, CellStatus.BLANK, CellStatus.CORRECTED}
)


class Severity(str, enum.Enum):
    """How serious a finding is: ``error`` means the numbers are wrong."""

    INFO = "info"
    WARNING = "warning"
    ERROR = "error"


#: The columns of `Report.to_records` (and of ``govdisclosure parse -o cells.csv``).
RECORD_FIELDS = (
    "source",
    "format",
    "organization",
    "year",
    "table",
    "row_key",
    "column_key",
    "row_label",
    "column_label",
    "value",
    "unit",
    "status",
    "raw",
    "note",
    "decided_by",
)


@frozen
class SourceSpan:
    """Where a piece of the report came from: offsets into the input string.

    ``start``/``end`` index the exact ``text`` passed to `load`; ``line`` is
    1-based.
    """

    start: int
    end: int
    line: int


@frozen
class Decision:
    """A person's decision of a cell's value, read from a corrections file.

    Kept on the corrected cell so that every value a person supplied says who
    (``by``), when (``at``, ISO 8601) and why, and what the text gave before
    (``was``: the status the library read); ``override`` is set when the
    decision replaced a value the text decides.
    """

    by: str
    at: str
    why: str
    was: CellStatus
    override: bool = False


@frozen
class Cell:
    """One cell of a statutory table, with how sure we are of it."""

    table: str
    row_key: str
    column_key: str
    row_label: str
    column_label: str
    value: Value
    status: CellStatus
    unit: str | None = None
    raw: str | None = None
    span: SourceSpan | None = None
    #: Possible values when the status is AMBIGUOUS (None stands for "empty").
    candidates: tuple[Value, ...] = ()
    #: Why the cell has its status, e.g. the invariants that decided an INFERRED value.
    reason: str | None = None
    #: A remark the report printed in the cell after its number
    #: (``12（其中修订3件）`` → value 12, note ``其中修订3件``); not a value.
    note: str | None = None
    #: Who decided the value, when and why: set on ``CORRECTED`` cells only.
    decision: Decision | None = None

    @property
    def key(self) -> str:
        """The cell's stable address, ``table.row_key.column_key``."""
        return f"{self.table}.{self.row_key}.{self.column_key}"


@frozen
class Table:
    """One statutory table: cells in spec order (row-major)."""

    id: str
    name: str
    section: str
    row_keys: tuple[str, ...]
    column_keys: tuple[str, ...]
    cells: tuple[Cell, ...]

    def cell(self, row_key: str, column_key: str) -> Cell:
        """The cell at ``row_key`` × ``column_key``; KeyError if the table has none."""
        for cell in self.cells:
            if cell.row_key == row_key and cell.column_key == column_key:
                return cell
        raise KeyError(f"{self.id} has no cell {row_key}.{column_key}")

    def grid(self) -> tuple[tuple[Cell, ...], ...]:
        """The cells as rows of columns, in spec order."""
        width = len(self.column_keys)
        return tuple(
            self.cells[i : i + width] for i in range(0, len(self.cells), width)
        )

    def values(self) -> dict[tuple[str, str], Value]:
        """``{(row_key, column_key): value}`` for every cell."""
        return {(c.row_key, c.column_key): c.value for c in self.cells}


@frozen
class Finding:
    """Something wrong with, or worth knowing about, one report.

    ``code`` is a stable dotted identifier (see docs/findings.md), e.g.
    ``invariant.violated`` or ``token.unused``.
    """

    code: str
    severity: Severity
    message: str
    rule: str | None = None
    spec: str | None = None
    equation: str | None = None
    cells: tuple[str, ...] = ()
    expected: Value = None
    actual: Value = None
    blank_cells: tuple[str, ...] = ()
    missing_cells: tuple[str, ...] = ()
    span: SourceSpan | None = None


@frozen
class Fact:
    """A figure the report's prose states, with the sentence it came from.

    ``cells`` are the table cells whose sum the figure restates (declared by
    the spec's ``narrative``); none for a figure that belongs to no table (a
    report without a statutory table states its figures only in prose), whose
    ``id`` is then its key (``proactive_published``). ``span`` indexes the
    input string; ``unit`` is the unit the spec declares for the figure.
    """

    id: str
    cells: tuple[str, ...]
    value: Value
    sentence: str
    span: SourceSpan | None = None
    unit: str | None = None


def _share(decided: int, declared: int) -> float | None:
    return round(decided / declared, 4) if declared else None


@frozen
class TableCoverage:
    """How much of one declared table the text decided.

    ``declared``: the table's cells in the spec; ``present``: those the text
    has (any status but ``missing``); ``decided``: those whose value the text
    determines, statuses ``ok``, ``inferred`` and ``blank`` (a blank cell is
    read: the report leaves it empty). ``share`` is ``decided / declared``.
    """

    table: str
    declared: int
    present: int
    decided: int
    share: float | None = field(
        default=Factory(lambda c: _share(c.decided, c.declared), takes_self=True)
    )

    @classmethod
    def of(cls, table: Table) -> TableCoverage:
        cells = table.cells
        present = sum(c.status is not CellStatus.MISSING for c in cells)
        decided = sum(c.status in DECIDED for c in cells)
        return cls(table.id, len(cells), present, decided)


@frozen
class Coverage:
    """How much of the report's declared tables the text decided: overall and per table.

    A cell counts as decided when its status is ``ok``, ``inferred`` or
    ``blank``; ``ambiguous`` and ``missing`` cells were not read. ``share``
    is ``decided / declared``, ``None`` for a report whose format declares
    no table (nothing to read, see the ``table.none`` finding).
    """

    declared: int
    present: int
    decided: int
    tables: tuple[TableCoverage, ...] = ()
    share: float | None = field(
        default=Factory(lambda c: _share(c.decided, c.declared), takes_self=True)
    )

    @classmethod
    def of(cls, tables: tuple[Table, ...]) -> Coverage:
        """The coverage of ``tables``, counted from their cells' statuses."""
        each = tuple(TableCoverage.of(t) for t in tables)
        return cls(
            sum(t.declared for t in each),
            sum(t.present for t in each),
            sum(t.decided for t in each),
            each,
        )

    @property
    def complete(self) -> bool:
        """Whether every declared cell was decided (vacuously true with no table)."""
        return self.decided == self.declared

    def unread(self) -> tuple[TableCoverage, ...]:
        """The tables with a cell the text did not decide, in spec order."""
        return tuple(t for t in self.tables if t.decided < t.declared)


@frozen
class Section:
    """A located section of the report: its heading and its body text."""

    id: str
    heading: str
    text: str
    span: SourceSpan | None = None


@frozen
class Report:
    """A parsed annual report: metadata, sections, tables and findings."""

    format: str
    spec_version: int
    year: int | None
    organization: str | None
    title: str | None
    sections: tuple[Section, ...]
    tables: tuple[Table, ...]
    findings: tuple[Finding, ...] = field(factory=tuple)
    #: How well the chosen spec matched the text, from 0 to 1.
    score: float = 1.0
    #: The publication date printed on the page (ISO ``YYYY-MM-DD``), if any.
    published: str | None = None
    #: Figures stated in the prose: those that restate table cells, and those
    #: that belong to no table (see docs/narrative.md).
    facts: tuple[Fact, ...] = field(factory=tuple)
    #: The share of the declared cells the text decided, overall and per table
    #: (counted from ``tables`` unless given; see `Coverage`).
    coverage: Coverage = field(
        default=Factory(lambda r: Coverage.of(r.tables), takes_self=True)
    )

    @property
    def cells(self) -> Iterator[Cell]:
        """Every cell of every table, in spec order."""
        for table in self.tables:
            yield from table.cells

    def table(self, table_id: str) -> Table:
        """The table with id ``table_id``; KeyError naming the known ids if none."""
        for table in self.tables:
            if table.id == table_id:
                return table
        known = ", ".join(t.id for t in self.tables)
        raise KeyError(f"no table {table_id!r}; tables: {known}")

    def section(self, section_id: str) -> Section | None:
        """The located section with id ``section_id``, or None if it was not found."""
        return next((s for s in self.sections if s.id == section_id), None)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (Decimal as string); `Report.from_dict` reverses it."""
        return unstructure_report(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Report:
        """Rebuild a Report from `to_dict` output."""
        return structure_report(data)

    def to_records(self, source: str | None = None) -> list[dict[str, Any]]:
        """One flat dict per cell (a tidy table: ``pandas.DataFrame(records)``).

        Keys: ``source`` (given by the caller, e.g. the file path), ``format``,
        ``organization``, ``year``, ``table``, ``row_key``, ``column_key``,
        ``row_label``, ``column_label``, ``value`` (int, Decimal or None),
        ``unit``, ``status`` (its string value), ``raw``, ``note``,
        ``decided_by`` (who decided a ``corrected`` cell, else None).
        """
        head = {
            "source": source,
            "format": self.format,
            "organization": self.organization,
            "year": self.year,
        }
        return [
            {
                **head,
                "table": c.table,
                "row_key": c.row_key,
                "column_key": c.column_key,
                "row_label": c.row_label,
                "column_label": c.column_label,
                "value": c.value,
                "unit": c.unit,
                "status": c.status.value,
                "raw": c.raw,
                "note": c.note,
                "decided_by": c.decision.by if c.decision else None,
            }
            for c in self.cells
        ]

    def to_frame(self, source: str | None = None) -> Any:
        """`to_records` as a ``pandas.DataFrame`` (needs ``govdisclosure[pandas]``).

        ``value`` holds ints and Decimals as they are (an object column), so
        nothing is rounded; ``frame.value.astype(float)`` when floats will do.
        """
        pd = require_extra("pandas", "pandas", "to_frame")
        return pd.DataFrame.from_records(
            self.to_records(source=source), columns=list(RECORD_FIELDS)
        )

    def to_json(self, **kwargs: Any) -> str:
        """The report as a JSON string (``ensure_ascii`` off, so labels stay readable)."""
        import json

        kwargs.setdefault("ensure_ascii", False)
        return json.dumps(self.to_dict(), **kwargs)


@frozen
class Result:
    """One input's outcome in a batch: its Report, or the error that stopped it."""

    path: str
    report: Report | None
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.report is not None


# ---- JSON form ------------------------------------------------------------
# The one cattrs Converter: Report ↔ plain dicts and JSON. Decimals travel as
# strings (no precision is lost in JSON) and ints as ints; enums as their
# values. ``structure_report(unstructure_report(r)) == r`` holds for every
# report `load` returns.

converter = cattrs.Converter(forbid_extra_keys=True)

for _cls in (
    SourceSpan,
    Decision,
    Cell,
    Table,
    Finding,
    Section,
    TableCoverage,
    Coverage,
    Report,
):
    attrs.resolve_types(_cls)


def _unstructure_value(value: Value) -> int | str | None:
    return str(value) if isinstance(value, Decimal) else value


def _structure_value(data: Any, _: Any) -> Value:
    if data is None or (isinstance(data, int) and not isinstance(data, bool)):
        return data
    if isinstance(data, str):
        return Decimal(data)
    raise TypeError(f"not a cell value: {data!r}")


converter.register_unstructure_hook_func(lambda t: t == Value, _unstructure_value)
converter.register_structure_hook_func(lambda t: t == Value, _structure_value)
converter.register_unstructure_hook(CellStatus, lambda e: e.value)
converter.register_unstructure_hook(Severity, lambda e: e.value)
converter.register_unstructure_hook(Decimal, str)
converter.register_structure_hook(Decimal, lambda d, _: Decimal(d))
converter.register_structure_hook_func(
    lambda t: t == tuple[Value, ...],
    lambda d, _: tuple(_structure_value(v, None) for v in d),
)
converter.register_unstructure_hook_func(
    lambda t: t == tuple[Value, ...],
    lambda vs: [_unstructure_value(v) for v in vs],
)


def unstructure_report(report: Report) -> dict[str, Any]:
    """Report → JSON-ready dict."""
    data: dict[str, Any] = converter.unstructure(report)
    return data


def structure_report(data: dict[str, Any]) -> Report:
    """JSON-ready dict → Report."""
    return converter.structure(data, Report)
