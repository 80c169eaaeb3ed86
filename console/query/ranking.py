"""The first N candidates in ``sort_query`` order, without sorting the population per edit.

``compile_sort`` sorts the documents it is given, computing a BSON sort key per document per
key: too slow to redo over 100k workers on every edit. Here the same primitives
(``parse_sort``, ``sort_value``) and the same stable passes from the last key to the first are
used with keys kept per (field, direction), computed once per worker and in chunks, so a stale
computation stops when a newer edit cancels it. Few candidates are sorted directly; otherwise the
whole population's order is computed once per sort query and each preview just walks it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from itertools import islice
from typing import Any

from console.mql.sort import parse_sort, sort_value
from console.query.masks import CHUNK, Cancelled, Document, Lru

_UNKNOWN = None
# Up to this many candidates, sorting just them is cheap; above it the whole population is ranked
# once (per sort query) and later edits walk that order.
SMALL = 5000


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

    def first(
        self,
        sort_query: dict[str, Any],
        sort_key: str,
        candidates: Sequence[int],
        is_candidate: bytes,
        limit: int,
        cancelled: Callable[[], bool],
    ) -> list[int]:
        """The first ``limit`` of ``candidates`` (positions, ascending) in sort order."""
        order = self._orders.recall(sort_key)
        if order is None:
            everyone = len(candidates) > SMALL
            wanted = range(len(self.documents)) if everyone else candidates
            order = list(wanted)
            for path, descending in reversed(parse_sort(sort_query)):
                keys = self._keys.recall((path.dotted, descending))
                if keys is None:
                    keys = SortKeys(path, descending, len(self.documents))
                    self._keys.remember((path.dotted, descending), keys)
                keys.fill(wanted, self.documents, cancelled)
                order.sort(key=keys.keys.__getitem__, reverse=descending)
            if not everyone:
                return order[:limit]
            self._orders.remember(sort_key, order)
        return list(islice((i for i in order if is_candidate[i]), limit))
