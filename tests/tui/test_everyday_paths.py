"""Everyday paths as a new user meets them, checked on the rendered screen (80x24)."""

from __future__ import annotations

import asyncio
import json
import math
from contextlib import ExitStack

import pytest
from keys import key_pair
from serve_process import copy_sim, serve_process

from console.backends.local import LocalBackend
from console.cli.main import main
from console.backends.factory import open_remote
from console.config import Config, RemoteContext
from console.monitor.recording import Recorder, run_recorded
from console.monitor.replay import Recording, ReplayBackend
from console.monitor.scenario import START, scenario
from console.sim.demo import DEMO_GIGS
from console.tui import format as fmt
from console.tui.app import CirroApp
from console.tui.startup import create_app

from .conftest import SIZE, listed, shows, toasts_text
from .fakes import T0


def recorded_run(path) -> None:
    backend, _ = scenario(workers=300)
    recorder = Recorder(path, "scenario")
    run_recorded(backend.engine, recorder, START + 2 * 3600, every=300)
    recorder.close()


def test_replay_of_a_json_file_that_is_not_a_recording_says_so(tmp_path, capsys):
    gig = tmp_path / "gig.json"
    gig.write_text(json.dumps({"title": "t", "filter_query": {}}, indent=2))
    assert main(["replay", str(gig)]) == 2
    err = capsys.readouterr().err
    assert f'{gig}: not a cirro-console recording: no "format" key' in err
    assert "invalid JSON" not in err


async def test_a_cut_last_line_is_shown_in_the_console(tmp_path):
    path = tmp_path / "run.jsonl"
    recorded_run(path)
    text = path.read_text()
    path.write_text(text[: len(text) - 20])  # a run killed mid-write
    backend = ReplayBackend(Recording.load(path))
    app = CirroApp(backend, speed=60, start_view="waves")
    app.clock.paused = True
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        shown = await shows(pilot, "last line is incomplete and was skipped")
        assert "Warning" in shown and "last line is incomplete and was skipped" in shown


async def test_one_live_gig_is_counted_in_the_singular():
    backend, _ = scenario(workers=300)
    app = CirroApp(backend, speed=60, start_view="waves")
    app.clock.paused = True
    async with app.run_test(size=SIZE) as pilot:
        shown = await shows(pilot, "1 live gig ·")
        assert "1 live gig ·" in shown and "1 live gigs" not in shown


@pytest.fixture
def demo_app(demo_dir, tmp_path):
    backend = LocalBackend.open(copy_sim(demo_dir, tmp_path / "sim"))
    yield create_app(Config(), backend), backend
    backend.store.close()


async def test_the_fastest_speed_pauses_at_the_last_event_and_the_demo_resets(demo_app, tmp_path):
    app, backend = demo_app
    population = tmp_path / "sim" / "population.json"
    before = population.stat().st_mtime_ns
    # The demo's last gig end (2026-03-12 10:00): no response or wave comes later.
    last = max(t for g in await backend.list_gigs() for t in (g.start_at, g.end_at, g.archive_at)
               if t is not None)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await shows(pilot, "sim 2026-03-02 10:00")
        app.clock.set_speed(math.inf)  # the fastest speed, whichever key leads there
        app.poll_now()
        shown = await shows(pilot, "the simulation paused there", seconds=30)
        assert f"Nothing is left to happen after {fmt.full_timestamp(last)} UTC" in shown
        assert f"sim {fmt.full_timestamp(last)[:16]} paused" in shown
        assert await backend.now() == last and app.clock.paused
        await pilot.press("question_mark")
        assert "Reset the demo" in await shows(pilot, "Reset the demo")
        await pilot.press("escape", "f7")
        shown = await shows(pilot, "the clock goes back")
        assert "Reset the demo?" in shown and "The workers stay as they are." in shown
        assert "the clock goes back to 2026-03-02 10:00 UTC." in shown
        await pilot.press("y")
        shown = await shows(pilot, "Demo reset: the clock is back at 2026-03-02 10:00:00 UTC")
        assert "Demo reset: the clock is back at 2026-03-02 10:00:00 UTC, running x60" in shown
        assert "sim 2026-03-02 10:0" in shown and not app.clock.paused
        assert len(await backend.list_gigs()) == len(DEMO_GIGS)
    assert population.stat().st_mtime_ns == before  # the workers were not rewritten


