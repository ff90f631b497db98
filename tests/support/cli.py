"""Running worker-client-gen the way a user does: a real process, its exit code and output."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def run_cli(
    *args: str,
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
    timeout: float | None = None,
) -> subprocess.CompletedProcess[str]:
    """`python -m generator ARGS` in cwd; never raises on a non-zero exit.

    env replaces the environment (None: this process's); timeout bounds a process that may
    hang (subprocess.TimeoutExpired then fails the test)."""
    return subprocess.run(
        [sys.executable, "-m", "generator", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        timeout=timeout,
        check=False,
    )
