"""The subcommands: each takes the parsed arguments and returns the exit code.

They return codes instead of calling ``sys.exit`` so that `main` (and tests)
decide what to do with them; a `GovDisclosureError` that escapes a command is
turned into exit code 2 by `main`. Heavy or optional modules (the batch
runner, the golden-case checker, the JSON Schema) are imported by the command
that needs them, so ``govdisclosure FILE`` starts quickly.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import logging
import os
import shutil
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from types import FrameType
from typing import Any

from attrs import evolve, frozen

from govdisclosure.api import load_file
from govdisclosure.cli.inputs import (
    UsageError,
    checked_findings,
    checked_output,
    distinct_outputs,
    input_files,
    resolve_spec,
)
from govdisclosure.cli.views import Progress, explain_cell, render
from govdisclosure.errors import GovDisclosureError
from govdisclosure.model import DECIDED, Fault, Finding, Report, Result, Severity
from govdisclosure.output.export import (
    FINDINGS,
    CsvSink,
    JsonLinesSink,
    ParquetSink,
    Sink,
    replaced_whole,
)
from govdisclosure.spec.model import Spec
from govdisclosure.spec.registry import Registry, load_spec

__all__ = [
    "BROKEN",
    "CLEAN",
    "FAILED",
    "INTERRUPTED",
    "TERMINATED",
    "UNREAD",
    "Terminated",
    "check_many",
    "explain_report",
    "parse_many",
    "show_report",
    "specs_check",
    "specs_list",
    "specs_schema",
    "specs_test",
]

log = logging.getLogger("govdisclosure.cli")

#: ``parse -o`` writes the format its suffix names (lower-cased).
_SINKS: dict[str, Callable[[Path], Sink]] = {
    "jsonl": JsonLinesSink,
    "csv": CsvSink,
    "parquet": ParquetSink,
}

#: ``parse --findings`` writes the findings table in the format its suffix names.
_FINDING_SINKS: dict[str, Callable[[Path], Sink]] = {
    "jsonl": lambda path: JsonLinesSink(path, FINDINGS),
    "csv": lambda path: CsvSink(path, FINDINGS),
    "parquet": lambda path: ParquetSink(path, FINDINGS),
}


#: Exit codes of ``show`` and ``check`` (docs/cli.md): the worst that happened.
CLEAN = 0  # every declared cell read and every equation holding
BROKEN = 1  # a report's numbers do not add up (an error finding)
FAILED = 2  # a file could not be read or parsed (or the command was misused)
UNREAD = (
    3  # a report was not fully read: cells undecided, a table missing, or none at all
)
INTERRUPTED = 130  # Ctrl-C: the shell's code for a command ended by SIGINT
TERMINATED = 143  # SIGTERM (kill, systemd, a container stopping): 128 + 15


def _broken(report: Report) -> list[Finding]:
    """The error findings that are the report's fault (a broken 勾稽关系), not the
    reader's (a table not read: those are `_unread`'s); `faults.FAULTS` says which."""
    return [
        f
        for f in report.findings
        if f.severity is Severity.ERROR and f.fault is Fault.REPORT
    ]


#: How `check` tags a line by whose fault it is (docs/cli.md).
_TAGS = {
    Fault.REPORT: "[report fault]",
    Fault.READER: "[reader limit]",
    Fault.NONE: "[note]",
}


def _unread(report: Report) -> str | None:
    """What the text did not let us read, in one line; None when every cell was decided.

    A report without a statutory table is never clean: nothing in it was
    checked, and a script testing the exit code must not take it for a
    report whose numbers add up.
    """
    coverage = report.coverage
    if not report.tables:
        return (
            f"no statutory table ({report.format}): no cell read, nothing checked; "
            f"{len(report.facts)} figure(s) stated in the prose"
        )
    gaps = coverage.unread()
    if not gaps:
        return None
    each = ", ".join(
        f"{t.table} {t.decided}/{t.declared} decided"
        + (" (not in the text)" if not t.present else "")
        for t in gaps
    )
    return (
        f"not fully read: {coverage.decided} of {coverage.declared} cells decided "
        f"({coverage.decided / coverage.declared:.0%}): {each}"
    )


def _verdict(report: Report) -> int:
    """`BROKEN` over `UNREAD` over `CLEAN`: wrong numbers matter more than unread ones."""
    if _broken(report):
        return BROKEN
    return UNREAD if _unread(report) else CLEAN


def error(message: str) -> None:
    """A mistake or a failure, in the one line every command prints it in."""
    print(f"govdisclosure: error: {message}", file=sys.stderr)


def once(path: str | Path, message: str) -> str:
    """``PATH: message``, the path said once: a read error names it too
    (``InputError: x.pdf: cannot read as pdf``), and is shown without it."""
    return f"{path}: {message.replace(f'{path}: ', '', 1)}"


def _one_file(path: str) -> None:
    """A missing file or a folder, said before reading: the read error would name the
    path twice (``x.txt: cannot read: [Errno 2] … 'x.txt'``)."""
    if Path(path).is_dir():
        raise UsageError(f"{path}: is a folder; parse or check read many reports")
    if not Path(path).exists():
        raise UsageError(f"{path}: no such file")


def show_report(args: argparse.Namespace) -> int:
    """Exit 1 on a broken equation, 3 when not fully read, so a script can test a report."""
    _one_file(args.file)
    spec = resolve_spec(args.spec)
    try:
        report = load_file(args.file, spec=spec, encoding=args.encoding)
    except GovDisclosureError as exc:
        error(once(args.file, str(exc)))
        return FAILED
    if args.json:
        print(report.to_json(indent=1))
        return _verdict(report)
    tty = sys.stdout.isatty()
    print(
        render(
            report,
            color=tty and not os.environ.get("NO_COLOR"),
            labels=args.labels,
            all_findings=args.all_findings,
            width=shutil.get_terminal_size((120, 24)).columns if tty else 120,
        )
    )
    if not report.tables:  # the prose's figures are all such a report gives
        print(f"figures stated in the prose: {len(report.facts)}")
        for fact in report.facts:
            print(f"  {fact.id} = {fact.value}{fact.unit or ''}  「{fact.sentence}」")
    print(f"read: {_unread(report) or 'every declared cell decided'}")
    return _verdict(report)


def explain_report(args: argparse.Namespace) -> int:
    """Reads the file here, not in `explain`, which works on text (and spans index it)."""
    from govdisclosure.api import trace
    from govdisclosure.explain import explain
    from govdisclosure.pipeline.read import read_text

    _one_file(args.file)
    spec = resolve_spec(args.spec)
    try:
        text = read_text(args.file, encoding=args.encoding).text
        if not args.cell:
            print(explain(text, spec=spec), end="")
            return 0
        report, stages = trace(text, spec=spec)
    except GovDisclosureError as exc:
        error(once(args.file, str(exc)))
        return FAILED
    print(explain_cell(report, stages.normalized.lines, args.cell))
    return 0


@contextlib.contextmanager
def _output(kind: str, output: str | None) -> Iterator[Sink]:
    """The sink ``-o`` names, written whole or not at all; else standard output.

    The file is written under a temporary name in its folder and renamed
    when the batch ends (`replaced_whole`), so a batch stopped half-way
    (Ctrl-C, a broken pipe, an error) leaves no partial output and keeps
    the previous one.
    """
    if not output or output == "-":
        sink: Sink = CsvSink(sys.stdout) if kind == "csv" else JsonLinesSink(sys.stdout)
        with sink:
            yield sink
        return
    with replaced_whole(output) as temporary, _SINKS[kind](temporary) as sink:
        yield sink


class Terminated(BaseException):
    """SIGTERM during a batch, raised in the main thread as Ctrl-C raises KeyboardInterrupt.

    A BaseException, like KeyboardInterrupt, so that no ``except Exception``
    on the way (a file parsed in this process makes any exception its
    error) takes it for a file's failure instead of the end of the batch.
    """


@contextlib.contextmanager
def _terminable() -> Iterator[None]:
    """SIGTERM stops the batch the way Ctrl-C does, inside the block.

    By default SIGTERM ends the process at once: the ``-o`` file's temporary
    stays behind, no summary is printed and busy workers run on (a forked
    worker only sees its parent go when it next sends). Raising instead
    unwinds the batch: the workers are stopped, the temporary removed, the
    summary printed. Only the first one raises; later ones are ignored until
    the block ends, so that a second signal cannot cut the clean-up short.
    Signals can only be handled in the main thread: elsewhere (a caller
    running `main` in a thread) the block changes nothing.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum: int, frame: FrameType | None) -> None:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        raise Terminated

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _stopped(stop: BaseException) -> tuple[str, int]:
    """How a batch was stopped, for its summary, and the exit code that says so."""
    if isinstance(stop, Terminated):
        return "terminated (SIGTERM)", TERMINATED
    return "interrupted", INTERRUPTED


