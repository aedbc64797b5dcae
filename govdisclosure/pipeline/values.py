"""Cell text → value: integers, decimals, signed changes, units.

The grammar of a number in a cell has two sources. Its words come from the
spec: ``加76项`` is +76 with unit 项 only because the spec says 加 is a plus
word and 项 a unit. Its typography is written here, as it is the same in
every format: digits with a decimal point, ``+``/``-`` signs, thousands
separators (``6,119,919.29``), and the rule that a number followed by ``.``
or ``、`` and a non-digit is an enumerator (``1.属于…``), not a value. That is
language typography, like `govdisclosure.typography` (whose ``ENUMERATOR``
finds the same enumerators at the start of a label in match form; here they
are excluded from inside the number pattern, which has to say where a number
ends). A number is read once, at tokenisation (`NumberToken`), and converted
per column type later, because a layout may leave open which column a number
belongs to.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from attrs import frozen

from govdisclosure.memo import by_identity
from govdisclosure.model import Value
from govdisclosure.spec.model import Spec, ValueType
from govdisclosure.typography import FOOTNOTE_MARKS

__all__ = [
    "FOOTNOTE",
    "FOOTNOTE_RUN",
    "MAX_AMOUNT_DIGITS",
    "MAX_COUNT_DIGITS",
    "MAX_NUMBER_DIGITS",
    "MAX_SPLIT_DIGITS",
    "MINUS_SIGNS",
    "NumberToken",
    "convert",
    "count_splits",
    "number_pattern",
    "past_records",
    "read_number",
    "split_counts",
    "split_digits",
    "valid_part",
]

#: Longest digit run tried for splitting into several glued cells.
MAX_SPLIT_DIGITS = 24

#: Most digits a number may have to be converted (`convert`). A longer run is
#: no figure of any report, and Python refuses to convert more than 4,300
#: digits to an int (a ``ValueError`` deep in the steps): it is no value, so
#: a cell that holds it is unread (missing, with its text and a reason).
MAX_NUMBER_DIGITS = 1_000

#: Most digits of a count. A count of 19 digits passes what a 64-bit integer
#: holds (the type of the records' ``count``, in Arrow and Parquet, and of
#: pandas' ``Int64``): no report counts that many requests, and writing one
#: out failed. A longer run in a count column is glued cells or no count.
MAX_COUNT_DIGITS = 18
#: Most digits of an amount before its decimal point, and after it: what the
#: records' ``amount`` and ``amount_yuan`` hold exactly (Arrow's
#: ``decimal128(38, 8)``: 30 digits before the point, less 8 for an amount in
#: 亿元 turned into 元), as a correction's value may have (`corrections`).
#: A report prints none longer.
MAX_AMOUNT_DIGITS = (22, 8)

# The typography of a number (see the module docstring), as pattern fragments.
#: Digits grouped by thousands separators: ``6,119,919.29``.
_GROUPED = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?"
#: What follows an enumerator's number: ``1.属于…``, ``2、…`` (``1.5`` is a number).
_ENUMERATOR_MARK = r"[.、](?:\D|$)"
#: Minus signs: ASCII, and U+2212 (MINUS SIGN) as typesetting software prints it.
MINUS_SIGNS = ("-", "\u2212")
#: A footnote mark glued after a number: circled numbers and superscripts
#: (`typography.FOOTNOTE_MARKS`), ``※``, ``注1``. Part of the number's text,
#: never of its digits: ``5①`` is 5 with footnote ①, not 51. A ``注`` whose
#: digits run on into more digits (a glued row's ``0注1808``) is no footnote
#: here: where its number ends and the next cell begins is not printed (see
#: `FOOTNOTE_RUN`).
FOOTNOTE = "注\\d{1,2}(?!\\d)|※|[" + "".join(sorted(FOOTNOTE_MARKS)) + "]+"
#: A footnote mark ``注`` whose digits run into the next cells' digits.
FOOTNOTE_RUN = re.compile(r"注\d+")


@frozen
class NumberToken:
    """A number as written: sign, digits (no separators), unit."""

    sign: int | None  # +1 / -1 when written (+3, 加3, -185), else None
    digits: str  # "76", "6119919.29"
    unit: str | None
    #: A footnote mark printed after the number (``①`` of ``5①``), kept, not read.
    note: str | None = None

    @property
    def splittable(self) -> bool:
        """A bare run of digits, which may be several glued cells.

        ``000000`` is six cells; ``1560.0`` may be ``156`` and ``0.0``, or an
        amount followed by a count (``24252.31`` + ``1082``): a run with one
        decimal point is splittable too, and so is a signed run or one with a
        unit (``-30002021`` may be ``-3000`` and ``2021``).
        """
        return self.digits.replace(".", "", 1).isdigit() and len(self.digits) > 1

    @property
    def well_formed(self) -> bool:
        """False for a run like ``0012`` that cannot be one number."""
        whole = self.digits.split(".")[0]
        return whole == "0" or not whole.startswith("0")


@by_identity(maxsize=32)
def number_pattern(spec: Spec) -> re.Pattern[str]:
    """The spec's number grammar as a compiled pattern."""
    words = sorted((*spec.plus_words, *spec.minus_words), key=len, reverse=True)
    units = sorted(spec.units, key=len, reverse=True)
    sign = "|".join(["[+\\-\u2212]", *(re.escape(w) for w in words)])
    unit = "|".join(re.escape(u) for u in units) or "(?!)"
    # A sign may follow a digit: in a glued row ``8-1921`` is 8 and -1921.
    return re.compile(
        rf"(?:(?<!\.)(?P<sign>{sign})\s*|(?<![\d.]))"
        rf"(?P<num>{_GROUPED}|\d+(?:\.\d+)?)(?!\d)"
        rf"(?!{_ENUMERATOR_MARK})(?P<note>{FOOTNOTE})?\s*(?P<unit>{unit})?"
        rf"(?(note)|(?P<late>{FOOTNOTE})?)"
    )


