"""Whose fault a finding is: the report's, the reader's, or nobody's; one entry per code.

Why: a finding can say the agency published wrong numbers (its 勾稽关系 do
not hold, its prose contradicts its table, it contradicts last year) or that
this library could not tell (an ambiguous cell, a table not found). Users act
on the two differently: the first is a finding about the agency, the second
a limit of the tool. The class is declared here once per code, as data, and
every `Finding` carries it (``Finding.fault``); docs/findings.md gives it per code.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

__all__ = ["FAULTS", "Fault", "fault_of"]


class Fault(str, enum.Enum):
    """Whose fault a finding is."""

    #: The report as published is wrong or incomplete: its printed numbers or
    #: prose (a broken equation, prose against table, a break with last year).
    REPORT = "report"
    #: The library could not tell: a cell, table, label or year it could not read.
    READER = "reader"
    #: Nothing is wrong: a note on how the report was read.
    NONE = "none"


_R, _L, _N = Fault.REPORT, Fault.READER, Fault.NONE

#: Every finding code the library raises, and its fault class.
FAULTS: Final[Mapping[str, Fault]] = MappingProxyType(
    {
        "invariant.violated": _R,
        "invariant.unsatisfiable": _R,
        "narrative.disagrees": _R,
        "section.must_mention": _R,
        "row.group_total": _R,
        "across.violated": _R,
        "across.reused": _R,
        "across.neighbours_disagree": _R,
        "stated.dropped": _R,
        "invariant.unchecked": _L,
        "decode.bound": _L,
        "token.unused": _L,
        "label.fuzzy": _L,
        "label.ambiguous": _L,
        "row.duplicate": _L,
        "header.contradicts": _L,
        "row.values_apart": _L,
        "table.missing": _L,
        "table.unread": _L,
        "section.missing": _L,
        "spec.close_call": _L,
        "year.unknown": _L,
        "metadata.title_unknown": _L,
        "metadata.organization_unknown": _L,
        "spec.pattern_timeout": _L,
        "spec.pattern_budget": _L,
        "across.duplicate": _L,
        "across.unplaced": _L,
        "across.undecided_agency": _L,
        "file.failed": _L,
        "coverage.incomplete": _L,
        "token.in_prose": _N,
        "header.generic": _N,
        "header.unknown": _N,
        "header.repeated": _N,
        "header.reordered": _N,
        "table.placeholder": _N,
        "table.none": _N,
        "section.located_by_table": _N,
        "section.renumbered": _N,
        "year.title_mismatch": _N,
        "input.html": _N,
        "input.encoding": _N,
        "across.merged": _N,
        "across.neighbours": _N,
        "correction.applied": _N,
        "correction.settled": _N,
        "correction.override": _N,
        "correction.stale": _N,
        "correction.conflict": _N,
        "correction.unknown": _N,
        "correction.type": _N,
    }
)


def fault_of(code: str) -> Fault:
    """The fault class of ``code``; a code not declared (a caller's own) is the reader's:
    a finding is never blamed on the report unless declared so."""
    return FAULTS.get(code, Fault.READER)
