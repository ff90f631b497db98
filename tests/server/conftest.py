"""Fixtures for the serve tests (redis_url and prefix are in tests/conftest.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from serve_support import SERVE_FIXTURE, openapi_components
from support import LoggedServer, logged_serve

from generator.ir import Catalogue
from generator.schema import load_schemas
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


@pytest.fixture
def server(serve_catalogue: Catalogue) -> Iterator[LoggedServer]:
    """serve on the fixture schemas, in memory, no api key; its log captured."""
    with logged_serve(serve_catalogue) as logged:
        yield logged


@pytest.fixture
def keyed_server(serve_catalogue: Catalogue) -> Iterator[LoggedServer]:
    """The same with an api key configured."""
    from serve_support import API_KEY

    with logged_serve(serve_catalogue, api_key=API_KEY) as logged:
        yield logged


@pytest.fixture
def log_dir(tmp_path: Path) -> Path:
    return tmp_path