def _results(
    files: list[Path],
    spec: Spec | None,
    args: argparse.Namespace,
    progress: Progress,
    keep: Callable[[Report, str], Any] | None = None,
) -> Iterator[Result]:
    """Each file's result (``keep``: `load_many`'s), counted on ``progress``."""
    from govdisclosure.output.batch import load_many

    progress.start(len(files))
    for result in load_many(
        files, jobs=args.jobs, spec=spec, keep=keep, **_limits(args)
    ):
        progress.step()
        yield result


def _limits(args: argparse.Namespace) -> dict[str, Any]:
    """``--timeout`` and ``--memory`` (MiB) as `load_many`'s keywords; 0 is no limit."""
    return {
        "timeout": args.timeout or None,
        "memory": args.memory * 2**20 if args.memory else None,
    }


def parse_many(args: argparse.Namespace) -> int:
    """A failed file is reported and counted, and the batch goes on (exit 2 at the end).

    Everything a mistake can break is checked first (`inputs`): the output,
    the spec, the input paths. Ctrl-C stops the batch with the summary of
    what was done, exit 130, and no ``-o`` file (`_output`); SIGTERM the
    same way, exit 143 (`_terminable`). Data goes to stdout (or ``-o``),
    the summary and each file's failure to stderr.
    """
    kind = checked_output(args.output, args.format)
    if args.findings:
        checked_findings(args.findings)
    spec = resolve_spec(args.spec)
    files = input_files(args.paths)
    distinct_outputs({"-o": args.output, "--findings": args.findings}, files)
    counts = dict.fromkeys(("parsed", "flagged", "unread", "failed"), 0)
    progress = Progress()
    try:
        with (
            _terminable(),
            _output(kind, args.output) as sink,
            _findings_output(args.findings) as findings,
        ):
            keep = functools.partial(
                _kept,
                output=sink.preparer(),
                findings=None if findings is None else findings.preparer(),
            )
            for result in _results(files, spec, args, progress, keep):
                if not result.ok:
                    if findings is not None:
                        findings.write_failed(result.path, result.error or "")
                    counts["failed"] += 1
                    log.error("%s", once(result.path, result.error or "failed"))
                    continue
                kept: _Kept = result.value
                if findings is not None:
                    findings.write_prepared(kept.findings)
                counts["parsed"] += 1
                counts["flagged"] += kept.flagged
                counts["unread"] += kept.unread
                sink.write_prepared(kept.output)
    except (KeyboardInterrupt, Terminated) as stop:
        progress.close()
        how, code = _stopped(stop)
        outputs = " and ".join(
            o for o in (args.output, args.findings) if o and _to_file(o)
        )
        unwritten = f"; {outputs} not written" if outputs else ""
        _summary(
            args,
            f"{how} after {progress.done} of {progress.total} files: "
            f"{_parse_summary(counts)}{unwritten}",
        )
        return code
    finally:
        progress.close()
    _summary(args, _parse_summary(counts))
    return 2 if counts["failed"] else 0


