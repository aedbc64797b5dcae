"""``govdisclosure review`` and ``govdisclosure corrections merge``: the review loop's commands.

``review FILE… -o DIR`` writes a self-contained page per report and an index
(docs/review.md); ``corrections merge DECISIONS.json --reports DIR`` brings
the decisions a page downloaded into the report's corrections file. Their
grammar and handlers live here, so the subcommand table only adds them.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from govdisclosure.corrections import read_corrections

if TYPE_CHECKING:
    from typing import Any, TypeAlias

    # any parser class: the command line's own (`arguments._Parser`) adds these
    _Subparsers: TypeAlias = argparse._SubParsersAction[Any]

__all__ = ["COMMANDS", "add_commands"]

#: The subcommands this module adds.
COMMANDS = ("review", "corrections")


def add_commands(subcommands: _Subparsers) -> None:
    """Add ``review`` and ``corrections`` to the command line."""
    review = subcommands.add_parser(
        "review",
        help="write a review page per report (HTML, no server) and an index sorted by what needs attention",
        epilog="examples:\n  govdisclosure review reports/ -o review/\n"
        "  govdisclosure review report.txt -o review/ --corrections decided.yaml",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    review.add_argument("paths", nargs="+", help="report files, folders or globs")
    review.add_argument(
        "-o", "--output", required=True, help="the folder to write the pages to"
    )
    review.add_argument("--spec", help="use this spec id for every file")
    review.add_argument(
        "--corrections",
        metavar="PATH",
        help="apply this corrections file (one report only; default: each report's "
        "NAME.corrections.yaml beside it)",
    )
    review.set_defaults(run=review_reports)
    corrections = subcommands.add_parser(
        "corrections",
        help="check corrections files; merge the decisions a review page downloaded",
        epilog="examples:\n  govdisclosure corrections merge ~/Downloads/03.decisions.json --reports reports/\n"
        "  govdisclosure corrections check reports/03.corrections.yaml",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    actions = corrections.add_subparsers(dest="corrections_command", required=True)
    merge = actions.add_parser(
        "merge",
        help="merge a page's NAME.decisions.json into NAME.corrections.yaml in the reports' folder",
    )
    merge.add_argument(
        "decisions", nargs="+", help="decisions files downloaded from review pages"
    )
    merge.add_argument(
        "--reports",
        default=".",
        metavar="DIR",
        help="the folder holding the reports (default: here); nothing outside it is written",
    )
    merge.set_defaults(run=merge_decisions_command)
    check = actions.add_parser(
        "check", help="validate corrections files; problems as FILE:LINE"
    )
    check.add_argument("files", nargs="+", help="NAME.corrections.yaml files")
    check.set_defaults(run=check_corrections)


def review_reports(args: argparse.Namespace) -> int:
    """Write the pages; exit 0, or 2 when a file could not be read (the index says which)."""
    from pathlib import Path

    from govdisclosure.cli.inputs import input_files, resolve_spec
    from govdisclosure.review.build import is_review_page, write_review

    # the pages of an earlier run inside a folder reviewed are no reports; any
    # other file there is (`-o reports/`: write_review then refuses to overwrite it)
    if not args.output.strip():
        print("govdisclosure: error: -o is empty: name the folder to write the pages to",
              file=sys.stderr)  # fmt: skip
        return 2
    out = Path(args.output).resolve()
    # as parse and check: a path naming nothing, no report files and an
    # unknown spec are one line each, before any page is written
    spec = resolve_spec(args.spec)
    files = [
        f
        for f in input_files(args.paths)
        if not (f.resolve().is_relative_to(out) and is_review_page(f))
    ]
    if args.corrections is not None and len(files) != 1:
        print(
            "govdisclosure: --corrections applies to one report only", file=sys.stderr
        )
        return 2
    entries = write_review(files, args.output, spec=spec, corrections=args.corrections)
    failed = [e for e in entries if e.report is None]
    for entry in failed:
        print(f"{entry.source}: {entry.error}", file=sys.stderr)
    index = Path(args.output) / "index.html"
    print(
        f"{len(entries) - len(failed)} page(s) and {index} written; {len(failed)} failed"
    )
    return 2 if failed else 0


def merge_decisions_command(args: argparse.Namespace) -> int:
    """Merge each decisions file; if any is bad, it is said and none is written (exit 2)."""
    from govdisclosure.review.decisions import merge_decisions, merged_summary

    for (
        path
    ) in args.decisions:  # all checked first: a batch is merged whole or not at all
        merge_decisions(path, args.reports, dry_run=True)
    for path in args.decisions:
        print(merged_summary(merge_decisions(path, args.reports)))
    return 0


def check_corrections(args: argparse.Namespace) -> int:
    """Exit 0 when every file reads as corrections, else 1 with each problem located."""
    from govdisclosure.corrections import CorrectionsError

    bad = 0
    for path in args.files:
        try:
            found = read_corrections(path)
        except CorrectionsError as exc:
            bad += 1
            for problem in exc.problems:
                print(problem)
            continue
        print(f"{path}: {len(found.items)} decision(s)")
    return 1 if bad else 0
