"""What a command is given, checked before any report is read.

A mistake on the command line (a spec id that does not exist, an output in
a missing folder, a folder with no report in it) should cost one line and
no work: found here, before the first file is parsed, it is a `UsageError`
that `main` prints as ``govdisclosure: error: …`` with exit code 2, instead
of the same error once per file or a traceback after minutes of parsing.
"""

from __future__ import annotations

import difflib
import glob
import logging
import os
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from govdisclosure.errors import GovDisclosureError, require_extra
from govdisclosure.pipeline.read import READABLE_SUFFIXES
from govdisclosure.spec.model import Spec
from govdisclosure.spec.registry import Registry, load_spec

__all__ = [
    "FORMATS",
    "UsageError",
    "checked_findings",
    "checked_output",
    "distinct_outputs",
    "input_files",
    "resolve_spec",
    "suggestion",
]

log = logging.getLogger("govdisclosure.cli")

#: ``parse``'s output formats; ``-o`` names one by its suffix, ``--format`` by name.
FORMATS = ("jsonl", "csv", "parquet")

#: Files a folder may hold that look like reports but are not read, and why:
#: said once per file (a warning), where any other file is skipped quietly
#: (shown with ``-v``).
_UNREAD_KINDS = {
    ".doc": "Word 97-2003 (.doc) is not read; save it as .docx or PDF",
    ".wps": "WPS documents are not read; save it as .docx or PDF",
    ".rtf": "RTF is not read; save it as .docx or PDF",
    ".odt": "OpenDocument text is not read; save it as .docx or PDF",
    ".xls": "spreadsheets are not read",
    ".xlsx": "spreadsheets are not read",
    ".et": "spreadsheets are not read",
    ".ofd": "OFD is not read; save it as PDF",
    ".zip": "archives are not opened; extract them first",
    ".rar": "archives are not opened; extract them first",
    ".7z": "archives are not opened; extract them first",
}


def suggestion(word: str, choices: Sequence[str]) -> str:
    """``; did you mean 'specs'?`` for a near miss among ``choices``, else nothing."""
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else ""


class UsageError(GovDisclosureError):
    """The command line asks for something impossible; nothing was read.

    A `GovDisclosureError`, so a caller of `main` catching the library's
    errors catches it too.
    """


def resolve_spec(given: str | None) -> Spec | None:
    """``--spec`` as a spec: a registered id, or a path to a YAML spec file.

    Resolved once, so a typo is one error before any file is read instead
    of the same error for every file. A value naming an existing file, or
    ending in ``.yaml``/``.yml``, is a path; anything else is an id.
    """
    if given is None:
        return None
    registry = Registry()
    path = Path(given)
    if path.suffix.lower() in (".yaml", ".yml") or path.is_file():
        if not path.is_file():
            raise UsageError(f"--spec {given}: no such spec file")
        return load_spec(path, parents=registry.raw_specs())
    if given not in registry:
        known = ", ".join(spec.id for spec in registry)
        raise UsageError(
            f"--spec {given}: no spec with this id and no such file; known specs: {known}"
        )
    return registry.get(given)


def input_files(given: Iterable[str]) -> list[Path]:
    """Every file the batch will read, in order; skipped files said; none is an error.

    A path that names nothing (no file, folder or glob match) is refused
    here, before the batch: a typo in one of many paths should not be found
    only in the summary. A folder's files that are not reports are listed as
    skipped, with why for the kinds a user may have meant as reports (.doc).
    """
    from govdisclosure.output.batch import expand_paths

    given = list(given)
    for path in given:
        if (
            path != "-"
            and not Path(path).exists()
            and not glob.glob(path, recursive=True)
        ):
            raise UsageError(f"{path}: no such file or folder, and no file matches it")
    skipped = [s for path in given if Path(path).is_dir() for s in _skipped(Path(path))]
    files = list(expand_paths(given))
    if not files:
        why = f"; skipped {skipped[0][0]}: {skipped[0][1]}" if skipped else ""
        more = f" and {len(skipped) - 1} more" if len(skipped) > 1 else ""
        raise UsageError(
            f"no report files in {', '.join(given)} "
            f"(reports are {', '.join(sorted(READABLE_SUFFIXES))} files){why}{more}"
        )
    for unread, why in skipped:
        level = (
            logging.WARNING if unread.suffix.lower() in _UNREAD_KINDS else logging.INFO
        )
        log.log(level, "%s: skipped: %s", unread, why)
    return files


