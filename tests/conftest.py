"""Fixtures for every test. Keep this generic; target-specific ones live in their folders."""

from __future__ import annotations

import os
import uuid
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from support import JobServer
from support.processes import redis_server, require_redis_server
from support.typescript import built_package


@pytest.fixture
def job_server() -> Iterator[JobServer]:
    """A recording worker-backend stand-in on 127.0.0.1, fresh for each test."""
    with JobServer() as server:
        yield server


@pytest.fixture(scope="session")
def ts_package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """generated/typescript with its npm dependencies installed and dist/ built, once per run
    (whichever pytest-xdist worker asks first builds it, the others wait for that)."""
    return built_package(tmp_path_factory)


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A redis-server of the run's own (of each pytest-xdist worker's); skips without one."""
    require_redis_server()
    with redis_server(tmp_path_factory.mktemp("redis")) as url:
        yield url


@pytest.fixture
def prefix() -> str:
    """A BullMQ key prefix of its own per test: tests sharing one redis-server never meet."""
    return f"t{uuid.uuid4().hex[:12]}"


# The files that each take a minute or more on two cores, longest first (publish end to end
# is the longest single test). They go out before
# every other file, one to each worker, so that none of them starts late and runs on alone at
# the end (counting `slow` tests put three of them on one worker under `-n 6`). A renamed or
# split file only loses its place here.
LONG_FILES = (
    "tests/server/test_serve_schemathesis.py",
    "tests/badinput/test_badinput_corpus.py",
    "tests/publish/test_publish_end_to_end.py",
)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Under pytest-xdist (nox runs `-n 4 --dist loadfile --no-loadscope-reorder`), deal the
    files out heaviest first: LONG_FILES, then those with `slow` tests, then by number of
    tests. Workers take files in this order, so the long tests start at once instead of being
    left to the end while the other workers idle. A plain run keeps the collection order."""
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        return
    slow: Counter[str] = Counter()
    tests: Counter[str] = Counter()
    for item in items:
        tests[item.path.as_posix()] += 1
        slow[item.path.as_posix()] += item.get_closest_marker("slow") is not None

    def weight(item: pytest.Item) -> tuple[int, int, int]:
        path = item.path.as_posix()
        relative = item.path.relative_to(config.rootpath).as_posix()
        rank = LONG_FILES.index(relative) if relative in LONG_FILES else len(LONG_FILES)
        return rank, -slow[path], -tests[path]

    items.sort(key=weight)
