"""The gig list's summary the store writes with each snapshot: what the backend's own frame
shows, and never used once it no longer matches the state (stale) or does not read (damaged)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from serve_process import copy_sim

from console.backends.local import LocalBackend
from console.models import GigCreate
from console.sim.file_names import SUMMARY_FILE, segment_name
from console.sim.gig_summary import SummaryUnusable, read_summary
from console.gig_facts import gig_facts


async def test_the_summary_holds_the_rows_of_the_backends_own_frame(demo_dir, tmp_path):
    directory = copy_sim(demo_dir, tmp_path / "sim")
    backend = LocalBackend.open(directory)
    try:
        frame = await backend.simulation.frame()
    finally:
        await backend.close()
    summary = read_summary(directory)
    assert summary.now == frame.now
    assert list(summary.rows) == gig_facts(
        frame.gigs, frame.stats, frame.now)


async def test_a_change_saved_by_a_snapshot_is_in_the_next_summary(demo_dir, tmp_path):
    directory = copy_sim(demo_dir, tmp_path / "sim")
    backend = LocalBackend.open(directory)
    try:
        gig = await backend.create_gig(GigCreate(
            title="Added since", description="", url="https://x.test", start_at=1_800_000_000,
            end_at=1_800_086_400, total_seats=3, invitation_mode="auto", filter_query={}))
        # Journaled, not yet in a snapshot: the summary of the state before is stale.
        with pytest.raises(SummaryUnusable, match="stale: the journal"):
            read_summary(directory)
    finally:
        await backend.close()  # closing writes a snapshot, and its summary
    assert gig.id in {row.id for row in read_summary(directory).rows}


def test_a_summary_of_another_state_is_stale(demo_dir, tmp_path):
    directory = copy_sim(demo_dir, tmp_path / "sim")
    state = directory / "state.json"
    state.write_text(state.read_text().replace("Onboarding survey", "Onboarding surveY"))
    with pytest.raises(SummaryUnusable, match=r"stale: .*state.json changed since"):
        read_summary(directory)


def test_a_journal_segment_makes_the_summary_stale(demo_dir, tmp_path):
    directory = copy_sim(demo_dir, tmp_path / "sim")
    (directory / segment_name(1)).write_bytes(b"")
    with pytest.raises(SummaryUnusable, match="stale: the journal"):
        read_summary(directory)


def test_a_missing_summary_is_said(demo_dir, tmp_path):
    directory = copy_sim(demo_dir, tmp_path / "sim")
    (directory / SUMMARY_FILE).unlink()
    with pytest.raises(SummaryUnusable, match=f"{SUMMARY_FILE}: missing"):
        read_summary(directory)


def _rewritten(directory: Path, change) -> None:
    path = directory / SUMMARY_FILE
    data = json.loads(path.read_bytes())
    change(data)
    path.write_text(json.dumps(data))


@pytest.mark.parametrize(("change", "said"), [
    (lambda d: d["rows"][0].__setitem__(4, True), "row 0 is not a gig's row"),  # bool for int
    (lambda d: d["rows"][1].pop(), "row 1 is not a gig's row"),
    (lambda d: d["rows"][2].__setitem__(2, "sleeping"), "row 2: unknown phase 'sleeping'"),
    (lambda d: d.__setitem__("format", 99), "not a summary of format 1"),
    (lambda d: d.pop("now"), "damaged ('now')"),
    (lambda d: d.__setitem__("rows", {}), "rows a list"),
])
def test_a_damaged_summary_is_named_and_not_used(demo_dir, tmp_path, change, said):
    directory = copy_sim(demo_dir, tmp_path / "sim")
    _rewritten(directory, change)
    with pytest.raises(SummaryUnusable, match="damaged") as raised:
        read_summary(directory)
    assert said in str(raised.value) and SUMMARY_FILE in str(raised.value)


@pytest.mark.parametrize("content", [
    b'{"format": 1, "rows": [',
    b"\xff\xfe not utf-8",
    # Deeper than the JSON parser goes: a RecursionError, which crashed the console's start.
    b"[" * 100_000 + b"]" * 100_000,
], ids=["cut", "not-utf-8", "deep"])
def test_a_summary_that_is_not_json_is_damaged(demo_dir, tmp_path, content):
    directory = copy_sim(demo_dir, tmp_path / "sim")
    (directory / SUMMARY_FILE).write_bytes(content)
    with pytest.raises(SummaryUnusable, match="damaged"):
        read_summary(directory)
