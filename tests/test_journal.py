"""The simulation's journal on disk: acknowledged changes come back after a stop without a
snapshot, a cut last line is dropped with a warning, a damaged line before the end is refused,
snapshots remove the journal they hold, and a snapshot cut short is repaired."""

from __future__ import annotations

import asyncio
import errno
import json
import logging
import os
import threading
import time

import pytest

from console.backends import BackendError
from console.backends.local import LocalBackend
from console.models import GigUpdate, InvitationStatus
from console.sim import journal, persistence, store
from console.sim.journal import segments


def stopped(backend: LocalBackend) -> None:
    """As if killed: the journal's thread ends, the lock goes, and no snapshot is written."""
    backend.host.persistence.close()
    backend.store.close()


def state(backend: LocalBackend) -> tuple:
    engine = backend.engine
    return engine.snapshot(), [dict(r) for r in engine.population.records]


async def changed(sim) -> LocalBackend:
    """A small demo with a few changes of every kind since its last snapshot."""
    backend = LocalBackend.open(sim, workers=60)
    gig = (await backend.list_gigs())[-1]
    await backend.update_gig(gig.id, GigUpdate(title="Journaled title"))
    pending = [i for i in backend.engine.invitations.values() if i.status is InvitationStatus.PENDING]
    await backend.reject_invitation(pending[0].id)
    await backend.upsert_worker_document("3", {"status": "active", "note": "journaled"})
    await backend.simulation.advance_to(backend.engine.clock + 3600)
    await backend.accept_invitation(pending[1].id)
    return backend


async def test_changes_since_the_snapshot_come_back_from_the_journal(tmp_path):
    backend = await changed(tmp_path / "sim")
    expected = state(backend)
    stopped(backend)
    assert segments(tmp_path / "sim")
    reopened = LocalBackend.open(tmp_path / "sim")
    try:
        assert state(reopened) == expected
        # Opening made them a snapshot: the journal is gone, the state the same.
        assert not segments(tmp_path / "sim")
    finally:
        await reopened.close()
    again = LocalBackend.open(tmp_path / "sim")
    assert state(again) == expected
    await again.close()


async def test_a_cut_last_line_is_dropped_with_a_warning(tmp_path, caplog):
    backend = await changed(tmp_path / "sim")
    stopped(backend)
    (last,) = segments(tmp_path / "sim")
    lines = last.read_bytes().count(b"\n")
    with open(last, "ab") as handle:
        handle.write(b'{"seq": 99, "clock": 17')  # killed mid-write
    caplog.set_level(logging.WARNING)
    reopened = LocalBackend.open(tmp_path / "sim")
    await reopened.close()
    assert f"{last} line {lines + 1}: incomplete last journal entry dropped" in caplog.text
    assert (await _title(tmp_path / "sim")) == "Journaled title"


async def _title(sim) -> str:
    backend = LocalBackend.open(sim)
    try:
        return (await backend.list_gigs())[-1].title
    finally:
        await backend.close()


@pytest.mark.parametrize("damage", [b"{not json}\n", b'{"seq": "two"}\n'])
async def test_a_damaged_line_before_the_end_is_refused(tmp_path, damage):
    backend = await changed(tmp_path / "sim")
    stopped(backend)
    (last,) = segments(tmp_path / "sim")
    lines = last.read_bytes().splitlines(keepends=True)
    last.write_bytes(lines[0] + damage + b"".join(lines[1:]))
    before = last.read_bytes()
    with pytest.raises(BackendError) as refused:
        LocalBackend.open(tmp_path / "sim")
    assert f"{last} line 2: damaged journal entry" in refused.value.message
    assert last.read_bytes() == before


async def test_a_missing_entry_is_refused(tmp_path):
    backend = await changed(tmp_path / "sim")
    stopped(backend)
    (last,) = segments(tmp_path / "sim")
    lines = last.read_bytes().splitlines(keepends=True)
    last.write_bytes(lines[0] + b"".join(lines[2:]))
    with pytest.raises(BackendError, match=rf"{last} line 2: journal entry \d+ where \d+ was "
                                           "expected"):
        LocalBackend.open(tmp_path / "sim")


