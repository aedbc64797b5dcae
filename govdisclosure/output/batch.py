"""Many reports: expand paths, parse across processes, stream results in order.

`load` is a pure function of its text, so files are parsed in worker
processes and results come back in input order while later files are still
being parsed. At most a few files per worker are in flight, so memory stays
flat however many files there are.

A batch survives anything one file can do: a file that cannot be read or
parsed, or that raises any exception at all, is a `Result` with an `error`;
one that kills its worker (a crash, the out-of-memory killer, a ``kill``)
costs that file only, reported, and the worker is replaced
(`govdisclosure.output.pool`); one that takes longer than the time limit, or
more memory than the memory limit, is stopped and reported. Special files
(named pipes, devices, sockets) are refused before they are opened, since
reading one may never end.

The bounds a caller set (`input_limits`, `spec_limits`: context variables)
are captured when `load_many` is called and set around each file's parse,
wherever it runs: a worker process does not see the caller's context
variables (a spawned one starts afresh; a forked one sees those of the
moment it was forked, which may not be the batch's).
"""

from __future__ import annotations

import contextlib
import functools
import glob
import hashlib
import os
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from attrs import asdict, frozen

from govdisclosure.api import load_file
from govdisclosure.errors import InputError
from govdisclosure.model import Report, Result
from govdisclosure.output.export import ParquetSink
from govdisclosure.output.pool import Parse, WorkerPool, failed
from govdisclosure.pipeline.read import (
    READABLE_SUFFIXES,
    InputLimits,
    current_input_limits,
    input_limits,
    special_file,
)
from govdisclosure.spec.model import Spec, SpecLimits, current_limits, spec_limits

__all__ = [
    "DEFAULT_MEMORY",
    "DEFAULT_TIMEOUT",
    "Keep",
    "Result",
    "expand_paths",
    "load_many",
    "parquet_part",
]

#: Files in flight per worker process.
_WINDOW_PER_JOB = 4

#: Seconds one file may take in a worker. Real reports parse in seconds; this
#: only stops a file that would hold its worker for good.
DEFAULT_TIMEOUT = 300.0

#: Bytes of memory one worker may take beyond its size at start-up (4 GiB).
DEFAULT_MEMORY = 4 * 1024**3


