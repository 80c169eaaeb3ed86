"""View 2, the query editor, on a real LocalBackend: live validation and preview, why-not, save
with confirmation, revert, undo, snippets and the $EDITOR hand-off."""

from __future__ import annotations

import json
import stat
import sys

import pytest
from textual.widgets import Static

from console.backends.local import LocalBackend
from console.models import GigCreate
from console.mql import compile_filter
from console.sim.engine import Engine, InviteOrder
from console.sim.population import generate_population
from console.tui.app import CirroApp
from console.tui.views.gigs import GigsScreen
from console.tui.views.waves import WavesScreen
from console.tui.views.queries import DiffScreen, PreviewTable, QueriesScreen, WhyNotScreen
from console.tui.widgets.dialogs import ChoiceDialog, ConfirmDialog
from console.tui.widgets.json_editor import JsonEditor

from .conftest import wait_for
from .screen import screen_lines

SIZE = (100, 30)
NOW = 1_780_000_000
FILTER = {"status": "active", "rating": {"$gte": 3}}


@pytest.fixture
def backend() -> LocalBackend:
    engine = Engine(generate_population(400, seed=3, now=NOW), clock=NOW)
    gig = engine.create_gig(GigCreate.model_validate({
        "title": "Query test", "description": "d", "url": "https://x/1",
        "start_at": NOW + 3600, "end_at": NOW + 86400, "total_seats": 5,
        "invitation_mode": "manual", "filter_query": FILTER, "sort_query": {"rating": -1},
    }))
    engine.clock = NOW + 3700
    # Invite the two best-rated matching workers, so "not invited yet" differs from "match".
    engine.invite(gig.id, [InviteOrder(u) for u in engine.ranked_candidates(gig.id, 2)])
    return LocalBackend(engine)


def records(backend: LocalBackend) -> list[dict]:
    return [{"id": r["id"], "document": r["document"]} for r in backend.simulation.population()]


async def open_queries(backend: LocalBackend, **kwargs) -> tuple[CirroApp, object]:
    app = CirroApp(backend, poll_seconds=30.0, **kwargs)
    return app, app.run_test(size=SIZE)


async def settled(pilot, screen: QueriesScreen) -> None:
    """Wait until the newest scheduled preview is on screen."""
    for _ in range(200):
        await pilot.pause(0.02)
        if (screen.gig is not None and screen.preview is not None
                and screen.shown_generation == screen.generation
                and screen.preview.rows is not None):
            return
    raise AssertionError("the preview never caught up")


async def queries_view(pilot) -> QueriesScreen:
    await pilot.press("2")
    screen = pilot.app.screen
    assert isinstance(screen, QueriesScreen)
    await settled(pilot, screen)
    return screen


def summary(screen: QueriesScreen) -> str:
    return str(screen.query_one("#q-summary", Static).render())


def status(screen: QueriesScreen, name: str) -> str:
    return str(screen.query_one(f"#{name}-status", Static).render())


async def set_filter(pilot, screen: QueriesScreen, text: str) -> None:
    editor = screen.editor("filter_query")
    editor.focus()
    editor.replace_all(text)
    await pilot.pause()


async def test_valid_edit_updates_the_preview_to_what_compile_filter_counts(backend):
    app, running = await open_queries(backend)
    async with running as pilot:
        screen = await queries_view(pilot)
        population = records(backend)
        expected = sum(1 for r in population if compile_filter(FILTER)(r["document"]))
        assert screen.preview.matched == expected
        assert screen.preview.not_invited == expected - 2
        assert f"{expected:,} of 400 workers match" in summary(screen)

        editor = screen.editor("filter_query")
        editor.focus()
        # Type 3 -> 3.5 after `"$gte": 3`, one keystroke at a time, as an operator does.
        row = next(i for i, line in enumerate(editor.text.splitlines()) if "$gte" in line)
        editor.move_cursor((row, len(editor.document.get_line(row))))
        await pilot.press("full_stop", "5")
        await settled(pilot, screen)
        edited = json.loads(editor.text)
        assert edited["rating"] == {"$gte": 3.5}
        expected = sum(1 for r in population if compile_filter(edited)(r["document"]))
        assert screen.preview.matched == expected
        table = screen.query_one("#q-rows", PreviewTable)
        assert table.header == ("#", "worker", "status", "rating")
        ratings = [float(row[3]) for row in table.rows]
        assert ratings == sorted(ratings, reverse=True) and min(ratings) >= 3.5


