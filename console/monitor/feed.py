"""The simulation's own event feed as log lines: the simulation knows what happened (and why) at
the second it happened, so on a local context the log needs no snapshot diffing and no listing
of every invitation."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from .events import EventKind, MonitorEvent

FEED_KINDS: dict[str, EventKind] = {
    "wave": EventKind.WAVE,
    "wave_skipped": EventKind.WAVE,
    "accepted": EventKind.RESPONSE,
    "rejected": EventKind.RESPONSE,
    "accept": EventKind.RESPONSE,
    "reject": EventKind.RESPONSE,
    "expired": EventKind.EXPIRY,
    "expire": EventKind.EXPIRY,
    "reset": EventKind.RESET,
    "invited": EventKind.INVITE,
    "gig_created": EventKind.EDIT,
    "gig_updated": EventKind.EDIT,
    "archived": EventKind.EDIT,
}


def feed_events(entries: Iterable[Mapping[str, Any]], gig_id: str) -> list[MonitorEvent]:
    """The entries about ``gig_id``, as log events; kinds the log does not show are skipped."""
    events = []
    for entry in entries:
        kind = FEED_KINDS.get(str(entry.get("kind")))
        if kind is None or str(entry.get("gig_id")) != gig_id:
            continue
        events.append(MonitorEvent(int(entry["at"]), kind, gig_id, str(entry["message"])))
    return events