def read_number(m: re.Match[str], minus_words: tuple[str, ...]) -> NumberToken:
    """The NumberToken of a match of `number_pattern`."""
    sign_text = m.group("sign")
    sign = None
    if sign_text:
        sign = -1 if sign_text in MINUS_SIGNS or sign_text in minus_words else 1
    digits = m.group("num").replace(",", "")  # thousands separators
    note = m.group("note") or m.group("late")
    return NumberToken(sign, digits, m.group("unit"), note)


def convert(
    digits: str, value_type: ValueType, sign: int | None = None
) -> Value | None:
    """The value of ``digits`` (the whole token or a glued part) as ``value_type``.

    Returns None when the text cannot be a value of that type: a sign on a
    count, a fraction in an integer column, more digits than
    `MAX_NUMBER_DIGITS`. Callers treat that reading as impossible rather
    than guessing. (A value may still be longer than a cell may hold:
    `past_records`.)
    """
    if len(digits) > MAX_NUMBER_DIGITS + 1:  # no figure (and past int's limit)
        return None
    if "." in digits:
        if value_type is not ValueType.DECIMAL:
            return None
        try:
            value: Value = Decimal(digits)
        except InvalidOperation:
            return None
    elif value_type is ValueType.DECIMAL:
        value = Decimal(digits)
    else:
        value = int(digits)
    if sign is not None:
        if value_type is ValueType.INT and sign < 0:
            return None
        if sign < 0:
            value = -value  # type: ignore[operator]
    return value


def past_records(value: Value) -> str | None:
    """Why a cell cannot hold ``value`` (None: it can): a count of more digits
    than `MAX_COUNT_DIGITS`, an amount of more than `MAX_AMOUNT_DIGITS`.

    Asked of a cell's value once it is decided (`cells`), not of a reading:
    a glued run too long to cut is still read whole, so that the row is
    known to leave its cuts out (`narrow._uncut_run`).
    """
    if isinstance(value, int):
        if len(str(abs(value))) > MAX_COUNT_DIGITS:
            return f"more digits than a count may have ({MAX_COUNT_DIGITS})"
        return None
    if isinstance(value, Decimal):
        whole, places = MAX_AMOUNT_DIGITS
        _, digits, exponent = value.as_tuple()
        if not isinstance(exponent, int):
            return "no number"  # NaN or infinity: never read from a report
        if len(digits) + exponent > whole or -exponent > places:
            return (
                f"more digits than an amount may have ({whole} before the "
                f"point, {places} after)"
            )
    return None


def valid_part(part: str) -> bool:
    """Whether a piece of a glued run can be one number: no leading zeros,
    and a decimal point only between digits."""
    whole, dot, fraction = part.partition(".")
    if dot and (not whole or not fraction):
        return False
    return whole == "0" or not whole.startswith("0")


def count_splits(digits: str, parts: int) -> int:
    """How many tuples `split_digits` would return, without building them."""
    if parts < 1:
        return 0
    return split_counts(digits, parts)[parts]


@lru_cache(maxsize=4096)
def split_counts(digits: str, most: int) -> tuple[int, ...]:
    """``count_splits(digits, p)`` for every ``p`` from 0 to ``most``, at once.

    Counted from the end of the run: ``ways[p]`` at a place is how many ways
    the digits from there cut into ``p`` valid numbers. Without a decimal
    point a piece is valid when it is ``0`` or does not start with 0, so the
    ways at a place are the sums of the ways at every later place (running
    sums, kept from the end), not a loop over the cuts: a 24-digit run is
    counted for all its parts in one pass, where a recursion per number of
    parts (`count_splits` before it) made hundreds of calls
    (tests/unit/test_values.py checks the counts against `split_digits`).
    """
    n, width = len(digits), max(most, 0) + 1
    if not digits:  # as `split_digits` has it: the empty run is one number
        return tuple(int(p == 1) for p in range(width))
    # ways[i][p]: cuts of digits[i:] into p valid numbers; ways[n] is the empty rest
    ways = [[0] * width for _ in range(n + 1)]
    ways[n][0] = 1
    if "." in digits:
        for i in range(n - 1, -1, -1):
            here = ways[i]
            for j in range(i + 1, n + 1):
                if valid_part(digits[i:j]):
                    rest = ways[j]
                    for p in range(1, width):
                        here[p] += rest[p - 1]
        return tuple(ways[0])
    later = [0] * width  # the sums of ways[j] over every j after i
    for i in range(n - 1, -1, -1):
        later = [a + b for a, b in zip(later, ways[i + 1], strict=True)]
        # a leading 0 stands alone: the only cut is the next place
        source = ways[i + 1] if digits[i] == "0" else later
        ways[i] = [0, *source[:-1]]
    return tuple(ways[0])


def split_digits(digits: str, parts: int) -> list[tuple[str, ...]]:
    """Every way to cut ``digits`` into ``parts`` valid numbers, in order."""
    if parts == 1:
        return [(digits,)] if valid_part(digits) else []
    out = []
    for cut in range(1, len(digits) - parts + 2):
        head = digits[:cut]
        if valid_part(head):
            out += [(head, *rest) for rest in split_digits(digits[cut:], parts - 1)]
    return out
