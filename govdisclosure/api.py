"""`load`: the only module that knows the order of the pipeline's steps.

    text → normalize_text → (spec: given, or detected) → locate_sections →
    read_metadata → find_facts → build_grid per section → draft_tables →
    narrow_readings → finalize_tables → check_invariants, check_facts → Report

`run_stages` runs the steps for one spec and keeps every intermediate value in
a frozen `Stages`; `load` builds the `Report` from it, and `explain`, the
property tests and the benchmarks read it instead of running the steps again.

After the checks, `read_findings` says what the text did not let the steps
read: a declared table absent or mostly undecided (errors, so such a report
is never clean), or a format that declares no table at all (info).

`load` is also the one boundary that guarantees only GovDisclosureError
subclasses escape: the steps raise our errors where the input or the spec is
at fault, and anything else is a bug, re-raised as InternalError (still a
GovDisclosureError, chained to the original so it stays visible).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, Final, Literal

from attrs import evolve, frozen

from govdisclosure.corrections import (
    Corrections,
    apply_corrections,
    beside,
    cell_types,
    read_corrections,
)
from govdisclosure.errors import GovDisclosureError, InputError, InternalError
from govdisclosure.model import (
    Coverage,
    Fact,
    Finding,
    Report,
    Severity,
    Table,
    TableCoverage,
)
from govdisclosure.pipeline.cells import finalize_tables
from govdisclosure.pipeline.detect import (
    CLOSE_CALL,
    candidate_specs,
    structure_score,
    table_evidence,
)
from govdisclosure.pipeline.furniture import page_furniture
from govdisclosure.pipeline.grid import TokenGrid, build_grid
from govdisclosure.pipeline.invariants import check_invariants
from govdisclosure.pipeline.metadata import Metadata, read_metadata
from govdisclosure.pipeline.narrative import agreed_facts, check_facts, find_facts
from govdisclosure.pipeline.narrow import Stated, narrow_readings
from govdisclosure.pipeline.normalize import NormalizedText, normalize_text
from govdisclosure.pipeline.read import html_to_text, looks_like_html, read_text
from govdisclosure.pipeline.rows import TableDraft, draft_tables
from govdisclosure.pipeline.sections import Sections, locate_sections
from govdisclosure.spec.model import Spec
from govdisclosure.spec.patterns import PATTERN_TIMEOUT, PatternTimes, timeouts
from govdisclosure.spec.registry import (
    Registry,
    default_registry,
    load_spec,
    registry_with,
)

__all__ = [
    "UNREAD_SHARE",
    "Stages",
    "corrected",
    "load",
    "load_file",
    "read_findings",
    "run_stages",
    "trace",
    "trace_file",
]

#: A declared table the text has, but with less than this share of its cells
#: decided (ok, inferred or blank), is mostly unread: a ``table.unread`` error.
UNREAD_SHARE: Final = 0.5


@frozen
class Stages:
    """Every intermediate value of one run of the pipeline with one spec.

    Findings are kept per step, in the order the Report lists them.
    """

    spec: Spec
    normalized: NormalizedText
    sections: Sections
    metadata: Metadata
    #: Figures stated in the prose.
    facts: tuple[Fact, ...]
    #: One token grid per section that holds a table, in spec order.
    grids: tuple[TokenGrid, ...]
    #: Each row's tokens and every reading the layout allows.
    drafts: tuple[TableDraft, ...]
    #: The drafts after the equations and the prose dropped readings.
    narrowed: tuple[TableDraft, ...]
    tables: tuple[Table, ...]
    #: The year's evidence disagreeing with the title, or missing.
    metadata_findings: tuple[Finding, ...]
    #: Rows drafted twice, numbers in no row, numbers in sentences.
    draft_findings: tuple[Finding, ...]
    #: Numbers that no remaining reading places in a cell.
    cell_findings: tuple[Finding, ...]
    #: Equations the cells break or leave unchecked; figures the cells contradict;
    #: tables missing or mostly unread, or none declared (`read_findings`).
    check_findings: tuple[Finding, ...]

    @property
    def findings(self) -> tuple[Finding, ...]:
        """Every step's findings, in the order of the Report."""
        return (
            *self.sections.findings,
            *self.metadata_findings,
            *self.draft_findings,
            *self.cell_findings,
            *self.check_findings,
        )


