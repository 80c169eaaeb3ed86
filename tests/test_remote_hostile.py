"""A hostile or broken API server cannot drive the terminal, hold a command, loop the pager,
take the token elsewhere or fill memory (issue 13, items 14-18). Only loopback is contacted:
the redirect and size tests use httpx's MockTransport, which sends nothing anywhere."""

from __future__ import annotations

import gzip
import json
import logging
import time

import httpx
import pytest
from keys import key_pair
from serve_process import remote_section
from stub_http import Answer, ThreadedStub

from console.backends.base import InvitationFilter
from console.backends.errors import ConnectionFailed, InvalidResponse
from console.cli.main import main
from console.cli.output import CleanFormatter
from console.remote import pagination
from console.remote.auth import TokenSigner, load_private_key
from console.remote.backend import RemoteBackend
from console.remote.registry import GigRegistry
from console.remote.transport import MAX_ANSWER_BYTES, RetryPolicy, Transport

# An OSC 52 clipboard write, a window title, CSI colour and clear-screen, C1 CSI, a bidi override.
HOSTILE = "Tax\x1b]52;c;cm0gLXJmIH4=\x07 review\x1b]0;pwned\x1b\\\x1b[31m red\x9b2J\u202eevil"
CONTROLS = ("\x1b", "\x07", "\x9b", "\u202e")
GIG = {"id": "5", "object": "gig", "title": HOSTILE, "description": "d", "url": "u",
       "start_at": 1_700_000_000, "end_at": 1_800_000_000, "total_seats": 2,
       "invitation_mode": "auto", "filter_query": {}}


@pytest.fixture
def context(tmp_path, monkeypatch):
    """Writes a config whose context 'staging' points at a base URL, with the given settings."""
    private, _ = key_pair().write(tmp_path)

    def write(base_url: str, settings: str = "retries = 0\n") -> None:
        config = tmp_path / "config.toml"
        config.write_text(remote_section("staging", base_url, private, tmp_path / "data", settings))
        monkeypatch.setenv("CIRRO_CONSOLE_CONFIG", str(config))
    return write


@pytest.fixture
def signer(tmp_path) -> TokenSigner:
    private, _ = key_pair().write(tmp_path)
    return TokenSigner("app-1", load_private_key(private))


def mock_transport(signer, handler, base_url="http://127.0.0.1:8765/api/v2", **kwargs) -> Transport:
    client = httpx.AsyncClient(transport=httpx.MockTransport(handler), follow_redirects=False)
    return Transport(base_url, signer, client=client, retry=RetryPolicy(attempts=1), **kwargs)


# -- 14: nothing from outside reaches the terminal raw ----------------------------------------------

def test_escape_sequences_in_titles_and_errors_never_reach_the_terminal(context, capsys):
    error = Answer(404, {"error": "no gig \x1b]52;c;aGk=\x07 here\x1b[2J\x9b31m\u202e"})
    with ThreadedStub([Answer(body=GIG), Answer(body=GIG), Answer(body=GIG), error]) as server:
        context(server.base_url)
        assert main(["--context", "staging", "gigs", "show", "5"]) == 0
        assert main(["--context", "staging", "gigs", "track", "5"]) == 0
        first = capsys.readouterr()
        assert main(["--context", "staging", "gigs", "show", "5", "--json"]) == 0
        shown = capsys.readouterr()
        assert main(["--context", "staging", "gigs", "show", "6"]) == 1
    out, err = capsys.readouterr()
    # --json stays valid JSON and gives the title back exactly, with no control character.
    assert json.loads(shown.out)["title"] == HOSTILE
    out, err = first.out + shown.out + out, first.err + shown.err + err
    for control in CONTROLS:
        assert control not in out and control not in err
    assert "title       Tax\\x1b]52;c;cm0gLXJmIH4=\\x07 review" in out
    assert "\\x9b2J\\u202eevil" in out
    assert "tracking gig 5 in context 'staging': Tax\\x1b]52" in out
    assert "error: staging: no gig \\x1b]52;c;aGk=\\x07 here\\x1b[2J\\x9b31m\\u202e (status 404)" in err


