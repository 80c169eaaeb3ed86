"""At 80x24 every message and value reads whole on the screen: wrapped or given room, not cut."""

from __future__ import annotations

import json
import re

from textual.widgets import Input

from console.models import GigCreate
from console.tui.app import CirroApp

from .conftest import SIZE, listed
from .fakes import T0, FakeBackend, make_gig, sample_gigs
from .screen import dialog_text, region_text, screen_lines
from .test_queries_view import NOW, RemoteLike, queries_view, set_filter, settled
from .test_queries_view import backend as backend_400  # noqa: F401  (a fixture)
from .test_waves_view import make_app as waves_app
from .test_waves_view import open_gig, settle

LONG_TITLE = "Checkout regression on Android tablets, German storefront"


async def open_queries(backend, **kwargs):
    app = CirroApp(backend, poll_seconds=30.0, **kwargs)
    return app, app.run_test(size=SIZE)


async def test_the_gig_list_filter_error_reads_whole(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await listed(pilot)
        await pilot.press("slash", "left_parenthesis")
        await pilot.pause()
        status = " ".join(line.strip() for line in screen_lines(app)[-4:-1])
        assert "not a valid regex at position 0: missing ), unterminated subpattern" in status
        assert "sorted by id ascending" in status


async def test_the_archive_confirmation_reads_whole(make_app):
    gigs = [make_gig("1", LONG_TITLE, T0 - 3600, T0 + 86400)]
    app = make_app(backend=FakeBackend(gigs))
    async with app.run_test(size=SIZE) as pilot:
        await listed(pilot)
        await pilot.press("a")
        await pilot.pause()
        assert f"'{LONG_TITLE}': no more waves; it leaves the live list." in dialog_text(app)


async def test_the_monitor_title_keeps_the_countdown_with_a_long_title():
    app, _, _ = waves_app(title=LONG_TITLE)
    async with app.run_test(size=SIZE) as pilot:
        await open_gig(pilot)
        await pilot.press("n")  # the first wave: the next one is due in 5 minutes
        await settle(pilot)
        top = " ".join(line.strip() for line in screen_lines(app)[1:4])
        assert f"1 {LONG_TITLE}" in top and "next wave in 5m00s" in top


async def test_the_remote_preview_hint_reads_whole(backend_400):
    app, running = await open_queries(RemoteLike(backend_400))
    async with running as pilot:
        await pilot.press("2")
        screen = app.screen
        for _ in range(200):
            await pilot.pause(0.02)
            if screen.gig is not None and screen.source_note:
                break
        await pilot.pause()
        shown = region_text(app, screen.query_one("#q-note"))
        assert shown == screen.source_note.replace("  ", " ")
        assert shown.endswith("in the config file.")


async def test_a_regex_error_in_the_query_editor_reads_whole(backend_400):
    app, running = await open_queries(backend_400)
    async with running as pilot:
        screen = await queries_view(pilot)
        await set_filter(pilot, screen, '{"country": {"$regex": "(DE|AT"}}')
        await pilot.pause()
        shown = region_text(app, screen.query_one("#filter-status"))
        assert shown == ("country.$regex: invalid regular expression '(DE|AT': missing ) at "
                         "position 11")


async def test_the_gig_list_shows_whole_titles_and_scrolls_to_the_columns_moved_aside(make_app):
    gigs = [*sample_gigs(), make_gig("5", "Localization check: German storefront", T0, T0 + 60)]
    app = make_app(backend=FakeBackend(gigs))
    async with app.run_test(size=SIZE) as pilot:
        await listed(pilot)
        lines = screen_lines(app)
        assert "5  Localization check: German storefront " in lines[6]
        assert lines[1].split() == ["ID▲TITLE", "PHASE", "MODE", "ACCEPTED", "PEND", "NEXT"]
        assert "WAVES START END to the right (l)" in lines[-2]
        await pilot.press("l", "l", "l", "l", "l", "l", "l", "l")
        await pilot.pause()
        assert screen_lines(app)[1].split()[-3:] == ["WAVES", "START", "END"]


async def test_the_gig_view_shows_a_long_filter_query_whole(make_app):
    query = {"status": "active", "devices.os": "android", "rating": {"$gte": 3.5},
             "country": {"$in": ["DE", "AT", "CH"]}, "languages": {"$all": ["de", "en"]}}
    gigs = [make_gig("1", "Tree planting", T0 - 3600, T0 + 86400, filter_query=query)]
    app = make_app(backend=FakeBackend(gigs))
    async with app.run_test(size=SIZE) as pilot:
        await listed(pilot)
        await pilot.press("enter")
        await pilot.pause()
        lines = screen_lines(app)
        start = next(i for i, line in enumerate(lines) if line.startswith(" Filter query"))
        shown = " ".join(line[22:].strip() for line in lines[start:start + 3])
        assert shown.startswith(json.dumps(query))


async def edit_gig_2(pilot):
    await listed(pilot)
    await pilot.press("j", "enter", "e")  # gig 2, not started: every field editable
    await pilot.pause()
    return pilot.app.screen


async def test_the_save_confirmation_shows_old_and_new_of_each_changed_field(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        editor = await edit_gig_2(pilot)
        editor.query_one("#field-seats_min", Input).value = "7"
        editor.query_one("#field-seats_max", Input).value = ""
        await pilot.press("f2")
        await pilot.pause()
        assert "Save gig 2? Seats min: 5 → 7 Seats max: 20 → (blank)" in dialog_text(app)


async def test_escape_with_changes_asks_and_keeps_what_was_typed(make_app, backend):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        editor = await edit_gig_2(pilot)
        editor.query_one("#field-title", Input).value = "Beach cleanup, north shore"
        await pilot.press("escape")
        await pilot.pause()
        assert dialog_text(app).startswith(
            "Discard the changes to gig 2? Title: Beach cleanup → Beach cleanup, north shore")
        await pilot.press("n")
        await pilot.pause()
        assert app.screen is editor and editor.mode == "edit"
        assert any("Beach cleanup, north shore" in line for line in screen_lines(app))
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert editor.mode == "view"
        assert any(line.split()[1:] == ["Beach", "cleanup"] for line in screen_lines(app))
        assert backend.calls == []


async def test_escape_in_a_new_gig_with_a_title_typed_asks_first(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await listed(pilot)
        await pilot.press("n")
        await pilot.pause()
        await pilot.press(*"Dune survey")
        await pilot.press("escape")
        await pilot.pause()
        assert dialog_text(app).startswith("Discard the new gig? Title: (blank) → Dune survey")
        await pilot.press("y")
        await pilot.pause()
        assert "1 Gigs" in screen_lines(app)[0]


async def test_the_tuning_form_keeps_what_was_typed_on_an_error_and_on_no():
    app, backend, gig_id = waves_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_gig(pilot)
        await pilot.press("m")
        await settle(pilot)
        form = app.screen
        form.query_one("#tune-invitation_multiplier", Input).value = "6"
        form.query_one("#tune-seats_max", Input).value = "2"  # below seats_min (5)
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is form  # still open, with the problem said
        shown = dialog_text(app)
        assert "seats_max: must be at least seats_min (5), got 2" in shown and " 6 " in shown
        form.query_one("#tune-seats_max", Input).value = "9"
        await pilot.press("enter")
        await settle(pilot)
        assert "Change gig 1? Seats max: 8 → 9 Multiplier: 4 → 6 (from the next tick)" in (
            dialog_text(app))
        await pilot.press("n")  # not now: back to the form, as typed
        await settle(pilot)
        await pilot.press("tab")  # off the multiplier: the focused input's own box is tall
        shown = dialog_text(app)
        assert "applies from the next tick" in shown and " 6 " in shown and " 9 " in shown
        assert (await backend.get_gig(gig_id)).invitation_multiplier == 4


async def test_an_export_over_an_existing_file_asks_first(make_app, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    target = tmp_path / "gigs.csv"
    target.write_text("kept\n")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await listed(pilot)
        await pilot.press("e")
        app.screen.query_one(Input).value = "gigs.csv"
        await pilot.press("enter")
        await pilot.pause()
        assert dialog_text(app).startswith(
            "Overwrite gigs.csv? It exists: y replaces it with the 4 listed gigs, n goes back")
        await pilot.press("n")
        await pilot.pause()
        assert app.screen.query_one(Input).value == "gigs.csv"  # the prompt, as typed
        assert target.read_text() == "kept\n"
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("y")
        for _ in range(100):
            await pilot.pause(0.02)
            if target.read_text().startswith("id,"):
                break
        assert target.read_text().startswith("id,title,")


async def test_switching_gigs_with_a_broken_draft_asks_and_keeps_it(backend_400):
    second = await backend_400.create_gig(GigCreate.model_validate({
        "title": "Second gig", "description": "d", "url": "https://x/2", "start_at": NOW + 7200,
        "end_at": NOW + 86400, "total_seats": 5, "invitation_mode": "manual", "filter_query": {}}))
    app, running = await open_queries(backend_400)
    async with running as pilot:
        screen = await queries_view(pilot)
        first = screen.gig.id
        draft = '{"status": "active", "rating": {"$gte": '
        await set_filter(pilot, screen, draft)
        await pilot.press("escape", "1", "j", "2")
        await pilot.pause()
        assert dialog_text(app).startswith(
            f"Drop the query edits of gig {first}? Gig {second.id} is selected in the list")
        await pilot.press("n")
        await pilot.pause()
        assert f"Gig {first}: Query test" in screen_lines(app)[1]
        assert screen.editor("filter_query").text == draft
        await pilot.press("1", "2")  # the same pick: not asked again
        await pilot.pause()
        assert app.screen is screen
        await pilot.press("1", "k", "2", "1", "j", "2")  # picked again: asked again
        await pilot.pause()
        await pilot.press("y")
        await settled(pilot, screen)
        assert f"Gig {second.id}: Second gig" in screen_lines(app)[1]


async def test_the_chart_keeps_accepted_and_the_seat_limits_apart_under_hundreds_pending():
    app, backend, gig_id = waves_app(seats_min=10, seats_max=14)
    async with app.run_test(size=SIZE) as pilot:
        await open_gig(pilot)
        for _ in range(6):  # 6 waves of 20, few answers yet: over a hundred pending
            await pilot.press("n")
            await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        stats = await backend.gig_stats(gig_id)
        assert stats.pending > 100
        lines = screen_lines(app)
        axis = next(i for i, line in enumerate(lines) if "0└" in line)
        top = next(i for i, line in enumerate(lines) if re.match(r"\s*\d+│", line))
        assert lines[top].split("│")[0].strip() == "17"  # 14 and a quarter: not the pending
        limits = [i for i in range(top, axis) if "─" in lines[i]]
        assert len(limits) == 2 and limits[0] > top  # min and max on rows of their own
        assert [lines[i].split("│")[0].strip() for i in limits] == ["14", "10"]
        assert "▲" in lines[top]
        assert f"▲ above 17, peak {stats.pending}" in lines[axis + 2]


async def test_the_preview_keeps_one_worker_a_line_and_scrolls_to_the_columns_beyond(backend_400):
    app, running = await open_queries(backend_400)
    async with running as pilot:
        screen = await queries_view(pilot)
        await set_filter(pilot, screen, '{"status": "active", "devices.os": {"$exists": true}}')
        await settled(pilot, screen)
        screen.query_one("#q-rows").focus()

        def preview_lines() -> list[str]:
            return region_text(app, screen.query_one("#q-preview"), joined=False)

        lines = preview_lines()
        header = next(i for i, line in enumerate(lines) if line.startswith("#"))
        assert lines[header].split()[:3] == ["#", "worker", "status"]
        ranks = [line.split()[0] for line in lines[header + 1:header + 6]]
        assert ranks == ["1", "2", "3", "4", "5"]  # one worker a line, not wrapped
        await pilot.press(*["right"] * 40)
        await pilot.pause()
        assert preview_lines()[header].endswith("rating")
