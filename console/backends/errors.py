"""Errors every backend raises, so the console handles the simulation and the API alike.

They mirror the API's status codes; the local simulation raises the same ones, so a 422 from the
simulation reads exactly as one from Cirro."""

from __future__ import annotations


class BackendError(Exception):
    """A request the backend could not carry out; ``status`` follows the Cirro API's codes."""

    status: int = 500
    # Whether a server answered with ``status``; a connection that never got an answer has only
    # the status the API layer maps it to, which is no status to show anyone.
    answered: bool = True

    def __init__(self, message: str, *, status: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        if status is not None:
            self.status = status
            self.answered = True

    def __str__(self) -> str:
        return self.message

    def with_status(self) -> str:
        """The message, with the HTTP status when a server gave one."""
        return f"{self.message} (status {self.status})" if self.answered else self.message

    @property
    def brief(self) -> str:
        """What went wrong in a few words, for a line with no room for the message."""
        return f"error (status {self.status})" if self.answered else "error"


class UnusableData(BackendError):
    """A file or directory the backend keeps cannot be used (damaged, unreadable, unwritable, of
    the wrong shape); the message names it and what is wrong. The operator has to act, so the
    command line exits 2 for it, as for a config error."""


class BadRequest(BackendError):
    status = 400


class AuthError(BackendError):
    status = 401


class Forbidden(BackendError):
    status = 403


class NotFound(BackendError):
    status = 404


class Unprocessable(BackendError):
    """Validation failures, invalid state transitions, duplicates (HTTP 422)."""

    status = 422


class ReadOnlyError(BackendError):
    """A mutation on a context marked read-only; refused before anything is sent."""

    status = 403


class ConnectionFailed(BackendError):
    """The backend could not be reached (or gave up retrying); nothing is known to have changed."""

    status = 503
    answered = False

    def __init__(self, message: str, *, status: int | None = None,
                 reason: str | None = None) -> None:
        super().__init__(message, status=status)
        # What went wrong without the request it happened to (e.g. "cannot connect to
        # HOST: connection refused"): what a one-line status has room for.
        self.reason = reason or message

    @property
    def brief(self) -> str:
        return "no answer"


class OutcomeUnknown(ConnectionFailed):
    """The connection broke after a request that is not safe to repeat was sent: it may or may
    not have been applied, so it was not retried blindly."""


class RateLimited(BackendError):
    """HTTP 429 that outlasted the retries (or asked to wait longer than the client will)."""

    status = 429


class InvalidResponse(BackendError):
    """The server answered something that is not the API's JSON (a proxy page, a cut body)."""

    status = 502


ERRORS_BY_STATUS: dict[int, type[BackendError]] = {
    400: BadRequest,
    401: AuthError,
    403: Forbidden,
    404: NotFound,
    422: Unprocessable,
    429: RateLimited,
}


def error_for_status(status: int, message: str) -> BackendError:
    return ERRORS_BY_STATUS.get(status, BackendError)(message, status=status)
