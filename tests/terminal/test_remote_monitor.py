"""The wave monitor on a remote context, against a real ``serve`` on loopback: the operator's
actions on invitations reach the server and the console shows what it applied."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from keys import key_pair
from serve_process import copy_sim, remote_section, serve_process

from .harness import Terminal, scratch_env, start

COUNTS = re.compile(r"invited (\d+)  accepted (\d+)  pending (\d+)  rejected (\d+)  expired (\d+)")


@pytest.fixture(scope="module")
def remote_console(demo_dir, tmp_path_factory) -> Iterator[Terminal]:
    work = tmp_path_factory.mktemp("remote")
    private, public = key_pair().write(work)
    with serve_process(copy_sim(demo_dir, work / "sim"), work, public) as url:
        home = work / "home"
        config = home / ".config/cirro-console/config.toml"
        config.parent.mkdir(parents=True)
        config.write_text('default_context = "served"\n'
                          + remote_section("served", url, private, work / "registry"))
        terminal = start([], scratch_env(home))
        try:
            yield terminal
        finally:
            terminal.close()


def first_row(text: str) -> str:
    """The line under the invitations table's header."""
    rows = text.split("\n")
    header = next((i for i, row in enumerate(rows) if "WORKER" in row), None)
    return rows[header + 1] if header is not None and header + 1 < len(rows) else ""


def counts(text: str) -> dict[str, int]:
    match = COUNTS.search(text)
    assert match, text
    return dict(zip(("invited", "accepted", "pending", "rejected", "expired"),
                    map(int, match.groups()), strict=True))


def test_invitation_actions_apply_on_the_server_and_show(remote_console: Terminal):
    console = remote_console
    console.send("3")
    console.wait_for("Checkout regression (Android)")
    console.send("j", "j", "enter")  # the overview lists gigs 3 4 5 6: watch 5
    console.wait_for(lambda text: "Checkout regression (Android) ·" in text and COUNTS.search(text))
    console.send("i", "/", "pending", "enter")
    # The first row under the table's header is a pending invitation: the cursor's.
    # (As a word: the row may end there, or with the scrollbar's thumb.)
    before = counts(console.wait_for(lambda text: "pending" in first_row(text).split()))
    console.send("A")
    console.wait_for("Accept 1 invitation?")
    console.send("y")
    console.wait_for("1 invitation updated")
    after = counts(console.wait_for(lambda text: counts(text)["accepted"] == before["accepted"] + 1))
    assert after["pending"] == before["pending"] - 1
    # Reject, expire and reset end in the same place as accept; one more, to see it stays up.
    console.send("X")
    console.wait_for("Expire 1 invitation?")
    console.send("y")
    console.wait_for(lambda text: counts(text)["expired"] == before["expired"] + 1)
