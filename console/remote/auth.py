"""RS256 request tokens for the Cirro v2 API, signed with the app's private key.

The key is read once from a file. Neither the key nor a token ever goes into a message: errors
name the file, never its content.
"""

from __future__ import annotations

import stat
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey

from console.config import ConfigError

# Cirro refuses an ``exp`` more than 10 minutes ahead. Staying a minute short of it keeps a token
# valid against a server whose clock runs a little behind ours.
MAX_LIFETIME = 600
DEFAULT_LIFETIME = 540


class PrivateKeyError(ConfigError):
    """The private key file cannot be used; the message names the file, never its content."""


@dataclass(frozen=True)
class PrivateKey:
    path: Path
    key: RSAPrivateKey
    warning: str | None

    def __repr__(self) -> str:  # the key object must never be printed
        return f"PrivateKey({self.path})"


def permission_warning(path: Path) -> str | None:
    """A warning when group or others may read the key file (POSIX permissions only)."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return None
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        return (f"private key {path} can be read by other users (mode {stat.S_IMODE(mode):o}); "
                f"run: chmod 600 {path}")
    return None


def load_private_key(path: Path) -> PrivateKey:
    path = path.expanduser()
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise PrivateKeyError(f"cannot read private key {path}: {exc.strerror or exc}") from None
    try:
        key = serialization.load_pem_private_key(data, password=None)
    except (ValueError, TypeError):
        # The library's message may quote the input; ours does not.
        raise PrivateKeyError(f"private key {path} is not an unencrypted PEM private key") from None
    if not isinstance(key, RSAPrivateKey):
        raise PrivateKeyError(f"private key {path} is not an RSA key (Cirro signs with RS256)")
    return PrivateKey(path, key, permission_warning(path))


class TokenSigner:
    """Signs a fresh token per request, as Cirro's own client does."""

    def __init__(self, app_id: str, key: PrivateKey, *, lifetime: int = DEFAULT_LIFETIME,
                 clock: Callable[[], float] = time.time) -> None:
        if not 0 < lifetime <= MAX_LIFETIME:
            raise ValueError(f"token lifetime must be 1..{MAX_LIFETIME} seconds, got {lifetime}")
        self._app_id = app_id
        self._key = key
        self._lifetime = lifetime
        self._clock = clock

    def __repr__(self) -> str:
        return f"TokenSigner(app_id={self._app_id!r})"

    def token(self) -> str:
        claims = {"sub": self._app_id, "exp": int(self._clock()) + self._lifetime}
        return jwt.encode(claims, self._key.key, algorithm="RS256")
