"""The query editor over 100,000 workers: time from the last keystroke to the updated preview,
and keystroke latency while a preview computes.

Headless (App.run_test) on the real path: LocalBackend -> view 2 -> debounce -> thread worker ->
PreviewEngine -> table. Each edit is typed key by key into the editor; the clock starts when the
last key is sent and stops when the view has put the preview for it into its widgets (debounce
included; the terminal paints it in the next frame, a cost the keystroke row shows). Between
edits the operator moves to the next place to edit and reads the preview for THINK seconds, as
people do; the view uses that idle time to precompute (``WARM_AFTER_SECONDS``).

References: the 150 ms target, and the straightforward preview an edit would cost without the
engine's reuse (compile the filter, one pass over every worker, ``compile_sort`` over the
survivors), timed on the same data.

    python bench/query_preview.py [--workers 100000] [--settle SECONDS] [--from-file | --from-store]

``--from-store``: a local context's own simulation directory (bench/out/, written once), opened
as the console opens one: its population.json read through its columnar file.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

# The console first, as the installed command does: it sets Textual's options before Textual loads.
from console.backends.local import LocalBackend  # noqa: E402
from console.models import GigCreate  # noqa: E402
from console.mql import compile_filter, compile_sort  # noqa: E402
from console.sim.engine import Engine  # noqa: E402
from console.sim.population import generate_population, load_population, save_population  # noqa: E402
from console.sim.store import SimStore  # noqa: E402
from console.tui.app import CirroApp  # noqa: E402
from console.tui.views.queries import DEBOUNCE_SECONDS, QueriesScreen  # noqa: E402
from textual import events  # noqa: E402, I001
from textual.screen import Screen  # noqa: E402

OUT = Path(__file__).resolve().parent / "out"
NOW = 1_780_000_000
TARGET = 0.150
THINK = 1.0
FILTER = {"status": "active", "rating": {"$gte": 4}, "country": {"$in": ["DE", "FR"]}}
SORT = {"rating": -1, "tests_completed": -1}


class TimedApp(CirroApp):
    """The console, noting the first repaint that shows a watched editor's text changed."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.watched: tuple[object, str] | None = None  # (editor, its text before the key)
        self.repainted_at: float | None = None

    def _display(self, screen: Screen, renderable) -> None:  # type: ignore[override]
        super()._display(screen, renderable)
        if renderable is not None and self.watched is not None and self.repainted_at is None:
            editor, before = self.watched
            if editor.text != before:
                self.repainted_at = time.perf_counter()


def bench_gig() -> GigCreate:
    return GigCreate.model_validate({
        "title": "Bench", "description": "d", "url": "https://x/1", "start_at": NOW + 3600,
        "end_at": NOW + 86400, "total_seats": 50, "invitation_mode": "manual",
        "filter_query": FILTER, "sort_query": SORT,
    })


def make_backend(workers: int, from_file: bool, from_store: bool = False) -> LocalBackend:
    if from_store:
        directory = OUT / f"preview-store-{workers}"
        if not (directory / "state.json").exists():
            engine = Engine(generate_population(workers, seed=1, now=NOW), clock=NOW)
            engine.create_gig(bench_gig())
            with SimStore.open(directory) as store:
                store.save(engine)
        return LocalBackend.open(directory, create_demo=False)
    population = generate_population(workers, seed=1, now=NOW)
    if from_file:  # the population as a file's columnar file gives it: no dict per worker
        path = OUT / f"preview-population-{workers}.json"
        if not path.exists():
            OUT.mkdir(parents=True, exist_ok=True)
            save_population(population, path)
        population = load_population(path)
    engine = Engine(population, clock=NOW)
    engine.create_gig(bench_gig())
    return LocalBackend(engine)


async def shown(screen: QueriesScreen, timeout: float = 30.0) -> float:
    """Wait for the newest preview (with its rows) to be on screen; returns when it was."""
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        preview = screen.preview
        if (screen.shown_generation == screen.generation and preview is not None
                and preview.rows is not None):
            return time.perf_counter()
        await asyncio.sleep(0.001)
    raise TimeoutError("preview never arrived")


CHARACTERS = {"full_stop": ".", "comma": ",", "quotation_mark": '"', "minus": "-",
              "backspace": None, "delete": None}


