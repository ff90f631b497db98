"""What a diff or a bump compares against: a git revision, or the last release.

The last release is the release lock (`release/`, committed by `publish`), which needs no tag
and no history; without a lock, the git tag `v<VERSION>`.
"""

from __future__ import annotations

import sys
from typing import NoReturn

import click

from generator.cli_options import EXIT_INVALID, fail_with_schema_errors, load_or_exit
from generator.diffing import Report, compare
from generator.diffing.gitrev import GitError, commit_of, git, load_at, repo_root
from generator.errors import SchemaErrors
from generator.ir import Catalogue
from generator.publish.lock import LockError, compare_with_lock, read_lock


def fail(message: str) -> NoReturn:
    click.echo(f"error: {message}", err=True)
    sys.exit(EXIT_INVALID)


def load_revision_or_exit(rev: str, schemas: str, what: str) -> tuple[Catalogue, str]:
    """The schema folder at a git revision, and its label (`rev:path`); exit 2 on failure."""
    try:
        return load_at(rev, schemas)
    except GitError as exc:
        fail(str(exc))
    except SchemaErrors as exc:
        fail_with_schema_errors(exc, what)


def base_report(
    base: str | None, current: Catalogue, schemas: str, what: str
) -> tuple[Report, str]:
    """The changes since the last release, and how to name it.

    --base REV names a git revision. Without it: the release lock (release/, committed by
    `publish`), which needs no tag and no history; without a lock, the tag v<VERSION>.
    """
    if base is None:
        try:
            lock = read_lock(schemas)
        except LockError as exc:
            fail(str(exc))
        if lock is not None:
            return compare_with_lock(lock, current, schemas, lambda d: load_or_exit(d, what))
        base = _default_base(current.version)
    old, label = load_revision_or_exit(base, schemas, what)
    return compare(old, current, label, schemas), base


def _default_base(version: str) -> str:
    tag = f"v{version}"
    try:
        root = repo_root()
    except GitError as exc:
        fail(f"{exc}; pass --base REV to name the last release")
    if commit_of(f"refs/tags/{tag}", root) is not None:
        return tag
    hint = ""
    try:
        tags = git("tag", "--list", "v*", "--sort=-v:refname", cwd=root).decode().split()
    except GitError:
        tags = []
    if tags:
        hint = f" (the newest release tag here is {tags[0]})"
    fail(
        f"no git tag {tag} marks the release of version {version}{hint}; pass --base REV "
        "to name the last release (a tag or commit)"
    )
