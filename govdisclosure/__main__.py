"""The ``govdisclosure`` command (also ``python -m govdisclosure``).

``govdisclosure [show] FILE`` parses one report and prints the metadata, every
table as a grid (flagged cells marked) and the findings; ``--json`` prints the
whole Report. ``govdisclosure specs list|check|test`` is the spec author's
toolkit (docs/writing-a-spec.md); ``parse`` and ``check`` handle many files
(docs/cli.md); ``explain FILE`` shows each step of the engine.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import time
from collections.abc import Callable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import TextIO

from govdisclosure.api import load_file
from govdisclosure.errors import GovDisclosureError
from govdisclosure.model import (
    RECORD_FIELDS,
    Cell,
    CellStatus,
    Finding,
    Report,
    Severity,
)
from govdisclosure.spec.model import Spec
from govdisclosure.spec.registry import Registry, load_spec

_MARK = {
    CellStatus.BLANK: "·",
    CellStatus.MISSING: "∅",
    CellStatus.AMBIGUOUS: "?",
}


#: ANSI colours for flagged cells and findings, on a terminal only (NO_COLOR honoured).
_COLOR = {
    CellStatus.INFERRED: "36",  # cyan
    CellStatus.AMBIGUOUS: "33",  # yellow
    CellStatus.MISSING: "31",  # red
    Severity.WARNING: "33",
    Severity.ERROR: "1;31",
}


def _paint(text: str, key: CellStatus | Severity, color: bool) -> str:
    code = _COLOR.get(key)
    return f"\x1b[{code}m{text}\x1b[0m" if color and code else text


def _show(cell: Cell, color: bool = False) -> str:
    if cell.status not in (CellStatus.OK, CellStatus.INFERRED):
        return _paint(_MARK[cell.status], cell.status, color)
    # amounts need their unit (元 or 万元); counts read fine without it
    unit = cell.unit if isinstance(cell.value, Decimal) and cell.unit else ""
    mark = "*" if cell.status is CellStatus.INFERRED else ""
    return _paint(f"{cell.value}{unit}{mark}", cell.status, color)


def render(report: Report, *, color: bool = False) -> str:
    """A plain-text view of a report (used by the command line); ANSI colours if asked."""
    out = [
        f"format: {report.format} (v{report.spec_version}, score {report.score})",
        f"title: {report.title or '—'}",
        f"organization: {report.organization or '—'}",
        f"year: {report.year or '—'}",
        "",
    ]
    for table in report.tables:
        out.append(f"{table.id} {table.name}: " + " | ".join(table.column_keys))
        for row in table.grid():
            out.append(
                f"  {row[0].row_key:<34} " + " ".join(_show(c, color) for c in row)
            )
    out += ["", "cells: * inferred, · blank, ∅ missing, ? ambiguous", ""]
    shown = [f for f in report.findings if f.severity is not Severity.INFO]
    out.append(f"findings: {len(report.findings)} ({len(shown)} warning/error)")
    out += [
        f"  {_paint(f'[{f.severity.value}]', f.severity, color)} {f.code}: {f.message}"
        for f in shown
    ]
    return "\n".join(out)


def _show_main(args: argparse.Namespace) -> int:
    try:
        report = load_file(args.file, spec=args.spec, encoding=args.encoding)
    except GovDisclosureError as exc:
        print(f"govdisclosure: {args.file}: {exc}", file=sys.stderr)
        return 2
    color = sys.stdout.isatty() and not os.environ.get("NO_COLOR")
    print(report.to_json(indent=1) if args.json else render(report, color=color))
    return 1 if _errors(report) else 0


def _errors(report: Report) -> list[Finding]:
    """The findings that make a report fail a check (a broken 勾稽关系)."""
    return [f for f in report.findings if f.severity is Severity.ERROR]


def _specs_list(args: argparse.Namespace) -> int:
    registry = Registry(args.spec_path)
    for spec in registry:
        print(
            f"{spec.id:<22} v{spec.version}  {spec.title}  [{registry.origin(spec.id)}]"
        )
    return 0


def _specs_check(args: argparse.Namespace) -> int:
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


def _specs_test(args: argparse.Namespace) -> int:
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


def _specs_schema(args: argparse.Namespace) -> int:
    import json

    from govdisclosure.spec.schema import spec_json_schema

    print(json.dumps(spec_json_schema(), ensure_ascii=False, indent=2))
    return 0


class _Progress:
    """Files done, rate and ETA on one line of stderr, only when it is a terminal."""

    def __init__(self, total: int, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stderr
        self.on = self.stream.isatty()
        self.total = total
        self.done = 0
        self.start = self.shown = time.monotonic()

    def step(self) -> None:
        self.done += 1
        now = time.monotonic()
        if not self.on or (now - self.shown < 0.2 and self.done < self.total):
            return
        self.shown = now
        rate = self.done / max(now - self.start, 1e-9)
        eta = (self.total - self.done) / rate if rate else 0.0
        self.stream.write(
            f"\r{self.done}/{self.total} files  {rate:.1f} files/s  ETA {eta:.0f}s \x1b[K"
        )
        self.stream.flush()

    def say(self, message: str, stream: TextIO | None = None) -> None:
        """A line of its own (stderr by default), above the bar."""
        if self.on:
            self.stream.write("\r\x1b[K")
        print(message, file=stream or self.stream)

    def close(self) -> None:
        if self.on and self.done:
            self.stream.write("\r\x1b[K")
            self.stream.flush()


_OUTPUTS = ("jsonl", "csv", "parquet")


def _parse_many(args: argparse.Namespace) -> int:
    import csv
    import json

    from govdisclosure.output.batch import expand_paths, load_many

    out_path = Path(args.output) if args.output else None
    kind = out_path.suffix.lstrip(".").lower() if out_path else "jsonl"
    if kind not in _OUTPUTS:
        print(
            f"govdisclosure: {out_path}: unknown output format {kind!r}; "
            "write to a .jsonl, .csv or .parquet file",
            file=sys.stderr,
        )
        return 2
    files = list(expand_paths(args.paths))
    progress = _Progress(len(files))
    parsed = flagged = failed = 0
    with contextlib.ExitStack() as stack:
        write: Callable[[Report, str], None]
        if kind == "parquet":
            from govdisclosure.output.export import ParquetSink

            assert out_path is not None  # noqa: S101 (kind parquet comes from a path)
            sink = stack.enter_context(ParquetSink(out_path))
            write = sink.write
        else:
            stream = (
                stack.enter_context(out_path.open("w", encoding="utf-8", newline=""))
                if out_path
                else sys.stdout
            )
            if kind == "csv":
                writer = csv.DictWriter(stream, fieldnames=RECORD_FIELDS)
                writer.writeheader()

                def write(report: Report, source: str) -> None:
                    writer.writerows(report.to_records(source=source))
            else:

                def write(report: Report, source: str) -> None:
                    data = {"source": source, **report.to_dict()}
                    stream.write(json.dumps(data, ensure_ascii=False) + "\n")

        for result in load_many(files, jobs=args.jobs, spec=args.spec):
            progress.step()
            if result.report is None:
                failed += 1
                progress.say(f"{result.path}: {result.error}")
                continue
            parsed += 1
            flagged += bool(_errors(result.report))
            write(result.report, result.path)
    progress.close()
    print(
        f"parsed {parsed}, flagged {flagged} (error findings), failed {failed}",
        file=sys.stderr,
    )
    return 2 if failed else 0


def _check_many(args: argparse.Namespace) -> int:
    from govdisclosure.output.batch import expand_paths, load_many

    files = list(expand_paths(args.paths))
    progress = _Progress(len(files))
    broken = failed = 0
    reports: list[Report] = []
    for result in load_many(files, jobs=args.jobs, spec=args.spec):
        progress.step()
        if result.report is None:
            failed += 1
            progress.say(f"{result.path}: cannot parse: {result.error}", sys.stdout)
            continue
        if args.across_years:
            reports.append(result.report)
        errors = _errors(result.report)
        broken += bool(errors)
        for finding in errors:
            progress.say(f"{result.path}: {finding.message}", sys.stdout)
    progress.close()
    if args.across_years:
        from govdisclosure.across import compare

        for finding in compare(reports):
            print(f"{finding.severity.value}: {finding.message}")
    print(f"{broken} report(s) with errors, {failed} could not be parsed")
    return 2 if failed else 1 if broken else 0


def _explain_main(args: argparse.Namespace) -> int:
    from govdisclosure.explain import explain
    from govdisclosure.pipeline.read import read_text

    try:
        text = read_text(args.file, encoding=args.encoding).text
        print(explain(text, spec=args.spec), end="")
    except GovDisclosureError as exc:
        print(f"govdisclosure: {args.file}: {exc}", file=sys.stderr)
        return 2
    return 0


_COMMANDS = ("show", "specs", "parse", "check", "explain")


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] not in _COMMANDS and argv[0] not in ("-h", "--help"):
        argv.insert(0, "show")  # `govdisclosure FILE` shows a report
    parser = argparse.ArgumentParser(
        prog="govdisclosure",
        description="Read 政府信息公开工作年度报告 into checked data; check and test specs.",
        epilog="examples:\n  govdisclosure report.txt\n  govdisclosure explain report.html\n"
        "  govdisclosure parse reports/ -o cells.csv\n  govdisclosure check reports/\n"
        "  govdisclosure specs list\n"
        "  govdisclosure specs check my-spec.yaml\n"
        "  govdisclosure specs test my-spec.yaml --examples cases/",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(dest="command", required=True)
    show = commands.add_parser(
        "show",
        help="parse one report and show its tables (the default command)",
        epilog="example: govdisclosure show report.txt --json > report.json",
    )
    explain = commands.add_parser(
        "explain",
        help="show what the engine saw, step by step (lines, sections, tokens, cells, findings)",
        epilog="example: govdisclosure explain report.html | less",
    )
    for sub in (show, explain):
        sub.add_argument(
            "file", help="one report: text (any encoding), .html, .pdf or .docx"
        )
        sub.add_argument("--spec", help="use this spec id instead of detecting one")
        sub.add_argument("--encoding", help="the file's encoding (default: detected)")
    show.add_argument("--json", action="store_true", help="print the Report as JSON")
    show.set_defaults(run=_show_main)
    explain.set_defaults(run=_explain_main)

    parse = commands.add_parser(
        "parse",
        help="parse many reports to JSON Lines (one report a line), CSV or Parquet (one cell a row)",
        epilog="examples:\n  govdisclosure parse reports/ -o reports.jsonl\n"
        "  govdisclosure parse 'reports/**/*.txt' -o cells.csv --jobs 4\n"
        "  govdisclosure parse reports/ -o cells.parquet    # needs govdisclosure[parquet]\n"
        "  curl -s URL | govdisclosure parse - -o cells.csv",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    check = commands.add_parser(
        "check",
        help="list the reports whose numbers do not add up; exit 1 if any, 2 if a file failed",
        epilog="examples:\n  govdisclosure check reports/\n"
        "  govdisclosure check --across-years 2020.txt 2021.txt   # each organisation's years against each other",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    check.add_argument(
        "--across-years",
        action="store_true",
        help="also check each organisation's consecutive reports against the specs' "
        "cross-year rules (warnings, printed; they do not change the exit status)",
    )
    for sub in (parse, check):
        sub.add_argument(
            "paths",
            nargs="+",
            help="files, folders (their .txt, .html, .pdf, .docx files), globs, or - for stdin",
        )
        sub.add_argument(
            "--jobs", type=int, help="worker processes (default: all cores)"
        )
        sub.add_argument("--spec", help="use this spec id for every file")
    parse.add_argument(
        "-o",
        "--output",
        help="a .jsonl, .csv or .parquet file (default: JSON Lines on stdout)",
    )
    parse.set_defaults(run=_parse_many)
    check.set_defaults(run=_check_many)

    specs = commands.add_parser(
        "specs",
        help="list, check and test template specs",
        epilog="examples:\n  govdisclosure specs list\n  govdisclosure specs check my-spec.yaml\n"
        "  govdisclosure specs test my-spec.yaml --examples cases/\n"
        "  govdisclosure specs schema > spec.schema.json",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    spec_commands = specs.add_subparsers(dest="specs_command", required=True)
    path_help = "also read specs from this folder or file (repeatable)"
    listing = spec_commands.add_parser(
        "list",
        help="every registered spec and where it comes from",
        epilog="example: govdisclosure specs list --spec-path my-specs/",
    )
    checking = spec_commands.add_parser(
        "check",
        help="validate spec files; problems as FILE:LINE:COL",
        epilog="example: govdisclosure specs check specs/*.yaml",
    )
    checking.add_argument("files", nargs="+", help="spec YAML files")
    testing = spec_commands.add_parser(
        "test",
        help="run a spec against example reports with expected values",
        epilog="example: govdisclosure specs test my-spec.yaml --examples cases/",
    )
    testing.add_argument("file", help="the spec YAML file")
    testing.add_argument(
        "--examples",
        required=True,
        help="folder of NAME.expected.yaml cases (and their NAME.txt reports)",
    )
    schema = spec_commands.add_parser(
        "schema",
        help="print the JSON Schema of spec files (for editors)",
        epilog="example: govdisclosure specs schema > spec.schema.json",
    )
    schema.set_defaults(run=_specs_schema)
    for sub, run in (
        (listing, _specs_list),
        (checking, _specs_check),
        (testing, _specs_test),
    ):
        sub.add_argument("--spec-path", action="append", default=[], help=path_help)
        sub.set_defaults(run=run)
    args = parser.parse_args(argv)
    try:
        code: int = args.run(args)
    except GovDisclosureError as exc:
        print(f"govdisclosure: {exc}", file=sys.stderr)
        return 2
    return code


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
