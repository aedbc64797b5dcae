"""Spec, TableSpec, LabelNode, Invariant: the spec language as frozen values.

The classes mirror the YAML schema one to one (see docs/spec-language.md);
`spec.loader` is the only place YAML becomes these objects. A few derived
views (leaf rows and columns with their joined labels) live here because every
later step needs them.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator
from contextlib import AbstractContextManager
from functools import cached_property
from typing import TYPE_CHECKING, Any, Final

from attrs import frozen

# model.py imports nothing of the package, so the spec can share its Severity:
# an invariant's severity is the severity of the findings it produces.
from govdisclosure.model import Severity
from govdisclosure.scoped import Scoped
from govdisclosure.typography import match_text

if TYPE_CHECKING:  # a name only: the spec language's classes are its own (test_docs)
    from govdisclosure.model import Cell

__all__ = [
    "DEFAULT_HEADING_FORMS",
    "ForEach",
    "HeadingForm",
    "Invariant",
    "LabelNode",
    "Leaf",
    "MetadataSpec",
    "NarrativeFact",
    "SectionOrder",
    "SectionSpec",
    "Spec",
    "SpecLimits",
    "TableSpec",
    "ValueType",
    "YearEvidence",
    "YearRule",
    "current_limits",
    "spec_limits",
]


class ValueType(str, enum.Enum):
    """What a cell may hold."""

    INT = "int"  # a non-negative count
    SIGNED_INT = "signed_int"  # a change: -185, +3, 加76项, 减少2项
    DECIMAL = "decimal"  # an amount: 6119919.29元, 24252.311082


class ForEach(str, enum.Enum):
    """How an invariant's equation is instantiated over a table."""

    ROW = "row"  # names in the equation are column keys; one equation per row
    COLUMN = "column"  # names are row keys; one equation per column
    NONE = "none"  # names are ``row_key.column_key``; one equation


@frozen
class LabelNode:
    """A row or column of a table, or a group of them (a merged label cell).

    A leaf has a ``key``; a group has ``children`` and, optionally, a key that
    prefixes its leaves' keys. ``label`` is the
    official text; ``None`` is an unlabelled row (a table with one data row
    under its header, as 四's table). ``aliases`` are other texts seen in real
    reports for the same label.
    """

    label: str | None = None
    key: str | None = None
    aliases: tuple[str, ...] = ()
    children: tuple[LabelNode, ...] = ()
    type: ValueType | None = None
    unit: str | None = None
    #: Units a cell or its header may state (``元``, ``万元``); the first found wins.
    units: tuple[str, ...] = ()
    # ---- fuzzy labels (issue 17) ----
    #: Whether a printed text that is no label may be matched to this label by
    #: edit distance (grid's fuzzy match). ``false`` for a label whose near
    #: misspellings mean something else; the exact label and aliases still match.
    fuzzy: bool = True
    # ---- group total rows (issue 17) ----
    #: On a row group: an older form printed the group as one row holding its
    #: total (2019's single ``（六）其他处理``, three rows in 2021). The group's
    #: label followed by numbers is read as that total, and its sub-rows are
    #: decided from it where it can (a total of 0), flagged otherwise.
    total_row: bool = False


@frozen
class Leaf:
    """A data row or column with its joined label (``法人或其他组织/商业企业``)."""

    key: str
    label: str
    node: LabelNode
    groups: tuple[LabelNode, ...]


