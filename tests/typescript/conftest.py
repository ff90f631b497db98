"""Session fixtures: the generated TypeScript package, installed and built once per run."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from ts_support import PACKAGE_DIR, build, ensure_dependencies, load_catalogue, node_cases

from generator.ir import Catalogue


@pytest.fixture(scope="session")
def catalogue() -> Catalogue:
    """The catalogue of schemas/, which generated/typescript is rendered from."""
    return load_catalogue()


@pytest.fixture(scope="session")
def ts_package() -> Path:
    """generated/typescript with its dependencies installed and `npm run build` done."""
    if not (PACKAGE_DIR / "package.json").is_file():
        pytest.fail("generated/typescript is missing: run `worker-client-gen generate`")
    ensure_dependencies(PACKAGE_DIR)
    build(PACKAGE_DIR)
    return PACKAGE_DIR


@pytest.fixture(scope="session")
def node_cases_file(catalogue: Catalogue, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("node-cases") / "cases.json"
    path.write_text(json.dumps(node_cases(catalogue), indent=2))
    return path
