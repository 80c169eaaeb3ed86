"""The simulation's files, in one directory, one writer.

- ``population.json``: the workers (TinyDB format, table ``workers``), read-mostly, rewritten
  only by a snapshot after a worker document changed. Beside it (from :data:`COLUMNS_FROM`
  workers), ``population.json.columns``: the same workers as a columnar file
  (:mod:`console.sim.population_file`, with the file's journal number), written after it (on
  a thread of its own, :mod:`console.sim.columns_writer`) and read instead of it when current,
  so opening a large simulation builds no dict per worker. One that is stale or damaged is
  named in the log and rebuilt from the JSON, which stays the source of truth and is never
  touched.
- ``state.json``: gigs, invitations, queued responses, the event feed and the clock (one table
  each), the last snapshot of the state, written whole and atomically (temp file + rename).
- ``journal.<seq>.jsonl``: the operator's changes since that snapshot (:mod:`console.sim.journal`);
  opening replays them over it.
- ``.lock``: held with ``flock`` by the one process allowed to write; the kernel releases it when
  that process dies, even by SIGKILL. The holder removes the temp files a killed writer left.

Both snapshot files carry, in a table ``journal``, the sequence number of the last journal entry
they hold. A snapshot writes the state first, then the population (when it changed), then
removes the journal segments; a crash between any two steps is repaired on opening: entries up to
the state's number are not applied again, and those the population file lacks (the population's
number is lower) give it their change of workers. A file that does not parse is reported by name
and left untouched: nothing is written once a read has failed.
"""

from __future__ import annotations

import fcntl
import logging
import os
import time
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypedDict

from pydantic import ValidationError
from tinydb.storages import Storage

from console.gig_facts import gig_facts
from console.models import problems_from_validation
from console.mql import MQLError
from console.waves import SettingError

from .atomic import leftover_temp_files, open_private, write_bytes_atomically
from .columns_writer import ColumnsWriter
from .engine import Engine
from .errors import NotFoundError, RuleError
from .file_names import STATE_FILE, SUMMARY_FILE
from .gig_summary import encode_summary
from .journal import JournalCorrupt, Located, read_entries
from .operations import OPERATIONS, Operation
from .population import (
    COLUMNS_SUFFIX,
    Population,
    PopulationError,
    Record,
    WellFormed,
    columnar_path,
    decode_json,
    encode_json,
    gc_paused,
    population_from_json,
)
from .ranking import QueryCompiler

if TYPE_CHECKING:
    from .population_file import ColumnarFile

POPULATION_FILE = "population.json"
LOCK_FILE = ".lock"
STATE_TABLES = ("meta", "gigs", "invitations", "queue", "events")
WORKERS_TABLE = "workers"
JOURNAL_TABLE = "journal"  # {"1": {"seq": the last journal entry the file holds}}
JOURNAL_SEQ = "journal_seq"  # the same number in the population's columnar file's meta
# Workers from which the population gets a columnar file: below, its JSON reads in ~0.1 s (the
# demo's 5,000 in ~10 ms) and a columnar file would cost its writing, and a data directory
# copied elsewhere (a new inode: stale) its rebuilding, more than it saves.
COLUMNS_FROM = 50_000
logger = logging.getLogger(__name__)
# What an operation may raise live; replay expects the same outcome.
SIMULATION_ERRORS = (NotFoundError, RuleError, SettingError, MQLError)


class StoreError(Exception):
    """A simulation file that cannot be used; the message names the file."""


class StoreLocked(StoreError):
    pass


class StoreCorrupt(StoreError):
    pass


class AtomicJSONStorage(Storage):
    """TinyDB storage whose writes replace the file atomically and whose reads refuse damage."""

    def __init__(self, path: str | Path, read_only: bool = False, advice: str = "") -> None:
        self.path = Path(path)
        self.read_only = read_only
        # What the operator can do about a damaged file without losing data.
        self.advice = advice

    def read(self) -> dict[str, dict[str, Any]] | None:
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise StoreError(f"{self.path}: cannot read: {exc.strerror or exc}") from None
        try:
            with gc_paused():
                data, _ = decode_json(raw)
        except ValueError as exc:
            raise StoreCorrupt(
                f"{self.path}: damaged or truncated simulation file ({exc}); it was left as it is: "
                f"{self.advice}"
            ) from None
        if not isinstance(data, dict) or not all(isinstance(t, dict) for t in data.values()):
            raise StoreCorrupt(f"{self.path}: not a TinyDB database (expected an object of tables); "
                               f"it was left as it is: {self.advice}")
        return data

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        if self.read_only:
            raise StoreError(f"{self.path}: opened read-only")
        write_bytes_atomically(self.path, encode_json(data))

    def close(self) -> None:
        pass


