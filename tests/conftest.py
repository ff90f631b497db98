"""Fixtures for every test. Keep this generic; target-specific ones live in their folders."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from support import JobServer
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
