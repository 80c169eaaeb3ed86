"""``serve`` against hostile input over a real socket: out-of-range numbers, oversized bodies,
strings, documents, headers and ids, and a catastrophic regex, all answered in Cirro's shape
without holding other clients."""

from __future__ import annotations

import json
import socket
import threading
import time

import httpx
import jwt
import pytest
from serve_process import APP_ID

from console.server.limits import (HEAD_DEADLINE, MAX_BODY_BYTES, MAX_DEPTH, MAX_HEAD_BYTES,
                                   MAX_ITEMS, MAX_STRING_CHARS)
from console.server.protocol import connection_limit
from console.sim.demo import DEMO_NOW

GIG = {"title": "t", "description": "d", "url": "u", "start_at": DEMO_NOW - 60,
       "end_at": DEMO_NOW + 86_400, "total_seats": 1, "invitation_mode": "manual",
       "filter_query": {}}


@pytest.fixture(scope="module")
def client(served_url, key_files):
    # One token for the module (loading the PEM for each would cost ~100 ms a request).
    token = jwt.encode({"sub": APP_ID, "exp": int(time.time()) + 600},
                       key_files[0].read_bytes(), algorithm="RS256")
    with httpx.Client(base_url=served_url + "/", timeout=30,
                      headers={"Authorization": f"Bearer {token}"}) as http:
        yield http


def raw_exchange(url: httpx.URL, data: bytes) -> tuple[int, dict]:
    """Send raw bytes; the status and JSON body of the answer (read before any reset)."""
    with socket.create_connection((url.host, url.port), timeout=30) as sock:
        try:
            sock.sendall(data)
        except OSError:
            pass  # the server may answer and close before it has read everything
        answer = b""
        try:
            while chunk := sock.recv(65536):
                answer += chunk
        except ConnectionResetError:
            pass
    head, _, body = answer.partition(b"\r\n\r\n")
    return int(head.split()[1]), json.loads(body)


@pytest.mark.parametrize(("field", "value"), [("invitation_frequency", 1e307),
                                              ("invitation_multiplier", 1e308),
                                              ("end_at", 10**16), ("total_seats", 10**12)])
def test_numbers_out_of_range_are_422_naming_the_field(client, field, value):
    response = client.post("gigs", json={**GIG, field: value})
    assert response.status_code == 422 and response.json()["error"].startswith(f"{field}: ")


