"""Session fixtures: the catalogue and the node suites' cases (ts_package, the built
package, is in tests/conftest.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from ts_support import load_catalogue, node_cases

from generator.ir import Catalogue


@pytest.fixture(scope="session")
def catalogue() -> Catalogue:
    """The catalogue of schemas/, which generated/typescript is rendered from."""
    return load_catalogue()


@pytest.fixture(scope="session")
def node_cases_file(catalogue: Catalogue, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("node-cases") / "cases.json"
    path.write_text(json.dumps(node_cases(catalogue), indent=2))
    return path
