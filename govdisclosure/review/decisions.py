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

import hashlib
import json
import os
import re
from pathlib import Path
from typing import Any, Final

from attrs import frozen

from govdisclosure.corrections import (
    KEY,
    MAX_BYTES,
    Correction,
    CorrectionsError,
    bad_character,
    beside,
    dump_corrections,
    is_when,
    parse_corrections,
    parse_value,
    read_corrections,
    read_small,
)
from govdisclosure.errors import GovDisclosureError
from govdisclosure.model import Value
from govdisclosure.pipeline.read import READABLE_SUFFIXES, read_text

__all__ = ["Decisions", "Merged", "merge_decisions", "merged_summary", "read_decisions"]

_TOP: Final = {"govdisclosure", "version", "report", "sha256", "decisions"}
_FIELDS: Final = {"cell", "value", "by", "at", "why", "raw", "span", "override"}
_SHA256: Final = re.compile(r"[0-9a-f]{64}")


@frozen
class Decisions:
    """A decisions file: the report it is for, the SHA-256 of the text shown, the decisions.

    ``sha256`` is None when the file does not say (one written by hand).
    """

    report: str
    sha256: str | None
    items: tuple[Correction, ...]


@frozen
class Merged:
    """What a merge did: the file written and the cells added or replaced."""

    target: Path
    added: tuple[str, ...]
    replaced: tuple[str, ...]


def read_decisions(path: str | Path) -> Decisions:
    """A decisions file, read and checked; `CorrectionsError` if anything is off."""
    where = str(path)
    # refused unread past the corrections files' own bound: it becomes one
    body = _json(read_small(path, MAX_BYTES), where)
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
    sha256 = body.get("sha256")
    if sha256 is not None and not (
        isinstance(sha256, str) and _SHA256.fullmatch(sha256)
    ):
        problems.append(f"{where}: sha256 is not 64 lowercase hexadecimal digits")
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
    return Decisions(str(name), sha256, tuple(decisions))


def _json(data: bytes, where: str) -> Any:
    """The decoded JSON (a byte-order mark allowed); `CorrectionsError` for anything else.

    Besides malformed JSON, `json.loads` raises `RecursionError` on deep
    nesting and `ValueError` on an integer of thousands of digits; and a key
    written twice would silently keep its last value.
    """
    try:
        return json.loads(data.decode("utf-8-sig"), object_pairs_hook=_unique)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        line = getattr(exc, "lineno", 1)
        raise CorrectionsError(
            [f"{where}:{line}: not a JSON decisions file ({exc})"]
        ) from exc
    except (RecursionError, ValueError) as exc:
        problem = "nested too deep" if isinstance(exc, RecursionError) else str(exc)
        raise CorrectionsError(
            [f"{where}: not a JSON decisions file ({problem})"]
        ) from exc


def _unique(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """A JSON object whose keys are each written once."""
    body = dict(pairs)
    if len(body) != len(pairs):
        twice = sorted({k for k, _ in pairs if sum(k == j for j, _ in pairs) > 1})
        raise ValueError(f"the key(s) {', '.join(twice)} written twice")
    return body


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
            ("by", not _words(by)),
            ("at", not _words(at) or not is_when(str(at))),
            ("why", not _words(why)),
            ("raw", raw is not None and not _words(raw, person=False, empty=True)),
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


def _words(text: object, *, person: bool = True, empty: bool = False) -> bool:
    """A text a person wrote (or the report's own, ``person=False``), clean (`bad_character`)."""
    return (
        isinstance(text, str)
        and (empty or bool(text.strip()))
        and bad_character(text, person=person) is None
    )


def _is_span(span: object) -> bool:
    return (
        isinstance(span, list)
        and len(span) == 2
        and all(
            isinstance(n, int) and not isinstance(n, bool) and 0 <= n < 10**12
            for n in span
        )
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


def merge_decisions(
    decisions: str | Path, reports: str | Path, *, dry_run: bool = False
) -> Merged:
    """Merge a page's decisions into the corrections file of its report in ``reports``.

    Newer decisions replace older ones on the same cell; the others are kept.
    Raises `CorrectionsError` (nothing written) when the decisions, the report
    name or the existing corrections file are not right. ``dry_run`` checks
    all that and writes nothing (the command checks every file given first).
    """
    read = read_decisions(decisions)
    name, items = read.report, read.items
    folder = Path(reports).resolve()
    report = folder / name
    if (
        report.resolve().parent != folder
        or not report.is_file()
        or report.suffix.lower() not in READABLE_SUFFIXES
    ):
        raise CorrectionsError(
            [
                f"{decisions}: the report {name!r} is not a file in {folder}; nothing written"
            ]
        )
    _same_text(read, report, decisions)
    target = beside(report)
    if target.resolve().parent != folder:
        raise CorrectionsError([f"{target}: outside {folder}; nothing written"])
    existing = list(read_corrections(target).items) if target.exists() else []
    before = {c.cell for c in existing}
    merged = {c.cell: c for c in existing}
    merged.update((c.cell, c) for c in items)
    text = dump_corrections(merged.values(), report=name)
    parse_corrections(text, str(target))  # what is written reads back
    if not dry_run:
        _write(target, text)
    new = tuple(c.cell for c in items)
    return Merged(
        target,
        tuple(k for k in new if k not in before),
        tuple(k for k in new if k in before),
    )


def _same_text(read: Decisions, report: Path, decisions: str | Path) -> None:
    """Refuse decisions made on another text than the report's now.

    The page records the SHA-256 of the text it showed; a report changed
    since (edited, fetched again, another file of the same name) would get
    decisions on cells that may now print other values. Each decision's
    ``raw`` still guards it at every load, but a short ``raw`` (``5``)
    guards little, so a changed text is refused here, before anything is written.
    """
    if read.sha256 is None:
        return  # a file written by hand: each decision's raw guards it
    try:
        text = read_text(report).text
    except GovDisclosureError as exc:
        raise CorrectionsError(
            [
                f"{decisions}: the report {report} cannot be read ({exc}); nothing written"
            ]
        ) from exc
    if hashlib.sha256(text.encode("utf-8")).hexdigest() != read.sha256:
        raise CorrectionsError(
            [
                f"{decisions}: made on another text of {report.name} than the one in "
                f"{report.parent} (their SHA-256 differ): review the report again and "
                "decide on its page; nothing written"
            ]
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
