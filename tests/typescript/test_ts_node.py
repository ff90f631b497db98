"""Runs the node:test suites (tests/typescript/*.test.mjs) against the built client."""

from __future__ import annotations

from pathlib import Path

import pytest
from ts_support import TESTS_DIR, run

# serve.test.mjs needs a live `serve` and its cases: test_ts_serve.py drives it.
NODE_SUITES = sorted(p.name for p in TESTS_DIR.glob("*.test.mjs") if p.name != "serve.test.mjs")


@pytest.mark.parametrize("suite", NODE_SUITES)
def test_node_suite(suite: str, ts_package: Path, node_cases_file: Path) -> None:
    proc = run(
        ["node", "--test", "--test-reporter=spec", suite],
        cwd=TESTS_DIR,
        env={
            "WCG_TS_CLIENT": str(ts_package / "dist" / "index.js"),
            "WCG_TS_CASES": str(node_cases_file),
            "NODE_NO_WARNINGS": "1",
        },
        check=False,
    )
    report = proc.stdout + proc.stderr
    assert proc.returncode == 0, report
    assert "# fail 0" in report or "ℹ fail 0" in report, report
