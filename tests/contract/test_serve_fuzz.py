"""Property-based fuzz of every ``serve`` route over a real socket: hypothesis picks the route,
the ids in its path, the query string, the headers and the body. Whatever it sends, ``serve``
never answers 5xx, always answers JSON (errors as Cirro's ``{"error": message}``), and a probe
client reading all along is answered promptly (see :data:`PROBE_LIMIT`)."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import quote, urlencode

import httpx
import jwt
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from serve_process import APP_ID, serve_process

from console.backends.local import LocalBackend
from console.server.app import API_PREFIX, ROUTES
from console.server.openapi import OPENAPI_PATH
from console.server.space_routes import SPACE_ROUTES
from console.sim.demo import DEMO_NOW

REQUESTS = 5_000
ALL_ROUTES = [*ROUTES, *SPACE_ROUTES, (OPENAPI_PATH, "GET", None)]
# Hypothesis costs less per request when one example is a batch of requests.
BATCH = 25
# The goal is 100 ms (the test prints the worst it saw); the bound leaves room for a loaded
# 2-core machine, while a server held by one request shows as seconds.
PROBE_LIMIT = 0.5

GIG_FIELDS = ["title", "description", "url", "start_at", "end_at", "archive_at", "total_seats",
              "seats_min", "seats_max", "invitation_mode", "invitation_multiplier",
              "invitation_frequency", "filter_query", "sort_query", "tasks",
              "notification_payload", "invitation_notification_topic", "epam_options"]
OTHER_FIELDS = ["user_id", "users", "no_reward", "silent", "document", "gig_ids", "max_amount",
                "archived_at", "base_price", "id", "gig_id", "email", "password", "first_name",
                "country_code", "time_zone", "birthday", "locale", "topics", "amount",
                "idempotency_key", "description", "duration_in_ms", "date", "delivery_date"]
QUERY_NAMES = ["limit", "after", "before", "gig_id", "user_id", "status", "status[]",
               "exclude_archived_gigs"]

# Text is drawn as bytes (one draw each, where st.text draws per character): 5,000 requests
# must be generated well within CI's budget.
def texts(max_size: int) -> st.SearchStrategy[str]:
    return st.binary(max_size=max_size).map(lambda raw: raw.decode("utf-8", "replace"))


scalars = (st.none() | st.booleans() | st.integers(min_value=-2**70, max_value=2**70)
           | st.floats(allow_nan=True, allow_infinity=True)
           | st.integers(DEMO_NOW - 10**6, DEMO_NOW + 10**6) | texts(20)
           | st.sampled_from(["1", "3", "auto", "manual", "pending", "$regex", "^(a|a)+$",
                             "\udfff"]))  # a lone surrogate: JSON lets it in as an escape
json_values = st.recursive(
    scalars,
    lambda inner: (st.lists(inner, max_size=4)
                   | st.dictionaries(texts(8) | st.sampled_from(
                       ["$or", "$and", "$regex", "$in", "$gt", "$elemMatch", "email", "id"]),
                       inner, max_size=4)),
    max_leaves=6)
field_bodies = st.dictionaries(st.sampled_from(GIG_FIELDS + OTHER_FIELDS), json_values,
                               max_size=8)
# A body is JSON of any shape, a dict of the fields the routes read, or bytes that are no JSON.
bodies = (st.none() | field_bodies.map(json.dumps) | json_values.map(json.dumps)
          | st.binary(max_size=64))
ids = (st.sampled_from(["1", "2", "3", "4", "5", "u1", "w-1"])
       | st.integers(-10, 10**20).map(str) | texts(30).filter(bool))
queries = st.lists(st.tuples(st.sampled_from(QUERY_NAMES) | texts(6),
                             texts(12) | st.integers(-5, 600).map(str)),
                   max_size=4).map(urlencode)
# Header values are bytes: latin-1 without control characters or surrounding blanks.
header_values = st.binary(max_size=40).map(
    lambda raw: bytes(b for b in raw if 0x20 <= b != 0x7F).strip())
extra_headers = st.dictionaries(st.sampled_from(["x-junk", "content-type", "accept", "origin",
                                                "if-none-match", "x-forwarded-for"]),
                                header_values, max_size=2)


def _route_path(template: str, draw: st.DrawFn) -> str:
    path = template
    while "{" in path:
        start, end = path.index("{"), path.index("}")
        name = path[start + 1:end]
        value = (draw(st.sampled_from(["accept", "reject", "expire", "reset"]) | ids)
                 if name == "action" else draw(ids))
        path = path[:start] + quote(value, safe="") + path[end + 1:]
    return path


@st.composite
def requests(draw: st.DrawFn, token: str) -> tuple[str, str, dict[str, bytes], bytes | None]:
    template, method, _ = draw(st.sampled_from(ALL_ROUTES))
    method = draw(st.sampled_from([method, method, method, "GET", "POST", "DELETE", "PUT"]))
    path = f"{API_PREFIX}{_route_path(template, draw)}"
    query = draw(queries)
    headers = dict(draw(extra_headers))
    auth = draw(st.sampled_from(["valid"] * 8 + ["none", "junk", "bearer-junk"]))
    if auth == "valid":
        headers["authorization"] = f"Bearer {token}".encode()
    elif auth == "junk":
        headers["authorization"] = draw(header_values)
    elif auth == "bearer-junk":
        headers["authorization"] = (b"Bearer " + draw(header_values)).strip()
    body = draw(bodies)
    return method, f"{path}?{query}" if query else path, headers, (
        body.encode() if isinstance(body, str) else body)


# The probe runs in its own process: in this one it would wait for hypothesis to let go of
# the GIL, and measure that rather than the server.
PROBE = """
import sys, time, httpx
url, token = sys.argv[1], sys.argv[2]
worst, answers = 0.0, 0
with httpx.Client(base_url=url, timeout=30, headers={"Authorization": "Bearer " + token}) as c:
    print("ready", flush=True)
    while not sys.stdin.readline().strip():
        started = time.monotonic()
        answers += c.get("gigs/2").status_code == 200
        worst = max(worst, time.monotonic() - started)
