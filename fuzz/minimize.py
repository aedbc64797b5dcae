"""Shrink a finding to a small input that breaks the contract the same way.

    python -m fuzz.minimize fuzz-findings/text-123-abcd.txt --target text

Removes chunks of lines, then of characters, as long as the same kind of
crash comes back (delta debugging); writes ``NAME.min.SUFFIX`` beside it.
Each candidate runs in a `fuzz.run.Worker`, bounded in time and memory: a
piece of a report can hang or blow up where the whole did not (then that
candidate is kept as ``NAME.other-KIND.SUFFIX``, a finding of its own).
Text and spec findings only: a file's bytes are shrunk through its text.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from fuzz.run import Worker


class _Runner:
    """The kind of crash a candidate gives (None: the contract held)."""

    def __init__(self, target: str, path: Path, timeout: float) -> None:
        self.target, self.path, self.timeout = target, path, timeout
        self.worker = Worker(memory_mb=3000)
        self.kinds: set[str] = set()

    def kind(self, text: str) -> str | None:
        data = text.encode("utf-8", "surrogatepass")
        status, report = self.worker.run(
            self.target, self.path.suffix, data, self.timeout
        )
        if status == "ok":
            return None
        kind = report.split("\n", 1)[0] if status == "crash" else status
        if self.kinds and kind not in self.kinds:  # another kind's first candidate
            self.kinds.add(kind)
            slug = "".join(c if c.isalnum() else "-" for c in kind)[:40]
            self.path.with_suffix(f".other-{slug}{self.path.suffix}").write_bytes(data)
        return kind


def shrink(parts: list[str], joiner: str, same: Callable[[str], bool]) -> list[str]:
    """The parts with every chunk removed whose removal keeps ``same`` true."""
    chunk = max(1, len(parts) // 2)
    while chunk >= 1:
        i = 0
        while i < len(parts):
            trial = parts[:i] + parts[i + chunk :]
            if trial and same(joiner.join(trial)):
                parts = trial
            else:
                i += chunk
        chunk //= 2
    return parts


def main(argv: list[str] | None = None) -> int:
    """The command line."""
    parser = argparse.ArgumentParser(prog="python -m fuzz.minimize")
    parser.add_argument("path", type=Path)
    parser.add_argument("--target", choices=("text", "file", "spec"), default="text")
    parser.add_argument("--timeout", type=float, default=10.0, help="per candidate")
    args = parser.parse_args(argv)
    path: Path = args.path
    text = path.read_bytes().decode("utf-8", "surrogatepass")
    runner = _Runner(args.target, path, args.timeout)
    kind = runner.kind(text)
    runner.kinds.add(kind or "")
    if kind is None:
        print("no crash: nothing to minimize")
        return 1

    def same(candidate: str) -> bool:
        return runner.kind(candidate) == kind

    lines = shrink(text.split("\n"), "\n", same)
    chars = shrink(list("\n".join(lines)), "", same)
    out = path.with_suffix(f".min{path.suffix}")
    out.write_bytes("".join(chars).encode("utf-8", "surrogatepass"))
    print(f"{kind}: {len(text)} → {len(chars)} characters, {out}")
    print("other kinds met on the way:", sorted(runner.kinds - {kind}))
    runner.worker.process.kill()
    return 0


if __name__ == "__main__":
    sys.exit(main())
