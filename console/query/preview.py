"""The live preview of a gig's queries over a population: who matches, who is still to invite,
and the first N of them in wave order, with a column per field the queries use.

Over 100k workers the speed comes from not redoing what an edit did not touch. A filter is an
implicit AND of its top-level clauses; each clause's answers are kept per worker
(:class:`~console.query.masks.PartialResult`), and each clause is evaluated only on the workers
the clauses before it let through, unchanged clauses first, so an edit costs one pass of the
changed clause over the survivors of the others. Sort keys are kept the same way
(:mod:`console.query.ranking`). ``cancelled`` is polled between chunks so a stale computation
stops when a newer one starts.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from functools import cached_property
from itertools import compress, islice
from typing import Any

import numpy as np

from console.mql import compile_filter, get_path_values, query_fields
from console.mql.columnar import evaluate, supported
from console.query.masks import Cancelled, Lru, PartialResult
from console.query.ranking import Ranker
from console.query.validate import Checked, FilterFn
from console.sim.population import Population

Record = dict[str, Any]
NON_MATCHING_SAMPLE = 200
# Below this many workers, one compiled-predicate pass beats building a clause's columns
# (100k: ~0.1 s against ~0.3 s), so the first preview of a query runs that way and idle time
# (warm) builds the columns for the edits after it.
COLUMNS_AT_ONCE = 500_000


@dataclass(frozen=True)
class PreviewRow:
    worker_id: str
    values: tuple[str, ...]


@dataclass(frozen=True)
class Preview:
    total: int
    matched: int
    not_invited: int
    columns: tuple[str, ...]
    # The next workers a wave would invite, in order; None while the sort order is computed.
    rows: tuple[PreviewRow, ...] | None
    # Some workers the filter rejects, in worker order: the "why not?" picker offers them.
    non_matching: tuple[str, ...]
    seconds: float


def display_value(document: dict[str, Any], field: str) -> str:
    """A cell: the value(s) a dotted path reaches, as compact JSON; empty when missing."""
    values = get_path_values(document, field)
    text = ", ".join(
        v if isinstance(v, str) else json.dumps(v, ensure_ascii=False, separators=(",", ":"))
        for v in values
    )
    return text if len(text) <= 40 else text[:39] + "…"


@dataclass
class _Clause:
    predicate: FilterFn
    result: PartialResult


class PreviewEngine:
    """Previews over one population (or its records ``{id, document}``, in worker order). A
    population's columns are its own: the simulation's rankings build and read the same ones."""

    def __init__(self, population: Population | Sequence[Record], invited: Iterable[str] = (),
                 limit: int = 20):
        if not isinstance(population, Population):
            population = Population(list(population))
        scan = population.scan()
        self.ids = scan.ids
        self.documents = scan.documents
        self.limit = limit
        self.columns = scan.columns
        self.ranker = Ranker(self.documents, self.columns)
        self._everyone = b"\x01" * len(self.ids)
        self._clauses = Lru(64)
        self._clause_masks = Lru(64)
        self._not_invited = self._everyone
        self.set_invited(invited)

    @cached_property
    def position(self) -> dict[str, int]:
        """Each worker id's position; built on first use (a new gig has nobody invited yet)."""
        return dict(zip(self.ids, range(len(self.ids))))

    def set_invited(self, invited: Iterable[str]) -> bool:
        """Who was invited already; whether that changed what a preview shows."""
        mask = bytearray(self._everyone)
        for worker_id in invited:
            if (i := self.position.get(worker_id)) is not None:
                mask[i] = 0
        before, self._not_invited = self._not_invited, bytes(mask)
        return before != self._not_invited

    def is_invited(self, worker_id: str) -> bool:
        i = self.position.get(worker_id)
        return i is not None and not self._not_invited[i]

    def document(self, worker_id: str) -> dict[str, Any] | None:
        i = self.position.get(worker_id)
        return None if i is None else self.documents[i]

    def compute(
        self,
        filter_query: Checked[FilterFn],
        sort_query: Checked[Any],
        cancelled: Callable[[], bool] = lambda: False,
        on_counts: Callable[[Preview], None] | None = None,
    ) -> Preview:
        """The preview (raises :class:`Cancelled`). ``on_counts`` first gets it without rows when
        ranking needs many new sort keys, so the counts never wait for a new sort."""
        started = time.perf_counter()
        # Masks as numpy views of the bytes: at 1M workers, bytes.count and big-int ANDs add ~15 ms.
        matched = np.frombuffer(self._match(filter_query, cancelled), bool)
        candidates = matched & np.frombuffer(self._not_invited, bool)
        is_candidate = candidates.tobytes()
        preview = Preview(
            total=len(self.ids),
            matched=int(np.count_nonzero(matched)),
            not_invited=int(np.count_nonzero(candidates)),
            columns=tuple(query_fields(filter_query.query, sort_query.query)),
            rows=None,
            non_matching=tuple(
                self.ids[i] for i in np.flatnonzero(~matched)[:NON_MATCHING_SAMPLE].tolist()
            ),
            seconds=0.0,
        )
        if not sort_query.query:
            first = list(islice(compress(range(len(is_candidate)), is_candidate), self.limit))
        else:
            if on_counts is not None and self.ranker.ranks_everyone(
                sort_query.key, preview.not_invited
            ):
                on_counts(replace(preview, seconds=time.perf_counter() - started))
            first = self.ranker.first(
                sort_query.query, sort_query.key, is_candidate, preview.not_invited, self.limit,
                cancelled,
            )
        rows = tuple(
            PreviewRow(
                self.ids[i], tuple(display_value(self.documents[i], c) for c in preview.columns)
            )
            for i in first
        )
        return replace(preview, rows=rows, seconds=time.perf_counter() - started)

    def warm(
        self, filter_query: Checked[FilterFn], sort_query: Checked[Any],
        cancelled: Callable[[], bool],
    ) -> None:
        """Use idle time to answer every clause for every worker and rank everyone by the sort,
        so the next edit of any one clause costs only that clause (raises :class:`Cancelled`)."""
        if supported(filter_query.query):
            self._match_columns(filter_query.query, cancelled)
        else:
            for clause in self._clauses_of(filter_query):
                clause.result.restricted_to(
                    self._everyone, clause.predicate, self.documents, cancelled
                )
        if sort_query.query:
            self.ranker.order(sort_query.query, sort_query.key, cancelled)

    def _match(self, filter_query: Checked[FilterFn], cancelled: Callable[[], bool]) -> bytes:
        query = filter_query.query
        if supported(query) and (
            len(self.ids) >= COLUMNS_AT_ONCE
            or all(self.columns.built(path) for path in query_fields(query))
        ):
            return self._match_columns(query, cancelled)
        clauses = self._clauses_of(filter_query)
        # Clauses that know the most answers go first; each runs only on the survivors so far.
        clauses.sort(key=lambda c: -c.result.known.count(1))
        region = self._everyone
        for clause in clauses:
            region = clause.result.restricted_to(region, clause.predicate, self.documents, cancelled)
        return region

    def _match_columns(self, query: dict[str, Any], cancelled: Callable[[], bool]) -> bytes:
        """The filter over columns, one top-level clause at a time, each kept for later edits."""
        def between() -> None:
            if cancelled():
                raise Cancelled

        matched = np.ones(len(self.ids), bool)
        for field, condition in query.items():
            key = json.dumps({field: condition}, separators=(",", ":"))
            mask = self._clause_masks.recall(key)
            if mask is None:
                mask = self._clause_masks.remember(
                    key, evaluate({field: condition}, self.columns, between)
                )
            matched &= mask
        return matched.view(np.uint8).tobytes()

    def _clauses_of(self, filter_query: Checked[FilterFn]) -> list[_Clause]:
        whole = len(filter_query.query) == 1
        clauses = []
        for field, condition in filter_query.query.items():
            key = json.dumps({field: condition}, separators=(",", ":"))
            clause = self._clauses.recall(key)
            if clause is None:
                predicate = (
                    filter_query.compiled if whole else compile_filter({field: condition})
                )
                clause = self._clauses.remember(
                    key, _Clause(predicate, PartialResult(len(self.ids)))
                )
            clauses.append(clause)
        return clauses
