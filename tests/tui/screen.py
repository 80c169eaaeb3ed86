"""What the terminal shows, as text: the lines of the screen on top (a dialog with what it
covers), for tests that read the screen as the operator does."""

from __future__ import annotations


def screen_lines(app) -> list[str]:
    return ["".join(seg.text for seg in strip) for strip in app.screen._compositor.render_strips()]


def dialog_text(app) -> str:
    """The text inside the dialog's round border, its lines joined by spaces: a message
    wrapped over several lines reads as one."""
    lines = screen_lines(app)
    top = next((i for i, line in enumerate(lines) if "╭" in line), None)
    assert top is not None, "no dialog on the screen:\n" + "\n".join(lines)
    bottom = next(i for i, line in enumerate(lines) if i > top and "╰" in line)
    inner = [line[line.index("│") + 1:line.rindex("│")].strip()
             for line in lines[top + 1:bottom]]
    return " ".join(part for part in inner if part)


def region_text(app, widget, joined: bool = True):
    """The screen's text where ``widget`` is drawn, its lines joined by spaces (or the list of
    its lines, stripped)."""
    region = widget.region
    lines = [line[region.x:region.right].strip()
             for line in screen_lines(app)[region.y:region.bottom]]
    return " ".join(lines).strip() if joined else lines
