"""Headless gig commands on a remote context, against a scripted server: discovery, tracking,
and errors that become a message and exit code 1 (never a traceback)."""

from __future__ import annotations

import json
import socket

import pytest
from keys import key_pair
from serve_process import remote_section
from stub_http import Answer, ThreadedStub

from console.cli.main import main
from console.remote.registry import GigRegistry

GIG = {"id": "5", "object": "gig", "title": "Tax review", "description": "d", "url": "u",
       "start_at": 1_700_000_000, "end_at": 1_800_000_000, "total_seats": 2,
       "invitation_mode": "auto", "filter_query": {}}


def page(*items, has_more=False):
    return Answer(body={"object": "list", "has_more": has_more, "data": list(items)})


@pytest.fixture
def remote_config(tmp_path, monkeypatch):
    """Writes a config with a remote context 'staging' for a given base URL."""
    private, _ = key_pair().write(tmp_path)

    def write(base_url: str) -> None:
        config = tmp_path / "config.toml"
        config.write_text(remote_section("staging", base_url, private, tmp_path / "data",
                                         "retries = 2\nbackoff = 0.01\n"))
        monkeypatch.setenv("CIRRO_CONSOLE_CONFIG", str(config))
    return write


def test_list_discovers_gigs_from_invitations(remote_config, capsys, tmp_path):
    invitation = {"id": "31", "object": "gig_invitation", "status": "pending", "gig_id": "5",
                  "user_id": "9"}
    with ThreadedStub([page(invitation), Answer(body=GIG)]) as server:
        remote_config(server.base_url)
        assert main(["--context", "staging", "gigs", "list", "--json"]) == 0
    assert [g["id"] for g in json.loads(capsys.readouterr().out)] == ["5"]
    assert server.seen[0].target.startswith("/api/v2/gig_invitations?limit=500")
    assert GigRegistry(tmp_path / "data" / "registry.json").cursor() == "31"


def test_track_then_list_uses_the_cursor(remote_config, capsys):
    script = [Answer(body=GIG), page(), Answer(body=GIG)]
    with ThreadedStub(script) as server:
        remote_config(server.base_url)
        assert main(["--context", "staging", "gigs", "track", "5"]) == 0
        assert main(["--context", "staging", "gigs", "list"]) == 0
    out = capsys.readouterr().out
    assert "tracking gig 5 in context 'staging': Tax review" in out
    assert "5   Tax review" in out and "auto" in out


def test_track_watch_then_poll_records_wave_history(remote_config, capsys, tmp_path):
    invitation = {"id": "31", "object": "gig_invitation", "status": "pending", "gig_id": "5",
                  "user_id": "9"}
    with ThreadedStub([Answer(body=GIG), page(invitation)]) as server:
        remote_config(server.base_url)
        assert main(["--context", "staging", "gigs", "track", "5", "--watch"]) == 0
        assert main(["--context", "staging", "gigs", "poll"]) == 0
    assert "tracking gig 5 in context 'staging' (watched)" in capsys.readouterr().out
    assert server.seen[1].target.startswith("/api/v2/gig_invitations?gig_id=5")
    registry = GigRegistry(tmp_path / "data" / "registry.json")
    assert [(w.n, w.invited) for w in registry.waves("5")] == [(0, 1)]


def test_poll_on_a_simulation_is_a_usage_error(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("CIRRO_CONSOLE_CONFIG", str(tmp_path / "absent.toml"))
    monkeypatch.setenv("CIRRO_CONSOLE_DATA", str(tmp_path / "data"))
    assert main(["gigs", "poll"]) == 2
    assert "poll is for remote contexts" in capsys.readouterr().err


def test_server_errors_end_in_a_message_and_exit_1(remote_config, capsys):
    with ThreadedStub([Answer(500, {"error": "boom"})] * 3) as server:
        remote_config(server.base_url)
        assert main(["--context", "staging", "gigs", "show", "5"]) == 1
    err = capsys.readouterr().err
    assert ("error: staging: GET gigs/5: server error 500: boom (gave up after 3 attempts) "
            "(status 500)") in err
    assert "Traceback" not in err


def test_api_error_message_is_shown(remote_config, capsys):
    with ThreadedStub([Answer(404, {"error": "Gig not found"})]) as server:
        remote_config(server.base_url)
        assert main(["--context", "staging", "gigs", "archive", "5"]) == 1
    assert "error: staging: Gig not found (status 404)" in capsys.readouterr().err


def test_unreadable_key_is_a_config_error(remote_config, capsys, tmp_path):
    remote_config("http://127.0.0.1:9/api/v2")
    (tmp_path / "app.pem").unlink()
    assert main(["--context", "staging", "gigs", "list"]) == 2
    assert "error: cannot read private key" in capsys.readouterr().err


def test_read_only_context_refuses_create(remote_config, capsys, tmp_path):
    remote_config("http://127.0.0.1:9/api/v2")
    config = tmp_path / "config.toml"
    config.write_text(config.read_text() + "read_only = true\n")
    gig = tmp_path / "gig.json"
    gig.write_text(json.dumps({k: v for k, v in GIG.items() if k not in ("id", "object")}))
    assert main(["--context", "staging", "gigs", "create", str(gig)]) == 1
    assert "context 'staging' is read-only: create gig refused" in capsys.readouterr().err


def test_a_key_others_can_read_is_warned_about(remote_config, capsys, tmp_path):
    with ThreadedStub([Answer(body=GIG)]) as server:
        remote_config(server.base_url)
        (tmp_path / "app.pem").chmod(0o640)
        assert main(["--context", "staging", "gigs", "show", "5"]) == 0
    assert "warning: private key" in capsys.readouterr().err


@pytest.mark.parametrize(("content", "problem"), [
    ("{not json", "is corrupt (line 1 column 2"),
    ('{"gigs": {"1": 5}}', "gigs.1: must be an object"),
    ('{"gigs": {"1": {"id": "9", "source": "tracked"}}}', "gigs.1: added_at: is required"),
    ('{"gigs": []}', "gigs: must be an object of rows"),
])
def test_a_damaged_registry_is_named_and_never_written(remote_config, capsys, tmp_path, content,
                                                       problem):
    """Exit 2 (a file to mend), one line naming the file and the row; a wrong-shaped file used
    to be appended to."""
    registry = tmp_path / "data" / "registry.json"
    registry.parent.mkdir()
    registry.write_text(content)
    with ThreadedStub([Answer(body=GIG)]) as server:
        remote_config(server.base_url)
        assert main(["--context", "staging", "gigs", "track", "5"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert f"gig registry {registry}" in err and problem in err
    assert registry.read_text() == content


def test_a_closed_port_is_reported_as_a_refused_connection_without_a_status(remote_config, capsys):
    with socket.socket() as probe:  # a port nothing listens on once closed
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    remote_config(f"http://127.0.0.1:{port}/api/v2")
    assert main(["--context", "staging", "gigs", "list"]) == 1
    err = capsys.readouterr().err
    assert (f"error: staging: GET gig_invitations: cannot connect to 127.0.0.1:{port}: "
            "connection refused (gave up after 3 attempts)\n") in err
    # No HTTP status is made up (the port itself may hold the digits 503).
    assert "status" not in err and "503" not in err.replace(str(port), "PORT")
