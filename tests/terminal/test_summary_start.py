"""The summary-first start on the installed console, read off the screen: the gig list as saved
(``gigs.summary.json``) shows before the backend is open, a summary that does not match the state
is never shown, and keys typed meanwhile take effect in order once the backend is open.

The backend's opening is held at a known point: the context names a forecast model that is a
named pipe, which the opening reads (console.forecast.context_model) and which the test writes
only once it has seen what it waits for.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from console.forecast.fit import fit_group
from console.forecast.model import ResponseModel
from console.forecast.observations import Observation
from console.sim.file_names import SUMMARY_FILE

from .conftest import seeded_home
from .harness import Terminal, scratch_env, start

DATA = Path(".local/share/cirro-console/local")
SAVED_TITLE = "Onboarding (as saved)"  # the summary's title of gig 1; the state's differs
OPENING = "as saved, opening"


def summary_titled(home: Path, title: str, **changes: object) -> None:
    """Gig 1 named ``title`` in the summary only (and its other keys changed as given)."""
    path = home / DATA / SUMMARY_FILE
    summary = json.loads(path.read_text())
    summary["rows"][0][1] = title
    summary.update(changes)
    path.write_text(json.dumps(summary))


class HeldOpening:
    """The context's forecast model as a named pipe: the backend's opening waits on it."""

    def __init__(self, home: Path) -> None:
        self.pipe = home / "model.toml"
        os.mkfifo(self.pipe)
        config = home / ".config/cirro-console/config.toml"
        config.parent.mkdir(parents=True)
        config.write_text(f'[contexts.local]\nkind = "local"\nforecast_model = "{self.pipe}"\n')

    def release(self) -> None:
        """Write the model (on a thread: opening the pipe waits for its reader)."""
        answered = [Observation(str(i), 0.5 + (i % 10) / 5, True, i % 3 == 0) for i in range(60)]
        text = ResponseModel(fit_group(answered), source="test").to_toml()
        writer = threading.Thread(target=self.pipe.write_text, args=(text,), daemon=True)
        writer.start()


@pytest.fixture
def home(demo_dir, tmp_path) -> Path:
    return seeded_home(tmp_path / "home", demo_dir)


@pytest.fixture
def console_of(home) -> Iterator[list[Terminal]]:
    started: list[Terminal] = []
    yield started
    for terminal in started:
        terminal.close()


def run(home: Path, started: list[Terminal]) -> Terminal:
    started.append(start([], scratch_env(home)))
    return started[-1]


def test_the_gig_list_shows_from_the_summary_before_the_backend_is_open(home, console_of):
    summary_titled(home, SAVED_TITLE)
    opening = HeldOpening(home)
    console = run(home, console_of)
    screen = console.wait_for(OPENING)
    assert SAVED_TITLE in screen and "Onboarding survey" not in screen, screen
    assert "8 of 8 gigs" in screen and "Usability interviews (EU)" in screen, screen
    opening.release()
    # The saved rows all replaced: waited for as a whole, since a frame read half-written (the
    # new first row over the old list) holds both titles for a moment.
    console.wait_for(lambda text: "Onboarding survey" in text and OPENING not in text
                     and SAVED_TITLE not in text and "8 of 8 gigs" in text)


@pytest.mark.parametrize("unusable", ["stale", "damaged"])
def test_a_summary_that_does_not_match_the_state_is_never_shown(home, console_of, unusable):
    if unusable == "stale":  # the saved rows of another state.json
        summary_titled(home, SAVED_TITLE, state_crc32=0)
    else:
        (home / DATA / SUMMARY_FILE).write_text('{"format": 1, "rows": [["1", "Onb')
    console = run(home, console_of)
    screen = console.wait_for(lambda text: "Onboarding survey" in text and "8 of 8 gigs" in text)
    assert "Usability interviews (EU)" in screen, screen
    # Nothing of the summary was ever written to the terminal.
    written = bytes(console.output).decode(errors="replace")
    assert OPENING not in written and "as saved" not in written


def test_keys_typed_while_the_backend_opens_take_effect_in_order(home, console_of):
    opening = HeldOpening(home)
    console = run(home, console_of)
    console.wait_for(OPENING)
    # The filter line, its text, enter (the filter kept), S (a key of the list, not text), then
    # enter: open the one gig listed, which needs the backend.
    console.send("/Smo", "enter", "S", "enter")
    screen = console.wait_for("keys wait")
    assert "filter" not in screen.split("8 of 8 gigs")[-1], screen  # nothing acted yet
    opening.release()
    console.wait_for(lambda text: "6  live  accepted" in text and "Smoke test iOS 18" in text)
    console.send("escape")
    screen = console.wait_for("filter 'Smo' · sorted by id descending")
    assert "1 of 8 gigs" in screen and OPENING not in screen, screen


def test_enter_typed_before_the_console_started_acts_as_enter(home, console_of):
    """Keys typed ahead of the start reach the terminal before it is raw: Enter arrives as LF
    (the tty's ICRNL), read as ctrl+j; the filter's enter then the list's enter still act."""
    console = run(home, console_of)
    console.send("/Smo", "enter", "enter")  # at once: the console is still importing
    console.wait_for(lambda text: "6  live  accepted" in text and "Smoke test iOS 18" in text)
