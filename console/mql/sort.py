"""``sort_query`` as MongoDB applies it (semantics §1.12), as a stable sort.

Missing sorts as null, an empty array below null, an array by its smallest element ascending and
its largest descending, and values of different types by BSON's cross-type order. Ties keep their
input order, so the caller appends its own final tie-breaker (the worker id).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from .bson import EMPTY_ARRAY_RANK, NULL_RANK, sort_key
from .errors import MQLError
from .paths import MISSING, Path, parse_path, resolve

SortFunction = Callable[[Iterable[dict]], list[dict]]
_NULL_KEY = (NULL_RANK,)
_EMPTY_KEY = (EMPTY_ARRAY_RANK,)


def parse_sort(sort_query: Any) -> list[tuple[Path, bool]]:
    """The sort keys in order, as (path, descending); raises MQLError naming a bad key."""
    if not isinstance(sort_query, dict):
        raise MQLError("", f"a sort query must be a JSON object such as {{\"rating\": -1}}, "
                           f"not {type(sort_query).__name__}")
    keys = []
    for field, direction in sort_query.items():
        if not isinstance(field, str) or not field or field.startswith("$"):
            raise MQLError(str(field), f"sort keys must be field paths, not {field!r}")
        if type(direction) not in (int, float) or direction not in (1, -1):
            raise MQLError(field, f"sort direction must be 1 (ascending) or -1 (descending), "
                                  f"not {direction!r}")
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


def compile_sort(sort_query: Any) -> SortFunction:
    keys = parse_sort(sort_query)

    def sort(docs: Iterable[dict]) -> list[dict]:
        ordered = list(docs)
        # Stable passes from the last key to the first give the multi-key order.
        for path, descending in reversed(keys):
            ordered.sort(key=lambda doc: sort_value(doc, path, descending), reverse=descending)
        return ordered

    return sort
