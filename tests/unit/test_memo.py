"""Tests for `by_identity`: cached per object, never shared between equal objects."""

from __future__ import annotations

from attrs import frozen

from govdisclosure.memo import by_identity


@frozen
class _Value:
    name: str


def test_a_result_is_cached_per_object_and_per_argument() -> None:
    calls: list[tuple[str, str]] = []

    @by_identity(maxsize=8)
    def describe(value: _Value, suffix: str) -> str:
        calls.append((value.name, suffix))
        return value.name + suffix

    one, equal = _Value("a"), _Value("a")

    assert "a!" == describe(one, "!")
    assert "a!" == describe(one, "".join(["!"]))  # an equal str is the same key
    assert "a?" == describe(one, "?")
    assert "a!" == describe(equal, "!")  # equal but another object: computed anew
    assert [("a", "!"), ("a", "?"), ("a", "!")] == calls


def test_the_oldest_entry_goes_first() -> None:
    calls: list[str] = []

    @by_identity(maxsize=2)
    def name(value: _Value) -> str:
        calls.append(value.name)
        return value.name

    a, b, c = _Value("a"), _Value("b"), _Value("c")
    name(a)
    name(b)
    name(a)  # cached
    name(c)  # a goes
    name(b)  # cached
    name(a)

    assert ["a", "b", "c", "a"] == calls


def test_objects_among_the_arguments_are_keyed_by_identity_too() -> None:
    """A call with an object beside the first (not a str or an int) is keyed
    by both objects' identity; a call with names only by the first's."""
    calls: list[tuple[str, str, str]] = []

    @by_identity(maxsize=8)
    def pair(value: _Value, other: object, suffix: str) -> str:
        calls.append((value.name, str(other), suffix))
        return value.name + str(other) + suffix

    one, other, equal_other = _Value("a"), _Value("b"), _Value("b")

    pair(one, other, "!")
    pair(one, other, "!")  # cached
    pair(one, equal_other, "!")  # equal, but another object
    pair(one, 2, "!")  # an int is a value
    pair(one, 2, "!")  # cached

    assert 3 == len(calls)


def test_an_int_argument_equal_to_an_objects_id_is_no_hit() -> None:
    """An object among the arguments is keyed by its id, a number by its
    value, each in its place: a number that happens to equal an object's id,
    or the same arguments in another order, find no other call's result."""

    @by_identity(maxsize=8)
    def show(value: _Value, *rest: object) -> str:
        return value.name + "".join(f"|{type(r).__name__}" for r in rest)

    one, other = _Value("a"), _Value("b")

    assert "a|int" == show(one, id(other))
    assert "a|_Value" == show(one, other)
    assert "a|_Value|int" == show(one, other, 1)
    assert "a|int|_Value" == show(one, 1, other)
