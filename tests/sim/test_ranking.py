"""The engine's rankings over columns give the per-document ranking's candidates, in its order."""

from __future__ import annotations

import pytest

import console.mql
from console.sim.population import generate_population
from console.sim.ranking import compile_queries, rank

POPULATION = generate_population(3000, seed=4)


@pytest.mark.parametrize(("filter_query", "sort_query"), [
    ({"status": "active", "devices.os": {"$in": ["android", "ios"]}, "rating": {"$gte": 2.5}},
     {"rating": -1, "tests_completed": -1}),
    ({"$or": [{"country": "DE"}, {"languages": "polish"}], "segment": {"$ne": "newcomer"}},
     {"last_active_at": 1}),
    ({"skills.id": "SK-105", "rating": {"$exists": False}}, {}),
    ({"country": {"$regex": "^(U|P)"}}, {"devices.version": -1, "app_worker_id": 1}),
    ({"tests_completed": {"$mod": [7, 0]}}, {"segment": 1, "rating": 1}),  # $mod: per document
])
def test_columns_rank_as_the_compiled_queries_do(filter_query, sort_query):
    predicate, sorter = compile_queries(console.mql, filter_query, sort_query)
    by_documents = rank(POPULATION, predicate, sorter, {}).ranked
    by_columns = rank(POPULATION, predicate, sorter, {}, (filter_query, sort_query)).ranked
    assert by_columns == by_documents
    assert len(by_columns) > 10


def test_a_changed_worker_is_ranked_by_its_new_document():
    population = generate_population(200, seed=2)
    query = {"status": "suspended"}
    predicate, sorter = compile_queries(console.mql, query, {})
    before = rank(population, predicate, sorter, {}, (query, {})).ranked
    population.upsert(before[0], {"status": "active"})
    after = rank(population, predicate, sorter, {}, (query, {})).ranked
    assert after == before[1:]
