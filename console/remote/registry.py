"""What the console remembers about a remote context, in TinyDB: the gigs it knows and their
invitation history.

The API has no "list gigs" and records no waves, so the console keeps both itself:
- ``gigs``: ids created through the console, tracked by hand, or discovered in
  ``gig_invitations``; a gig that answers 404 is marked missing, never forgotten silently;
- ``meta``: the discovery cursor (the last invitation id seen), so discovery reads only new
  invitations after its first walk;
- ``last_read``: the console's last complete read of the gig list, shown (marked stale) when the
  API cannot be reached;
- ``history``: per watched gig, when each invitation was first seen and when its status changed,
  and a timestamped snapshot of the counts whenever something changed. Invitations first seen in
  the same poll form one wave; the history is as fine-grained as the polling.

Each operation opens the file under an exclusive lock and writes it atomically (temp file +
``os.replace``), so a console and a headless command can share a context without corrupting it.
"""

from __future__ import annotations

import fcntl
import json
import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import ConfigDict, ValidationError
from tinydb import Query, TinyDB
from tinydb.storages import Storage

from console.backends.errors import UnusableData
from console.base_model import Model
from console.models import GigInvitation, InvitationStatus, WaveRecord, problems_from_validation
from console.sim.atomic import open_private, write_json_atomically

Source = Literal["created", "tracked", "discovered"]
_STATUSES = tuple(InvitationStatus)


class RegistryError(UnusableData):
    """The registry file cannot be used; the message names it and says what to do."""


class _Row(Model):
    model_config = ConfigDict(extra="forbid", strict=True)


class _GigRow(_Row):
    id: str
    source: Source
    added_at: int
    watched: bool
    missing: bool


class _MetaRow(_Row):
    key: str
    value: Any


class _HistoryRow(_Row):
    gig_id: str
    baseline_at: int
    last_poll_at: int
    invitations: dict[str, list[Any]]
    snapshots: list[dict[str, int]]


class _LastReadRow(_Row):
    key: str
    read_at: int
    now: int
    gigs: list[dict[str, Any]]
    stats: list[dict[str, Any]]


# What each table's rows must look like: a row of another shape would fail some later read, or
# worse be written back next to rows it does not match.
_ROWS: dict[str, type[_Row]] = {"gigs": _GigRow, "meta": _MetaRow, "history": _HistoryRow,
                                "last_read": _LastReadRow}


def _check_tables(path: Path, data: Any) -> dict[str, dict[str, Any]]:
    def refuse(what: str) -> RegistryError:
        return RegistryError(f"gig registry {path}: {what}; it was left untouched: mend it, or "
                             "move it away to start a new registry")

    if not isinstance(data, dict):
        raise refuse("not a TinyDB file (not an object)")
    for table, rows in data.items():
        if table not in _ROWS:
            raise refuse(f"unknown table {table!r} (known: {', '.join(_ROWS)})")
        if not isinstance(rows, dict):
            raise refuse(f"{table}: must be an object of rows")
        for doc_id, row in rows.items():
            if not isinstance(row, dict):
                raise refuse(f"{table}.{doc_id}: must be an object")
            try:
                _ROWS[table].model_validate(row)
            except ValidationError as exc:
                problems = "; ".join(str(p) for p in problems_from_validation(exc))
                raise refuse(f"{table}.{doc_id}: {problems}") from None
    return data


class _AtomicJSONStorage(Storage):
    """TinyDB storage that never leaves a half-written file behind."""

    def __init__(self, path: Path) -> None:
        self._path = path

    def read(self) -> dict[str, dict[str, Any]] | None:
        try:
            text = self._path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return None
        except (OSError, UnicodeDecodeError) as exc:
            raise RegistryError(f"cannot read gig registry {self._path}: {exc}") from None
        if not text.strip():
            return None
        try:
            data = json.loads(text)
        except (json.JSONDecodeError, RecursionError) as exc:
            where = (f"line {exc.lineno} column {exc.colno}: {exc.msg}"
                     if isinstance(exc, json.JSONDecodeError) else "nested too deep")
            raise RegistryError(
                f"gig registry {self._path} is corrupt ({where}); it was left untouched: move it "
                "away to start a new registry"
            ) from None
        return _check_tables(self._path, data)

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        try:
            write_json_atomically(self._path, data)
        except OSError as exc:
            raise RegistryError(f"gig registry {self._path}: not saved: "
                                f"{exc.strerror or exc}") from None


