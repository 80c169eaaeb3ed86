from console.monitor.model import GigMonitor, waves_per_hour

from .helpers import START, invitation, snapshot


def test_monitor_keeps_log_history_and_countdown():
    monitor = GigMonitor("g1")
    first = snapshot(START + 100, [invitation(1), invitation(2)])
    first.stats.next_wave_at = START + 600
    monitor.update(first)
    assert monitor.countdown().seconds == 500
    assert [e.text for e in monitor.events] == ["wave 1 invited 2 workers"]
    second = snapshot(START + 200, [invitation(1, "accepted", responded_at=START + 150),
                                    invitation(2, "rejected", responded_at=START + 160)])
    monitor.update(second)
    assert [(s.accepted, s.pending) for s in monitor.samples] == [(0, 2), (1, 0)]
    assert monitor.seats().accepted == 1
    assert [e.text for e in monitor.events][1:] == ["u1 accepted (wave 1)", "u2 rejected (wave 1)"]


def test_going_back_in_time_starts_over():
    monitor = GigMonitor("g1")
    monitor.update(snapshot(START + 500, [invitation(1)]))
    monitor.update(snapshot(START + 100, [invitation(1)]))
    assert len(monitor.events) == 1 and monitor.snapshot.at == START + 100


def test_waves_per_hour_counts_the_last_hour_only():
    assert waves_per_hour([0, 100, 3599, 3600, 7000], 3600) == 3


def test_a_feed_replaces_diffing_and_an_unchanged_reading_changes_nothing():
    from console.monitor.events import EventKind, MonitorEvent
    from console.monitor.feed import feed_events

    monitor = GigMonitor("g1")
    first = snapshot(START + 100, [invitation(1)])
    monitor.update(first, feed=[])
    assert list(monitor.events) == [] and set(monitor.invitations) == {"i1"}
    version = monitor.version
    same = snapshot(START + 100, list(first.invitations.values()))
    assert monitor.update(same, feed=[]) == [] and monitor.version == version
    entries = [{"seq": 1, "at": START + 150, "kind": "accepted", "gig_id": "g1",
                "message": "user u1 accepted"},
               {"seq": 2, "at": START + 160, "kind": "accepted", "gig_id": "other",
                "message": "user u9 accepted"},
               {"seq": 3, "at": START + 170, "kind": "worker_updated", "gig_id": None,
                "message": "worker 4 document updated"}]
    later = snapshot(START + 200, [invitation(1, "accepted", responded_at=START + 150)])
    monitor.update(later, feed=feed_events(entries, "g1"))
    assert list(monitor.events) == [MonitorEvent(START + 150, EventKind.RESPONSE, "g1",
                                                 "user u1 accepted")]
    assert monitor.version == version + 1 and monitor.snapshot.stats.accepted == 1
