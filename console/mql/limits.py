"""Bounds that keep a hostile query from exhausting the stack, the compiler or the clock.

A query nests at most ``MAX_DEPTH`` levels of objects and arrays (the query object itself is
level 1). Every walk over a query is recursive, so the check is made first, without recursion.
"""

from __future__ import annotations

from typing import Any

from .errors import MQLError, join_path

MAX_DEPTH = 100
# Seconds one $regex may run on one value before MQLTimeout (compile_filter's regex_timeout).
REGEX_TIMEOUT = 0.05


def check_depth(query: Any, limit: int = MAX_DEPTH) -> None:
    """Raise MQLError at the first object or array nested deeper than ``limit``."""
    stack: list[tuple[Any, int, str]] = [(query, 1, "")]
    while stack:
        value, depth, where = stack.pop()
        if isinstance(value, dict):
            items = value.items()
        elif isinstance(value, list):
            items = enumerate(value)
        else:
            continue
        if depth > limit:
            raise MQLError(where, f"the query nests more than {limit} levels of objects and "
                                  f"arrays; {limit} is the most this console accepts")
        for key, item in items:
            if isinstance(item, (dict, list)):
                stack.append((item, depth + 1, join_path(where, str(key))))
