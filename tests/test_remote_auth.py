"""Request tokens: signing, the key file's checks, and verification with Cirro's 401 messages."""

from __future__ import annotations

import os

import jwt
import pytest
from keys import key_pair

from console.remote.auth import PrivateKeyError, TokenSigner, load_private_key, load_public_key
from console.server import auth as server_auth
from console.server.auth import TokenRejected, TokenVerifier

NOW = 1_700_000_000


@pytest.fixture
def keys(tmp_path):
    return key_pair().write(tmp_path)


def verifier(public_path) -> TokenVerifier:
    return TokenVerifier(load_public_key(public_path), "app-1", clock=lambda: NOW)


def test_signed_token_verifies(keys):
    private, public = keys
    token = TokenSigner("app-1", load_private_key(private), clock=lambda: NOW).token()
    assert verifier(public).verify(f"Bearer {token}") == "app-1"
    assert jwt.decode(token, options={"verify_signature": False})["exp"] == NOW + 540


def test_lifetime_over_ten_minutes_is_refused(keys):
    with pytest.raises(ValueError, match="1..600"):
        TokenSigner("app", load_private_key(keys[0]), lifetime=601)


def test_key_readable_by_others_gives_a_warning(keys):
    private, _ = keys
    assert load_private_key(private).warning is None
    os.chmod(private, 0o644)
    assert "can be read by other users (mode 644); run: chmod 600" in load_private_key(
        private).warning


def test_bad_key_files_name_the_file_not_the_content(tmp_path):
    with pytest.raises(PrivateKeyError, match="cannot read private key .*absent.pem"):
        load_private_key(tmp_path / "absent.pem")
    junk = tmp_path / "junk.pem"
    junk.write_text("-----BEGIN PRIVATE KEY-----\nSECRETSTUFF\n-----END PRIVATE KEY-----\n")
    with pytest.raises(PrivateKeyError) as info:
        load_private_key(junk)
    assert "is not an unencrypted PEM private key" in str(info.value)
    assert "SECRETSTUFF" not in str(info.value)


def sign(claims: dict, private_path, algorithm="RS256", key=None) -> str:
    pem = key if key is not None else private_path.read_bytes()
    return jwt.encode(claims, pem, algorithm=algorithm)


@pytest.mark.parametrize(("header", "message"), [
    (None, server_auth.MISSING),
    ("Bearer ", server_auth.MISSING),
    ("Basic abc", server_auth.MISSING),
    ("Bearer not.a.jwt", server_auth.UNDECODABLE),
])
def test_missing_and_undecodable(keys, header, message):
    with pytest.raises(TokenRejected) as info:
        verifier(keys[1]).verify(header)
    assert info.value.message == message


def test_expired_too_long_and_unverifiable(keys, tmp_path):
    private, public = keys
    cases = [
        ({"sub": "app-1", "exp": NOW - 1}, server_auth.EXPIRED),
        ({"sub": "app-1", "exp": NOW + 601}, server_auth.TOO_LONG),
        ({"exp": NOW + 60}, server_auth.UNVERIFIABLE),
    ]
    for claims, message in cases:
        with pytest.raises(TokenRejected) as info:
            verifier(public).verify(f"Bearer {sign(claims, private)}")
        assert info.value.message == message
    other = key_pair("other").private_pem
    forged = sign({"sub": "app-1", "exp": NOW + 60}, private, key=other)
    hs = sign({"sub": "app-1", "exp": NOW + 60}, private, algorithm="HS256", key="s" * 32)
    for token in (forged, hs):
        with pytest.raises(TokenRejected) as info:
            verifier(public).verify(f"Bearer {token}")
        assert info.value.message == server_auth.UNVERIFIABLE


def _raw_token(payload: str, private_path) -> str:
    """A token whose payload is this exact JSON text (NaN and Infinity are not JSON that
    ``jwt.encode`` writes, but a forger can sign them)."""
    return jwt.api_jws.encode(payload.encode(), private_path.read_bytes(), algorithm="RS256")


@pytest.mark.parametrize("exp", ["NaN", "Infinity", "-Infinity", '"9999999999"', "true",
                                 "null", "[1]", "1e400"])
def test_an_exp_that_is_not_a_finite_number_is_refused(keys, exp):
    private, public = keys
    token = _raw_token(f'{{"sub": "app-1", "exp": {exp}}}', private)
    with pytest.raises(TokenRejected) as info:
        verifier(public).verify(f"Bearer {token}")
    assert info.value.message == server_auth.UNVERIFIABLE


@pytest.mark.parametrize("sub", ["app-2", "", "APP-1"])
def test_a_token_naming_another_app_is_refused(keys, sub):
    private, public = keys
    token = sign({"sub": sub, "exp": NOW + 60}, private)
    with pytest.raises(TokenRejected) as info:
        verifier(public).verify(f"Bearer {token}")
    assert info.value.message == server_auth.UNVERIFIABLE
