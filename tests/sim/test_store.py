"""The TinyDB store: atomic whole-file writes, one writer, damaged files reported and kept."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from console.sim.engine import Engine
from console.sim.store import SimStore, StoreCorrupt, StoreError, StoreLocked

from .conftest import DAY, HOUR, START, gig_create, small_population


def started_engine() -> Engine:
    engine = Engine(small_population(200), seed=2, clock=START - HOUR)
    engine.create_gig(gig_create(seats_min=6, seats_max=8))
    engine.advance_to(START + HOUR)
    return engine


def test_save_and_reload_continue_where_it_stopped(tmp_path):
    engine = started_engine()
    with SimStore.open(tmp_path) as store:
        store.save(engine)
    with SimStore.open(tmp_path) as store:
        reloaded = store.load_engine(store.load_population())
    assert reloaded.snapshot() == engine.snapshot()
    engine.run()
    reloaded.run()
    assert reloaded.snapshot() == engine.snapshot()
    tables = json.loads((tmp_path / "state.json").read_text())
    assert set(tables) == {"meta", "gigs", "invitations", "queue", "events", "journal"}


def test_save_writes_only_what_changed(tmp_path):
    engine = started_engine()
    with SimStore.open(tmp_path) as store:
        assert store.save(engine)
        population_mtime = (tmp_path / "population.json").stat().st_mtime_ns
        assert not store.save(engine)
        engine.advance_to(START + 2 * HOUR)
        assert store.save(engine)
        assert (tmp_path / "population.json").stat().st_mtime_ns == population_mtime
        assert not store.save(started_engine(), min_interval=3600)


def test_a_second_writer_gets_a_clear_error(tmp_path):
    with SimStore.open(tmp_path):
        code = ("import sys; from console.sim.store import SimStore, StoreLocked\n"
                f"try: SimStore.open(sys.argv[1])\nexcept StoreLocked as e: print(e)")
        out = subprocess.run([sys.executable, "-c", code, str(tmp_path)], capture_output=True,
                             text=True, check=True)
        assert "in use by another process" in out.stdout and str(tmp_path) in out.stdout
        with pytest.raises(StoreLocked):
            SimStore.open(tmp_path)
        SimStore.open(tmp_path, read_only=True).close()  # readers are welcome
    SimStore.open(tmp_path).close()  # released on close


@pytest.mark.parametrize("damage", [
    lambda text: text[: len(text) // 2],
    lambda text: "",
    lambda text: "[1, 2]",
])
def test_a_damaged_state_file_is_named_and_never_overwritten(tmp_path, damage):
    engine = started_engine()
    with SimStore.open(tmp_path) as store:
        store.save(engine)
    state = tmp_path / "state.json"
    damaged = damage(state.read_text())
    state.write_text(damaged)
    with SimStore.open(tmp_path) as store:
        with pytest.raises(StoreCorrupt, match="state.json"):
            store.load_engine(store.load_population())
        engine.advance_to(START + DAY)
        with pytest.raises(StoreError, match="not saving over a damaged file"):
            store.save(engine)
    assert state.read_text() == damaged


def test_a_damaged_population_file_is_named(tmp_path):
    with SimStore.open(tmp_path) as store:
        store.save(started_engine())
    (tmp_path / "population.json").write_text('{"workers": {"1": ')
    with SimStore.open(tmp_path) as store, pytest.raises(StoreCorrupt, match="population.json"):
        store.load_population()


def test_read_only_store_never_writes(tmp_path):
    with SimStore.open(tmp_path) as store:
        store.save(started_engine())
    before = (tmp_path / "state.json").read_bytes()
    with SimStore.open(tmp_path, read_only=True) as store:
        engine = store.load_engine(store.load_population())
        engine.run()
        assert not store.save(engine)
    assert (tmp_path / "state.json").read_bytes() == before
