"""``serve`` over a real socket: Cirro's 401 messages, paging parameters and error bodies."""

from __future__ import annotations

import time
from email.utils import parsedate_to_datetime

import httpx
import jwt
import pytest
from keys import key_pair
from serve_process import APP_ID

from console.server import auth
from console.sim.demo import DEMO_NOW


@pytest.fixture(scope="module")
def client(served_url, key_files, answer_checker):
    pem = key_files[0].read_bytes()

    def token(**claims) -> str:
        return jwt.encode({"sub": APP_ID, "exp": int(time.time()) + 300, **claims}, pem,
                          algorithm="RS256")

    def check(response: httpx.Response) -> None:
        response.read()
        answer_checker.check(response)

    with httpx.Client(base_url=served_url + "/", timeout=5, event_hooks={"response": [check]},
                      headers={"Authorization": f"Bearer {token()}"}) as http:
        http.token = token
        yield http


@pytest.mark.parametrize(("header", "message"), [
    (None, auth.MISSING),
    ("Bearer abc", auth.UNDECODABLE),
    ("expired", auth.EXPIRED),
    ("long", auth.TOO_LONG),
    ("forged", auth.UNVERIFIABLE),
])
def test_tokens_are_checked_as_cirro_does(client, header, message):
    now = int(time.time())
    tokens = {
        "expired": client.token(exp=now - 5),
        "long": client.token(exp=now + 3600),
        "forged": jwt.encode({"sub": APP_ID, "exp": now + 60}, key_pair("other").private_pem,
                             algorithm="RS256"),
    }
    value = f"Bearer {tokens[header]}" if header in tokens else header
    headers = {"Authorization": value} if value else {}
    response = httpx.get(f"{client.base_url}gigs/1", headers=headers)
    assert (response.status_code, response.json()) == (401, {"error": message})


def test_date_header_is_the_simulated_clock(client):
    response = client.get("gigs/1")
    assert response.status_code == 200
    assert parsedate_to_datetime(response.headers["Date"]).timestamp() == DEMO_NOW


@pytest.mark.parametrize(("query", "message"), [
    ("limit=0", "limit must be an integer between 1 and 500"),
    ("limit=501", "limit must be an integer between 1 and 500"),
    ("after=nope", "No such object: nope"),
    ("status=maybe", "status must be one of pending, accepted, rejected, expired"),
    ("exclude_archived_gigs=perhaps", "exclude_archived_gigs must be true or false"),
])
def test_bad_list_parameters_are_400(client, query, message):
    response = client.get(f"gig_invitations?{query}")
    assert response.status_code == 400 and message in response.json()["error"]


def test_paging_forwards_and_backwards(client):
    first = client.get("gig_invitations?gig_id=3&limit=3").json()
    second = client.get(f"gig_invitations?gig_id=3&limit=3&after={first['data'][-1]['id']}").json()
    back = client.get(f"gig_invitations?gig_id=3&limit=3&before={second['data'][0]['id']}").json()
    assert first["has_more"] and first["object"] == "list" and first["url"] == "/gig_invitations"
    assert back["data"] == first["data"] and back["has_more"] is False
    assert len(client.get("gig_invitations?gig_id=3").json()["data"]) == 10  # Cirro's default


def test_error_bodies(client):
    cases = [
        (client.post("gigs", content=b"{not json", headers={"Content-Type": "application/json"}),
         400, "Request body is not valid JSON"),
        (client.post("gigs", json={"title": "t"}), 422, "description: is required"),
        (client.post("gigs/3/invite", json={}), 400, "user_id or users is required"),
        (client.post("gigs/3/invite", json={"user_id": 1, "no_reward": "no"}), 400,
         "no_reward must be true or false, not 'no'"),
        (client.get("nothing/here"), 404, "Not found"),
        (client.post("gig_invitations/1/approve"), 404, "Not found"),
        (client.get("gigs/999999"), 404, "gig 999999 not found"),
    ]
    for response, status, message in cases:
        assert response.status_code == status and message in response.json()["error"]
