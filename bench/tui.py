"""The gig list with 10,000 gigs: first paint and filter keystrokes, against a plain DataTable.

Headless (App.run_test). The console path is the real one: backend -> rows -> virtual table.
The reference is a plain Textual DataTable loaded with the same cells (already formatted, which
favours it), filtered the only way a DataTable can be: clear and add the matching rows again.

    python bench/tui.py [--gigs 10000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

# The console first, as the installed command does: it sets Textual's options before Textual
# loads (both apps below run with them).
from console.models import Gig, GigStats  # noqa: E402
from console.tui.app import CirroApp  # noqa: E402
from console.gig_facts import gig_facts  # noqa: E402
from console.tui.rows import GIG_COLUMNS, gig_row  # noqa: E402
from console.tui.widgets.virtual_table import Row, VirtualTable, compile_filter  # noqa: E402
from textual.app import App, ComposeResult  # noqa: E402, I001
from textual.widgets import DataTable  # noqa: E402

NOW = 1_772_445_600
SIZE = (120, 40)
FILTER = "live"  # plain words: a substring test
REGEX = "sm.rt|b.ta"  # regex syntax from the third key on (valid at every prefix)
WORDS = ("checkout regression android ios smoke survey usability security bug bash streaming "
         "localization german storefront payments accessibility audit onboarding exploratory "
         "interviews tv smart beta release").split()


def make_gigs(n: int) -> tuple[list[Gig], dict[str, GigStats]]:
    rnd = random.Random(7)
    gigs, stats = [], {}
    for i in range(n):
        start = NOW + rnd.randint(-30, 30) * 86400
        gig = Gig.model_validate({
            "id": str(i + 1), "title": " ".join(rnd.sample(WORDS, 3)).capitalize(),
            "description": "", "url": "", "start_at": start,
            "end_at": start + rnd.randint(1, 10) * 86400, "total_seats": 10,
            "seats_min": 10, "seats_max": rnd.choice([None, 20]),
            "invitation_mode": rnd.choice(["auto", "manual"]), "filter_query": {},
        })
        gigs.append(gig)
        stats[gig.id] = GigStats(gig_id=gig.id, accepted=rnd.randint(0, 20),
                                 pending=rnd.randint(0, 200), waves_sent=rnd.randint(0, 30),
                                 next_wave_at=NOW + rnd.randint(0, 3600))
    return gigs, stats


class StaticBackend:
    """Answers the poll from memory, in process like the local simulation, so the bench
    measures the console, not a backend."""

    kind = "local"
    context = "bench"
    read_only = True

    def __init__(self, gigs: list[Gig], stats: dict[str, GigStats]) -> None:
        self.gigs, self.stats = gigs, stats

    async def now(self) -> int:
        return NOW

    async def list_gigs(self) -> list[Gig]:
        return self.gigs

    async def gig_stats(self, gig_id: str) -> GigStats:
        return self.stats[gig_id]


class PlainTableApp(App[None]):
    def __init__(self, cells: list[tuple[str, ...]]) -> None:
        super().__init__()
        self.cells = cells
        self.filter_text = ""

    def compose(self) -> ComposeResult:
        yield DataTable()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns(*(c.label for c in GIG_COLUMNS))
        table.add_rows(self.cells)
        table.focus()

    def apply_filter(self, text: str) -> None:
        self.filter_text = text
        row_filter = compile_filter(text)
        table = self.query_one(DataTable)
        table.clear()
        table.add_rows(c for c in self.cells
                       if row_filter is None or row_filter.matches(Row.of("", c, ())))


class PaintClock:
    """Wraps a Line-API widget's ``render_line`` to note when rows are really painted: pilot's
    own waits (it sleeps until the CPU looks idle) are not part of what a person would see."""

    def __init__(self, widget_class: type, row_count, state) -> None:
        self.first_full: float | None = None  # first line painted with every row loaded
        self.frames: dict[str, list[float]] = {}  # state (filter text) -> paint times
        self.total = 0
        original = widget_class.render_line
        clock = self

        def render_line(widget, y):
            strip = original(widget, y)
            now = time.perf_counter()
            if clock.first_full is None and row_count(widget) == clock.total:
                clock.first_full = now
            clock.frames.setdefault(state(widget), []).append(now)
            return strip

        self.restore = lambda: setattr(widget_class, "render_line", original)
        widget_class.render_line = render_line

    def frame_done(self, key: str, lines: int) -> float:
        """When the first full frame painted in state ``key`` ended."""
        times = self.frames[key]
        return times[min(lines, len(times)) - 1]


async def wait_for(pilot, done) -> None:
    while not done():
        await pilot.pause()
    await pilot.pause()


async def console_run(backend: StaticBackend, n: int) -> tuple[float, list[float]]:
    clock = PaintClock(VirtualTable, lambda w: w.total_count, lambda w: w.filter_text)
    clock.total = n
    try:
        start = time.perf_counter()
        app = CirroApp(backend, poll_seconds=3600)
        async with app.run_test(size=SIZE) as pilot:
            table = lambda: app.screen.query_one(VirtualTable)  # noqa: E731
            await wait_for(pilot, lambda: clock.first_full is not None)
            first_paint = clock.first_full - start
            keystrokes = []
            for typed in (FILTER, REGEX):
                await pilot.press("escape", "slash")
                for i, char in enumerate(typed):
                    t = time.perf_counter()
                    await pilot.press(char)
                    await pilot.pause()
                    assert table().filter_text == typed[: i + 1]
                    keystrokes.append(clock.frame_done(typed[: i + 1], table().size.height) - t)
    finally:
        clock.restore()
    return first_paint, keystrokes


async def plain_run(cells: list[tuple[str, ...]]) -> tuple[float, list[float]]:
    clock = PaintClock(DataTable, lambda w: w.row_count, lambda w: w.app.filter_text)
    clock.total = len(cells)
    try:
        start = time.perf_counter()
        app = PlainTableApp(cells)
        async with app.run_test(size=SIZE) as pilot:
            await wait_for(pilot, lambda: clock.first_full is not None)
            first_paint = clock.first_full - start
            keystrokes = []
            for typed in (FILTER, REGEX):
                for i in range(len(typed)):
                    t = time.perf_counter()
                    app.apply_filter(typed[: i + 1])
                    await pilot.pause()
                    lines = app.query_one(DataTable).size.height
                    keystrokes.append(clock.frame_done(typed[: i + 1], lines) - t)
    finally:
        clock.restore()
    return first_paint, keystrokes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gigs", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    gigs, stats = make_gigs(args.gigs)
    cells = [gig_row(f).cells for f in gig_facts(gigs, stats, NOW)]
    backend = StaticBackend(gigs, stats)
    ours, plain = [], []
    for _ in range(args.repeat):
        # Each run starts clean: the garbage of the previous app is not the next one's to collect.
        gc.collect()
        ours.append(asyncio.run(console_run(backend, args.gigs)))
        gc.collect()
        plain.append(asyncio.run(plain_run(cells)))

    paint_ours = statistics.median(r[0] for r in ours)
    paint_plain = statistics.median(r[0] for r in plain)
    words = len(FILTER)
    words_ours = [k for r in ours for k in r[1][:words]]
    words_plain = [k for r in plain for k in r[1][:words]]
    regex_ours = [k for r in ours for k in r[1][words:]]
    regex_plain = [k for r in plain for k in r[1][words:]]

    def ms(seconds: float) -> str:
        return f"{seconds * 1000:9.1f} ms"

    print(f"gig list, {args.gigs:,} gigs x {len(GIG_COLUMNS)} columns, terminal {SIZE[0]}x{SIZE[1]}, "
          f"median of {args.repeat} runs; filters typed key by key: {FILTER!r}, {REGEX!r}")
    print(f"{'measure':<34}{'cirro-console':>14}{'DataTable':>14}{'ratio':>9}  target")
    rows = [
        ("start to first painted list", paint_ours, paint_plain, ">= 5x faster"),
        ("words filter keystroke, median", statistics.median(words_ours),
         statistics.median(words_plain), "<= 100 ms"),
        ("words filter keystroke, worst", max(words_ours), max(words_plain), "<= 100 ms"),
        ("regex filter keystroke, median", statistics.median(regex_ours),
         statistics.median(regex_plain), "<= 100 ms"),
        ("regex filter keystroke, worst", max(regex_ours), max(regex_plain), "<= 100 ms"),
    ]
    for name, a, b, target in rows:
        print(f"{name:<34}{ms(a):>14}{ms(b):>14}{b / a:>8.1f}x  {target}")
    paint_ok = paint_plain / paint_ours >= 5
    keys_ok = max(words_ours + regex_ours) <= 0.1
    print(f"first paint {'meets' if paint_ok else 'MISSES'} the 5x target; "
          f"filter keystrokes {'meet' if keys_ok else 'MISS'} the 100 ms target")


if __name__ == "__main__":
    main()
