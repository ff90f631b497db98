"""Fixtures for the worker tests: `serve --redis` on the real schemas and the generated
clients (redis_url, prefix and ts_package are in tests/conftest.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from support.processes import ServeProcess, serve_process
from workers_support import ROOT

from generator.ir import Catalogue
from generator.schema import load_schemas


@pytest.fixture(scope="session")
def catalogue() -> Catalogue:
    return load_schemas(ROOT / "schemas")


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
