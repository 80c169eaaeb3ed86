import json

import pytest

from console.backends.errors import ReadOnlyError
from console.monitor.recording import Recorder, RecordingError, run_recorded
from console.monitor.replay import Recording, ReplayBackend, ReplayCursor

from console.monitor.scenario import START, scenario
from console.monitor.snapshot import take_snapshot


async def record(path, steps=(0, 600, 601, 4 * 3600, 4 * 3600 + 1)):
    """A seeded run recorded at ``START + step`` for each step, with the backend's own reading
    of the gig at each frame written (steps where nothing changed write no frame)."""
    backend, gig_id = scenario(workers=300)
    recorder = Recorder(path, "scenario")
    expected, written = [], []
    for step in steps:
        await backend.simulation.advance_to(START + step)
        if recorder.capture(backend.engine):
            expected.append(await take_snapshot(backend, gig_id))
        written.append(bool(recorder.frames and recorder.last_at == START + step))
    recorder.close()
    return gig_id, expected, written


async def test_a_run_records_only_changes_and_replays_each_moment(tmp_path):
    path = tmp_path / "run.jsonl"
    gig_id, expected, written = await record(path)
    assert written == [True, True, False, True, False]
    lines = path.read_text().splitlines()
    assert json.loads(lines[0])["format"] == "cirro-console-recording"
    second = json.loads(lines[2])["gigs"][gig_id]
    assert "gig" not in second  # unchanged: not written again
    assert len(second["invitations"]) == 40 and [w["n"] for w in second["waves"]] == [2, 3]

    cursor = ReplayCursor(Recording.load(path))
    assert cursor.last == len(expected) - 1
    for index, snap in enumerate(expected):
        cursor.jump(index)
        replayed = cursor.snapshot(gig_id)
        assert (replayed.at, replayed.gig, replayed.stats, replayed.waves) == \
            (snap.at, snap.gig, snap.stats, snap.waves)
        assert replayed.invitations == snap.invitations
    cursor.jump(0)  # backwards refolds from the start
    assert cursor.snapshot(gig_id).invitations == expected[0].invitations
    cursor.jump_to_time(START + 599)
    assert cursor.index == 0
    assert cursor.advance_to(START + 4 * 3600) is False and cursor.at_end()
    cursor.jump_to("50%")
    assert cursor.index == 1
    cursor.jump_to("00:10")
    assert cursor.at == START + 600
    with pytest.raises(ValueError, match="frame number"):
        cursor.jump_to("soon")


def test_run_recorded_spaces_frames_and_ends_like_run(tmp_path):
    backend, gig_id = scenario(workers=300)
    recorder = Recorder(tmp_path / "run.jsonl", "scenario")
    run_recorded(backend.engine, recorder, START + 3 * 3600, every=900)
    recorder.close()
    times = [frame.at for frame in Recording.load(tmp_path / "run.jsonl").frames]
    assert times[0] == START and times[-1] == START + 3 * 3600
    assert all(b - a >= 900 for a, b in zip(times, times[1:]))
    assert backend.engine.clock == START + 3 * 3600


async def test_replay_backend_is_read_only(tmp_path):
    path = tmp_path / "run.jsonl"
    gig_id, _, _ = await record(path)
    backend = ReplayBackend(Recording.load(path))
    assert backend.context == "replay:run.jsonl" and backend.read_only
    assert [g.id for g in await backend.list_gigs()] == [gig_id]
    with pytest.raises(ReadOnlyError, match="recording"):
        await backend.accept_invitation("i2")


async def test_recorder_refuses_to_overwrite(tmp_path):
    path = tmp_path / "run.jsonl"
    path.write_text("precious\n")
    with pytest.raises(RecordingError, match="already exists"):
        Recorder(path, "local")
    assert path.read_text() == "precious\n"


async def test_truncated_last_line_is_skipped_with_a_warning(tmp_path):
    path = tmp_path / "run.jsonl"
    await record(path)
    text = path.read_text()
    path.write_text(text[: len(text) - 20])
    recording = Recording.load(path)
    assert len(recording.frames) == 2
    assert recording.warning and "run.jsonl:4" in recording.warning


@pytest.mark.parametrize("content, message", [
    ("", "empty file"),
    ('{"format": "other", "version": 1}\n',
     "run.jsonl: not a cirro-console recording: format is 'other'"),
    ('{"format": "cirro-console-recording", "version": 1, "context": "x", "recorded_at": 1}\n'
     '{"at": "soon"}\n{"at": 5}\n', "run.jsonl:2: invalid frame"),
    ('{"format": "cirro-console-recording", "version": 1, "context": "x", "recorded_at": 1}\n'
     '{"at": 5,\n{"at": 6}\n', "run.jsonl:2:"),
    ('{"format": "cirro-console-recording", "version": 1, "context": "x", "recorded_at": 1}\n',
     "no frames"),
    pytest.param("[" * 100_000 + "]" * 100_000, "run.jsonl:1: invalid JSON: nested too deeply",
                 id="nested-too-deeply"),
])
def test_broken_recordings_name_file_and_line(tmp_path, content, message):
    path = tmp_path / "run.jsonl"
    path.write_text(content)
    with pytest.raises(RecordingError, match=message):
        Recording.load(path)