def _to_file(output: str | None) -> bool:
    return bool(output) and output != "-"


def _summary(args: argparse.Namespace, line: str) -> None:
    """A batch's last line, on stderr (stdout holds its data); none with ``-q``."""
    if args.verbosity >= 0:
        print(line, file=sys.stderr)


@contextlib.contextmanager
def _findings_output(path: str | None) -> Iterator[Sink | None]:
    """``--findings``: the findings table, written whole or not at all, as ``-o`` is."""
    if not path:
        yield None
        return
    kind = Path(path).suffix.lstrip(".").lower()
    with replaced_whole(path) as temporary, _FINDING_SINKS[kind](temporary) as sink:
        yield sink


@frozen
class _Kept:
    """What `parse_many` needs of a report, made in the worker that parsed it
    (`load_many`'s ``keep``): its counts, and what each sink writes of it
    (`Sink.preparer`), sent back instead of the report."""

    flagged: bool
    unread: bool
    output: Any
    findings: Any


def _kept(
    report: Report,
    path: str,
    *,
    output: Callable[[Report, str | None], Any],
    findings: Callable[[Report, str | None], Any] | None,
) -> _Kept:
    return _Kept(
        bool(_broken(report)),
        _unread(report) is not None,
        output(report, path),
        None if findings is None else findings(report, path),
    )


