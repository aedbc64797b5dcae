"""The ``govdisclosure`` command (also ``python -m govdisclosure``).

``govdisclosure [show] FILE`` parses one report and prints the metadata, every
table as a grid (flagged cells marked) and the findings; ``--json`` prints the
whole Report. ``govdisclosure specs list|check|test`` is the spec author's
toolkit (docs/writing-a-spec.md); ``parse`` and ``check`` handle many files
(docs/cli.md); ``explain FILE`` shows each step of the engine.

The grammar is in `arguments`, the handlers in `commands`, the text a person
reads in `views`; this module only joins them and maps errors to exit codes.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from govdisclosure.cli.arguments import COMMANDS, build_parser
from govdisclosure.errors import GovDisclosureError

__all__ = ["main"]


def main(argv: Sequence[str] | None = None) -> int:
    """Returns the exit code instead of exiting, so tests and wrappers can call it.

    A library error that a command did not handle is one line on stderr and
    exit code 2, never a traceback: the user gave a bad file or option.
    """
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] not in COMMANDS and argv[0] not in ("-h", "--help"):
        argv.insert(0, "show")  # `govdisclosure FILE` shows a report
    args = build_parser().parse_args(argv)
    try:
        code: int = args.run(args)
    except GovDisclosureError as exc:
        print(f"govdisclosure: {exc}", file=sys.stderr)
        return 2
    return code
