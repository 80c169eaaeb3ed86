"""While the console draws the terminal, log records go to its log file: a line written to
stderr (a retry, a warning) would land on the screen over what Textual drew, and stay there
until that part of the screen changes."""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def logs_to_file(path: Path) -> Iterator[None]:
    """The root logger's handlers that write to the terminal give way to ``path`` (appended)
    until the block ends. A log file that cannot be opened (a read-only or full disk) drops the
    records rather than drawing them on the screen."""
    root = logging.getLogger()
    terminal = (sys.stderr, sys.__stderr__, sys.stdout, sys.__stdout__)
    on_terminal = [handler for handler in root.handlers
                   if isinstance(handler, logging.StreamHandler) and handler.stream in terminal]
    replacement: logging.Handler
    try:
        # Opened now, not at the first record: a file that cannot be opened then would have
        # logging print its traceback on the screen.
        path.parent.mkdir(parents=True, exist_ok=True)
        replacement = logging.FileHandler(path, encoding="utf-8")
        replacement.setFormatter(logging.Formatter("%(asctime)s %(levelname)s: %(message)s"))
    except OSError:
        replacement = logging.NullHandler()
    for handler in on_terminal:
        root.removeHandler(handler)
    root.addHandler(replacement)
    try:
        yield
    finally:
        root.removeHandler(replacement)
        replacement.close()
        for handler in on_terminal:
            root.addHandler(handler)
