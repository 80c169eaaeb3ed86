"""Errors of the simulation, mapped by the LocalBackend onto the API's status codes."""

from __future__ import annotations


class SimError(Exception):
    """Base of every error the simulation raises on a request it refuses."""


class NotFoundError(SimError):
    """No such gig, invitation, task or worker (HTTP 404)."""


class RuleError(SimError):
    """A request the rules refuse: invalid transition, frozen field, delete after start (422)."""


class QueryError(RuleError):
    """A filter_query or sort_query that does not compile; the message names the field path."""

    def __init__(self, field: str, path: str, message: str) -> None:
        self.field = field
        self.path = f"{field}.{path}" if path else field
        self.message = message
        super().__init__(f"{self.path}: {message}")
