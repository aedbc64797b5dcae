"""`load`: the only module that knows the order of the pipeline's steps.

text → normalize_text → (spec) → locate_sections → build_grid per section →
draft_tables → narrow_readings → finalize_tables → check_invariants → Report.

`load` is also the one boundary that guarantees only GovDisclosureError
subclasses escape: the steps raise our errors where the input or the spec is
at fault, and anything else is a bug, re-raised as InternalError (still a
GovDisclosureError, chained to the original so it stays visible).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from attrs import evolve

from govdisclosure.errors import GovDisclosureError, InternalError
from govdisclosure.model import Finding, Report, Severity
from govdisclosure.pipeline.detect import CLOSE_CALL, candidate_specs, structure_score
from govdisclosure.pipeline.grid import build_grid
from govdisclosure.pipeline.invariants import (
    check_invariants,
    instances,
    narrow_readings,
)
from govdisclosure.pipeline.mapping import draft_tables, finalize_tables
from govdisclosure.pipeline.narrative import agreed_facts, check_facts, find_facts
from govdisclosure.pipeline.normalize import NormalizedText, normalize_text
from govdisclosure.pipeline.read import html_to_text, looks_like_html, read_text
from govdisclosure.pipeline.sections import locate_sections
from govdisclosure.spec.model import Spec
from govdisclosure.spec.patterns import PATTERN_TIMEOUT, timeouts
from govdisclosure.spec.registry import (
    Registry,
    default_registry,
    load_spec,
    registry_with,
)

__all__ = ["load", "load_file"]


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
    try:
        if registry is None:
            paths = tuple(str(p) for p in spec_paths)
            registry = registry_with(paths) if paths else default_registry()
        return _load(text, spec, registry)
    except GovDisclosureError:
        raise
    except Exception as exc:  # a bug: keep the contract, keep the evidence
        raise InternalError(
            f"internal error while parsing ({type(exc).__name__}: {exc})"
        ) from exc


def _load(text: str, spec: str | Spec | Path | None, registry: Registry) -> Report:
    if looks_like_html(text):
        report = _load(html_to_text(text), spec, registry)
        note = Finding(
            "input.html",
            Severity.INFO,
            "the input is HTML: its tables were read from their markup; "
            "cell spans index govdisclosure.html_to_text(input)",
        )
        return evolve(report, findings=(note, *report.findings))
    normalized = normalize_text(text)
    if isinstance(spec, Spec):
        return _parse(normalized, spec, 1.0)
    if isinstance(spec, Path):
        return _parse(normalized, load_spec(spec, parents=registry.raw_specs()), 1.0)
    if isinstance(spec, str):
        return _parse(normalized, registry.get(spec), 1.0)
    # detection by structure: parse with every spec that fits, keep the best
    scored = []
    for candidate, label_score in candidate_specs(normalized, registry):
        report = _parse(normalized, candidate, label_score)
        score = structure_score(report, label_score, len(instances(candidate)))
        scored.append((score, report))
    scored.sort(key=lambda item: item[0], reverse=True)
    best_score, best = scored[0]
    findings = list(best.findings)
    close = [(s, r) for s, r in scored[1:] if best_score - s < CLOSE_CALL]
    if close:
        others = ", ".join(f"{r.format} ({s:.3f})" for s, r in close)
        findings.append(
            Finding(
                "spec.close_call",
                Severity.WARNING,
                f"{best.format} ({best_score:.3f}) was chosen, but {others} fit almost as well; pass spec= to choose",
            )
        )
    return evolve(best, score=round(best_score, 3), findings=tuple(findings))


def _parse(normalized: NormalizedText, chosen: Spec, score: float) -> Report:
    """Run the pipeline on normalised text with one spec."""
    with timeouts() as timed_out:
        report = _run(normalized, chosen, score)
    if not timed_out:
        return report
    slow = [
        Finding(
            "spec.pattern_timeout",
            Severity.WARNING,
            f"pattern {p!r} of spec {chosen.id}@{chosen.version} ran past "
            f"{PATTERN_TIMEOUT}s and was skipped; what it finds is missing from this report",
            spec=f"{chosen.id}@{chosen.version}",
        )
        for p in timed_out
    ]
    return evolve(report, findings=(*report.findings, *slow))


def _run(normalized: NormalizedText, chosen: Spec, score: float) -> Report:
    sections = locate_sections(normalized, chosen)
    facts = find_facts(sections, chosen)
    section_ids = dict.fromkeys(t.section for t in chosen.tables)
    grids = [build_grid(chosen, sid, sections.body(sid)) for sid in section_ids]
    drafts, findings = draft_tables(chosen, grids)
    drafts = narrow_readings(drafts, chosen, agreed_facts(facts, chosen))
    tables, unused = finalize_tables(drafts)
    findings = [
        *sections.findings,
        *findings,
        *unused,
        *check_invariants(tables, chosen),
        *check_facts(tables, facts, chosen),
    ]
    meta = sections.metadata
    return Report(
        format=chosen.id,
        spec_version=chosen.version,
        year=meta.year,
        organization=meta.organization,
        title=meta.title,
        sections=sections.as_model(),
        tables=tables,
        findings=tuple(findings),
        score=round(score, 3),
        published=meta.published,
        facts=facts,
    )


def load_file(
    path: str | Path, *, encoding: str | None = None, **kwargs: Any
) -> Report:
    """`load` a report file: text in any encoding, a saved web page, .pdf or .docx.

    The encoding is detected (UTF-8 with or without BOM, GB18030/GBK, Big5)
    unless given; HTML tables are read from their markup; PDF and .docx need
    the ``pdf`` and ``docx`` extras. How the file was read is an
    ``input.encoding`` finding (info) when it was not plain UTF-8.
    """
    decoded = read_text(path, encoding=encoding)
    report = load(decoded.text, **kwargs)
    if decoded.how == "utf-8":
        return report
    note = Finding(
        "input.encoding",
        Severity.INFO,
        f"{Path(path).name}: read as {decoded.encoding} ({decoded.how})",
    )
    return evolve(report, findings=(note, *report.findings))
