"""Log records (a retry, a warning) never draw over the console's screen: they go to its log
file while it runs."""

from __future__ import annotations

import socket

from keys import key_pair
from serve_process import remote_section

from .harness import scratch_env, start


def refused_url() -> str:
    """A loopback port nothing listens on (bound, then closed)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/api/v2"


def test_retry_warnings_go_to_the_log_file_not_over_the_header(tmp_path):
    private, _ = key_pair().write(tmp_path)
    home = tmp_path / "home"
    config = home / ".config/cirro-console/config.toml"
    config.parent.mkdir(parents=True)
    config.write_text('default_context = "down"\n'
                      + remote_section("down", refused_url(), private, tmp_path / "registry",
                                       "retries = 2\nbackoff = 0.05\n"))
    terminal = start([], scratch_env(home))
    log = home / ".local/share/cirro-console/console.log"

    def retries() -> int:
        return log.read_text().count("retry 1 of 2") if log.is_file() else 0

    try:
        terminal.wait_for(lambda text: "● " in text.split("\n")[0] and retries() >= 1)
        # The next poll (every 10 s) comes once the screen is drawn: its warnings too.
        before = retries()
        terminal.wait_for(lambda text: retries() > before, deadline=40)
        screen = terminal.wait_for(lambda text: "connection refused" in text)
        assert screen.split("\n")[0].startswith(" 1 Gigs  down")
        assert "WARNING" not in screen and "retry" not in screen
    finally:
        terminal.close()
