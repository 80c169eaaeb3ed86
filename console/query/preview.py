"""The live preview of a gig's queries over a population: who matches, who is still to invite,
and the first N of them in wave order, with a column per field the queries use.

Compiled queries come in (see :mod:`console.query.validate`); one pass of the compiled filter
over the population, then only the survivors are ranked. The matches of the last filter are kept,
so editing only the sort does not re-run the filter. ``cancelled`` is polled between chunks so a
stale computation stops as soon as a newer one starts.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Sequence, Set
from dataclasses import dataclass
from typing import Any

from console.mql import get_path_values, query_fields
from console.query.validate import Checked, FilterFn

Record = dict[str, Any]
CHUNK = 4096
NON_MATCHING_SAMPLE = 200


class PreviewCancelled(Exception):
    """A newer edit superseded this computation."""


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
    rows: tuple[PreviewRow, ...]
    # Some workers the filter rejects, in worker order: the "why not?" picker offers them.
    non_matching: tuple[str, ...]
    seconds: float


def display_value(document: dict[str, Any], field: str) -> str:
    """A cell: the value(s) a dotted path reaches, as compact JSON; empty when missing."""
    values = get_path_values(document, field)
    if not values:
        return ""
    text = ", ".join(
        v if isinstance(v, str) else json.dumps(v, ensure_ascii=False, separators=(",", ":"))
        for v in values
    )
    return text if len(text) <= 40 else text[:39] + "…"


class PreviewEngine:
    """Previews over one population (records ``{id, document}`` in worker order)."""

    def __init__(self, records: Sequence[Record], invited: Set[str] = frozenset(), limit: int = 20):
        self.records = records
        self.invited = invited
        self.limit = limit
        self._matches: tuple[str, list[Record]] | None = None

    def compute(
        self,
        filter_query: Checked[FilterFn],
        sort_query: Checked[Any],
        cancelled: Callable[[], bool] = lambda: False,
    ) -> Preview:
        started = time.perf_counter()
        matched = self._match(filter_query, cancelled)
        invited = self.invited
        candidates = [r for r in matched if r["id"] not in invited] if invited else matched
        if cancelled():
            raise PreviewCancelled
        first = self._first(candidates, sort_query)
        columns = tuple(query_fields(filter_query.query, sort_query.query))
        rows = tuple(
            PreviewRow(r["id"], tuple(display_value(r["document"], c) for c in columns))
            for r in first
        )
        return Preview(
            total=len(self.records),
            matched=len(matched),
            not_invited=len(candidates),
            columns=columns,
            rows=rows,
            non_matching=self._non_matching(matched),
            seconds=time.perf_counter() - started,
        )

    def _match(self, filter_query: Checked[FilterFn], cancelled: Callable[[], bool]) -> list[Record]:
        cached = self._matches
        if cached is not None and cached[0] == filter_query.key:
            return cached[1]
        matches = filter_query.compiled
        records = self.records
        matched: list[Record] = []
        for start in range(0, len(records), CHUNK):
            if cancelled():
                raise PreviewCancelled
            matched.extend([r for r in records[start : start + CHUNK] if matches(r["document"])])
        self._matches = (filter_query.key, matched)
        return matched

    def _first(self, candidates: list[Record], sort_query: Checked[Any]) -> list[Record]:
        if not sort_query.query:
            return candidates[: self.limit]
        by_document = {id(r["document"]): r for r in candidates}
        ranked = sort_query.compiled(r["document"] for r in candidates)
        return [by_document[id(d)] for d in ranked[: self.limit]]

    def _non_matching(self, matched: list[Record]) -> tuple[str, ...]:
        # Both lists are in worker order: walk them together until the sample is full.
        out: list[str] = []
        position = 0
        for record in self.records:
            if position < len(matched) and matched[position] is record:
                position += 1
                continue
            out.append(record["id"])
            if len(out) == NON_MATCHING_SAMPLE:
                break
        return tuple(out)