def test_a_body_over_the_limit_is_413_before_or_while_reading(client):
    big = b" " * (MAX_BODY_BYTES + 1)
    declared = client.post("gigs", content=big, headers={"Content-Type": "application/json"})

    def chunks():
        for _ in range(20):
            yield b" " * (MAX_BODY_BYTES // 10)

    streamed = client.post("gigs", content=chunks(), headers={"Content-Type": "application/json"})
    for response in (declared, streamed):
        assert response.status_code == 413
        assert response.json() == {"error": f"Request body is larger than {MAX_BODY_BYTES} bytes"}


@pytest.mark.parametrize(("body", "status", "message"), [
    ({**GIG, "description": "x" * (MAX_STRING_CHARS + 1)}, 422,
     f"description: strings are limited to {MAX_STRING_CHARS} characters"),
    ({**GIG, "filter_query": {"tags": {"$in": list(range(MAX_ITEMS + 1))}}}, 422,
     f"filter_query.tags.$in: arrays are limited to {MAX_ITEMS} items"),
    ("[" * 200_000, 400, "Request body is not valid JSON: nested too deeply"),
    ('{"a":' * (MAX_DEPTH + 1) + "1" + "}" * (MAX_DEPTH + 1), 422,
     f"levels of nesting"),
])
def test_sizes_inside_a_body_are_limited(client, body, status, message):
    content = body if isinstance(body, str) else json.dumps(body)
    response = client.post("gigs", content=content, headers={"Content-Type": "application/json"})
    assert response.status_code == status and message in response.json()["error"]


@pytest.mark.parametrize("request_bytes", [
    b"GET /api/v2/gigs/1 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + b"a" * 1_000_000
    + b"\r\n\r\n",
    b"GET /api/v2/gigs/" + b"1" * 1_000_000 + b" HTTP/1.1\r\nHost: x\r\n\r\n",
    b"GET /api/v2/gigs/\xff\xfe HTTP/1.1\r\nHost: x\r\n\r\n",
    b"NOT HTTP AT ALL\r\n\r\n",
], ids=["1MB-authorization", "1MB-id", "non-ascii-path", "garbage"])
def test_what_uvicorn_refuses_itself_is_cirros_json_400(served_url, request_bytes):
    status, body = raw_exchange(httpx.URL(served_url), request_bytes)
    assert status == 400 and body["error"].startswith("Invalid HTTP request")


def test_the_head_limit_is_counted_whole_headers_too(served_url):
    """A head just over the limit, complete, in one piece: the parser hands it over whole, and
    it is still refused; one well under the limit is served."""
    def with_header(size: int) -> bytes:
        return (b"GET /api/v2/openapi.json HTTP/1.1\r\nHost: x\r\nX-Pad: " + b"p" * size
                + b"\r\nConnection: close\r\n\r\n")
    status, body = raw_exchange(httpx.URL(served_url), with_header(MAX_HEAD_BYTES + 10))
    assert status == 400 and body["error"].startswith("Invalid HTTP request")
    status, _ = raw_exchange(httpx.URL(served_url), with_header(MAX_HEAD_BYTES - 1000))
    assert status == 200


def answer_of(sock: socket.socket) -> tuple[int, dict] | None:
    """The status and JSON body of what the server sent on ``sock``; None if nothing yet."""
    try:
        answer = sock.recv(65536)
    except (BlockingIOError, socket.timeout):
        return None
    except ConnectionResetError:
        return 0, {}
    head, _, body = answer.partition(b"\r\n\r\n")
    return (int(head.split()[1]), json.loads(body)) if answer else (0, {})


def start_head(url: httpx.URL) -> socket.socket:
    sock = socket.create_connection((url.host, url.port), timeout=30)
    sock.sendall(b"GET /api/v2/openapi.json HTTP/1.1\r\nHost: x\r\n")
    sock.setblocking(False)
    return sock


def test_a_head_dripped_past_the_deadline_is_a_408(served_url):
    """A header a quarter second: before, the connection stayed open for as long as the client
    went on (800 of them for good; 20,000 used up serve's file descriptors)."""
    url = httpx.URL(served_url)
    with start_head(url) as sock:
        deadline = time.monotonic() + HEAD_DEADLINE + 10
        while (answer := answer_of(sock)) is None and time.monotonic() < deadline:
            try:
                sock.send(b"X-Drip: 1\r\n")
            except OSError:
                continue
            time.sleep(0.25)  # the client's pace, not a wait for the server
    assert answer is not None, f"no answer {HEAD_DEADLINE + 10:g} s into a dripped head"
    assert answer[0] == 408 and "not received within" in answer[1]["error"]
    assert httpx.get(served_url + "/openapi.json").status_code == 200


def test_past_the_connection_limit_the_longest_waiting_head_is_closed(served_url):
    url = httpx.URL(served_url)
    # serve runs with this process's file descriptor limit, so with the same connection limit.
    waiting = [start_head(url) for _ in range(connection_limit() + 20)]
    try:
        assert httpx.get(served_url + "/openapi.json", timeout=30).status_code == 200
        deadline = time.monotonic() + 20
        answers: dict[int, tuple[int, dict]] = {}
        while len(answers) < 20 and time.monotonic() < deadline:
            for i, sock in enumerate(waiting[:40]):
                if i not in answers and (answer := answer_of(sock)) is not None:
                    answers[i] = answer
            time.sleep(0.02)
        assert len(answers) >= 20, f"only {len(answers)} of the first 40 heads were closed"
        assert {status for status, _ in answers.values()} <= {503, 0}
        assert any(body.get("error", "").startswith("Too many connections")
                   for _, body in answers.values())
    finally:
        for sock in waiting:
            sock.close()


def test_a_catastrophic_regex_does_not_hold_other_clients(client):
    """One invitation attempt runs a regex that backtracks for seconds; reads go on meanwhile."""
    assert client.post("users/hd2-regex/worker",
                       json={"document": {"email": "a" * 21 + "!"}}).status_code == 200
    gig = client.post("gigs", json={**GIG, "filter_query": {"email": {"$regex": "^(a|a)+$"}}})
    attempt: dict[str, httpx.Response] = {}

    def run_attempt() -> None:
        attempt["response"] = client.post("users/hd2-regex/invitation_attempt",
                                          json={"gig_ids": [gig.json()["id"]]})

    thread = threading.Thread(target=run_attempt)
    thread.start()
    latencies: list[float] = []
    deadline = time.monotonic() + 60
    # Read until the attempt is answered (a regex time limit may end it early, with a 422).
    while not latencies or (thread.is_alive() and time.monotonic() < deadline):
        started = time.monotonic()
        assert client.get("gigs/1").status_code == 200
        latencies.append(time.monotonic() - started)
    thread.join(timeout=120)
    assert max(latencies) < 0.2, latencies
    assert attempt["response"].status_code in (201, 422)


@pytest.mark.parametrize("path", ["gigs/%2F", "gigs/1/", "gig_invitations/"])
def test_a_stray_slash_is_a_json_404_not_a_redirect(client, path):
    response = client.get(path)
    assert (response.status_code, response.json()) == (404, {"error": "Not found"})


def test_another_apps_token_and_a_nan_exp_get_cirros_401(served_url, key_files):
    pem = key_files[0].read_bytes()
    now = int(time.time())
    other_app = jwt.encode({"sub": "app-2", "exp": now + 60}, pem, algorithm="RS256")
    never_expires = jwt.api_jws.encode(f'{{"sub": "{APP_ID}", "exp": NaN}}'.encode(), pem,
                                       algorithm="RS256")
    for token in (other_app, never_expires):
        response = httpx.get(f"{served_url}/gigs/1", headers={"Authorization": f"Bearer {token}"})
        assert (response.status_code, response.json()) == (
            401, {"error": "Can not verify the access token"})


def test_an_archive_time_past_year_9999_is_refused_not_stored(client):
    gig = client.post("gigs", json=GIG).json()
    response = client.post(f"gigs/{gig['id']}/archive", json={"archive_at": 10**30})
    assert response.status_code == 422 and "archive_at: must be a UNIX time" in response.json()[
        "error"]
    assert client.get(f"gigs/{gig['id']}").json().get("archive_at") is None


def test_a_gig_s_text_over_the_model_s_limits_is_422_naming_the_field(client):
    # 30,000 characters pass the body's 65,536-character string limit: the model bounds it.
    response = client.post("gigs", json={**GIG, "description": "d" * 30_000})
    assert response.status_code == 422
    assert response.json() == {
        "error": "description: must be at most 20,000 characters (got 30,000)"}
    gig = client.post("gigs", json={**GIG, "tasks": [{"title": "t", "base_price": 1}] * 100})
    assert gig.status_code == 201
    task = client.post(f"gigs/{gig.json()['id']}/tasks", json={"title": "t", "base_price": 1})
    assert task.status_code == 422
    assert task.json()["error"].endswith("tasks: a gig has at most 100 tasks (got 101)")


GIG_TEXT = json.dumps(GIG).encode()


@pytest.mark.parametrize(("content_type", "message"), [
    ("text/plain", "Content-Type 'text/plain' is not supported: send the body as application/json"),
    ("application/x-www-form-urlencoded",  # what curl -d sends
     "Content-Type 'application/x-www-form-urlencoded' is not supported"),
    (None, "Request body has no Content-Type: send it as application/json"),
    ("", "Content-Type '(blank)' is not supported"),
    ("application/json; charset=latin-1",
     "Content-Type charset 'latin-1' is not supported: JSON is sent as utf-8"),
    ("application/jsonx", "Content-Type 'application/jsonx' is not supported"),
])
def test_a_body_not_sent_as_json_is_415_and_nothing_is_created(client, content_type, message):
    before = int(client.post("gigs", json=GIG).json()["id"])
    headers = {} if content_type is None else {"Content-Type": content_type}
    response = client.post("gigs", content=GIG_TEXT, headers=headers)
    assert response.status_code == 415 and response.json()["error"].startswith(message)
    assert int(client.post("gigs", json=GIG).json()["id"]) == before + 1  # none made between


@pytest.mark.parametrize("content_type", [
    "application/json", "Application/JSON", "application/json; charset=utf-8",
    'application/json;charset="UTF-8"', "application/vnd.api+json"])
def test_json_media_types_and_utf8_charsets_are_read(client, content_type):
    response = client.post("gigs", content=GIG_TEXT, headers={"Content-Type": content_type})
    assert response.status_code == 201, response.text


def test_an_action_without_a_body_needs_no_content_type(client):
    gig = client.post("gigs", json=GIG).json()
    response = client.post(f"gigs/{gig['id']}/archive", headers={"Content-Type": "text/plain"})
    assert response.status_code == 200, response.text