def run_stages(
    normalized: NormalizedText, spec: Spec, stated: Sequence[Stated] = ()
) -> Stages:
    """Run the steps after normalisation with one spec; the order is written here only.

    ``stated``: equations on this report's cells from outside its text (the
    neighbouring years', `across.decide_by_neighbours`), used as the prose's figures are.
    """
    sections = locate_sections(normalized, spec)
    metadata, metadata_findings = read_metadata(sections, spec)
    facts = find_facts(sections, spec)
    section_ids = dict.fromkeys(t.section for t in spec.tables)
    furniture = page_furniture(normalized.lines, metadata.title)
    grids = tuple(
        build_grid(
            spec, sid, sections.body(sid), furniture, stop=sections.stop_line(sid)
        )
        for sid in section_ids
    )
    drafts, draft_findings = draft_tables(grids, spec)
    narrowed, conflicts = narrow_readings(
        drafts, spec, agreed_facts(facts, spec), stated
    )
    tables, cell_findings = finalize_tables(narrowed)
    checks = (*conflicts, *_checks(tables, facts, spec))
    return Stages(
        spec=spec,
        normalized=normalized,
        sections=sections,
        metadata=metadata,
        facts=facts,
        grids=grids,
        drafts=drafts,
        narrowed=narrowed,
        tables=tables,
        metadata_findings=tuple(metadata_findings),
        draft_findings=tuple(draft_findings),
        cell_findings=tuple(cell_findings),
        check_findings=checks,
    )


def _checks(
    tables: tuple[Table, ...], facts: tuple[Fact, ...], spec: Spec
) -> tuple[Finding, ...]:
    """The checks of the final cells: run on the tables read, and again once corrected."""
    return (
        *check_invariants(tables, spec),
        *check_facts(tables, facts, spec),
        *read_findings(tables, facts, spec),
    )


def corrected(report: Report, stages: Stages, corrections: Corrections) -> Report:
    """The report with a person's decisions applied, its cells checked again.

    Applying corrections is a step after the pipeline: the decided cells
    replace the cells read (`apply_corrections`, which says every decision it
    does not apply), then the equations, the prose's figures and the
    coverage are checked on the decided values, and their findings replace
    those of the cells as read.
    """
    spec, facts = stages.spec, stages.facts
    tables, notes = apply_corrections(
        report.tables, corrections, cell_types(spec.tables)
    )
    if tables == report.tables and not notes:
        return report
    before = set(_checks(report.tables, facts, spec))
    kept = [f for f in report.findings if f not in before]
    return evolve(
        report,
        tables=tables,
        findings=(*kept, *_checks(tables, facts, spec), *notes),
        coverage=Coverage.of(tables),
    )


def read_findings(
    tables: tuple[Table, ...], facts: tuple[Fact, ...], spec: Spec
) -> list[Finding]:
    """What the text did not let the steps read, so that such a report is never clean.

    An error per declared table that is absent (``table.missing``: no cell
    found) or mostly unread (``table.unread``: less than `UNREAD_SHARE` of
    its cells decided); an info ``table.none`` when the format declares no
    table, so an empty ``tables`` is said, never silent.
    """
    if not spec.tables:
        return [
            Finding(
                "table.none",
                Severity.INFO,
                f"{spec.id} declares no statutory table: the report has no cells; "
                f"{len(facts)} figure(s) were read from its prose (Report.facts)",
                spec=spec.ref,
            )
        ]
    findings = []
    for table in tables:
        read = TableCoverage.of(table)
        if read.present == 0:
            what = f"is not in the text: none of its {read.declared} cells was found"
            findings.append(_unread("table.missing", table, what, spec))
        elif read.decided < UNREAD_SHARE * read.declared:
            what = (
                f"is mostly unread: {read.decided} of its {read.declared} cells decided "
                f"({read.decided / read.declared:.0%}); the rest are ambiguous or missing"
            )
            findings.append(_unread("table.unread", table, what, spec))
    return findings


