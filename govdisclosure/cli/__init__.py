"""The ``govdisclosure`` command (also ``python -m govdisclosure``).

``govdisclosure [show] FILE`` parses one report and prints the metadata, every
table as a grid (flagged cells marked) and the findings; ``--json`` prints the
whole Report. ``govdisclosure specs list|check|test`` is the spec author's
toolkit (docs/writing-a-spec.md); ``parse`` and ``check`` handle many files
(docs/cli.md); ``explain FILE`` shows each step of the engine.

The grammar is in `arguments`, the handlers in `commands`, the text a person
reads in `views`, the checks made before any file is read in `inputs`; this
module only joins them and is the command's one error boundary: whatever
goes wrong ends in one line on stderr and a documented exit code
(docs/cli.md), never a traceback.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

from govdisclosure.cli.arguments import COMMANDS, build_parser
from govdisclosure.cli.commands import FAILED, INTERRUPTED, error
from govdisclosure.cli.inputs import UsageError, suggestion
from govdisclosure.errors import GovDisclosureError

__all__ = ["PIPE_CLOSED", "main"]

#: Exit code when the reader of stdout went away (``parse … | head``): 128 + SIGPIPE,
#: what the shell reports for a program that the signal ended.
PIPE_CLOSED = 141


def main(argv: Sequence[str] | None = None) -> int:
    """Returns the exit code instead of exiting, so tests and wrappers can call it.

    A library error or an `OSError` that a command did not handle is one
    line on stderr and exit code 2; Ctrl-C outside a batch ends quietly with
    130; a closed pipe on stdout ends quietly with `PIPE_CLOSED`.
    """
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        return _run(argv)
    except KeyboardInterrupt:
        return INTERRUPTED
    except BrokenPipeError:
        _stdout_to_null()
        return PIPE_CLOSED
    except GovDisclosureError as exc:
        error(str(exc))
        return FAILED
    except OSError as exc:  # a disk full or a file gone while writing -o
        where = f"{exc.filename}: " if exc.filename else ""
        error(f"{where}{exc.strerror or exc}")
        return FAILED


def _run(argv: list[str]) -> int:
    parser = build_parser()
    if not argv or argv == ["specs"]:  # help, not an error: what a newcomer types first
        argv.append("--help")
    if _a_report(argv[0]):
        argv.insert(0, "show")  # `govdisclosure FILE` shows a report
    try:
        args = parser.parse_args(argv)
    except SystemExit as done:  # --help and --version: printed, exit 0
        return done.code if isinstance(done.code, int) else 0
    with _logging(getattr(args, "verbosity", 0)):
        code: int = args.run(args)
    sys.stdout.flush()  # a closed pipe is found here, inside the boundary
    return code


#: The options of the command itself, before any subcommand; others are show's.
_OWN_OPTIONS = ("-h", "--help", "-V", "--version")


def _a_report(word: str) -> bool:
    """Whether the first argument is a file for ``show`` rather than a command.

    An option or a command is not. A word that names a file, or looks like
    a path (a folder in it, a suffix), is a report even if it does not exist
    (``show`` then says so). A bare word that is neither (``specz``) is a
    mistaken command: `UsageError` with the nearest command.
    """
    if word in _OWN_OPTIONS or word in COMMANDS:
        return False
    if word.startswith("-"):  # `govdisclosure --json FILE`: show's options
        return True
    if Path(word).exists() or os.sep in word or "/" in word or Path(word).suffix:
        return True
    raise UsageError(
        f"{word!r} is no command and no file{suggestion(word, COMMANDS)} "
        f"(commands: {', '.join(COMMANDS)}; see 'govdisclosure --help')"
    )


class _Stderr(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to the ``sys.stderr`` of the moment, not the one it was made with:
    the progress bar takes ``sys.stderr`` while it is drawn, so that log lines
    appear above it rather than through it."""

    def emit(self, record: logging.LogRecord) -> None:
        self.stream = sys.stderr
        super().emit(record)


@contextlib.contextmanager
def _logging(verbosity: int) -> Iterator[None]:
    """The library's log on stderr while a command runs: warnings (a file skipped)
    by default, also info with ``-v``, errors only with ``-q``."""
    logger = logging.getLogger("govdisclosure")
    handler = _Stderr()
    handler.setFormatter(logging.Formatter("%(message)s"))
    level = {-1: logging.ERROR, 0: logging.WARNING}.get(verbosity, logging.INFO)
    previous = logger.level
    logger.addHandler(handler)
    logger.setLevel(level)
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.setLevel(previous)


def _stdout_to_null() -> None:
    """Point stdout at /dev/null, so that Python's flush at exit does not raise again
    (and print ``Exception ignored … BrokenPipeError``) on the closed pipe."""
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())
    except (OSError, ValueError):  # no real stdout (a test's capture): nothing to do
        pass
