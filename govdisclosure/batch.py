"""Many reports: expand paths, parse across processes, stream results in order.

`load` is a pure function of its text, so files are parsed in worker
processes and results come back in input order while later files are still
being parsed. At most a few files per worker are in flight, so memory stays
flat however many files there are. A file that cannot be read or parsed is a
`Result` with an `error`; the batch goes on.
"""

from __future__ import annotations

import glob
import os
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path

from attrs import frozen

from govdisclosure.api import load_file
from govdisclosure.errors import GovDisclosureError
from govdisclosure.model import Report

__all__ = ["Result", "expand_paths", "load_many"]

#: Text files a folder is searched for.
REPORT_SUFFIXES = (".txt",)
#: Files in flight per worker process.
_WINDOW_PER_JOB = 4


@frozen
class Result:
    """One input's outcome: its Report, or the error that stopped it."""

    path: str
    report: Report | None
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.report is not None


def expand_paths(paths: Iterable[str | Path]) -> Iterator[Path]:
    """Files as given; folders searched recursively for ``*.txt``; globs expanded.

    A path that names nothing is passed on as it is: its `Result` carries the error.
    """
    for given in paths:
        path = Path(given)
        if path.is_dir():
            yield from sorted(
                p
                for p in path.rglob("*")
                if p.suffix in REPORT_SUFFIXES and p.is_file()
            )
        elif path.exists():
            yield path
        else:
            matches = sorted(glob.glob(str(given), recursive=True))
            # nothing matches: the path itself, whose Result will say it cannot be read
            yield from expand_paths(matches) if matches else iter([path])


def _parse(path: str, spec: str | None) -> Result:
    try:
        return Result(path, load_file(path, spec=spec))
    except GovDisclosureError as exc:
        return Result(path, None, f"{type(exc).__name__}: {exc}")


def load_many(
    paths: Iterable[str | Path], *, jobs: int | None = None, spec: str | None = None
) -> Iterator[Result]:
    """Parse every report under ``paths`` (see `expand_paths`), yielding in order.

    ``jobs``: worker processes (default: all cores; 1 parses in this process).
    ``spec``: a spec id for every file instead of detection.
    """
    files = (str(p) for p in expand_paths(paths))
    jobs = jobs or os.cpu_count() or 1
    if jobs == 1:
        for path in files:
            yield _parse(path, spec)
        return
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        pending: deque[Future[Result]] = deque()
        for path in files:
            pending.append(pool.submit(_parse, path, spec))
            if len(pending) >= jobs * _WINDOW_PER_JOB:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
