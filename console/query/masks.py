"""Byte masks over a population (one byte per worker, 1 = yes) and results known on part of it.

Masks combine as big integers (one C-level AND/OR) and count with ``bytes.count``; positions come
back with ``itertools.compress``. A :class:`PartialResult` remembers a predicate's answers only
where it was asked, so an edit evaluates each clause only on workers nobody asked about yet.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Sequence
from itertools import compress
from typing import Any

CHUNK = 4096
Document = dict[str, Any]
Predicate = Callable[[Document], Any]


class Cancelled(Exception):
    """A newer edit superseded this computation."""


def and_(a: bytes, b: bytes) -> bytes:
    return (int.from_bytes(a, "little") & int.from_bytes(b, "little")).to_bytes(len(a), "little")


def and_not(a: bytes, b: bytes) -> bytes:
    """``a`` where ``b`` is 0."""
    return (int.from_bytes(a, "little") & ~int.from_bytes(b, "little")).to_bytes(len(a), "little")


def positions(mask: bytes) -> list[int]:
    return list(compress(range(len(mask)), mask))


class PartialResult:
    """A predicate's answers on the positions asked so far (``known``); ``values`` are 0 elsewhere.

    Updated in place one whole chunk at a time, so a cancelled run leaves correct answers behind,
    and a stale run finishing a chunk alongside a newer one writes the same answers."""

    def __init__(self, size: int) -> None:
        self.values = bytearray(size)
        self.known = bytearray(size)

    def restricted_to(
        self,
        region: bytes,
        predicate: Predicate,
        documents: Sequence[Document],
        cancelled: Callable[[], bool],
    ) -> bytes:
        """The predicate's answers within ``region`` (0 outside), evaluating only unknown positions."""
        unknown = and_not(region, self.known)
        values, known = self.values, self.known
        if not unknown.count(1):  # everything asked is known: no pass at all
            return and_(values, region)
        todo = positions(unknown)
        for start in range(0, len(todo), CHUNK):
            if cancelled():
                raise Cancelled
            chunk = todo[start : start + CHUNK]
            for i in compress(chunk, map(predicate, [documents[i] for i in chunk])):
                values[i] = 1
            for i in chunk:
                known[i] = 1
        return and_(values, region)


class Lru(OrderedDict[Any, Any]):
    """A small least-recently-used cache."""

    def __init__(self, size: int) -> None:
        super().__init__()
        self.size = size

    def remember(self, key: Any, value: Any) -> Any:
        self[key] = value
        self.move_to_end(key)
        while len(self) > self.size:
            self.popitem(last=False)
        return value

    def recall(self, key: Any) -> Any:
        value = self.get(key)
        if value is not None:
            self.move_to_end(key)
        return value