@dataclass(frozen=True)
class KnownGig:
    id: str
    source: Source
    added_at: int
    watched: bool = False
    missing: bool = False


class GigRegistry:
    def __init__(self, path: Path) -> None:
        self.path = path

    @contextmanager
    def _open(self) -> Iterator[TinyDB]:
        lock_path = self.path.with_name(self.path.name + ".lock")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            lock = os.fdopen(open_private(lock_path, os.O_WRONLY | os.O_APPEND), "a")
        except OSError as exc:
            raise RegistryError(f"cannot open gig registry {self.path} (its lock file "
                                f"{lock_path.name}): {exc.strerror or exc}") from None
        with lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            db = TinyDB(self.path, storage=_AtomicJSONStorage)
            try:
                yield db
            finally:
                db.close()

    # Known gigs ---------------------------------------------------------------------------------
    def known(self, *, include_missing: bool = False) -> list[KnownGig]:
        with self._open() as db:
            rows = [KnownGig(**row) for row in db.table("gigs").all()]
        return [row for row in rows if include_missing or not row.missing]

    def add(self, gig_ids: Sequence[str], source: Source, now: int) -> list[str]:
        """Register gigs; returns the ids that were new. Adding a missing gig revives it."""
        gig = Query()
        added = []
        with self._open() as db:
            table = db.table("gigs")
            for gig_id in dict.fromkeys(gig_ids):
                row = table.get(gig.id == gig_id)
                if row is None:
                    table.insert({"id": gig_id, "source": source, "added_at": now,
                                  "watched": False, "missing": False})
                    added.append(gig_id)
                elif row["missing"] and source != "discovered":
                    table.update({"missing": False}, gig.id == gig_id)
        return added

    def mark_missing(self, gig_ids: Sequence[str]) -> None:
        gig = Query()
        with self._open() as db:
            db.table("gigs").update({"missing": True}, gig.id.one_of(list(gig_ids)))

    def set_watched(self, gig_id: str, watched: bool = True) -> None:
        gig = Query()
        with self._open() as db:
            db.table("gigs").update({"watched": watched}, gig.id == gig_id)

    # Discovery cursor ---------------------------------------------------------------------------
    def cursor(self) -> str | None:
        with self._open() as db:
            row = db.table("meta").get(Query().key == "discovery_after")
        return row["value"] if row else None

    def set_cursor(self, after: str | None) -> None:
        with self._open() as db:
            db.table("meta").upsert({"key": "discovery_after", "value": after},
                                    Query().key == "discovery_after")

    # Last good read of the gig list -------------------------------------------------------------
    def save_last_read(self, read_at: int, now: int, gigs: list[dict[str, Any]],
                       stats: list[dict[str, Any]]) -> None:
        """The console's last complete read (gigs and their counts), shown while the API is down."""
        with self._open() as db:
            db.table("last_read").upsert(
                {"key": "gigs", "read_at": read_at, "now": now, "gigs": gigs, "stats": stats},
                Query().key == "gigs")

    def last_read(self) -> dict[str, Any] | None:
        with self._open() as db:
            return db.table("last_read").get(Query().key == "gigs")

    # Invitation history -------------------------------------------------------------------------
    def record_poll(self, gig_id: str, at: int, invitations: Sequence[GigInvitation]) -> None:
        """Fold one poll of a gig's invitations into its history."""
        with self._open() as db:
            table = db.table("history")
            row = table.get(Query().gig_id == gig_id)
            history = _History.from_row(row) if row else _History.empty(gig_id, at)
            history.fold(at, invitations)
            table.upsert(history.to_row(), Query().gig_id == gig_id)

    def annotate(self, invitations: Sequence[GigInvitation]) -> list[GigInvitation]:
        """Fill ``wave``, ``invited_at`` and ``responded_at`` from the recorded history."""
        histories = {gig_id: self._history(gig_id) for gig_id in {i.gig_id for i in invitations}}
        waves_of = {gig_id: h.wave_numbers() for gig_id, h in histories.items() if h}
        return [histories[i.gig_id].annotate(i, waves_of[i.gig_id]) if histories[i.gig_id] else i
                for i in invitations]

    def waves(self, gig_id: str) -> list[WaveRecord]:
        history = self._history(gig_id)
        return history.waves() if history else []

    def _history(self, gig_id: str) -> _History | None:
        with self._open() as db:
            row = db.table("history").get(Query().gig_id == gig_id)
        return _History.from_row(row) if row else None


