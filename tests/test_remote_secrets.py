"""No token, key or Authorization header in logs, error messages or reprs, even at debug level
and through failures."""

from __future__ import annotations

import logging

import pytest
from keys import key_pair
from stub_http import Answer, StubServer

from console.backends.errors import BackendError
from console.backends.factory import open_remote
from console.config import RemoteContext
from console.models import GigCreate

GIG_CREATE = GigCreate(title="t", description="d", url="u", start_at=10, end_at=20, total_seats=1,
                       invitation_mode="manual", filter_query={})


async def test_nothing_secret_is_logged_or_raised(tmp_path, caplog):
    caplog.set_level(logging.DEBUG)
    private, _ = key_pair().write(tmp_path)
    script = [Answer(500, {"error": "boom"}), Answer(drop=True),
              Answer(401, {"error": "Can not verify the access token"}),
              Answer(drop=True), Answer(raw=b"<html>proxy</html>")]
    messages: list[str] = []
    async with StubServer(script) as server:
        context = RemoteContext(base_url=server.base_url, app_id="app-1", private_key=private,
                                data_dir=tmp_path / "data", retries=1, backoff=0.0)
        backend = open_remote("staging", context)
        messages.append(repr(backend))
        for call in (lambda: backend.get_gig("1"), lambda: backend.get_user("2"),
                     lambda: backend.create_gig(GIG_CREATE), lambda: backend.get_gig("3")):
            with pytest.raises(BackendError) as info:
                await call()
            messages += [str(info.value), repr(info.value)]
        await backend.close()
    tokens = [seen.headers["authorization"].split(" ", 1)[1] for seen in server.seen]
    assert len(tokens) == 5
    text = caplog.text + "\n".join(messages)
    assert "retry 1 of 1" in text and "Can not verify the access token" in text
    for token in tokens:
        assert token not in text
        assert token.split(".")[2] not in text  # not even the signature part
    assert "authorization" not in text.lower() and "bearer" not in text.lower()
    key_body = key_pair().private_pem.decode().splitlines()[1]
    assert key_body not in text and "PRIVATE KEY" not in text
