"""One report's review page: its source text with every cell's place marked, its tables, its findings.

The page is one self-contained HTML file: styles, script and data are inlined,
nothing is fetched (no font, no library, no network), so it opens from disk
(``file://``), can be mailed, archived and printed. The tables and the
source are rendered here, so the page reads without its script; the script
(``assets/review.js``) adds selection, filters, keyboard and the decision
form, whose decisions leave the page as a downloaded file only
(docs/review.md: ``govdisclosure corrections merge``).

A cell's *places* are the spans of the source it was read from: its own span
when the text decides where it is, else the spans of its row's printed
tokens (an ambiguous cell's value is somewhere among them: the page says so).
"""

from __future__ import annotations

import base64
import hashlib
import html
import itertools
import json
from collections.abc import Iterator
from importlib import resources
from typing import Any, Final

from govdisclosure.api import Stages
from govdisclosure.model import Cell, CellStatus, Finding, Report, Table
from govdisclosure.pipeline.tokens import TokenKind

__all__ = ["FLAGGED", "GENERATOR", "cell_places", "render_page"]

#: In the head of every page and index: how `review` knows its own pages.
GENERATOR: Final = '<meta name="generator" content="govdisclosure review">'

#: The statuses a person should look at.
FLAGGED: Final = frozenset(
    {CellStatus.AMBIGUOUS, CellStatus.MISSING, CellStatus.INFERRED}
)

#: Which status colours a stretch of source that several cells share: the most doubtful.
_RANK: Final = {
    CellStatus.AMBIGUOUS: 0,
    CellStatus.MISSING: 1,
    CellStatus.CORRECTED: 2,
    CellStatus.INFERRED: 3,
    CellStatus.BLANK: 4,
    CellStatus.OK: 5,
}
_SHOWN: Final = {
    CellStatus.BLANK: "·",
    CellStatus.MISSING: "∅",
    CellStatus.AMBIGUOUS: "?",
}


def _asset(name: str) -> str:
    return (
        resources.files("govdisclosure.review")
        .joinpath("assets", name)
        .read_text("utf-8")
    )


def cell_places(report: Report, stages: Stages) -> dict[str, list[tuple[int, int]]]:
    """Each cell's places in the source: its span, else its row's printed tokens."""
    rows: dict[tuple[str, str], list[tuple[int, int]]] = {}
    for draft in stages.narrowed:
        for row in draft.rows:
            spans = [
                (t.start, t.end)
                for t in row.tokens
                if t.kind in (TokenKind.VALUE, TokenKind.EMPTY) and t.end > t.start
            ]
            if spans:
                rows.setdefault((row.table, row.key), []).extend(spans)
    places: dict[str, list[tuple[int, int]]] = {}
    for cell in report.cells:
        if cell.span is not None and cell.span.end > cell.span.start:
            places[cell.key] = [(cell.span.start, cell.span.end)]
        else:
            places[cell.key] = sorted(set(rows.get((cell.table, cell.row_key), [])))
    return places


def _segments(
    text: str, places: dict[str, list[tuple[int, int]]]
) -> Iterator[tuple[str, list[str]]]:
    """The text cut at every place's ends: each piece with the cells it belongs to."""
    cuts = {0, len(text)}
    for spans in places.values():
        for start, end in spans:
            if 0 <= start < end <= len(text):
                cuts.update((start, end))
    edges = sorted(cuts)
    at = {edge: i for i, edge in enumerate(edges)}
    covering: dict[int, list[str]] = {}
    for key, spans in places.items():
        for start, end in spans:
            if not 0 <= start < end <= len(text):
                continue
            for edge in edges[at[start] : at[end]]:
                covering.setdefault(edge, []).append(key)
    for start, end in itertools.pairwise(edges):
        yield text[start:end], covering.get(start, [])


def _source_html(
    text: str, places: dict[str, list[tuple[int, int]]], status: dict[str, CellStatus]
) -> str:
    out = []
    for piece, keys in _segments(text, places):
        if not keys:
            out.append(html.escape(piece))
            continue
        worst = min((status[k] for k in keys), key=_RANK.__getitem__)
        out.append(
            f'<span class="m st-{worst.value}" data-k="{html.escape(" ".join(keys))}">'
            f"{html.escape(piece)}</span>"
        )
    return "".join(out)


def _header_rows(labels: list[str]) -> list[list[tuple[str, int, int]]]:
    """Column labels (groups joined by ``/``) → header rows of (text, colspan, rowspan)."""
    parts = [label.split("/") for label in labels]
    depth = max((len(p) for p in parts), default=1)
    rows: list[list[tuple[str, int, int]]] = []
    for level in range(depth):
        row, i = [], 0
        while i < len(parts):
            part = parts[i]
            if len(part) <= level:
                i += 1
                continue
            j = i + 1
            if level < len(part) - 1:  # a group: its leaves side by side
                while (
                    j < len(parts)
                    and len(parts[j]) > level + 1
                    and parts[j][: level + 1] == part[: level + 1]
                ):
                    j += 1
                row.append((part[level], j - i, 1))
            else:
                row.append((part[level], 1, depth - level))
            i = j
        rows.append(row)
    return rows


def _cell_html(cell: Cell) -> str:
    if cell.value is not None:
        shown = str(cell.value)
    elif cell.status is CellStatus.CORRECTED:
        shown = "·"
    else:
        shown = _SHOWN.get(cell.status, "")
    mark = {CellStatus.INFERRED: "*", CellStatus.CORRECTED: "✓"}.get(cell.status, "")
    flagged = " flagged" if cell.status in FLAGGED else ""
    title = f"{cell.row_label} × {cell.column_label}: {cell.status.value}"
    return (
        f'<td class="c st-{cell.status.value}{flagged}" tabindex="0" '
        f'data-k="{html.escape(cell.key)}" title="{html.escape(title)}">'
        f"{html.escape(shown)}{mark}</td>"
    )