async def test_opening_a_gig_previews_its_queries_once(backend):
    """The loaded gig's queries are previewed at once, and once: neither the editors' loading
    nor an invitations refresh that changes nobody starts another (over a million workers each
    one pushed the first preview back)."""
    app, running = await open_queries(backend)
    async with running as pilot:
        screen = await queries_view(pilot)
        assert screen.generation == 1
        await screen.refresh_invited(screen.gig.id).wait()
        assert screen.generation == 1 and screen.preview.not_invited == screen.preview.matched - 2


async def test_nan_in_a_filter_is_shown_as_not_json_where_it_is(backend):
    """Python's json reads NaN; the gig refuses it when saved, so the editor says so, at the
    constant (beside an unknown operator this crashed the check)."""
    app, running = await open_queries(backend)
    async with running as pilot:
        screen = await queries_view(pilot)
        await set_filter(pilot, screen, '{"status": "active",\n "rating": NaN, "$bogus": 1}')
        await wait_for(lambda: any("NaN is not a JSON number" in line
                                   for line in screen_lines(app)))
        assert status(screen, "filter") == "JSON line 2, column 12: NaN is not a JSON number"
        assert screen.editor("filter_query").marked.start == (1, 11)


async def test_invalid_edit_shows_where_and_keeps_the_last_good_preview(backend):
    app, running = await open_queries(backend)
    async with running as pilot:
        screen = await queries_view(pilot)
        good = screen.preview
        await set_filter(pilot, screen, '{\n  "status": "active",\n  "rating": {"$gte": }\n}')
        assert status(screen, "filter").startswith("JSON line 3, column 22: Expecting value")
        assert screen.editor("filter_query").marked.start == (2, 21)
        await pilot.pause(0.2)
        assert screen.preview is good
        assert "last valid" in str(screen.query_one("#q-note", Static).render())

        await set_filter(pilot, screen, '{"status": "active", "rating": {"$gtx": 3}}')
        assert status(screen, "filter").startswith("rating.$gtx: ")
        marked = screen.editor("filter_query").marked
        line = screen.editor("filter_query").text.splitlines()[marked.start[0]]
        assert line[marked.start[1]:marked.end[1]] == '"$gtx"'
        await pilot.pause(0.2)
        assert screen.preview is good

        await set_filter(pilot, screen, '{"status": "active"}')
        await settled(pilot, screen)
        assert screen.preview is not good and screen.editor("filter_query").marked is None


async def test_why_not_explains_a_rejected_worker(backend):
    app, running = await open_queries(backend)
    async with running as pilot:
        screen = await queries_view(pilot)
        rejected = screen.preview.non_matching[0]
        await pilot.press("f4")
        assert isinstance(app.screen, WhyNotScreen)
        await pilot.click("#why-id")
        await pilot.press(*rejected, "enter")
        await pilot.pause()
        text = str(app.screen.query_one("#why-result", Static).render())
        assert f"Worker {rejected} does not match" in text
        assert "FAIL" in text and "found:" in text
        app.screen.query_one("#why-id").value = "no-such-worker"
        await pilot.press("enter")
        await pilot.pause()
        assert "No worker 'no-such-worker'" in str(app.screen.query_one("#why-result", Static).render())


