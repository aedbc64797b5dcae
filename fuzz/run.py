"""Fuzz for a time budget; write every new crash, hang and memory blow-up to a folder.

    nice -n 10 python -m fuzz.run --target text --seconds 3600 --out fuzz-findings

Each input runs in a worker process under a wall-time bound (``--timeout``)
and an address-space bound (``--memory-mb``); a worker that overruns is
killed, the input saved as a hang, and a new worker started. Inputs are
drawn from ``--seed`` onwards, one `random.Random` per input, so a finding
is reproduced from its number alone: ``--replay N``. Findings are
deduplicated by kind and the innermost govdisclosure frame.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import multiprocessing
import os
import random
import re
import resource
import signal
import sys
import time
import traceback
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

TARGETS = ("text", "file", "spec", "corrections")


def make_input(target: str, seed: int, suffix: str | None = None) -> tuple[str, bytes]:
    """Input number ``seed`` of a target, as (suffix, bytes) to run and to save.

    For ``file``, ``suffix`` fixes the kind of file (by default drawn).
    """
    from fuzz.corrections import mutate_corrections
    from fuzz.files import mutate_file
    from fuzz.mutate import mutate_text
    from fuzz.specs import mutate_spec

    rng = random.Random(f"{target}{suffix or ''}:{seed}")
    if target == "text":
        return ".txt", mutate_text(rng).encode("utf-8", "surrogatepass")
    if target == "file":
        return mutate_file(rng, suffix)
    if target == "corrections":
        return ".yaml", mutate_corrections(rng).encode("utf-8", "surrogatepass")
    return ".yaml", mutate_spec(rng).encode("utf-8", "surrogatepass")


def run_input(target: str, suffix: str, data: bytes) -> str:
    """The contract on one input, in this process; raises `Crash`."""
    from fuzz import contract

    if target == "text":
        try:  # our inputs keep their lone surrogates; libFuzzer's bytes may not decode
            text = data.decode("utf-8", "surrogatepass")
        except UnicodeDecodeError:
            text = data.decode("utf-8", "replace")
        return contract.check_text(text)
    if target == "file":
        return contract.check_file(suffix, data)
    if target == "corrections":
        return contract.check_corrections(data)
    return contract.check_spec(data)


def _worker(conn: Connection, memory_mb: int) -> None:
    from fuzz.contract import Crash

    limit = memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    while True:
        target, suffix, data = conn.recv()
        try:
            conn.send(("ok", run_input(target, suffix, data)))
        except Crash as crash:
            conn.send(("crash", f"{crash.kind}\n{crash}"))
        except MemoryError:
            conn.send(("crash", "MemoryError\n(raised outside the library's guard)"))


class Worker:
    """A process running inputs one at a time; killed and restarted on a hang."""

    def __init__(self, memory_mb: int) -> None:
        self.memory_mb = memory_mb
        self._start()

    def _start(self) -> None:
        context = multiprocessing.get_context("fork")
        self.conn, child = context.Pipe()
        self.process = context.Process(
            target=_worker, args=(child, self.memory_mb), daemon=True
        )
        self.process.start()

    def run(
        self, target: str, suffix: str, data: bytes, timeout: float
    ) -> tuple[str, str]:
        """("ok", outcome), ("crash", report), or ("hang", …) / ("died", …)."""
        self.conn.send((target, suffix, data))
        if self._answers(timeout):
            try:
                result: tuple[str, str] = self.conn.recv()
            except EOFError:
                result = ("died", f"worker died, exit code {self.process.exitcode}")
            else:
                return result
        else:
            result = ("hang", f"no answer within {timeout} s of CPU time")
        self.process.kill()
        self.process.join()
        self._start()
        return result

    def _answers(self, timeout: float) -> bool:
        """Whether the worker answers before it has used ``timeout`` seconds of CPU.

        CPU time, not wall time: a fuzzer run at low priority on a busy
        machine waits for the CPU, and an input that takes 0.3 s of work was
        reported as a hang after 5 s of waiting. Wall time still bounds the
        wait (20 × ``timeout``) where the CPU time cannot be read.
        """
        start = _cpu_seconds(self.process.pid)  # the worker's, over all its inputs
        waited = 0.0
        while waited < 20 * timeout:
            if self.conn.poll(timeout):
                return True
            waited += timeout
            used = _cpu_seconds(self.process.pid)
            if used is None or start is None or used - start >= timeout:
                return False
        return False


def _cpu_seconds(pid: int | None) -> float | None:
    """A process's CPU time so far (user + system), from /proc; None elsewhere."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return None


