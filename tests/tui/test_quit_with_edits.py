"""Quitting never drops what the operator typed and did not save without asking: a query draft
left in view 2, a gig form being edited."""

from __future__ import annotations

from .conftest import SIZE, listed
from .screen import dialog_text
from .test_gig_editor import edit_gig, field
from .test_queries_view import backend  # noqa: F401  (a fixture)
from .test_queries_view import open_queries, queries_view, set_filter


async def test_quitting_with_a_query_draft_asks_and_n_keeps_it(backend):  # noqa: F811
    app, running = await open_queries(backend)
    async with running as pilot:
        screen = await queries_view(pilot)
        draft = '{"status": "active", "rating": {"$gte": '
        await set_filter(pilot, screen, draft)
        await pilot.press("escape", "q")
        await pilot.pause()
        assert dialog_text(app).startswith(
            f"Quit and drop what is not saved? the query edits of gig {screen.gig.id} "
            "(filter_query (not valid)) n goes back to it.")
        await pilot.press("n")
        await pilot.pause()
        assert app.return_code is None and app.screen is screen
        assert screen.editor("filter_query").text == draft
        await pilot.press("1", "q")  # from another view, too
        await pilot.pause()
        assert "the query edits of gig" in dialog_text(app)
        await pilot.press("y")
        await pilot.pause()
        assert app.return_code == 0


async def test_quitting_a_gig_form_with_changes_names_the_fields(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        editor = await edit_gig(pilot, 1)
        field(app, "title").value = "Renamed"
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert dialog_text(app).startswith(
            f"Quit and drop what is not saved? the changes to gig {editor.gig.id} (Title)")
        await pilot.press("n")
        await pilot.pause()
        assert app.return_code is None and field(app, "title").value == "Renamed"


async def test_quitting_with_nothing_unsaved_asks_nothing(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await listed(pilot)
        await edit_gig(pilot, 1)  # editing, nothing changed
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert app.return_code == 0
