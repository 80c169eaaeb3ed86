"""The API transport against a scripted server: retries, backoff, typed errors, redirects."""

from __future__ import annotations

import json
import time

import jwt
import pytest
from keys import key_pair
from stub_http import Answer, StubServer

from console.backends.errors import (
    BackendError,
    ConnectionFailed,
    InvalidResponse,
    NotFound,
    OutcomeUnknown,
    RateLimited,
    Unprocessable,
)
from console.remote import pagination
from console.remote.auth import TokenSigner, load_private_key
from console.remote.transport import RetryPolicy, Transport, retry_after_seconds

OK = Answer(200, {"id": "7", "object": "gig"})


class Sleeps(list):
    async def __call__(self, seconds: float) -> None:
        self.append(seconds)


@pytest.fixture
def signer(tmp_path) -> TokenSigner:
    private, _ = key_pair().write(tmp_path)
    return TokenSigner("app-1", load_private_key(private))


def transport(signer: TokenSigner, base_url: str, sleeps: Sleeps, **kwargs) -> Transport:
    return Transport(base_url, signer, timeout=kwargs.pop("timeout", 2.0), sleep=sleeps,
                     rand=lambda: 0.5, retry=RetryPolicy(**kwargs))


async def test_get_retries_5xx_with_backoff_and_signs_each_attempt(signer):
    sleeps = Sleeps()
    async with StubServer([Answer(500, {"error": "boom"}), Answer(503, raw=b"busy"), OK]) as server:
        client = transport(signer, server.base_url, sleeps)
        assert await client.request("GET", "gigs/7") == {"id": "7", "object": "gig"}
        await client.close()
    assert sleeps == [0.375, 0.75]  # equal jitter at rand 0.5: 3/4 of 0.5s, then of 1s
    public = key_pair().public_pem
    for seen in server.seen:
        assert seen.target == "/api/v2/gigs/7"
        scheme, token = seen.headers["authorization"].split(" ")
        claims = jwt.decode(token, public, algorithms=["RS256"])
        assert scheme == "Bearer" and claims["sub"] == "app-1"
        assert time.time() < claims["exp"] <= time.time() + 600


async def test_429_waits_what_retry_after_says_even_for_a_create(signer):
    sleeps = Sleeps()
    script = [Answer(429, {"error": "slow down"}, headers={"Retry-After": "3"}), OK]
    async with StubServer(script) as server:
        client = transport(signer, server.base_url, sleeps)
        await client.request("POST", "gigs", body={"title": "t"})
        await client.close()
    assert sleeps == [3.0] and len(server.seen) == 2
    assert json.loads(server.seen[1].body) == {"title": "t"}


async def test_429_asking_too_long_a_wait_fails_at_once(signer):
    sleeps = Sleeps()
    async with StubServer([Answer(429, {}, headers={"Retry-After": "3600"})]) as server:
        client = transport(signer, server.base_url, sleeps)
        with pytest.raises(RateLimited, match="asks to wait 3600s"):
            await client.request("GET", "gigs/7")
        await client.close()
    assert sleeps == []


def test_retry_after_as_http_date():
    assert retry_after_seconds("Wed, 21 Oct 2015 07:28:00 GMT", 1445412470.0) == 10.0
    assert retry_after_seconds("soon", 0) is None


async def test_slow_answer_times_out_and_a_read_is_retried(signer):
    sleeps = Sleeps()
    async with StubServer([Answer(delay=1.0, body={}), OK]) as server:
        client = transport(signer, server.base_url, sleeps, timeout=0.2)
        assert (await client.request("GET", "gigs/7"))["id"] == "7"
        await client.close()
    assert len(sleeps) == 1


async def test_dropped_connection_retries_a_read(signer):
    async with StubServer([Answer(drop=True), OK]) as server:
        client = transport(signer, server.base_url, Sleeps())
        assert (await client.request("GET", "gigs/7"))["id"] == "7"
        await client.close()


@pytest.mark.parametrize("answer", [Answer(drop=True), Answer(500, {"error": "boom"})])
async def test_a_create_is_not_repeated_when_it_may_have_been_applied(signer, answer):
    async with StubServer([answer, OK]) as server:
        client = transport(signer, server.base_url, Sleeps())
        with pytest.raises(OutcomeUnknown, match="may or may not have been applied"):
            await client.request("POST", "gigs", body={"title": "t"})
        await client.close()
    assert len(server.seen) == 1


