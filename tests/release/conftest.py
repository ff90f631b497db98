"""Fixtures for the release tests."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from release_helpers import commit_all, git


@pytest.fixture
def make_repo(tmp_path: Path) -> Callable[..., Path]:
    """A git repo whose `schemas/` is a copy of a fixture folder, committed (and tagged)."""

    def make(source: Path, version: str | None = "4.1.0", tag: str | None = "v4.1.0") -> Path:
        repo = tmp_path / "repo"
        repo.mkdir()
        git(repo, "init", "-q")
        git(repo, "config", "user.email", "release-test@example.invalid")
        git(repo, "config", "user.name", "Release Test")
        git(repo, "config", "commit.gpgsign", "false")
        git(repo, "config", "tag.gpgsign", "false")
        shutil.copytree(source, repo / "schemas")
        if version is not None:
            (repo / "schemas" / "VERSION").write_text(version + "\n")
        commit_all(repo, "release", tag)
        return repo

    return make