def _parse_summary(counts: dict[str, int]) -> str:
    return (
        f"parsed {counts['parsed']}, flagged {counts['flagged']} (error findings), "
        f"not fully read {counts['unread']}, failed {counts['failed']}"
    )


def check_many(args: argparse.Namespace) -> int:
    """Error findings go to stdout, one a line, so ``check … > broken.txt`` keeps them.

    So does a line per report that was not fully read (which tables, how
    many cells), since a report whose tables were not read is not a clean
    one, and a line per file that could not be parsed: exit `FAILED` if a
    file failed, else `BROKEN` if an equation broke, else `UNREAD` if a
    report was not fully read, else `CLEAN`. The summary goes to stderr, as
    ``parse``'s does. Cross-year warnings are printed but never change the
    exit code: two reports that disagree may both be right (a restated
    figure). Ctrl-C prints the counts so far and exits `INTERRUPTED`;
    SIGTERM `TERMINATED`.
    """
    spec = resolve_spec(args.spec)
    files = input_files(args.paths)
    counts = dict.fromkeys(("broken", "unread", "failed"), 0)
    reports: list[Report] = []
    progress = Progress()
    rows = _check_rows(args.format)
    try:
        with _terminable(), rows or contextlib.nullcontext():
            check = functools.partial(
                _checked, rows=None if rows is None else rows.preparer()
            )
            # across years, every report is kept for `compare`: checked here
            keep = None if args.across_years else check
            for result in _results(files, spec, args, progress, keep):
                if not result.ok:
                    counts["failed"] += 1
                    if rows is None:
                        print(
                            once(result.path, f"cannot parse: {result.error}")
                            + f" {_TAGS[Fault.READER]}"
                        )
                    else:
                        rows.write_failed(result.path, result.error or "")
                    continue
                if result.report is not None:  # across years
                    reports.append(result.report)
                    checked = check(result.report, result.path)
                else:
                    checked = result.value
                _check_one(result.path, checked, counts, rows)
            progress.close()
            if args.across_years:
                _check_across(reports, rows)
    except (KeyboardInterrupt, Terminated) as stop:
        progress.close()
        how, code = _stopped(stop)
        _summary(
            args,
            f"{how} after {progress.done} of {progress.total} files: "
            f"{_check_summary(counts)}",
        )
        return code
    finally:
        progress.close()
    _summary(args, _check_summary(counts))
    if counts["failed"]:
        return FAILED
    return BROKEN if counts["broken"] else UNREAD if counts["unread"] else CLEAN


def _check_rows(kind: str) -> Sink | None:
    """``check --format json|csv``: the findings table on stdout (None for text).

    JSON is JSON Lines, one finding an object, so a batch streams as it goes.
    """
    if kind == "json":
        return JsonLinesSink(sys.stdout, FINDINGS)
    if kind == "csv":
        return CsvSink(sys.stdout, FINDINGS)
    return None


def _check_across(reports: list[Report], rows: Sink | None) -> None:
    """The cross-year findings: printed, or rows with no report's columns."""
    from govdisclosure.across import compare
    from govdisclosure.model import finding_record

    found = compare(reports)
    if rows is not None:
        head = dict.fromkeys(("source", "format", "organization", "year"))
        rows.write_rows({**head, **finding_record(f)} for f in found)
        return
    for finding in found:
        print(f"{finding.severity.value}: {finding.message} {_TAGS[finding.fault]}")


@frozen
class _Checked:
    """What `check` says of one report, made where it was parsed (`_checked`)."""

    #: The messages of its broken equations (`_broken`).
    broken: tuple[str, ...]
    #: What was not read (`_unread`), or None.
    gap: str | None
    #: Its findings rows as the ``--format`` sink takes them (`Sink.preparer`).
    rows: Any


