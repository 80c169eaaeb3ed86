"""A JSON editor: Textual's TextArea with tree-sitter JSON highlighting and a marked span.

The mark shows where a query is wrong (the syntax error, or the key an ``MQLError`` names). It is
applied in :meth:`get_line`, the hook TextArea offers for extra styling, as a background so the
syntax colours stay readable on top of it.
"""

from __future__ import annotations

from rich.text import Text
from textual.widgets import TextArea

from console.query.diff import format_query
from console.query.locate import JsonProblem, Location, Span, parse_object
from console.tui.widgets.quiet_size import QuietVirtualSize

# TextArea renders a line whole at each repaint (its highlighting token by token, and again at
# each cursor blink): a 60 KB line cost 260-470 ms a key, 130-200 ms without the highlighting.
LONG_LINE = 2_000


class JsonEditor(QuietVirtualSize, TextArea):
    """Edits one JSON object; every change to the text goes through the undo history."""

    COMPONENT_CLASSES = TextArea.COMPONENT_CLASSES | {"json-editor--mark"}
    DEFAULT_CSS = """
    JsonEditor > .json-editor--mark {
        background: $error;
        text-style: bold underline;
    }
    """

    def __init__(self, text: str = "", *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(
            text,
            language="json",
            show_line_numbers=True,
            tab_behavior="focus",  # tab moves between the editors; F3 formats
            soft_wrap=False,
            id=id,
            classes=classes,
        )
        self.indent_width = 2
        self._mark: Span | None = None
        self._fit_to_lines()

    def long_line(self) -> tuple[int, int] | None:
        """The 0-based row and length of the longest line, when it is over ``LONG_LINE``."""
        lines = self.document.lines
        row = max(range(len(lines)), key=lambda i: len(lines[i]), default=0)
        length = len(lines[row]) if lines else 0
        return (row, length) if length > LONG_LINE else None

    def on_text_area_changed(self, _: TextArea.Changed) -> None:
        self._fit_to_lines()

    def _fit_to_lines(self) -> None:
        """Without highlighting and cursor blink while a line is longer than ``LONG_LINE``."""
        long = self.long_line() is not None
        if self.language != (language := None if long else "json"):
            self.language = language
        self.cursor_blink = not long

    @property
    def marked(self) -> Span | None:
        return self._mark

    def mark(self, span: Span | None) -> None:
        """Mark ``span`` (or clear the mark with None)."""
        if span == self._mark:
            return
        self._mark = span
        self.notify_style_update()  # drops TextArea's rendered-line cache
        self.refresh()

    def mark_problem(self, problem: JsonProblem) -> None:
        """Mark the character a JSON syntax error points at (1-based line and column)."""
        row = min(problem.line - 1, self.document.line_count - 1)
        line = self.document.get_line(row)
        column = min(problem.column - 1, max(len(line) - 1, 0))
        self.mark(Span((row, column), (row, column + 1)))

    def get_line(self, line_index: int) -> Text:
        line = super().get_line(line_index)
        span = self._mark
        if span is None or not span.start[0] <= line_index <= span.end[0]:
            return line
        start = span.start[1] if line_index == span.start[0] else 0
        end = span.end[1] if line_index == span.end[0] else len(line)
        style = self.get_component_rich_style("json-editor--mark", partial=True)
        line.stylize(style, start, max(end, start + 1))
        return line

    def replace_all(self, text: str, cursor: Location | None = None) -> None:
        """Replace the whole text as one undoable edit."""
        self.replace(text, (0, 0), self.document.end)
        if cursor is not None:
            self.move_cursor(cursor)

    def reformat(self) -> JsonProblem | None:
        """Reformat the text when it parses; otherwise leave it and say why."""
        parsed = parse_object(self.text)
        if isinstance(parsed, JsonProblem):
            return parsed
        formatted = format_query(parsed)
        if formatted != self.text:
            self.replace_all(formatted)
        return None
