"""The journal: every operator change of a simulation, appended as one JSON line, made durable by
one writer thread with group commit (one ``fsync`` for every entry queued meanwhile).

A line is ``{"seq", "clock", "op", "args"}`` (``"failed": true`` for an operation that raised
after changing something, such as an id counter: replay repeats it the same way). Entries go to
segment files ``journal.<first seq>.jsonl``; a snapshot job runs on the same thread, in order,
so it only ever follows entries already durable, and afterwards the segments it covers are
removed (see :mod:`console.sim.store` for the sequence numbers that make this crash-safe).

Reading: a last line that is cut or damaged (the writer was killed mid-write; nobody was told it
was saved) is dropped with a warning naming the file and line; a damaged line anywhere else is
refused with :class:`StoreCorrupt`, and the file is left as it is.
"""

from __future__ import annotations

import asyncio
import errno
import json
import logging
import os
import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ConfigDict, ValidationError

from console.base_model import Model
from console.models import problems_from_validation

from .atomic import open_private
from .file_names import segment_name, segments

log = logging.getLogger(__name__)

ADVICE = ("restore it from a backup, or move it away to go on from the last snapshot "
          "(the changes it holds are then lost)")


class JournalCorrupt(ValueError):
    """A journal file that cannot be replayed; the message names the file and line."""


class JournalEntry(Model):
    model_config = ConfigDict(extra="forbid", strict=True)
    seq: int
    clock: int
    op: str
    args: dict[str, Any]
    failed: bool = False


@dataclass(frozen=True)
class Located:
    """An entry and where it was read (for messages)."""
    entry: JournalEntry
    path: Path
    line: int


def _parse(raw: bytes) -> JournalEntry:
    try:
        return JournalEntry.model_validate(json.loads(raw))
    except ValidationError as exc:
        raise ValueError("; ".join(str(p) for p in problems_from_validation(exc))) from None
    except (json.JSONDecodeError, UnicodeDecodeError, RecursionError) as exc:
        raise ValueError(str(exc)) from None


def read_entries(directory: Path, after: int, replay_after: int) -> list[Located]:
    """Every entry with ``seq > after``, in order. Those past ``replay_after`` are replayed:
    none of them may be missing. (The older ones, up to it, are only there when a snapshot
    was cut short before it removed them.)"""
    found: list[Located] = []
    previous = after
    for path in segments(directory):
        data = path.read_bytes()
        lines = data.split(b"\n")
        if not lines[-1]:
            lines.pop()  # a complete file ends with a newline
        for number, raw in enumerate(lines, start=1):
            try:
                entry = _parse(raw)
                if number == len(lines) and not data.endswith(b"\n"):
                    raise ValueError("no end of line: cut short")
            except ValueError as exc:
                if number == len(lines):
                    log.warning("%s line %d: incomplete last journal entry dropped (%s); the "
                                "process was stopped while writing it, before answering",
                                path, number, exc)
                    break
                raise JournalCorrupt(f"{path} line {number}: damaged journal entry ({exc}); it "
                                     f"was left as it is: {ADVICE}") from None
            if entry.seq <= after:
                continue
            if entry.seq != previous + 1 and (entry.seq > replay_after + 1
                                              or entry.seq <= previous):
                expected = max(previous, replay_after) + 1
                raise JournalCorrupt(f"{path} line {number}: journal entry {entry.seq} where "
                                     f"{expected} was expected (entries are missing); it was "
                                     f"left as it is: {ADVICE}")
            found.append(Located(entry, path, number))
            previous = entry.seq
    return found


def append_durably(fd: int, data: bytes) -> None:
    """Write all of ``data`` at the file's end and wait until it is on the disk."""
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]
    os.fsync(fd)


