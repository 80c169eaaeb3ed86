"""The runs go through any concurrent.futures.Executor: a Dask cluster's gives the same figures
as the process pool (skipped without the [dask] extra, which CI does not install)."""

from __future__ import annotations

import asyncio

import pytest

from console.backends.local import LocalBackend
from console.forecast.executors import process_pool, run_plans
from console.forecast.state import build_plan, gig_state
from console.forecast.synthetic import new_engine, plain_population, trial_gig
from console.waves import SimSettings

distributed = pytest.importorskip("distributed")


def test_a_local_dask_cluster_gives_the_same_runs_as_the_process_pool():
    gig = trial_gig(seats_min=10, total_seats=10, invitation_multiplier=1)
    engine, gig_id = new_engine(plain_population(300), SimSettings(), 0, gig)
    state = asyncio.run(gig_state(LocalBackend(engine, None, context="t", read_only=True), gig_id))
    plan = build_plan(state, None)
    with process_pool(1) as pool:
        (expected,) = run_plans([plan], 12, 5, pool, parts=3)
    with distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=False,
                                  dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        (got,) = run_plans([plan], 12, 5, client.get_executor(), parts=3)
    assert list(got.min_at) == list(expected.min_at)
    assert list(got.sent) == list(expected.sent)
