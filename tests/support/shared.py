"""Work that several test processes share: `pytest -n` runs the suite in parallel workers,
and two runs may share one checkout. What lives in the checkout (generated/typescript's
node_modules and dist/, npm-installed tools) is changed under a lock, and what needs doing
once per run (building the TypeScript package) is done by the first worker to need it while
the others wait, then reused.

    with locked("npm-install"):
        ...
    once_per_run("ts-build", tmp_path_factory, lambda: build(PACKAGE_DIR))
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from filelock import FileLock

from support.paths import ROOT

LOCKS = ROOT / ".cache" / "locks"  # .cache/ is git-ignored


@contextmanager
def locked(name: str) -> Iterator[None]:
    """Hold the checkout-wide lock called name (every process of every run waits for it)."""
    LOCKS.mkdir(parents=True, exist_ok=True)
    with FileLock(LOCKS / f"{name}.lock"):
        yield


def run_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The temporary folder all workers of this run share: each pytest-xdist worker's
    basetemp is a folder of the run's own, which is the basetemp itself without xdist."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


def once_per_run(
    name: str, tmp_path_factory: pytest.TempPathFactory, action: Callable[[], None]
) -> None:
    """action() unless an earlier worker of this run finished it; a failed action is tried
    again by the next worker that asks, so that each reports the failure."""
    done = run_dir(tmp_path_factory) / f"{name}.done"
    with locked(name):
        if not done.is_file():
            action()
            done.touch()
