"""The command palette (``ctrl+p`` or ``:``): the registry's actions that work on this screen."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content

from console.tui import actions

if TYPE_CHECKING:
    from console.tui.app import CirroApp


class ActionsProvider(Provider):
    def _available(self) -> list[tuple[str, actions.Action]]:
        """(label, action) for the app's actions and those of the screen the palette opened on."""
        app: CirroApp = self.app  # type: ignore[assignment]
        scopes = {"app"} | app.scopes_of(self.screen)
        found = []
        for action in actions.ACTIONS:
            if action.palette and action.scope in scopes:
                keys = " ".join(actions.key_label(k) for k in actions.effective_keys(action, app.keymap))
                found.append((f"{action.description}  [{keys}]", action))
        return found

    async def _run(self, action: actions.Action) -> None:
        app: CirroApp = self.app  # type: ignore[assignment]
        await app.run_registry_action(self.screen, action)

    async def discover(self) -> Hits:
        for label, action in self._available():
            yield DiscoveryHit(Content(label), partial(self._run, action), text=label, help=action.id)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for label, action in self._available():
            score = matcher.match(label)
            if score > 0:
                yield Hit(score, matcher.highlight(label), partial(self._run, action), text=label,
                          help=action.id)