def expand_paths(paths: Iterable[str | Path]) -> Iterator[Path]:
    """Files as given; folders searched recursively for reports; globs expanded.

    A folder's reports are its ``.txt``, ``.html``/``.htm``, ``.pdf`` and
    ``.docx`` entries that are not folders: a named pipe or a device among
    them is listed too, so that the batch reports it (`load_many` refuses it)
    instead of skipping it unseen. ``-`` (standard input) is passed on as it
    is, and so is a path that names nothing: its `Result` carries the error.
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
                if p.suffix.lower() in READABLE_SUFFIXES and not p.is_dir()
            )
        elif path.exists():
            yield path
        else:
            matches = sorted(glob.glob(str(given), recursive=True))
            # nothing matches: the path itself, whose Result will say it cannot be read
            yield from expand_paths(matches) if matches else iter([path])


@frozen
class _Bounds:
    """The input's and the spec's bounds in force where a batch was started.

    They travel with the batch (pickled to each worker) and are set around
    each file's parse, so a file is bounded as `load_file` would bound it in
    the caller's process, whatever the start method of the workers.
    """

    inputs: InputLimits
    specs: SpecLimits

    @classmethod
    def here(cls) -> _Bounds:
        """The bounds in force in the calling thread or task."""
        return cls(current_input_limits(), current_limits())

    @contextlib.contextmanager
    def held(self) -> Iterator[None]:
        """These bounds in force inside the block (all fields set, none kept)."""
        with (
            input_limits(**asdict(self.inputs, recurse=False)),
            spec_limits(**asdict(self.specs, recurse=False)),
        ):
            yield


#: What a batch keeps of each report (`load_many`'s ``keep``).
Keep = Callable[[Report, str], Any]


def _parse(
    path: str,
    spec: str | Spec | None,
    memory: int | None = None,
    *,
    bounds: _Bounds,
    keep: Keep | None = None,
) -> Result:
    """One file's Result: any exception becomes its error, so no file stops a batch.

    A library error is an expected outcome; any other exception is a bug
    (or an input problem not yet classified) but still only this file's.
    ``bounds`` are the batch's (`_Bounds`), set here around the parse;
    ``keep``, when given, is run on the report here, its value kept instead
    of the report (an exception it raises is the file's error too).
    """
    try:
        with bounds.held():
            report = load_file(path, spec=spec)
            if keep is None:
                return Result(path, report)
            return Result(path, None, value=keep(report, path))
    except MemoryError:
        limit = "" if memory is None else f" of {memory // 2**20} MiB"
        return failed(
            path,
            MemoryError(
                f"out of memory, over the memory limit{limit} per file "
                "(raise it with load_many(memory=...) or --memory)"
            ),
        )
    except Exception as exc:  # the batch's contract: it is this file's error
        # a library error is an expected outcome; any other is a bug (or an
        # input problem not yet classified), but still only this file's
        return failed(path, exc)


def _here(path: str, spec: str | Spec | None, parse: Parse) -> Result | None:
    """The Result of a file that is not sent to a worker, or None to send it.

    Standard input is this process's, so it is read here; a special file is
    refused without being opened.
    """
    if path == "-":
        return parse(path, spec, None)
    kind = special_file(path)
    if kind is None:
        return None
    return failed(path, InputError(f"{path} is {kind}, not a regular file: not read"))


def load_many(
    paths: Iterable[str | Path],
    *,
    jobs: int | None = None,
    spec: str | Spec | None = None,
    timeout: float | None = DEFAULT_TIMEOUT,
    memory: int | None = DEFAULT_MEMORY,
    keep: Keep | None = None,
) -> Iterator[Result]:
    """Parse every report under ``paths`` (see `expand_paths`), yielding in order.

    ``jobs``: worker processes (default: all cores).
    ``spec``: a spec (or its id) for every file instead of detection.
    ``timeout``: seconds a file may take before its worker is killed and the
    file reported (None: no limit).
    ``memory``: bytes a worker may allocate beyond its size at start-up (its
    address space, ``RLIMIT_AS``; None: no limit; not on Windows).
    ``keep``: a function of a report and its path, run where the report was
    parsed; each Result then holds its value (``value``) instead of the
    report. A batch that needs only part of each report (its rows, a
    count) is sent that part from the workers, not the whole report
    (`Sink.preparer` makes one for a sink). It must pickle (a module-level
    function, or a ``functools.partial`` of one) for workers started by spawn.
    It runs under the file's time and memory limits, and an exception it
    raises is the file's error, as one raised by the parse is.

    Every file gives one `Result`, in input order; no file can stop the
    batch (module docstring). The limits need a worker process, which can be
    stopped: with ``jobs=1`` and both limits None, files are parsed in this
    process, as inside a Dask or Spark worker (`parquet_part`).

    The input's and the spec's bounds (``input_limits``, ``spec_limits``)
    in force when ``load_many`` is called hold for every file of the batch,
    in this process or a worker, even if the results are read outside the
    ``with`` block that set them.

    Reports and errors pickle, so a `Result` crosses process boundaries (and
    Dask or Spark workers) as it is.
    """
    # captured now, not when the results are first asked for: a plain function
    # returning a generator, so that the ``with`` around this call is the one that counts
    parse: Parse = functools.partial(_parse, bounds=_Bounds.here(), keep=keep)
    files = (str(p) for p in expand_paths(paths))
    jobs = jobs or os.cpu_count() or 1
    if jobs == 1 and timeout is None and memory is None:
        return (_here(path, spec, parse) or parse(path, spec, None) for path in files)
    return _supervised(files, jobs, parse, spec, timeout, memory)


def _supervised(
    files: Iterator[str],
    jobs: int,
    parse: Parse,
    spec: str | Spec | None,
    timeout: float | None,
    memory: int | None,
) -> Iterator[Result]:
    """`load_many` across a `WorkerPool`: results in input order, few in flight.

    A file is handed out only while it is fewer than the window ahead of
    the next one to yield, so a slow file holds back at most a window of
    finished ones. Leaving early (the caller stops, Ctrl-C) stops the workers.
    """
    window = jobs * _WINDOW_PER_JOB
    done: dict[int, Result] = {}
    handed = yielded = 0
    more = True
    with WorkerPool(jobs, parse, spec, timeout=timeout, memory=memory) as pool:
        while more or yielded < handed:
            while more and handed - yielded < window and pool.idle():
                path = next(files, None)
                if path is None:
                    more = False
                    break
                early = _here(path, spec, parse)
                if early is None:
                    pool.submit(handed, path)
                else:
                    done[handed] = early
                handed += 1
            while yielded in done:
                yield done.pop(yielded)
                yielded += 1
            done.update(pool.collect())


def parquet_part(
    paths: Iterable[str | Path], folder: str | Path, *, spec: str | Spec | None = None
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
        # in this process: Dask's and Spark's workers may not start processes
        for result in load_many(files, jobs=1, spec=spec, timeout=None, memory=None):
            if result.report is not None:
                sink.write(result.report, result.path)
            outcome.append((result.path, result.error))
    return outcome
