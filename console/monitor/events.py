"""The event log: waves, responses, expiries, resets and edits, derived by comparing two
snapshots of a gig. The API keeps no such log, so remote and local gigs get the same one."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from console.models import Gig, GigInvitation, InvitationStatus
from console.plural import plural

from .snapshot import GigSnapshot

# Gig fields whose change the log reports; the rest (tasks, payloads) only matter elsewhere.
WATCHED_FIELDS = ("title", "invitation_mode", "total_seats", "seats_min", "seats_max",
                  "invitation_multiplier", "invitation_frequency", "filter_query", "sort_query",
                  "start_at", "end_at", "archive_at", "archived_at")


class EventKind(StrEnum):
    WAVE = "wave"
    INVITE = "invite"
    RESPONSE = "response"
    EXPIRY = "expiry"
    RESET = "reset"
    EDIT = "edit"


@dataclass(frozen=True)
class MonitorEvent:
    at: int
    kind: EventKind
    gig_id: str
    text: str


def diff_snapshots(before: GigSnapshot | None, after: GigSnapshot) -> list[MonitorEvent]:
    """Everything that happened between two snapshots, oldest first. With no ``before``, the
    gig's waves so far are reported (a log has a past as soon as the view opens)."""
    gig_id = after.gig.id
    events: list[MonitorEvent] = []
    known_waves = {w.n for w in before.waves} if before else set()
    for wave in after.waves:
        if wave.n not in known_waves:
            events.append(MonitorEvent(wave.at, EventKind.WAVE, gig_id,
                                       f"wave {wave.n} invited {plural(wave.invited, 'worker')}"))
    if before is not None:
        events.extend(_edits(before.gig, after.gig, after.at))
        events.extend(_invitation_changes(before.invitations, after.invitations,
                                          after.gig.id, after.at))
    events.sort(key=lambda e: e.at)
    return events


def _edits(old: Gig, new: Gig, at: int) -> list[MonitorEvent]:
    events = []
    for name in WATCHED_FIELDS:
        a, b = getattr(old, name, None), getattr(new, name, None)
        if a != b:
            events.append(MonitorEvent(at, EventKind.EDIT, new.id, f"{name}: {a} -> {b}"))
    return events


def _invitation_changes(before: Mapping[str, GigInvitation], after: Mapping[str, GigInvitation],
                        gig_id: str, at: int) -> list[MonitorEvent]:
    events: list[MonitorEvent] = []
    expired: Counter[int] = Counter()
    manual = 0
    for inv_id, inv in after.items():
        old = before.get(inv_id)
        if old is None:
            if inv.wave is None:
                manual += 1
            if inv.status is not InvitationStatus.PENDING:
                events.append(_status_event(inv, at))
            continue
        if old.status is inv.status:
            continue
        if inv.status is InvitationStatus.EXPIRED:
            expired[_when(inv, at)] += 1
        else:
            events.append(_status_event(inv, at))
    # Reaching seats_max expires hundreds at once: one line per moment, not one per invitation.
    for moment, count in expired.items():
        events.append(MonitorEvent(moment, EventKind.EXPIRY, gig_id,
                                   f"{plural(count, 'pending invitation')} expired"))
    if manual:
        events.append(MonitorEvent(at, EventKind.INVITE, gig_id,
                                   f"{plural(manual, 'worker')} invited manually"))
    return events


def _when(inv: GigInvitation, fallback: int) -> int:
    return inv.responded_at if inv.responded_at is not None else fallback


def _status_event(inv: GigInvitation, fallback: int) -> MonitorEvent:
    wave = f" (wave {inv.wave})" if inv.wave is not None else ""
    if inv.status is InvitationStatus.PENDING:
        return MonitorEvent(fallback, EventKind.RESET, inv.gig_id,
                            f"{inv.user_id} reset to pending{wave}")
    kind = EventKind.EXPIRY if inv.status is InvitationStatus.EXPIRED else EventKind.RESPONSE
    return MonitorEvent(_when(inv, fallback), kind, inv.gig_id,
                        f"{inv.user_id} {inv.status.value}{wave}")
