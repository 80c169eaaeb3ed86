"""The simulation's files: TinyDB databases in one directory, written atomically, one writer.

- ``population.json``: the workers (table ``workers``), read-mostly, rewritten only when a worker
  document changes.
- ``state.json``: gigs, invitations, queued responses, the event feed and the clock (one table
  each), rewritten as a whole per checkpoint (after a wave, or when the caller saves).
- ``.lock``: held with ``flock`` by the one process allowed to write; the kernel releases it when
  that process dies, even by SIGKILL. The holder removes the temp files a killed writer left.

TinyDB rebuilds a table in Python on each operation and overwrites its file in place, so every
write here goes through :class:`BatchingMiddleware` (one file write per checkpoint) into
:class:`AtomicJSONStorage` (temp file + ``os.replace``). A file that does not parse is reported by
name and left untouched: nothing is written once a read has failed.
"""

from __future__ import annotations

import fcntl
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from tinydb import TinyDB
from tinydb.middlewares import CachingMiddleware
from tinydb.storages import Storage

from console.models import problems_from_validation

from .atomic import leftover_temp_files, open_private, write_bytes_atomically, write_json_atomically
from .engine import Engine
from .population import (
    Population,
    PopulationError,
    WellFormed,
    decode_json,
    encode_json,
    gc_paused,
    population_from_json,
)
from .ranking import QueryCompiler

STATE_FILE = "state.json"
POPULATION_FILE = "population.json"
LOCK_FILE = ".lock"
STATE_TABLES = ("meta", "gigs", "invitations", "queue", "events")
WORKERS_TABLE = "workers"


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
            with gc_paused(), open(self.path, "rb") as handle:
                data = json.load(handle)
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise StoreError(f"{self.path}: cannot read: {exc.strerror or exc}") from None
        except (json.JSONDecodeError, UnicodeDecodeError, RecursionError) as exc:
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
        write_json_atomically(self.path, data)

    def close(self) -> None:
        pass


class BatchingMiddleware(CachingMiddleware):
    """Keeps every TinyDB write in memory until :meth:`flush`: one file write per checkpoint."""

    WRITE_CACHE_SIZE = sys.maxsize

    def flush(self) -> None:
        try:
            super().flush()
        except BaseException:
            # What was not saved must not reach the disk with a later write: forget it, and let
            # the next read come from the file again.
            self.cache = None
            self._cache_modified_count = 0
            raise


def _database(path: Path, read_only: bool, advice: str) -> TinyDB:
    # TinyDB passes its positional arguments to the storage class the middleware wraps.
    return TinyDB(path, read_only, advice, storage=BatchingMiddleware(AtomicJSONStorage))


def _reason(exc: BaseException) -> str:
    """What is wrong, in a phrase: pydantic problems with their field paths, OS errors' text."""
    if isinstance(exc, ValidationError):
        return "; ".join(str(p) for p in problems_from_validation(exc))
    if isinstance(exc, KeyError):
        return f"missing {exc}"
    if isinstance(exc, OSError):
        return exc.strerror or str(exc)
    return str(exc)


