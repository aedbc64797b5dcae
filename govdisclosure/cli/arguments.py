"""The command line's grammar: every subcommand, option, help text and example.

One function per subcommand, so each command's options read in one place and
the help a user sees can be checked against its handler in `commands`. The
order of the calls is the order ``--help`` lists them in.
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, NoReturn

from govdisclosure import __version__
from govdisclosure.cli import commands, review
from govdisclosure.cli.inputs import FORMATS, UsageError, suggestion
from govdisclosure.output.batch import DEFAULT_MEMORY, DEFAULT_TIMEOUT

if TYPE_CHECKING:
    from typing import TypeAlias

    #: What ``add_subparsers`` returns (argparse keeps its class private).
    _Subparsers: TypeAlias = "argparse._SubParsersAction[_Parser]"

__all__ = ["COMMANDS", "build_parser"]

#: The subcommands; any other first argument is a file for ``show``.
COMMANDS = ("show", "specs", "parse", "check", "explain", *review.COMMANDS)


class _Parser(argparse.ArgumentParser):
    """argparse, with a mistake said in one line: `UsageError`, not usage and exit.

    argparse prints the whole usage and exits on a mistake; a user of a
    batch (and a script reading stderr) needs the one line that says what
    is wrong, with a pointer to ``--help``. `main` prints it and returns 2.
    """

    def error(self, message: str) -> NoReturn:
        choice = re.search(r"invalid choice: '([^']*)' \(choose from (.*)\)", message)
        if choice:
            choices = re.findall(r"'?([\w-]+)'?", choice.group(2))
            message = f"{message}{suggestion(choice.group(1), choices)}"
        raise UsageError(f"{message} (see '{self.prog} --help')")


def _at_least(low: int, kind: Callable[[str], float] = int) -> Callable[[str], float]:
    """An argparse type: a number not under ``low`` (``--jobs 1``, ``--timeout 0``)."""

    def parse(text: str) -> float:
        try:
            number = kind(text)
        except ValueError:
            number = low - 1
        if not number >= low:  # also refuses nan
            raise argparse.ArgumentTypeError(
                f"{text!r}: give a number of at least {low}"
            )
        return number

    parse.__name__ = "number"  # argparse names the type in its messages
    return parse


def build_parser() -> argparse.ArgumentParser:
    """The whole parser; each parsed command carries its handler as ``run``."""
    parser = _Parser(
        prog="govdisclosure",
        description="Read 政府信息公开工作年度报告 into checked data; check and test specs.",
        epilog="examples:\n  govdisclosure report.txt\n  govdisclosure explain report.html\n"
        "  govdisclosure parse reports/ -o cells.csv\n  govdisclosure check reports/\n"
        "  govdisclosure specs list\n"
        "  govdisclosure specs check my-spec.yaml\n"
        "  govdisclosure specs test my-spec.yaml --examples cases/",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "-V", "--version", action="version", version=f"govdisclosure {__version__}"
    )
    subcommands = parser.add_subparsers(dest="command", required=True)
    _add_show(subcommands)
    _add_explain(subcommands)
    _add_parse(subcommands)
    _add_check(subcommands)
    _add_specs(subcommands)
    review.add_commands(subcommands)
    return parser


def _add_one_report_arguments(command: argparse.ArgumentParser) -> None:
    """``show`` and ``explain`` read one report the same way."""
    command.add_argument(
        "file", help="one report: text (any encoding), .html, .pdf or .docx"
    )
    command.add_argument("--spec", help=_SPEC_HELP)
    command.add_argument("--encoding", help="the file's encoding (default: detected)")


#: ``--spec`` is resolved once, before any file is read (`inputs.resolve_spec`).
_SPEC_HELP = (
    "a spec id (govdisclosure specs list) or a spec YAML file, instead of detection"
)


def _add_verbosity(command: argparse.ArgumentParser) -> None:
    """``-v`` and ``-q``: how much of the batch's log (skipped files) is printed."""
    group = command.add_mutually_exclusive_group()
    group.add_argument(
        "-v",
        "--verbose",
        dest="verbosity",
        action="store_const",
        const=1,
        default=0,
        help="also say every file skipped in a folder, and why",
    )
    group.add_argument(
        "-q",
        "--quiet",
        dest="verbosity",
        action="store_const",
        const=-1,
        help="print errors only: no warnings, no summary line",
    )


def _add_show(subcommands: _Subparsers) -> None:
    show = subcommands.add_parser(
        "show",
        help="parse one report and show its tables (the default command)",
        epilog="example: govdisclosure show report.txt --json > report.json",
    )
    _add_one_report_arguments(show)
    show.add_argument("--json", action="store_true", help="print the Report as JSON")
    show.add_argument(
        "--labels",
        choices=("zh", "keys"),
        default="zh",
        help="head rows and columns with the official Chinese labels (zh, the default) "
        "or with the spec's keys, as in --json and parse's records (keys)",
    )
    show.add_argument(
        "--all-findings",
        action="store_true",
        help="also list info findings (hidden by default)",
    )
    show.set_defaults(run=commands.show_report)


