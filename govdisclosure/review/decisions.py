"""Merging the decisions a review page downloads into the report's corrections file.

The page has no server and writes nothing: it downloads ``NAME.decisions.json``.
That file is untrusted input (anyone can edit it), so everything in it is
checked before anything is written, and it never names a path: it names the
report by its bare file name, and the corrections file written is that
report's ``NAME.corrections.yaml`` inside the folder the *user* gives
(``--reports``), next to a report of that name that must exist there. A
name with a separator, a leading dot, or a resolved path outside the folder
is refused. The merged file is checked again by the corrections reader
before it replaces the old one, atomically.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, Final

from attrs import frozen

from govdisclosure.corrections import (
    KEY,
    Correction,
    CorrectionsError,
    beside,
    dump_corrections,
    is_when,
    parse_corrections,
    parse_value,
    read_corrections,
)
from govdisclosure.model import Value

__all__ = ["Merged", "merge_decisions", "merged_summary", "read_decisions"]

#: A decisions file larger than this is refused unread.
MAX_BYTES: Final = 4 * 2**20
_TOP: Final = {"govdisclosure", "version", "report", "sha256", "decisions"}
_FIELDS: Final = {"cell", "value", "by", "at", "why", "raw", "span", "override"}


@frozen
class Merged:
    """What a merge did: the file written and the cells added or replaced."""

    target: Path
    added: tuple[str, ...]
    replaced: tuple[str, ...]


def read_decisions(path: str | Path) -> tuple[str, list[Correction]]:
    """A decisions file → (report name, decisions); `CorrectionsError` if anything is off."""
    where = str(path)
    try:
        with Path(path).open("rb") as stream:
            data = stream.read(MAX_BYTES + 1)
    except OSError as exc:
        raise CorrectionsError(
            [f"{where}: cannot be read ({exc.strerror or exc})"]
        ) from exc
    if len(data) > MAX_BYTES:
        raise CorrectionsError([f"{where}: larger than {MAX_BYTES} bytes, not read"])
    try:
        body = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        line = getattr(exc, "lineno", 1)
        raise CorrectionsError(
            [f"{where}:{line}: not a JSON decisions file ({exc})"]
        ) from exc
    problems: list[str] = []
    if not isinstance(body, dict) or body.get("govdisclosure") != "decisions":
        raise CorrectionsError(
            [f'{where}: not a decisions file (no "govdisclosure": "decisions")']
        )
    if body.get("version") != 1 or set(body) - _TOP:
        problems.append(f"{where}: expected version 1 and only the keys {sorted(_TOP)}")
    name = body.get("report")
    if not _plain_name(name):
        problems.append(f"{where}: report {name!r} is not a plain file name")
    items = body.get("decisions")
    if not isinstance(items, list):
        problems.append(f"{where}: decisions must be a list")
        items = []
    decisions = [
        _decision(item, f"{where}: decision {i + 1}", problems)
        for i, item in enumerate(items)
    ]
    if problems:
        raise CorrectionsError(problems)
    return str(name), decisions


def _plain_name(name: object) -> bool:
    """A file name alone: no folder, no separator, nothing hidden, nothing special."""
    return (
        isinstance(name, str)
        and 0 < len(name) <= 255
        and name == Path(name).name
        and not name.startswith(".")
        and not any(c in name for c in "/\\\0:")
    )


def _decision(item: Any, where: str, problems: list[str]) -> Correction:
    """One decision, checked field by field like a corrections file's."""
    if not isinstance(item, dict) or set(item) - _FIELDS:
        problems.append(f"{where}: must be an object with the fields {sorted(_FIELDS)}")
        return Correction("", None, "", "", "", None)
    cell, by, at, why = (item.get(k) for k in ("cell", "by", "at", "why"))
    raw, span, override = item.get("raw"), item.get("span"), item.get("override", False)
    wrong = [
        name
        for name, bad in (
            ("cell", not isinstance(cell, str) or not KEY.fullmatch(cell)),
            ("by", not isinstance(by, str) or not by.strip()),
            ("at", not isinstance(at, str) or not is_when(at)),
            ("why", not isinstance(why, str) or not why.strip()),
            ("raw", raw is not None and not isinstance(raw, str)),
            ("span", span is not None and not _is_span(span)),
            ("override", not isinstance(override, bool)),
        )
        if bad
    ]
    value: Value = None
    try:
        value = _value(item.get("value"))
    except ValueError:
        wrong.append("value")
    if wrong:
        problems.append(f"{where}: invalid {', '.join(wrong)}")
        return Correction("", None, "", "", "", None)
    return Correction(
        str(cell), value, str(by), str(at), str(why), raw,
        tuple(span) if span else None, override,
    )  # fmt: skip


def _is_span(span: object) -> bool:
    return (
        isinstance(span, list)
        and len(span) == 2
        and all(isinstance(n, int) and not isinstance(n, bool) and n >= 0 for n in span)
        and span[0] <= span[1]
    )


def _value(value: object) -> Value:
    """A decided value as the page sends it: a string of digits, or null (empty)."""
    if value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        return parse_value(str(value))
    if isinstance(value, str):
        return parse_value(value)
    raise ValueError(f"not a value: {value!r}")


def merge_decisions(decisions: str | Path, reports: str | Path) -> Merged:
    """Merge a page's decisions into the corrections file of its report in ``reports``.

    Newer decisions replace older ones on the same cell; the others are kept.
    Raises `CorrectionsError` (nothing written) when the decisions, the report
    name or the existing corrections file are not right.
    """
    name, items = read_decisions(decisions)
    folder = Path(reports).resolve()
    report = folder / name
    if report.resolve().parent != folder or not report.is_file():
        raise CorrectionsError(
            [
                f"{decisions}: the report {name!r} is not a file in {folder}; nothing written"
            ]
        )
    target = beside(report)
    if target.resolve().parent != folder:
        raise CorrectionsError([f"{target}: outside {folder}; nothing written"])
    existing = list(read_corrections(target).items) if target.exists() else []
    before = {c.cell for c in existing}
    merged = {c.cell: c for c in existing}
    merged.update((c.cell, c) for c in items)
    text = dump_corrections(merged.values(), report=name)
    parse_corrections(text, str(target))  # what is written reads back
    _write(target, text)
    new = tuple(c.cell for c in items)
    return Merged(
        target,
        tuple(k for k in new if k not in before),
        tuple(k for k in new if k in before),
    )


def _write(target: Path, text: str) -> None:
    """Replace ``target`` whole: a temporary file beside it, renamed over it."""
    temporary = target.with_name(f".{target.name}.{os.getpid()}.partial")
    try:
        temporary.write_text(text, encoding="utf-8")
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def merged_summary(result: Merged) -> str:
    """One line for the command: what was written where."""
    return (
        f"{result.target}: {len(result.added)} decision(s) added, "
        f"{len(result.replaced)} replaced"
    )
