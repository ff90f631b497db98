"""`mypy --strict` as the tests run it: each run in a cache folder of its own, seeded with what
every run reads and no test changes (the standard library's stubs and the generated client's
dependencies), checked once per test run. Cold, each run spent most of its CPU time on those
modules; the code under test is never in the seed, so mypy checks all of it every time.

    checked = mypy_strict(tmp_path_factory, ["worker_client"], cwd=package)
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from support.cli import run
from support.shared import once_per_run, run_dir

# The third-party modules the generated package imports (its runtime and its async extra).
SEED_PROGRAM = (
    "import httpx\nimport jsonschema_rs\nimport requests\nimport typing_extensions\n"
    "import urllib3.connection\nimport urllib3.connectionpool\nimport requests.adapters\n"
)


def _seed(folder: Path) -> None:
    staging = folder.with_name(folder.name + ".partial")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir()
    (staging / "seed.py").write_text(SEED_PROGRAM, encoding="utf-8")
    args = ["--strict", "--cache-dir", str(staging / "cache"), "seed.py"]
    run([sys.executable, "-m", "mypy", *args], cwd=staging, check=True)
    shutil.rmtree(folder, ignore_errors=True)
    staging.rename(folder)


def mypy_strict(
    tmp_path_factory: pytest.TempPathFactory,
    args: list[str],
    cwd: Path,
    env: dict[str, str] | None = None,
) -> subprocess.CompletedProcess[str]:
    """`python -m mypy --strict ARGS` in cwd (env added to this process's environment), on a
    fresh copy of the seeded cache; never raises on a non-zero exit."""
    seed = run_dir(tmp_path_factory) / "mypy-seed"
    once_per_run("mypy-seed", tmp_path_factory, lambda: _seed(seed))
    cache = tmp_path_factory.mktemp("mypy-cache") / "cache"
    shutil.copytree(seed / "cache", cache)
    command = [sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(cache), *args]
    return run(command, cwd=cwd, env=env)
