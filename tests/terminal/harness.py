"""The installed ``cirro-console`` in a pseudo-terminal, read through a terminal emulator.

What the operator sees is what pyte draws from the console's output at 80x24 under TERM=screen,
with HOME and the XDG dirs in a scratch folder. Keys go in as the bytes a terminal sends (a
burst is written in one go, as a paste or a laggy ssh link delivers it); tests wait for the
screen to show something, with a deadline, never for a fixed time.
"""

from __future__ import annotations

import os
import re
import sys
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import pyte
from ptyprocess import PtyProcess

COLUMNS, LINES = 80, 24
DEADLINE = 20.0  # seconds: generous, the machine is shared
POLL = 0.02

# The bytes a terminal under TERM=screen sends for the named keys (screen's terminfo).
KEYS = {
    "enter": "\r", "tab": "\t", "shift+tab": "\x1b[Z", "escape": "\x1b", "backspace": "\x7f",
    "up": "\x1b[A", "down": "\x1b[B", "right": "\x1b[C", "left": "\x1b[D",
    "home": "\x1b[1~", "end": "\x1b[4~", "pageup": "\x1b[5~", "pagedown": "\x1b[6~",
    "f1": "\x1bOP", "f2": "\x1bOQ", "f3": "\x1bOR", "f4": "\x1bOS", "f5": "\x1b[15~",
    "f8": "\x1b[19~", "f9": "\x1b[20~", "f10": "\x1b[21~", "f12": "\x1b[24~",
    "ctrl+s": "\x13", "ctrl+o": "\x0f",
}
# Variables of the developer's session that would change what the console does.
DROPPED = re.compile(r"^(VISUAL|EDITOR|CIRRO_CONSOLE_.*|TEXTUAL_.*|NO_COLOR|TMUX.*|COLUMNS|LINES)$")


def console_script() -> Path:
    """The console script of the venv running the tests: the installed entry point."""
    script = Path(sys.executable).parent / "cirro-console"
    if not script.exists():
        raise FileNotFoundError(f"{script} missing: install the project (pip install -e '.[test]')")
    return script


def scratch_env(home: Path, **extra: str | None) -> dict[str, str]:
    """An environment with HOME and every XDG dir under ``home``; ``None`` drops a variable."""
    env = {k: v for k, v in os.environ.items() if not DROPPED.match(k)}
    env.update(HOME=str(home), TERM="screen", LANG="C.UTF-8", LC_ALL="C.UTF-8",
               XDG_CONFIG_HOME=str(home / ".config"), XDG_DATA_HOME=str(home / ".local/share"),
               XDG_CACHE_HOME=str(home / ".cache"), XDG_STATE_HOME=str(home / ".local/state"))
    for name, value in extra.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    return env


def key_bytes(*keys: str) -> str:
    """Named keys (``"tab"``, ``"f12"``) become their bytes; anything else is typed as is."""
    return "".join(KEYS.get(key, key) for key in keys)


class Terminal:
    """One console process on a pseudo-terminal, its output fed to a pyte screen by a thread."""

    def __init__(self, args: Sequence[str], env: Mapping[str, str], cwd: Path | None = None,
                 program: Sequence[str] | None = None) -> None:
        """``program`` (default: the installed console script) is the command ``args`` follow."""
        self.screen = pyte.Screen(COLUMNS, LINES)
        self._stream = pyte.ByteStream(self.screen)
        self._lock = threading.Lock()
        self.output = bytearray()  # everything the console wrote, for failure messages
        self.process = PtyProcess.spawn([*(program or [str(console_script())]), *args], env=dict(env),
                                        cwd=str(cwd) if cwd else None, dimensions=(LINES, COLUMNS))
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        while True:
            try:
                data = self.process.read(65536)
            except EOFError:
                return
            with self._lock:
                self.output += data
                self._stream.feed(data)

    def send(self, *keys: str) -> None:
        """Write the keys in one go: no pause between them. As on a real terminal, ``escape``
        with another key right behind it reads as alt+that key: send it alone, then wait."""
        self.process.write(key_bytes(*keys).encode())

    def screen_text(self) -> str:
        with self._lock:
            return "\n".join(line.rstrip() for line in self.screen.display)

    def wait_for(self, what: str | Callable[[str], bool], deadline: float = DEADLINE) -> str:
        """The screen text once it contains ``what`` (or ``what(text)`` holds); fails with the
        last screen after ``deadline`` seconds, or when the console exited."""
        test = (lambda text: what in text) if isinstance(what, str) else what
        end = time.monotonic() + deadline
        while True:
            text = self.screen_text()
            if test(text):
                return text
            if not self.process.isalive():
                raise AssertionError(f"the console exited ({self.exit_status()}) while waiting "
                                     f"for {what!r}; screen:\n{text}\n{self.tail()}")
            if time.monotonic() > end:
                raise AssertionError(f"after {deadline} s still no {what!r} on the screen:\n{text}")
            time.sleep(POLL)

    def wait_exit(self, deadline: float = DEADLINE) -> int | None:
        end = time.monotonic() + deadline
        while self.process.isalive() and time.monotonic() < end:
            time.sleep(POLL)
        return self.exit_status()

    def exit_status(self) -> int | None:
        if self.process.isalive():
            return None
        self.process.wait()
        return self.process.exitstatus

    def tail(self, size: int = 2000) -> str:
        with self._lock:
            return bytes(self.output[-size:]).decode(errors="replace")

    def close(self) -> None:
        """Quit the console (ctrl+c would only copy), then make sure no process is left."""
        if self.process.isalive():
            try:
                self.process.terminate(force=False)
                self.wait_exit(5)
            finally:
                if self.process.isalive():
                    self.process.terminate(force=True)
        self._reader.join(5)


def start(args: Sequence[str] = (), env: Mapping[str, str] | None = None,
          cwd: Path | None = None) -> Terminal:
    """The installed console, started with ``args`` in ``env`` (see :func:`scratch_env`)."""
    return Terminal(args, env if env is not None else os.environ, cwd)
