"""The seats gauge: accepted invitations against ``seats_min`` and ``seats_max``, as one text line.

The bar is ``#``/``█`` up to the accepted count; ``|`` marks mark the minimum and maximum. Its role
says where the gig stands (below the minimum, met, full), for colour; the caption says it in words.
"""

from __future__ import annotations

from dataclasses import dataclass

from .glyphs import Line, Role, Run, glyphs, merge_runs


@dataclass(frozen=True)
class Seats:
    accepted: int
    total_seats: int
    seats_min: int
    seats_max: int | None


def seats_state(seats: Seats) -> Role:
    if seats.seats_max is not None and seats.accepted >= seats.seats_max:
        return "full"
    if seats.accepted >= seats.seats_min:
        return "met"
    return "below"


STATE_WORDS: dict[Role, str] = {"below": "below min", "met": "min met", "full": "full"}


def caption(seats: Seats) -> str:
    limit = "-" if seats.seats_max is None else str(seats.seats_max)
    return (f"{seats.accepted} accepted  min {seats.seats_min}  max {limit}  "
            f"({STATE_WORDS[seats_state(seats)]})")


def short_caption(seats: Seats) -> str:
    """The caption as the gigs list writes seats (``accepted/min-max``), for narrow screens."""
    limit = "" if seats.seats_max is None else f"-{seats.seats_max}"
    return f"{seats.accepted}/{seats.seats_min}{limit} {STATE_WORDS[seats_state(seats)]}"


MIN_BAR, MAX_BAR = 8, 40


def fitted_gauge(seats: Seats, cells: int, ascii_only: bool = False) -> Line:
    """The gauge in ``cells`` columns: the bar a third of them (8 to 40 cells), narrower where
    the caption needs the room, and the short caption where the full one leaves no bar of 8."""
    bar = max(min(cells // 3, MAX_BAR), MIN_BAR)
    for text in (caption(seats), short_caption(seats)):
        room = cells - len(text) - 3  # the brackets and the space before the caption
        if room >= MIN_BAR:
            return render_gauge(seats, min(bar, room), ascii_only, text)
    return render_gauge(seats, MIN_BAR, ascii_only, text)  # cut only below ~30 columns


def render_gauge(seats: Seats, width: int, ascii_only: bool = False,
                 text: str | None = None) -> Line:
    """``width`` cells between brackets: the bar, the markers, then the caption (``text``, by
    default the full one)."""
    g = glyphs(ascii_only)
    width = max(width, 4)
    scale = max(seats.seats_max or seats.total_seats, seats.seats_min, seats.accepted, 1)
    filled = min(width, round(seats.accepted * width / scale))
    if seats.accepted > 0:
        filled = max(filled, 1)
    marks = {min(width - 1, max(0, round(seats.seats_min * width / scale) - 1)): g.marker_min}
    if seats.seats_max is not None:
        marks[min(width - 1, round(seats.seats_max * width / scale) - 1)] = g.marker_max
    state = seats_state(seats)
    cells: list[tuple[str, Role]] = [("[", "axis")]
    for i in range(width):
        if i in marks and i >= filled:
            cells.append((marks[i], "limit"))
        elif i < filled:
            cells.append((g.bar, state))
        else:
            cells.append((g.empty, "empty"))
    cells.append(("]", "axis"))
    return merge_runs(cells) + [Run(" " + (caption(seats) if text is None else text), state)]