def _unread(code: str, table: Table, what: str, spec: Spec) -> Finding:
    return Finding(
        code,
        Severity.ERROR,
        f"table {table.name} ({table.id}) {what}",
        spec=spec.ref,
        missing_cells=tuple(
            c.key for c in table.cells if c.status.value in ("missing", "ambiguous")
        ),
    )


def load(
    text: str,
    *,
    spec: str | Spec | Path | None = None,
    registry: Registry | None = None,
    spec_paths: Iterable[str | Path] = (),
) -> Report:
    """Parse one annual report's text into a Report.

    Args:
        text: the report as text (a web page's text, a PDF's extracted text).
        spec: a spec id (``"gov-2019"``), a Spec, or a path to a spec file.
            By default the registered spec that best fits the text is used.
        registry: where spec ids are looked up and specs detected; by default
            the bundled specs, installed plugins and ``GOVDISCLOSURE_SPEC_PATH``.
        spec_paths: folders or files of specs to add to those (ignored when
            ``registry`` is given). For many calls, build one `Registry`.

    Returns:
        A Report whose every cell carries a status; the numbers that do not add
        up are findings on it, not exceptions.

    Raises:
        InputError: the text is empty, binary or too large.
        FormatNotRecognizedError: no spec fits the text.
        SpecNotFoundError, SpecError: the requested spec is unknown or broken.
    """
    return trace(text, spec=spec, registry=registry, spec_paths=spec_paths)[0]


def trace(
    text: str,
    *,
    spec: str | Spec | Path | None = None,
    registry: Registry | None = None,
    spec_paths: Iterable[str | Path] = (),
    stated: Sequence[Stated] = (),
) -> tuple[Report, Stages]:
    """`load`, and the `Stages` of the run whose Report it returns.

    The stages' ``normalized.source`` is the text the steps read: for HTML
    input, its `html_to_text`. ``stated`` (with a ``spec``: its cell keys are
    that spec's) is evidence from outside the text (`run_stages`).
    """
    _check_text(text)
    try:
        if registry is None:
            paths = tuple(str(p) for p in spec_paths)
            registry = registry_with(paths) if paths else default_registry()
        return _load(text, spec, registry, stated)
    except GovDisclosureError:
        raise
    except Exception as exc:  # a bug: keep the contract, keep the evidence
        raise InternalError(
            f"internal error while parsing ({type(exc).__name__}: {exc})"
        ) from exc


def _check_text(text: object) -> None:
    """A path or bytes given to `load` is refused with the call that reads it.

    Without this, a `Path` (or a file name) would be parsed as the text of
    its own name, and bytes would be refused without saying what to do.
    """
    if isinstance(text, Path):
        raise InputError(
            f"load() takes the report's text; for the file {text} use "
            "govdisclosure.load_file(path), which also detects its encoding"
        )
    if isinstance(text, (bytes, bytearray)):
        raise InputError(
            "load() takes text (str), not bytes: decode them (e.g. "
            "data.decode('gb18030')), or use govdisclosure.load_file(path), "
            "which detects the encoding"
        )


def _spec_named(spec: str, registry: Registry) -> Spec:
    """A spec id, else the path of a spec file: ``spec="my.yaml"`` works as docs say.

    A registered id wins over a file of the same name in the working folder,
    so a script that names an id cannot be changed by a stray file. A name
    that is neither is `SpecNotFoundError` (listing the ids) when it looks
    like an id, an `InputError` from reading when it looks like a path.
    """
    if spec in registry:
        return registry.get(spec)
    path = Path(spec)
    if path.suffix.lower() in (".yaml", ".yml") or path.is_file():
        return load_spec(path, parents=registry.raw_specs())
    return registry.get(spec)  # raises SpecNotFoundError naming the known ids


