"""What the backend answered and the console shows rather than refuses: a gig that ends before
it starts (Cirro's own gig/update fixture), and what a gig produced (results, paid time)."""

from __future__ import annotations

from console.models import GigResult, GigTimeActivity

from .conftest import SIZE, listed
from .fakes import T0, FakeBackend, make_gig, sample_gigs


def screen_text(app) -> str:
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


async def opened(pilot, row: int) -> str:
    await listed(pilot)
    await pilot.press(*["j"] * row, "enter")
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    return screen_text(pilot.app)


async def test_a_gig_ending_before_it_starts_is_listed_and_shown_with_a_warning(make_app):
    backwards = make_gig("5", "Backwards", T0, 420, tasks={"object": "list", "data": []})
    backend = FakeBackend([*sample_gigs(), backwards])
    app = make_app(backend=backend)
    async with app.run_test(size=SIZE) as pilot:
        await listed(pilot)
        rows = screen_text(app).splitlines()
        assert any(line.startswith("5  (!) Bac") for line in rows)
        assert not any(line.startswith("1  (!)") for line in rows)
        text = await opened(pilot, 4)
        assert f"warning: end_at (420) is not after start_at ({T0})" in text


async def test_gig_view_shows_results_and_paid_time(make_app):
    gig = make_gig("7", "Paid gig", T0 - 7200, T0 - 60, tasks={"object": "list", "data": [
        {"id": "70", "object": "gig_task", "title": "Run", "base_price": 300}]})
    backend = FakeBackend([gig])
    backend.results = [GigResult(id=str(i), gig_task_id="70", user_id=u, title="Run", quantity=q)
                       for i, (u, q) in enumerate([("1", 2), ("2", 1)])]
    backend.activities = [GigTimeActivity(id="1", gig_id="7", user_id="1", duration_in_ms=5_400_000,
                                          date="2026-05-28")]
    app = make_app(backend=backend)
    async with app.run_test(size=SIZE) as pilot:
        text = await opened(pilot, 0)
        assert "results 2 by 2 workers, payout 900  time 1h30m by 1 worker" in text