async def type_key(app: TimedApp, editor, key: str) -> tuple[float, float]:
    """Send one key the way the terminal driver does; returns the seconds until this loop saw
    the editor's text change, and until the first repaint that shows it. (Pilot.press also
    waits for the whole process to go idle, up to 2 s while a worker thread computes, which
    would measure Pilot, not the console.) The first figure is seen only once whatever was
    queued before this loop has run, a repaint included."""
    before = editor.text
    event = events.Key(key, CHARACTERS.get(key, key))
    event.set_sender(app)
    app.watched, app.repainted_at = (editor, before), None
    started = time.perf_counter()
    app._driver.send_message(event)
    while editor.text == before:
        await asyncio.sleep(0.0005)
    updated = time.perf_counter()
    deadline = updated + 2.0
    while app.repainted_at is None and time.perf_counter() < deadline:
        await asyncio.sleep(0.0005)
    repainted = app.repainted_at if app.repainted_at is not None else deadline
    app.watched = None
    return updated - started, repainted - started


def place_cursor(editor, after: str, occurrence: int = 0) -> None:
    """Put the cursor right after the ``occurrence``-th ``after`` in the editor's text."""
    lines = editor.text.splitlines()
    seen = 0
    for row, line in enumerate(lines):
        col = line.find(after)
        while col != -1:
            if seen == occurrence:
                editor.move_cursor((row, col + len(after)))
                return
            seen += 1
            col = line.find(after, col + 1)
    raise ValueError(f"{after!r} not in the editor")


# (label, editor, text after which to type, keys)
EDITS = [
    ("rating 4 -> 4.5", "filter_query", '"$gte": 4', ["full_stop", "5"]),
    ("rating 4.5 -> 4.2", "filter_query", '"$gte": 4.5', ["backspace", "2"]),
    ("country + PL", "filter_query", '"FR"', ["comma", "quotation_mark", "P", "L", "quotation_mark"]),
    ("status active -> activ (none)", "filter_query", '"activ', ["delete"]),
    ("status back to active", "filter_query", '"activ', ["e"]),
    ("rating 4.2 -> 3.2", "filter_query", '"$gte": ', ["delete", "3"]),
    ("sort: tests_completed -1 -> 1", "sort_query", '"tests_completed": ', ["delete"]),
    ("rating 3.2 -> 4.2 (new sort)", "filter_query", '"$gte": ', ["delete", "4"]),
]


async def run_edits(screen: QueriesScreen, pilot) -> list[tuple[str, float, int]]:
    results = []
    for label, name, after, keys in EDITS:
        # The operator moves to the editor and cursor, reads, then types: a focus change
        # re-renders the footer's keys (~50-100 ms here), a cost of that earlier move.
        editor = screen.editor(name)
        editor.focus()
        place_cursor(editor, after)
        await asyncio.sleep(THINK)
        for key in keys[:-1]:
            await type_key(screen.app, editor, key)
        generation = screen.generation
        sent = time.perf_counter()
        await type_key(screen.app, editor, keys[-1])
        while screen.generation == generation:  # the view has not validated the edit yet
            await asyncio.sleep(0.0005)
        await shown(screen)
        done = screen.shown_at
        assert screen.current() is not None, f"{label}: the edit left invalid JSON"
        results.append((label, done - sent, screen.preview.matched))
    return results


async def keystroke_latency(screen: QueriesScreen, pilot,
                            busy: bool) -> list[tuple[float, float]]:
    """Round trip of one key press into the filter editor, idle or while a preview computes.

    The typed keys break the JSON (so they schedule nothing); when ``busy``, a sort never ranked
    yet, with every worker a candidate, was pasted just before: a full ranking runs, on a dotted
    path through arrays, which ranks document by document (the slowest kind of sort key)."""
    filter_editor, sort_editor = screen.editor("filter_query"), screen.editor("sort_query")
    if busy:
        filter_editor.replace_all("{}")
        await pilot.pause()
        await shown(screen)
        sort_editor.replace_all('{"devices.version": -1, "last_active_at": -1}')
        await asyncio.sleep(DEBOUNCE_SECONDS + 0.02)
    filter_editor.focus()
    filter_editor.move_cursor((0, 1))
    latencies = []
    running = 0
    for key in "xxxxxxxxxxxxxxxxxxxx":
        if any(w.group == "preview" and w.is_running for w in screen.workers):
            running += 1
        latencies.append(await type_key(screen.app, filter_editor, key))
        await asyncio.sleep(0.03)  # a fast typist: ~30 keys a second
    for _ in latencies:
        await type_key(screen.app, filter_editor, "backspace")
    if busy and running < len(latencies) // 2:
        print(f"note: a preview was running during only {running} of {len(latencies)} keystrokes")
    await shown(screen, timeout=60)
    return latencies


