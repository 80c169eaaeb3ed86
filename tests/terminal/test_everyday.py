"""Everyday paths of the gig list on the installed console at 80x24, read off the screen."""

from __future__ import annotations

import re

from .harness import Terminal


def lines(text: str) -> list[str]:
    return text.split("\n")


def header_shows(label: str):
    return lambda text: f" {label} │" in lines(text)[0]


def first_help_line(text: str) -> str:
    return lines(text)[2]  # the line under the help box's top border


def test_the_filter_line_shows_what_is_typed_right_after_slash(console: Terminal):
    console.send("/Smo")  # one burst: the keys after "/" go to the line it opens
    screen = console.wait_for("filter 'Smo'")
    rows = lines(screen)
    status = next(i for i, row in enumerate(rows) if "of 8 gigs" in row)
    assert rows[status - 1].strip() == "Smo", screen  # the line itself, not only its effect
    console.send("enter", "S")  # the filter kept, then a key of the list: not a letter of it
    console.wait_for("filter 'Smo' · sorted by id descending")
    console.send("S", "/")
    console.wait_for(lambda text: "sorted by id ascending" in text and "esc Clear filter" in text)
    console.send("escape")
    console.wait_for(lambda text: "8 of 8 gigs" in text and "filter" not in text.split("·")[-1])


def test_pasted_colored_text_lands_in_the_filter_whole_and_types_no_keys(console: Terminal):
    console.send("/")
    console.wait_for("esc Clear filter")
    console.send("\x1b[200~Smo\x1b[31mke\x1b[201~")  # text copied with a terminal color
    # All of it, the ESC shown, in the line; the filter a regex, its '[' is named.
    screen = console.wait_for("filter error: not a valid regex at position 4")
    rows = lines(screen)
    status = next(i for i, row in enumerate(rows) if "of 8 gigs" in row)
    assert rows[status - 1].strip() == "Smo\u241b[31mke", screen  # no '^' typed before it
    console.send("escape")
    console.wait_for(lambda text: "8 of 8 gigs" in text and "filter" not in text.split("·")[-1])


def test_fields_typed_in_one_burst_with_tabs_land_each_in_its_field(console: Terminal):
    console.send("n")
    console.wait_for("A new gig")
    console.send("Title", "tab", "Desc", "tab", "URL")
    screen = console.wait_for(lambda text: re.search(r"^ URL\s+URL$", text, re.M) is not None)
    assert re.search(r"^ Title\s+Title$", screen, re.M), screen
    assert re.search(r"^ Description\s+Desc$", screen, re.M), screen
    console.send("escape")  # what was typed is not thrown away without a word
    console.wait_for("Discard the new gig?")
    console.send("y")
    console.wait_for("8 of 8 gigs")


def test_every_speed_key_steps_through_one_ladder(console: Terminal):
    console.wait_for(header_shows("x60"))
    for key, label in ((">", "x600"), ("-", "x60"), ("[", "x10"), ("+", "x60"), ("<", "x10"),
                       ("]", "x60")):
        console.send(key)
        console.wait_for(header_shows(label))


def test_help_names_each_key_id_and_scrolls_with_the_list_keys(console: Terminal):
    console.send("?")
    top = console.wait_for("app.view.gigs")
    assert "app.clock.pause" in top and "Keys (remap them" in top
    assert "dialog.yes" not in top  # the last entry: further down
    console.send("G")
    bottom = console.wait_for("dialog.yes")
    assert "app.view.gigs" not in bottom
    console.send("g")
    console.wait_for(lambda text: "app.view.gigs" in text and "dialog.yes" not in text)
    console.send("pagedown")
    console.wait_for(lambda text: "app.view.gigs" not in text)
    console.send("pageup")
    console.wait_for("app.view.gigs")
    console.send("j", "down", "j")  # a burst: three lines down, the box's top line is the 4th
    console.wait_for(lambda text: "app.view.waves" in first_help_line(text))
    console.send("k", "up")
    console.wait_for(lambda text: "app.view.gigs" in first_help_line(text))
    console.send("escape")  # alone: a key right behind it would make it alt+key
    console.wait_for(lambda text: "Keys (remap" not in text)


def test_the_monitor_log_follows_new_events_and_its_m_dialog_shows_what_is_typed(
        console: Terminal):
    console.send("3")
    console.wait_for("Checkout regression")
    console.send("j", "j", "enter", "p")  # watch gig 5, clock paused
    console.wait_for(lambda text: "Checkout regression (Android) ·" in text
                     and header_shows("paused")(text))
    console.send("e")
    console.wait_for("TIME▼")
    console.send("w")  # the log hidden while the next events come in
    console.wait_for(lambda text: "TIME▼" not in text)
    console.send("r")
    console.wait_for("Run a wave of gig 5 now?")
    console.send("y")
    wave = re.search(r"Wave (\d+) invited", console.wait_for(
        lambda text: re.search(r"Wave \d+ invited", text) is not None))
    console.send("e")
    console.wait_for(f"wave {wave.group(1)}: invited")  # the newest, in sight
    console.send("m")
    console.wait_for("applies from the next tick")
    console.send("12")  # the multiplier's field has the focus, its text selected
    screen = console.wait_for(lambda text: "multiplier" in text)
    rows = lines(screen)
    label = next(i for i, row in enumerate(rows) if "multiplier (x total" in row)
    console.wait_for(lambda text: re.search(r"│ 12\s+│", lines(text)[label + 1]) is not None)
    console.send("escape")
    console.wait_for(lambda text: "applies from the next tick" not in text)
    console.send("p")
    console.wait_for(header_shows("x60"))
    console.send("escape")
    console.wait_for("SEATS PEND")  # the overview (its status line may be under a toast)
    console.send("1")
    console.wait_for("8 of 8 gigs")
