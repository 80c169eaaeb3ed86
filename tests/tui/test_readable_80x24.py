"""At 80x24 every message and value reads whole on the screen: wrapped or given room, not cut."""

from __future__ import annotations

from .conftest import SIZE, listed
from .fakes import T0, FakeBackend, make_gig, sample_gigs
from .screen import dialog_text, screen_lines

LONG_TITLE = "Checkout regression on Android tablets, German storefront"


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