def _checked(
    report: Report, path: str, *, rows: Callable[[Report, str | None], Any] | None
) -> _Checked:
    """A report's broken equations, what was not read and, given ``rows`` (a
    sink's preparer), its rows: in a worker (`load_many`'s ``keep``), so that
    the report itself is not sent back.

    As rows: the findings behind the text lines, the report's error findings
    (broken equations, tables missing or unread) and its ``table.none``; a
    report not fully read that none of these explains (a few cells left
    undecided) gets a ``coverage.incomplete`` row, so that every exit 3 has
    its row.
    """
    errors = _broken(report)
    gap = _unread(report)
    prepared = None
    if rows is not None:
        told = [
            f
            for f in report.findings
            if f.severity is Severity.ERROR or f.code == "table.none"
        ]
        # an unread or missing table, or no table at all, is already a row
        if gap and not any(
            f.fault is Fault.READER or f.code == "table.none" for f in told
        ):
            told.append(_incomplete(report, gap))
        prepared = rows(evolve(report, findings=tuple(told)), path)
    return _Checked(tuple(f.message for f in errors), gap, prepared)


def _check_one(
    path: str, checked: _Checked, counts: dict[str, int], rows: Sink | None = None
) -> None:
    """Print (or write as rows) one report's broken equations and what was not read; count them."""
    counts["broken"] += bool(checked.broken)
    counts["unread"] += checked.gap is not None
    if rows is not None:
        rows.write_prepared(checked.rows)
        return
    for message in checked.broken:
        print(f"{path}: {message} {_TAGS[Fault.REPORT]}")
    if checked.gap:
        print(f"{path}: {checked.gap} {_TAGS[Fault.READER]}")


def _incomplete(report: Report, gap: str) -> Finding:
    """``check``'s row for a report whose undecided cells no error finding names."""
    return Finding(
        "coverage.incomplete",
        Severity.WARNING,
        gap,
        missing_cells=tuple(c.key for c in report.cells if c.status not in DECIDED),
    )


def _check_summary(counts: dict[str, int]) -> str:
    return (
        f"{counts['broken']} report(s) with errors, {counts['unread']} not fully read, "
        f"{counts['failed']} could not be parsed"
    )


def specs_list(args: argparse.Namespace) -> int:
    """Says where each spec comes from, since a plugin may shadow a bundled one."""
    registry = Registry(args.spec_path)
    for spec in registry:
        print(
            f"{spec.id:<22} v{spec.version}  {spec.title}  [{registry.origin(spec.id)}]"
        )
    return 0


def specs_check(args: argparse.Namespace) -> int:
    """Checks every file, not just up to the first broken one, so one run lists them all."""
    failed = 0
    parents = Registry(args.spec_path)
    for path in args.files:
        try:
            spec = load_spec(path, parents=parents.raw_specs())
        except GovDisclosureError as exc:
            print(exc, file=sys.stderr)
            failed += 1
            continue
        cells = sum(len(t.row_leaves()) * len(t.column_leaves()) for t in spec.tables)
        print(
            f"{path}: ok ({spec.id} v{spec.version}: {len(spec.tables)} tables, "
            f"{cells} cells, {len(spec.invariants)} invariants)"
        )
    return 1 if failed else 0


def specs_test(args: argparse.Namespace) -> int:
    """No case at all is a failure: a spec that passes zero cases is untested."""
    from govdisclosure.testing.golden import check_case, find_cases

    registry = Registry(args.spec_path)
    try:
        spec = load_spec(args.file, parents=registry.raw_specs())
    except GovDisclosureError as exc:
        print(exc, file=sys.stderr)
        return 2
    forced: Spec | None = None
    if spec.id not in registry:
        registry.add(spec, origin=str(args.file))  # detection sees it among the others
    elif registry.get(spec.id) != spec:
        forced = spec  # an edited copy of a registered spec: never test the other one
        print(
            f"note: {spec.id!r} is also registered from {registry.origin(spec.id)}; "
            f"the cases are parsed with {args.file} (no detection)"
        )
    cases = find_cases(args.examples)
    if not cases:
        print(
            f"{args.examples}: no *.expected.yaml cases; a spec is tested against "
            "real reports with hand-typed values (docs/writing-a-spec.md)",
            file=sys.stderr,
        )
        return 1
    failed = 0
    for case in cases:
        problems = check_case(case, spec=forced, registry=registry)
        failed += bool(problems)
        print(f"{case}: {'FAIL' if problems else 'ok'}")
        for problem in problems:
            print(f"  {problem}")
    print(f"{len(cases) - failed} of {len(cases)} cases pass")
    return 1 if failed else 0


def specs_schema(args: argparse.Namespace) -> int:
    """For editors: with the schema, YAML spec files get completion and checks."""
    import json

    from govdisclosure.spec.schema import spec_json_schema

    print(json.dumps(spec_json_schema(), ensure_ascii=False, indent=2))
    return 0
