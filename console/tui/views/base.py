"""The frame every top-level view shares: status header, body, footer; live data by signal."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, Protocol, runtime_checkable

from textual.app import ComposeResult
from textual.screen import Screen

from console.tui.messages import Snapshot
from console.tui.widgets.key_footer import KeyFooter
from console.tui.widgets.status_header import StatusHeader

if TYPE_CHECKING:
    from console.tui.app import CirroApp


@runtime_checkable
class HoldsEdits(Protocol):
    """A screen holding what the operator typed and did not save; quitting asks first."""

    def unsaved_edits(self) -> str | None:
        """``None``, or what would be dropped: ``"the changes to gig 5 (Title, URL)"``."""


class ViewScreen(Screen[None]):
    """Subclasses set ``VIEW_TITLE`` and ``SCOPES`` (registry scopes whose actions work here),
    yield their widgets from :meth:`compose_body` and get each poll's data in :meth:`on_snapshot`."""

    VIEW_TITLE: ClassVar[str] = ""
    SCOPES: ClassVar[frozenset[str]] = frozenset()

    @property
    def cirro(self) -> CirroApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        yield StatusHeader(self.VIEW_TITLE)
        yield from self.compose_body()
        yield KeyFooter()

    def compose_body(self) -> ComposeResult:
        raise NotImplementedError

    def on_mount(self) -> None:
        self.cirro.snapshots.subscribe(self, self._show, immediate=True)
        if self.cirro.snapshot is not None:
            self._show(self.cirro.snapshot)

    def _show(self, snapshot: Snapshot) -> None:
        self.on_snapshot(snapshot)
        if not self.cirro.first_frame_shown:  # once this data is on the screen
            self.call_after_refresh(self.cirro.first_frame_painted)

    def on_snapshot(self, snapshot: Snapshot) -> None:
        """Called with every poll's data while the screen is mounted."""
