"""`worker-client-gen bump`: next version from the diff against the last release tag."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from release_helpers import DIFF_FIXTURES, commit_all, run_cli

from generator.changelog import add_entry
from generator.versions import next_version, version_key

BASE = DIFF_FIXTURES / "field-removed" / "old"


def _apply(repo: Path, case: str) -> None:
    """Make the working tree's schemas/ the `new` side of a diff fixture (VERSION kept)."""
    version = (repo / "schemas" / "VERSION").read_text()
    shutil.rmtree(repo / "schemas")
    shutil.copytree(DIFF_FIXTURES / case / "new", repo / "schemas")
    (repo / "schemas" / "VERSION").write_text(version)


@pytest.mark.parametrize(
    ("case", "version", "section", "line"),
    [
        (
            "field-removed",
            "5.0.0",
            "### Breaking",
            "- `file-download-request`: `note` field removed",
        ),
        (
            "enum-value-added",
            "4.2.0",
            "### Added",
            '- `file-upload-request`: `source.provider` enum value "gcs" added',
        ),
        (
            "docs-only",
            "4.1.1",
            "### Docs",
            "- `file-download-request`: `modelId` description changed",
        ),
    ],
)
def test_semver_step_follows_the_change_class(
    make_repo: Callable[..., Path], case: str, version: str, section: str, line: str
) -> None:
    repo = make_repo(BASE)
    _apply(repo, case)
    result = run_cli("bump", cwd=repo)
    assert result.returncode == 0, result.stderr
    assert (repo / "schemas" / "VERSION").read_text() == version + "\n"
    changelog = (repo / "CHANGELOG.md").read_text()
    entry = changelog[changelog.index(f"## {version}\n") :]
    assert section in entry and line in entry
    assert f"schemas/VERSION: 4.1.0 -> {version}" in result.stdout
    assert "worker-client-gen generate" in result.stdout


def test_entry_lists_sections_in_order_and_keeps_unreleased_notes(
    make_repo: Callable[..., Path],
) -> None:
    repo = make_repo(BASE)
    (repo / "CHANGELOG.md").write_text(
        "# Changelog\n\nIntro.\n\n## Unreleased\n\n- generator: faster templates\n\n"
        "## 4.1.0\n\nFirst release.\n"
    )
    commit_all(repo, "changelog")
    _apply(repo, "required-field-added")
    (repo / "schemas" / "file-download-request.yaml").write_text(
        (repo / "schemas" / "file-download-request.yaml")
        .read_text()
        .replace("description: Free text.", "description: Free text shown to people.")
    )
    assert run_cli("bump", "--date", "2025-02-03", cwd=repo).returncode == 0
    assert (repo / "CHANGELOG.md").read_text() == (
        "# Changelog\n\nIntro.\n\n## Unreleased\n\n- generator: faster templates\n\n"
        "## 5.0.0 - 2025-02-03\n\n"
        "Schema changes since `v4.1.0` (1 breaking, 2 docs).\n\n"
        "### Breaking\n\n"
        "- `file-download-request`: `checksum` required field added (string)\n\n"
        "### Docs\n\n"
        "- `file-download-request`: examples changed\n"
        "- `file-download-request`: `note` description changed\n\n"
        "## 4.1.0\n\nFirst release.\n"
    )


def test_no_change_no_bump(make_repo: Callable[..., Path]) -> None:
    repo = make_repo(BASE)
    result = run_cli("bump", cwd=repo)
    assert result.returncode == 0
    assert result.stdout == (
        "no schema changes since v4.1.0 (version 4.1.0); schemas/VERSION stays 4.1.0\n"
    )
    assert (repo / "schemas" / "VERSION").read_text() == "4.1.0\n"
    assert not (repo / "CHANGELOG.md").exists()


def test_dry_run_writes_nothing(make_repo: Callable[..., Path]) -> None:
    repo = make_repo(BASE)
    _apply(repo, "optional-field-added")
    result = run_cli("bump", "--dry-run", cwd=repo)
    assert result.returncode == 0
    assert "schemas/VERSION: 4.1.0 -> 4.2.0" in result.stdout
    assert "- `file-download-request`: `retries` optional field added (integer)" in result.stdout
    assert result.stdout.endswith("dry run: nothing was written\n")
    assert (repo / "schemas" / "VERSION").read_text() == "4.1.0\n"
    assert not (repo / "CHANGELOG.md").exists()


