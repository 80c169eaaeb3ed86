import json

import pytest

from console.backends.errors import ReadOnlyError
from console.monitor.recording import Recorder, RecordingError
from console.monitor.replay import Recording, ReplayBackend, ReplayCursor

from .helpers import START, invitation, snapshot


class ScriptedBackend:
    """Serves one hand-made snapshot at a time: the read half of the Backend protocol."""

    def __init__(self, snap):
        self.snap = snap

    async def now(self):
        return self.snap.at

    async def list_gigs(self):
        return [self.snap.gig]

    async def get_gig(self, gig_id):
        return self.snap.gig

    async def gig_stats(self, gig_id):
        return self.snap.stats

    async def waves(self, gig_id):
        return self.snap.waves

    async def list_invitations(self, query):
        return list(self.snap.invitations.values())


SNAPS = [
    snapshot(START, [invitation(n) for n in range(1, 4)]),
    snapshot(START + 60, [invitation(1, "accepted", responded_at=START + 30), invitation(2), invitation(3)]),
    snapshot(START + 120, [invitation(1, "accepted", responded_at=START + 30), invitation(2),
                           invitation(3)]),  # nothing changed: no frame
    snapshot(START + 600, [invitation(1, "accepted", responded_at=START + 30), invitation(2),
                           invitation(3), invitation(4, wave=2)], waves=2, seats_min=4),
]


async def record(path):
    backend = ScriptedBackend(SNAPS[0])
    recorder = Recorder(path, "local")
    written = []
    for snap in SNAPS:
        backend.snap = snap
        written.append(await recorder.capture(backend))
    recorder.close()
    return written


async def test_a_run_records_only_changes_and_replays_each_moment(tmp_path):
    path = tmp_path / "run.jsonl"
    assert await record(path) == [True, True, False, True]
    lines = path.read_text().splitlines()
    assert json.loads(lines[0])["format"] == "cirro-console-recording"
    second = json.loads(lines[2])
    assert [i["id"] for i in second["gigs"]["g1"]["invitations"]] == ["i1"]  # only the change
    assert "gig" not in second["gigs"]["g1"]

    cursor = ReplayCursor(Recording.load(path))
    assert cursor.last == 2
    for index, snap in zip(range(3), [SNAPS[0], SNAPS[1], SNAPS[3]]):
        cursor.jump(index)
        replayed = cursor.snapshot("g1")
        assert (replayed.at, replayed.gig, replayed.stats, replayed.waves) == \
            (snap.at, snap.gig, snap.stats, snap.waves)
        assert replayed.invitations == snap.invitations
    cursor.jump(0)  # backwards refolds from the start
    assert cursor.snapshot("g1").invitations == SNAPS[0].invitations
    cursor.jump_to_time(START + 599)
    assert cursor.index == 1
    assert cursor.advance_to(START + 600) is False and cursor.at_end()


async def test_replay_backend_is_read_only(tmp_path):
    path = tmp_path / "run.jsonl"
    await record(path)
    backend = ReplayBackend(Recording.load(path))
    assert backend.context == "replay:run.jsonl" and backend.read_only
    assert [g.id for g in await backend.list_gigs()] == ["g1"]
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
    ('{"format": "other", "version": 1}\n', "run.jsonl:1: invalid header"),
    ('{"format": "cirro-console-recording", "version": 1, "context": "x", "recorded_at": 1}\n'
     '{"at": "soon"}\n{"at": 5}\n', "run.jsonl:2: invalid frame"),
    ('{"format": "cirro-console-recording", "version": 1, "context": "x", "recorded_at": 1}\n'
     '{"at": 5,\n{"at": 6}\n', "run.jsonl:2:"),
    ('{"format": "cirro-console-recording", "version": 1, "context": "x", "recorded_at": 1}\n',
     "no frames"),
])
def test_broken_recordings_name_file_and_line(tmp_path, content, message):
    path = tmp_path / "run.jsonl"
    path.write_text(content)
    with pytest.raises(RecordingError, match=message):
        Recording.load(path)