def _add_explain(subcommands: _Subparsers) -> None:
    explain = subcommands.add_parser(
        "explain",
        help="show what the engine saw, step by step (lines, sections, tokens, cells, findings)",
        epilog="examples:\n  govdisclosure explain report.html | less\n"
        "  govdisclosure explain report.txt --cell t3.new_requests.total",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _add_one_report_arguments(explain)
    explain.add_argument(
        "--cell",
        metavar="TABLE.ROW.COLUMN",
        help="explain this cell only (e.g. t3.new_requests.total): its value, status, "
        "raw text, input line, candidates, reason and the findings that name it",
    )
    explain.set_defaults(run=commands.explain_report)


def _add_many_reports_arguments(command: argparse.ArgumentParser) -> None:
    """``parse`` and ``check`` take the same inputs and run the same batch."""
    command.add_argument(
        "paths",
        nargs="+",
        help="files, folders (their .txt, .html, .pdf, .docx files), globs, or - for stdin",
    )
    command.add_argument(
        "--jobs", type=_at_least(1), help="worker processes (default: all cores)"
    )
    command.add_argument("--spec", help=_SPEC_HELP)
    command.add_argument(
        "--timeout",
        type=_at_least(0, float),
        default=DEFAULT_TIMEOUT,
        metavar="SECONDS",
        help="stop a file that takes longer, report it and go on "
        f"(default: {DEFAULT_TIMEOUT:g}; 0: no limit)",
    )
    command.add_argument(
        "--memory",
        type=_at_least(0),
        default=DEFAULT_MEMORY // 2**20,
        metavar="MIB",
        help="memory a worker may take for one file, in MiB; a file over it is "
        f"reported (default: {DEFAULT_MEMORY // 2**20}; 0: no limit)",
    )
    _add_verbosity(command)


def _add_parse(subcommands: _Subparsers) -> None:
    parse = subcommands.add_parser(
        "parse",
        help="parse many reports to JSON Lines (one report a line), CSV or Parquet (one cell a row)",
        epilog="examples:\n  govdisclosure parse reports/ -o reports.jsonl\n"
        "  govdisclosure parse 'reports/**/*.txt' -o cells.csv --jobs 4\n"
        "  govdisclosure parse reports/ -o cells.parquet    # needs govdisclosure[parquet]\n"
        "  curl -s URL | govdisclosure parse - -o cells.csv\n"
        "  govdisclosure parse reports/ -o - --format csv | head",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _add_many_reports_arguments(parse)
    parse.add_argument(
        "-o",
        "--output",
        help="a .jsonl, .csv or .parquet file, written whole or not at all; "
        "- or none: standard output (default: JSON Lines on stdout)",
    )
    parse.add_argument(
        "--format",
        choices=FORMATS,
        help="the output format, when -o's suffix does not say it (or for -o -)",
    )
    parse.add_argument(
        "--findings",
        metavar="PATH",
        help="also write every finding of the batch, one a row, and a row per file "
        "that failed, to a .parquet, .csv or .jsonl file (docs/records.md)",
    )
    parse.set_defaults(run=commands.parse_many)


def _add_check(subcommands: _Subparsers) -> None:
    check = subcommands.add_parser(
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
    _add_many_reports_arguments(check)
    check.add_argument(
        "--format",
        choices=("text", "json", "csv"),
        default="text",
        help="json (one finding a line) or csv: the findings check reports, as rows "
        "of the findings table (docs/records.md), on stdout; the summary goes to stderr",
    )
    check.set_defaults(run=commands.check_many)


def _add_specs(subcommands: _Subparsers) -> None:
    specs = subcommands.add_parser(
        "specs",
        help="list, check and test template specs",
        epilog="examples:\n  govdisclosure specs list\n  govdisclosure specs check my-spec.yaml\n"
        "  govdisclosure specs test my-spec.yaml --examples cases/\n"
        "  govdisclosure specs schema > spec.schema.json",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    spec_commands = specs.add_subparsers(dest="specs_command", required=True)
    _add_specs_list(spec_commands)
    _add_specs_check(spec_commands)
    _add_specs_test(spec_commands)
    _add_specs_schema(spec_commands)


def _add_spec_path(command: argparse.ArgumentParser) -> None:
    """Every specs command but ``schema`` sees the registry, plugins and these paths."""
    command.add_argument(
        "--spec-path",
        action="append",
        default=[],
        help="also read specs from this folder or file (repeatable)",
    )


def _add_specs_list(spec_commands: _Subparsers) -> None:
    listing = spec_commands.add_parser(
        "list",
        help="every registered spec and where it comes from",
        epilog="example: govdisclosure specs list --spec-path my-specs/",
    )
    _add_spec_path(listing)
    listing.set_defaults(run=commands.specs_list)


def _add_specs_check(spec_commands: _Subparsers) -> None:
    checking = spec_commands.add_parser(
        "check",
        help="validate spec files; problems as FILE:LINE:COL",
        epilog="example: govdisclosure specs check specs/*.yaml",
    )
    checking.add_argument("files", nargs="+", help="spec YAML files")
    _add_spec_path(checking)
    checking.set_defaults(run=commands.specs_check)


def _add_specs_test(spec_commands: _Subparsers) -> None:
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
    _add_spec_path(testing)
    testing.set_defaults(run=commands.specs_test)


def _add_specs_schema(spec_commands: _Subparsers) -> None:
    schema = spec_commands.add_parser(
        "schema",
        help="print the JSON Schema of spec files (for editors)",
        epilog="example: govdisclosure specs schema > spec.schema.json",
    )
    schema.set_defaults(run=commands.specs_schema)
