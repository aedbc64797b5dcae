"""Tests for the number grammar, `convert`, `split_digits` and `split_counts`."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from govdisclosure.pipeline.values import (
    NumberToken,
    convert,
    number_pattern,
    past_records,
    read_number,
    split_counts,
    split_digits,
)
from govdisclosure.spec.model import Spec, ValueType


def _read(spec: Spec, text: str) -> list[NumberToken]:
    return [
        read_number(m, spec.minus_words) for m in number_pattern(spec).finditer(text)
    ]


class TestNumberPattern:
    @pytest.mark.parametrize(
        ("text", "sign", "digits", "unit"),
        [
            ("22项", None, "22", "项"),
            ("加76项", 1, "76", "项"),
            ("增加1项", 1, "1", "项"),
            ("减少3项", -1, "3", "项"),
            ("-185", -1, "185", None),
            ("+1036", 1, "1036", None),
            ("6119919.29元", None, "6119919.29", "元"),
            ("1,234,567", None, "1234567", None),
        ],
    )
    def test_cell_texts(
        self, spec2019: Spec, text: str, sign: int | None, digits: str, unit: str | None
    ) -> None:
        """Signs, units and separators come from the spec's grammar."""
        assert [NumberToken(sign, digits, unit)] == _read(spec2019, text)

    def test_enumerators_are_not_numbers(self, spec2019: Spec) -> None:
        """The 1. of 1.属于国家秘密 and 12、 are row numbering, not values."""
        assert [] == _read(spec2019, "1.属于国家秘密 12、其他")

    def test_space_separated_numbers(self, spec2019: Spec) -> None:
        """Numbers separated by spaces are separate tokens."""
        assert ["0", "12", "3"] == [n.digits for n in _read(spec2019, "0 12  3")]


class TestConvert:
    def test_types(self) -> None:
        """Counts are ints, amounts Decimals; a sign is only allowed where signed."""
        assert 60 == convert("60", ValueType.INT)
        assert Decimal("60") == convert("60", ValueType.DECIMAL)
        assert -185 == convert("185", ValueType.SIGNED_INT, sign=-1)
        assert 185 == convert("185", ValueType.SIGNED_INT, sign=1)
        assert convert("185", ValueType.INT, sign=-1) is None
        assert convert("1.5", ValueType.INT) is None

    def test_no_longer_than_the_records_hold(self) -> None:
        """A count of 19 digits passes int64, and an amount of 23 digits before
        its point (in 亿元: 31 in 元) or 9 after passes decimal128(38, 8): no
        report prints them, and no cell holds them (`cells` leaves it missing)."""
        assert past_records(10**18 - 1) is None
        assert "count" in (past_records(10**18) or "")
        assert "count" in (past_records(-(10**18)) or "")  # a change
        assert past_records(Decimal("1.12345678")) is None
        assert "amount" in (past_records(Decimal("1.123456789")) or "")
        assert past_records(Decimal("9" * 22)) is None
        assert "amount" in (past_records(Decimal("9" * 23 + ".5")) or "")
        assert "amount" in (past_records(Decimal("1E+25")) or "")


class TestSplitDigits:
    def test_no_leading_zeros(self) -> None:
        """A glued run is cut only into well-formed numbers."""
        assert [("0",) * 6] == split_digits("000000", 6)
        assert [("1", "0", "2"), ("10", "2")][:1] == split_digits("102", 3)
        assert [("10", "2")] == split_digits("102", 2)
        assert [] == split_digits("00", 1)


class TestSplitCounts:
    def test_counts_by_hand(self) -> None:
        """``102``: one reading as one number, one as two (10|2), one as three."""
        assert (0, 1, 1, 1) == split_counts("102", 3)
        assert (0, 0, 0, 0, 0, 0, 1) == split_counts("000000", 6)
        assert (0, 1, 0) == split_counts("0.1", 2)  # 0.|1 and 0|.1 are no numbers

    @given(
        st.text(alphabet="0123456789.", max_size=12),
        st.integers(min_value=0, max_value=13),
    )
    def test_counts_what_split_digits_lists(self, digits: str, most: int) -> None:
        """The running sums count, for every number of parts, the cuts listed one by one."""
        counts = split_counts(digits, most)
        assert [
            len(split_digits(digits, p)) if p else 0 for p in range(most + 1)
        ] == list(counts)