async def test_a_new_gig_starts_from_a_safe_filter_takes_relative_times_and_warns_on_empty(
        make_app, backend):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await listed(pilot)
        await pilot.press("n")
        await shows(pilot, "A new gig")
        app.screen.query_one("#field-filter_query").focus()  # the form is longer than 24 rows
        shown = await shows(pilot, "Filter query")
        assert '{"status": "active", "skills.id": {"$in": []}}' in shown  # not {}: nobody yet
        editor = app.screen
        values = {"title": "Night shift", "start_at": "+10m", "end_at": "+2h",
                  "filter_query": "{}", "tasks": '[{"title": "Review", "base_price": 300}]'}
        for name, value in values.items():
            editor.query_one(f"#field-{name}").value = value
        await pilot.press("f2")
        shown = await shows(pilot, "Warning: filter_query {} matches every worker")
        assert "Create gig 'Night shift'?" in shown
        assert "Warning: filter_query {} matches every worker: each" in shown
        await pilot.press("y")
        await app.workers.wait_for_complete()
        await listed(pilot, 5)
        created = backend.calls[-1][1]
        # +10m and +2h from the console's clock when saved (the fake clock runs meanwhile)
        assert created.end_at - created.start_at == 7200 - 600
        assert T0 + 600 <= created.start_at <= await backend.now() + 600


async def until_listed(pilot, count: int, seconds: float = 30.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    while not (pilot.app.snapshot and len(pilot.app.snapshot.gigs) == count):
        assert loop.time() < deadline, "the gig list never came"
        await pilot.pause(0.05)


async def test_with_the_api_down_the_last_good_read_shows_marked_stale(demo_dir, tmp_path):
    private_key, _ = key_pair().write(tmp_path)
    context = RemoteContext(base_url="", app_id="app-1", private_key=private_key,
                            data_dir=tmp_path / "registry", retries=0, timeout=5)
    with ExitStack() as serving:
        url = serving.enter_context(serve_process(copy_sim(demo_dir, tmp_path / "sim"), tmp_path,
                                                  None))
        context = context.model_copy(update={"base_url": url})
        host = url.split("://", 1)[1].split("/", 1)[0]
        app = create_app(Config(), open_remote("shared", context))
        async with app.run_test(size=SIZE, notifications=True) as pilot:
            await until_listed(pilot, 6)  # the demo gigs that have invitations: discovered
            gigs = {gig.id: gig.title for gig in app.snapshot.gigs}
            serving.close()  # the API goes down while the console shows it
            read_at = app.connection.last_ok_at
            app.poll_now()
            shown = await shows(pilot, "STALE since")
            status = str(app.screen.query_one("#gigs-status").render())  # under the notification
            assert status.startswith(f"STALE since {fmt.full_timestamp(read_at)} UTC · 6 of 6 gigs")
            told = toasts_text(app)
            assert f"cannot connect to {host}: connection refused The gigs shown are the last " \
                f"good read, of {fmt.full_timestamp(read_at)} UTC." in told
            assert "503" not in shown and "503" not in told
    # A console started while the API is down shows the last good read, not "0 of 0 gigs".
    backend = open_remote("shared", context)
    app = create_app(Config(), backend)
    async with app.run_test(size=SIZE) as pilot:
        shown = await shows(pilot, "6 of 6 gigs")
        assert "STALE since" in shown and "0 of 0 gigs" not in shown
        assert all(title[:6] in shown for title in gigs.values())
        assert "503" not in shown
