"""`cells._all_agree`, the fast path of a row's initial readings, gives what
`cells._distinct` gives: whether a column's slots agree by value."""

from __future__ import annotations

from collections.abc import Sequence

from hypothesis import given
from hypothesis import strategies as st

from govdisclosure.pipeline.cells import _all_agree, _distinct, _run_starts
from govdisclosure.pipeline.segment import (
    BLANK,
    GAP,
    LOST,
    MISSING,
    Blank,
    Piece,
    Slot,
    Unread,
)

#: Slots that are equal by value but other objects, equal as strings but of
#: other kinds (a gap, an unread mark and MISSING are all "missing"), and
#: pieces of one value from other tokens.
_POOL: list[Slot] = [
    Piece(0, "1", 1, None),
    Piece(0, "1", 1, None),  # equal to the first, another object
    Piece(1, "1", 1, None),  # the same value from another token
    Piece(1, "2", 2, None, part=True),
    Unread(2, "*", "a mark"),
    Unread(3, "五", "a word"),
    Blank(4),
    Blank(5),
    BLANK,
    GAP,
    LOST,
    MISSING,
]


@given(
    st.lists(
        st.lists(st.integers(0, len(_POOL) - 1), min_size=3, max_size=3),
        min_size=1,
        max_size=30,
    ),
    st.integers(0, 2),
    st.data(),
)
def test_all_agree_is_one_distinct_slot(
    choices: list[list[int]], j: int, data: st.DataObject
) -> None:
    """For a slot of any of the readings, `_all_agree` is "one distinct slot"."""
    readings = tuple(tuple(_POOL[i] for i in row) for row in choices)
    slot = data.draw(st.sampled_from([r[j] for r in readings]))

    assert _all_agree(readings, j, slot) == (len(_distinct(readings, 3)[j]) == 1)


def test_a_column_of_one_value_from_other_tokens_agrees() -> None:
    """Two tokens read as the same number agree; a blank and a gap do not."""
    one, again = Piece(0, "1", 1, None), Piece(5, "1", 1, None)
    assert _all_agree(((one, BLANK), (again, GAP)), 0, again)
    assert not _all_agree(((one, BLANK), (again, GAP)), 1, BLANK)


@given(st.lists(st.integers(0, len(_POOL) - 1), min_size=1, max_size=40))
def test_run_starts_hold_each_slot_object_first_met(choices: list[int]) -> None:
    """Deduplicating `_run_starts` by identity gives what deduplicating the
    whole column does, in the same order (`_column_slots`)."""
    column = tuple(_POOL[i] for i in choices)

    def once(slots: Sequence[Slot]) -> list[int]:
        return list({id(s): None for s in slots})

    assert once(_run_starts(column)) == once(column)
