"""The views opened after the first one, and what else the first view does not use: imported
when they first open, or in the background once the first view shows its data, whichever comes
first.

The query editor (numpy, tree-sitter) and the wave monitor (the forecast's numpy and scipy: a
second or more of CPU) were most of the console's start-up; imported on their first opening
instead, they made that key wait as long. Loaded in a thread while the operator reads the first
view, they cost neither.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from importlib import import_module

from textual.screen import Screen

_MODULES: list[str] = []
_requested = threading.Event()


def opened_later(module: str, name: str) -> Callable[[], Screen]:
    """A factory of the screen ``name`` of ``module``, imported on first call (or by
    :func:`preload`)."""
    _MODULES.append(module)

    def screen() -> Screen:
        return getattr(import_module(module), name)()

    return screen


def imported_later(*modules: str) -> None:
    """Modules the first view does not use (dialogs, the gig editor), imported where first used
    or by :func:`preload`."""
    _MODULES.extend(modules)


def preload() -> None:
    """Import the later views' modules in a daemon thread, once per process."""
    if _requested.is_set():
        return
    _requested.set()
    threading.Thread(target=_import_all, name="preload-views", daemon=True).start()


def _import_all() -> None:
    for module in _MODULES:
        try:
            import_module(module)
        except Exception:  # noqa: BLE001 - the view's own opening raises it again, where it is shown
            continue