def test_bumping_again_before_release_rewrites_the_same_entry(
    make_repo: Callable[..., Path],
) -> None:
    repo = make_repo(BASE)
    _apply(repo, "optional-field-added")
    assert run_cli("bump", cwd=repo).returncode == 0
    first = (repo / "CHANGELOG.md").read_text()
    # VERSION is 4.2.0 now but no tag v4.2.0 exists: the base must be named.
    no_tag = run_cli("bump", cwd=repo)
    assert no_tag.returncode == 2
    assert "no git tag v4.2.0" in no_tag.stderr and "newest release tag here is v4.1.0" in (
        no_tag.stderr
    )
    assert run_cli("bump", "--base", "v4.1.0", cwd=repo).returncode == 0
    assert (repo / "CHANGELOG.md").read_text() == first
    # A breaking change on top of it: one entry, now a major release.
    (repo / "schemas" / "file-upload-request.yaml").unlink()
    assert run_cli("bump", "--base", "v4.1.0", cwd=repo).returncode == 0
    changelog = (repo / "CHANGELOG.md").read_text()
    assert (repo / "schemas" / "VERSION").read_text() == "5.0.0\n"
    assert changelog.count("\n## ") == 1 and "## 5.0.0\n" in changelog
    assert "- `file-upload-request`: message type removed" in changelog
    assert "`retries` optional field added" in changelog


def test_without_tag_or_base_exits_2(make_repo: Callable[..., Path]) -> None:
    repo = make_repo(BASE, tag=None)
    result = run_cli("bump", cwd=repo)
    assert result.returncode == 2
    assert result.stderr.startswith("error: no git tag v4.1.0 marks the release")
    assert "--base REV" in result.stderr and "Traceback" not in result.stderr
    commit_all(repo, "another", tag="v4.1.0")
    assert run_cli("bump", cwd=repo).returncode == 0


def test_explicit_base_commit(make_repo: Callable[..., Path]) -> None:
    repo = make_repo(BASE, tag=None)
    _apply(repo, "message-added")
    result = run_cli("bump", "--base", "HEAD", cwd=repo)
    assert result.returncode == 0, result.stderr
    assert (repo / "schemas" / "VERSION").read_text() == "4.2.0\n"
    assert "- `file-vectorize-request`: message type added" in (repo / "CHANGELOG.md").read_text()


def test_bad_date_is_a_usage_error(make_repo: Callable[..., Path]) -> None:
    repo = make_repo(BASE)
    result = run_cli("bump", "--date", "3 Feb", cwd=repo)
    assert result.returncode == 2 and "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("version", "level", "expected"),
    [
        ("4.1.0", "major", "5.0.0"),
        ("4.1.7", "minor", "4.2.0"),
        ("4.1.7", "patch", "4.1.8"),
        ("4.1.7", "none", "4.1.7"),
        ("5.0.0-rc.1", "patch", "5.0.1"),
    ],
)
def test_next_version(version: str, level: str, expected: str) -> None:
    assert next_version(version, level) == expected  # type: ignore[arg-type]


def test_version_precedence() -> None:
    ordered = ["1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-beta", "1.0.0-rc.1", "1.0.0", "1.0.1"]
    assert sorted(reversed(ordered), key=version_key) == ordered


def test_add_entry_to_empty_and_headerless_files() -> None:
    fresh = add_entry("", "## 1.0.0\n\nx\n")
    assert fresh.startswith("# Changelog\n") and fresh.endswith("\n## 1.0.0\n\nx\n")
    assert add_entry("# Notes\n", "## 1.0.0\n\nx\n") == "# Notes\n\n## 1.0.0\n\nx\n"


def test_add_entry_replaces_only_an_unreleased_newest_entry() -> None:
    text = "# C\n\n## 1.1.0\n\nold\n\n## 1.0.0\n\nfirst\n"
    replaced = add_entry(text, "## 2.0.0\n\nnew\n", unreleased={"1.1.0", "2.0.0"})
    assert replaced == "# C\n\n## 2.0.0\n\nnew\n\n## 1.0.0\n\nfirst\n"
    kept = add_entry(text, "## 2.0.0\n\nnew\n", unreleased={"2.0.0"})
    assert kept == "# C\n\n## 2.0.0\n\nnew\n\n## 1.1.0\n\nold\n\n## 1.0.0\n\nfirst\n"
