"""Decisions as data: a person's values for flagged cells, kept beside the report.

A corrections file (``NAME.corrections.yaml`` beside ``NAME.txt``, see
docs/review.md) holds, per cell key, the value a person decided, who, when,
why, and the raw text (and span) they saw. It is data, not a patch of the
library's output, so a re-parse by a better library applies it again:

* a decision whose ``raw`` no longer equals the cell's raw text (the report
  was re-crawled, or the library now reads the cell from another place) is
  **stale**: not applied, said as a ``correction.stale`` warning;
* a decision that contradicts a cell the text decides (``ok``, ``inferred``
  or ``blank`` with another value) is a **conflict**: not applied unless
  marked ``override: true`` (``correction.conflict`` / ``correction.override``);
* a decision the text now agrees with changes nothing (``correction.settled``);
* otherwise the cell becomes ``corrected``, with a `Decision` saying who,
  when and why, and the equations are checked again with its value (`api`).

A file that cannot be read as corrections is a `CorrectionsError` naming
``file:line`` for every problem, and nothing of it is applied. The reader
never constructs arbitrary YAML objects: it walks the composed nodes of a
safe loader, so each value is checked from its own text and place.
"""

from __future__ import annotations

import re
import stat
import unicodedata
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, Final

import yaml
from attrs import evolve, frozen

from govdisclosure.errors import GovDisclosureError
from govdisclosure.model import (
    DECIDED,
    Cell,
    CellStatus,
    Decision,
    Finding,
    Severity,
    Table,
    Value,
)
from govdisclosure.pipeline.values import MAX_AMOUNT_DIGITS, MAX_COUNT_DIGITS
from govdisclosure.spec.model import TableSpec, ValueType

__all__ = [
    "CORRECTIONS_SUFFIX",
    "KEY",
    "Correction",
    "Corrections",
    "CorrectionsError",
    "apply_corrections",
    "bad_character",
    "beside",
    "cell_types",
    "dump_corrections",
    "is_when",
    "parse_corrections",
    "parse_value",
    "read_corrections",
    "read_small",
]

#: ``NAME.corrections.yaml`` beside ``NAME.txt`` (or .html, .pdf, .docx).
CORRECTIONS_SUFFIX: Final = ".corrections.yaml"
#: The format's version, written as ``corrections: 1`` at the top of a file.
VERSION: Final = 1
#: A corrections file larger than this is refused unread: a person's decisions
#: are small (a report has some 200 cells, a decision ~300 bytes), and reading
#: a file this size already takes seconds.
MAX_BYTES: Final = 2**20

#: A cell key as a decision names it: ``table.row_key.column_key``.
KEY: Final = re.compile(r"[A-Za-z0-9_]+\.[A-Za-z0-9_]+\.[A-Za-z0-9_]+")
#: A decided value has the bounds a cell's value has (`values.past_records`):
#: a count fits an int64 column, an amount decimal128(38, 8) in 元 too
#: (docs/records.md). A longer value is no figure a report prints, and would
#: fail every export.
_COUNT = re.compile(rf"[0-9]{{1,{MAX_COUNT_DIGITS}}}")
_AMOUNT = re.compile(
    rf"[0-9]{{1,{MAX_AMOUNT_DIGITS[0]}}}\.[0-9]{{1,{MAX_AMOUNT_DIGITS[1]}}}"
)
#: A span's offsets: a report is far shorter than 10**12 characters.
_OFFSET = re.compile(r"[0-9]{1,12}")
#: How deep a corrections file nests: three levels are the format's, the rest slack.
_MAX_DEPTH = 8
#: The tags a plain YAML value resolves to; any other (``!!python/…``) is refused.
_CORE_TAGS = frozenset(
    f"tag:yaml.org,2002:{t}"
    for t in ("str", "int", "float", "bool", "null", "map", "seq", "timestamp")
)
_NULLS = ("", "~", "null", "Null", "NULL")
_FIELDS = ("value", "by", "at", "why", "raw", "span", "override")
_REQUIRED = ("value", "by", "at", "why", "raw")


class CorrectionsError(GovDisclosureError, ValueError):
    """A corrections file is malformed; ``problems`` lists each as ``file:line: what``."""

    def __init__(self, problems: Iterable[str]) -> None:
        self.problems: tuple[str, ...] = tuple(problems)
        listed = "; ".join(self.problems[:5])
        more = f" (and {len(self.problems) - 5} more)" if len(self.problems) > 5 else ""
        super().__init__(f"{listed}{more}; no correction of the file was applied")

    def __reduce__(self) -> tuple[Any, ...]:
        # rebuilt from its problems: unpickling calls the class with ``args``
        # (the message), which would be read as a list of problems
        return (type(self), (self.problems,))


