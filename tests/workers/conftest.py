"""Fixtures for the worker tests: a redis-server of their own, `serve --redis` on the real
schemas, the generated clients (ts_package is in tests/conftest.py)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from support.processes import ServeProcess, redis_server, require_redis_server, serve_process
from workers_support import ROOT

from generator.ir import Catalogue
from generator.loader import load_schemas


@pytest.fixture(scope="session")
def catalogue() -> Catalogue:
    return load_schemas(ROOT / "schemas")


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    require_redis_server()
    with redis_server(tmp_path_factory.mktemp("redis")) as url:
        yield url


@pytest.fixture
def prefix() -> str:
    """A BullMQ key prefix of its own per test: tests sharing one redis-server never meet."""
    return f"w{uuid.uuid4().hex[:12]}"


@pytest.fixture
def backend(redis_url: str, prefix: str, tmp_path: Path) -> Iterator[ServeProcess]:
    """`worker-client-gen serve --redis` on schemas/, enqueueing into the test's prefix."""
    args = ["--schemas", str(ROOT / "schemas"), "--redis", redis_url, "--prefix", prefix]
    with serve_process(*args, log_dir=tmp_path) as serve:
        yield serve


@pytest.fixture
def client(backend: ServeProcess) -> Iterator[Any]:
    from worker_client import WorkerClient

    with WorkerClient(backend.url) as c:
        yield c
