"""Keys in the order they were typed, each to the widget focused when its turn comes.

Textual forwards a key to the focused widget's queue at once, but resolves the bindings of the
focused chain (``tab`` moving the focus, ``/`` opening a filter line) only once that key has
bubbled back up to the app. Keys that arrive in one burst (a paste, a laggy ssh link) were all
forwarded before the first one moved the focus: ``Title<tab>Desc`` typed ``TitleDesc`` into the
first field. The app therefore holds each key until the one before it has been handled:
consumed by a widget on the way up, or bubbled back and its binding run, and what that set off
done (Textual's focus() is a call_later; an Input's enter posts Submitted, whose handler moves
the focus): the queues of the app and of the focus chain up to the screen are empty.

A printable key for the focused Input or editable TextArea is the exception: the widget inserts
it and stops it, so it runs no binding and moves no focus, and the next key goes right behind it
into the same queue. Held for a settle each, 3,000 letters typed into the gig list's filter took
about 5 ms apiece on top of their own work, a repaint between every two.

While the app's backend opens behind a first frame painted from a saved summary, every key is
held (:meth:`KeyOrder.hold`) and goes, in order, once the live data is shown (:meth:`release`).
"""

from __future__ import annotations

import asyncio
import sys
from collections import deque
from collections.abc import Awaitable, Callable

from textual import events
from textual.app import App
from textual.message_pump import MessagePump
from textual.widget import Widget
from textual.widgets import Input

# A key whose handling is never seen to end (its widget was removed) frees the next after this.
STUCK_LIMIT = 0.5
# Turns of the event loop spent waiting for the app and the focus chain to go quiet (a screen
# busy with background messages must not hold the keys for long).
SETTLE_TURNS = 50

Typed = events.Key | events.Paste


def takes_as_text(widget: Widget | None, event: Typed) -> bool:
    """True when ``widget`` inserts ``event`` and stops it (Input's and TextArea's own rule)."""
    if not isinstance(event, events.Key) or not event.is_printable:
        return False
    if isinstance(widget, Input):
        return True
    # TextArea is not imported before a view needs it; until then no widget is one. The module
    # may be half imported (the backend opens on a thread at start), so its class may be absent.
    text_area = getattr(sys.modules.get("textual.widgets._text_area"), "TextArea", None)
    return (text_area is not None and isinstance(widget, text_area)
            and not widget.read_only)


class KeyOrder:
    def __init__(self, app: App, dispatch: Callable[[events.Event], Awaitable[None]]) -> None:
        self._app = app
        self._dispatch = dispatch  # Textual's own handling of an event by the app
        self._held: deque[Typed] = deque()
        self._in_flight: Typed | None = None
        self._target: MessagePump | None = None  # where the key in flight was sent
        self._timer: asyncio.TimerHandle | None = None
        self._holding = False

    def hold(self) -> None:
        """Keep every key that arrives until :meth:`release`."""
        self._holding = True

    async def release(self) -> None:
        """Let the held keys go, in the order they came."""
        self._holding = False
        await self._next()

    @property
    def waiting(self) -> int:
        """Keys held back, not yet handled."""
        return len(self._held)

    @staticmethod
    def typed(event: events.Event) -> bool:
        return isinstance(event, (events.Key, events.Paste))

    async def arrived(self, event: Typed) -> None:
        """A key from the terminal: handled now, or after the keys before it."""
        if self._holding and isinstance(event, events.Key) and event.key == "ctrl+j":
            # Typed ahead of the start, before the terminal was raw: the tty's line discipline
            # turned Enter's CR into LF (ICRNL), which reads as ctrl+j. Nothing binds ctrl+j.
            event = events.Key("enter", "\r")
        self._held.append(event)
        if self._in_flight is None:
            await self._next()

    async def _next(self) -> None:
        while self._held and self._in_flight is None and not self._holding:
            event = self._held.popleft()
            target = self._app.focused or self._app.screen
            as_text = takes_as_text(self._app.focused, event)
            await self._dispatch(event)
            if event.is_forwarded and not as_text:
                # Not a priority binding, nor text for the focused field: it is on its way
                # through the widgets, and the next key waits for it.
                self._in_flight, self._target = event, target
                self._timer = asyncio.get_running_loop().call_later(
                    STUCK_LIMIT, self._app.call_later, self._free, event)
                self._follow(target, event)

    def _follow(self, node: MessagePump, event: Typed) -> None:
        """Queued behind ``event`` at ``node``: when it runs, ``node`` has handled the event and
        either stopped it or passed it to its parent, where this follows it again."""
        def after() -> None:
            parent = node._parent
            if event._stop_propagation or parent is None or parent is self._app:
                self._settle(event, SETTLE_TURNS)
            else:
                self._follow(parent, event)

        if not node.call_later(after):
            self._app.call_later(self._free, event)  # the widget is closing: nothing to follow

    def _quiet(self) -> bool:
        """Nothing queued on the app, nor from the focused widget (and the key's first target)
        up to the screen."""
        if not self._app._message_queue.empty():
            return False
        screen = self._app.screen
        for start in {self._app.focused or screen, self._target or screen}:
            for node in (start, *start.ancestors):
                if node is self._app:
                    break
                if not node._message_queue.empty():
                    return False
        return True

    def _settle(self, event: Typed, turns: int, was_quiet: bool = False) -> None:
        """Free the next key once all was quiet at two turns of the event loop in a row (the
        handlers that ran in between queued nothing more). Checked from the loop itself, not
        from the app's queue: the app would run such checks back to back, starving the others."""
        if event is not self._in_flight:
            return
        quiet = self._quiet()
        if turns and not (quiet and was_quiet):
            asyncio.get_running_loop().call_soon(self._settle, event, turns - 1, quiet)
        else:
            self._app.call_later(self._free, event)

    async def _free(self, event: Typed) -> None:
        if event is not self._in_flight:
            return  # freed already (by the stuck timer, or on another path)
        self._in_flight, self._target = None, None
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        await self._next()
