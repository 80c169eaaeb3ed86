"""A fix of Textual 8.2.8's input parser: an ESC inside a bracketed paste stays in the paste.

Inside a paste, Textual's parser starts an escape sequence at each ESC but adds the characters
after it to no paste; the sequence it cannot place is sent on as key presses, ahead of the
Paste event. So pasting ``abc<ESC>[31mdef`` (colored terminal output) typed ``^[31mdef`` as
keys into whatever has the focus, then pasted ``abc``: keys the operator never pressed.

The parser here hands Textual's a paste whose ESCs, other than the one of the paste's end
marker, are replaced by the visible ``␛`` (U+241B): the text arrives whole in one Paste event
and shows what was in it. Installed by the console's app (not on import), for the Linux driver
the console runs on. ``tests/tui/test_paste_guard.py`` fails once a Textual release fixes the
parser; then this module goes.
"""

from __future__ import annotations

from collections.abc import Iterable

from textual.drivers import linux_driver
from textual.message import Message
from textual._xterm_parser import XTermParser

PUBLISHED_PARSER = linux_driver.XTermParser
PASTE_START = "\x1b[200~"
PASTE_END = "\x1b[201~"
ESC = "\x1b"
SHOWN_ESC = "\u241b"


class PasteSafeParser(XTermParser):
    """Textual's parser, fed text in which no ESC but an end marker's is inside a paste."""

    def __init__(self, debug: bool = False) -> None:
        super().__init__(debug)
        self._in_paste = False
        self._start_seen = 0  # outside a paste: how much of PASTE_START the input ends with
        self._held = ""  # inside a paste: a beginning of PASTE_END, not yet known to be one

    def feed(self, data: str) -> Iterable[Message]:
        guarded = self.guard(data)
        if data and not guarded:  # all held: an empty feed would tell the parser input ended
            return ()
        return super().feed(guarded)

    def guard(self, data: str) -> str:
        """``data`` with the ESCs inside a paste made visible. Within a paste, a beginning of
        the end marker at the end of ``data`` is held until the next call decides it; nothing
        outside a paste is ever held (a lone ESC key must reach the parser at once)."""
        out: list[str] = []
        if not data:  # end of input: what was held goes as it is
            out.append(self._held)
            self._held = ""
            return "".join(out)
        for char in data:
            if not self._in_paste:
                out.append(char)
                if char == PASTE_START[self._start_seen]:
                    self._start_seen += 1
                else:
                    self._start_seen = 1 if char == ESC else 0
                if self._start_seen == len(PASTE_START):
                    self._in_paste, self._start_seen = True, 0
                continue
            if self._held:
                held = self._held + char
                if PASTE_END.startswith(held):
                    self._held = held
                    if held == PASTE_END:
                        out.append(held)
                        self._held, self._in_paste = "", False
                    continue
                out.append(SHOWN_ESC + self._held[1:])
                self._held = ""
            if char == ESC:
                self._held = ESC
            else:
                out.append(char)
        return "".join(out)


def keep_escapes_in_pastes() -> None:
    """Put the guarded parser in place of Textual's (drivers started from now on)."""
    linux_driver.XTermParser = PasteSafeParser  # type: ignore[misc]
