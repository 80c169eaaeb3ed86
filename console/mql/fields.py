"""Which fields a query reads: the columns of the console's query preview."""

from __future__ import annotations

from typing import Any

from .clauses import Logical, Node
from .parse import parse_query
from .sort import parse_sort


def query_fields(filter_query: Any, sort_query: Any = None) -> list[str]:
    """The dotted field paths a filter and sort query use, in first-use order, each once."""
    paths: dict[str, None] = {}
    _collect(parse_query(filter_query), paths)
    for path, _ in parse_sort(sort_query or {}):
        paths.setdefault(path.dotted)
    return list(paths)


def _collect(node: Node, paths: dict[str, None]) -> None:
    if isinstance(node, Logical):
        for child in node.children:
            _collect(child, paths)
    else:
        paths.setdefault(node.path.dotted)
