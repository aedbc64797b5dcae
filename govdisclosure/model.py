"""Report, Table, Cell, Finding: the frozen values `load` returns.

The model holds no parsing logic. Derived views (``report.cells``,
``report.table(id)``, ``table.grid()``) are conveniences over the stored tuples.
Every value here is immutable, hashable and picklable, so reports can be
compared, cached and shipped between processes.
"""

from __future__ import annotations

import enum
import operator
from collections import Counter
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import Any, Final, TypeVar

import attrs
import cattrs
from attrs import Factory, field, frozen
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn

from govdisclosure.errors import InputError, KeyNotFoundError, require_extra
from govdisclosure.faults import Fault, fault_of

__all__ = [
    "DECIDED",
    "FINDING_FIELDS",
    "RECORD_FIELDS",
    "YUAN_PER_UNIT",
    "Cell",
    "CellStatus",
    "Coverage",
    "Decision",
    "Fact",
    "Fault",
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
    "finding_record",
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

#: The statuses of cells that carry a value.
_VALUED: Final = frozenset({CellStatus.OK, CellStatus.INFERRED, CellStatus.CORRECTED})


def _counts_column(pd: Any, values: list[Any]) -> Any:
    """Counts (ints, None where there is none) as pandas' nullable ``Int64``,
    built from the ints themselves: a column with a missing value inferred
    first went through floats, and a count past 2**53 came out another
    number. Counts past int64 stay Python ints (an object column)."""
    try:
        return pd.array(values, dtype="Int64")
    except OverflowError:
        return pd.array(values, dtype=object)


class Severity(str, enum.Enum):
    """How serious a finding is: ``error`` means the numbers are wrong."""

    INFO = "info"
    WARNING = "warning"
    ERROR = "error"


#: The columns of `Report.to_records` (and of ``govdisclosure parse -o cells.csv``),
#: docs/records.md. No name is a reserved word of SQL, DuckDB or SQLite, so
#: every column is queried unquoted; a value is in ``count`` (an integer) or in
#: ``amount`` (an exact decimal), never in both.
RECORD_FIELDS = (
    "source",
    "format",
    "organization",
    "year",
    "table_id",
    "row_key",
    "column_key",
    "row_label",
    "column_label",
    "count",
    "amount",
    "unit",
    "amount_yuan",
    "status",
    "raw",
    "note",
    "marker",
    "decided_by",
)

#: The columns of `Report.finding_records` (``parse --findings``, ``check
#: --format``): one row per finding, the report it belongs to first.
FINDING_FIELDS = (
    "source",
    "format",
    "organization",
    "year",
    "code",
    "severity",
    "fault",
    "message",
    "rule",
    "spec",
    "equation",
    "cells",
    "expected",
    "actual",
    "blank_cells",
    "missing_cells",
    "line",
)

#: Money units and their worth in 元, for ``amount_yuan``: an amount printed in
#: another unit, or in none, has no ``amount_yuan`` (never a guessed unit).
#: Units of the Chinese currency, not of a format: no spec changes them.
YUAN_PER_UNIT: Final = {"元": 1, "千元": 1_000, "万元": 10_000, "亿元": 100_000_000}


@frozen
class SourceSpan:
    """Where a piece of the report came from: offsets into the input string.

    ``start``/``end`` index the exact ``text`` passed to `load`; ``line`` is
    1-based.
    """

    start: int
    end: int
    line: int

    def __reduce__(self) -> tuple[type[SourceSpan], tuple[int, int, int]]:
        """Pickled as its fields (see `Cell.__reduce__`)."""
        return (SourceSpan, (self.start, self.end, self.line))


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
    #: What a blank cell prints: a marker (``—``, ``/``, ``无``, ``不适用``) or
    #: ``""`` for nothing; None for a cell that is not blank, or when the text
    #: does not say which of its markers is this cell's. Whether it counts as
    #: 0 is the spec's (``blank_markers`` do, ``not_applicable_markers`` do not).
    marker: str | None = None
    #: Who decided the value, when and why: set on ``CORRECTED`` cells only.
    decision: Decision | None = None

    @property
    def key(self) -> str:
        """The cell's stable address, ``table.row_key.column_key``."""
        return f"{self.table}.{self.row_key}.{self.column_key}"

    def __reduce__(self) -> tuple[type[Cell], tuple[Any, ...]]:
        """Pickled as its fields in order, rebuilt by its ``__init__``.

        A batch's workers send every cell back to the main process, and attrs'
        generic state for a slotted class (a dict per cell, set back field by
        field) made unpickling the main process's largest cost: this halves it.
        The fields are read from the class itself, so a new one is never left out.
        """
        return (Cell, _cell_fields(self))


#: A cell's fields in declaration order, as `Cell.__init__` takes them.
_cell_fields = operator.attrgetter(*(a.name for a in attrs.fields(Cell)))


def _status_counts(cells: Iterable[Cell]) -> str:
    """``ok 250, blank 10, ambiguous 2``: cells by status, in `CellStatus` order."""
    counts = Counter(c.status for c in cells)
    return ", ".join(f"{s.value} {counts[s]}" for s in CellStatus if counts[s])


@frozen(repr=False)
class Table:
    """One statutory table: cells in spec order (row-major).

    In a REPL: ``len(table)`` cells, ``for cell in table``,
    ``table["new_requests", "total"]`` (a `Cell`), ``table.to_frame()`` (the
    table as printed, official labels as index and columns).
    """

    id: str
    name: str
    section: str
    row_keys: tuple[str, ...]
    column_keys: tuple[str, ...]
    cells: tuple[Cell, ...]

    def cell(self, row_key: str, column_key: str) -> Cell:
        """The cell at ``row_key`` × ``column_key``; `KeyNotFoundError` if none."""
        for cell in self.cells:
            if cell.row_key == row_key and cell.column_key == column_key:
                return cell
        if row_key not in self.row_keys:
            known, what = self.row_keys, f"row {row_key!r}; rows"
        else:
            known, what = self.column_keys, f"column {column_key!r}; columns"
        raise KeyNotFoundError(
            f"{self.id} has no {what}: {', '.join(known)}",
            f"{self.id}.{row_key}.{column_key}",
            known,
        )

    def __getitem__(self, key: tuple[str, str]) -> Cell:
        """``table[row_key, column_key]``: `cell`."""
        if not (isinstance(key, tuple) and len(key) == 2):
            raise KeyNotFoundError(
                f"index a table by (row_key, column_key), not {key!r}", str(key)
            )
        return self.cell(*key)

    def __len__(self) -> int:
        """The number of cells (rows × columns), as iteration gives them."""
        return len(self.cells)

    def __iter__(self) -> Iterator[Cell]:
        """The cells in spec order, row by row."""
        return iter(self.cells)

    def __repr__(self) -> str:
        return (
            f"<Table {self.id} {self.name}: {len(self.row_keys)} rows × "
            f"{len(self.column_keys)} columns ({_status_counts(self.cells)})>"
        )

    def grid(self) -> tuple[tuple[Cell, ...], ...]:
        """The cells as rows of columns, in spec order."""
        width = len(self.column_keys)
        return tuple(
            self.cells[i : i + width] for i in range(0, len(self.cells), width)
        )

    def values(self) -> dict[tuple[str, str], Value]:
        """``{(row_key, column_key): value}`` for every cell."""
        return {(c.row_key, c.column_key): c.value for c in self.cells}

    def to_frame(self, *, labels: bool = True) -> Any:
        """The table as the report prints it: a ``pandas.DataFrame``, rows × columns.

        Index and columns are the official labels (groups joined by ``/``), or
        the keys with ``labels=False``. A cell is its value when ``ok`` or
        ``inferred``, else missing (``<NA>``/None): look at the cells for why.
        A column of counts is ``Int64``; one holding amounts keeps exact
        Decimals (object). Needs pandas (the ``pandas`` extra).
        """
        pd = require_extra("pandas", "pandas", "Table.to_frame")
        grid = self.grid()
        if labels and grid:
            index = [row[0].row_label for row in grid]
            columns = [c.column_label for c in grid[0]]
        else:
            index, columns = list(self.row_keys), list(self.column_keys)
        data = {
            j: [row[j].value if row[j].status in _VALUED else None for row in grid]
            for j in range(len(columns))
        }
        frame = pd.DataFrame(data, index=pd.Index(index, dtype=object))
        for j, values in data.items():
            if all(v is None or type(v) is int for v in values):
                frame[j] = _counts_column(pd, values)
        frame.columns = pd.Index(columns, dtype=object)
        return frame


@frozen
class Finding:
    """Something wrong with, or worth knowing about, one report.

    ``code`` is a stable dotted identifier (see docs/findings.md), e.g.
    ``invariant.violated`` or ``token.unused``. ``fault`` says whose fault it
    is (`faults.FAULTS`: the report's, the reader's, or none), from the code.
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
    #: Derived from ``code`` (`faults.FAULTS`), never given: `evolve` with
    #: another code gives the other code's fault.
    fault: Fault = field(init=False)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "fault", fault_of(self.code))


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


@frozen(repr=False)
class Section:
    """A located section of the report: its heading and its body text."""

    id: str
    heading: str
    text: str
    span: SourceSpan | None = None

    def __repr__(self) -> str:
        # the body can be pages long: ``section.text`` shows it
        return f"<Section {self.id} {self.heading!r}: {len(self.text)} characters>"


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

    def __repr__(self) -> str:
        """One line: what a REPL needs to know which report this is and how well it was read."""
        year = self.year if self.year is not None else "year?"
        who = self.organization or "organisation?"
        share = self.coverage.share
        read = "no table" if share is None else f"{share:.1%} decided"
        counts = Counter(f.severity for f in self.findings)
        severities = ", ".join(f"{counts[s]} {s.value}" for s in Severity if counts[s])
        cells = sum(len(t.cells) for t in self.tables)
        return (
            f"<Report {self.format} {year} {who}: {len(self.tables)} tables, "
            f"{cells} cells ({_status_counts(self.cells) or 'none'}), {read}; "
            f"{len(self.findings)} findings ({severities or 'none'})>"
        )

    @property
    def cells(self) -> Iterator[Cell]:
        """Every cell of every table, in spec order."""
        for table in self.tables:
            yield from table.cells

    def table(self, table_id: str) -> Table:
        """The table with id ``table_id``; `KeyNotFoundError` (a KeyError) naming the ids if none."""
        return _by_id(self.tables, table_id, f"no table {table_id!r}; tables")

    def section(self, section_id: str) -> Section:
        """The located section ``section_id``; `KeyNotFoundError` (a KeyError) if it was not found.

        A section the spec declares but the text lacks has a ``section.missing``
        finding; ``{s.id for s in report.sections}`` lists those found.
        """
        return _by_id(
            self.sections,
            section_id,
            f"no section {section_id!r} was located; sections",
        )

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (Decimal as string); `Report.from_dict` reverses it."""
        return unstructure_report(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Report:
        """Rebuild a Report from `to_dict` output, or from a line of ``parse -o x.jsonl``.

        The line's ``source`` (the batch's, not the report's) is set aside.
        Raises `InputError` naming every problem when ``data`` is no report.
        """
        return structure_report(data)

    def to_records(self, source: str | None = None) -> list[dict[str, Any]]:
        """One flat dict per cell (a tidy table), keyed by `RECORD_FIELDS` (docs/records.md).

        ``count`` holds a count (int), ``amount`` an amount (Decimal) as printed
        in ``unit`` and ``amount_yuan`` the same amount in 元 when the unit is
        money (`YUAN_PER_UNIT`); all None unless the status is ``ok``,
        ``inferred`` or ``corrected``. ``status`` is its string value;
        ``decided_by`` says who decided a ``corrected`` cell (else None);
        ``marker`` what a blank cell prints;
        ``source`` is given by the caller (e.g. the file path).
        """
        columns = self.record_columns(source)
        rows = zip(*columns.values(), strict=True)
        return [dict(zip(columns, row, strict=True)) for row in rows]

    def record_columns(self, source: str | None = None) -> dict[str, list[Any]]:
        """`to_records` by column: each of `RECORD_FIELDS` → its values, one per cell.

        What Arrow and Parquet take, built a column at a time (a batch writes
        every report's cells; a dict per cell, then turned into columns, cost
        more than the rest of the batch's main process). `to_records` is these
        columns read row by row, so the two never disagree.
        """
        cells = list(self.cells)
        values = [c.value if c.status in _VALUED else None for c in cells]
        amounts = [v if isinstance(v, Decimal) else None for v in values]
        factors = [YUAN_PER_UNIT.get(c.unit or "") for c in cells]
        n = len(cells)
        return {
            "source": [source] * n,
            "format": [self.format] * n,
            "organization": [self.organization] * n,
            "year": [self.year] * n,
            "table_id": [c.table for c in cells],
            "row_key": [c.row_key for c in cells],
            "column_key": [c.column_key for c in cells],
            "row_label": [c.row_label for c in cells],
            "column_label": [c.column_label for c in cells],
            "count": [v if isinstance(v, int) else None for v in values],
            "amount": amounts,
            "unit": [c.unit for c in cells],
            "amount_yuan": [
                None if a is None or f is None else a * f
                for a, f in zip(amounts, factors, strict=True)
            ],
            "status": [c.status.value for c in cells],
            "raw": [c.raw for c in cells],
            "note": [c.note for c in cells],
            "marker": [c.marker for c in cells],
            "decided_by": [c.decision.by if c.decision else None for c in cells],
        }

    def finding_records(self, source: str | None = None) -> list[dict[str, Any]]:
        """One flat dict per finding, keyed by `FINDING_FIELDS` (docs/records.md).

        The report's ``source``, ``format``, ``organization`` and ``year`` come
        first so findings of many reports make one table; ``expected`` and
        ``actual`` are exact decimal text (as in JSON), ``line`` the line of
        the finding's span.
        """
        head = {
            "source": source,
            "format": self.format,
            "organization": self.organization,
            "year": self.year,
        }
        return [{**head, **finding_record(f)} for f in self.findings]

    def to_frame(self, source: str | None = None) -> Any:
        """`to_records` as a ``pandas.DataFrame`` (needs the ``pandas`` extra).

        ``count`` is ``Int64`` (nullable integers); ``amount`` and
        ``amount_yuan`` hold exact Decimals (object columns: nothing is
        rounded); ``format``, ``table_id``, ``unit`` and ``status`` are
        categorical, ``year`` is ``Int32``.
        """
        pd = require_extra("pandas", "pandas", "Report.to_frame")
        columns = self.record_columns(source)
        columns["count"] = _counts_column(pd, columns["count"])
        frame = pd.DataFrame(columns, columns=list(RECORD_FIELDS))
        return frame.astype(
            {
                "year": "Int32",
                "format": "category",
                "table_id": "category",
                "unit": "category",
                "status": pd.CategoricalDtype([s.value for s in CellStatus]),
            }
        )

    def to_json(self, **kwargs: Any) -> str:
        """The report as a JSON string (``ensure_ascii`` off, so labels stay readable)."""
        import json

        kwargs.setdefault("ensure_ascii", False)
        return json.dumps(self.to_dict(), **kwargs)


@frozen(repr=False)
class Result:
    """One input's outcome in a batch: its Report, or the error that stopped it.

    ``error`` is the error as text (``"InputError: …"``); ``exception`` the
    exception itself. Results cross processes by pickle: the exception keeps
    its type and arguments, not its traceback nor its ``__cause__``; a
    failure no exception describes (a worker killed, the time limit) is a
    builtin one (`ChildProcessError`, `TimeoutError`, `MemoryError`). Two
    Results are equal when path, report, error and value are: the exception
    object is left out of comparison and hashing, and so is the value from
    hashing (a sink's rows are lists and dicts).

    ``value`` is what a batch's ``keep`` function made of the report, where
    it was parsed (`load_many`); the report itself is then None, and ``ok``
    says whether the file was parsed.
    """

    path: str
    report: Report | None
    error: str | None = None
    exception: BaseException | None = field(default=None, eq=False)
    value: Any = field(default=None, hash=False)

    @property
    def ok(self) -> bool:
        """Whether the file was parsed (a failed one has its ``error``)."""
        return self.error is None

    def __repr__(self) -> str:
        if self.error is not None:
            return f"<Result {self.path}: failed: {self.error}>"
        if self.report is None:
            return f"<Result {self.path}: {type(self.value).__name__}>"
        return f"<Result {self.path}: {self.report!r}>"


_Identified = TypeVar("_Identified", Table, Section)


def _by_id(items: tuple[_Identified, ...], key: str, missing: str) -> _Identified:
    """The item whose ``id`` is ``key``; `KeyNotFoundError` saying ``missing``: the ids."""
    for item in items:
        if item.id == key:
            return item
    known = tuple(i.id for i in items)
    raise KeyNotFoundError(f"{missing}: {', '.join(known) or 'none'}", key, known)


def _text(value: Value) -> str | None:
    return None if value is None else str(value)


def finding_record(finding: Finding) -> dict[str, Any]:
    """A finding's own columns of `FINDING_FIELDS` (all but the report's)."""
    return {
        "code": finding.code,
        "severity": finding.severity.value,
        "fault": finding.fault.value,
        "message": finding.message,
        "rule": finding.rule,
        "spec": finding.spec,
        "equation": finding.equation,
        "cells": list(finding.cells),
        "expected": _text(finding.expected),
        "actual": _text(finding.actual),
        "blank_cells": list(finding.blank_cells),
        "missing_cells": list(finding.missing_cells),
        "line": finding.span.line if finding.span else None,
    }


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
converter.register_unstructure_hook(Fault, lambda e: e.value)
# a finding's JSON carries its fault (derived, so not given back when read)
converter.register_unstructure_hook(
    Finding,
    make_dict_unstructure_fn(Finding, converter, _cattrs_include_init_false=True),
)
_structure_finding = make_dict_structure_fn(
    Finding, converter, _cattrs_forbid_extra_keys=True
)
converter.register_structure_hook(
    Finding,
    lambda d, t: _structure_finding({k: v for k, v in d.items() if k != "fault"}, t),
)
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
    """JSON-ready dict → Report; `InputError` naming each problem if it is none.

    ``source``, which ``parse -o x.jsonl`` adds to each line, is set aside.
    Whatever is wrong with ``data`` (a missing or unknown key, a float where
    a value is, a string that is no decimal), the caller gets our error, not
    the converter's: its problems are listed with their place (``$.tables[0]``).
    """
    if not isinstance(data, dict):
        raise InputError(f"a report is a dict, not {type(data).__name__}")
    fields = {k: v for k, v in data.items() if k != "source"}
    try:
        report: Report = converter.structure(fields, Report)
    except Exception as exc:  # any malformed input; the converter's own errors vary
        problems = "; ".join(cattrs.transform_error(exc, path="$"))
        raise InputError(f"not a report: {problems}") from exc
    return report