def _fsync_directory(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


# What an event loop runs once an entry is durable (``None``) or failed (the error).
Settle = Callable[[BaseException | None], None]


@dataclass(eq=False)
class Ticket:
    """Set once the writer has dealt with an entry or a job: durable, or ``error``."""
    seq: int
    size: int = 0  # bytes of the entry's line
    done: threading.Event = field(default_factory=threading.Event)
    error: BaseException | None = None
    # Set by Journal.when_durable: the loop to tell, and what it runs then.
    settle: tuple[asyncio.AbstractEventLoop, Settle] | None = None

    def wait(self) -> None:
        self.done.wait()
        if self.error is not None:
            raise self.error


def _settle_all(settles: list[Settle], error: BaseException | None) -> None:
    for settle in settles:
        settle(error)


@dataclass
class _Job:
    seq: int
    run: Callable[[], None]
    ticket: Ticket


class Journal:
    """Appends entries in the order :meth:`append` is called (the caller serialises calls)."""

    def __init__(self, directory: Path, last_seq: int) -> None:
        self.directory = directory
        self.last_seq = last_seq  # the last entry handed out
        self.durable_seq = last_seq  # the last entry on the disk
        self._queue: queue.SimpleQueue[tuple[int, bytes, Ticket] | _Job | None] = (
            queue.SimpleQueue())
        self._fd: int | None = None
        self._size = 0  # bytes of the open segment known durable
        self._failed: BaseException | None = None
        self._idle = threading.Condition()
        self._pending = 0
        self._thread = threading.Thread(target=self._write_loop, name="journal", daemon=True)
        self._thread.start()

    # Called under the simulation's lock ---------------------------------------------------------
    def append(self, clock: int, op: str, args: dict[str, Any], failed: bool = False) -> Ticket:
        self.last_seq += 1
        record: dict[str, Any] = {"seq": self.last_seq, "clock": clock, "op": op, "args": args}
        if failed:
            record["failed"] = True
        line = json.dumps(record, separators=(",", ":"), ensure_ascii=False).encode() + b"\n"
        ticket = Ticket(self.last_seq, len(line))
        self._put((self.last_seq, line, ticket))
        return ticket

    def after_durable(self, run: Callable[[], None]) -> Ticket:
        """Run ``run`` on the writer thread once every entry appended so far is durable, then
        start a new segment and remove the older ones (``run`` wrote a snapshot of them)."""
        ticket = Ticket(self.last_seq)
        self._put(_Job(self.last_seq, run, ticket))
        return ticket

    def when_durable(self, ticket: Ticket, loop: asyncio.AbstractEventLoop,
                     settle: Settle) -> None:
        """Run ``settle(error)`` on ``loop`` once ``ticket``'s entry is durable (or failed): no
        thread waits for it, and every waiter of one fsync on a loop is woken by one call."""
        with self._idle:
            if not ticket.done.is_set():
                ticket.settle = (loop, settle)
                return
        loop.call_soon_threadsafe(settle, ticket.error)

    @property
    def failed(self) -> bool:
        return self._failed is not None

    def reset(self) -> None:
        """After a failure, once the simulation is back to what the files hold: go on after
        the last durable entry, in a new segment."""
        self.drain()
        self._failed = None
        self.last_seq = self.durable_seq

    def drain(self) -> None:
        with self._idle:
            self._idle.wait_for(lambda: self._pending == 0)

    def close(self) -> None:
        self.drain()
        self._queue.put(None)
        self._thread.join()
        self._close_segment()

    def _put(self, item: tuple[int, bytes, Ticket] | _Job) -> None:
        with self._idle:
            self._pending += 1
        self._queue.put(item)

    # The writer thread ----------------------------------------------------------------------
    def _write_loop(self) -> None:
        while True:
            item = self._queue.get()
            if item is None:
                return
            batch = [item]
            while True:  # group commit: everything queued meanwhile goes with one fsync
                try:
                    more = self._queue.get_nowait()
                except queue.Empty:
                    break
                if more is None:
                    self._queue.put(None)
                    break
                batch.append(more)
            entries: list[tuple[int, bytes, Ticket]] = []
            for part in batch:
                if isinstance(part, _Job):
                    self._write(entries)
                    entries = []
                    self._run_job(part)
                else:
                    entries.append(part)
            self._write(entries)
            with self._idle:
                self._pending -= len(batch)
                self._idle.notify_all()

    def _write(self, entries: list[tuple[int, bytes, Ticket]]) -> None:
        if not entries:
            return
        error = self._failed
        if error is None:
            try:
                if self._fd is None:
                    self._open_segment(entries[0][0])
                assert self._fd is not None
                data = b"".join(line for _, line, _ in entries)
                append_durably(self._fd, data)
                self._size += len(data)
                self.durable_seq = entries[-1][0]
            except Exception as exc:
                # Whatever went wrong, the waiting callers must hear of it (and undo), not hang.
                error = exc if isinstance(exc, OSError) else OSError(errno.EIO, repr(exc))
                self._fail(error)
        with self._idle:  # against when_durable: a ticket is either settled here or there
            waiting: dict[asyncio.AbstractEventLoop, list[Settle]] = {}
            for _, _, ticket in entries:
                ticket.error = error
                ticket.done.set()
                if ticket.settle is not None:
                    loop, settle = ticket.settle
                    waiting.setdefault(loop, []).append(settle)
        for loop, settles in waiting.items():
            try:
                loop.call_soon_threadsafe(_settle_all, settles, error)
            except RuntimeError:  # that loop was closed: nobody is waiting there any more
                pass

    def _fail(self, exc: BaseException) -> None:
        """Nothing after a failed write may reach the file: the changes after it build on the
        one that failed (to be undone), so they fail with its error until :meth:`reset`."""
        self._failed = exc
        if self._fd is not None:
            try:
                # What a failed write left (part of a line) must not be read back as saved.
                os.ftruncate(self._fd, self._size)
                os.fsync(self._fd)
            except OSError:
                log.exception("journal: cannot cut back what a failed write left")
        self._close_segment()

    def _run_job(self, job: _Job) -> None:
        if self._failed is not None:
            job.ticket.error = self._failed
        else:
            try:
                job.run()
                old = segments(self.directory)
                self._close_segment()
                for path in old:
                    path.unlink(missing_ok=True)
            except Exception as exc:
                job.ticket.error = exc
        job.ticket.done.set()

    def _open_segment(self, first_seq: int) -> None:
        path = self.directory / segment_name(first_seq)
        # A file of that name can only hold what was never saved (a line cut by a kill):
        # every entry from first_seq on is new.
        self._fd = open_private(path, os.O_WRONLY | os.O_APPEND | os.O_TRUNC)
        self._size = 0
        _fsync_directory(self.directory)  # the new file's name must survive a crash too

    def _close_segment(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None
            self._size = 0
