"""A gig's candidates, ranked once: the workers that match filter_query in sort_query order.

Waves walk the ranking with a cursor instead of re-scanning the population. The ranking is
rebuilt only when the gig's queries or the population change. With console.mql as the compiler,
the population's columns answer both queries (:mod:`console.mql.columnar`,
:mod:`console.mql.column_sort`): the same candidates in the same order, vectorised, on the
columns the query preview reads too.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from functools import cached_property
from typing import Any, Protocol

from console.mql.sort import parse_sort
from console.waves import candidates_for_wave

from .errors import QueryError
from .population import Population, Scan, gc_paused

Document = dict[str, Any]
Predicate = Callable[[Document], bool]
Sorter = Callable[[Iterable[Document]], list[Document]]


class QueryCompiler(Protocol):
    """What the engine needs of the MQL engine (``console.mql`` itself fits)."""

    def compile_filter(self, query: dict[str, Any]) -> Predicate: ...

    def compile_sort(self, sort_query: dict[str, Any]) -> Sorter: ...


def default_compiler() -> QueryCompiler:
    import console.mql

    return console.mql  # type: ignore[return-value]


def is_default(compiler: QueryCompiler) -> bool:
    """Whether ``compiler`` is console.mql itself, whose queries the columns answer as well."""
    return compiler is default_compiler()


def compile_queries(
    compiler: QueryCompiler, filter_query: dict[str, Any], sort_query: dict[str, Any]
) -> tuple[Predicate, Sorter | None]:
    """Compile both queries, raising :class:`QueryError` naming the field path of a bad one."""
    compiled: list[Any] = []
    for field, query, compile_ in (
        ("filter_query", filter_query, compiler.compile_filter),
        ("sort_query", sort_query, compiler.compile_sort),
    ):
        try:
            compiled.append(compile_(query))
        except ValueError as exc:
            path = getattr(exc, "path", "")
            message = getattr(exc, "message", None) or str(exc)
            raise QueryError(field, str(path or ""), message) from None
    predicate, sorter = compiled
    return predicate, (sorter if sort_query else None)


class Ranking:
    """Ranked candidate ids, where the next wave starts, and how many are left."""

    def __init__(self, ranked: list[str], invited: Mapping[str, Any]) -> None:
        self.ranked = ranked
        self.cursor = 0
        # Invited workers still ahead of the cursor (manual invites, invitation attempts, or
        # invitations from before a re-ranking): the cursor will skip them.
        self.invited_ahead = (sum(1 for user_id in invited if user_id in self.position)
                              if invited else 0)

    @cached_property
    def position(self) -> dict[str, int]:
        """Each ranked id's place; built when first needed (half a million ids cost ~0.3 s)."""
        return dict(zip(self.ranked, range(len(self.ranked))))

    @property
    def left(self) -> int:
        return len(self.ranked) - self.cursor - self.invited_ahead

    def take(self, size: int, invited: Mapping[str, Any]) -> list[str]:
        taken, position = candidates_for_wave(self.ranked, self.cursor, invited, size)
        self.invited_ahead -= (position - self.cursor) - len(taken)
        self.cursor = position
        return taken

    def note_invited(self, user_id: str) -> None:
        """A worker invited outside a wave: if still ahead, the cursor will skip them."""
        position = self.position.get(user_id)
        if position is not None and position >= self.cursor:
            self.invited_ahead += 1


def rank(
    population: Population, predicate: Predicate, sorter: Sorter | None,
    invited: Mapping[str, Any], queries: tuple[dict[str, Any], dict[str, Any]] | None = None,
) -> Ranking:
    """Filter first, then sort only the survivors; the population is in worker-id order and the
    sort is stable, so the worker id is the final tie-breaker. ``queries``: the filter and sort
    query ``predicate`` and ``sorter`` were compiled from by console.mql, for the columns."""
    with gc_paused():
        if queries is not None:
            return Ranking(_by_columns(population.scan(), *queries, predicate, sorter), invited)
        matching = [r for r in population.records if predicate(r["document"])]
        if sorter is not None:
            by_document = {id(r["document"]): r["id"] for r in matching}
            ordered = [by_document[id(doc)] for doc in sorter([r["document"] for r in matching])]
        else:
            ordered = [r["id"] for r in matching]
        return Ranking(ordered, invited)


def _by_columns(scan: Scan, filter_query: dict[str, Any], sort_query: dict[str, Any],
                predicate: Predicate, sorter: Sorter | None) -> list[str]:
    # numpy and the columns load with the first ranking, not with the console.
    import numpy as np

    from console.mql.column_sort import column_ranks, fold_column_ranks
    from console.mql.columnar import evaluate, supported

    if supported(filter_query):
        # Asked of every row: ``within`` lets the per-document fallback skip rows already out.
        rows = np.flatnonzero(evaluate(filter_query, scan.columns, within=np.ones(len(scan), bool)))
    else:
        rows = np.flatnonzero(np.fromiter(map(predicate, scan.documents), bool, len(scan)))
    order = rows
    if sorter is not None and len(rows):
        ranks = [column_ranks(scan.columns.column(path), descending)
                 for path, descending in parse_sort(sort_query)]
        if all(r is not None for r in ranks):
            keys = fold_column_ranks(ranks, len(scan), rows)  # type: ignore[arg-type]
            order = rows[np.argsort(keys)]
        else:  # documents or arrays on a sort path: compile_sort's order of the survivors
            documents, listed = scan.documents, rows.tolist()
            # Each read once: a mapped population decodes a new dict per read.
            survivors = [documents[i] for i in listed]
            position = {id(doc): i for doc, i in zip(survivors, listed)}
            order = np.array([position[id(doc)] for doc in sorter(survivors)], np.intp)
    ids = scan.ids
    return [ids[i] for i in order.tolist()]
