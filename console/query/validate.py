"""Validate a query's text on every edit: JSON first, then MQL, compiled once for the preview.

A problem carries the message the editor shows and the span it marks: the character a JSON
syntax error points at, or the key an ``MQLError`` path names.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from console.mql import MQLError, compile_filter, compile_sort
from console.query.locate import JsonProblem, Span, locate_path, parse_object

Compiled = TypeVar("Compiled")


@dataclass(frozen=True)
class QueryProblem:
    message: str
    span: Span | None = None
    json_problem: JsonProblem | None = None


@dataclass(frozen=True)
class Checked(Generic[Compiled]):
    """A query that parsed and compiled, with a key that identifies it for caching."""

    query: dict[str, Any]
    compiled: Compiled
    key: str


def _check(
    text: str, compile_query: Callable[[dict[str, Any]], Compiled]
) -> Checked[Compiled] | QueryProblem:
    parsed = parse_object(text)
    if isinstance(parsed, JsonProblem):
        return QueryProblem(f"JSON {parsed}", json_problem=parsed)
    try:
        compiled = compile_query(parsed)
    except MQLError as exc:
        where = exc.path or "query"
        return QueryProblem(f"{where}: {exc.message}", locate_path(text, exc.path))
    except RecursionError:
        return QueryProblem("query: nested too deeply to compile")
    # Key order matters to MQL, so the cache key keeps it.
    return Checked(parsed, compiled, json.dumps(parsed, separators=(",", ":")))


FilterFn = Callable[[dict[str, Any]], bool]


def check_filter(text: str) -> Checked[FilterFn] | QueryProblem:
    return _check(text, compile_filter)


def check_sort(text: str) -> Checked[Any] | QueryProblem:
    return _check(text, compile_sort)
