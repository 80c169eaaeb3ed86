"""Everyday paths as a new user meets them, checked on the rendered screen (80x24)."""

from __future__ import annotations

import json

from console.cli.main import main
from console.monitor.recording import Recorder, run_recorded
from console.monitor.replay import Recording, ReplayBackend
from console.monitor.scenario import START, scenario
from console.tui.app import CirroApp

from .conftest import SIZE, screen_text, shows


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
    app = CirroApp(backend, advance=backend.simulation.advance_by, speed=60, start_view="waves")
    app.clock.paused = True
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        shown = await shows(pilot, "last line is incomplete and was skipped")
        assert "Warning" in shown and "last line is incomplete and was skipped" in shown


async def test_one_live_gig_is_counted_in_the_singular():
    backend, _ = scenario(workers=300)
    app = CirroApp(backend, advance=backend.simulation.advance_by, speed=60, start_view="waves")
    app.clock.paused = True
    async with app.run_test(size=SIZE) as pilot:
        shown = await shows(pilot, "1 live gig ·")
        assert "1 live gig ·" in shown and "1 live gigs" not in shown
