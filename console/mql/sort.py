"""``sort_query`` as MongoDB applies it (semantics §1.12), as a stable sort.

Missing sorts as null, an empty array below null, an array by its smallest element ascending and
its largest descending, and values of different types by BSON's cross-type order. Ties keep their
input order, so the caller appends its own final tie-breaker (the worker id).

Sorting goes through ranks: each key gives every document a dense rank (equal BSON keys, equal
rank), computed once per distinct value for top-level scalars, which is most sort fields, and
per document only for arrays, booleans, objects and dotted paths. The ranks of all keys and the
input position fold into one integer per document, so an order is one sort (or a heap) of ints.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import islice, repeat
from operator import add, mul
from typing import Any

from .bson import EMPTY_ARRAY_RANK, NULL_RANK, sort_key
from .errors import MQLError, describe
from .limits import check_depth
from .paths import MISSING, Path, parse_path, resolve

SortFunction = Callable[[Iterable[dict]], list[dict]]
_NULL_KEY = ((NULL_RANK,),)
_EMPTY_KEY = ((EMPTY_ARRAY_RANK,),)
# Values whose BSON sort key follows from the value alone and that are hashable without
# colliding with another type's value (``True == 1``, so booleans are not among them).
_BY_VALUE = frozenset({int, float, str, type(None), type(MISSING)})
# Documents keyed one by one between two calls of ``between_chunks`` (a cancellation point).
CHUNK = 4096


def _nothing() -> None:
    return None


def parse_sort(sort_query: Any) -> list[tuple[Path, bool]]:
    """The sort keys in order, as (path, descending); raises MQLError naming a bad key."""
    if not isinstance(sort_query, dict):
        raise MQLError("", f"a sort query must be a JSON object such as {{\"rating\": -1}}, "
                           f"not {type(sort_query).__name__}")
    check_depth(sort_query)
    keys = []
    for field, direction in sort_query.items():
        if not isinstance(field, str) or not field or field.startswith("$"):
            raise MQLError(str(field)[:40], f"sort keys must be field paths, not {describe(field)}")
        if type(direction) not in (int, float) or direction not in (1, -1):
            raise MQLError(field, f"sort direction must be 1 (ascending) or -1 (descending), "
                                  f"not {describe(direction)}")
        keys.append((parse_path(field), direction == -1))
    return keys


def sort_value(doc: dict, path: Path, descending: bool) -> tuple:
    """The BSON sort key a document has on one path for one direction."""
    if len(path.parts) == 1:
        # The common case, a top-level scalar, needs no path resolution.
        value = doc.get(path.parts[0], MISSING)
        if value is MISSING:
            return _NULL_KEY
        if type(value) is not list:
            return sort_key(value)
        terminals = [(value, True)]
    else:
        terminals = resolve(doc, path)
    candidates = []
    for value, _ in terminals:
        if value is MISSING:
            candidates.append(_NULL_KEY)
        elif type(value) is list:
            # Arrays never sort as arrays: by their elements, an empty one below null.
            candidates.extend(sort_key(e) for e in value) if value else candidates.append(_EMPTY_KEY)
        else:
            candidates.append(sort_key(value))
    if not candidates:
        return _NULL_KEY
    return max(candidates) if descending else min(candidates)


def _chunks(size: int, between_chunks: Callable[[], None]) -> Iterator[slice]:
    """Slices of ``CHUNK`` positions, ``between_chunks`` before each: one C-level pass over 100k
    values holds the GIL for tens of ms (the UI thread waits), a chunk of it for about one."""
    for start in range(0, size, CHUNK):
        between_chunks()
        yield slice(start, start + CHUNK)


def _sorted(items: list[Any], descending: bool, between_chunks: Callable[[], None]) -> list[Any]:
    """``sorted(items)`` of distinct values in sorted runs merged in Python, for the same reason."""
    if len(items) <= CHUNK:
        return sorted(items, reverse=descending)
    runs = [sorted(items[part], reverse=descending) for part in _chunks(len(items), between_chunks)]
    merged = heapq.merge(*runs, reverse=descending)
    out: list[Any] = []
    for _ in _chunks(len(items), between_chunks):
        out.extend(islice(merged, CHUNK))
    return out


def sort_ranks(
    docs: Sequence[dict], path: Path, descending: bool,
    between_chunks: Callable[[], None] = _nothing,
) -> tuple[list[int], int]:
    """Each document's dense rank on one key, 0 first in this direction, and how many ranks.

    ``between_chunks`` runs between chunks of the work (it may raise to stop)."""
    values: list[Any] | None = None
    odd: Sequence[int] = range(len(docs))
    if len(path.parts) == 1:
        name = path.parts[0]
        values = [d.get(name, MISSING) for d in docs]
        types: set[type] = set()
        for part in _chunks(len(values), between_chunks):
            types.update(map(type, values[part]))
        odd_types = types - _BY_VALUE
        odd = [i for i, v in enumerate(values) if type(v) in odd_types] if odd_types else []
    by_document: dict[int, tuple] = {}
    # One kept tuple per distinct key: 100k live key tuples would set off full GC passes.
    interned: dict[tuple, tuple] = {}
    for part in _chunks(len(odd), between_chunks):
        for i in odd[part]:
            key = sort_value(docs[i], path, descending)
            by_document[i] = interned.setdefault(key, key)
    plain: set[Any] = set()
    if values is not None:
        if by_document:
            plain = {v for v in values if type(v) in _BY_VALUE}
        else:
            for part in _chunks(len(values), between_chunks):
                plain.update(values[part])
            ranked = _rank_plain(plain, descending, between_chunks)
            if ranked is not None:
                value_rank, count = ranked
                ranks: list[int] = []
                for part in _chunks(len(values), between_chunks):
                    ranks.extend(map(value_rank.__getitem__, values[part]))
                return ranks, count
    by_value = {v: _NULL_KEY if v is MISSING else sort_key(v) for v in plain}
    distinct = sorted({*by_value.values(), *interned}, reverse=descending)
    place = {key: rank for rank, key in enumerate(distinct)}
    if values is None:
        ranks = [place[by_document[i]] for i in range(len(docs))]
    else:
        value_rank = {v: place[key] for v, key in by_value.items()}
        ranks = [place[by_document[i]] if i in by_document else value_rank[v]
                 for i, v in enumerate(values)]
    return ranks, len(distinct)


def _rank_plain(
    plain: set[Any], descending: bool, between_chunks: Callable[[], None]
) -> tuple[dict[Any, int], int] | None:
    """Ranks of distinct nulls, numbers and strings with no BSON key built (100k distinct
    timestamps would mean 100k tuples to sort); None when a NaN needs BSON's NaN rule."""
    numbers = [v for v in plain if type(v) is int or type(v) is float]
    if any(v != v for v in numbers):
        return None
    strings = [v for v in plain if type(v) is str]
    nulls = [v for v in (None, MISSING) if v in plain]
    # Equal numbers (1 and 1.0) are one set member already; null and missing tie.
    groups = [nulls[:1], _sorted(numbers, descending, between_chunks),
              _sorted(strings, descending, between_chunks)]
    if descending:
        groups.reverse()
    value_rank: dict[Any, int] = {}
    for group in groups:
        for part in _chunks(len(group), between_chunks):
            value_rank.update(zip(group[part], range(len(value_rank), len(value_rank) + CHUNK)))
    count = len(value_rank)
    for v in nulls[1:]:
        value_rank[v] = value_rank[nulls[0]]
    return value_rank, count


def fold_ranks(
    columns: Sequence[tuple[list[int], int]], size: int,
    between_chunks: Callable[[], None] = _nothing,
) -> list[int]:
    """One integer per position ordering by the first key's rank, then the next, ..., then the
    position itself (the stable tie-break); ``key % size`` gives the position back."""
    folded = list(range(size))
    scale = size
    for ranks, count in reversed(columns):
        added: list[int] = []
        for part in _chunks(size, between_chunks):
            added.extend(map(add, folded[part], map(mul, ranks[part], repeat(scale))))
        folded = added
        scale *= max(count, 1)
    return folded


def compile_sort(sort_query: Any) -> SortFunction:
    keys = parse_sort(sort_query)

    def sort(docs: Iterable[dict]) -> list[dict]:
        ordered = list(docs)
        if not keys or not ordered:
            return ordered
        columns = [sort_ranks(ordered, path, descending) for path, descending in keys]
        size = len(ordered)
        return [ordered[k % size] for k in sorted(fold_ranks(columns, size))]

    return sort