def test_the_gig_table_escapes_titles_and_keeps_its_columns(context, capsys):
    invitation = {"id": "31", "object": "gig_invitation", "status": "pending", "gig_id": "5",
                  "user_id": "9"}
    listing = Answer(body={"object": "list", "has_more": False, "data": [invitation]})
    with ThreadedStub([listing, Answer(body={**GIG, "title": "a\nb\x1b[1A\x85c"})]) as server:
        context(server.base_url)
        assert main(["--context", "staging", "gigs", "list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2 and "a\\x0ab\\x1b[1A\\x85c" in lines[1]


def test_log_lines_escape_what_the_server_said():
    record = logging.LogRecord("x", logging.WARNING, __file__, 1, "GET gigs: %s", ("\x1b]0;t\x07",),
                               None)
    assert CleanFormatter("%(levelname)s: %(message)s").format(record) == \
        "WARNING: GET gigs: \\x1b]0;t\\x07"


# -- 15: a dripping server cannot hold a command -------------------------------------------------------

def test_a_dripping_server_stops_each_request_at_the_timeout(context, capsys):
    with ThreadedStub([Answer(body=GIG, drip=0.2)]) as server:  # ~80 s to send everything
        context(server.base_url, "timeout = 1\nretries = 0\n")
        started = time.monotonic()
        assert main(["--context", "staging", "gigs", "show", "5"]) == 1
        elapsed = time.monotonic() - started
    assert elapsed < 1 + 10  # the timeout and a generous margin for a loaded machine
    assert "no complete answer within 1 s" in capsys.readouterr().err


def test_a_command_stops_at_its_deadline(context, capsys):
    script = [Answer(body=GIG, drip=0.2), Answer(body=GIG, drip=0.2)]
    with ThreadedStub(script) as server:
        context(server.base_url, "timeout = 60\nretries = 1\nbackoff = 0.01\n")
        started = time.monotonic()
        assert main(["--deadline", "1.5", "--context", "staging", "gigs", "show", "5"]) == 1
        elapsed = time.monotonic() - started
    assert elapsed < 1.5 + 10
    assert "the command did not finish within 1.5 s (--deadline)" in capsys.readouterr().err


# -- 16: endless or circular paging -------------------------------------------------------------------

def invitation(n: int) -> dict:
    return {"id": str(n), "object": "gig_invitation", "status": "pending", "gig_id": "5",
            "user_id": str(n)}


async def test_a_server_that_always_has_more_is_stopped_at_the_page_cap(signer):
    requests: list[httpx.Request] = []

    def endless(request: httpx.Request) -> httpx.Response:
        requests.append(request)
        after = int(request.url.params.get("after", "0"))
        return httpx.Response(200, json={"object": "list", "has_more": True,
                                         "data": [invitation(after + 1)]})

    client = mock_transport(signer, endless)
    with pytest.raises(InvalidResponse, match="still has_more after 40 pages"):
        async for _ in pagination.iterate(client, "gig_invitations", max_pages=40):
            pass
    assert len(requests) == 40
    assert pagination.MAX_PAGES == 2_000  # the documented cap


async def test_cursors_that_go_round_in_a_circle_are_detected(signer, tmp_path):
    requests: list[httpx.Request] = []

    def circle(request: httpx.Request) -> httpx.Response:
        requests.append(request)
        following = {"1": 2, "2": 3, "3": 1}.get(request.url.params.get("after", ""), 1)
        return httpx.Response(200, json={"object": "list", "has_more": True,
                                         "data": [invitation(following)]})

    backend = RemoteBackend("staging", mock_transport(signer, circle),
                            GigRegistry(tmp_path / "registry.json"))
    with pytest.raises(InvalidResponse, match="go round in a circle") as info:
        await backend.list_invitations(InvitationFilter(gig_id="5"))
    assert "after='1' came back after 4 pages" in str(info.value)
    assert len(requests) == 4


# -- 17: redirects never take the token elsewhere ------------------------------------------------------

def redirecting(to: str, seen: list[httpx.Request]):
    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if len(seen) == 1:
            return httpx.Response(302, headers={"Location": to})
        return httpx.Response(200, json={"id": "7"})
    return handler


@pytest.mark.parametrize(("base_url", "target"), [
    ("http://127.0.0.1:8765/api/v2", "http://10.0.0.1/api/v2/gigs/7"),
    ("http://127.0.0.1:8765/api/v2", "http://127.0.0.1:9999/api/v2/gigs/7"),
    ("http://127.0.0.1:8765/api/v2", "https://127.0.0.1:8765/api/v2/gigs/7"),
    ("https://api.cirro.co.uk/v2", "https://attacker.co.uk/v2/gigs/7"),
    ("https://api.cirro.io/v2", "http://cirro.io/api/v2/gigs/7"),
    ("https://api.cirro.io/v2", "https://cirro.io.attacker.example/api/v2/gigs/7"),
    ("https://api.cirro.io/v2", "https://evil.cirro.io/api/v2/gigs/7"),
    ("https://api.cirro.io/v2", "https://cirro.io:8443/api/v2/gigs/7"),
])
async def test_a_redirect_to_another_origin_is_refused_before_sending_anything(signer, base_url, target):
    seen: list[httpx.Request] = []
    client = mock_transport(signer, redirecting(target, seen), base_url)
    with pytest.raises(ConnectionFailed, match="not sending credentials"):
        await client.request("GET", "gigs/7")
    assert len(seen) == 1  # nothing, token or not, went to the redirect's target


@pytest.mark.parametrize(("base_url", "target"), [
    ("http://127.0.0.1:8765/api/v2", "/api/v3/gigs/7"),
    ("https://api.cirro.io/v2", "https://cirro.io/api/v2/gigs/7"),
])
async def test_a_redirect_within_the_origin_or_between_cirro_hosts_is_followed(signer, base_url, target):
    seen: list[httpx.Request] = []
    client = mock_transport(signer, redirecting(target, seen), base_url)
    assert await client.request("GET", "gigs/7") == {"id": "7"}
    assert len(seen) == 2 and seen[1].headers["Authorization"].startswith("Bearer ")


# -- 18: answers are capped after decompression ---------------------------------------------------------

async def test_a_gzip_bomb_is_refused_at_the_cap(signer):
    inflated = b'{"data": "' + b"a" * (MAX_ANSWER_BYTES + 4_000_000) + b'"}'
    bomb = gzip.compress(inflated, compresslevel=9)
    assert len(bomb) < 100_000

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=bomb, headers={"Content-Encoding": "gzip",
                                                          "Content-Type": "application/json"})

    client = mock_transport(signer, handler)
    with pytest.raises(InvalidResponse, match=f"larger than {MAX_ANSWER_BYTES:,} bytes"):
        await client.request("GET", "gig_invitations")


async def test_an_answer_under_the_cap_is_read_whole(signer):
    body = {"data": "a" * 50_000}

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=gzip.compress(json.dumps(body).encode()),
                              headers={"Content-Encoding": "gzip"})

    assert await mock_transport(signer, handler, max_answer_bytes=60_000).request("GET", "x") == body
