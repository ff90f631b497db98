"""Runs the node:test suites (tests/typescript/*.test.mjs) against the built client."""

from __future__ import annotations

from pathlib import Path

import pytest
from ts_support import TESTS_DIR, run_node_suite

# serve.test.mjs needs a live `serve` and its cases: test_ts_serve.py drives it.
NODE_SUITES = sorted(p.name for p in TESTS_DIR.glob("*.test.mjs") if p.name != "serve.test.mjs")


@pytest.mark.parametrize("suite", NODE_SUITES)
def test_node_suite(suite: str, ts_package: Path, node_cases_file: Path) -> None:
    run_node_suite(suite, ts_package, node_cases_file)
