"""Population files through the fast parser: the same records as before, whatever their shape."""

from __future__ import annotations

import json

import pytest

from console.sim.engine import Engine
from console.sim.population import PopulationError, load_population, save_population
from console.sim.store import SimStore


def test_well_formed_records_load_in_worker_order_and_round_trip(tmp_path):
    path = tmp_path / "p.json"
    records = [{"id": "10", "document": {"n": 2**70, "s": "é"}, "traits": {"pace": 1}},
               {"id": "9", "document": {"a": [1, {"b": None}]}}]
    path.write_text(json.dumps(records))
    population = load_population(path)
    assert [r["id"] for r in population] == ["9", "10"]
    assert population.get("10") == records[0]  # big integers exact, traits as written
    save_population(population, tmp_path / "again.json")
    assert json.loads((tmp_path / "again.json").read_text()) == [records[1], records[0]]


def test_other_shapes_get_the_per_record_checks(tmp_path):
    path = tmp_path / "p.json"
    path.write_text(json.dumps([{"id": 7, "document": {}, "extra": 1},
                                {"id": "8", "document": {}, "traits": None}]))
    assert load_population(path).as_list() == [{"id": "7", "document": {}},
                                                {"id": "8", "document": {}}]
    path.write_text(json.dumps([{"id": "1", "document": {}, "traits": {"pace": -1}}]))
    with pytest.raises(PopulationError, match=r"\[0\]\.traits: must be an object of non-negative"):
        load_population(path)


def test_a_lone_surrogate_still_loads_and_saves_as_before(tmp_path):
    path = tmp_path / "p.json"
    path.write_text('[{"id": "1", "document": {"name": "\\udfff"}}]')
    population = load_population(path)
    assert population.get("1")["document"]["name"] == "\udfff"
    with SimStore.open(tmp_path / "sim") as store:
        store.save(Engine(population, seed=1, clock=0))
        assert store.load_population().get("1")["document"]["name"] == "\udfff"


def test_nan_is_refused_naming_the_file(tmp_path):
    path = tmp_path / "p.json"
    path.write_text('[{"id": "1", "document": {"x": NaN}}]')
    with pytest.raises(PopulationError, match="p.json: not a valid JSON population"):
        load_population(path)
