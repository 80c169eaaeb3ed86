"""A long query (tens of KB, pasted or loaded) is checked in a thread: each key's check took
100-250 ms on the loop at 320 KB. Until its verdict, the editor says it is checking, nothing
previews or saves from it, and quitting still counts it as an edit."""

from __future__ import annotations

import json
import threading

from console.tui.views import queries

from .conftest import wait_for
from .screen import region_text
from .test_queries_view import FILTER, open_queries, queries_view, set_filter, settled
from .test_queries_view import backend  # noqa: F401  (a fixture)


def long_filter(extra: dict | None = None) -> dict:
    clauses = [{"email": f"nobody{i}@example.invalid"} for i in range(900)]
    return {"$or": [FILTER, *clauses], **(extra or {})}


def record_threads(monkeypatch) -> list[tuple[int, bool]]:
    """(length, on the main thread) of each filter check."""
    seen: list[tuple[int, bool]] = []
    check = queries._CHECKS["filter_query"]

    def recorded(text: str):
        seen.append((len(text), threading.current_thread() is threading.main_thread()))
        return check(text)

    monkeypatch.setitem(queries._CHECKS, "filter_query", recorded)
    return seen


async def test_a_long_filter_is_checked_off_the_loop_then_previewed(backend, monkeypatch):  # noqa: F811
    seen = record_threads(monkeypatch)
    app, running = await open_queries(backend)
    async with running as pilot:
        screen = await queries_view(pilot)
        text = json.dumps(long_filter(), indent=2)
        assert len(text) > queries.SYNC_CHECK_CHARS
        await set_filter(pilot, screen, text)
        assert screen.has_edits()  # not yet checked, still an edit to keep
        await settled(pilot, screen)
        assert region_text(app, screen.query_one("#filter-status")) == "valid, edited"
        assert screen.current().filter_query == long_filter()
        assert (len(text), False) in seen  # checked in a thread
        await set_filter(pilot, screen, json.dumps(FILTER))
        await pilot.pause()
        assert seen[-1] == (len(json.dumps(FILTER)), True)  # a short one at once, on the loop


async def test_a_long_filter_s_error_is_named_and_nothing_previews_from_it(backend):  # noqa: F811
    app, running = await open_queries(backend)
    async with running as pilot:
        screen = await queries_view(pilot)
        text = json.dumps(long_filter({"rating": {"$near": 3}}), indent=2)
        await set_filter(pilot, screen, text)
        await wait_for(lambda: screen.edited["filter_query"].problem is not None)
        await pilot.pause()
        shown = region_text(app, screen.query_one("#filter-status"))
        assert shown == "rating.$near: $near is a MongoDB operator that cirro-console does not support"
        assert screen.current() is None and screen.has_edits()


async def test_a_long_line_is_edited_without_highlighting_and_the_status_says_f3_formats_it(
        backend):  # noqa: F811
    app, running = await open_queries(backend)
    async with running as pilot:
        screen = await queries_view(pilot)
        editor = screen.editor("filter_query")
        one_line = json.dumps(long_filter())
        await set_filter(pilot, screen, one_line)
        await settled(pilot, screen)
        assert editor.language is None and not editor.cursor_blink
        shown = region_text(app, screen.query_one("#filter-status"))
        assert shown.startswith("valid, edited") and shown.endswith(
            f"line 1 has {len(one_line):,} characters: F3 formats it (long lines edit slowly)")
        await pilot.press("f3")
        await settled(pilot, screen)
        assert editor.language == "json" and editor.cursor_blink
        assert region_text(app, screen.query_one("#filter-status")) == "valid, edited"


async def test_a_long_line_that_is_not_json_is_not_offered_to_f3(backend):  # noqa: F811
    app, running = await open_queries(backend)
    async with running as pilot:
        screen = await queries_view(pilot)
        broken = json.dumps(long_filter())[:-1]
        await set_filter(pilot, screen, broken)
        await wait_for(lambda: screen.edited["filter_query"].problem is not None)
        await pilot.pause()
        shown = region_text(app, screen.query_one("#filter-status"))
        assert shown.startswith("JSON line 1") and shown.endswith(
            f"line 1 has {len(broken):,} characters (long lines edit slowly)")