def straightforward(records: list[dict], filter_query: dict, sort_query: dict) -> float:
    """The preview without reuse: compile, one full pass, compile_sort over the survivors."""
    started = time.perf_counter()
    matches = compile_filter(filter_query)
    survivors = [r["document"] for r in records if matches(r["document"])]
    compile_sort(sort_query)(survivors)
    return time.perf_counter() - started


def ms(seconds: float) -> str:
    return f"{seconds * 1000:8.1f}"


async def main(workers: int, settle: float, from_file: bool, from_store: bool) -> int:
    source = (" (from a population file)" if from_file
              else " (from a simulation directory)" if from_store else "")
    print(f"building {workers:,} workers{source} ...", flush=True)
    backend = make_backend(workers, from_file, from_store)
    app = TimedApp(backend, poll_seconds=3600.0)
    async with app.run_test(size=(120, 40)) as pilot:
        # The operator reads the first view before opening view 2 (0: at once, the worst case).
        await asyncio.sleep(settle)
        first, first_cpu = time.perf_counter(), time.process_time()
        await pilot.press("2")
        screen = app.screen
        assert isinstance(screen, QueriesScreen)
        await shown(screen, timeout=120)
        print(f"first preview (engine built, sort ranked) after opening view 2 "
              f"({settle:g} s after start): {time.perf_counter() - first:.2f} s "
              f"(cpu {time.process_time() - first_cpu:.2f} s, all threads)")
        edits = await run_edits(screen, pilot)
        idle = await keystroke_latency(screen, pilot, busy=False)
        busy = await keystroke_latency(screen, pilot, busy=True)
        final = json.loads(screen.editor("filter_query").text)
        records = backend.simulation.population()
    reference = straightforward(records, final, SORT)

    print(f"\nquery preview over {workers:,} workers; debounce {DEBOUNCE_SECONDS * 1000:.0f} ms "
          f"(counted); {THINK:g} s between edits; load average {os.getloadavg()[0]:.1f} on "
          f"{os.cpu_count()} cores\n")
    print(f"{'edit (last keystroke -> preview shown)':<40}{'ms':>8}{'matched':>9}"
          f"{'x target':>10}")
    for label, seconds, matched in edits:
        print(f"{label:<40}{ms(seconds)}{matched:>9,}{seconds / TARGET:>10.2f}")
    filter_edits = [s for label, s, _ in edits if "sort" not in label]
    median = statistics.median(filter_edits)
    print(f"{'median of filter edits':<40}{ms(median)}{'':>9}{median / TARGET:>10.2f}")
    print(f"{'reference: no reuse, one edit':<40}{ms(reference)}{'':>9}"
          f"{reference / TARGET:>10.2f}   (editor / reference = {median / reference:.2f})")
    for n, what in ((0, "keystroke -> editor updated"), (1, "keystroke -> repainted")):
        print(f"\n{what:<40}{'median':>8}{'max':>9}")
        for label, keys in (("idle", idle), ("while a full ranking computes", busy)):
            times = [k[n] for k in keys]
            print(f"{label:<40}{ms(statistics.median(times))}{ms(max(times)):>9}")
    verdict = "meets" if median <= TARGET else "misses"
    print(f"\nfilter edits {verdict} the {TARGET * 1000:.0f} ms target (median {median * 1000:.0f} ms)")
    await backend.close()
    return 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=100_000)
    parser.add_argument("--settle", type=float, default=0.0,
                        help="seconds on the first view before opening view 2")
    parser.add_argument("--from-file", action="store_true",
                        help="load the workers from a population file (bench/out/, written once) "
                             "and its columnar file instead of generating them in memory")
    parser.add_argument("--from-store", action="store_true",
                        help="open a local simulation directory (bench/out/, written once) as a "
                             "local context does, its population through its columnar file")
    args = parser.parse_args()
    sys.exit(asyncio.run(main(args.workers, args.settle, args.from_file, args.from_store)))