class _PopulationFile(TypedDict, total=False):
    """The population file's shape, checked while it is decoded (see ``WellFormed``)."""

    workers: dict[str, WellFormed]
    journal: dict[str, dict[str, Any]]


def _tables(tables: dict[str, list[dict[str, Any]]], seq: int) -> dict[str, dict[str, Any]]:
    """TinyDB's file format: each table an object of documents by id (from 1)."""
    data = {name: {str(i): doc for i, doc in enumerate(docs, start=1)}
            for name, docs in tables.items()}
    data[JOURNAL_TABLE] = {"1": {"seq": seq}}
    return data


def _check_journal_seq(file: ColumnarFile) -> None:
    """A columnar file of the store's population says which journal entry it holds."""
    from .population_file import ColumnarFileError

    seq = file.meta.get(JOURNAL_SEQ)
    if not isinstance(seq, int) or isinstance(seq, bool) or seq < 0:
        raise ColumnarFileError(f"{file.path}: no journal number (written by another program?)")


def _journal_seq(tables: dict[str, dict[str, Any]]) -> int:
    """The last journal entry a file holds; files from before the journal hold none."""
    row = tables.get(JOURNAL_TABLE, {}).get("1", {})
    seq = row.get("seq", 0) if isinstance(row, dict) else None
    if not isinstance(seq, int) or isinstance(seq, bool) or seq < 0:
        raise ValueError(f"{JOURNAL_TABLE}: seq must be a whole number, not {seq!r}")
    return seq


@dataclass(frozen=True)
class Snapshot:
    """A simulation's files' content at one journal entry, encoded (under the simulation's
    lock) so that writing it can happen anywhere while the simulation goes on."""
    seq: int
    version: int
    population_version: int
    state: bytes
    population: bytes | None  # None: the population file is up to date
    summary: bytes  # the gig list's rows of ``state`` (console/sim/gig_summary.py)
    encoding: float  # wall seconds spent encoding it
    # The records ``population`` encodes, for its columnar file: a list of its own, and records
    # are replaced, never changed in place (Population.upsert), so the simulation going on
    # changes neither.
    records: list[Record] | None = None


def _reason(exc: BaseException) -> str:
    """What is wrong, in a phrase: pydantic problems with their field paths, OS errors' text."""
    if isinstance(exc, ValidationError):
        return "; ".join(str(p) for p in problems_from_validation(exc))
    if isinstance(exc, KeyError):
        return f"missing {exc}"
    if isinstance(exc, OSError):
        return exc.strerror or str(exc)
    return str(exc)


