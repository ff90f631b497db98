"""Fixtures for every test. Keep this generic; target-specific ones live in their folders."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from support import JobServer


@pytest.fixture
def job_server() -> Iterator[JobServer]:
    """A recording worker-backend stand-in on 127.0.0.1, fresh for each test."""
    with JobServer() as server:
        yield server
