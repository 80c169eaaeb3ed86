"""When a simulation's changes reach its files: the one place that decides.

- An operator's change (an :class:`~console.sim.operations.Operation`) is applied and appended to
  the journal under the caller's lock (so the journal's order is the order of application); the
  caller then waits, outside the lock, for its :class:`~console.sim.journal.Ticket`: the answer
  goes out once the entry is on the disk. Waiting writers share one fsync (group commit).
- A snapshot (the whole state, as ``state.json``) is encoded under the lock and written by the
  journal's thread: once the journal since the last one is as large as that snapshot (and at
  least ``SNAPSHOT_EVERY`` entries long), so snapshots cost about what the journal does whatever
  the simulation's size; after time advances (throttled, as before the journal); and on close
  (then waited for). Writing it holds nobody's lock; encoding it holds the lock (for the demo
  ~25 ms quiet; json.dumps holds the GIL, so another thread would not let reads go meanwhile).

The caller serialises the calls: the simulation host's thread (console/sim/host.py) makes them all.
"""

from __future__ import annotations

import logging
from typing import Any

from console.models.storable import DocumentError, check_text

from .engine import Engine
from .errors import RuleError
from .journal import Journal, Ticket, segments
from .operations import Operation
from .store import SIMULATION_ERRORS, SimStore, Snapshot

log = logging.getLogger(__name__)

# The fewest entries between snapshots (replaying a few thousand on opening takes about a second).
SNAPSHOT_EVERY = 1000


def _fingerprint(engine: Engine) -> tuple[Any, ...]:
    """What a failing operation may have changed before it raised (an id counter, a topic)."""
    return engine.version, tuple(engine.ids.items()), len(engine.topics)


class Persistence:
    """A simulation's persistence policy; with ``store`` None (or read-only) it keeps nothing."""

    def __init__(self, store: SimStore | None, read_only: bool = False) -> None:
        self.store = None if store is None or read_only else store
        self.journal = None if self.store is None else Journal(self.store.directory,
                                                               self.store.last_seq)
        self._since_snapshot = 0
        self._bytes_since_snapshot = 0
        self._snapshot_size = 0
        self._snapshot: Ticket | None = None

    def open(self, engine: Engine) -> None:
        """After opening: a journal left by a stopped process goes into a snapshot (best effort:
        the journal stays valid if that cannot be written)."""
        if self.store is None or not segments(self.store.directory):
            return
        try:
            store, snapshot = self.store, self.store.snapshot(engine, self.store.last_seq)
            self._journal().after_durable(lambda: store.write_snapshot(snapshot)).wait()
        except OSError as exc:
            log.warning("%s: snapshot after replaying the journal not written: %s",
                        self.store.directory, exc)

    def apply(self, engine: Engine, op: Operation) -> tuple[Any, Ticket | None]:
        """Apply ``op`` and journal it; the answer, and the ticket to wait for (None: nothing to
        wait for). A failing operation that changed something is journaled too (not waited
        for): replay then fails it the same way."""
        try:
            # Before it applies: a lone surrogate in a plain text field (a user's name) would be
            # applied, then fail the journal's write, and the next snapshot would save it.
            check_text(op.to_json())
        except DocumentError as exc:
            raise RuleError(str(exc)) from None
        except ValueError:
            pass  # too deep, or a key that cannot be dumped: the engine's checks name the field
        if self.journal is None:
            return op.apply(engine), None
        before = _fingerprint(engine)
        try:
            result = op.apply(engine)
        except SIMULATION_ERRORS:
            if _fingerprint(engine) != before:
                self.journal.append(engine.clock, op.name, op.to_json(), failed=True)
            raise
        ticket = self.journal.append(engine.clock, op.name, op.to_json())
        self._since_snapshot += 1
        self._bytes_since_snapshot += ticket.size
        if (self._since_snapshot >= SNAPSHOT_EVERY
                and self._bytes_since_snapshot >= self._snapshot_size):
            self._snapshot_later(engine)
        return result, ticket

    @property
    def failed(self) -> bool:
        """A journal write failed: the simulation must go back to what its files hold."""
        return self.journal is not None and self.journal.failed

    def recovered(self) -> None:
        """Call once the engine was reloaded from the files after :attr:`failed`."""
        assert self.journal is not None and self.store is not None
        self.journal.reset()
        self._since_snapshot = self.journal.last_seq - self.store.state_seq

    def drain(self) -> None:
        """Wait until the journal's thread has dealt with everything queued (before a reload)."""
        if self.journal is not None:
            self.journal.drain()

    def advanced(self, engine: Engine, min_interval: float) -> None:
        """The clock moved: a snapshot now and then, so a restart does not go back far. Raises
        the error of the previous such snapshot, if it failed (once)."""
        if self.store is None:
            return
        previous = self._snapshot
        if previous is not None and previous.done.is_set() and previous.error is not None:
            self._snapshot = None
            raise previous.error
        if self.store.due(engine, min_interval):
            self._snapshot_later(engine)

    def _snapshot_later(self, engine: Engine) -> None:
        assert self.journal is not None and self.store is not None
        if self._snapshot is not None and not self._snapshot.done.is_set():
            return  # one at a time: the next trigger comes soon enough
        store, snapshot = self.store, self.store.snapshot(engine, self.journal.last_seq)
        self._snapshot = self.journal.after_durable(lambda: store.write_snapshot(snapshot))
        self._taken(snapshot)

    def _taken(self, snapshot: Snapshot) -> None:
        self._since_snapshot = self._bytes_since_snapshot = 0
        self._snapshot_size = len(snapshot.state)

    def checkpoint(self, engine: Engine) -> None:
        """A snapshot now, waited for (closing, or the engine was replaced whole)."""
        if self.store is None:
            return
        assert self.journal is not None
        if not self.store.due(engine) and self.journal.last_seq == self.store.state_seq:
            return
        store, snapshot = self.store, self.store.snapshot(engine, self.journal.last_seq)
        self._taken(snapshot)
        self.journal.after_durable(lambda: store.write_snapshot(snapshot)).wait()

    def _journal(self) -> Journal:
        assert self.journal is not None
        return self.journal

    def close(self) -> None:
        if self.journal is not None:
            self.journal.close()
