"""A recorded run replays in the wave monitor: step, jump, back, play."""

from __future__ import annotations

from console.cli.main import main
from console.monitor.recording import Recorder, run_recorded
from console.monitor.replay import Recording, ReplayBackend
from console.monitor.scenario import START, scenario
from console.tui.app import CirroApp

from .test_waves_view import open_gig, settle, text


def recorded_run(path) -> str:
    backend, gig_id = scenario(workers=500)
    recorder = Recorder(path, "scenario")
    run_recorded(backend.engine, recorder, START + 6 * 3600, every=300)
    recorder.close()
    return gig_id


def shown_state(screen) -> tuple[str, list[tuple[str, ...]]]:
    return text(screen, "#wv-counts"), [row.cells for row in screen.table("waves").visible_rows()]


async def test_a_recorded_run_replays_frame_by_frame(tmp_path):
    path = tmp_path / "run.jsonl"
    gig_id = recorded_run(path)
    backend = ReplayBackend(Recording.load(path))
    cursor = backend.cursor
    app = CirroApp(backend, speed=60, start_view="waves")
    app.clock.paused = True
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_gig(pilot)

        async def expect_frame(index: int) -> None:
            assert cursor.index == index
            stats = cursor.snapshot(gig_id).stats
            counts, waves = shown_state(screen)
            assert counts.startswith(f"invited {stats.invited}  accepted {stats.accepted}  "
                                     f"pending {stats.pending}")
            assert [int(w[0]) for w in waves] == list(range(1, stats.waves_sent + 1))
            assert f"replay frame {index + 1}/{cursor.last + 1}" in text(screen, "#wv-status")

        await expect_frame(0)
        for index in (1, 2, 3):
            await pilot.press("n")
            await settle(pilot)
            await expect_frame(index)
        await pilot.press("b")
        await settle(pilot)
        await expect_frame(2)
        await pilot.press("J")
        await settle(pilot)
        await pilot.press("ctrl+u", *"50%", "enter")
        await settle(pilot)
        middle = cursor.index
        assert 0 < middle < cursor.last
        assert cursor.at <= START + 3 * 3600 < cursor.times[middle + 1]  # halfway through 6 h
        await expect_frame(middle)
        # the mutations of the Space are refused: a recording is read-only
        await pilot.press("i", "space", "A")
        await settle(pilot)
        assert cursor.index == middle
        assert app.screen is screen  # no confirmation asked: refused up front
        # play to the end at the fastest speed
        await pilot.press("greater_than_sign", "greater_than_sign", "p")
        # Up to 20 s: under load the fastest speed plays the recording more slowly (it failed once
        # with a 2 s bound on a busy machine); the loop stops as soon as the end is reached.
        for _ in range(400):
            await pilot.pause(0.05)
            if cursor.at_end():
                break
        await pilot.press("p")
        await settle(pilot)
        assert cursor.at_end()
        await pilot.press("w")
        await settle(pilot)
        await expect_frame(cursor.last)


def test_replay_command_names_a_broken_file(tmp_path, capsys):
    broken = tmp_path / "run.jsonl"
    broken.write_text('{"format": "cirro-console-recording", "version": 1}\n')
    assert main(["replay", str(broken)]) == 2
    assert "run.jsonl:1: invalid header" in capsys.readouterr().err


def test_simulate_records_a_run_the_monitor_can_load(tmp_path, capsys):
    gig = tmp_path / "gig.json"
    gig.write_text(scenario_gig_json())
    record = tmp_path / "run.jsonl"
    args = ["simulate", str(gig), "--workers", "300", "--until", "+2h", "--state",
            str(tmp_path / "state"), "--record", str(record), "--record-every", "600"]
    assert main(args) == 0
    assert "recorded" in capsys.readouterr().err
    recording = Recording.load(record)
    times = [frame.at for frame in recording.frames]
    assert times[0] == START and times[-1] == START + 7200
    assert main(args) == 2  # never overwrites a recording
    assert "already exists" in capsys.readouterr().err


def scenario_gig_json() -> str:
    from console.monitor.scenario import watch_gig

    return watch_gig().model_dump_json()
