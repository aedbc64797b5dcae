"""Many reports: expand paths, parse across processes, stream results in order.

`load` is a pure function of its text, so files are parsed in worker
processes and results come back in input order while later files are still
being parsed. At most a few files per worker are in flight, so memory stays
flat however many files there are. A file that cannot be read or parsed is a
`Result` with an `error`; the batch goes on.
"""

from __future__ import annotations

import glob
import hashlib
import os
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path

from govdisclosure.api import load_file
from govdisclosure.errors import GovDisclosureError
from govdisclosure.model import Result
from govdisclosure.output.export import ParquetSink
from govdisclosure.pipeline.read import READABLE_SUFFIXES

__all__ = ["Result", "expand_paths", "load_many", "parquet_part"]

#: Files in flight per worker process.
_WINDOW_PER_JOB = 4


def expand_paths(paths: Iterable[str | Path]) -> Iterator[Path]:
    """Files as given; folders searched recursively for reports; globs expanded.

    A folder's reports are its ``.txt``, ``.html``/``.htm``, ``.pdf`` and
    ``.docx`` files. ``-`` (standard input) is passed on as it is, and so is a
    path that names nothing: its `Result` carries the error.
    """
    for given in paths:
        if str(given) == "-":
            yield Path("-")
            continue
        path = Path(given)
        if path.is_dir():
            yield from sorted(
                p
                for p in path.rglob("*")
                if p.suffix.lower() in READABLE_SUFFIXES and p.is_file()
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


def _done(result: Result) -> Future[Result]:
    future: Future[Result] = Future()
    future.set_result(result)
    return future


def load_many(
    paths: Iterable[str | Path], *, jobs: int | None = None, spec: str | None = None
) -> Iterator[Result]:
    """Parse every report under ``paths`` (see `expand_paths`), yielding in order.

    ``jobs``: worker processes (default: all cores; 1 parses in this process).
    ``spec``: a spec id for every file instead of detection.

    Reports and errors pickle, so a `Result` crosses process boundaries (and
    Dask or Spark workers) as it is.
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
            # standard input is this process's: read it here, keep the order
            stdin = path == "-"
            pending.append(
                _done(_parse(path, spec)) if stdin else pool.submit(_parse, path, spec)
            )
            if len(pending) >= jobs * _WINDOW_PER_JOB:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()


def parquet_part(
    paths: Iterable[str | Path], folder: str | Path, *, spec: str | None = None
) -> list[tuple[str, str | None]]:
    """Parse ``paths`` here, into one Parquet file in ``folder``: one partition.

    Made for ``dask.bag.map_partitions`` and Spark's ``rdd.mapPartitions``
    (docs/scaling.md): each worker writes its own part, named by a hash of
    its paths, so a rerun replaces the part instead of adding a copy.
    Returns ``(path, error)`` for every file (error None when parsed).
    """
    files = [str(p) for p in paths]
    digest = hashlib.sha1("\n".join(files).encode(), usedforsecurity=False)
    target = Path(folder) / f"part-{digest.hexdigest()[:16]}.parquet"
    target.parent.mkdir(parents=True, exist_ok=True)
    outcome: list[tuple[str, str | None]] = []
    with ParquetSink(target) as sink:
        for result in load_many(files, jobs=1, spec=spec):
            if result.report is not None:
                sink.write(result.report, result.path)
            outcome.append((result.path, result.error))
    return outcome
