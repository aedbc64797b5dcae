"""The contract every fuzz target checks, for one input, in this process.

Any input gives a Report or a `GovDisclosureError` other than `InternalError`
(`InternalError` is the library saying it has a bug); anything else escaping
is a crash. A hang is a finding too: the drivers run each input under a time
bound (`fuzz.run` in a worker process it kills, the CI test with an alarm).
"""

from __future__ import annotations

import tempfile
import traceback
from pathlib import Path

import govdisclosure
from govdisclosure.errors import GovDisclosureError, InternalError
from govdisclosure.model import CellStatus
from govdisclosure.spec.registry import load_spec

#: The report a spec that loads is tried on: a real one, short enough to be quick.
PROBE_REPORT = Path(__file__).resolve().parent.parent / "tests/data/seeds"


class Crash(Exception):  # noqa: N818 - a finding, named as the fuzzers name them
    """The contract broke: ``kind`` says how, the message carries the traceback."""

    def __init__(self, kind: str, detail: str) -> None:
        super().__init__(f"{kind}: {detail}")
        self.kind = kind


def _guard(call: object, *args: object) -> str:
    """Run ``call``; the outcome's name, or `Crash` if the contract broke."""
    try:
        call(*args)  # type: ignore[operator]
    except Crash:
        raise
    except InternalError as exc:
        cause = exc.__cause__ or exc
        raise Crash(
            f"InternalError({type(cause).__name__})",
            "".join(traceback.format_exception(cause)),
        ) from exc
    except GovDisclosureError as exc:
        return type(exc).__name__
    except Exception as exc:
        raise Crash(type(exc).__name__, traceback.format_exc()) from exc
    return "ok"


def check_text(text: str) -> str:
    """`govdisclosure.load` on the text."""
    return _guard(govdisclosure.load, text)


def check_file(suffix: str, data: bytes) -> str:
    """`govdisclosure.load_file` on the bytes, saved with the suffix."""
    with tempfile.TemporaryDirectory(prefix="gd-fuzz-") as folder:
        path = Path(folder) / f"input{suffix}"
        path.write_bytes(data)
        return _guard(govdisclosure.load_file, path)


def _spec_then_load(path: Path) -> None:
    spec = load_spec(path)
    text = sorted(PROBE_REPORT.glob("*.txt"))[0].read_text(encoding="utf-8")
    govdisclosure.load(text, spec=spec)


def check_spec(data: bytes) -> str:
    """`load_spec` on the YAML file; a spec it accepts must then load a report."""
    with tempfile.TemporaryDirectory(prefix="gd-fuzz-") as folder:
        path = Path(folder) / "fuzzed.yaml"
        path.write_bytes(data)
        return _guard(_spec_then_load, path)


def _corrections_then_export(folder: Path, data: bytes) -> None:
    """`load_file` with the corrections file beside real 05; then the checks a
    decision must never break: no cell but a corrected one changes, each
    corrected cell carries its decision, and every export encodes it."""
    from fuzz.corrections import REPORT, report_text

    report_path = folder / REPORT.name
    report_path.write_text(report_text(), encoding="utf-8")
    (folder / f"{REPORT.stem}.corrections.yaml").write_bytes(data)
    report = govdisclosure.load_file(report_path)
    read = {
        c.key: c for c in govdisclosure.load_file(report_path, corrections=False).cells
    }
    for cell in report.cells:
        was = read[cell.key]
        if cell.status is CellStatus.CORRECTED and cell.decision is None:
            raise Crash("UndecidedCorrection", cell.key)
        if cell.status is not CellStatus.CORRECTED and (cell.value, cell.status) != (
            was.value,
            was.status,
        ):
            raise Crash("CellChanged", f"{cell.key}: {was} became {cell}")
    report.to_json().encode("utf-8")
    govdisclosure.to_arrow([report])


def check_corrections(data: bytes) -> str:
    """A corrections file beside real 05: `load_file` gives a Report or a
    `CorrectionsError`, and a Report keeps every cell it did not decide."""
    with tempfile.TemporaryDirectory(prefix="gd-fuzz-") as folder:
        return _guard(_corrections_then_export, Path(folder), data)
