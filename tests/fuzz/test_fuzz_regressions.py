"""Every crash the fuzzers found (docs/testing.md#fuzzing), shrunk to a small input.

Fixed ones assert the contract; one in a module being rewritten elsewhere is a
strict xfail naming the crash, to be fixed (and the mark removed) after that.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import govdisclosure
from govdisclosure.errors import InputError

SEEDS = Path(__file__).parent.parent / "data" / "seeds"


def _seed() -> str:
    return sorted(SEEDS.glob("*.txt"))[0].read_text(encoding="utf-8")


def test_lone_surrogate_is_an_input_error() -> None:
    # fuzz text-100046: a str holding half a UTF-16 pair (text decoded with
    # surrogateescape) was InternalError(UnicodeEncodeError) from OpenCC
    text = _seed()
    with pytest.raises(InputError, match="lone surrogate"):
        govdisclosure.load(text[:100] + "\udfff" + text[100:])


def test_a_number_of_thousands_of_digits_is_flagged_not_a_crash() -> None:
    # fuzz text-100096: 6,000 digits in a cell was InternalError(ValueError),
    # Python's 4,300-digit limit on int(); no count has so many digits
    text = _seed()
    number = list(re.finditer(r"(?<=\s)\d+(?=\s)", text))[5]
    report = govdisclosure.load(
        text[: number.start()] + "9" * 6000 + text[number.end() :]
    )
    assert all(
        len(str(cell.value)) < 100
        for table in report.tables
        for cell in table.cells
        if cell.status.value in ("ok", "inferred")
    )
    assert any(
        cell.status.value not in ("ok", "inferred")
        for table in report.tables
        for cell in table.cells
    )
