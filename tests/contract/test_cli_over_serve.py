"""End to end: ``gigs list --json`` on a remote context served by ``serve`` lists the same gigs
as the local context behind it, once the gigs the API cannot reveal are tracked."""

from __future__ import annotations

import json

import pytest
from serve_process import copy_sim, local_section, remote_section, serve_process

from console.cli.main import main
from console.sim.demo import DEMO_NOW


@pytest.fixture
def contexts(demo_dir, key_files, tmp_path, monkeypatch):
    sim = copy_sim(demo_dir, tmp_path / "sim")
    with serve_process(sim, tmp_path, key_files[1]) as url:
        config = tmp_path / "config.toml"
        config.write_text(local_section("sim", sim)
                          + remote_section("shared", url, key_files[0], tmp_path / "registry"))
        monkeypatch.setenv("CIRRO_CONSOLE_CONFIG", str(config))
        yield


def gigs(capsys, context: str) -> dict[str, dict]:
    capsys.readouterr()
    assert main(["--context", context, "gigs", "list", "--json"]) == 0
    return {gig["id"]: gig for gig in json.loads(capsys.readouterr().out)}


def test_remote_list_matches_the_local_context_behind_serve(contexts, capsys, tmp_path):
    local = gigs(capsys, "sim")
    remote = gigs(capsys, "shared")
    # Discovery finds every gig that has invitations; the rest cannot be seen through the API.
    assert remote.items() <= local.items()
    unseen = sorted(set(local) - set(remote))
    assert unseen and all(local[g]["start_at"] > DEMO_NOW for g in unseen)  # not started yet
    for gig_id in unseen:
        assert main(["--context", "shared", "gigs", "track", gig_id]) == 0
    assert gigs(capsys, "shared") == local

    body = {k: v for k, v in local[unseen[0]].items()
            if k not in ("id", "object", "archived_at", "tasks", "invitation_notification_topic")}
    path = tmp_path / "gig.json"
    path.write_text(json.dumps(body | {"title": "Created over the API"}))
    assert main(["--context", "shared", "gigs", "create", str(path)]) == 0
    local, remote = gigs(capsys, "sim"), gigs(capsys, "shared")
    assert remote == local and "Created over the API" in [g["title"] for g in local.values()]
