"""The console's themes. ``ansi-dark`` (Textual's own) uses only the terminal's 16 colours."""

from __future__ import annotations

from textual.theme import BUILTIN_THEMES, Theme

CIRRO_THEMES: tuple[Theme, ...] = (
    Theme(
        name="cirro-dark",
        primary="#5fafff",
        secondary="#87d7d7",
        accent="#ffaf5f",
        warning="#ffd75f",
        error="#ff5f5f",
        success="#87d787",
        foreground="#d0d0d0",
        background="#121212",
        surface="#1c1c1c",
        panel="#262626",
        dark=True,
    ),
    Theme(
        name="cirro-light",
        primary="#005faf",
        secondary="#008787",
        accent="#af5f00",
        warning="#875f00",
        error="#af0000",
        success="#005f00",
        foreground="#1c1c1c",
        background="#fafafa",
        surface="#eeeeee",
        panel="#e4e4e4",
        dark=False,
    ),
)
SIXTEEN_COLOURS = "ansi-dark"


def known_themes() -> list[str]:
    return sorted({theme.name for theme in CIRRO_THEMES} | set(BUILTIN_THEMES))
