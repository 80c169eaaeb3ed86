"""The console's first frame before its heavy work: a local context's gig list as last saved.

A simulation's store writes, with each snapshot, the gig list's summary (``console.sim.
gig_summary``). When the context to open is a local one, its summary matches the saved state and
the simulation is free to open, the console paints the gig list from it (marked as loading),
having loaded Textual and its own first view only: the config is read here as plain TOML, not
through pydantic. The config's models, the engine, the store and the simulation host then load
on a thread (:func:`console.tui.startup.open_in_background`), step by step on the gig list's
status line, and the backend's first frame replaces the summary's rows. Anything this does not
read plainly (a remote context, a config it cannot make sense of, no usable summary, a held
simulation) starts the usual way, which names what is wrong.
"""

from __future__ import annotations

import fcntl
import logging
import os
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from console import paths
from console.sim.gig_summary import GigSummary, SummaryUnusable, read_summary
from console.tui.actions import KeymapError, check_keymap
from console.tui.theme import known_themes

if TYPE_CHECKING:
    from console.backends.base import Backend
    from console.forecast.model import ModelFile

logger = logging.getLogger(__name__)

DEFAULT_CONTEXT = "local"  # console.config's, without its pydantic models
DEFAULT_THEME = "cirro-dark"
LOCK_FILE = ".lock"  # console.sim.store's


class OpenFailed(Exception):
    """The context could not be opened behind the first frame; the message says why, as the
    usual start would have (the config's file and key, the simulation's file)."""


@dataclass(frozen=True)
class EarlyStart:
    """What the first frame needs: the context, its theme and keys, and its gigs as saved."""

    context: str
    theme: str
    keymap: dict[str, str]
    read_only: bool
    summary: GigSummary


@dataclass(frozen=True)
class Opened:
    """The backend opened behind the first frame, with the app's settings from the config."""

    backend: Backend
    read_only: bool
    speed: float
    poll_seconds: float
    population_file: Path | None
    forecast_model: ModelFile | None


# Opens the backend (on a thread), saying each step through its argument; raises OpenFailed.
Opening = Callable[[Callable[[str], None]], Opened]


def early_start(context: str | None, read_only: bool) -> EarlyStart | None:
    """The first frame's settings and summary, or None: start the usual way."""
    path = paths.config_file()
    try:
        raw: dict[str, Any] = tomllib.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return None
    name = context or raw.get("default_context", DEFAULT_CONTEXT)
    contexts, ui, keymap = raw.get("contexts", {}), raw.get("ui", {}), raw.get("keys", {})
    if not (isinstance(name, str) and isinstance(contexts, dict) and isinstance(ui, dict)
            and isinstance(keymap, dict)):
        return None
    settings = contexts.get(name, {} if name == DEFAULT_CONTEXT else None)
    if not isinstance(settings, dict) or (name in contexts and settings.get("kind") != "local"):
        return None
    theme = ui.get("theme", DEFAULT_THEME)
    try:
        check_keymap(keymap)
    except KeymapError:
        return None
    if theme not in known_themes():
        return None
    data_dir = settings.get("data_dir")
    if data_dir is not None and not isinstance(data_dir, str):
        return None
    directory = (Path(data_dir) if data_dir else paths.data_dir() / name).expanduser()
    read_only = read_only or settings.get("read_only") is True
    if not read_only and not _free(directory / LOCK_FILE):
        return None
    try:
        summary = read_summary(directory)
    except SummaryUnusable as exc:
        logger.info("the gig list waits for the simulation: %s", exc)
        return None
    return EarlyStart(name, theme, dict(keymap), read_only, summary)


def _free(lock: Path) -> bool:
    """Whether the simulation's lock could be taken now (taken and let go at once): a held or
    unusable one is for the usual start to say, before any frame."""
    try:
        fd = os.open(lock, os.O_RDWR)
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    finally:
        os.close(fd)  # closing lets the lock go
    return True