def _replace_table(db: TinyDB, name: str, documents: list[dict[str, Any]]) -> None:
    table = db.table(name, cache_size=0)
    table.truncate()
    table.insert_multiple(documents)


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
        self._state_db: TinyDB | None = None
        self.saved_version: int | None = None
        self.saved_population_version: int | None = None
        self._last_save = 0.0
        self._last_cost = 0.0
        # Set when a file failed to load: this store then refuses to write over it.
        self._damaged: StoreError | None = None

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
        for name in (STATE_FILE, POPULATION_FILE):
            for temp in leftover_temp_files(self.directory / name):
                temp.unlink(missing_ok=True)

    def close(self) -> None:
        # The databases are never closed through TinyDB: that would flush; saves are explicit.
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

    def _state(self) -> TinyDB:
        if self._state_db is None:
            self._state_db = _database(self.state_path, self.read_only, self._state_advice())
        return self._state_db

    def _raw_tables(self, db: TinyDB) -> dict[str, dict[str, Any]]:
        """The database as read; a damaged file is reported here and then never written."""
        try:
            return db.storage.read() or {}
        except StoreError as exc:
            self._damaged = exc
            raise

    def _refuse_if_damaged(self, exc: StoreError) -> StoreError:
        self._damaged = exc
        return exc

    def load_population(self) -> Population:
        if not self.population_path.exists() and self.exists():
            raise self._refuse_if_damaged(StoreCorrupt(
                f"{self.population_path}: missing, and the simulation in {STATE_FILE} needs its "
                f"workers: {self._population_advice()}"))
        tables, checked = self._population_tables()
        workers = tables.get(WORKERS_TABLE)
        if workers is None:
            raise self._refuse_if_damaged(StoreCorrupt(
                f"{self.population_path}: no {WORKERS_TABLE!r} table; it was left as it is: "
                f"{self._population_advice()}"))
        try:
            with gc_paused():
                population = population_from_json(list(workers.values()),
                                                  f"{self.population_path}: {WORKERS_TABLE}",
                                                  checked)
        except PopulationError as exc:
            raise self._refuse_if_damaged(StoreCorrupt(
                f"{exc}; it was left as it is: {self._population_advice()}")) from None
        # A new engine over this population starts at version 0: that is what the file holds.
        self.saved_population_version = 0
        return population

    def _population_tables(self) -> tuple[dict[str, Any], bool]:
        """The population file as TinyDB wrote it, read with the fast parser (it is most of what
        a large simulation reads), and whether its records were checked as they were decoded;
        a damaged file is reported as the state file's would be."""
        try:
            data = self.population_path.read_bytes()
        except FileNotFoundError:
            return {}, False
        except OSError as exc:
            raise self._refuse_if_damaged(StoreError(
                f"{self.population_path}: cannot read: {exc.strerror or exc}")) from None
        try:
            with gc_paused():
                tables, checked = decode_json(data, dict[str, dict[str, WellFormed]])
        except ValueError as exc:
            raise self._refuse_if_damaged(StoreCorrupt(
                f"{self.population_path}: damaged or truncated simulation file ({exc}); it was "
                f"left as it is: {self._population_advice()}")) from None
        if not isinstance(tables, dict) or not all(isinstance(t, dict) for t in tables.values()):
            raise self._refuse_if_damaged(StoreCorrupt(
                f"{self.population_path}: not a TinyDB database (expected an object of tables); "
                f"it was left as it is: {self._population_advice()}"))
        return tables, checked

    def load_tables(self) -> dict[str, list[dict[str, Any]]]:
        tables = self._raw_tables(self._state())
        missing = [name for name in STATE_TABLES if name not in tables]
        if missing:
            raise self._refuse_if_damaged(StoreCorrupt(
                f"{self.state_path}: missing tables {', '.join(missing)}; it was left as it is: "
                f"{self._state_advice()}"))
        with gc_paused():
            return {name: list(tables[name].values()) for name in STATE_TABLES}

    def load_engine(self, population: Population, compiler: QueryCompiler | None = None) -> Engine:
        tables = self.load_tables()
        try:
            engine = Engine.restore(tables, population, compiler)
        except (KeyError, TypeError, ValueError) as exc:
            raise self._refuse_if_damaged(StoreCorrupt(
                f"{self.state_path}: inconsistent simulation state ({_reason(exc)}); it was left "
                f"as it is: {self._state_advice()}")) from None
        self.saved_version = engine.version
        self.saved_population_version = engine.population_version
        return engine

    # Writing -----------------------------------------------------------------------------------
    def save_population(self, population: Population) -> None:
        if self.read_only:
            raise StoreError(f"{self.population_path}: opened read-only")
        # The TinyDB layout ({table: {doc id: document}}), written in one go: TinyDB's own insert
        # of a million documents costs more than the encoding.
        records = population.as_list()
        write_bytes_atomically(self.population_path, encode_json(
            {WORKERS_TABLE: dict(zip(map(str, range(1, len(records) + 1)), records))}))

    def save(self, engine: Engine, *, min_interval: float = 0.0) -> bool:
        """Write what changed since the last save. With ``min_interval`` (wall seconds), skip the
        write if the last one was more recent, or more recent than twenty times what it cost (so
        throttled saves take at most ~5% of the time). Returns whether anything was written."""
        if self.read_only:
            return False
        if self._damaged is not None:
            raise StoreError(f"not saving over a damaged file: {self._damaged}")
        if min_interval and (time.monotonic() - self._last_save
                             < max(min_interval, 20 * self._last_cost)):
            return False
        started = time.monotonic()
        written = False
        if self.keep_population and engine.population_version != self.saved_population_version:
            self.save_population(engine.population)
            self.saved_population_version = engine.population_version
            written = True
        if engine.version != self.saved_version or not self.exists():
            db = self._state()
            for name, documents in engine.snapshot().items():
                _replace_table(db, name, documents)
            db.storage.flush()
            self.saved_version = engine.version
            written = True
        self._last_save = time.monotonic()
        if written:
            self._last_cost = self._last_save - started
        return written

