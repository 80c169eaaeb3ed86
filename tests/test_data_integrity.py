"""The simulation's data under faults: nothing replaced, nothing unsaved kept, nothing unreadable
accepted, no temp file left behind."""

from __future__ import annotations

import errno
import json
import os

import httpx
import pytest
from serve_process import copy_sim

from console.backends import BackendError, Unprocessable
from console.backends.local import LocalBackend
from console.models import GigUpdate, UserCreate
from console.server.app import create_app
from console.sim.demo import DEMO_NOW
from console.sim import atomic

CUSTOM = {"workers": {"1": {"id": "w-1", "document": {"status": "active", "mine": True}}}}


def no_space(monkeypatch):
    """Every atomic write fails as on a full disk (the temp file cannot be written)."""

    def full(path, data):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))

    monkeypatch.setattr(atomic, "write_bytes_atomically", full)
    monkeypatch.setattr(atomic, "write_json_atomically", lambda path, data: full(path, data))
    # The store imported the function by name; changes reach the disk through the journal.
    monkeypatch.setattr("console.sim.store.write_bytes_atomically", full)
    monkeypatch.setattr("console.sim.journal.append_durably", full)


def saved(path) -> dict:
    return json.loads(path.read_text())


# 1. A population without a state ---------------------------------------------------------------
async def test_a_custom_population_is_never_replaced_by_the_demo(tmp_path):
    sim = tmp_path / "sim"
    sim.mkdir()
    (sim / "population.json").write_text(json.dumps(CUSTOM))
    before = (sim / "population.json").read_bytes()
    backend = LocalBackend.open(sim)
    try:
        assert await backend.list_gigs() == []
        assert [w["id"] for w in backend.simulation.population()] == ["w-1"]
    finally:
        await backend.close()
    assert (sim / "population.json").read_bytes() == before
    assert (sim / "state.json").exists()


async def test_following_the_damaged_state_advice_keeps_the_population(tmp_path, demo_dir):
    sim = copy_sim(demo_dir, tmp_path / "sim")
    (sim / "population.json").write_text(json.dumps(CUSTOM))
    (sim / "state.json").write_text("{broken")
    with pytest.raises(BackendError) as refused:
        LocalBackend.open(sim)
    assert "move it away to start a new simulation, without gigs" in refused.value.message
    (sim / "state.json").rename(tmp_path / "state.json.damaged")
    backend = LocalBackend.open(sim)
    await backend.close()
    assert saved(sim / "population.json") == CUSTOM


async def test_a_first_start_on_a_full_disk_leaves_the_directory_empty(tmp_path, monkeypatch):
    no_space(monkeypatch)
    with pytest.raises(BackendError, match="No space left on device"):
        LocalBackend.open(tmp_path / "sim", workers=50)
    assert not (tmp_path / "sim" / "population.json").exists()
    assert not (tmp_path / "sim" / "state.json").exists()


# 2. A change that was not saved does not stay ---------------------------------------------------
async def test_a_change_that_could_not_be_saved_is_undone(tmp_path, demo_dir, monkeypatch):
    sim = copy_sim(demo_dir, tmp_path / "sim")
    backend = LocalBackend.open(sim)
    try:
        gig = next(g for g in await backend.list_gigs() if g.phase(DEMO_NOW) == "scheduled")
        with monkeypatch.context() as patch:
            no_space(patch)
            with pytest.raises(BackendError, match="not saved.*No space left"):
                await backend.update_gig(gig.id, GigUpdate(title="Not saved"))
            with pytest.raises(BackendError, match="not saved"):
                await backend.upsert_worker_document("1", {"status": "not saved"})
        assert (await backend.get_gig(gig.id)).title == gig.title
        assert (await backend.get_user("1")).worker.document["status"] != "not saved"
        # The next successful save does not carry them either.
        await backend.update_gig(gig.id, GigUpdate(description="saved"))
    finally:
        await backend.close()
    state = json.dumps(saved(sim / "state.json"))
    assert "Not saved" not in state and '"saved"' in state
    assert "not saved" not in (sim / "population.json").read_text()


async def test_serve_answers_500_and_keeps_nothing_of_an_unsaved_change(tmp_path, demo_dir,
                                                                         monkeypatch):
    backend = LocalBackend.open(copy_sim(demo_dir, tmp_path / "sim"))
    transport = httpx.ASGITransport(app=create_app(backend, None))
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://t/api/v2") as client:
            with monkeypatch.context() as patch:
                no_space(patch)
                answer = await client.post("/users/1/worker",
                                           json={"document": {"status": "not saved"}})
            assert answer.status_code == 500 and "not saved" in answer.json()["error"]
            user = (await client.get("/users/1")).json()
            assert user["worker"]["document"]["status"] != "not saved"
    finally:
        await backend.close()
    assert "not saved" not in (tmp_path / "sim" / "population.json").read_text()