@frozen
class TableSpec:
    """One statutory table: where it is, its row and column trees, its value type."""

    id: str
    name: str
    section: str
    rows: tuple[LabelNode, ...]
    columns: tuple[LabelNode, ...]
    #: Fixed texts inside the table that are neither rows nor columns:
    #: captions, notes, the top-left header word. They are recognised and skipped.
    labels: tuple[str, ...] = ()
    #: Fixed texts that explain the label before them, printed in their own cell
    #: (``（不同渠道和方式公开相同信息计1条）``): recognised and skipped, and,
    #: unlike ``labels``, they do not close the row they follow.
    remarks: tuple[str, ...] = ()
    value_type: ValueType = ValueType.INT
    unit: str | None = None

    # The label trees are walked on every use by the pipeline's hot loops;
    # a spec is frozen, so each walk is done once (not pickled, not compared).
    @cached_property
    def _row_leaves(self) -> tuple[Leaf, ...]:
        return tuple(_leaves(self.rows, ()))

    @cached_property
    def _column_leaves(self) -> tuple[Leaf, ...]:
        return tuple(_leaves(self.columns, ()))

    def row_leaves(self) -> tuple[Leaf, ...]:
        return self._row_leaves

    def column_leaves(self) -> tuple[Leaf, ...]:
        return self._column_leaves

    def row_groups(self) -> tuple[LabelNode, ...]:
        return tuple(_groups(self.rows))

    def column_groups(self) -> tuple[LabelNode, ...]:
        return tuple(_groups(self.columns))

    def column_type(self, leaf: Leaf) -> ValueType:
        """A column's value type: its own, else the table's (docs/keys.md lists it)."""
        return leaf.node.type or self.value_type

    def texts(self) -> tuple[str, ...]:
        """Every text of the table as the spec writes it: captions, remarks, and
        the labels and aliases of its rows, columns and groups."""
        return self._texts

    @cached_property
    def _texts(self) -> tuple[str, ...]:
        nodes = [
            *(leaf.node for leaf in (*self._row_leaves, *self._column_leaves)),
            *_groups(self.rows),
            *_groups(self.columns),
        ]
        labelled = (t for node in nodes for t in (node.label, *node.aliases) if t)
        return (*self.labels, *self.remarks, *labelled)

    def cell_type(self, row: Leaf, column: Leaf) -> ValueType:
        """A cell's value type: its column's, else its row's, else the table's."""
        return column.node.type or row.node.type or self.value_type

    def row_types(self, row: Leaf) -> tuple[ValueType, ...]:
        """The value types of a row's cells, column by column."""
        return self._row_types[row.key]

    @cached_property
    def _row_types(self) -> dict[str, tuple[ValueType, ...]]:
        return {
            leaf.key: tuple(self.cell_type(leaf, c) for c in self._column_leaves)
            for leaf in self._row_leaves
        }


def _leaves(
    nodes: tuple[LabelNode, ...], parents: tuple[LabelNode, ...]
) -> Iterator[Leaf]:
    # A leaf's key is prefixed by the keys of its keyed groups, so one list of
    # outcomes can serve several groups (review_upheld, suit_direct_upheld).
    for node in nodes:
        if node.children:
            yield from _leaves(node.children, (*parents, node))
        elif node.key is not None:
            chain = (*parents, node)
            key = "_".join(p.key for p in chain if p.key)
            label = "/".join(p.label for p in chain if p.label)
            yield Leaf(key, label, node, parents)


def _groups(nodes: tuple[LabelNode, ...]) -> Iterator[LabelNode]:
    for node in nodes:
        if node.children:
            yield node
            yield from _groups(node.children)


class SectionOrder(str, enum.Enum):
    """Where a section stands among the others."""

    #: In the order the spec lists it: searched after the section before it,
    #: so a table row that reads like a later heading cannot end a table early.
    LISTED = "listed"
    #: Anywhere: formats that prescribe what a report says but not in what
    #: order (the 2008 regulations' 收费 and 复议 come in either order).
    ANY = "any"


@frozen
class SectionSpec:
    """One section of the report (一、总体情况 …).

    ``number``: the number the format gives it (``二``); ``""`` for a heading
    printed without one (附表 政府信息公开情况统计表); ``None`` for a numbered
    heading whose number the format does not fix (the 2008 regulations list
    what a report must say, and reports number it 三, 四 or 五), matched with
    any section numeral and never reported as renumbered.
    """

    id: str
    number: str | None
    title: str
    aliases: tuple[str, ...] = ()
    #: Words the section must contain (2021: 六 must report 信息处理费).
    must_mention: tuple[str, ...] = ()
    #: Whether it is searched in the listed order or anywhere (`SectionOrder`).
    order: SectionOrder = SectionOrder.LISTED
    #: False: a report may leave it out; its absence is an info finding, not a warning.
    required: bool = True

    @property
    def numbered(self) -> bool:
        """Whether its heading carries a number (its own, or any when ``number`` is None)."""
        return self.number != ""


@frozen
class HeadingForm:
    """How the format prints a section heading: a template of its number and title.

    ``form`` holds ``{number}`` and ``{title}`` once each, for a section
    number and each of the section's titles and aliases (``第{number}部分
    {title}`` is ``第一部分 总体情况``); it is matched in match form, like
    labels. ``{number}`` matches any section numeral, not only the section's
    own: a report may number its sections its own way, and the spec's order
    still holds. ``whole_line``: the heading counts only when it fills its
    line. Without it, a heading may stand anywhere in a line, glued to what
    precedes and follows it as on a collapsed page, unless what follows
    continues a sentence (a closing quote, an enumeration comma).
    """

    form: str
    whole_line: bool = False


#: The heading forms of a spec that declares none, those of the national
#: formats: ``二、Title`` may sit inside a line (collapsed pages); ``（二）Title``
#: counts only as a whole line, because sub-headings of 一、总体情况 use that
#: form followed by prose (seed 004).
DEFAULT_HEADING_FORMS: Final = (
    HeadingForm("{number}、{title}"),
    HeadingForm("（{number}）{title}", whole_line=True),
)