def _load(
    text: str,
    spec: str | Spec | Path | None,
    registry: Registry,
    stated: Sequence[Stated] = (),
) -> tuple[Report, Stages]:
    """HTML to text, then the spec: the one given, or the best detected."""
    if looks_like_html(text):
        report, stages = _load(html_to_text(text), spec, registry, stated)
        note = Finding(
            "input.html",
            Severity.INFO,
            "the input is HTML: its tables were read from their markup; "
            "cell spans index govdisclosure.html_to_text(input)",
        )
        return evolve(report, findings=(note, *report.findings)), stages
    normalized = normalize_text(text)
    if spec is None:
        return _detect(normalized, registry)
    if isinstance(spec, Path):
        spec = load_spec(spec, parents=registry.raw_specs())
    elif isinstance(spec, str):
        spec = _spec_named(spec, registry)
    return _parse(normalized, spec, 1.0, stated)


def _detect(normalized: NormalizedText, registry: Registry) -> tuple[Report, Stages]:
    """Parse with every spec that fits and keep the best (docs/concepts.md).

    Detection never reads the year in the title: structure decides, and a
    runner-up within `CLOSE_CALL` is said in a ``spec.close_call`` finding.
    A spec without tables competes only when no spec with tables reads a
    cell of the text, and then alone (`detect.table_evidence`).
    """
    parsed = [
        (candidate, label_score, *_parse(normalized, candidate, label_score))
        for candidate, label_score in candidate_specs(normalized, registry)
    ]
    out = table_evidence([(spec, report) for spec, _, report, _ in parsed])
    scored = [
        (structure_score(report, spec, label_score), report, stages)
        for spec, label_score, report, stages in parsed
        if spec.id not in out
    ]
    scored.sort(key=lambda item: item[0], reverse=True)
    best_score, best, stages = scored[0]
    findings = list(best.findings)
    close = [(s, r) for s, r, _ in scored[1:] if best_score - s < CLOSE_CALL]
    if close:
        others = ", ".join(f"{r.format} ({s:.3f})" for s, r in close)
        findings.append(
            Finding(
                "spec.close_call",
                Severity.WARNING,
                f"{best.format} ({best_score:.3f}) was chosen, but {others} fit almost as well; pass spec= to choose",
            )
        )
    return evolve(best, score=round(best_score, 3), findings=tuple(findings)), stages


def _parse(
    normalized: NormalizedText,
    chosen: Spec,
    score: float,
    stated: Sequence[Stated] = (),
) -> tuple[Report, Stages]:
    """Run the pipeline with one spec, its patterns' time bounded and said as findings."""
    with timeouts() as times:
        stages = run_stages(normalized, chosen, stated)
    return _report(stages, score, _pattern_findings(chosen, times)), stages


#: patterns a ``spec.pattern_budget`` finding names (then: "and N more")
_LISTED = 20


def _short(pattern: str) -> str:
    """A pattern as a finding quotes it: whole up to 120 characters."""
    return repr(pattern) if len(pattern) <= 120 else repr(pattern[:120]) + "…"


def _pattern_findings(spec: Spec, times: PatternTimes) -> list[Finding]:
    """A finding per pattern that ran out of time, and one for the budget if spent.

    Nothing a spec asks for is skipped silently: the budget's finding names
    the pattern it ran out on and every pattern not run after it.
    """
    found = [
        Finding(
            "spec.pattern_timeout",
            Severity.WARNING,
            f"pattern {_short(p)} of spec {spec.ref} ran past "
            f"{PATTERN_TIMEOUT}s and was skipped; what it finds is missing from this report",
            spec=spec.ref,
        )
        for p in times.timed_out
    ]
    if times.spent_on is not None:
        skipped = ", ".join(_short(p) for p in times.not_run[:_LISTED]) or "none"
        if len(times.not_run) > _LISTED:
            skipped += f" and {len(times.not_run) - _LISTED} more"
        found.append(
            Finding(
                "spec.pattern_budget",
                Severity.WARNING,
                f"the patterns of spec {spec.ref} ran {times.spent:.2f}s, past their "
                f"budget of {times.budget}s per load, while running {_short(times.spent_on)}; "
                f"not run after it: {skipped}; what they find is missing from this "
                "report (spec_limits(pattern_budget=…) raises the budget)",
                spec=spec.ref,
            )
        )
    return found