async def test_a_repeatable_post_is_retried(signer):
    async with StubServer([Answer(502, {}), OK]) as server:
        client = transport(signer, server.base_url, Sleeps())
        await client.request("POST", "gigs/7", body={"title": "t"}, repeatable=True)
        await client.close()
    assert len(server.seen) == 2


async def test_malformed_json_is_a_clear_error_without_retry(signer):
    async with StubServer([Answer(raw=b'{"id": "7", '), OK]) as server:
        client = transport(signer, server.base_url, Sleeps())
        with pytest.raises(InvalidResponse, match=r"GET gigs/7: HTTP 200 with a body that is not "
                                                  r"JSON \(Expecting property name"):
            await client.request("GET", "gigs/7")
        await client.close()
    assert len(server.seen) == 1


@pytest.mark.parametrize(("status", "error"), [(404, NotFound), (422, Unprocessable)])
async def test_4xx_become_typed_errors_with_the_message(signer, status, error):
    async with StubServer([Answer(status, {"error": "Gig not found"})]) as server:
        client = transport(signer, server.base_url, Sleeps())
        with pytest.raises(error) as info:
            await client.request("GET", "gigs/9")
        await client.close()
    assert info.value.status == status and info.value.message == "Gig not found"
    assert len(server.seen) == 1


async def test_gives_up_with_the_last_reason(signer):
    sleeps = Sleeps()
    async with StubServer([Answer(503, {"error": "maintenance"})] * 3) as server:
        client = transport(signer, server.base_url, sleeps, attempts=3)
        with pytest.raises(BackendError) as info:
            await client.request("GET", "gigs/7")
        await client.close()
    assert str(info.value) == ("GET gigs/7: server error 503: maintenance (gave up after 3 "
                               "attempts)")
    assert info.value.status == 503 and len(sleeps) == 2


async def test_unreachable_server(signer):
    async with StubServer([]) as server:
        base_url = server.base_url  # the port is free again once the server is closed
    client = transport(signer, base_url, Sleeps(), attempts=2)
    host = base_url.split("://", 1)[1].split("/", 1)[0]
    with pytest.raises(ConnectionFailed) as info:
        await client.request("POST", "gigs", body={})
    await client.close()
    assert str(info.value) == (f"POST gigs: cannot connect to {host}: connection refused "
                               "(gave up after 2 attempts)")
    assert info.value.with_status() == str(info.value)  # no server answered: no status


async def test_redirect_within_the_site_keeps_method_body_and_signs_again(signer):
    async with StubServer([]) as server:
        moved = Answer(308, raw=b"", headers={"Location": "/api/v3/gigs/7"})
        server.script = [moved, OK]
        client = transport(signer, server.base_url, Sleeps())
        await client.request("POST", "gigs/7", body={"title": "x"}, repeatable=True)
        await client.close()
    assert [s.target for s in server.seen] == ["/api/v2/gigs/7", "/api/v3/gigs/7"]
    assert server.seen[1].method == "POST" and json.loads(server.seen[1].body) == {"title": "x"}
    assert "authorization" in server.seen[1].headers


async def test_redirect_to_another_site_is_refused(signer):
    moved = Answer(302, raw=b"", headers={"Location": "http://example.com/steal"})
    async with StubServer([moved]) as server:
        client = transport(signer, server.base_url, Sleeps())
        with pytest.raises(ConnectionFailed, match="not sending credentials"):
            await client.request("GET", "gigs/7")
        await client.close()


async def test_pagination_walks_pages_lazily(signer):
    pages = [Answer(body={"object": "list", "has_more": True, "data": [{"id": "1"}, {"id": "2"}]}),
             Answer(body={"object": "list", "has_more": False, "data": [{"id": "3"}]})]
    async with StubServer(pages) as server:
        client = transport(signer, server.base_url, Sleeps())
        items = [i["id"] async for i in pagination.iterate(client, "gig_invitations",
                                                           [("gig_id", "5")], limit=2)]
        await client.close()
    assert items == ["1", "2", "3"]
    assert [s.target for s in server.seen] == [
        "/api/v2/gig_invitations?gig_id=5&limit=2",
        "/api/v2/gig_invitations?gig_id=5&limit=2&after=2"]


async def test_pagination_refuses_a_page_that_does_not_advance(signer):
    stuck = Answer(body={"object": "list", "has_more": True, "data": []})
    async with StubServer([stuck]) as server:
        client = transport(signer, server.base_url, Sleeps())
        with pytest.raises(InvalidResponse, match="does not advance"):
            _ = [i async for i in pagination.iterate(client, "gig_invitations")]
        await client.close()
