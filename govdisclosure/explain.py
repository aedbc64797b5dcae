"""What the engine saw, step by step: the view for a cell that comes out flagged.

`explain` parses as `load` does (`api.trace`) and prints the intermediate
values of the run it kept (`api.Stages`): normalised lines, located sections,
each section's token grid (with what every label may be), the figures stated
in the prose, each cell with its status, raw text, candidates and place in the
input, and each finding. It runs no step itself. It is a reading aid for
people; its text is not a stable format (use `Report.to_dict`).
"""

from __future__ import annotations

from pathlib import Path

from govdisclosure.api import Stages, trace
from govdisclosure.model import Cell, Report, SourceSpan
from govdisclosure.pipeline.grid import TokenKind
from govdisclosure.spec.model import Spec
from govdisclosure.spec.registry import Registry

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
    report, stages = trace(text, spec=spec, registry=registry)
    out = _lines(stages)
    out += _sections(report, stages)
    out += _grids(stages)
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


def _lines(stages: Stages) -> list[str]:
    lines = stages.normalized.lines
    out = [f"== 1. normalised lines ({len(lines)}) =="]
    return out + [f"{line.number:5}  {_cut(line.text)}" for line in lines]


def _sections(report: Report, stages: Stages) -> list[str]:
    chosen = stages.spec
    out = [
        "",
        f"== 2. sections (spec {chosen.id} v{chosen.version}, score {report.score}) ==",
        f"title: {report.title or '—'} | organization: {report.organization or '—'} "
        f"| year: {report.year or '—'}",
    ]
    for span in stages.sections.spans:
        first, last = span.start[0] + 1, span.stop[0] + 1
        out.append(f"  {span.spec.id:<4} {span.spec.title}: lines {first}-{last}")
    located = {s.spec.id for s in stages.sections.spans}
    return out + [
        f"  {s.id:<4} {s.title}: "
        + ("NOT FOUND" if s.required else "not printed (optional)")
        for s in chosen.sections
        if s.id not in located
    ]


def _grids(stages: Stages) -> list[str]:
    out = ["", "== 3. token grids (line:cell kind text -> what a label may be) =="]
    for grid in stages.grids:
        out.append(f"  [{grid.section}] {len(grid.tokens)} tokens")
        for token in grid.tokens:
            refs = ", ".join(
                f"{r.table} {r.role.value} {r.key or ''}".rstrip() for r in token.refs
            )
            shown = "(empty)" if token.kind is TokenKind.EMPTY else _cut(token.text)
            out.append(
                f"    {token.line:>4}:{token.cell:<3} {token.kind.value:<6} {shown}"
                + (f"  -> {refs}" if refs else "")
            )
    return out


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
