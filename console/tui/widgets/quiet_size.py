"""Scrolling widgets whose content size follows each key, without laying out the whole screen."""

from __future__ import annotations

from typing import Any

from textual.geometry import Size
from textual.reactive import Reactive


class QuietVirtualSize:
    """Mixed in before a widget of fixed size whose virtual (scrollable) size follows its content.

    Input and TextArea set ``virtual_size`` on every key that changes a line's width, and as
    Textual's layout reactive each change laid out the whole screen again: 16 ms a key in the gig
    list's filter at 80x24, 30 ms in view 2's editor, most of the seconds 3,000 typed keys took;
    a VirtualTable's row count, at every frame of a running simulation.
    The widget's own size does not depend on its text: only the scrollbars shown need the news,
    and the scroll offset its bounds. A layout happens when a scrollbar would appear or go.
    Not a Widget itself: Textual takes a widget's CSS and component classes from its first
    widget base, which must stay the Input, TextArea or ScrollView."""

    virtual_size: Reactive[Size] = Reactive(Size(0, 0), layout=False)

    def watch_virtual_size(self: Any, old: Size, new: Size) -> None:
        width, height = self.container_size
        if (not self.is_mounted or not height or (old.height > height) != (new.height > height)
                or (old.width > width) != (new.width > width)):
            self.refresh(layout=True)  # not laid out yet, or a scrollbar appears or goes
            return
        if self.show_vertical_scrollbar:
            self.vertical_scrollbar.window_virtual_size = new.height
        if self.show_horizontal_scrollbar:
            self.horizontal_scrollbar.window_virtual_size = new.width
        self.scroll_x = self.validate_scroll_x(self.scroll_x)
        self.scroll_y = self.validate_scroll_y(self.scroll_y)
