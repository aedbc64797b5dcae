"""The fuzz targets under atheris (libFuzzer's coverage guidance), for long local runs.

    pip install atheris
    python -m fuzz.atheris_main text fuzz-corpus/text -max_total_time=3600 \\
        -timeout=5 -rss_limit_mb=3000 -max_len=2000000

The first argument is the target (``text``, ``file``, ``spec``); the rest go
to libFuzzer. The corpus folder starts empty: the seeds are the real inputs
(`fuzz.seeds`), and the custom mutator applies `fuzz.mutate` to an input
before libFuzzer's own byte mutations, so coverage guides mutations of real
reports. A ``file`` input is one byte naming the suffix, then the file.
libFuzzer writes a crashing or slow input as ``crash-*`` / ``timeout-*``.
"""

from __future__ import annotations

import random
import sys

import atheris

with atheris.instrument_imports(include=["govdisclosure"]):
    import govdisclosure  # noqa: F401 - instrumented for coverage

from fuzz import seeds
from fuzz.files import SUFFIXES, mutate_file
from fuzz.mutate import mutate_text
from fuzz.run import run_input
from fuzz.specs import mutate_spec

TARGET = sys.argv.pop(1) if len(sys.argv) > 1 else "text"


def _split(data: bytes) -> tuple[str, bytes]:
    if TARGET != "file":
        return (".yaml" if TARGET == "spec" else ".txt"), data
    return SUFFIXES[data[0] % len(SUFFIXES)] if data else ".txt", data[1:]


def one_input(data: bytes) -> None:
    """The contract on one input; a `Crash` escapes for libFuzzer to record."""
    suffix, body = _split(data)
    run_input(TARGET, suffix, body)


def custom_mutator(data: bytes, max_size: int, seed: int) -> bytes:
    """Our structure-aware mutation half the time, libFuzzer's bytes otherwise."""
    rng = random.Random(seed)
    if rng.random() < 0.5 and data:
        mutated: bytes = atheris.Mutate(data, max_size)
        return mutated
    if TARGET == "text":
        base = data.decode("utf-8", "replace") if rng.random() < 0.5 and data else None
        out = mutate_text(rng, base).encode("utf-8", "surrogatepass")
    elif TARGET == "spec":
        out = mutate_spec(rng).encode("utf-8", "surrogatepass")
    else:
        suffix, body = mutate_file(rng)
        out = bytes([SUFFIXES.index(suffix)]) + body
    return out[:max_size]


def main() -> None:
    """Seed the caches before forking, then hand over to libFuzzer."""
    seeds.texts(), seeds.specs()
    atheris.Setup(sys.argv, one_input, custom_mutator=custom_mutator)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
