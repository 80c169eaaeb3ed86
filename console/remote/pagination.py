"""Cursor pagination of v2 list endpoints (``limit``, ``after``, ``has_more``) as an iterator."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from typing import Any

from console.backends.errors import InvalidResponse
from console.backends.paging import MAX_LIMIT
from console.remote.transport import Transport


async def iterate(transport: Transport, path: str, params: Sequence[tuple[str, Any]] = (), *,
                  after: str | None = None, limit: int = MAX_LIMIT) -> AsyncIterator[dict[str, Any]]:
    """Every object of a list endpoint, fetching the next page only when the caller gets there.

    ``after`` starts past a known id (the registry resumes discovery this way)."""
    if not 1 <= limit <= MAX_LIMIT:
        raise ValueError(f"limit must be 1..{MAX_LIMIT}, got {limit}")
    while True:
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
        after = str(cursor)


def page_data(page: Any, path: str) -> list[dict[str, Any]]:
    if not isinstance(page, dict) or not isinstance(page.get("data"), list):
        raise InvalidResponse(f"GET {path}: expected a list envelope, got {type(page).__name__}")
    if not all(isinstance(item, dict) for item in page["data"]):
        raise InvalidResponse(f"GET {path}: list items must be objects")
    return page["data"]
