"""MongoDB's query language (MQL) for filter and sort queries: compile once, evaluate many times.

No Textual, no I/O. The contract is ``/work/shared/reference/mql-semantics.md`` (MongoDB's rules).
"""

from __future__ import annotations

from .errors import MQLError, MQLTimeout
from .explain import Explanation, explain, format_explanation
from .fields import query_fields
from .limits import MAX_DEPTH, REGEX_TIMEOUT
from .filter import FilterFunction, compile_filter
from .paths import get_path_values
from .sort import SortFunction, compile_sort

__all__ = [
    "Explanation",
    "FilterFunction",
    "MAX_DEPTH",
    "MQLError",
    "MQLTimeout",
    "REGEX_TIMEOUT",
    "SortFunction",
    "compile_filter",
    "compile_sort",
    "explain",
    "format_explanation",
    "get_path_values",
    "query_fields",
]
