"""Fixtures for the serve tests."""

from __future__ import annotations

import io
import logging
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from serve_support import (
    REDIS_SERVER,
    SERVE_FIXTURE,
    LoggedServer,
    openapi_components,
    redis_server,
)

from generator.ir import Catalogue
from generator.loader import load_schemas
from generator.server.runner import serve_in_thread
from generator.targets import openapi


@pytest.fixture(scope="session")
def serve_catalogue() -> Catalogue:
    return load_schemas(SERVE_FIXTURE)


@pytest.fixture(scope="session")
def components(serve_catalogue: Catalogue) -> dict[str, Any]:
    """components/schemas of the fixture's OpenAPI document, to check answers against."""
    schemas: dict[str, Any] = openapi.build_document(serve_catalogue)["components"]["schemas"]
    return schemas


@pytest.fixture(scope="session")
def real_components() -> dict[str, Any]:
    return openapi_components()


def _logged(catalogue: Catalogue, api_key: str | None) -> Iterator[LoggedServer]:
    log = io.StringIO()
    logger = logging.getLogger(f"serve-test-{id(log)}")
    logger.addHandler(logging.StreamHandler(log))
    logger.setLevel(logging.INFO)
    logger.propagate = False
    with serve_in_thread(catalogue, api_key=api_key, logger=logger) as server:
        yield LoggedServer(server, log)


@pytest.fixture
def server(serve_catalogue: Catalogue) -> Iterator[LoggedServer]:
    """serve on the fixture schemas, in memory, no api key; its log captured."""
    yield from _logged(serve_catalogue, None)


@pytest.fixture
def keyed_server(serve_catalogue: Catalogue) -> Iterator[LoggedServer]:
    """The same with an api key configured."""
    from serve_support import API_KEY

    yield from _logged(serve_catalogue, API_KEY)


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if REDIS_SERVER is None:
        reason = "no redis-server binary on PATH (.ci/run installs the Debian package)"
        if os.environ.get("CI"):
            pytest.fail(reason)  # CI installs it: there, the BullMQ proof must not vanish
        pytest.skip(reason)
    with redis_server(tmp_path_factory.mktemp("redis")) as url:
        yield url


@pytest.fixture
def log_dir(tmp_path: Path) -> Path:
    return tmp_path
