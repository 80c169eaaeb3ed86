"""The preview engine agrees with the straightforward computation (compile_filter over everyone,
compile_sort over the candidates) through a sequence of edits that reuse its cached answers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from console.backends.local import LocalBackend
from console.models import GigCreate
from console.mql import compile_filter, compile_sort
from console.mql import sort as mql_sort
from console.query import preview as preview_module
from console.query import ranking
from console.query.masks import Cancelled
from console.query.preview import PreviewEngine
from console.query.sources import preview_population
from console.query.validate import Checked, QueryProblem, check_filter, check_sort
from console.query.why_not import why_not
from console.sim.engine import Engine
from console.sim.population import generate_population, load_population, save_population

POPULATION = generate_population(3000, seed=5).records
INVITED = {str(i) for i in range(1, 3000, 7)}

# One operator session: each step edits the previous one, so answers get reused.
EDITS = [
    ({"status": "active"}, {}),
    ({"status": "active", "rating": {"$gte": 4}}, {}),
    ({"status": "active", "rating": {"$gte": 4.5}}, {"rating": -1}),
    ({"status": "active", "rating": {"$gte": 4.5}}, {"rating": -1, "tests_completed": 1}),
    ({"status": "active", "rating": {"$gte": 3}}, {"rating": -1, "tests_completed": 1}),
    ({"status": "active", "rating": {"$gte": 3}, "country": {"$in": ["DE", "FR"]}},
     {"rating": -1, "tests_completed": 1}),
    ({"$or": [{"country": "DE"}, {"skills": {"$elemMatch": {"name": "Localization"}}}],
      "rating": {"$gte": 3}}, {"languages": 1, "rating": -1}),
    ({"rating": {"$gte": 3}}, {"languages": 1, "rating": -1}),
    ({}, {"last_active_at": -1}),
    ({"status": "nobody-has-this"}, {"rating": 1}),
]


def checked(filter_query: dict, sort_query: dict) -> tuple[Checked, Checked]:
    f, s = check_filter(json.dumps(filter_query)), check_sort(json.dumps(sort_query))
    assert not isinstance(f, QueryProblem) and not isinstance(s, QueryProblem)
    return f, s


def reference(filter_query: dict, sort_query: dict, limit: int) -> tuple[int, int, list[str]]:
    matches = compile_filter(filter_query)
    matched = [r for r in POPULATION if matches(r["document"])]
    candidates = [r for r in matched if r["id"] not in INVITED]
    by_document = {id(r["document"]): r["id"] for r in candidates}
    ranked = compile_sort(sort_query)([r["document"] for r in candidates])
    return len(matched), len(candidates), [by_document[id(d)] for d in ranked[:limit]]


@pytest.mark.parametrize("small_sort, columns_at", [(10, 0), (100_000, 0), (10, 10**9)])
def test_preview_matches_the_straightforward_computation(monkeypatch, small_sort, columns_at):
    # columns_at: filters over columns from the first preview on (0), or (no warm here) never.
    monkeypatch.setattr(preview_module, "COLUMNS_AT_ONCE", columns_at)
    # Both ranking strategies: sorting the candidates, and ranking everyone once.
    monkeypatch.setattr(ranking, "SMALL", small_sort)
    engine = PreviewEngine(POPULATION, INVITED, limit=15)
    for filter_query, sort_query in EDITS + EDITS[::-1]:
        preview = engine.compute(*checked(filter_query, sort_query))
        matched, not_invited, first = reference(filter_query, sort_query, 15)
        assert (preview.matched, preview.not_invited) == (matched, not_invited), filter_query
        assert [row.worker_id for row in preview.rows] == first, (filter_query, sort_query)
        assert preview.total == len(POPULATION)


def test_over_a_columnar_file_few_candidates_fold_the_files_ranks(tmp_path, monkeypatch):
    """Ranks a columnar file holds rank few candidates too: their documents, each decoded from
    the file first, are ranked one by one only on a path without ranks (an array)."""
    path = tmp_path / "p.json"
    save_population(generate_population(3000, seed=5), path)
    by_documents = []

    def spy(documents, path, descending, between):
        by_documents.append(path.dotted)
        return sort_ranks(documents, path, descending, between)

    sort_ranks = ranking.sort_ranks
    monkeypatch.setattr(ranking, "sort_ranks", spy)
    monkeypatch.setattr(ranking, "SMALL", 100_000)  # every candidate set is a small one
    engine = PreviewEngine(load_population(path), INVITED, limit=15)
    for filter_query, sort_query in EDITS:
        by_documents.clear()
        preview = engine.compute(*checked(filter_query, sort_query))
        assert [row.worker_id for row in preview.rows] == reference(
            filter_query, sort_query, 15)[2], (filter_query, sort_query)
        assert bool(by_documents) == ("languages" in sort_query), sort_query


def test_preview_columns_and_non_matching_sample():
    engine = PreviewEngine(POPULATION, INVITED, limit=3)
    preview = engine.compute(*checked({"status": "active", "skills.name": "Accessibility"},
                                      {"rating": -1}))
    assert preview.columns == ("status", "skills.name", "rating")
    document = engine.document(preview.rows[0].worker_id)
    assert preview.rows[0].values[0] == document["status"]
    assert "Accessibility" in preview.rows[0].values[1].split(", ")
    matches = compile_filter({"status": "active", "skills.name": "Accessibility"})
    rejected = [r["id"] for r in POPULATION if not matches(r["document"])]
    assert list(preview.non_matching) == rejected[: len(preview.non_matching)]
    assert len(preview.non_matching) == 200


def test_a_cancelled_computation_leaves_correct_answers_behind():
    engine = PreviewEngine(POPULATION, INVITED)
    f, s = checked({"rating": {"$gte": 2}, "status": "active"}, {"tests_completed": -1})
    polls = iter(range(1000))
    with pytest.raises(Cancelled):
        engine.compute(f, s, cancelled=lambda: next(polls) >= 1)
    preview = engine.compute(f, s)
    assert preview.matched == reference(f.query, s.query, 1)[0]


def test_counts_come_first_when_the_whole_population_must_be_ranked(monkeypatch):
    monkeypatch.setattr(ranking, "SMALL", 10)
    engine = PreviewEngine(POPULATION)
    seen = []
    preview = engine.compute(*checked({}, {"rating": 1}), on_counts=seen.append)
    assert len(seen) == 1 and seen[0].rows is None and seen[0].matched == preview.matched
    seen.clear()
    engine.compute(*checked({"status": "active"}, {"rating": 1}), on_counts=seen.append)
    assert seen == []  # the order is known now


def test_invited_workers_are_not_candidates():
    engine = PreviewEngine(POPULATION)
    f, s = checked({}, {})
    assert engine.compute(f, s).not_invited == len(POPULATION)
    engine.set_invited(["1", "2", "no-such-worker"])
    preview = engine.compute(f, s)
    assert preview.not_invited == len(POPULATION) - 2
    assert [r.worker_id for r in preview.rows[:2]] == ["3", "4"]
    assert engine.is_invited("1") and not engine.is_invited("3")


def test_why_not_names_the_failing_clause_and_its_value():
    document = {"status": "paused", "rating": 4.5}
    result = why_not({"status": "active", "rating": {"$gte": 4}}, "9", document, invited=False)
    assert result.headline == "Worker 9 does not match: 1 failing clause."
    failing = [line for line in result.lines if line.lstrip().startswith("FAIL")]
    assert any('status $eq "active"' in line and 'found: "paused"' in line for line in failing)
    assert any(line.lstrip().startswith("PASS") and "rating $gte 4" in line
               for line in result.lines)
    matching = why_not({"rating": {"$gte": 4}}, "9", document, invited=True)
    assert "matches the filter (already invited)" in matching.headline
    assert why_not({}, "x", None, invited=False).lines == ()


class _Remote:
    kind = "remote"
    simulation = None
    context = "staging"


def test_remote_without_population_says_so():
    source = preview_population(_Remote(), None)
    assert source.population is None
    assert "remote context 'staging'" in source.description
    assert "population =" in source.description


def test_remote_reads_the_population_file(tmp_path: Path):
    path = tmp_path / "workers.json"
    save_population(generate_population(12, seed=1), path)
    source = preview_population(_Remote(), path)
    assert source.population is not None and len(source.population) == 12
    assert str(path) in source.description
    path.write_text('[{"id": "1"}]')
    broken = preview_population(_Remote(), path)
    assert broken.population is None and "[0].document" in broken.description


def test_local_backend_previews_its_simulation():
    backend = LocalBackend(Engine(generate_population(20, seed=2)))
    source = preview_population(backend, None)
    assert source.population is not None and len(source.population) == 20


async def test_the_preview_reads_the_columns_the_simulation_prepared_and_ranks_with():
    engine = Engine(generate_population(400, seed=2), clock=1_780_000_000)
    engine.create_gig(GigCreate.model_validate({
        "title": "t", "description": "d", "url": "https://x/1", "start_at": 1_780_003_600,
        "end_at": 1_780_086_400, "total_seats": 5, "invitation_mode": "manual",
        "filter_query": {"status": "active", "devices.os": "ios"}, "sort_query": {"rating": -1},
    }))
    backend = LocalBackend(engine)
    backend.simulation.prepare_population()
    population = backend.simulation.population()
    columns = population.scan().columns
    assert all(columns.built(path) for path in ("status", "devices.os", "rating"))
    # One copy: the preview's columns are the population's, those the engine's rankings read.
    assert PreviewEngine(population).columns is columns
    assert engine.ranked_candidates("1", 3) and engine.population.scan().columns is columns
    await backend.close()


def test_warming_answers_every_clause_and_ranks_everyone(monkeypatch):
    monkeypatch.setattr(ranking, "SMALL", 10)
    engine = PreviewEngine(POPULATION, INVITED)
    # $size is not decided over columns: the whole filter goes document by document.
    f, s = checked({"languages": {"$size": 1}, "rating": {"$gte": 4.5}}, {"rating": -1})
    engine.compute(f, s)
    engine.warm(f, s, cancelled=lambda: False)
    assert engine.ranker.ranks_everyone(s.key, len(POPULATION)) is False
    # Editing one clause now evaluates only that clause, only on the survivors of the other.
    calls = []

    def counting(clause):
        predicate = compile_filter(clause)
        return lambda document: calls.append(1) or predicate(document)

    monkeypatch.setattr(preview_module, "compile_filter", counting)
    f2, _ = checked({"languages": {"$size": 1}, "rating": {"$gte": 4}}, {})
    preview = engine.compute(f2, s)
    assert preview.matched == reference(f2.query, s.query, 1)[0]
    one_language = sum(1 for r in POPULATION if len(r["document"]["languages"]) == 1)
    assert len(calls) == one_language


def test_over_columns_an_edit_evaluates_only_the_edited_clause(monkeypatch):
    engine = PreviewEngine(POPULATION, INVITED)
    f, s = checked({"status": "active", "rating": {"$gte": 4.5}, "devices.os": "ios"}, {})
    engine.compute(f, s)
    engine.warm(f, s, cancelled=lambda: False)  # a small population gets its columns when idle
    evaluated, evaluate = [], preview_module.evaluate

    def counting(query, columns, between):
        evaluated.append(query)
        return evaluate(query, columns, between)

    monkeypatch.setattr(preview_module, "evaluate", counting)
    f2, _ = checked({"status": "active", "rating": {"$gte": 4}, "devices.os": "ios"}, {})
    preview = engine.compute(f2, s)
    assert evaluated == [{"rating": {"$gte": 4}}]
    assert preview.matched == reference(f2.query, s.query, 1)[0]


def test_a_cancelled_ranking_keeps_no_partial_order(monkeypatch):
    monkeypatch.setattr(ranking, "SMALL", 10)
    monkeypatch.setattr(mql_sort, "CHUNK", 64)
    engine = PreviewEngine(POPULATION, INVITED, limit=10)
    f, s = checked({}, {"devices.version": -1, "last_active_at": 1})
    # Stops in: reading the first path; keying its documents (arrays: one by one); reading the
    # next path (poll 47 once the first path's column is kept).
    for stop_at in (0, 20, 47):
        polls = iter(range(10_000))
        with pytest.raises(Cancelled):
            engine.compute(f, s, cancelled=lambda: next(polls) >= stop_at)
    preview = engine.compute(f, s)
    assert [row.worker_id for row in preview.rows] == reference(f.query, s.query, 10)[2]
