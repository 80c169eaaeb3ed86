"""RS256 keys and request tokens for the Cirro v2 API, signed with the app's private key.

The key is read once from a file. Neither the key nor a token ever goes into a message: errors
name the file, never its content.
"""

from __future__ import annotations

import stat
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey, RSAPublicKey

from console.config import ConfigError

K = TypeVar("K")

# Cirro refuses an ``exp`` more than 10 minutes ahead. Staying a minute short of it keeps a token
# valid against a server whose clock runs a little behind ours.
MAX_LIFETIME = 600
DEFAULT_LIFETIME = 540


class PrivateKeyError(ConfigError):
    """A key file cannot be used; the message names the file, never its content."""


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


def _read_rsa_key(path: Path, label: str, parse: Callable[[bytes], object],
                  key_type: type[K], shape: str) -> K:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise PrivateKeyError(f"cannot read {label} {path}: {exc.strerror or exc}") from None
    try:
        key = parse(data)
    except (ValueError, TypeError):
        # The library's message may quote the input; ours does not.
        raise PrivateKeyError(f"{label} {path} is not {shape}") from None
    if not isinstance(key, key_type):
        raise PrivateKeyError(f"{label} {path} is not an RSA key (Cirro uses RS256)")
    return key


def load_private_key(path: Path) -> PrivateKey:
    path = path.expanduser()
    key = _read_rsa_key(path, "private key",
                        lambda data: serialization.load_pem_private_key(data, password=None),
                        RSAPrivateKey, "an unencrypted PEM private key")
    return PrivateKey(path, key, permission_warning(path))


def load_public_key(path: Path) -> RSAPublicKey:
    """The key ``serve`` verifies tokens with."""
    return _read_rsa_key(path.expanduser(), "public key", serialization.load_pem_public_key,
                         RSAPublicKey, "a PEM public key")


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