# 3. What could not be read back is refused -----------------------------------------------------
def nested(depth: int) -> dict:
    document: dict = {}
    for _ in range(depth - 1):
        document = {"a": document}
    return document


@pytest.mark.parametrize(("document", "problem"), [
    (nested(900), r"document\.a\.a.*: nested deeper than 100 levels"),
    ({"name": "\udfff"}, r"document\.name: not valid Unicode text"),
    ({"tags": ["ok", {"\ud800x": 1}]}, r"document\.tags\.1: key '\\ud800x': not valid Unicode"),
    ({"rating": float("nan")}, r"document\.rating: nan is not a JSON number"),
])
async def test_a_document_that_could_not_be_read_back_is_refused(tmp_path, demo_dir, document,
                                                                 problem):
    backend = LocalBackend.open(copy_sim(demo_dir, tmp_path / "sim"))
    try:
        with pytest.raises(Unprocessable, match=problem):
            await backend.upsert_worker_document("1", document)
        await backend.get_user("1")
        accepted = await backend.upsert_worker_document("1", nested(100))
        assert accepted.worker.document == nested(100)
    finally:
        await backend.close()


async def test_serve_refuses_a_deep_document_and_still_answers(tmp_path, demo_dir):
    backend = LocalBackend.open(copy_sim(demo_dir, tmp_path / "sim"))
    transport = httpx.ASGITransport(app=create_app(backend, None))
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://t/api/v2") as client:
            body = '{"document": {"bad": "\\udfff"}}'
            answer = await client.post("/users/1/worker", content=body,
                                       headers={"content-type": "application/json"})
            assert answer.status_code == 422, answer.text
            assert "document.bad: not valid Unicode text" in answer.json()["error"]
            assert (await client.get("/users/1")).status_code == 200
    finally:
        await backend.close()


@pytest.mark.parametrize(("path", "body", "field"), [
    ("/users", '{"first_name": "a\\ud800"}', "user.first_name"),
    ("/gig_time_activities", '{"gig_id": "2", "user_id": "1", "date": "2026-03-02", '
     '"duration_in_ms": 5, "description": "\\udfff"}', "activity.description"),
])
async def test_a_lone_surrogate_in_a_plain_text_field_is_refused_before_it_applies(
        tmp_path, demo_dir, path, body, field):
    # It was applied, then failed the journal's write (a 500), and the next snapshot saved a
    # record whose every read was a 500.
    sim = copy_sim(demo_dir, tmp_path / "sim")
    backend = LocalBackend.open(sim)
    transport = httpx.ASGITransport(app=create_app(backend, None))
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://t/api/v2") as client:
            answer = await client.post(path, content=body,
                                       headers={"content-type": "application/json"})
            assert answer.status_code == 422, answer.text
            assert f"{field}: not valid Unicode text" in answer.json()["error"]
            created = await client.post("/users", json={"first_name": "next"})
            assert created.status_code == 201, created.text
            assert (await client.get("/users/5001")).json()["first_name"] == "next"
    finally:
        await backend.close()
    reopened = LocalBackend.open(sim)
    try:
        assert (await reopened.get_user("5001")).first_name == "next"
    finally:
        await reopened.close()


async def test_a_record_that_cannot_be_encoded_is_a_json_500(tmp_path, demo_dir):
    # A state.json edited by hand (or saved before surrogates were refused) with a lone
    # surrogate: its answer failed outside the handler, as Starlette's plain-text 500.
    sim = copy_sim(demo_dir, tmp_path / "sim")
    backend = LocalBackend.open(sim)
    user = await backend.create_user(UserCreate(first_name="poison"))
    await backend.close()
    state = sim / "state.json"
    state.write_text(state.read_text().replace('"poison"', '"\\ud800"'))
    backend = LocalBackend.open(sim)
    transport = httpx.ASGITransport(app=create_app(backend, None))
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://t/api/v2") as client:
            answer = await client.get(f"/users/{user.id}")
            assert answer.status_code == 500
            assert answer.json() == {"error": "Internal server error"}
    finally:
        await backend.close()


# 4. Temp files of a killed writer ---------------------------------------------------------------
async def test_temp_files_of_a_killed_writer_are_removed_by_the_next_holder(tmp_path, demo_dir):
    sim = copy_sim(demo_dir, tmp_path / "sim")
    leftovers = [sim / ".state.json.a1b2c3d_.tmp", sim / ".population.json.zz9yx8w7.tmp"]
    others = [sim / ".state.json.notmine.tmp", sim / "notes.tmp", sim / ".state.json.a1b2c3d_.txt"]
    for path in leftovers + others:
        path.write_text("half a write")
    reader = LocalBackend.open(sim, read_only=True)
    await reader.close()
    assert all(p.exists() for p in leftovers), "a reader holds no lock: it must not clean"
    backend = LocalBackend.open(sim)
    await backend.close()
    assert not any(p.exists() for p in leftovers)
    assert all(p.exists() for p in others)