def _skipped(folder: Path) -> Iterator[tuple[Path, str]]:
    """Each file of ``folder`` the batch will not read, and why (see `input_files`)."""
    for path in sorted(folder.rglob("*")):
        suffix = path.suffix.lower()
        if suffix in READABLE_SUFFIXES or path.is_dir() or path.name.startswith("."):
            continue
        yield (
            path,
            _UNREAD_KINDS.get(suffix, f"not a report file ({suffix or 'no suffix'})"),
        )


def distinct_outputs(outputs: Iterable[str | None], inputs: Iterable[Path]) -> None:
    """Refuse outputs that name one file twice, or name one of the inputs.

    Two outputs of one name would be written through one temporary file and
    leave neither; an output that is an input would replace the report.
    """
    seen: dict[Path, str] = {}
    for output in outputs:
        if not output or output == "-":
            continue
        target = Path(output).resolve()
        if target in seen:
            raise UsageError(
                f"{output}: named twice (-o and --findings): give two files"
            )
        seen[target] = output
    for path in inputs:
        resolved = Path(path).resolve()
        if resolved in seen:
            raise UsageError(
                f"{seen[resolved]}: is one of the reports read; name another file"
            )


def checked_findings(path: str) -> str:
    """The format ``parse --findings`` writes, after checking it can be written (as ``-o``).

    The findings table goes to a file only: standard output holds the cells.
    """
    if path == "-":
        raise UsageError(
            "--findings -: the findings table goes to a file (standard output "
            "holds the cells); for findings on stdout use check --format json|csv"
        )
    return checked_output(path, None, option="--findings")


def checked_output(
    output: str | None, given_format: str | None, option: str = "-o"
) -> str:
    """The format ``parse`` writes, after checking that ``-o`` can be written.

    ``-o -`` or no ``-o`` is standard output (JSON Lines unless ``--format``
    says csv); a file's format is its suffix, or ``--format``. The folder
    must exist and be writable, and the output must not be a folder: checked
    now, so that no file is parsed for an output that cannot be made.
    """
    if output is None or output == "-":
        kind = given_format or "jsonl"
        if kind == "parquet":
            raise UsageError(
                "Parquet cannot go to standard output; use -o FILE.parquet"
            )
        return kind
    target = Path(output)
    if target.is_dir() or output.endswith(("/", os.sep)):
        raise UsageError(
            f"{option} {output}: is a folder; name a file, e.g. {target / 'cells.csv'}"
        )
    kind = _kind(target, given_format, option)
    folder = target.parent
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"{option} {output}: {folder} is not a folder")
    if not folder.is_dir():
        raise UsageError(
            f"{option} {output}: folder {folder} does not exist; create it first"
        )
    if not os.access(folder, os.W_OK | os.X_OK):
        raise UsageError(
            f"{option} {output}: cannot write in folder {folder}: permission denied"
        )
    if kind == "parquet":
        # MissingExtraError (one line, naming the extra) before any work
        require_extra("pyarrow.parquet", "parquet", "Parquet output")
    return kind


def _kind(target: Path, given_format: str | None, option: str = "-o") -> str:
    """The suffix's format; ``--format`` wins over an unknown suffix, not over a known one."""
    suffix = target.suffix.lstrip(".").lower()
    if given_format:
        if suffix in FORMATS and suffix != given_format:
            raise UsageError(
                f"{option} {target}: the suffix says {suffix}, --format says {given_format}"
            )
        return given_format
    if suffix in FORMATS:
        return suffix
    raise UsageError(
        f"{option} {target}: unknown output format {suffix!r}; "
        "write to a .jsonl, .csv or .parquet file (or give --format)"
    )