print(answers, worst, flush=True)
"""


@contextmanager
def probe(url: str, token: str) -> Iterator[dict[str, float]]:
    """Reads a gig over its own connection every 20 ms; yields, then fills, the count of
    answers and the slowest one."""
    process = subprocess.Popen([sys.executable, "-c", PROBE, url, token], text=True,
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    assert process.stdin and process.stdout and process.stdout.readline() == "ready\n"
    ticking = threading.Event()

    def tick() -> None:
        while not ticking.wait(0.02):
            process.stdin.write("\n")
            process.stdin.flush()

    ticker = threading.Thread(target=tick)
    ticker.start()
    result: dict[str, float] = {}
    try:
        yield result
    finally:
        ticking.set()
        ticker.join()
        answers, worst = process.communicate("stop\n", timeout=30)[0].split()
        result.update(answers=int(answers), worst=float(worst))


@pytest.fixture(scope="module")
def fuzz_target(key_files, tmp_path_factory):
    """A demo with few workers: its saves are quick, so the fuzz measures the server, not
    TinyDB rewriting a large simulation after each accepted change."""
    work = tmp_path_factory.mktemp("fuzz")
    LocalBackend.open(work / "sim", workers=200).store.close()
    token = jwt.encode({"sub": APP_ID, "exp": int(time.time()) + 600},
                       key_files[0].read_bytes(), algorithm="RS256")
    with serve_process(work / "sim", work, key_files[1]) as url:
        yield url, token


def test_no_request_gets_a_5xx_or_a_body_that_is_not_cirros(fuzz_target):
    url, token = fuzz_target
    root = httpx.URL(url).copy_with(path="/")
    sent = 0
    started = time.monotonic()
    with httpx.Client(base_url=root, timeout=30) as client, probe(url + "/", token) as probed:

        @settings(max_examples=REQUESTS // BATCH, deadline=None, database=None,
                  phases=[Phase.generate, Phase.shrink],
                  suppress_health_check=list(HealthCheck))
        @given(st.lists(requests(token), min_size=BATCH, max_size=BATCH))
        def batch(batch: list[tuple[str, str, dict[str, bytes], bytes | None]]) -> None:
            nonlocal sent
            for request in batch:
                method, target, headers, body = request
                response = client.request(method, target, headers=headers, content=body)
                sent += 1
                assert response.status_code < 500, (request, response.text)
                answer = response.json()
                if response.status_code >= 400:
                    assert list(answer) == ["error"] and isinstance(answer["error"], str), (
                        request, answer)

        batch()
    elapsed = time.monotonic() - started
    print(f"\nfuzz: {sent} requests in {elapsed:.1f} s, {probed['answers']} probe reads, "
          f"worst probe {probed['worst'] * 1000:.0f} ms")
    assert sent >= REQUESTS
    assert probed["answers"] > 0 and probed["worst"] < PROBE_LIMIT, probed
