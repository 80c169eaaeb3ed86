"""Cursor paging as the v2 API does it: ``limit`` objects after (or before) a known id."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from .errors import BadRequest

T = TypeVar("T")
DEFAULT_LIMIT = 10
MAX_LIMIT = 500


@dataclass(frozen=True)
class Page(Generic[T]):
    data: list[T]
    has_more: bool


def check_limit(limit: int) -> int:
    if not 1 <= limit <= MAX_LIMIT:
        raise BadRequest(f"limit must be an integer between 1 and {MAX_LIMIT}")
    return limit


def page_bounds(ids: Sequence[str], limit: int, after: str | None = None,
                before: str | None = None) -> tuple[int, int, bool]:
    """``(start, end, has_more)`` of the page in a list of ids; BadRequest for an unknown cursor.

    ``after`` gives the objects past that id; ``before`` those just ahead of it, and
    ``has_more`` then says whether more lie further back."""
    check_limit(limit)
    if after is not None and before is not None:
        raise BadRequest("pass either after or before, not both")
    cursor = after if after is not None else before
    if cursor is None:
        return 0, min(limit, len(ids)), len(ids) > limit
    try:
        index = list(ids).index(cursor)
    except ValueError:
        raise BadRequest(f"No such object: {cursor}") from None
    if after is not None:
        end = min(index + 1 + limit, len(ids))
        return index + 1, end, len(ids) > end
    start = max(0, index - limit)
    return start, index, start > 0
