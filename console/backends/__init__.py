"""Backends: the one interface (``base.Backend``) and its local and remote implementations."""

from .base import Backend, BackendKind, InvitationFilter, InviteRequest
from .errors import (
    AuthError,
    BackendError,
    BadRequest,
    ConnectionFailed,
    Forbidden,
    NotFound,
    ReadOnlyError,
    Unprocessable,
    error_for_status,
)

__all__ = [
    "AuthError", "Backend", "BackendError", "BackendKind", "BadRequest", "ConnectionFailed",
    "Forbidden", "InvitationFilter", "InviteRequest", "NotFound", "ReadOnlyError", "Unprocessable",
    "error_for_status",
]
