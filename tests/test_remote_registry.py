"""The registry of a remote context: known gigs, discovery cursor, and the wave history folded
from invitation polls."""

from __future__ import annotations

import pytest

from console.models import GigInvitation
from console.remote.registry import GigRegistry, RegistryError


def inv(i: str, status: str = "pending", gig: str = "g1") -> GigInvitation:
    return GigInvitation(id=i, status=status, gig_id=gig, user_id=f"u{i}")


def test_known_gigs_sources_and_missing(tmp_path):
    registry = GigRegistry(tmp_path / "ctx" / "registry.json")
    assert registry.add(["1", "2", "1"], "discovered", 100) == ["1", "2"]
    assert registry.add(["2", "3"], "created", 101) == ["3"]
    registry.mark_missing(["2"])
    assert [k.id for k in registry.known()] == ["1", "3"]
    assert registry.add(["2"], "discovered", 102) == []
    assert [k.id for k in registry.known()] == ["1", "3"]  # discovery does not revive
    registry.add(["2"], "tracked", 103)
    assert [(k.id, k.source) for k in registry.known()] == [
        ("1", "discovered"), ("2", "discovered"), ("3", "created")]


def test_cursor_round_trip(tmp_path):
    registry = GigRegistry(tmp_path / "registry.json")
    assert registry.cursor() is None
    registry.set_cursor("42")
    assert GigRegistry(tmp_path / "registry.json").cursor() == "42"


def test_polls_become_waves(tmp_path):
    registry = GigRegistry(tmp_path / "registry.json")
    registry.record_poll("g1", 1000, [inv("1"), inv("2")])            # already out: wave 0
    registry.record_poll("g1", 1010, [inv("1"), inv("2")])            # nothing new
    registry.record_poll("g1", 1300, [inv("1", "accepted"), inv("2"), inv("3"), inv("4")])
    registry.record_poll("g1", 1600, [inv("1", "accepted"), inv("2", "rejected"), inv("3"),
                                      inv("4", "expired"), inv("5")])
    waves = registry.waves("g1")
    assert [(w.n, w.at, w.invited, w.accepted, w.rejected, w.expired, w.pending) for w in waves] == [
        (0, 1000, 2, 1, 1, 0, 0), (1, 1300, 2, 0, 0, 1, 1), (2, 1600, 1, 0, 0, 0, 1)]
    annotated = {i.id: i for i in registry.annotate([inv("1", "accepted", "g1"), inv("3"),
                                                     inv("9", gig="g2")])}
    assert (annotated["1"].wave, annotated["1"].invited_at, annotated["1"].responded_at) == (
        0, None, 1300)
    assert (annotated["3"].wave, annotated["3"].invited_at, annotated["3"].responded_at) == (
        1, 1300, None)
    assert annotated["9"].wave is None
    assert registry.waves("g2") == []


def test_corrupt_file_is_reported_and_left_alone(tmp_path):
    path = tmp_path / "registry.json"
    path.write_text('{"gigs": {"1": ')
    with pytest.raises(RegistryError, match=r"registry\.json is corrupt \(line 1 column 16: Expecting value\)"):
        GigRegistry(path).known()
    assert path.read_text() == '{"gigs": {"1": '