def _table_html(table: Table) -> str:
    grid = table.grid()
    labels = [c.column_label for c in grid[0]] if grid else []
    head = _header_rows(labels)
    out = [f'<section class="table" id="t-{html.escape(table.id)}">']
    out.append(
        f"<h3>{html.escape(table.name)} <small>{html.escape(table.id)}</small></h3>"
    )
    out.append('<table class="grid"><thead>')
    for level, row in enumerate(head):
        out.append("<tr>")
        if level == 0:
            out.append(f'<th rowspan="{len(head)}" class="rl"></th>')
        out.extend(
            f'<th colspan="{span}" rowspan="{down}">{html.escape(text)}</th>'
            for text, span, down in row
        )
        out.append("</tr>")
    out.append("</thead><tbody>")
    group = ""
    for cells in grid:
        *groups, label = cells[0].row_label.split("/")
        if "/".join(groups) != group and groups:
            group = "/".join(groups)
            out.append(
                f'<tr class="group"><th colspan="{len(cells) + 1}">'
                f"{html.escape(' / '.join(groups))}</th></tr>"
            )
        flagged = " has-flagged" if any(c.status in FLAGGED for c in cells) else ""
        out.append(f'<tr class="row{flagged}"><th class="rl">{html.escape(label)}</th>')
        out.extend(_cell_html(c) for c in cells)
        out.append("</tr>")
    out.append("</tbody></table></section>")
    return "".join(out)


def _finding_html(index: int, finding: Finding) -> str:
    named = " ".join(dict.fromkeys((*finding.cells, *finding.missing_cells)))
    return (
        f'<li class="f sev-{finding.severity.value}" tabindex="0" data-f="{index}" '
        f'data-k="{html.escape(named)}"><b>{finding.severity.value}</b> '
        f"<code>{html.escape(finding.code)}</code> {html.escape(finding.message)}</li>"
    )


def _cell_data(
    cell: Cell, places: list[tuple[int, int]], findings: list[int]
) -> dict[str, Any]:
    decision = cell.decision
    return {
        "table": cell.table,
        "row": cell.row_label,
        "column": cell.column_label,
        "value": None if cell.value is None else str(cell.value),
        "status": cell.status.value,
        "raw": cell.raw,
        "unit": cell.unit,
        "note": cell.note,
        "candidates": [None if v is None else str(v) for v in cell.candidates],
        "reason": cell.reason,
        "span": [cell.span.start, cell.span.end] if cell.span else None,
        "own": cell.span is not None,
        "places": [list(p) for p in places],
        "findings": findings,
        "decision": None
        if decision is None
        else {"by": decision.by, "at": decision.at, "why": decision.why},
    }


def _page_data(
    report: Report, name: str, source: str, places: dict[str, list[tuple[int, int]]]
) -> str:
    named: dict[str, list[int]] = {}
    for i, finding in enumerate(report.findings):
        for key in dict.fromkeys(
            (*finding.cells, *finding.missing_cells, *finding.blank_cells)
        ):
            named.setdefault(key, []).append(i)
    data = {
        "report": name,
        "sha256": hashlib.sha256(source.encode("utf-8")).hexdigest(),
        "cells": {
            c.key: _cell_data(c, places[c.key], named.get(c.key, []))
            for c in report.cells
        },
    }
    # inside <script>: no "<" may close it or open a comment ("</script", "<!--")
    return json.dumps(data, ensure_ascii=False).replace("<", "\\u003c")


def _summary(report: Report) -> str:
    counts: dict[str, int] = {}
    for cell in report.cells:
        counts[cell.status.value] = counts.get(cell.status.value, 0) + 1
    share = report.coverage.share
    items = [
        f"format {html.escape(report.format)}",
        f"year {report.year or '—'}",
        f"coverage {share:.0%}" if share is not None else "no table",
        *(f'<span class="st-{k}">{k} {n}</span>' for k, n in sorted(counts.items())),
    ]
    return " · ".join(items)


def _script_hash(script: str) -> str:
    """The CSP source that allows this one script and no other.

    The page's data is escaped, so no markup of a report can open a script;
    the policy is the second wall: a script that got in anyway (a bug in
    escaping) does not run, because only the script whose hash is listed does.
    """
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return "sha256-" + base64.b64encode(digest).decode("ascii")


def render_page(report: Report, stages: Stages, name: str) -> str:
    """The review page of one report, as one HTML string.

    ``name`` is the report's file name: the page shows it and the decisions
    it downloads carry it, so ``corrections merge`` finds the report's
    corrections file in the folder it is given (never a path).
    """
    source = stages.normalized.source
    script = _asset("review.js")
    places = cell_places(report, stages)
    status = {c.key: c.status for c in report.cells}
    title = report.title or name
    findings = "".join(_finding_html(i, f) for i, f in enumerate(report.findings))
    return _asset("page.html").format(
        title=html.escape(title),
        name=html.escape(name),
        organization=html.escape(report.organization or "—"),
        summary=_summary(report),
        style=_asset("review.css"),
        script=script,
        script_hash=_script_hash(script),
        data=_page_data(report, name, source, places),
        tables="".join(_table_html(t) for t in report.tables)
        or "<p>This format declares no table.</p>",
        findings=findings or "<li>No finding.</li>",
        source=_source_html(source, places, status),
    )
