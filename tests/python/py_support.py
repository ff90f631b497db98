"""Helpers for the Python target's tests: paths, the generated package, subprocesses."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from support import FIXTURES as FIXTURES  # re-exported: the python tests import it from here
from support import ROOT, SCHEMAS, run_cli
from support import run as run  # re-exported: the python tests import it from here

SCHEMAS_DIR = SCHEMAS
GENERATED = ROOT / "generated"
PACKAGE_DIR = GENERATED / "python"

# A key and credential values that must never surface in logs, reprs or error messages.
API_KEY = "sk-test-4f9c2e7a1b3d5f60"
SECRET_VALUE = "tok-very-secret-8d1e2f"


def wcg(
    *args: str, cwd: Path | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """`worker-client-gen ...` as a user runs it; env is added to this process's environment."""
    return run_cli(*args, cwd=cwd, env={**os.environ, **(env or {})}, timeout=600)


def ensure_importable() -> None:
    """Import worker_client from generated/python when it is not installed (nox installs it)."""
    try:
        import worker_client  # noqa: F401
    except ImportError:
        sys.path.insert(0, str(PACKAGE_DIR))
