"""Edit text in the operator's own editor (``$VISUAL``, then ``$EDITOR``, else the first of
:data:`FALLBACK_EDITORS` on the PATH) through a temp file.

The caller suspends the TUI around :func:`edit_text`; this module only runs the editor and reads
the file back. The temp file is removed whatever happens.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import tempfile
from pathlib import Path

# What a Debian-like system offers when no editor is set: its chosen default, then the usual two.
FALLBACK_EDITORS = ("editor", "nano", "vi")


class EditorError(Exception):
    """The editor could not be run or failed; the message says which editor and why."""


def editor_command(environ: dict[str, str] | None = None) -> list[str]:
    env = os.environ if environ is None else environ
    for var in ("VISUAL", "EDITOR"):
        value = env.get(var, "").strip()
        if value:
            try:
                return shlex.split(value)
            except ValueError as exc:
                raise EditorError(f"${var} ({value!r}) cannot be parsed: {exc}") from None
    path = env.get("PATH", os.defpath)
    for name in FALLBACK_EDITORS:
        if (found := shutil.which(name, path=path)) is not None:
            return [found]
    raise EditorError(f"no editor: $VISUAL and $EDITOR are not set and none of "
                      f"{', '.join(FALLBACK_EDITORS)} is on the PATH; set $EDITOR, e.g. EDITOR=vim")


def edit_text(text: str, *, suffix: str = ".json", environ: dict[str, str] | None = None) -> str:
    """Open ``text`` in the editor and return what the file holds when it exits with status 0."""
    command = editor_command(environ)
    handle, name = tempfile.mkstemp(prefix="cirro-query-", suffix=suffix)
    path = Path(name)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(text)
        try:
            result = subprocess.run([*command, str(path)], check=False)
        except OSError as exc:
            raise EditorError(f"cannot run editor {command[0]!r}: {exc.strerror or exc}") from None
        if result.returncode != 0:
            # By its name: the path it was found at made the toast wrap mid-sentence.
            raise EditorError(f"editor {Path(command[0]).name!r} exited with status "
                              f"{result.returncode}; edit discarded")
        try:
            return path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise EditorError(f"cannot read back {path}: {exc}") from None
    finally:
        path.unlink(missing_ok=True)
