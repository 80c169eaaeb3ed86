"""The first N candidates in ``sort_query`` order, without sorting the population per edit.

``compile_sort`` sorts the documents it is given, computing a BSON sort key per document per
key: too slow to redo over 100k workers on every edit. Here the same primitives
(``parse_sort``, ``sort_value``) and the same stable passes from the last key to the first are
used with keys kept per (field, direction), computed once per worker and in chunks, so a stale
computation stops when a newer edit cancels it. Few candidates are sorted directly; otherwise the
whole population's order is computed once per sort query and each preview just walks it.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Sequence
from itertools import islice
from typing import Any

from console.mql.sort import parse_sort, sort_value
from console.query.masks import CHUNK, Cancelled, Document, Lru, positions

_UNKNOWN = None
# Up to this many candidates, sorting just them is cheap; above it the whole population is ranked
# once (per sort query) and later edits walk that order.
SMALL = 20_000
# Sorting this many positions in one C call holds the GIL for a few ms only.
SORT_AT_ONCE = 16_384


def stable_sort(
    items: list[int], key: Callable[[int], Any], reverse: bool, cancelled: Callable[[], bool]
) -> list[int]:
    """``sorted(items, key=key, reverse=reverse)`` that never holds the GIL for long.

    ``list.sort`` with a C-level key runs no bytecode, so sorting 100k items in a thread would
    freeze the UI thread for its whole duration. Sorting chunks and merging them with
    ``heapq.merge`` (stable: ties come from earlier chunks first) lets the UI run between steps."""
    if len(items) <= SORT_AT_ONCE:
        return sorted(items, key=key, reverse=reverse)
    runs = []
    for start in range(0, len(items), CHUNK):
        if cancelled():
            raise Cancelled
        runs.append(sorted(items[start : start + CHUNK], key=key, reverse=reverse))
    if len(runs) <= 1:
        return runs[0] if runs else []
    merged = heapq.merge(*runs, key=key, reverse=reverse)
    out: list[int] = []
    while chunk := list(islice(merged, CHUNK)):
        if cancelled():
            raise Cancelled
        out.extend(chunk)
    return out


class SortKeys:
    """One (field, direction)'s sort key per population position, filled in as needed."""

    def __init__(self, path: Any, descending: bool, size: int) -> None:
        self.path = path
        self.descending = descending
        self.keys: list[tuple | None] = [_UNKNOWN] * size

    def fill(self, wanted: Sequence[int], documents: Sequence[Document],
             cancelled: Callable[[], bool]) -> None:
        keys, path, descending = self.keys, self.path, self.descending
        todo = [i for i in wanted if keys[i] is _UNKNOWN]
        for start in range(0, len(todo), CHUNK):
            if cancelled():
                raise Cancelled
            chunk = todo[start : start + CHUNK]
            for i in chunk:
                keys[i] = sort_value(documents[i], path, descending)


class Ranker:
    """First-N queries over one population kept in worker order (the final tie-breaker)."""

    def __init__(self, documents: Sequence[Document]) -> None:
        self.documents = documents
        self._keys = Lru(8)
        self._orders = Lru(4)

    def ranks_everyone(self, sort_key: str, candidates: int) -> bool:
        """Whether :meth:`first` will rank the whole population (the slow part, once per sort)."""
        return candidates > SMALL and self._orders.recall(sort_key) is None

    def order(
        self, sort_query: dict[str, Any], sort_key: str, cancelled: Callable[[], bool]
    ) -> list[int]:
        """Every population position in sort order (computed once per sort query)."""
        order = self._orders.recall(sort_key)
        if order is None:
            order = self._sorted(sort_query, range(len(self.documents)), cancelled)
            self._orders.remember(sort_key, order)
        return order

    def first(
        self,
        sort_query: dict[str, Any],
        sort_key: str,
        is_candidate: bytes,
        candidates: int,
        limit: int,
        cancelled: Callable[[], bool],
    ) -> list[int]:
        """The first ``limit`` candidates (``is_candidate``, ``candidates`` of them) in order."""
        if candidates <= SMALL and self._orders.recall(sort_key) is None:
            return self._sorted(sort_query, positions(is_candidate), cancelled)[:limit]
        order = self.order(sort_query, sort_key, cancelled)
        return list(islice((i for i in order if is_candidate[i]), limit))

    def _sorted(
        self, sort_query: dict[str, Any], wanted: Sequence[int], cancelled: Callable[[], bool]
    ) -> list[int]:
        order = list(wanted)
        for path, descending in reversed(parse_sort(sort_query)):
            keys = self._keys.recall((path.dotted, descending))
            if keys is None:
                keys = SortKeys(path, descending, len(self.documents))
                self._keys.remember((path.dotted, descending), keys)
            keys.fill(wanted, self.documents, cancelled)
            order = stable_sort(order, keys.keys.__getitem__, descending, cancelled)
        return order