class SimStore:
    """One simulation directory. Open with :meth:`open`; close (or use ``with``) to release it."""

    def __init__(self, directory: Path, read_only: bool = False,
                 keep_population: bool = True) -> None:
        self.directory = Path(directory)
        self.read_only = read_only
        # False when the population comes from elsewhere (a file or the generator) and is not
        # this directory's to write.
        self.keep_population = keep_population
        self.state_path = self.directory / STATE_FILE
        self.population_path = self.directory / POPULATION_FILE
        self._lock_fd: int | None = None
        self.saved_version: int | None = None
        self.saved_population_version: int | None = None
        # The last journal entry each file holds, and the last one in the journal.
        self.state_seq = 0
        self.population_seq = 0
        self.last_seq = 0
        # Journal entries applied by the last load_engine (a snapshot then makes them whole).
        self.replayed = 0
        self._last_save = 0.0
        self._last_cost = 0.0
        # Set when a file failed to load: this store then refuses to write over it.
        self._damaged: StoreError | None = None
        self.columns_writer = ColumnsWriter()

    @classmethod
    def open(cls, directory: Path, read_only: bool = False,
             keep_population: bool = True) -> SimStore:
        store = cls(directory, read_only, keep_population)
        if not read_only:
            store._lock()
            store._remove_leftover_temp_files()
        return store

    def __enter__(self) -> SimStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
    def _lock(self) -> None:
        path = self.directory / LOCK_FILE
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            fd = open_private(path, os.O_RDWR)
        except OSError as exc:
            where = Path(exc.filename or path)
            if where != path:
                raise StoreError(f"{where}: cannot create the simulation's directory: "
                                 f"{_reason(exc)}") from None
            raise StoreError(f"{path}: cannot create or open the simulation's lock file: "
                             f"{_reason(exc)} (--read-only opens the simulation without writing)"
                             ) from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.read(fd, 32).decode(errors="replace").strip() or "unknown"
            os.close(fd)
            raise StoreLocked(
                f"{self.directory}: simulation in use by another process (pid {holder}); "
                "close it first, or open this simulation read-only"
            ) from None
        try:
            # Who holds it, for the message above; a full disk must not stop the lock itself.
            os.ftruncate(fd, 0)
            os.write(fd, str(os.getpid()).encode())
        except OSError:
            pass
        self._lock_fd = fd

    def _remove_leftover_temp_files(self) -> None:
        """A writer killed mid-save leaves its temp file; holding the lock, no writer is at work."""
        for name in (STATE_FILE, SUMMARY_FILE, POPULATION_FILE, POPULATION_FILE + COLUMNS_SUFFIX):
            for temp in leftover_temp_files(self.directory / name):
                temp.unlink(missing_ok=True)

    def close(self) -> None:
        self.columns_writer.close()  # while the lock is held: no other writer meanwhile
        if self._lock_fd is not None:
            fcntl.flock(self._lock_fd, fcntl.LOCK_UN)
            os.close(self._lock_fd)
            self._lock_fd = None

    # Reading -----------------------------------------------------------------------------------
    def exists(self) -> bool:
        return self.state_path.exists()

    def is_empty(self) -> bool:
        """Neither file is here yet: the only case in which a new simulation may be built."""
        return not self.state_path.exists() and not self.population_path.exists()

    def _state_advice(self) -> str:
        if not self.keep_population:
            return "move it away to start afresh"
        return (f"move it away to start a new simulation, without gigs, on the workers of "
                f"{POPULATION_FILE} (which is kept)")

    def _population_advice(self) -> str:
        return (f"restore it, or move the directory {self.directory} away to start afresh "
                "with the demo")

    def _storage(self, path: Path, advice: str) -> AtomicJSONStorage:
        return AtomicJSONStorage(path, self.read_only, advice)

    def _raw_tables(self, storage: AtomicJSONStorage) -> dict[str, dict[str, Any]]:
        """The file as read; a damaged file is reported here and then never written."""
        try:
            return storage.read() or {}
        except StoreError as exc:
            self._damaged = exc
            raise

    def _refuse_if_damaged(self, exc: StoreError) -> StoreError:
        self._damaged = exc
        return exc

    def _seq_of(self, tables: dict[str, dict[str, Any]], path: Path, advice: str) -> int:
        try:
            return _journal_seq(tables)
        except ValueError as exc:
            raise self._refuse_if_damaged(StoreCorrupt(
                f"{path}: {exc}; it was left as it is: {advice}")) from None

    def load_population(self) -> Population:
        """The workers: from the columnar file when it is current, else from the JSON (then
        the columnar file is written for next time, unless read-only)."""
        if not self.population_path.exists() and self.exists():
            raise self._refuse_if_damaged(StoreCorrupt(
                f"{self.population_path}: missing, and the simulation in {STATE_FILE} needs its "
                f"workers: {self._population_advice()}"))
        file = None
        if columnar_path(self.population_path).exists():
            # numpy and the columns: only for a simulation large enough to have the file.
            from .population_file import current_columnar

            file = current_columnar(self.population_path, _check_journal_seq,
                                    "read-only, so not rebuilt: reading the workers"
                                    if self.read_only else "rebuilding it")
        if file is not None:
            self.population_seq = file.meta[JOURNAL_SEQ]
            self.saved_population_version = 0
            return Population.mapped(file)
        population = self._load_json_population()
        if not self.read_only and self.population_path.exists():
            self._write_columns(population.records, self.population_seq)
        return population

    def _write_columns(self, records: list[Record], seq: int) -> None:
        """The population's columnar file, after its JSON, when the population is large enough
        to gain from one; a smaller population's (a larger one left it) is removed, so that it
        is neither read nor named as stale at every opening. Called right after the JSON was
        written or read: its stamp now is the one the file's records belong to."""
        if len(records) >= COLUMNS_FROM:
            from .population_file import refresh_columnar, source_stamp

            self.columns_writer.submit(partial(
                refresh_columnar, list(records), self.population_path, {JOURNAL_SEQ: seq},
                source_stamp(self.population_path)))
            return
        self.columns_writer.cancel()
        try:
            columnar_path(self.population_path).unlink(missing_ok=True)
        except OSError as exc:
            logger.warning("%s: cannot remove the columnar file: %s",
                           columnar_path(self.population_path), exc.strerror or exc)

    def _load_json_population(self) -> Population:
        advice = self._population_advice()
        tables, checked = self._population_tables(advice)
        workers = tables.get(WORKERS_TABLE)
        if workers is None:
            raise self._refuse_if_damaged(StoreCorrupt(
                f"{self.population_path}: no {WORKERS_TABLE!r} table; it was left as it is: "
                f"{advice}"))
        self.population_seq = self._seq_of(tables, self.population_path, advice)
        try:
            with gc_paused():
                population = population_from_json(list(workers.values()),
                                                  f"{self.population_path}: {WORKERS_TABLE}",
                                                  checked)
        except PopulationError as exc:
            raise self._refuse_if_damaged(StoreCorrupt(
                f"{exc}; it was left as it is: {advice}")) from None
        # A new engine over this population starts at version 0: that is what the file holds.
        self.saved_population_version = 0
        return population

    def _population_tables(self, advice: str) -> tuple[dict[str, Any], bool]:
        """The population file, read with its records checked as they are decoded when it has
        the shape this store writes (most of what a large simulation reads), and whether it had;
        any other shape is read untyped and checked record by record."""
        try:
            data = self.population_path.read_bytes()
        except FileNotFoundError:
            return {}, False
        except OSError as exc:
            raise self._refuse_if_damaged(StoreError(
                f"{self.population_path}: cannot read: {exc.strerror or exc}")) from None
        try:
            with gc_paused():
                tables, checked = decode_json(data, _PopulationFile)
        except ValueError as exc:
            raise self._refuse_if_damaged(StoreCorrupt(
                f"{self.population_path}: damaged or truncated simulation file ({exc}); it was "
                f"left as it is: {advice}")) from None
        if not isinstance(tables, dict) or not all(isinstance(t, dict) for t in tables.values()):
            raise self._refuse_if_damaged(StoreCorrupt(
                f"{self.population_path}: not a TinyDB database (expected an object of tables); "
                f"it was left as it is: {advice}"))
        return tables, checked

    def load_tables(self) -> dict[str, list[dict[str, Any]]]:
        advice = self._state_advice()
        tables = self._raw_tables(self._storage(self.state_path, advice))
        missing = [name for name in STATE_TABLES if name not in tables]
        if missing:
            raise self._refuse_if_damaged(StoreCorrupt(
                f"{self.state_path}: missing tables {', '.join(missing)}; it was left as it is: "
                f"{advice}"))
        self.state_seq = self._seq_of(tables, self.state_path, advice)
        with gc_paused():
            return {name: list(tables[name].values()) for name in STATE_TABLES}

    def load_engine(self, population: Population, compiler: QueryCompiler | None = None) -> Engine:
        """The last snapshot with the journal replayed over it (call :meth:`load_population`
        first: the population's journal number matters here)."""
        tables = self.load_tables()
        try:
            engine = Engine.restore(tables, population, compiler)
        except (KeyError, TypeError, ValueError) as exc:
            raise self._refuse_if_damaged(StoreCorrupt(
                f"{self.state_path}: inconsistent simulation state ({_reason(exc)}); it was left "
                f"as it is: {self._state_advice()}")) from None
        self.saved_version = engine.version
        self.saved_population_version = engine.population_version
        try:
            entries = read_entries(self.directory, min(self.state_seq, self.population_seq),
                                   self.state_seq)
        except JournalCorrupt as exc:
            raise self._refuse_if_damaged(StoreCorrupt(str(exc))) from None
        except OSError as exc:
            raise StoreError(f"{exc.filename or self.directory}: cannot read the journal: "
                             f"{_reason(exc)}") from None
        self.replayed = 0
        self.last_seq = self.state_seq
        for located in entries:
            self._replay(engine, located)
            self.last_seq = located.entry.seq
        return engine

    def _replay(self, engine: Engine, located: Located) -> None:
        entry = located.entry
        where = f"{located.path} line {located.line}"
        kind = OPERATIONS.get(entry.op)
        if kind is None:
            raise self._refuse_if_damaged(StoreCorrupt(
                f"{where}: unknown operation {entry.op!r} (written by a newer version?); the "
                "journal was left as it is"))
        try:
            op: Operation = kind.model_validate(entry.args)
        except ValidationError as exc:
            raise self._refuse_if_damaged(StoreCorrupt(
                f"{where}: {entry.op}: {_reason(exc)}; the journal was left as it is")) from None
        if entry.seq <= self.state_seq:
            # The state snapshot holds it; the population file (older) may not.
            if entry.seq > self.population_seq:
                op.apply_to_population(engine.population)
                engine.population_version += 1
            return
        failure: Exception | None = None
        try:
            engine.advance_to(entry.clock)
            op.apply(engine)
        except SIMULATION_ERRORS as exc:
            failure = exc
        if (failure is not None) != entry.failed:
            outcome = f"failed ({failure})" if failure is not None else "succeeded"
            raise self._refuse_if_damaged(StoreCorrupt(
                f"{where}: {entry.op} {outcome} on replay, unlike when it ran: the journal does "
                f"not follow from {STATE_FILE}; both were left as they are"))
        self.replayed += 1

    # Writing -----------------------------------------------------------------------------------
    def snapshot(self, engine: Engine, seq: int) -> Snapshot:
        """The engine's state as of journal entry ``seq``, encoded; the population too if it
        changed since it was last written. Cheap next to writing it: call under the lock."""
        started = time.monotonic()
        population = records = None
        if self.keep_population and engine.population_version != self.saved_population_version:
            records = list(engine.population.as_list())
            with gc_paused():
                population = encode_json(_tables({WORKERS_TABLE: records}, seq))
        with gc_paused():
            state = encode_json(_tables(engine.snapshot(), seq))
        runs = engine.ordered_runs()
        summary = encode_summary(state, engine.clock, gig_facts(
            (run.gig for run in runs), {run.id: engine.gig_stats(run.id) for run in runs},
            engine.clock))
        return Snapshot(seq, engine.version, engine.population_version, state, population,
                        summary, time.monotonic() - started, records)

    def write_snapshot(self, snapshot: Snapshot) -> None:
        """Write a snapshot: the state, then the population (see the module's docstring)."""
        if self.read_only:
            raise StoreError(f"{self.directory}: opened read-only")
        if self._damaged is not None:
            raise StoreError(f"not saving over a damaged file: {self._damaged}")
        started = time.monotonic()
        write_bytes_atomically(self.state_path, snapshot.state)
        self.saved_version, self.state_seq = snapshot.version, snapshot.seq
        self._write_summary(snapshot.summary)
        if snapshot.population is not None:
            write_bytes_atomically(self.population_path, snapshot.population)
            self.saved_population_version = snapshot.population_version
            if snapshot.records is not None:
                self._write_columns(snapshot.records, snapshot.seq)
        self.population_seq = snapshot.seq
        self._last_save = time.monotonic()
        self._last_cost = self._last_save - started + snapshot.encoding

    def _write_summary(self, summary: bytes) -> None:
        """The gig list's summary of the state just written. A cache the console's first
        frame reads: one not written is only named in the log (the state is saved; the one
        left there no longer matches it, so it is not read)."""
        try:
            write_bytes_atomically(self.directory / SUMMARY_FILE, summary)
        except OSError as exc:
            logger.warning("%s: the gig list's summary not written: %s",
                           self.directory / SUMMARY_FILE, exc.strerror or exc)

    def due(self, engine: Engine, min_interval: float = 0.0) -> bool:
        """Whether a snapshot has anything to write, and (with ``min_interval``, wall seconds)
        the last one is older than that and than twenty times what it cost (so throttled
        snapshots take at most ~5% of the time)."""
        if self.read_only:
            return False
        if min_interval and (time.monotonic() - self._last_save
                             < max(min_interval, 20 * self._last_cost)):
            return False
        return (engine.version != self.saved_version or not self.exists()
                or (self.keep_population
                    and engine.population_version != self.saved_population_version))

    def save(self, engine: Engine, *, min_interval: float = 0.0) -> bool:
        """Write a snapshot now, in this thread, if :meth:`due`; returns whether it wrote.
        For callers without a journal (``simulate``) and for a simulation's first files."""
        if not self.due(engine, min_interval):
            return False
        self.write_snapshot(self.snapshot(engine, self.last_seq))
        return True