async def test_save_asks_with_the_diff_then_applies(backend):
    app, running = await open_queries(backend)
    async with running as pilot:
        screen = await queries_view(pilot)
        gig_id = screen.gig.id
        await set_filter(pilot, screen, '{"status": "active"}')
        await pilot.press("f2")
        dialog = app.screen
        assert isinstance(dialog, ConfirmDialog)
        shown = str(dialog.detail)
        assert shown.startswith("Applies to later waves only")
        assert '-  "rating": {' in shown
        await pilot.press("n")  # cancelled: nothing saved
        assert (await backend.get_gig(gig_id)).filter_query == FILTER
        await pilot.press("f2", "y")
        for _ in range(50):
            await pilot.pause(0.02)
            if (await backend.get_gig(gig_id)).filter_query == {"status": "active"}:
                break
        assert (await backend.get_gig(gig_id)).filter_query == {"status": "active"}
        assert screen.saved.filter_query == {"status": "active"}
        await pilot.press("f2")
        assert isinstance(app.screen, QueriesScreen)  # nothing left to save


async def test_save_is_refused_read_only(backend):
    app, running = await open_queries(backend, read_only=True)
    async with running as pilot:
        screen = await queries_view(pilot)
        await set_filter(pilot, screen, '{"status": "active"}')
        await pilot.press("f2")
        assert isinstance(app.screen, QueriesScreen)
        assert (await backend.get_gig(screen.gig.id)).filter_query == FILTER


async def test_revert_diff_undo_and_format(backend):
    app, running = await open_queries(backend)
    async with running as pilot:
        screen = await queries_view(pilot)
        editor = screen.editor("filter_query")
        saved_text = editor.text
        await set_filter(pilot, screen, '{"status":   "paused"}')
        await pilot.press("f5")
        assert isinstance(app.screen, DiffScreen)
        assert '+  "status": "paused"' in str(app.screen.query_one("#diff", Static).render())
        await pilot.press("escape")
        await pilot.press("f10")
        assert editor.text == saved_text
        await pilot.press("ctrl+z")
        assert editor.text == '{"status":   "paused"}'
        await pilot.press("ctrl+y")
        assert editor.text == saved_text
        await pilot.press("ctrl+z", "f3")
        assert editor.text == '{\n  "status": "paused"\n}'


async def test_snippet_adds_a_clause(backend):
    app, running = await open_queries(backend)
    async with running as pilot:
        screen = await queries_view(pilot)
        await pilot.press("f8")
        assert isinstance(app.screen, ChoiceDialog)
        await pilot.press("down", "down", "enter")  # $exists
        query = json.loads(screen.editor("filter_query").text)
        assert query == {**FILTER, "email": {"$exists": True}}


def stand_in_editor(tmp_path, body: str) -> str:
    script = tmp_path / "editor.py"
    script.write_text(f"#!{sys.executable}\nimport sys\npath = sys.argv[1]\n{body}\n")
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return str(script)


async def test_external_editor_round_trip(backend, tmp_path, monkeypatch):
    script = stand_in_editor(
        tmp_path,
        "import json\nq = json.load(open(path))\nq['country'] = 'DE'\n"
        "open(path, 'w').write(json.dumps(q))",
    )
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.setenv("EDITOR", script)
    app, running = await open_queries(backend)
    async with running as pilot:
        screen = await queries_view(pilot)
        screen.editor("filter_query").focus()
        await pilot.press("f12")
        await settled(pilot, screen)
        assert json.loads(screen.editor("filter_query").text) == {**FILTER, "country": "DE"}
        assert "country" in screen.preview.columns
        await pilot.press("ctrl+z")  # the hand-off is one undoable edit
        assert json.loads(screen.editor("filter_query").text) == FILTER


async def test_failing_external_editor_keeps_the_text(backend, tmp_path, monkeypatch):
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.setenv("EDITOR", stand_in_editor(tmp_path, "sys.exit(1)"))
    app, running = await open_queries(backend)
    async with running as pilot:
        screen = await queries_view(pilot)
        before = screen.editor("filter_query").text
        await pilot.press("f12")
        await pilot.pause()
        assert screen.editor("filter_query").text == before
        assert any("exited with status 1" in str(n.message) for n in app._notifications)


