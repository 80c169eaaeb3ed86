"""The simulation's state records, and their JSON form for the store.

The API records no wave numbers and no timestamps on invitations; the simulation does.
"""

from __future__ import annotations

from collections import Counter, deque
from dataclasses import dataclass, field
from typing import Any

from pydantic import ConfigDict, Field

from console.base_model import Model
from console.models import Gig, GigInvitation, InvitationStatus, WaveRecord

from .ranking import Predicate, Ranking, Sorter

PENDING = InvitationStatus.PENDING
ACCEPTED = InvitationStatus.ACCEPTED
REJECTED = InvitationStatus.REJECTED
EXPIRED = InvitationStatus.EXPIRED


# Simulated seconds stay within what a datetime can show (up to the year 9999).
MAX_CLOCK = 253_402_300_799


class StateMeta(Model):
    """The ``meta`` record of a saved state: checked on load, since the clock and the id counters
    reach every answer (a clock stored as ``"noon"`` would fail every request after)."""

    model_config = ConfigDict(extra="forbid", strict=True)

    clock: int = Field(ge=0, le=MAX_CLOCK)
    seed: int
    settings: dict[str, Any]
    ids: dict[str, int]
    topics: dict[str, str]
    feed_next_seq: int = Field(ge=1)
    # Users made or deleted, preferences, gig results and time (states saved before them have none).
    records: dict[str, Any] = Field(default_factory=dict)


@dataclass(slots=True)
class Invitation:
    id: str
    gig_id: str
    user_id: str
    status: InvitationStatus
    wave: int | None
    invited_at: int
    responded_at: int | None = None
    no_reward: bool = False
    # Bumped by a reset, so a response drawn for an earlier attempt is recognised as stale.
    attempt: int = 0
    # The user's EPAM bench status when invited (None: not an EPAM employee).
    epam_bench_status: str | None = None

    def to_model(self) -> GigInvitation:
        return GigInvitation(
            id=self.id, status=self.status, gig_id=self.gig_id, user_id=self.user_id,
            no_reward=self.no_reward, epam_bench_status=self.epam_bench_status, wave=self.wave,
            invited_at=self.invited_at, responded_at=self.responded_at,
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id, "gig_id": self.gig_id, "user_id": self.user_id,
            "status": self.status.value, "wave": self.wave, "invited_at": self.invited_at,
            "responded_at": self.responded_at, "no_reward": self.no_reward, "attempt": self.attempt,
            "epam_bench_status": self.epam_bench_status,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Invitation:
        return cls(
            id=data["id"], gig_id=data["gig_id"], user_id=data["user_id"],
            status=InvitationStatus(data["status"]), wave=data["wave"],
            invited_at=data["invited_at"], responded_at=data["responded_at"],
            no_reward=data["no_reward"], attempt=data["attempt"],
            # States saved before bench statuses were simulated have none.
            epam_bench_status=data.get("epam_bench_status"),
        )


@dataclass(slots=True)
class Wave:
    n: int
    at: int
    invited: int
    candidates_left: int | None


@dataclass
class GigRun:
    """One gig and what the simulation tracks about it."""

    gig: Gig
    # The last tick evaluated: ticks are evaluated once, in time order.
    last_tick: int | None = None
    end_handled: bool = False
    # No candidate left in the ranking: ticks pause until the queries or the population change.
    # Persisted (unlike the ranking) so a restored run pauses exactly where the original did.
    exhausted: bool = False
    waves: list[Wave] = field(default_factory=list)
    # user id -> invitation id: each worker is invited at most once per gig.
    invited: dict[str, str] = field(default_factory=dict)
    counts: Counter[InvitationStatus] = field(default_factory=Counter)
    wave_counts: dict[int, Counter[InvitationStatus]] = field(default_factory=dict)
    pending: set[str] = field(default_factory=set)
    # Invitation id -> the number of the edit that last changed it, the latest last: a reader of
    # the gig's invitations (the monitor's, 4 times a second) asks what changed since it last
    # looked, and is told without a pass over all of them. Not persisted (a restored engine's
    # readers start over).
    edits: dict[str, int] = field(default_factory=dict)
    edit_count: int = 0
    # Derived, rebuilt when the queries or the population change; never persisted.
    ranking: Ranking | None = None
    compiled: tuple[Predicate, Sorter | None] | None = None

    @property
    def id(self) -> str:
        return self.gig.id

    def count(self, inv: Invitation, delta: int) -> None:
        self.counts[inv.status] += delta
        if inv.wave is not None:
            counts = self.wave_counts.get(inv.wave)
            if counts is None:
                counts = self.wave_counts[inv.wave] = Counter()
            counts[inv.status] += delta
        if inv.status is PENDING:
            (self.pending.add if delta > 0 else self.pending.discard)(inv.id)

    def edited(self, inv_id: str) -> None:
        """Note that one of the gig's invitations was made or changed."""
        self.edit_count += 1
        self.edits.pop(inv_id, None)  # moved to the end: the dict stays in edit order
        self.edits[inv_id] = self.edit_count

    def edited_since(self, count: int) -> list[str]:
        """The invitations made or changed after edit ``count``, in the order of their last
        change; only those are looked at."""
        changed = []
        for inv_id, edit in reversed(self.edits.items()):
            if edit <= count:
                break
            changed.append(inv_id)
        changed.reverse()
        return changed

    def wave_record(self, wave: Wave) -> WaveRecord:
        counts = self.wave_counts.get(wave.n, Counter())
        return WaveRecord(
            gig_id=self.id, n=wave.n, at=wave.at, invited=wave.invited,
            accepted=counts[ACCEPTED], rejected=counts[REJECTED], expired=counts[EXPIRED],
            pending=counts[PENDING], candidates_left=wave.candidates_left,
        )

    def forget_ranking(self) -> None:
        """The queries or the population changed: rank afresh at the next wave."""
        self.ranking = None
        self.exhausted = False

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id, "gig": self.gig.to_api(), "last_tick": self.last_tick,
            "end_handled": self.end_handled, "exhausted": self.exhausted,
            "waves": [[w.n, w.at, w.invited, w.candidates_left] for w in self.waves],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> GigRun:
        return cls(
            gig=Gig.model_validate(data["gig"]), last_tick=data["last_tick"],
            end_handled=data["end_handled"], exhausted=data["exhausted"],
            waves=[Wave(*w) for w in data["waves"]],
        )


class EventFeed:
    """Append-only log for the wave monitor: each entry has a rising ``seq``; the oldest entries
    beyond ``capacity`` are dropped (the invitations and waves keep the full history)."""

    def __init__(self, capacity: int = 5_000, entries: list[dict[str, Any]] | None = None,
                 next_seq: int = 1) -> None:
        self.entries: deque[dict[str, Any]] = deque(entries or (), maxlen=capacity)
        self.next_seq = next_seq

    def add(self, at: int, kind: str, gig_id: str | None, message: str, **data: Any) -> None:
        entry = {"seq": self.next_seq, "at": at, "kind": kind, "gig_id": gig_id, "message": message}
        entry.update(data)
        self.entries.append(entry)
        self.next_seq += 1

    def since(self, seq: int) -> list[dict[str, Any]]:
        """Entries with a sequence number above ``seq`` (0 for all that are kept)."""
        if not self.entries or self.entries[-1]["seq"] <= seq:
            return []
        return [e for e in self.entries if e["seq"] > seq]
