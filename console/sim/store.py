"""The simulation's files: TinyDB databases in one directory, written atomically, one writer.

- ``population.json``: the workers (table ``workers``), read-mostly, rewritten only when a worker
  document changes.
- ``state.json``: gigs, invitations, queued responses, the event feed and the clock (one table
  each), rewritten as a whole per checkpoint (after a wave, or when the caller saves).
- ``.lock``: held with ``flock`` by the one process allowed to write; the kernel releases it when
  that process dies, even by SIGKILL.

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

from tinydb import TinyDB
from tinydb.middlewares import CachingMiddleware
from tinydb.storages import Storage

from .atomic import write_json_atomically
from .engine import Engine
from .population import Population, gc_paused
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

    def __init__(self, path: str | Path, read_only: bool = False) -> None:
        self.path = Path(path)
        self.read_only = read_only

    def read(self) -> dict[str, dict[str, Any]] | None:
        try:
            with gc_paused(), open(self.path, "rb") as handle:
                data = json.load(handle)
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise StoreError(f"{self.path}: cannot read: {exc.strerror or exc}") from None
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise StoreCorrupt(
                f"{self.path}: damaged or truncated simulation file ({exc}); it was left as it is: "
                "move it away to start afresh"
            ) from None
        if not isinstance(data, dict) or not all(isinstance(t, dict) for t in data.values()):
            raise StoreCorrupt(f"{self.path}: not a TinyDB database (expected an object of tables)")
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


def _database(path: Path, read_only: bool) -> TinyDB:
    # TinyDB passes its positional arguments to the storage class the middleware wraps.
    return TinyDB(path, read_only, storage=BatchingMiddleware(AtomicJSONStorage))




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
        self._population_db: TinyDB | None = None
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
        return store

    def __enter__(self) -> SimStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _lock(self) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        path = self.directory / LOCK_FILE
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.read(fd, 32).decode(errors="replace").strip() or "unknown"
            os.close(fd)
            raise StoreLocked(
                f"{self.directory}: simulation in use by another process (pid {holder}); "
                "close it first, or open this simulation read-only"
            ) from None
        os.ftruncate(fd, 0)
        os.write(fd, str(os.getpid()).encode())
        self._lock_fd = fd

    def close(self) -> None:
        # The databases are never closed through TinyDB: that would flush; saves are explicit.
        if self._lock_fd is not None:
            fcntl.flock(self._lock_fd, fcntl.LOCK_UN)
            os.close(self._lock_fd)
            self._lock_fd = None

    # Reading -----------------------------------------------------------------------------------
    def exists(self) -> bool:
        return self.state_path.exists()

    def _state(self) -> TinyDB:
        if self._state_db is None:
            self._state_db = _database(self.state_path, self.read_only)
        return self._state_db

    def _population(self) -> TinyDB:
        if self._population_db is None:
            self._population_db = _database(self.population_path, self.read_only)
        return self._population_db

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
        tables = self._raw_tables(self._population())
        workers = tables.get(WORKERS_TABLE)
        if workers is None:
            raise self._refuse_if_damaged(
                StoreCorrupt(f"{self.population_path}: no {WORKERS_TABLE!r} table"))
        with gc_paused():
            return Population(list(workers.values()))

    def load_tables(self) -> dict[str, list[dict[str, Any]]]:
        tables = self._raw_tables(self._state())
        missing = [name for name in STATE_TABLES if name not in tables]
        if missing:
            raise self._refuse_if_damaged(
                StoreCorrupt(f"{self.state_path}: missing tables {', '.join(missing)}"))
        with gc_paused():
            return {name: list(tables[name].values()) for name in STATE_TABLES}

    def load_engine(self, population: Population, compiler: QueryCompiler | None = None) -> Engine:
        tables = self.load_tables()
        try:
            engine = Engine.restore(tables, population, compiler)
        except (KeyError, TypeError, ValueError) as exc:
            raise self._refuse_if_damaged(StoreCorrupt(
                f"{self.state_path}: inconsistent simulation state ({exc!r})")) from None
        self.saved_version = engine.version
        self.saved_population_version = engine.population_version
        return engine

    # Writing -----------------------------------------------------------------------------------
    def save_population(self, population: Population) -> None:
        db = self._population()
        _replace_table(db, WORKERS_TABLE, population.as_list())
        db.storage.flush()

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
