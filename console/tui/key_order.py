"""Keys in the order they were typed, each to the widget focused when its turn comes.

Textual forwards a key to the focused widget's queue at once, but resolves the bindings of the
focused chain (``tab`` moving the focus, ``/`` opening a filter line) only once that key has
bubbled back up to the app. Keys that arrive in one burst (a paste, a laggy ssh link) were all
forwarded before the first one moved the focus: ``Title<tab>Desc`` typed ``TitleDesc`` into the
first field. The app therefore holds each key until the one before it has been handled:
consumed by a widget on the way up, or bubbled back and its binding run, and the focus change
that its action asked for made.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Awaitable, Callable

from textual import events
from textual.app import App
from textual.message_pump import MessagePump

# A key whose handling is never seen to end (its widget was removed) frees the next after this.
STUCK_LIMIT = 0.5

Typed = events.Key | events.Paste


class KeyOrder:
    def __init__(self, app: App, dispatch: Callable[[events.Event], Awaitable[None]]) -> None:
        self._app = app
        self._dispatch = dispatch  # Textual's own handling of an event by the app
        self._held: deque[Typed] = deque()
        self._in_flight: Typed | None = None
        self._timer = None

    @staticmethod
    def typed(event: events.Event) -> bool:
        return isinstance(event, (events.Key, events.Paste))

    async def arrived(self, event: Typed) -> None:
        """A key from the terminal: handled now, or after the keys before it."""
        self._held.append(event)
        if self._in_flight is None:
            await self._next()

    async def _next(self) -> None:
        while self._held and self._in_flight is None:
            event = self._held.popleft()
            target = self._app.focused or self._app.screen
            await self._dispatch(event)
            if event.is_forwarded:  # not a priority binding: it is on its way through the widgets
                self._in_flight = event
                self._timer = self._app.set_timer(
                    STUCK_LIMIT, lambda e=event: self._app.call_later(self._free, e))
                self._follow(target, event)

    def _follow(self, node: MessagePump, event: Typed) -> None:
        """Queued behind ``event`` at ``node``: when it runs, ``node`` has handled the event and
        either stopped it or passed it to its parent, where this follows it again."""
        def after() -> None:
            parent = node._parent
            if event._stop_propagation or parent is None or parent is self._app:
                # Twice round the app's queue: behind the event if it bubbled up there (where
                # its bindings run), then behind what its action queued in turn there (Textual's
                # focus() is a call_later).
                self._app.call_later(self._app.call_later, self._free, event)
            else:
                self._follow(parent, event)

        if not node.call_later(after):
            self._app.call_later(self._free, event)  # the widget is closing: nothing to follow

    async def _free(self, event: Typed) -> None:
        if event is not self._in_flight:
            return  # freed already (by the stuck timer, or on another path)
        self._in_flight = None
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        await self._next()
