"""Worker processes that one bad file cannot take down: the batch's supervisor.

`concurrent.futures.ProcessPoolExecutor` cannot do what a batch needs: when
one worker dies (killed, out of memory, a crash in a C extension) the whole
pool is broken and every pending file fails with it, nobody knows which file
the dead worker held, and a file that never finishes cannot be stopped. Here
each worker has its own pipe and parses one file at a time, so the
supervisor always knows which file each worker holds: a worker that dies
costs that file only (its `Result` says how it died) and is replaced; one
over the time limit is killed and replaced the same way. A worker is sent
its next file while it parses one (`QUEUED` files at most), so that it
starts it at once instead of waiting for the supervisor to take its result
and hand it another; a file queued behind one that killed its worker goes
to the worker that replaces it.

Hand-written rather than taken from a supervised-pool library (pebble does
this): pebble is LGPL, where govdisclosure and its dependencies are
permissively licensed, and the batch needs little of it (one file a worker,
results in order, a memory limit set in the worker), in a few dozen lines.
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import os
import pickle
import signal
import sys
import time
from collections.abc import Callable
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess

from govdisclosure.errors import InternalError
from govdisclosure.model import Result
from govdisclosure.spec.model import Spec

__all__ = ["Parse", "WorkerPool", "failed"]

#: What a worker runs on each file: ``parse(path, spec, memory) -> Result``,
#: catching every exception (a module-level function, so that it pickles).
#: The spec is an id or a `Spec` (``--spec FILE.yaml``, loaded once; it pickles).
Parse = Callable[[str, str | Spec | None, int | None], Result]


def failed(path: str, exc: BaseException) -> Result:
    """The Result of a file that ``exc`` stopped: its text in ``error``, itself in ``exception``.

    The exception is kept without its traceback (a batch keeps results, not
    the frames of every failed parse) and only if it survives pickling, as it
    must to come back from a worker: one that does not is replaced by an
    `InternalError` naming its type and message.
    """
    error = f"{type(exc).__name__}: {exc}"
    exc = exc.with_traceback(None)
    try:
        pickle.loads(pickle.dumps(exc))  # noqa: S301 - our own bytes, just made
    except Exception:
        exc = InternalError(f"{error} (the exception itself does not pickle)")
    return Result(path, None, error, exc)


#: Seconds a worker told to stop gets before it is killed.
_GRACE = 2.0

#: Files sent to a worker at once: the one it parses and the next. With one,
#: a worker waited for the supervisor between files (taking its result,
#: writing it out, sending the next path): `parse --jobs 2` over 4,040
#: generated files used 178 % of two cores and took 27.5 s; with two, 189 %
#: and 24.7 s (the same Parquet file).
QUEUED = 2


#: A worker's cyclic collector thresholds (CPython's are 700, 10, 10). A
#: parse allocates tens of thousands of tuples (tokens, readings, cells)
#: that reference counting frees, and few cycles (about 70 objects a
#: report), but at 700 allocations the collector runs dozens of times a
#: report, each pass walking the young objects: a worker spent about 5 % of
#: its time there (10.5 → 9.9–10.0 ms a report over 300 generated ones,
#: `load` in one process, four rounds each). A worker is the batch's own
#: process, so it is set there; a caller's process keeps its own.
COLLECT_AFTER = (10_000, 100, 100)


def _limit_memory(memory: int | None) -> None:
    """Cap this worker's address space at what it uses now plus ``memory`` bytes.

    Counted from the worker's size after start-up, since a forked worker
    begins as large as its parent (which may have Arrow's allocator mapped):
    a limit counted from zero would fail every file in such a batch.
    Over the cap an allocation fails with `MemoryError`, which the file's
    parse reports; a C extension that cannot handle the failure dies, and the
    supervisor reports that. Not on Windows (no address-space limit there).
    """
    if memory is None or sys.platform == "win32":
        return
    import resource

    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            used = int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        used = 0
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    soft = used + memory
    if hard != resource.RLIM_INFINITY:
        soft = min(soft, hard)
    # a platform that refuses: the time limit still holds
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def _serve(
    conn: Connection, parse: Parse, spec: str | Spec | None, memory: int | None
) -> None:
    """A worker: parse each path it is sent, send back its `Result`, until told to stop.

    Ctrl-C is ignored here: a terminal sends it to the whole process group,
    and it is the parent's to handle (it stops the workers itself). SIGTERM
    ends a worker at once, whatever handler a forked one inherited (the
    command line's raises in the parent to stop the batch cleanly; here it
    would only end a parse as an error and keep the worker): a worker
    terminated with its parent does not outlive it, one terminated alone is
    reported as killed.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    gc.set_threshold(*COLLECT_AFTER)
    _limit_memory(memory)
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            return  # the parent is gone
        if task is None:
            return
        index, path = task
        result = parse(path, spec, memory)
        try:
            conn.send((index, result))
        except OSError:
            return  # the parent is gone
        except Exception as exc:  # a report that does not pickle
            conn.send((index, failed(path, exc)))


class _Worker:
    """One process, its end of the pipe, and the files sent to it, in order:
    the first is the one it parses (none when idle)."""

    def __init__(self, process: BaseProcess, conn: Connection) -> None:
        self.process = process
        self.conn = conn
        self.held: list[tuple[int, str]] = []
        #: Files given to it after it died, which its send refused: never
        #: parsed, so never blamed; its replacement gets them.
        self.unsent: list[tuple[int, str]] = []
        self.deadline = float("inf")

    def load(self) -> int:
        return len(self.held) + len(self.unsent)


def _how_it_died(exitcode: int | None) -> str:
    """The cause, for the file's error: a signal by name, else the exit status."""
    if exitcode is not None and exitcode < 0:
        try:
            name = signal.Signals(-exitcode).name
        except ValueError:
            name = f"signal {-exitcode}"
        return f"was killed by {name} (out of memory, a crash, or killed from outside)"
    return f"exited with status {exitcode}"


class WorkerPool:
    """``jobs`` worker processes, each parsing one file at a time, replaced when lost.

    `submit` hands a file to a worker holding fewer than `QUEUED`, `collect`
    waits for the next results (a file's own, or an error saying its worker
    died or ran out of time). Used as a context manager: leaving it, however
    (Ctrl-C, the consumer stopping early), stops every worker.
    """

    def __init__(
        self,
        jobs: int,
        parse: Parse,
        spec: str | Spec | None,
        *,
        timeout: float | None,
        memory: int | None,
    ) -> None:
        self._context = multiprocessing.get_context()
        self._args = (parse, spec, memory)
        self._timeout = timeout
        self._workers = [self._spawn() for _ in range(jobs)]

    def __enter__(self) -> WorkerPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _spawn(self) -> _Worker:
        ours, theirs = self._context.Pipe()
        process = self._context.Process(
            target=_serve, args=(theirs, *self._args), daemon=True
        )
        process.start()
        theirs.close()  # so that our recv sees EOF when the worker dies
        return _Worker(process, ours)

    def _replace(self, worker: _Worker, *, lost: bool = True) -> _Worker:
        """A new process in the worker's place (the old one is reaped), sent
        the files the old one held but the one it ``lost`` (its first)."""
        worker.process.kill()
        worker.process.join()
        worker.conn.close()
        new = self._spawn()
        self._workers[self._workers.index(worker)] = new
        for index, path in [*worker.held[1 if lost else 0 :], *worker.unsent]:
            self._send(new, index, path)
        return new

    def idle(self) -> bool:
        """Whether a worker can take another file."""
        return any(w.load() < QUEUED for w in self._workers)

    def submit(self, index: int, path: str) -> None:
        """Give ``path`` (the batch's ``index``-th file) to the worker holding fewest."""
        worker = min(self._workers, key=_Worker.load)
        if not worker.load() and not worker.process.is_alive():
            # it died between two files: costs none
            worker = self._replace(worker)
        try:
            self._send(worker, index, path)
        except OSError:  # the same, found by the send
            if worker.held:
                # it died holding a file: `collect` reports that one, and its
                # replacement is sent those queued behind it, this one too
                worker.unsent.append((index, path))
            else:
                self._send(self._replace(worker), index, path)

    def _send(self, worker: _Worker, index: int, path: str) -> None:
        worker.conn.send((index, path))
        worker.held.append((index, path))
        if len(worker.held) == 1:
            self._started(worker)

    def _started(self, worker: _Worker) -> None:
        """The worker starts its first file now: its time limit runs from here."""
        if self._timeout is not None and worker.held:
            worker.deadline = time.monotonic() + self._timeout
        else:
            worker.deadline = float("inf")

    def collect(self) -> list[tuple[int, Result]]:
        """Wait until a busy worker answers, dies or runs out of time; their results.

        Returns at once (nothing) when no worker is busy.
        """
        busy = [w for w in self._workers if w.load()]
        if not busy:
            return []
        first = min(w.deadline for w in busy)
        left = None if first == float("inf") else max(0.0, first - time.monotonic())
        ready = set(
            wait([w.conn for w in busy] + [w.process.sentinel for w in busy], left)
        )
        results = []
        for worker in busy:
            if worker.conn in ready or worker.process.sentinel in ready:
                results += self._receive(worker)
            elif time.monotonic() >= worker.deadline:
                results.append(self._expire(worker))
        return results

    def _done(self, worker: _Worker) -> None:
        """The worker's first file is finished; the next one starts."""
        worker.held.pop(0)
        self._started(worker)

    def _receive(self, worker: _Worker) -> list[tuple[int, Result]]:
        """The worker's answers, or, if it died first, an error naming how."""
        results = []
        closed = False
        try:
            while worker.held and worker.conn.poll():
                index, result = worker.conn.recv()
                self._done(worker)
                results.append((index, result))
                if result.error and result.error.startswith("MemoryError"):
                    # the next file gets a fresh heap (and those after it)
                    self._replace(worker, lost=False)
                    return results
        except (EOFError, OSError):
            closed = True  # its end of the pipe closed: it died
        if not closed and worker.process.is_alive():
            return results
        if not worker.held:  # it died with none of its files unanswered
            if worker.unsent:
                self._replace(worker, lost=False)
            return results
        worker.process.join()
        error = f"the worker parsing this file {_how_it_died(worker.process.exitcode)}"
        index, path = worker.held[0]
        self._replace(worker)
        # no exception was raised in this process: a builtin one says what happened
        return [
            *results,
            (
                index,
                Result(path, None, f"WorkerDied: {error}", ChildProcessError(error)),
            ),
        ]

    def _expire(self, worker: _Worker) -> tuple[int, Result]:
        """Kill a worker past its file's time limit; the file's error says so."""
        timeout = TimeoutError(
            f"not parsed within {self._timeout:g} s, the time limit per "
            "file (raise it with load_many(timeout=...) or --timeout)"
        )
        index, path = worker.held[0]
        self._replace(worker)
        return index, failed(path, timeout)

    def close(self) -> None:
        """Stop every worker: idle ones are asked, busy ones killed (their files are lost).

        Each still alive after `_GRACE` seconds is killed, so closing never
        hangs on a stuck worker.
        """
        for worker in self._workers:
            if not worker.load():
                with contextlib.suppress(OSError):
                    worker.conn.send(None)
            else:
                worker.process.kill()
        end = time.monotonic() + _GRACE
        for worker in self._workers:
            worker.process.join(max(0.0, end - time.monotonic()))
            if worker.process.is_alive():
                worker.process.kill()
                worker.process.join()
            worker.conn.close()
