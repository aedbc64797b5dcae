"""What the engine saw, step by step: the view for a cell that comes out flagged.

`explain` parses as `load` does, then reruns the chosen spec's steps to show
their intermediate values: normalised lines, located sections, each section's
token grid (with what every label may be), the figures stated in the prose,
each cell with its status, raw text, candidates and place in the input, and
each finding. It is a reading aid for people; its text is not a stable
format (use `Report.to_dict`).
"""

from __future__ import annotations

from pathlib import Path

from govdisclosure.api import load
from govdisclosure.model import Cell, Report, SourceSpan
from govdisclosure.pipeline.grid import TokenKind, build_grid
from govdisclosure.pipeline.normalize import normalize_text
from govdisclosure.pipeline.read import html_to_text, looks_like_html
from govdisclosure.pipeline.sections import locate_sections
from govdisclosure.spec.model import Spec
from govdisclosure.spec.registry import Registry, default_registry, load_spec

__all__ = ["explain"]

#: Longer lines are cut in the listing (the input is not changed).
WIDTH = 120


def _cut(text: str) -> str:
    return text if len(text) <= WIDTH else text[: WIDTH - 1] + "…"


def _at(span: SourceSpan | None) -> str:
    return (
        f"line {span.line}, chars {span.start}-{span.end}"
        if span
        else "no single place"
    )


def explain(
    text: str,
    *,
    spec: str | Spec | Path | None = None,
    registry: Registry | None = None,
) -> str:
    """A step-by-step account of how ``text`` is parsed (see the module doc)."""
    registry = registry or default_registry()
    report = load(text, spec=spec, registry=registry)
    if looks_like_html(text):
        text = html_to_text(text)
    if isinstance(spec, Spec):
        chosen = spec
    elif isinstance(spec, Path):
        chosen = load_spec(spec, parents=registry.raw_specs())
    else:
        chosen = registry.get(report.format)
    normalized = normalize_text(text)
    sections = locate_sections(normalized, chosen)
    out = [f"== 1. normalised lines ({len(normalized.lines)}) =="]
    out += [f"{line.number:5}  {_cut(line.text)}" for line in normalized.lines]
    out += [
        "",
        f"== 2. sections (spec {chosen.id} v{chosen.version}, score {report.score}) ==",
        f"title: {report.title or '—'} | organization: {report.organization or '—'} "
        f"| year: {report.year or '—'}",
    ]
    for span in sections.spans:
        first, last = span.start[0] + 1, span.stop[0] + 1
        out.append(f"  {span.spec.id:<4} {span.spec.title}: lines {first}-{last}")
    located = {s.spec.id for s in sections.spans}
    out += [
        f"  {s.id:<4} {s.title}: NOT FOUND"
        for s in chosen.sections
        if s.id not in located
    ]
    out += ["", "== 3. token grids (line:cell kind text -> what a label may be) =="]
    for section_id in dict.fromkeys(t.section for t in chosen.tables):
        grid = build_grid(chosen, section_id, sections.body(section_id))
        out.append(f"  [{section_id}] {len(grid.tokens)} tokens")
        for token in grid.tokens:
            refs = ", ".join(
                f"{r.table} {r.role} {r.key or ''}".rstrip() for r in token.refs
            )
            shown = "(empty)" if token.kind is TokenKind.EMPTY else _cut(token.text)
            out.append(
                f"    {token.line:>4}:{token.cell:<3} {token.kind.value:<6} {shown}"
                + (f"  -> {refs}" if refs else "")
            )
    out += ["", f"== 4. figures stated in the prose ({len(report.facts)}) =="]
    out += [
        f"  {f.id}: {f.value} = {' + '.join(f.cells)} | {_at(f.span)} | 「{_cut(f.sentence)}」"
        for f in report.facts
    ]
    out += ["", "== 5. cells (key status value unit | raw | where | why) =="]
    for table in report.tables:
        out.append(f"  [{table.id}] {table.name}")
        out += [f"    {_cell(cell)}" for cell in table.cells]
    out += _findings(report)
    return "\n".join(out) + "\n"


def _cell(cell: Cell) -> str:
    value = "—" if cell.value is None else f"{cell.value}{cell.unit or ''}"
    parts = [f"{cell.key} {cell.status.value} {value}"]
    if cell.raw is not None:
        parts.append(f"raw {cell.raw!r}")
    parts.append(_at(cell.span))
    if cell.candidates:
        parts.append("candidates " + ", ".join(map(str, cell.candidates)))
    if cell.reason:
        parts.append(cell.reason)
    return " | ".join(parts)


def _findings(report: Report) -> list[str]:
    out = ["", f"== 6. findings ({len(report.findings)}) =="]
    for finding in report.findings:
        out.append(f"  [{finding.severity.value}] {finding.code}: {finding.message}")
        if finding.span:
            out.append(f"      at {_at(finding.span)}")
    return out