@frozen
class Invariant:
    """An equation the table's numbers must satisfy (勾稽关系).

    ``resolve``: whether the engine may use it to choose among readings of a
    layout that does not determine the cells (cells so chosen are INFERRED).
    Only ``error`` invariants are used so: a softer one is a rule some real
    reports break. ``severity`` is the severity of a violation's finding.
    """

    id: str
    table: str
    equation: str
    for_each: ForEach = ForEach.NONE
    severity: Severity = Severity.ERROR
    description: str = ""
    resolve: bool = True


@frozen
class NarrativeFact:
    """A figure the report's prose states, and the table cells whose sum it restates.

    The prose is the text outside the tables (preamble, 一、总体情况, …), cut
    into sentences; each pattern is tried on each sentence and its group
    ``value`` is the figure (``本年度全区共收到(?P<value>\\d+)件申请``).
    ``resolve``: whether the figure may choose among the readings of a
    collapsed row that the table's equations leave open (cells so chosen are
    INFERRED, the sentence being their reason). A figure never overrides a
    cell the table decides; a disagreement is a ``narrative.disagrees`` finding.

    A fact with no ``cells`` is a *stated figure*: a number the report gives
    only in its prose (a report under the 2008 regulations has no table at
    all: 主动公开政府信息1683条). Its ``id`` is then its key, the figure's only
    name, so the loader requires a key-like id (``proactive_published``); it is
    listed in ``Report.facts`` and neither checked against nor resolving cells.
    """

    id: str
    patterns: tuple[str, ...]
    #: Cells as ``table.row.column`` keys, all of one table; the figure is their sum.
    #: Empty: a stated figure that belongs to no table.
    cells: tuple[str, ...] = ()
    description: str = ""
    resolve: bool = True
    #: The unit the sentence counts in (``条``, ``件``), given to the `Fact`.
    unit: str | None = None


@frozen
class YearRule:
    """An equation between a report and the same organisation's report of the year before.

    Terms are ``this.NAME`` and ``last.NAME``, names as in an `Invariant`
    with the same ``for_each``. ``previous`` is the earlier report's spec id
    (default: this spec) and ``previous_table`` its table (default: ``table``),
    so a rule can cross a change of format. Broken rules are warnings: real
    reports break some legitimately (a clean-up of 规范性文件).
    """

    id: str
    table: str
    equation: str
    for_each: ForEach = ForEach.NONE
    previous: str | None = None
    previous_table: str | None = None
    description: str = ""


@frozen
class YearEvidence:
    """A pattern whose group ``year`` states the statistical year, and its weight."""

    pattern: str
    weight: int = 1


@frozen
class MetadataSpec:
    """How to read the report's metadata and where the report text ends."""

    title_patterns: tuple[str, ...] = ()
    organization_patterns: tuple[str, ...] = ()
    year_evidence: tuple[YearEvidence, ...] = ()
    #: Text that marks the end of the report (web-page footer, spam after it).
    end_markers: tuple[str, ...] = ()
    #: Patterns with groups ``year``, ``month``, ``day`` for the publication date,
    #: tried in order on the text before the first heading.
    date_patterns: tuple[str, ...] = ()
    #: Patterns with a group ``org`` (and optionally ``year``, ``month``, ``day``)
    #: for the signature that closes a report (``河北省教育厅 2020年1月15日``),
    #: tried on the report's last lines; the last match is the signature.
    signature_patterns: tuple[str, ...] = ()
    #: Keys of the page-header lines a crawler or CMS prints before the report
    #: (``标题``, ``发布时间``): on such a line only the value after the colon is
    #: a title candidate, and a key is never a title or an organisation.
    header_keys: tuple[str, ...] = ()


