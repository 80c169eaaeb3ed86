"""Request token checks as Cirro makes them, with Cirro's 401 messages."""

from __future__ import annotations

import math
import time
from collections.abc import Callable

import jwt
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicKey

MAX_LIFETIME = 600

MISSING = "Access token is missing"
EXPIRED = "Access token is expired"
TOO_LONG = "Can not maintain an access token for longer than 10 min"
UNVERIFIABLE = "Can not verify the access token"
UNDECODABLE = "Access token can not be decoded"


class TokenRejected(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _usable_exp(exp: object) -> bool:
    """A number of seconds that can be compared with a clock: not a bool, a string, NaN or inf."""
    if isinstance(exp, bool):
        return False
    if isinstance(exp, int):
        return True
    return isinstance(exp, float) and math.isfinite(exp)


class TokenVerifier:
    """Checks tokens for one app: Cirro finds the app by ``sub`` and verifies with its key, so a
    token naming another app cannot be verified with ours."""

    def __init__(self, public_key: RSAPublicKey, app_id: str, *,
                 clock: Callable[[], float] = time.time) -> None:
        self._key = public_key
        self._app_id = app_id
        self._clock = clock

    def verify(self, authorization: str | None) -> str:
        """The app id (``sub``) of a valid ``Authorization: Bearer`` header, or TokenRejected."""
        scheme, _, token = (authorization or "").partition(" ")
        token = token.strip()
        if scheme.lower() != "bearer" or not token:
            raise TokenRejected(MISSING)
        try:
            header = jwt.get_unverified_header(token)
        except jwt.InvalidTokenError:
            raise TokenRejected(UNDECODABLE) from None
        if header.get("alg") != "RS256":
            raise TokenRejected(UNVERIFIABLE)
        try:
            # Expiry is checked below, against our own rules and messages; so is sub, which
            # Cirro's own client sends as it was configured (an integer in its spec).
            claims = jwt.decode(token, self._key, algorithms=["RS256"],
                                options={"verify_exp": False, "verify_sub": False,
                                         "require": ["exp", "sub"]})
        except jwt.InvalidSignatureError:
            raise TokenRejected(UNVERIFIABLE) from None
        except jwt.DecodeError:
            raise TokenRejected(UNDECODABLE) from None
        except jwt.InvalidTokenError:
            raise TokenRejected(UNVERIFIABLE) from None
        exp, sub = claims.get("exp"), claims.get("sub")
        if isinstance(sub, int) and not isinstance(sub, bool):
            sub = str(sub)
        if not _usable_exp(exp) or sub != self._app_id:
            raise TokenRejected(UNVERIFIABLE)
        now = self._clock()
        if exp <= now:
            raise TokenRejected(EXPIRED)
        if exp > now + MAX_LIFETIME:
            raise TokenRejected(TOO_LONG)
        return sub
