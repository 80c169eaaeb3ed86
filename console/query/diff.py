"""The difference between a gig's saved queries and the edited ones, as unified diff lines.

Both sides go through the same formatter, so only real changes show. Key order is kept, not
sorted: it matters in MQL (sort keys, and equality on embedded documents).
"""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass
from typing import Any


def format_query(query: dict[str, Any]) -> str:
    """The canonical text of a query: two-space indent, key order kept, non-ASCII as is."""
    return json.dumps(query, indent=2, ensure_ascii=False)


@dataclass(frozen=True)
class Queries:
    """A gig's pair of queries."""

    filter_query: dict[str, Any]
    sort_query: dict[str, Any]


def query_diff(saved: Queries, edited: Queries) -> list[str]:
    """Unified diff lines per changed query; empty when nothing changed."""
    lines: list[str] = []
    for name in ("filter_query", "sort_query"):
        before = format_query(getattr(saved, name)).splitlines()
        after = format_query(getattr(edited, name)).splitlines()
        lines.extend(
            difflib.unified_diff(
                before, after, fromfile=f"saved {name}", tofile=f"edited {name}", lineterm=""
            )
        )
    return lines