def _signature(status: str, report: str) -> str:
    """The kind and the innermost govdisclosure frame: one finding per bug."""
    frames = re.findall(
        r'File ".*?(govdisclosure/[^"]+)", line (\d+), in (\w+)', report
    )
    where = f"{frames[-1][0]}:{frames[-1][2]}" if frames else ""
    return f"{status}:{report.splitlines()[0] if report else ''}:{where}"


class _TooLongError(Exception):
    pass


def _alarm(signum: int, frame: object) -> None:
    raise _TooLongError


def _bounded_input(
    target: str, seed: int, suffix: str | None
) -> tuple[str, bytes] | None:
    """`make_input` within 30 s and the parent's memory bound, or None."""
    signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(30)
    try:
        return make_input(target, seed, suffix)
    except (_TooLongError, MemoryError):
        return None
    except Exception:  # a mutator's own bug: say it, and fuzz on
        print(f"[{seed}] input not made:", traceback.format_exc(), file=sys.stderr)
        return None
    finally:
        signal.alarm(0)


def fuzz(args: argparse.Namespace) -> dict[str, Any]:
    """Run inputs until the budget is spent; save each new finding; the counts."""
    limit = (args.memory_mb + 1000) * 1024 * 1024  # the parent prints PDFs too
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    worker, seen = Worker(args.memory_mb), set()
    counts: dict[str, int] = {}
    start, seed = time.monotonic(), args.seed
    while time.monotonic() - start < args.seconds:
        made = _bounded_input(args.target, seed, args.suffix)
        if made is None:  # the printer (reportlab, python-docx) hung or blew up
            counts["not made"] = counts.get("not made", 0) + 1
            seed += 1
            continue
        suffix, data = made
        status, report = worker.run(args.target, suffix, data, args.timeout)
        key = report if status == "ok" else status
        counts[key] = counts.get(key, 0) + 1
        if status != "ok":
            signature = _signature(status, report)
            if signature not in seen:
                seen.add(signature)
                name = f"{args.target}-{seed}-{hashlib.blake2b(data, digest_size=4).hexdigest()}"
                (out / f"{name}{suffix}").write_bytes(data)
                (out / f"{name}.log").write_text(f"{signature}\n{report}\n")
                print(f"[{seed}] {signature}", flush=True)
        seed += 1
    worker.process.kill()
    elapsed = round(time.monotonic() - start)
    return {"target": args.target, "seconds": elapsed, "inputs": seed - args.seed,
            "first_seed": args.seed, "outcomes": counts, "findings": len(seen)}  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    """The command line: fuzz one target, or replay one input."""
    parser = argparse.ArgumentParser(prog="python -m fuzz.run", description=__doc__)
    parser.add_argument("--target", choices=TARGETS, default="text")
    parser.add_argument("--suffix", help="file: only this kind (.pdf, .docx, …)")
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--timeout", type=float, default=5.0, help="per input")
    parser.add_argument("--memory-mb", type=int, default=3000, help="per worker")
    parser.add_argument("--seed", type=int, default=0, help="the first input's number")
    parser.add_argument("--out", default="fuzz-findings")
    parser.add_argument("--replay", type=int, help="run input N here, show the outcome")
    args = parser.parse_args(argv)
    if args.replay is not None:
        suffix, data = make_input(args.target, args.replay, args.suffix)
        print(suffix, len(data), "bytes:", run_input(args.target, suffix, data))
        return 0
    print(json.dumps(fuzz(args)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
