"""Pasted text that holds an ESC arrives whole, as one paste, and types no keys
(console/tui/paste_guard.py)."""

from __future__ import annotations

import pytest
from textual import events
from textual.drivers import linux_driver

from console.tui.app import CirroApp
from console.tui.paste_guard import (
    PUBLISHED_PARSER,
    SHOWN_ESC,
    PasteSafeParser,
    keep_escapes_in_pastes,
)

COLORED = "\x1b[200~abc\x1b[31mdef\x1b[0m\x1b[201~"


def parsed(parser, chunks: list[str]) -> list[object]:
    found: list[object] = []
    for chunk in chunks:
        found += parser.feed(chunk)
    found += parser.feed("")
    return [(type(e).__name__, e.text if isinstance(e, events.Paste) else e.key)
            for e in found if isinstance(e, (events.Paste, events.Key))]


def test_textuals_own_parser_still_leaks_a_pasted_escape_as_keys():
    """The fault the guard is for: when this fails, Textual fixed it and the guard goes."""
    found = parsed(PUBLISHED_PARSER(), [COLORED])
    assert ("Key", "circumflex_accent") in found
    assert found[-1] == ("Paste", "abc")


def test_a_pasted_escape_stays_in_the_paste_and_shows():
    assert parsed(PasteSafeParser(), [COLORED]) == [
        ("Paste", f"abc{SHOWN_ESC}[31mdef{SHOWN_ESC}[0m")]


@pytest.mark.parametrize("cut", range(1, len(COLORED)))
def test_a_paste_cut_anywhere_between_reads_arrives_the_same(cut: int):
    parser = PasteSafeParser()
    assert parsed(parser, [COLORED[:cut], COLORED[cut:]]) == [
        ("Paste", f"abc{SHOWN_ESC}[31mdef{SHOWN_ESC}[0m")]


@pytest.mark.parametrize("typed", [
    "ab\x1b[A", "\x1b[1;5C", "x\x1bOP", "\x1b[200", "q\x1b[201~r", "\x1b[200~plain\x1b[201~z",
])
def test_input_without_an_escape_in_a_paste_parses_as_textuals_does(typed: str):
    for chunks in ([typed], list(typed)):
        assert parsed(PasteSafeParser(), chunks) == parsed(PUBLISHED_PARSER(), chunks)


def test_an_end_marker_cut_short_is_not_held_past_the_end_of_input():
    # The paste never ends: what is held goes to Textual's parser at the end of input.
    assert PasteSafeParser().guard("\x1b[200~ab\x1b[20") == "\x1b[200~ab"
    parser = PasteSafeParser()
    parser.guard("\x1b[200~ab\x1b[20")
    assert parser.guard("") == "\x1b[20"


def test_the_console_runs_on_the_guarded_parser(backend, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(linux_driver, "XTermParser", PUBLISHED_PARSER)
    CirroApp(backend)
    assert linux_driver.XTermParser is PasteSafeParser
    keep_escapes_in_pastes()  # twice is harmless
    assert linux_driver.XTermParser is PasteSafeParser