async def test_editor_keystrokes_never_trigger_view_keys(backend):
    app, running = await open_queries(backend)
    async with running as pilot:
        screen = await queries_view(pilot)
        editor = screen.editor("filter_query")
        editor.focus()
        editor.move_cursor((0, 1))
        await pilot.press("1", "3")
        assert isinstance(app.screen, QueriesScreen)
        assert editor.text.startswith("{13")
        assert isinstance(app.focused, JsonEditor)


async def test_view_keys_switch_between_the_three_views(backend):
    app, running = await open_queries(backend)
    async with running as pilot:
        for key, screen_type in (("2", QueriesScreen), ("3", WavesScreen), ("1", GigsScreen)):
            await pilot.press(key)
            assert isinstance(app.screen, screen_type)


async def test_view_opens_outside_the_editors_so_view_keys_work(backend):
    """Bug: view 2 opened with the filter editor focused, so pressing 1 to go back typed "1"
    into the query."""
    app, running = await open_queries(backend)
    async with running as pilot:
        screen = await queries_view(pilot)
        saved = screen.editor("filter_query").text
        assert isinstance(app.focused, PreviewTable)
        await pilot.press("1")
        assert not isinstance(app.screen, QueriesScreen)
        await pilot.press("2")
        assert screen.editor("filter_query").text == saved
        await pilot.press("e")
        assert app.focused is screen.editor("filter_query")


async def test_tab_moves_between_editors_and_escape_leaves_them(backend):
    app, running = await open_queries(backend)
    async with running as pilot:
        screen = await queries_view(pilot)
        screen.editor("filter_query").focus()
        await pilot.press("tab")
        assert app.focused is screen.editor("sort_query")
        await pilot.press("escape")
        assert isinstance(app.focused, PreviewTable)
        await pilot.press("1")  # out of the editors, the view keys work again
        assert not isinstance(app.screen, QueriesScreen)


class RemoteLike:
    """The LocalBackend seen as a remote context: same answers, no simulation to read workers."""

    kind = "remote"
    simulation = None  # as the remote API: no simulation controls

    def __init__(self, local: LocalBackend) -> None:
        self._local = local
        self.context = "staging"
        self.read_only = False

    def __getattr__(self, name: str):
        return getattr(self._local, name)


async def test_remote_context_without_population_file_says_so(backend):
    app, running = await open_queries(RemoteLike(backend))
    async with running as pilot:
        await pilot.press("2")
        screen = app.screen
        for _ in range(100):
            await pilot.pause(0.02)
            if screen.gig is not None:
                break
        note = str(screen.query_one("#q-note", Static).render())
        assert "No preview on remote context 'staging'" in note
        assert screen.preview is None
        await pilot.press("f4")
        assert isinstance(app.screen, QueriesScreen)  # why-not has nothing to explain against


async def test_remote_context_previews_the_population_file(backend, tmp_path):
    path = tmp_path / "workers.json"
    path.write_text(json.dumps(records(backend)))
    app, running = await open_queries(RemoteLike(backend), population_file=path)
    async with running as pilot:
        screen = await queries_view(pilot)
        expected = sum(1 for r in records(backend) if compile_filter(FILTER)(r["document"]))
        assert screen.preview.matched == expected
        assert screen.preview.not_invited == expected - 2


async def test_a_regex_past_its_time_limit_stops_the_preview_with_the_clause_named(backend):
    slow = next(r for r in records(backend) if isinstance(r["document"].get("segment"), str))
    pattern = "^(.|.|.|.|.|.|.|.)+[0-9]$"  # 8**n ways to fail on n letters: seconds for "standard"
    app, running = await open_queries(backend)
    async with running as pilot:
        screen = await queries_view(pilot)
        await set_filter(pilot, screen, json.dumps({"segment": {"$regex": pattern}}))
        for _ in range(500):
            await pilot.pause(0.02)
            if summary(screen).startswith("preview stopped"):
                break
        # as drawn: wrapped at 80 columns, so read as one line
        assert " ".join(summary(screen).split()).startswith(
            "preview stopped: segment.$regex: the regular expression ran longer than 50 ms")
        why = screen.explain_worker(slow["id"])
        assert why.headline.startswith(f"Cannot explain worker {slow['id']}: segment.$regex")
