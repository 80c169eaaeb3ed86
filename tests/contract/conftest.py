"""The contract suite runs every test on the local simulation and on the remote backend talking
to a real ``serve`` process (with token checks on) over loopback. Both start from the same demo
simulation; tests create the gigs they change, so they do not depend on one another."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
from keys import key_pair
from openapi_check import AnswerChecker
from serve_process import APP_ID, copy_sim, serve_process

from console.backends.base import Backend
from console.backends.factory import open_remote
from console.backends.local import LocalBackend
from console.config import RemoteContext


@pytest.fixture(scope="session")
def key_files(tmp_path_factory) -> tuple[Path, Path]:
    return key_pair().write(tmp_path_factory.mktemp("keys"))


@pytest.fixture(scope="session")
def served_url(demo_dir, key_files, tmp_path_factory) -> Iterator[str]:
    work = tmp_path_factory.mktemp("served")
    with serve_process(copy_sim(demo_dir, work / "sim"), work, key_files[1]) as url:
        yield url


@pytest.fixture(scope="session")
def local_session(demo_dir, tmp_path_factory) -> Iterator[LocalBackend]:
    backend = LocalBackend.open(copy_sim(demo_dir, tmp_path_factory.mktemp("local") / "sim"))
    yield backend
    backend.store.close()


@pytest.fixture(scope="session")
def answer_checker(served_url) -> AnswerChecker:
    """The served OpenAPI document, which every answer of the suite must match."""
    return AnswerChecker(httpx.get(served_url + "/openapi.json").raise_for_status().json())


def remote(url: str, key: Path, data_dir: Path, read_only: bool = False,
           checker: AnswerChecker | None = None) -> Backend:
    context = RemoteContext(base_url=url, app_id=APP_ID, private_key=key, data_dir=data_dir,
                            read_only=read_only, retries=0, timeout=5)
    backend = open_remote("served", context)
    if checker is not None:
        async def check(response: httpx.Response) -> None:
            await response.aread()
            checker.check(response)
        backend._transport._client.event_hooks["response"].append(check)
    return backend


@pytest.fixture(params=["local", "remote"])
async def backend(request, tmp_path) -> AsyncIterator[Backend]:
    if request.param == "local":
        yield request.getfixturevalue("local_session")
        return
    url, keys = request.getfixturevalue("served_url"), request.getfixturevalue("key_files")
    backend = remote(url, keys[0], tmp_path, checker=request.getfixturevalue("answer_checker"))
    yield backend
    await backend.close()


@pytest.fixture
async def read_only_backend(backend, request, tmp_path) -> AsyncIterator[Backend]:
    if isinstance(backend, LocalBackend):
        yield LocalBackend(backend.engine, None, read_only=True)
        return
    keys = request.getfixturevalue("key_files")
    read_only = remote(request.getfixturevalue("served_url"), keys[0], tmp_path, read_only=True,
                       checker=request.getfixturevalue("answer_checker"))
    yield read_only
    await read_only.close()