async def test_snapshots_remove_the_journal_they_hold(tmp_path, monkeypatch):
    monkeypatch.setattr(persistence, "SNAPSHOT_EVERY", 3)
    backend = LocalBackend.open(tmp_path / "sim", workers=60)
    gig = (await backend.list_gigs())[-1]
    for n in range(4):
        await backend.update_gig(gig.id, GigUpdate(title=f"title {n}"))
    backend.host.persistence.drain()
    saved = json.loads((tmp_path / "sim" / "state.json").read_text())
    assert saved["journal"]["1"]["seq"] == 3  # the snapshot after the third change
    (left,) = segments(tmp_path / "sim")
    assert [json.loads(line)["seq"] for line in left.read_text().splitlines()] == [4]
    expected = state(backend)
    stopped(backend)
    reopened = LocalBackend.open(tmp_path / "sim")
    assert state(reopened) == expected
    await reopened.close()


async def test_a_snapshot_cut_short_before_the_population_is_repaired(tmp_path, monkeypatch):
    backend = await changed(tmp_path / "sim")
    expected = state(backend)
    written = store.write_bytes_atomically

    def killed_before_population(path, data):
        if path.name == store.POPULATION_FILE:
            raise OSError(errno.EIO, os.strerror(errno.EIO))
        written(path, data)

    monkeypatch.setattr(store, "write_bytes_atomically", killed_before_population)
    with pytest.raises(BackendError, match="not saved"):
        await backend.close()
    monkeypatch.undo()
    # The state holds every change, the population file none: the journal is still there.
    assert json.loads((tmp_path / "sim" / "state.json").read_text())["journal"]["1"]["seq"] == 4
    assert "journaled" not in (tmp_path / "sim" / "population.json").read_text()
    reopened = LocalBackend.open(tmp_path / "sim")
    try:
        assert state(reopened) == expected
    finally:
        await reopened.close()
    assert "journaled" in (tmp_path / "sim" / "population.json").read_text()


async def test_a_change_queued_behind_one_that_failed_is_undone_too(tmp_path, monkeypatch):
    backend = LocalBackend.open(tmp_path / "sim", workers=60)
    gig = (await backend.list_gigs())[-1]
    disk = threading.Event()

    def full(fd, data):
        disk.wait(10)  # the disk is slow, then full
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(journal, "append_durably", full)
    answers: list[str] = []

    async def change(update: GigUpdate) -> None:
        try:
            await backend.update_gig(gig.id, update)
            answers.append("saved")
        except BackendError as exc:
            answers.append(exc.message)

    first = asyncio.create_task(change(GigUpdate(title="First")))
    await until(lambda: backend.host.persistence.journal.last_seq == 1)
    # Applied on top of the first, queued behind its write.
    second = asyncio.create_task(change(GigUpdate(description="Second")))
    await until(lambda: backend.host.persistence.journal.last_seq == 2)
    disk.set()
    await asyncio.wait_for(asyncio.gather(first, second), 10)
    assert len(answers) == 2 and all("not saved" in a and "undone" in a for a in answers)
    assert (await backend.get_gig(gig.id)).title == gig.title
    assert (await backend.get_gig(gig.id)).description == gig.description
    monkeypatch.undo()
    await backend.update_gig(gig.id, GigUpdate(title="Third"))  # the journal goes on
    stopped(backend)
    reopened = LocalBackend.open(tmp_path / "sim")
    assert (await reopened.get_gig(gig.id)).title == "Third"
    assert (await reopened.get_gig(gig.id)).description == gig.description
    await reopened.close()


async def until(condition, seconds: float = 10) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        await asyncio.sleep(0.005)


async def test_writes_waiting_for_a_slow_disk_hold_no_thread_and_answer_only_once_durable(
        tmp_path, monkeypatch):
    """Writes waiting for their fsync used to hold a default-executor thread each (six on two
    cores): past six, every other ``to_thread`` of the process waited for the disk too."""
    backend = LocalBackend.open(tmp_path / "sim", workers=60)
    scheduled = ("7", "8")  # the demo's gigs that have not started: any field may change
    disk = threading.Event()
    real = journal.append_durably

    def slow(fd, data):
        disk.wait(20)
        real(fd, data)

    monkeypatch.setattr(journal, "append_durably", slow)
    writes = [asyncio.create_task(backend.update_gig(scheduled[n % 2],
                                                     GigUpdate(description=f"slow {n}")))
              for n in range(12)]
    try:
        await until(lambda: backend.host.persistence.journal.last_seq >= 12)
        assert await asyncio.wait_for(asyncio.to_thread(lambda: "free"), 5) == "free"
        assert not any(write.done() for write in writes)  # nothing answered before the disk
    finally:
        disk.set()
    await asyncio.wait_for(asyncio.gather(*writes), 10)
    stopped(backend)
    reopened = LocalBackend.open(tmp_path / "sim")
    assert [(await reopened.get_gig(gig_id)).description for gig_id in scheduled] == [
        "slow 10", "slow 11"]
    await reopened.close()
