"""The console's own files: private to their owner (0600), and written so that a crash leaves
either the old or the new content, never half of one."""

from __future__ import annotations

import errno
import json
import os
import re
import stat
import tempfile
from pathlib import Path
from typing import Any

PRIVATE_MODE = 0o600
TEMP_SUFFIX = ".tmp"


def open_private(path: Path, flags: int) -> int:
    """``os.open`` with ``O_CREAT``: a new file is readable by its owner only, whatever the umask.
    Gig data, worker documents and lock holders' pids are nobody else's business."""
    return os.open(path, flags | os.O_CREAT, PRIVATE_MODE)


def check_replaceable(path: Path) -> None:
    """Raise OSError, naming ``path``, when it exists and is not a regular file: the rename of
    an atomic write replaces what is there, and as root `--save-population /dev/full` turned the
    device into a regular file. A directory is IsADirectoryError."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return  # absent, or unreadable: the write says why
    if stat.S_ISDIR(mode):
        raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(path))
    if not stat.S_ISREG(mode):
        raise OSError(errno.EINVAL, "not a regular file (a device, pipe or socket), which a "
                      "save would replace: give a file's path", str(path))


def write_bytes_atomically(path: Path, data: bytes) -> None:
    check_replaceable(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    # mkstemp creates the file 0600: the replaced file is private too.
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=TEMP_SUFFIX, dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    # The rename itself must reach the disk too.
    dir_fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


def write_json_atomically(path: Path, data: Any) -> None:
    write_bytes_atomically(path, json.dumps(data, separators=(",", ":")).encode())


def leftover_temp_files(path: Path) -> list[Path]:
    """Temp files :func:`write_bytes_atomically` left next to ``path`` when its process was killed
    mid-write (SIGKILL runs no cleanup). Only names of exactly that pattern: the mkstemp random
    part, 8 characters of ``[a-z0-9_]``."""
    pattern = re.compile(rf"\.{re.escape(path.name)}\.[a-z0-9_]{{8}}{re.escape(TEMP_SUFFIX)}")
    try:
        return sorted(p for p in path.parent.iterdir() if pattern.fullmatch(p.name) and p.is_file())
    except OSError:
        return []