@dataclass
class _History:
    """One gig's history. Invitations are stored compactly as
    ``id -> [user_id, first_seen, status, changed_at]`` (changed_at null until a change is seen)."""

    gig_id: str
    baseline_at: int
    last_poll_at: int
    invitations: dict[str, list[Any]]
    snapshots: list[dict[str, int]]

    @classmethod
    def empty(cls, gig_id: str, at: int) -> _History:
        return cls(gig_id, at, at, {}, [])

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> _History:
        return cls(row["gig_id"], row["baseline_at"], row["last_poll_at"], row["invitations"],
                   row["snapshots"])

    def to_row(self) -> dict[str, Any]:
        return {"gig_id": self.gig_id, "baseline_at": self.baseline_at,
                "last_poll_at": self.last_poll_at, "invitations": self.invitations,
                "snapshots": self.snapshots}

    def fold(self, at: int, invitations: Sequence[GigInvitation]) -> None:
        new = changed = 0
        for invitation in invitations:
            entry = self.invitations.get(invitation.id)
            if entry is None:
                self.invitations[invitation.id] = [invitation.user_id, at, invitation.status.value,
                                                   None]
                new += 1
            elif entry[2] != invitation.status.value:
                entry[2], entry[3] = invitation.status.value, at
                changed += 1
        self.last_poll_at = at
        if new or changed or not self.snapshots:
            counts = {status.value: 0 for status in _STATUSES}
            for entry in self.invitations.values():
                counts[entry[2]] += 1
            self.snapshots.append({"at": at, "new": new, **counts})

    def wave_numbers(self) -> dict[int, int]:
        """first-seen time -> wave number."""
        return {at: n for n, at in self._wave_times()}

    def annotate(self, invitation: GigInvitation, wave_numbers: dict[int, int]) -> GigInvitation:
        entry = self.invitations.get(invitation.id)
        if entry is None:
            return invitation
        return invitation.model_copy(update={
            "invited_at": None if entry[1] == self.baseline_at else entry[1],
            "wave": wave_numbers.get(entry[1]),
            "responded_at": entry[3] if invitation.status != InvitationStatus.PENDING else None,
        })

    def _wave_times(self) -> list[tuple[int, int]]:
        """(n, at) of each poll that saw new invitations; n 0 is what was already out when
        watching began (its real wave times are unknown)."""
        times = [s["at"] for s in self.snapshots if s["new"]]
        numbered = []
        n = 0
        for at in times:
            if at == self.baseline_at:
                numbered.append((0, at))
            else:
                n += 1
                numbered.append((n, at))
        return numbered

    def waves(self) -> list[WaveRecord]:
        records = []
        for n, at in self._wave_times():
            counts = {status.value: 0 for status in _STATUSES}
            for entry in self.invitations.values():
                if entry[1] == at:
                    counts[entry[2]] += 1
            records.append(WaveRecord(gig_id=self.gig_id, n=n, at=at,
                                      invited=sum(counts.values()), **counts))
        return records
