"""Hand the terminal to another program and always take it back.

Textual's ``App.suspend()`` resumes the application mode only when its ``with`` block ends
normally: an exception inside it (an editor that failed) left the terminal in the other
program's mode and the console never drew again.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from textual.app import App, SuspendNotSupported

T = TypeVar("T")


def run_suspended(app: App[Any], call: Callable[[], T]) -> T:
    """``call()`` with the terminal handed over (as is where it cannot be, e.g. headless);
    whatever it raises is raised again once the console has its terminal back."""
    failure: BaseException | None = None
    try:
        with app.suspend():
            try:
                result = call()
            except BaseException as exc:  # re-raised below, after the resume
                failure = exc
    except SuspendNotSupported:
        return call()
    if failure is not None:
        raise failure
    return result