@frozen(cache_hash=True)
class Spec:
    """A template spec: one format version of the annual report."""

    schema: int
    id: str
    version: int
    title: str
    source: str
    sections: tuple[SectionSpec, ...]
    tables: tuple[TableSpec, ...]
    invariants: tuple[Invariant, ...] = ()
    metadata: MetadataSpec = MetadataSpec()
    #: Figures the prose restates (see `NarrativeFact`).
    narrative: tuple[NarrativeFact, ...] = ()
    #: Equations with the previous year's report (see `YearRule`).
    across_years: tuple[YearRule, ...] = ()
    #: Unit words a cell may carry after its number (``22项``, ``251000元``).
    units: tuple[str, ...] = ()
    #: Words before a number that give its sign (``加76项``, ``减少2项``).
    plus_words: tuple[str, ...] = ()
    minus_words: tuple[str, ...] = ()
    #: Cell texts that mean "nothing here" (``——``, ``/``): a blank cell, 0 in equations.
    blank_markers: tuple[str, ...] = ()
    #: Cell texts that mean "not applicable" (``不适用``): a blank cell that
    #: keeps its marker and is no 0: an equation through it is not checked and
    #: chooses no reading (docs/spec-language.md#empty-cells).
    not_applicable_markers: tuple[str, ...] = ()
    #: Patterns for whole cells inside a table section that carry no data,
    #: such as a table's period line ``（2018年度）``; such cells are skipped.
    ignore_patterns: tuple[str, ...] = ()
    #: A pattern with group ``unit`` that finds a unit in a header (``（单位：万元）``).
    header_unit_pattern: str | None = None
    years: tuple[int, ...] = ()
    #: How section headings are printed (see `HeadingForm`).
    heading_forms: tuple[HeadingForm, ...] = DEFAULT_HEADING_FORMS
    # ---- fuzzy labels (issue 17) ----
    #: Whether a printed text that matches no label may be matched to one by a
    #: bounded edit distance (docs/spec-language.md#fuzzy-labels); ``false``
    #: turns it off for the whole spec.
    fuzzy_labels: bool = True
    # ---- conventions of the report (issue 18) ----
    #: Whether a report that prints its zeros as digits (``000``, ``0000000``)
    #: and surely leaves no cell of its tables empty is taken to leave none
    #: empty in a glued row either: readings of a row with an empty cell are
    #: then set aside (docs/spec-language.md#printed-zeros).
    zeros_printed_evidence: bool = False

    @property
    def ref(self) -> str:
        """``id@version``: how findings name the spec that produced them."""
        return f"{self.id}@{self.version}"

    def counts_as_zero(self, cell: Cell) -> bool:
        """Whether an equation may count ``cell`` (decided) with its value, a blank as 0.

        A blank cell printing a not-applicable marker (``不适用``) is no 0.
        """
        if cell.status != "blank" or not cell.marker:
            return True
        return match_text(cell.marker) not in {
            match_text(m) for m in self.not_applicable_markers
        }

    def table(self, table_id: str) -> TableSpec:
        for table in self.tables:
            if table.id == table_id:
                return table
        raise KeyError(table_id)

    def section(self, section_id: str) -> SectionSpec:
        for section in self.sections:
            if section.id == section_id:
                return section
        raise KeyError(section_id)


# ---- bounds: a spec is untrusted input (docs/limits.md) -----------------------


@frozen
class SpecLimits:
    """How large a spec may be; every bound is checked before the work it bounds.

    A spec is YAML a third party writes (a plugin): a few hundred bytes of
    YAML aliases expand to gigabytes, a regular expression can take gigabytes
    to compile, a label of 60,000 characters makes label matching quadratic.
    The defaults are far above what the shipped specs use (docs/limits.md
    lists each with the shipped specs' largest value); a spec past one is a
    `SpecError` naming the bound and `spec_limits`, which raises it.
    """

    #: characters of one spec file
    max_spec_chars: int = 1_000_000
    #: YAML nodes of one spec, counted after its aliases are expanded
    max_nodes: int = 100_000
    #: nesting depth of the YAML, after its aliases are expanded
    max_depth: int = 50
    #: characters of one YAML scalar (a pattern, an equation, a title)
    max_scalar_chars: int = 5_000
    #: digits of one number written in a spec (an int, a coefficient)
    max_digits: int = 15
    #: characters of one label or alias (label matching is quadratic in it)
    max_label_chars: int = 200
    #: characters of one regular expression
    max_pattern_chars: int = 2_000
    #: positions a regular expression expands to once its counted repeats
    #: (``a{1000}``) are unrolled, estimated before it is compiled
    max_pattern_size: int = 100_000
    #: the same, all of one spec's patterns together
    max_patterns_size: int = 400_000
    #: seconds all of one spec's patterns may run, in total, in one `load`
    pattern_budget: float = 2.0


_LIMITS: Final = Scoped("spec_limits", SpecLimits())


def current_limits() -> SpecLimits:
    """The bounds in force here (`spec_limits` changes them)."""
    return _LIMITS.get()


def spec_limits(**changes: Any) -> AbstractContextManager[SpecLimits]:
    """Raise (or lower) some bounds inside a ``with`` block; the others stay.

    ``with spec_limits(max_nodes=1_000_000): Registry([folder])`` reads a
    spec larger than the default allows. The bounds are per thread and task
    (a context variable); a batch takes those in force when `load_many` is
    called to its worker processes.
    """
    return _LIMITS.changed(**changes)
