"""Where a forecast's runs go: a ``concurrent.futures.Executor``. By default a process pool over
the machine's cores; the executor of a ``dask.distributed`` client (the ``[dask]`` extra) plugs
in the same way for sweeps too big for one machine."""

from __future__ import annotations

import asyncio
import math
import multiprocessing
import os
import sys
from collections.abc import Callable, Sequence
from concurrent.futures import BrokenExecutor, Executor, Future, ProcessPoolExecutor

import numpy as np

from .continuation import Outcome, Plan, run_chunk


def process_pool(workers: int | None = None, *, start_method: str | None = None,
                 nice: int = 0) -> Executor:
    """A pool over the cores this process may use. ``start_method="forkserver"`` for callers
    with threads running (the console): forking a threaded process can deadlock the child.
    ``nice`` lowers the workers' priority (the console's own process comes first)."""
    if start_method == "forkserver":
        _start_helpers()
    if workers is None:
        workers = (len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity")
                   else os.cpu_count() or 1)
    context = multiprocessing.get_context(start_method) if start_method else None
    return ProcessPoolExecutor(max_workers=workers, mp_context=context,
                               initializer=os.nice if nice else None,
                               initargs=(nice,) if nice else ())


class DaskMissing(RuntimeError):
    """``--dask`` without the ``[dask]`` extra installed."""


def dask_executor(address: str) -> tuple[Executor, Callable[[], None]]:
    """The executor of a ``dask.distributed`` client of the scheduler at ``address`` (the
    ``[dask]`` extra; its workers need cirro-console installed too), and what closes the
    client."""
    try:
        from distributed import Client
    except ImportError:
        raise DaskMissing("--dask needs the dask extra: pip install 'cirro-console[dask]'") \
            from None
    client = Client(address)
    return client.get_executor(), client.close


def _start_helpers() -> None:
    """Start multiprocessing's resource tracker and fork server now, with the real stderr: under
    Textual ``sys.stderr`` is a capture whose ``fileno()`` is no descriptor, and starting them
    lazily from there fails ("bad value(s) in fds_to_keep")."""
    from multiprocessing import forkserver, resource_tracker

    captured = sys.stderr
    sys.stderr = sys.__stderr__ or captured
    try:
        resource_tracker.ensure_running()
        forkserver.ensure_running()
    finally:
        sys.stderr = captured


def _chunks(runs: int, parts: int) -> list[range]:
    size = max(1, math.ceil(runs / max(parts, 1)))
    return [range(i, min(i + size, runs)) for i in range(0, runs, size)]


def submit_runs(plan: Plan, runs: int, seed: int, executor: Executor,
                parts: int) -> list[Future[Outcome]]:
    """The plan's ``runs`` runs as ``parts`` submissions (the results do not depend on how they
    are split: each run draws from its own index)."""
    return [executor.submit(run_chunk, plan, seed, chunk) for chunk in _chunks(runs, parts)]


def joined(parts: Sequence[Outcome]) -> Outcome:
    return Outcome(np.concatenate([o.min_at for o in parts]),
                   np.concatenate([o.max_at for o in parts]),
                   np.concatenate([o.sent for o in parts]),
                   [t for o in parts for t in o.accept_times])


def run_plans(plans: Sequence[Plan], runs: int, seed: int, executor: Executor,
              parts: int = 8) -> list[Outcome]:
    """Every plan's ``runs`` runs, all submitted at once (a sweep keeps every worker busy)."""
    futures = [submit_runs(plan, runs, seed, executor, parts) for plan in plans]
    return [joined([f.result() for f in plan_futures]) for plan_futures in futures]


async def run_plan_soon(plan: Plan, runs: int, seed: int, executor: Executor,
                        parts: int) -> Outcome:
    """``run_plans`` of one plan, awaited. Cancelled, it cancels its parts not yet begun: a
    forecast nobody waits for any more must not keep a core from the simulation and the keys."""
    futures = submit_runs(plan, runs, seed, executor, parts)
    try:
        return joined([await asyncio.wrap_future(f) for f in futures])
    except BrokenExecutor:
        # The pool fails every part itself; a cancel racing its thread there makes that
        # thread raise InvalidStateError (CPython 3.11 prints the traceback on the terminal).
        raise
    except BaseException:
        for future in futures:
            future.cancel()  # a no-op for the parts done or running
        raise
