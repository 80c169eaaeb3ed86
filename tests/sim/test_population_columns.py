"""The columnar file beside a population's JSON: what it gives back equals the JSON, and a file
that is damaged, truncated or stale is named and rebuilt from the JSON."""

from __future__ import annotations

import json
import logging

import numpy as np
import pytest

from console.mql import compile_filter
from console.mql import column_sort
from console.mql.column_sort import ascending_ranks
from console.mql.columnar import evaluate
from console.mql.columns import build_column
from console.mql.paths import parse_path
from console.sim.population import PopulationError, load_population, save_population
from console.sim.population_file import ColumnarFile, columnar_path
from console.sim.ranking import rank


def _deep(levels: int) -> dict:
    value: dict = {"leaf": 1}
    for _ in range(levels):
        value = {"n": value}
    return value


HOSTILE = [
    {"id": "1", "document": {"big": 2**70, "neg": -(2**70), "s": "tab\tnul\u0000bell\u0007é",
                             "deep": _deep(90), "mixed": [1, "a", {"b": [None, {"c": 2}]}]},
     "traits": {"pace": 1.5}},
    {"id": "2", "document": {"big": 3, "s": 5, "mixed": {"b": "x"}, "devices": [{"os": "ios"}]}},
    {"id": "3", "document": {"big": 2.5, "mixed": None, "devices": [], "a.b": 1, "$x": 2}},
    {"id": "10", "document": {}},
]


def _write(tmp_path, records) -> object:
    path = tmp_path / "p.json"
    path.write_text(json.dumps(records))
    return path


def test_round_trip_json_to_columns_to_documents_equals_the_input(tmp_path):
    path = _write(tmp_path, HOSTILE)
    load_population(path)  # writes the columnar file
    population = load_population(path)
    assert population._records is None  # mapped: no dict per worker was built
    assert len(population) == 4 and population.get("1") == HOSTILE[0]
    assert population.get("nobody") is None
    scan = population.scan()
    assert scan.ids == ["1", "2", "3", "10"]
    assert list(scan.documents) == [r["document"] for r in HOSTILE]
    documents = [r["document"] for r in HOSTILE]
    for dotted in ("big", "s", "mixed", "mixed.b", "deep.n.n", "devices.os"):
        built, read = build_column(documents, parse_path(dotted)), scan.columns.column(
            parse_path(dotted))
        assert built.tags.tolist() == read.tags.tolist(), dotted
        assert np.array_equal(built.values, read.values) and built.strings == read.strings
        assert built.odd.tolist() == read.odd.tolist()
        built_ranks, read_ranks = ascending_ranks(built), ascending_ranks(read)
        assert (built_ranks is None) == (read_ranks is None), dotted
        if built_ranks is not None:
            assert read_ranks[0].dtype == np.int64 and read_ranks[1] == built_ranks[1]
            assert read_ranks[0].tolist() == built_ranks[0].tolist(), dotted
    for query in ({"big": {"$gt": 2}}, {"big": 2**70}, {"mixed.b": "x"}, {"mixed.b.c": 2},
                  {"devices.os": "ios"}, {"s": {"$regex": "nul"}}, {"a.b": 1}):
        expected = [compile_filter(query)(d) for d in documents]
        assert evaluate(query, scan.columns).tolist() == expected, query
    save_population(population, tmp_path / "again.json")
    assert json.loads((tmp_path / "again.json").read_text()) == HOSTILE


def test_rankings_over_the_columnar_file_equal_those_over_the_json(tmp_path):
    from console.sim.population import generate_population

    path = tmp_path / "p.json"
    save_population(generate_population(300, seed=3), path)
    mapped, plain = load_population(path), load_population(path, columnar_file=False)
    queries = ({"status": "active", "devices.os": {"$in": ["android"]}},
               {"devices.version": -1, "rating": -1})
    predicate = compile_filter(queries[0])
    assert (rank(mapped, predicate, None, {}, (queries[0], {})).ranked
            == rank(plain, predicate, None, {}, (queries[0], {})).ranked)
    from console.mql import compile_sort
    sorter = compile_sort(queries[1])
    assert (rank(mapped, predicate, sorter, {}, queries).ranked
            == rank(plain, predicate, sorter, {}, queries).ranked)


def _damage(path, how: str) -> None:
    data = bytearray(path.read_bytes())
    if how == "truncated":
        del data[-10:]
    elif how == "damaged":
        data[-5] ^= 0xFF
    else:
        data[:4] = b"junk"
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("how, named", [("truncated", "truncated"), ("damaged", "checksum"),
                                        ("garbage", "not a columnar population file")])
def test_a_bad_columnar_file_is_named_and_rebuilt_from_the_json(tmp_path, caplog, how, named):
    path = _write(tmp_path, HOSTILE)
    load_population(path)
    columnar = columnar_path(path)
    _damage(columnar, how)
    with caplog.at_level(logging.WARNING):
        population = load_population(path)
    assert f"{columnar}: " in caplog.text and named in caplog.text
    assert population.as_list() == HOSTILE  # from the JSON
    ColumnarFile(columnar, path)  # rebuilt: reads again without complaint
    assert load_population(path).get("1") == HOSTILE[0]


def test_a_columnar_file_older_than_its_json_is_stale(tmp_path, caplog):
    path = _write(tmp_path, HOSTILE)
    load_population(path)
    changed = [{"id": "1", "document": {"big": 1}}]
    path.write_text(json.dumps(changed))
    with caplog.at_level(logging.WARNING):
        assert load_population(path).as_list() == changed
    assert "stale" in caplog.text
    assert load_population(path)._records is None


def test_nan_json_is_refused_and_writes_no_columnar_file(tmp_path):
    path = tmp_path / "p.json"
    path.write_text('[{"id": "1", "document": {"x": NaN}}]')
    with pytest.raises(PopulationError, match="not a valid JSON population"):
        load_population(path)
    assert not columnar_path(path).exists()


def test_a_change_of_worker_turns_the_mapped_population_into_dicts(tmp_path):
    path = _write(tmp_path, HOSTILE)
    load_population(path)
    population = load_population(path)
    population.upsert("2", {"s": "new"})
    population.remove("3")
    assert [r["id"] for r in population] == ["1", "2", "10"]
    assert population.get("2")["document"] == {"s": "new"}
    assert evaluate({"s": "new"}, population.scan().columns).tolist() == [False, True, False]


def test_a_columnar_file_without_its_json_is_not_used(tmp_path):
    path = _write(tmp_path, HOSTILE)
    load_population(path)
    path.unlink()
    with pytest.raises(PopulationError, match="p.json: cannot read population"):
        load_population(path)


def test_the_sort_ranks_come_from_the_file_not_from_the_columns(tmp_path, monkeypatch):
    from console.mql import compile_sort
    from console.sim.population import generate_population

    path = tmp_path / "p.json"
    save_population(generate_population(300, seed=4), path)
    plain = load_population(path, columnar_file=False)
    queries = ({"status": "active"}, {"rating": -1, "tests_completed": 1, "country": 1})
    predicate, sorter = compile_filter(queries[0]), compile_sort(queries[1])
    expected = rank(plain, predicate, sorter, {}, queries).ranked

    def computed(column):
        raise AssertionError("ranks computed, not read from the columnar file")

    monkeypatch.setattr(column_sort, "_rank", computed)
    assert rank(load_population(path), predicate, sorter, {}, queries).ranked == expected