@frozen
class Correction:
    """One decided cell: its key, value (None: empty), who, when, why, what was seen."""

    cell: str
    value: Value
    by: str
    at: str
    why: str
    raw: str | None
    span: tuple[int, int] | None = None
    override: bool = False
    #: Where the decision stands in its file (1-based), for messages.
    line: int = 0


@frozen
class Corrections:
    """The decisions of one file, in file order; ``path`` names it in findings."""

    path: str
    items: tuple[Correction, ...]


def beside(report_path: str | Path) -> Path:
    """The corrections file of a report: ``reports/03.txt`` → ``reports/03.corrections.yaml``."""
    path = Path(report_path)
    return path.with_name(path.stem + CORRECTIONS_SUFFIX)


def read_corrections(path: str | Path) -> Corrections:
    """Read and check a corrections file; `CorrectionsError` (file:line) if malformed."""
    where = str(path)
    data = read_small(path, MAX_BYTES)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CorrectionsError([f"{where}: not UTF-8 ({exc.reason})"]) from exc
    return parse_corrections(text, where)


def read_small(path: str | Path, limit: int) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes; `CorrectionsError` otherwise.

    Checked before it is opened: a named pipe would block the read for ever,
    a device (``/dev/zero``) never ends, a folder is no file.
    """
    where = str(path)
    try:
        if not stat.S_ISREG(Path(path).stat().st_mode):
            raise CorrectionsError(
                [
                    f"{where}: not a regular file (a folder, a pipe or a device), not read"
                ]
            )
        with Path(path).open("rb") as stream:
            data = stream.read(limit + 1)
    except OSError as exc:
        raise CorrectionsError(
            [f"{where}: cannot be read ({exc.strerror or exc})"]
        ) from exc
    if len(data) > limit:
        raise CorrectionsError([f"{where}: larger than {limit} bytes, not read"])
    return data


class _Refused(yaml.composer.ComposerError):
    """YAML that is well formed but not allowed in a corrections file."""


class _Loader(yaml.SafeLoader):
    """A safe loader that refuses, as it composes, what a corrections file never needs.

    Anchors and aliases (an alias bomb; a value that is another's), tags
    other than the core schema's (``!!python/object``), and nesting past
    `_MAX_DEPTH` (PyYAML composes recursively: a deep file would exhaust
    Python's stack rather than be refused).
    """

    _depth = 0

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        event = self.peek_event()  # type: ignore[no-untyped-call]
        problem = None
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            problem = "anchors and aliases are not allowed in a corrections file"
        elif getattr(event, "tag", None) not in (None, "!", *_CORE_TAGS):
            problem = f"the tag {getattr(event, 'tag', '')!r} is not allowed"
        elif self._depth >= _MAX_DEPTH:
            problem = f"nested deeper than {_MAX_DEPTH} levels"
        if problem is not None:
            raise _Refused(None, None, problem, event.start_mark)
        self._depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def parse_corrections(text: str, where: str = "<corrections>") -> Corrections:
    """A corrections file's text → `Corrections`; every problem located, none applied."""
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else 1
        said = "" if isinstance(exc, _Refused) else "not YAML: "
        raise CorrectionsError([f"{where}:{line}: {said}{exc.problem}"]) from exc
    except yaml.YAMLError as exc:
        raise CorrectionsError([f"{where}:1: not YAML: {exc}"]) from exc
    problems: list[str] = []
    items = _document(root, _Located(where, problems))
    if problems:
        raise CorrectionsError(problems)
    return Corrections(where, tuple(items))


class _Located:
    """Collects problems as ``file:line: what`` (aliases were refused as the file was composed)."""

    def __init__(self, where: str, problems: list[str]) -> None:
        self.where = where
        self.problems = problems
        #: The line of the key each value stands under (a decision is located by its key).
        self.key_lines: dict[int, int] = {}

    def add(self, node: yaml.Node | None, what: str) -> None:
        line = node.start_mark.line + 1 if node is not None else 1
        self.problems.append(f"{self.where}:{line}: {what}")

    def mapping(self, node: yaml.Node, what: str) -> list[tuple[str, yaml.Node]] | None:
        """A mapping's (key, value node) pairs; None (and a problem) if it is none."""
        if not isinstance(node, yaml.MappingNode):
            self.add(node, f"{what} must be a mapping")
            return None
        pairs: list[tuple[str, yaml.Node]] = []
        keys: set[str] = set()  # a set: a file may hold tens of thousands of cells
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            if not isinstance(key, str):
                self.add(key_node, f"a key of {what} must be a plain text")
            elif key in keys:
                self.add(key_node, f"{key!r} is written twice in {what}")
            else:
                keys.add(key)
                pairs.append((key, value_node))
                self.key_lines[id(value_node)] = key_node.start_mark.line + 1
        return pairs


def _document(root: yaml.Node | None, at: _Located) -> list[Correction]:
    """The top level: ``corrections: 1``, an optional ``report``, and ``cells``."""
    if root is None:
        at.add(None, "empty file: expected `corrections: 1` and `cells:`")
        return []
    top = at.mapping(root, "the file")
    if top is None:
        return []
    fields = dict(top)
    for key, node in top:
        if key not in ("corrections", "report", "cells"):
            at.add(node, f"unknown key {key!r} (expected corrections, report, cells)")
    version = fields.get("corrections")
    if version is None or _scalar(version) != str(VERSION):
        at.add(
            version or root, f"expected `corrections: {VERSION}` (the format's version)"
        )
    if "report" in fields:  # a list or a mapping there was read as nothing
        _text(fields["report"], "report", at, required=True)
    cells = fields.get("cells")
    if cells is None:
        at.add(root, "no `cells:` mapping")
        return []
    if isinstance(cells, yaml.ScalarNode) and cells.value in _NULLS:
        return []  # `cells:` with nothing decided yet
    pairs = at.mapping(cells, "cells")
    return [] if pairs is None else [_decision(k, n, at) for k, n in pairs]


def _decision(key: str, node: yaml.Node, at: _Located) -> Correction:
    """One cell's decision; its problems are collected, a placeholder returned."""
    if not KEY.fullmatch(key):
        at.add(node, f"{key!r} is no cell key (table.row_key.column_key)")
    pairs = at.mapping(node, f"the decision on {key}") or []
    fields = dict(pairs)
    for name, value_node in pairs:
        if name not in _FIELDS:
            at.add(
                value_node,
                f"{key}: unknown field {name!r} (fields: {', '.join(_FIELDS)})",
            )
    for name in _REQUIRED:
        if name not in fields and pairs:
            at.add(node, f"{key}: `{name}` is required")
    return Correction(
        cell=key,
        value=_value(fields.get("value"), key, at),
        by=_text(fields.get("by"), f"{key}: by", at, required=True),
        at=_when(fields.get("at"), key, at),
        why=_text(fields.get("why"), f"{key}: why", at, required=True),
        raw=_text(fields.get("raw"), f"{key}: raw", at, required=False) or None,
        span=_span(fields.get("span"), key, at),
        override=_flag(fields.get("override"), key, at),
        line=at.key_lines.get(id(node), node.start_mark.line + 1),
    )


def _scalar(node: yaml.Node | None) -> str | None:
    """A scalar's text as written (None for a plain null, or no scalar)."""
    if not isinstance(node, yaml.ScalarNode):
        return None
    if node.style is None and node.value in _NULLS:
        return None
    return str(node.value)


def _value(node: yaml.Node | None, key: str, at: _Located) -> Value:
    """A count (digits), an amount (digits.digits) or null (the cell is empty)."""
    if node is None:
        return None
    if not isinstance(node, yaml.ScalarNode):
        at.add(node, f"{key}: value must be a number or null")
        return None
    text = _scalar(node)
    if text is None:
        return None
    try:
        return parse_value(text)
    except ValueError as exc:
        at.add(node, f"{key}: {exc}")
    return None


def parse_value(text: str) -> Value:
    """A decided value's text: digits are a count, digits.digits an amount.

    No sign, no separator, no exponent: a person types the value as the
    report prints it, and anything else is refused rather than guessed.
    """
    text = text.strip()
    if _COUNT.fullmatch(text):
        return int(text)
    if _AMOUNT.fullmatch(text):
        return Decimal(text)
    shown = repr(text) if len(text) <= 40 else repr(text[:40]) + "…"
    if re.fullmatch(r"[0-9]+(\.[0-9]+)?", text):
        whole, places = MAX_AMOUNT_DIGITS
        raise ValueError(
            f"value {shown} is too long: a count has at most {MAX_COUNT_DIGITS} "
            f"digits, an amount at most {whole} before the point and {places} after"
        )
    raise ValueError(f"value {shown} is no count or amount (e.g. 12, 3.5, null)")


def is_when(text: str) -> bool:
    """Whether ``text`` is an ISO 8601 date or date-time (a trailing Z allowed)."""
    try:
        if len(text) == 10:
            date.fromisoformat(text)
        else:  # Python 3.10 reads no trailing Z
            datetime.fromisoformat(text[:-1] + "+00:00" if text.endswith("Z") else text)
    except ValueError:
        return False
    return True


def bad_character(text: str, *, person: bool = True) -> str | None:
    """The first character ``text`` may not hold, as a message; None when it is clean.

    Nothing can hold a lone surrogate (no file encodes it: every export would
    fail). A person's words (``person``: by, at, why) hold no control
    character but line breaks and tabs (a terminal or a page acts on them)
    and no bidirectional override or isolate, which make a name display as
    another ("Trojan Source"). ``raw`` is the report's own text, which the
    decision must equal, so only surrogates are refused there.
    """
    for ch in text:
        kind = unicodedata.category(ch)
        if kind == "Cs" or (
            person
            and (
                (kind == "Cc" and ch not in "\n\t")
                or "\u202a" <= ch <= "\u202e"
                or "\u2066" <= ch <= "\u2069"
            )
        ):
            return f"holds the character U+{ord(ch):04X} ({unicodedata.name(ch, kind)})"
    return None


def _text(node: yaml.Node | None, what: str, at: _Located, *, required: bool) -> str:
    if node is None:
        return ""
    text = _scalar(node)
    if not isinstance(node, yaml.ScalarNode) or (required and not (text or "").strip()):
        at.add(node, f"{what} must be a non-empty text")
        return ""
    bad = bad_character(text or "", person=required)
    if bad is not None:
        at.add(node, f"{what} {bad}")
        return ""
    return text or ""


def _when(node: yaml.Node | None, key: str, at: _Located) -> str:
    """An ISO 8601 date or date-time, kept as written."""
    text = _text(node, f"{key}: at", at, required=True)
    if not text:
        return ""
    if not is_when(text):
        at.add(node, f"{key}: at {text!r} is no ISO 8601 date or date-time")
    return text


def _span(node: yaml.Node | None, key: str, at: _Located) -> tuple[int, int] | None:
    if node is None or (isinstance(node, yaml.ScalarNode) and _scalar(node) is None):
        return None
    ends = node.value if isinstance(node, yaml.SequenceNode) else []
    texts = [_scalar(n) or "" for n in ends]
    if len(texts) != 2 or not all(_OFFSET.fullmatch(t) for t in texts):
        at.add(node, f"{key}: span must be [start, end], two offsets")
        return None
    start, end = int(texts[0]), int(texts[1])
    if start > end:
        at.add(node, f"{key}: span starts after it ends")
    return start, end


def _flag(node: yaml.Node | None, key: str, at: _Located) -> bool:
    if node is None:
        return False
    text = _scalar(node)
    if text not in ("true", "false"):
        at.add(node, f"{key}: override must be true or false")
    return text == "true"


# ---- applying ---------------------------------------------------------------


def apply_corrections(
    tables: tuple[Table, ...],
    corrections: Corrections,
    types: Mapping[str, ValueType] | None = None,
) -> tuple[tuple[Table, ...], list[Finding]]:
    """The tables with the applicable decisions made, and a finding for each one not.

    ``types`` (cell key → the spec's value type) keeps each value in its
    kind: an amount decided for a cell of counts is refused
    (``correction.type``), and a count decided for a cell of amounts is held
    as the amount it is (records put it under ``amount``, in 元 too).
    The caller checks the equations again on the tables returned (`api`).
    """
    cells = {c.key: c for t in tables for c in t.cells}
    decided: dict[str, Cell] = {}
    findings: list[Finding] = []
    for given in corrections.items:
        kind = (types or {}).get(given.cell)
        item = _typed(given, kind)
        cell = cells.get(item.cell)
        outcome = _outcome(item, cell, corrections.path, kind)
        if outcome is not None:
            findings.append(outcome)
        applies = outcome is None or outcome.code == "correction.override"
        if cell is not None and applies:
            decided[item.cell] = _corrected(cell, item)
    if decided:
        findings.append(
            Finding(
                "correction.applied",
                Severity.INFO,
                f"{len(decided)} cell(s) decided by {corrections.path}: "
                + ", ".join(decided),
                cells=tuple(decided),
            )
        )
    changed = tuple(
        evolve(t, cells=tuple(decided.get(c.key, c) for c in t.cells)) for t in tables
    )
    return changed, findings


def cell_types(tables: Iterable[TableSpec]) -> dict[str, ValueType]:
    """Each cell key of the spec's tables → its value type (for `apply_corrections`)."""
    return {
        f"{table.id}.{row.key}.{column.key}": table.cell_type(row, column)
        for table in tables
        for row in table.row_leaves()
        for column in table.column_leaves()
    }


def _typed(item: Correction, kind: ValueType | None) -> Correction:
    """A count decided for a cell of amounts, as the amount it is (``5`` → ``Decimal(5)``)."""
    if kind is ValueType.DECIMAL and isinstance(item.value, int):
        return evolve(item, value=Decimal(item.value))
    return item


def _outcome(
    item: Correction, cell: Cell | None, path: str, kind: ValueType | None = None
) -> Finding | None:
    """Why a decision is not applied as it is: None when it simply applies."""
    where = f"{path}:{item.line}"
    if cell is None:
        return _note(
            "correction.unknown",
            Severity.WARNING,
            item,
            f"{where}: the report has no cell {item.cell}; decision not applied",
        )
    if isinstance(item.value, Decimal) and kind not in (None, ValueType.DECIMAL):
        return _note("correction.type", Severity.WARNING, item,
                     f"{where}: {item.cell} holds a count, the decision says "
                     f"{item.value}: not applied (a count has no decimals)")  # fmt: skip
    if cell.raw != item.raw:
        return _note("correction.stale", Severity.WARNING, item,
                     f"{where}: {item.cell} was decided on the text {item.raw!r}, "
                     f"the report now reads {cell.raw!r}: decision not applied")  # fmt: skip
    if cell.status not in DECIDED:
        return None
    if _same(cell.value, item.value):
        return _note("correction.settled", Severity.INFO, item,
                     f"{where}: the text now decides {item.cell} = {_shown(item.value)} "
                     f"({cell.status.value}), as decided; the decision changes nothing")  # fmt: skip
    said = f"the text decides {item.cell} = {_shown(cell.value)} ({cell.status.value})"
    if item.override:
        return _note("correction.override", Severity.INFO, item,
                     f"{where}: {said}; overridden by {_shown(item.value)} (override: true)")  # fmt: skip
    return _note("correction.conflict", Severity.WARNING, item,
                 f"{where}: {said}, the decision says {_shown(item.value)}: not applied "
                 "(mark it `override: true` to apply it)")  # fmt: skip


def _note(code: str, severity: Severity, item: Correction, message: str) -> Finding:
    return Finding(code, severity, message, cells=(item.cell,))


def _same(a: Value, b: Value) -> bool:
    return (a is None) == (b is None) and a == b


def _shown(value: Value) -> str:
    return "empty" if value is None else str(value)


def _corrected(cell: Cell, item: Correction) -> Cell:
    """The cell as decided: status ``corrected``, the decision and its reason on it."""
    seen = ""
    if cell.candidates:
        seen = "; candidates " + ", ".join(_shown(v) for v in cell.candidates)
    elif cell.status in DECIDED:
        seen = f" {_shown(cell.value)}"
    reason = (
        f"decided by {item.by} on {item.at}: {item.why} "
        f"(the text gave {cell.status.value}{seen})"
    )
    decision = Decision(item.by, item.at, item.why, cell.status, item.override)
    return evolve(
        cell,
        value=item.value,
        status=CellStatus.CORRECTED,
        candidates=(),
        reason=reason,
        decision=decision,
    )


# ---- writing ----------------------------------------------------------------


def dump_corrections(items: Iterable[Correction], report: str | None = None) -> str:
    """Corrections as the YAML text of a corrections file (read back by `parse_corrections`)."""
    cells: dict[str, dict[str, Any]] = {}
    for item in items:
        entry: dict[str, Any] = {
            "value": item.value
            if not isinstance(item.value, Decimal)
            else str(item.value),
            "by": item.by,
            "at": item.at,
            "why": item.why,
            "raw": item.raw,
        }
        if item.span is not None:
            entry["span"] = list(item.span)
        if item.override:
            entry["override"] = True
        cells[item.cell] = entry
    head = {"corrections": VERSION, **({"report": report} if report else {})}
    body = yaml.safe_dump(
        {**head, "cells": cells}, allow_unicode=True, sort_keys=False, width=100
    )
    return "# decisions on flagged cells: docs/review.md\n" + body
