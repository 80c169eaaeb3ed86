"""What a Space records in Cirro besides gigs and invitations: users it created (and deleted),
notification preferences, gig results and time activities. Kept in the simulation's state
(``meta.records``) as plain JSON."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

Json = dict[str, Any]


@dataclass
class SpaceRecords:
    # Users made with POST /users that have no worker document (yet): id -> profile fields.
    users: dict[str, Json] = field(default_factory=dict)
    deleted_users: set[str] = field(default_factory=set)
    # user id -> {"locale": str, "topics": {topic id: {"id", "preferences"}}}
    preferences: dict[str, Json] = field(default_factory=dict)
    gig_results: list[Json] = field(default_factory=list)
    gig_time_activities: list[Json] = field(default_factory=list)
    # idempotency key -> result id (Cirro answers the first result for a repeated key)
    idempotency: dict[str, str] = field(default_factory=dict)

    def to_json(self) -> Json:
        return {"users": self.users, "deleted_users": sorted(self.deleted_users),
                "preferences": self.preferences, "gig_results": self.gig_results,
                "gig_time_activities": self.gig_time_activities,
                "idempotency": self.idempotency}

    @classmethod
    def from_json(cls, data: Json) -> SpaceRecords:
        """From a saved state; states saved before these records existed have none."""
        return cls(users=dict(data.get("users", {})),
                   deleted_users=set(data.get("deleted_users", ())),
                   preferences=dict(data.get("preferences", {})),
                   gig_results=list(data.get("gig_results", [])),
                   gig_time_activities=list(data.get("gig_time_activities", [])),
                   idempotency=dict(data.get("idempotency", {})))
