"""``compile_filter``: validate a filter query once and return a fast predicate for documents."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .limits import REGEX_TIMEOUT
from .parse import parse_query
from .codegen import generate

FilterFunction = Callable[[dict], bool]


def compile_filter(query: Any, *, regex_timeout: float = REGEX_TIMEOUT) -> FilterFunction:
    """Compile ``query``; raises MQLError (with ``.path``) if MongoDB would reject it.

    The filter raises MQLTimeout (an MQLError) when a ``$regex`` runs longer than
    ``regex_timeout`` seconds on one value."""
    return generate(parse_query(query, regex_timeout))
