"""The first N candidates in ``sort_query`` order, without sorting the population per edit.

The order comes from MQL's ranks (:func:`~console.mql.sort.sort_ranks`): each (field, direction)
ranks the whole population once, cheaply for top-level scalars (once per distinct value), and a
sort query folds its fields' ranks into one integer per worker (:func:`fold_ranks`, with the
worker's position as the final tie-breaker). A preview then takes the smallest ``limit`` of
those integers among the candidates with a heap: no sort at all. When the order is not known yet
and the candidates are few, they are ranked on their own instead (per-document work for arrays
and dotted paths stays proportional to them); idle time ranks everyone.

With the population's columns, a path holding only scalars is ranked with numpy
(:mod:`console.mql.column_sort`), and the folded order is a numpy array the first N are picked
from with ``argpartition``; other paths are ranked document by document as before.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from console.mql.column_sort import column_ranks, fold_column_ranks, ranks_at_hand
from console.mql.columns import Columns
from console.mql.paths import Path
from console.mql.sort import fold_ranks, parse_sort, sort_ranks
from console.query.masks import Cancelled, Document, Lru, positions

# Up to this many candidates, ranking just them is cheap; above it the whole population is
# ranked once (per sort query) and later edits pick from that order.
SMALL = 20_000


def _stopper(cancelled: Callable[[], bool]) -> Callable[[], None]:
    def between_chunks() -> None:
        if cancelled():
            raise Cancelled
    return between_chunks


class Ranker:
    """First-N queries over one population kept in worker order (the final tie-breaker)."""

    def __init__(self, documents: Sequence[Document], columns: Columns | None = None) -> None:
        self.documents = documents
        self.columns = columns if columns is not None else Columns(documents)
        self._ranks = Lru(8)
        self._orders = Lru(4)
        self._ranked = Lru(8)  # sort keys whose fields :meth:`first` ranked for everyone

    def ranks_everyone(self, sort_key: str, candidates: int) -> bool:
        """Whether :meth:`first` will rank the whole population (the slow part, once per sort)."""
        return (candidates > SMALL and self._orders.recall(sort_key) is None
                and self._ranked.recall(sort_key) is None)

    def order(
        self, sort_query: dict[str, Any], sort_key: str, cancelled: Callable[[], bool]
    ) -> np.ndarray:
        """One distinct int64 per population position, ordering as the sort query does;
        computed once per sort query."""
        order = self._orders.recall(sort_key)
        if order is None:
            columns = [self._field_ranks(path, descending, cancelled)
                       for path, descending in parse_sort(sort_query)]
            order = fold_column_ranks(columns, len(self.documents))
            self._orders.remember(sort_key, order)
        return order

    def _field_ranks(
        self, path: Path, descending: bool, cancelled: Callable[[], bool]
    ) -> tuple[np.ndarray, int]:
        ranks = self._ranks.recall((path.dotted, descending))
        if ranks is None:
            ranks = column_ranks(self.columns.column(path, _stopper(cancelled)), descending)
            if ranks is None:  # documents or arrays on the path: ranked document by document
                listed, count = sort_ranks(self.documents, path, descending, _stopper(cancelled))
                ranks = np.array(listed, np.int64), count
            self._ranks.remember((path.dotted, descending), ranks)
        return ranks

    def _ranks_at_hand(self, sort_query: dict[str, Any]) -> bool:
        """Every sort field's ranks of the whole population are known already (a columnar
        file's, or ranked before): folding the candidates' then beats ranking their documents
        (which, mapped from a columnar file, are each decoded first)."""
        return all(
            self._ranks.recall((path.dotted, descending)) is not None
            or (self.columns.built(path.dotted) and ranks_at_hand(self.columns.column(path)))
            for path, descending in parse_sort(sort_query))

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
        if (candidates <= SMALL and self._orders.recall(sort_key) is None
                and not self._ranks_at_hand(sort_query)):
            wanted = positions(is_candidate)
            documents = [self.documents[i] for i in wanted]
            columns = [sort_ranks(documents, path, descending, _stopper(cancelled))
                       for path, descending in parse_sort(sort_query)]
            folded = fold_ranks(columns, len(wanted), _stopper(cancelled))
            return [wanted[k % len(wanted)] for k in heapq.nsmallest(limit, folded)]
        wanted = np.flatnonzero(np.frombuffer(is_candidate, np.uint8))
        order = self._orders.recall(sort_key)
        if order is not None:
            keys = order[wanted]
        else:  # fold the ranks of the candidates only; idle time folds everyone's (order)
            columns = [self._field_ranks(path, descending, cancelled)
                       for path, descending in parse_sort(sort_query)]
            keys = fold_column_ranks(columns, len(self.documents), wanted)
            self._ranked.remember(sort_key, True)
        if len(keys) > limit:
            nearest = np.argpartition(keys, limit)[:limit]
            wanted, keys = wanted[nearest], keys[nearest]
        return wanted[np.argsort(keys)].tolist()
