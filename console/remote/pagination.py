"""Cursor pagination of v2 list endpoints (``limit``, ``after``, ``has_more``) as an iterator."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from typing import Any

from console.backends.errors import InvalidResponse
from console.backends.paging import MAX_LIMIT
from console.remote.transport import Transport


# The most pages one walk reads (a million objects at limit=500): a server that always answers
# has_more with a new cursor would otherwise be walked forever (29,749 requests in 200 s).
MAX_PAGES = 2_000


async def iterate(transport: Transport, path: str, params: Sequence[tuple[str, Any]] = (), *,
                  after: str | None = None, limit: int = MAX_LIMIT,
                  max_pages: int = MAX_PAGES) -> AsyncIterator[dict[str, Any]]:
    """Every object of a list endpoint, fetching the next page only when the caller gets there.

    ``after`` starts past a known id (the registry resumes discovery this way). A cursor seen
    before (a cycle) or more than ``max_pages`` pages raise InvalidResponse."""
    if not 1 <= limit <= MAX_LIMIT:
        raise ValueError(f"limit must be 1..{MAX_LIMIT}, got {limit}")
    seen: set[str | None] = {after}
    for _ in range(max_pages):
        query = [*params, ("limit", limit)]
        if after is not None:
            query.append(("after", after))
        page = await transport.request("GET", path, params=query)
        data = page_data(page, path)
        for item in data:
            yield item
        if not page.get("has_more"):
            return
        cursor = data[-1].get("id") if data else None
        if cursor is None or str(cursor) == after:
            # A server that says "more" without moving on would loop us forever.
            raise InvalidResponse(f"GET {path}: has_more is true but the page does not advance "
                                  f"(after={after!r})")
        if str(cursor) in seen:
            raise InvalidResponse(f"GET {path}: the pages go round in a circle (after={cursor!r} "
                                  f"came back after {len(seen)} pages); stopped")
        after = str(cursor)
        seen.add(after)
    raise InvalidResponse(f"GET {path}: still has_more after {max_pages:,} pages of {limit}; "
                          f"stopped (the most this console reads in one walk)")


def page_data(page: Any, path: str) -> list[dict[str, Any]]:
    if not isinstance(page, dict) or not isinstance(page.get("data"), list):
        raise InvalidResponse(f"GET {path}: expected a list envelope, got {type(page).__name__}")
    if not all(isinstance(item, dict) for item in page["data"]):
        raise InvalidResponse(f"GET {path}: list items must be objects")
    return page["data"]
