"""The store's own population gets a columnar file: opening reads it without a dict per worker;
one that is damaged, stale or not the store's is named and rebuilt, the JSON never touched."""

from __future__ import annotations

import json
import logging

import pytest

from console.sim.engine import Engine
from console.sim.population_file import ColumnarFile, columnar_path, write_columnar
from console.sim import store as store_module
from console.sim.store import SimStore

from .conftest import HOUR, START, gig_create, small_population
from .test_population_columns import _damage


@pytest.fixture(autouse=True)
def columns_from_200(monkeypatch):
    """These simulations' 200 workers get a columnar file (the console's from 50,000)."""
    monkeypatch.setattr(store_module, "COLUMNS_FROM", 200)


def _saved(tmp_path) -> Engine:
    engine = Engine(small_population(200), seed=2, clock=START - HOUR)
    engine.create_gig(gig_create(filter_query={"status": "active"}, sort_query={"rating": -1}))
    engine.advance_to(START + HOUR)
    with SimStore.open(tmp_path) as store:
        store.save(engine)
    return engine


def _reopened(tmp_path, read_only: bool = False):
    with SimStore.open(tmp_path, read_only=read_only) as store:
        population = store.load_population()
        return population, store.load_engine(population)


def test_opening_a_store_reads_its_columnar_file_without_a_dict_per_worker(tmp_path):
    engine = _saved(tmp_path)
    assert columnar_path(tmp_path / "population.json").exists()  # written with the JSON
    population, reloaded = _reopened(tmp_path)
    assert population._records is None  # mapped: no dict per worker was built
    assert population.get("7") == engine.population.get("7")
    assert reloaded.snapshot() == engine.snapshot()
    engine.run()
    reloaded.run()
    assert reloaded.snapshot() == engine.snapshot()


@pytest.mark.parametrize("how, named", [("truncated", "truncated"), ("damaged", "checksum"),
                                        ("garbage", "not a columnar population file")])
def test_a_bad_columnar_file_is_named_and_rebuilt_the_json_untouched(tmp_path, caplog, how,
                                                                      named):
    engine = _saved(tmp_path)
    source = tmp_path / "population.json"
    json_before = source.read_bytes()
    _damage(columnar_path(source), how)
    with caplog.at_level(logging.WARNING):
        population, reloaded = _reopened(tmp_path)
    assert f"{columnar_path(source)}: " in caplog.text and named in caplog.text
    assert "rebuilding it from population.json" in caplog.text
    assert population.as_list() == engine.population.as_list()  # from the JSON
    assert reloaded.snapshot() == engine.snapshot()
    assert source.read_bytes() == json_before
    ColumnarFile(columnar_path(source), source)  # rebuilt: reads again without complaint
    assert _reopened(tmp_path)[0]._records is None


def test_a_columnar_file_older_than_the_json_is_stale_and_rebuilt(tmp_path, caplog):
    _saved(tmp_path)
    source = tmp_path / "population.json"
    tables = json.loads(source.read_text())
    tables["workers"]["1"]["document"] = {"status": "edited by hand"}
    source.write_text(json.dumps(tables))
    json_before = source.read_bytes()
    with caplog.at_level(logging.WARNING):
        population, _ = _reopened(tmp_path)
    assert "stale" in caplog.text
    assert population.get("1")["document"] == {"status": "edited by hand"}
    assert source.read_bytes() == json_before
    population, _ = _reopened(tmp_path)
    assert population._records is None and population.get("1")["document"] == {
        "status": "edited by hand"}


def test_a_columnar_file_without_the_stores_journal_number_is_rebuilt(tmp_path, caplog):
    engine = _saved(tmp_path)
    source = tmp_path / "population.json"
    write_columnar(engine.population.records, source)  # a population file's, no meta
    with caplog.at_level(logging.WARNING):
        population, _ = _reopened(tmp_path)
    assert "no journal number" in caplog.text
    assert population.as_list() == engine.population.as_list()
    assert ColumnarFile(columnar_path(source), source).meta == {"journal_seq": 0}


