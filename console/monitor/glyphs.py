"""Text runs tagged with a role: the renderers here produce them, the TUI maps roles to theme
colours. Every role also has its own glyph, so the output reads without any colour at all."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import groupby
from operator import itemgetter
from typing import Literal

Role = Literal["accepted", "pending", "below", "met", "full", "limit", "axis", "label", "empty",
               "band"]


@dataclass(frozen=True)
class Run:
    text: str
    role: Role


Line = list[Run]


@dataclass(frozen=True)
class GlyphSet:
    """Glyphs of one character set: ``ascii`` for terminals without Unicode, else box drawing."""

    bar: str
    pending: str
    above: str  # pending above the top of the chart's scale
    limit: str
    empty: str
    axis_v: str
    axis_h: str
    corner: str
    marker_min: str
    marker_max: str


UNICODE = GlyphSet(bar="█", pending="•", above="▲", limit="─", empty="░", axis_v="│", axis_h="─", corner="└",
                   marker_min="▏", marker_max="▕")
ASCII = GlyphSet(bar="#", pending="*", above="^", limit="-", empty=".", axis_v="|", axis_h="-", corner="+",
                 marker_min="|", marker_max="|")


def glyphs(ascii_only: bool) -> GlyphSet:
    return ASCII if ascii_only else UNICODE


def plain(line: Line) -> str:
    return "".join(run.text for run in line)


def merge_runs(cells: list[tuple[str, Role]]) -> Line:
    """Join neighbouring cells of one role into one run (fewer segments to style and paint)."""
    return [Run("".join(char for char, _ in group), role)
            for role, group in groupby(cells, key=itemgetter(1))]
