"""Helpers for the release tests: real git repositories in tmp folders, the CLI as a process."""

from __future__ import annotations

import subprocess
from pathlib import Path

from support import (
    FIXTURES,
    run_cli,  # re-exported: the release tests import it from here
)

__all__ = ["run_cli"]

DIFF_FIXTURES = FIXTURES / "diff"


def git(repo: Path, *args: str) -> str:
    result = subprocess.run(
        ["git", "-C", str(repo), *args], capture_output=True, text=True, check=True
    )
    return result.stdout


def commit_all(repo: Path, message: str, tag: str | None = None) -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "--allow-empty", "-m", message)
    if tag:
        git(repo, "tag", tag)
