"""Every crash the fuzzers found (docs/testing.md#fuzzing), shrunk to a small input.

Each asserts the contract: a Report, or a library error that is not
`InternalError`, within its time bound.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

import govdisclosure
from govdisclosure.errors import InputError, InternalError

SEEDS = Path(__file__).parent.parent / "data" / "seeds"
SPECS = Path(__file__).parent.parent.parent / "specs"


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


# fuzz text-100210 (shrunk from 15 KB): section titles glued into one line,
# then a run of 25 digits over two lines. IndexError in
# narrow.narrow_readings (`_rows_of(core[0])` on an empty conflict core: a
# row whose digits have no cut into its columns at all, taken for a conflict
# of its equations).
GLUED_TITLES_AND_DIGITS = (
    "<!DOCTYPE html>政府信息公开行政复议和行政诉讼情况存在的主要问题及改进情况"
    "其他需要报告的事项本年新公开数量对外公开总数量规章0三、收到和处理政府信息公开"
    "申请情况转政府信息公开申请数量0000099999999999999999999\n00"
)


def test_glued_titles_and_a_digit_run() -> None:
    try:
        govdisclosure.load(GLUED_TITLES_AND_DIGITS)
    except InternalError:
        raise
    except govdisclosure.GovDisclosureError:
        pass


# fuzz file-300032 (the issue's own case): a page not in UTF-8 declaring
# `charset="undefined"` (a codec that always raises) is a raw UnicodeError
# from read.decode, which caught only LookupError and UnicodeDecodeError.
def test_a_page_declaring_no_charset(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    # bytes that are not UTF-8, so the declaration is read
    page.write_bytes(b'<meta charset="undefined"><p>\xb1\xa8\xb8\xe6</p>')
    with pytest.raises(govdisclosure.GovDisclosureError) as caught:
        govdisclosure.load_file(page)
    assert not isinstance(caught.value, InternalError)


def test_year_evidence_without_a_year_group_is_a_spec_error() -> None:
    # fuzz spec-400085: a year_evidence pattern without (?P<year>…) was
    # accepted, then every load with the spec an InternalError(IndexError)
    from govdisclosure.errors import SpecError
    from govdisclosure.spec.loader import parse_spec

    text = (SPECS / "gov-2019.yaml").read_text(encoding="utf-8")
    first = "(?P<year>20\\d{2})年?1月1日'"
    assert first in text
    with pytest.raises(
        SpecError, match=r"year_evidence.*no group 'year'|no group 'year'"
    ):
        parse_spec(text.replace(first, "年1月1日'", 1), source="fuzzed.yaml")


FOUND = Path(__file__).parent / "data"


# atheris, text target: a glued run of 5,999 digits; decode._left calls int()
# on it (Python's 4,300-digit limit), InternalError(ValueError); such a row is
# now past `decode.MAX_DIGITS` (the input as found).
def test_a_glued_run_of_thousands_of_digits() -> None:
    text = (FOUND / "decode-int-limit.txt").read_bytes().decode("utf-8", "replace")
    try:
        govdisclosure.load(text)
    except InternalError:
        raise
    except govdisclosure.GovDisclosureError:
        pass


# fuzz text-100210 (a piece met while shrinking it): a row holding a run of
# 200 nines; decode.fill's search over the ways to cut it runs for minutes
# (over 120 s; the whole report is 5 KB); the block search's prunes end it.
def test_a_long_digit_run_is_read_in_bounded_time() -> None:
    path = FOUND / "decode-hang.txt"
    script = (
        "import sys, govdisclosure\n"
        "try:\n"
        "    govdisclosure.load(open(sys.argv[1], encoding='utf-8').read())\n"
        "except govdisclosure.GovDisclosureError:\n"
        "    pass\n"
    )
    try:
        subprocess.run(
            [sys.executable, "-c", script, str(path)], timeout=20, check=True
        )
    except subprocess.TimeoutExpired:
        pytest.fail("no answer within 20 s")
