"""Printing text that came from outside (the API, a server's error, a file) to the terminal.

A gig title or an error message can carry escape sequences (OSC 52 writes the clipboard, OSC 0
sets the window title, CSI recolours or moves the cursor; C1 controls do the same in one byte)
or bidirectional overrides that reorder what is shown. Everything the CLI prints goes through
:func:`say` or :func:`print_json`, and log lines through :class:`CleanFormatter`, which show such
characters as visible escapes (``\\x1b``) instead of sending them to the terminal.
"""

from __future__ import annotations

import json
import logging
import re
import sys
from typing import Any

# C0 controls but tab and newline, DEL, C1 controls, and the bidi embeddings, overrides, isolates
# and marks.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_UNSAFE_IN_LINE = re.compile(f"[\t\n{_UNSAFE.pattern[1:-1]}]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def clean(text: str, *, keep_newlines: bool = False) -> str:
    """``text`` with every control character shown as an escape; newlines (and tabs) too unless
    ``keep_newlines``: a value in a table cell or after a label stays on its line."""
    pattern = _UNSAFE if keep_newlines else _UNSAFE_IN_LINE
    return pattern.sub(_escape, str(text))


class OutputFailed(Exception):
    """Writing the command's output failed (a full disk, a reader gone): not the command's
    own error, which :func:`guard_stdout` keeps it apart from."""

    def __init__(self, error: OSError) -> None:
        super().__init__(error.strerror or str(error))
        self.error = error


class _GuardedStream:
    """A stream whose write and flush failures are :class:`OutputFailed`."""

    def __init__(self, stream: Any) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        try:
            return self._stream.write(text)
        except OSError as exc:
            raise OutputFailed(exc) from None

    def flush(self) -> None:
        try:
            self._stream.flush()
        except OSError as exc:
            raise OutputFailed(exc) from None

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def guard_stdout() -> Any:
    """Wrap sys.stdout (see :class:`_GuardedStream`); returns the stream to put back."""
    original = sys.stdout
    sys.stdout = _GuardedStream(original)
    return original


def say(text: Any = "", *, err: bool = False) -> None:
    """Print ``text`` (lines of it) to stdout, or stderr, with control characters escaped."""
    print(clean(str(text), keep_newlines=True), file=sys.stderr if err else sys.stdout)


def print_json(data: Any) -> None:
    """JSON for scripts: non-ASCII kept readable, controls as JSON escapes (still valid JSON;
    ``json`` escapes C0 itself, not DEL, C1 or the bidi controls)."""
    text = json.dumps(data, indent=2, ensure_ascii=False)
    print(_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text))


class CleanFormatter(logging.Formatter):
    """Log lines quote server answers (a retry's reason): escape them like everything else."""

    def format(self, record: logging.LogRecord) -> str:
        return clean(super().format(record), keep_newlines=True)
