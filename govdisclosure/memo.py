"""`by_identity`: a bounded cache keyed by which spec an argument *is*, not what it equals.

Why not `functools.lru_cache`: a spec is a frozen attrs value, so two
registries loading the same YAML hold equal specs that are different objects.
Their hashes are equal, and every cache lookup with one of them, once the
other is cached, compares the two specs field by field: a deep walk of every
table's label tree, which doubled the time of `load` (5.9 → 12.3 ms for a
2019 report) in a process that had built a second registry. Keyed by
identity, a lookup costs a tuple of ``id`` calls.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from operator import is_
from typing import Concatenate, Final, ParamSpec, TypeVar

__all__ = ["by_identity"]

P = ParamSpec("P")
R = TypeVar("R")
T = TypeVar("T")


def by_identity(
    maxsize: int,
) -> Callable[[Callable[Concatenate[T, P], R]], Callable[Concatenate[T, P], R]]:
    """Cache ``fn(obj, *args)`` per object identity (``str`` and ``int`` args by value).

    Keeps the objects with the result, so an ``id`` cannot be reused while it
    is cached; beyond ``maxsize`` entries the oldest goes. Keyword arguments
    are not supported (none of the cached functions take any).
    """

    def decorate(fn: Callable[Concatenate[T, P], R]) -> Callable[Concatenate[T, P], R]:
        cache: dict[object, tuple[tuple[object, ...], R]] = {}

        @wraps(fn)
        def cached(obj: T, /, *args: P.args, **kwargs: P.kwargs) -> R:
            if kwargs:  # pragma: no cover - a programming error, not input
                raise TypeError(f"{fn.__name__} is cached by identity: no keywords")
            if _BY_VALUE.issuperset(map(type, args)):
                # the common call, an object and names or numbers: told in C,
                # and keyed without a generator (a parse makes dozens)
                held: tuple[object, ...] = (obj,)
                key: tuple[object, ...] = (id(obj), *args)
            else:
                # each argument in its place, an object's id in a tuple of its
                # own: no int argument, nor another order, makes the same key
                held = (obj, *(a for a in args if type(a) not in _BY_VALUE))
                key = (
                    id(obj),
                    *[a if type(a) in _BY_VALUE else (id(a),) for a in args],
                )
            hit = cache.get(key)
            # the objects themselves, not only their ids: an id is reused once
            # its object is gone, and an entry holds its objects alive
            if (
                hit is not None
                and len(hit[0]) == len(held)
                and all(map(is_, hit[0], held))
            ):
                return hit[1]
            value = fn(obj, *args, **kwargs)
            if len(cache) >= maxsize:
                del cache[next(iter(cache))]
            cache[key] = (held, value)
            return value

        return cached

    return decorate


_BY_VALUE: Final = frozenset({str, int})
