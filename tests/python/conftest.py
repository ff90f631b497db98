"""Fixtures for the Python target: the real catalogue and a contract-keeping server."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from py_support import SCHEMAS_DIR, ensure_importable

from generator.ir import Catalogue
from generator.schema import load_schemas

ensure_importable()


@pytest.fixture(scope="session")
def catalogue() -> Catalogue:
    """The catalogue of schemas/, which generated/python is rendered from."""
    return load_schemas(SCHEMAS_DIR)


@pytest.fixture(scope="session")
def serve_url(catalogue: Catalogue) -> Iterator[str]:
    """`worker-client-gen serve` in a thread: it validates every payload against its schema."""
    from generator.server.runner import serve_in_thread

    with serve_in_thread(catalogue) as server:
        yield server.url
