"""``compile_filter``: validate a filter query once and return a fast predicate for documents."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .parse import parse_query
from .codegen import generate

FilterFunction = Callable[[dict], bool]


def compile_filter(query: Any) -> FilterFunction:
    """Compile ``query``; raises MQLError (with ``.path``) if MongoDB would reject it."""
    return generate(parse_query(query))