def _report(stages: Stages, score: float, extra: list[Finding]) -> Report:
    spec, meta = stages.spec, stages.metadata
    return Report(
        format=spec.id,
        spec_version=spec.version,
        year=meta.year,
        organization=meta.organization,
        title=meta.title,
        sections=stages.sections.as_model(),
        tables=stages.tables,
        findings=(*stages.findings, *extra),
        score=round(score, 3),
        published=meta.published,
        facts=stages.facts,
    )


def load_file(
    path: str | Path,
    *,
    encoding: str | None = None,
    corrections: str | Path | Literal[False] | None = None,
    **kwargs: Any,
) -> Report:
    """`load` a report file: text in any encoding, a saved web page, .pdf or .docx.

    The encoding is detected (UTF-8 with or without BOM, GB18030/GBK, Big5)
    unless given; HTML tables are read from their markup; PDF and .docx need
    the ``pdf`` and ``docx`` extras. How the file was read is an
    ``input.encoding`` finding (info) when it was not plain UTF-8.

    A person's decisions on flagged cells are applied (docs/review.md): those
    of ``corrections`` (a corrections file), by default of the report's own
    ``NAME.corrections.yaml`` when there is one; ``corrections=False`` reads
    none. Decided cells are ``corrected``; stale and conflicting decisions are
    findings, not applied.

    Every file is bounded before the work (`read_text`; docs/limits.md,
    "Inputs"): a special file is refused unopened, and one past a bound of
    `govdisclosure.pipeline.read.InputLimits` is an `InputError` naming the
    bound (``input_limits(...)`` raises it).

    Raises:
        InputError: the file cannot be read, is past a bound, or is encrypted.
        CorrectionsError: the corrections file is malformed (file:line); nothing applied.
        MissingExtraError: a .pdf or .docx without its extra installed.
        FormatNotRecognizedError, SpecNotFoundError, SpecError: as `load`.
    """
    return trace_file(path, encoding=encoding, corrections=corrections, **kwargs)[0]


def trace_file(
    path: str | Path,
    *,
    encoding: str | None = None,
    corrections: str | Path | Literal[False] | None = None,
    **kwargs: Any,
) -> tuple[Report, Stages]:
    """`load_file`, and the `Stages` of its run (whose ``normalized.source`` spans index).

    The corrections file is read before the report is parsed, so a malformed
    one stops the load with nothing applied.
    """
    decisions = _corrections_of(path, corrections)
    decoded = read_text(path, encoding=encoding)
    report, stages = trace(decoded.text, **kwargs)
    if decisions is not None:
        report = corrected(report, stages, decisions)
    if decoded.how == "utf-8":
        return report, stages
    note = Finding(
        "input.encoding",
        Severity.INFO,
        f"{Path(path).name}: read as {decoded.encoding} ({decoded.how})",
    )
    return evolve(report, findings=(note, *report.findings)), stages


def _corrections_of(
    path: str | Path, given: str | Path | Literal[False] | None
) -> Corrections | None:
    """The decisions to apply: the file given, else the report's own if it has one."""
    if given is False:
        return None
    if given is not None:
        return read_corrections(given)
    if str(path) == "-":
        return None  # standard input has no file beside it
    own = beside(path)
    # anything by that name is meant as the report's decisions: a folder, a
    # broken link or a pipe there is an error, never silently no decision
    return read_corrections(own) if os.path.lexists(own) else None