def test_read_only_reads_the_json_and_rebuilds_nothing(tmp_path, caplog):
    _saved(tmp_path)
    columns = columnar_path(tmp_path / "population.json")
    _damage(columns, "damaged")
    damaged = columns.read_bytes()
    with caplog.at_level(logging.WARNING):
        population, _ = _reopened(tmp_path, read_only=True)
    assert "read-only, so not rebuilt" in caplog.text
    assert len(population) == 200 and columns.read_bytes() == damaged


def test_a_changed_worker_reaches_the_columnar_file_with_the_json(tmp_path):
    engine = _saved(tmp_path)
    with SimStore.open(tmp_path) as store:
        population = store.load_population()
        engine = store.load_engine(population)
        engine.upsert_worker("5", {"status": "active", "rating": 9.5})
        snapshot = store.snapshot(engine, store.last_seq)
        # The simulation goes on while the snapshot is written (by the journal's thread).
        engine.upsert_worker("5", {"status": "active", "rating": 1.0})
        engine.upsert_worker("201", {"status": "active"})
        store.write_snapshot(snapshot)
    population, _ = _reopened(tmp_path)
    assert population._records is None
    assert population.get("5")["document"] == {"status": "active", "rating": 9.5}
    assert population.get("201") is None and len(population) == 200
    tables = json.loads((tmp_path / "population.json").read_text())
    workers = list(tables["workers"].values())
    assert [population.get(r["id"]) for r in workers] == workers  # the columns are the JSON's


def test_a_population_below_the_threshold_has_no_columnar_file(tmp_path, monkeypatch):
    _saved(tmp_path)
    columns = columnar_path(tmp_path / "population.json")
    assert columns.exists()
    monkeypatch.setattr(store_module, "COLUMNS_FROM", 201)
    with SimStore.open(tmp_path) as store:
        population = store.load_population()
        engine = store.load_engine(population)
        engine.upsert_worker("5", {"status": "active"})
        store.save(engine)
    assert not columns.exists()  # the larger population's went with the JSON it described
    population, _ = _reopened(tmp_path)
    assert population.get("5")["document"] == {"status": "active"}
    assert not columns.exists()


def test_a_snapshot_is_written_without_waiting_for_its_columnar_file(tmp_path, monkeypatch):
    # The journal's thread writes snapshots between acknowledgements: at 1M workers the
    # columnar file takes ~20 s, which every acknowledged change would wait behind.
    import threading

    from console.sim import population_file

    engine = _saved(tmp_path)
    release, started = threading.Event(), threading.Event()
    refresh = population_file.refresh_columnar

    def held(*args, **kwargs):
        started.set()
        assert release.wait(10)
        refresh(*args, **kwargs)

    monkeypatch.setattr(population_file, "refresh_columnar", held)
    with SimStore.open(tmp_path) as store:
        engine = store.load_engine(store.load_population())
        engine.upsert_worker("5", {"status": "active", "rating": 9.5})
        written = threading.Thread(target=lambda: store.write_snapshot(
            store.snapshot(engine, store.last_seq)))
        written.start()
        written.join(5)
        held_back = written.is_alive()
        release.set()
        written.join()
        assert not held_back  # the snapshot was done while its columnar file was held
        assert started.wait(5)
    population, _ = _reopened(tmp_path)  # closing the store finished the columnar file
    assert population._records is None
    assert population.get("5")["document"] == {"status": "active", "rating": 9.5}


def test_a_columnar_file_stamped_with_a_replaced_json_is_stale_not_read(tmp_path, caplog):
    from console.sim.atomic import write_bytes_atomically
    from console.sim.population_file import current_columnar, source_stamp

    engine = _saved(tmp_path)
    source = tmp_path / "population.json"
    stamp = source_stamp(source)
    records = list(engine.population.as_list())
    write_bytes_atomically(source, source.read_bytes())  # a newer JSON replaced it meanwhile
    write_columnar(records, source, meta={"journal_seq": 0}, stamp=stamp)
    with caplog.at_level(logging.WARNING):
        assert current_columnar(source) is None
    assert "stale" in caplog.text or "changed" in caplog.text
