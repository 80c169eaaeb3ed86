"""The gig view and editor: edit with a validation error then saved, create, duplicate,
archive and delete after confirmation, refusal in read-only mode."""

from __future__ import annotations

import pytest

from console.tui.views.gig_editor import GigEditor
from console.tui.widgets.dialogs import ConfirmDialog

from .conftest import SIZE, listed, wait_for
from .screen import region_text, screen_lines
from .fakes import T0


def field(app, name: str):
    return app.screen.query_one(f"#field-{name}")


def error_text(app, name: str) -> str:
    label = app.screen.query_one(f"#error-{name}")
    return str(label.render()) if label.has_class("-shown") else ""


async def open_gig(pilot, row: int) -> GigEditor:
    await listed(pilot)
    await pilot.press(*["j"] * row, "enter")
    await pilot.pause()
    assert isinstance(pilot.app.screen, GigEditor)
    return pilot.app.screen


async def edit_gig(pilot, row: int) -> GigEditor:
    editor = await open_gig(pilot, row)
    await pilot.press("e")
    assert editor.mode == "edit"
    return editor


async def settle(pilot) -> None:
    """Let a confirmed mutation reach the backend and its result reach the screen."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def test_view_shows_every_field_of_the_gig(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        editor = await open_gig(pilot, 0)
        assert field(app, "title").value == "Tree planting"
        assert field(app, "filter_query").value == '{"status": "active"}'
        assert field(app, "invitation_mode").value == "auto"
        assert all(w.disabled for w in app.screen.query("#gig-form Input"))
        assert editor.mode == "view"


async def test_edit_shows_error_at_the_field_then_saves_after_confirmation(make_app, backend):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        editor = await edit_gig(pilot, 1)  # gig 2, not started: every field editable
        assert editor.mode == "edit" and not field(app, "title").disabled
        field(app, "seats_max").value = "2"
        await pilot.press("f2")
        assert "at least seats_min (5)" in error_text(app, "seats_max")
        assert app.focused is field(app, "seats_max")
        assert not isinstance(app.screen, ConfirmDialog)
        field(app, "seats_max").value = "30"
        field(app, "title").value = "Beach cleanup, north"
        await pilot.press("f2")
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")
        await settle(pilot)
        assert error_text(app, "seats_max") == ""
        assert editor.mode == "view"
        assert backend.gigs["2"].seats_max == 30
        assert backend.gigs["2"].title == "Beach cleanup, north"


async def test_unparseable_field_is_named_and_nothing_is_sent(make_app, backend):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await edit_gig(pilot, 1)
        field(app, "filter_query").value = '{"status": '
        field(app, "start_at").value = "tomorrow"
        await pilot.press("f2")
        assert "invalid JSON" in error_text(app, "filter_query")
        assert "not a time" in error_text(app, "start_at")
        assert backend.calls == []


async def test_started_gig_freezes_title_and_start(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await edit_gig(pilot, 0)  # gig 1 is live
        assert field(app, "title").disabled and field(app, "start_at").disabled
        assert not field(app, "end_at").disabled
        summary = str(app.screen.query_one("#gig-summary").render())
        assert "description, start_at, title, url can no longer change" in summary


async def test_cancelled_confirmation_changes_nothing(make_app, backend):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await edit_gig(pilot, 1)
        field(app, "total_seats").value = "12"
        await pilot.press("f2", "n")
        await pilot.pause()
        assert isinstance(app.screen, GigEditor) and app.screen.mode == "edit"
        assert backend.calls == []


async def test_create_a_gig(make_app, backend):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await listed(pilot)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, GigEditor) and app.screen.mode == "create"
        await pilot.press("f2")
        assert "at least 1 character" in error_text(app, "title")
        await pilot.press(*"Night shift")
        assert field(app, "title").value == "Night shift"
        field(app, "tasks").value = '[{"title": "Review", "base_price": 300}]'
        await pilot.press("f2", "y")
        await app.workers.wait_for_complete()
        await listed(pilot, 5)
        await pilot.pause()
        created = backend.calls[-1][1]
        assert created.title == "Night shift" and created.start_at > T0
        assert not isinstance(app.screen, GigEditor)
        assert app.screen.query_one("VirtualTable").cursor_key == created.id


async def test_duplicate_moves_a_started_gig_into_the_future(make_app, backend):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await listed(pilot)
        await pilot.press("d")  # gig 1, started an hour ago
        await pilot.pause()
        assert field(app, "title").value == "Copy of Tree planting"
        await pilot.press("f2", "y")
        await app.workers.wait_for_complete()
        created = backend.calls[-1][1]
        assert created.start_at > T0
        assert created.end_at - created.start_at == backend.gigs["1"].end_at - backend.gigs["1"].start_at


async def test_archive_after_confirmation(make_app, backend):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await listed(pilot)
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        assert backend.calls == []
        await pilot.press("y")
        await app.workers.wait_for_complete()
        await listed(pilot)
        await pilot.pause()
        assert backend.calls == [("archive", "1")]
        assert app.screen.query_one("VirtualTable").row("1").cells[2] == "archived"


async def test_delete_only_before_start(make_app, backend):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await listed(pilot)
        await pilot.press("x")  # gig 1 has started
        await pilot.pause()
        assert not isinstance(app.screen, ConfirmDialog)
        assert any("archive it instead" in n.message for n in app._notifications)
        await pilot.press("j", "x", "y")  # gig 2 has not
        await app.workers.wait_for_complete()
        assert backend.calls == [("delete", "2")]


async def test_backend_refusal_is_shown_and_edits_are_kept(make_app, backend):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await edit_gig(pilot, 1)
        field(app, "total_seats").value = "12"
        backend.read_only = True  # the backend refuses although the console does not know
        await pilot.press("f2", "y")
        await settle(pilot)
        problem = app.screen.query_one("#gig-problem")
        assert problem.has_class("-shown") and "403" in str(problem.render())
        assert field(app, "total_seats").value == "12"


@pytest.mark.parametrize("where", ["--read-only", "context setting"])
async def test_read_only_refuses_every_mutation(make_app, backend, where, monkeypatch):
    backend.read_only = where == "context setting"
    app = make_app(read_only=where == "--read-only")
    # Counted as they are made: a notification leaves the app's list once its 5 s are up,
    # which a loaded machine reached before the last key.
    said: list[str] = []
    notify = app.notify
    monkeypatch.setattr(app, "notify", lambda message, **kw: (said.append(message),
                                                               notify(message, **kw)))
    async with app.run_test(size=SIZE) as pilot:
        await listed(pilot)
        for key in ("n", "d", "a", "x"):
            await pilot.press(key)
            await pilot.pause()
            assert not isinstance(app.screen, (ConfirmDialog, GigEditor)), key
        await pilot.press("enter", "e")

        def refusals() -> int:
            return sum("Read-only" in message for message in said)

        await wait_for(lambda: refusals() >= 5)
        assert app.screen.mode == "view"
        assert refusals() == 5
        assert backend.calls == []


async def test_a_frequency_out_of_range_is_shown_at_the_field(make_app, backend):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await edit_gig(pilot, 1)
        field(app, "invitation_frequency").value = "1e307"
        await pilot.press("f2")
        assert "must be at most 525,600 minutes" in error_text(app, "invitation_frequency")
        assert not isinstance(app.screen, ConfirmDialog)
        assert backend.gigs["2"].invitation_frequency != 1e307


async def test_a_description_over_its_limit_is_named_on_the_screen_and_nothing_is_sent(
        make_app, backend):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await listed(pilot)
        await pilot.press("n")
        await pilot.pause()
        field(app, "title").value = "Long read"
        field(app, "description").value = "d" * 20_001
        await pilot.press("f2")
        await pilot.pause()
        assert not isinstance(app.screen, ConfirmDialog)
        shown = region_text(app, app.screen.query_one("#error-description"))
        assert shown == "must be at most 20,000 characters (got 20,001)"
        assert app.focused is field(app, "description")
        assert backend.calls == []


async def test_an_error_shown_follows_the_field_as_it_is_typed_into(make_app, backend):
    """After a refused save, the error under a field named a value no longer in it ('nan'
    while the field said 'nan2'); it now follows the typing, and the focus stays put."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await edit_gig(pilot, 1)
        box = field(app, "invitation_multiplier")
        box.value = ""
        box.focus()
        await pilot.press("n", "a", "n", "f2")
        await pilot.pause()
        screen = "\n".join(screen_lines(app))
        assert "must be a finite number (got nan)" in screen
        await pilot.press("2")
        await pilot.pause()
        screen = "\n".join(screen_lines(app))
        assert "got nan)" not in screen and "must be a number, not 'nan2'" in screen
        assert app.focused is box
        await pilot.press(*["backspace"] * 4, "3")
        await pilot.pause()
        assert "must be" not in "\n".join(screen_lines(app))
        assert error_text(app, "invitation_multiplier") == "" and app.focused is box
        await pilot.press(*"0000")  # bad again once its error had cleared: said at once
        await pilot.pause()
        assert "must be at most 1,000 (got 30,000)" in "\n".join(screen_lines(app))
        assert backend.calls == []


async def test_an_unreadable_number_and_an_out_of_range_one_are_both_shown_at_once(
        make_app, backend):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await edit_gig(pilot, 1)
        field(app, "total_seats").value = str(2**70)
        field(app, "seats_min").value = "nan"
        await pilot.press("f2")
        assert error_text(app, "seats_min") == "must be a whole number, not 'nan'"
        assert "must be at most 1,000,000" in error_text(app, "total_seats")
        # The first field in error is focused and its message is on the screen.
        assert app.focused is field(app, "total_seats")
        assert "must be at most 1,000,000" in region_text(app, app.screen.query_one(
            "#error-total_seats"))
        assert not isinstance(app.screen, ConfirmDialog)
        assert backend.gigs["2"].total_seats != 2**70
