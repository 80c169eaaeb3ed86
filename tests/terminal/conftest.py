from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from serve_process import copy_sim

from .harness import Terminal, scratch_env, start


def seeded_home(home: Path, demo_dir: Path) -> Path:
    """A scratch HOME whose default local context already holds the demo (built once per run),
    so that a console start does not build it again."""
    copy_sim(demo_dir, home / ".local/share/cirro-console/local")
    return home


@pytest.fixture(scope="module")
def console(demo_dir, tmp_path_factory) -> Iterator[Terminal]:
    """One console on the demo, shared by the tests of a module (a start costs 1-2 s): each test
    leaves it on the gig list as it found it."""
    home = seeded_home(tmp_path_factory.mktemp("home"), demo_dir)
    terminal = start([], scratch_env(home))
    try:
        terminal.wait_for("8 of 8 gigs")
        yield terminal
    finally:
        terminal.close()
