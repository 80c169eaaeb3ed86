from console.monitor.events import EventKind, diff_snapshots
from console.monitor.snapshot import history

from .helpers import START, invitation, snapshot


def test_first_snapshot_reports_the_waves_so_far():
    events = diff_snapshots(None, snapshot(START + 700, [invitation(1)], waves=2))
    assert [(e.kind, e.text) for e in events] == [
        (EventKind.WAVE, "wave 1 invited 1 worker"), (EventKind.WAVE, "wave 2 invited 1 worker")]


def test_responses_resets_edits_and_grouped_expiries():
    before = snapshot(START + 10, [invitation(n) for n in range(1, 5)] + [invitation(5, "accepted")])
    after = snapshot(
        START + 100,
        [invitation(1, "accepted", responded_at=START + 50), invitation(2, "rejected", responded_at=START + 60),
         invitation(3, "expired", responded_at=START + 90), invitation(4, "expired", responded_at=START + 90),
         invitation(5, "pending"), invitation(6, wave=None)],
        waves=2, seats_max=9)
    lines = [(e.at - START, e.kind, e.text) for e in diff_snapshots(before, after)]
    assert lines == [
        (50, EventKind.RESPONSE, "u1 accepted (wave 1)"),
        (60, EventKind.RESPONSE, "u2 rejected (wave 1)"),
        (90, EventKind.EXPIRY, "2 pending invitations expired"),
        (100, EventKind.EDIT, "seats_max: 5 -> 9"),
        (100, EventKind.RESET, "u5 reset to pending (wave 1)"),
        (100, EventKind.INVITE, "1 worker invited manually"),
        (600, EventKind.WAVE, "wave 2 invited 6 workers"),
    ]


def test_history_from_invitation_timestamps():
    invs = {i.id: i for i in [invitation(1, "accepted", responded_at=START + 50),
                              invitation(2, "rejected", responded_at=START + 60), invitation(3)]}
    samples = history(invs, START + 100)
    assert [(s.at - START, s.accepted, s.pending) for s in samples] == [
        (0, 0, 3), (50, 1, 2), (60, 1, 1)]
