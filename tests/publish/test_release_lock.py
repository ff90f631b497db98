"""release/: the committed record of the last release that `diff` and `bump` compare against.

It needs no tag and no history: `bump --dry-run` works on a shallow clone.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

from support import run_cli

from generator.publish.lock import catalogue_messages, compare_with_lock, read_lock, write_lock
from generator.publish.surface import FieldSurface, Surface
from generator.schema import load_schemas

ROOT = Path(__file__).resolve().parents[2]


def _git(cwd: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=cwd, capture_output=True, text=True, check=True
    ).stdout


def test_the_committed_lock_records_the_latest_releases_of_both_registries() -> None:
    lock = read_lock(ROOT / "schemas")
    assert lock is not None
    assert {key: s.name for key, s in lock.surfaces.items()} == {
        "pypi": "mesh-sync-worker-backend-client",
        "npm": "@mesh-sync/worker-backend-client",
    }
    current = load_schemas(ROOT / "schemas")
    for surface in lock.surfaces.values():
        # Everything the last release published is still here (the schemas are a superset).
        assert set(surface.messages) <= {m.type for m in current.messages}
        assert len(surface.messages) >= 68


def test_bump_dry_run_on_a_shallow_clone(tmp_path: Path) -> None:
    """A repository holding this schemas/ and release/, cloned with --depth 1: no tags."""
    origin = tmp_path / "origin"
    shutil.copytree(ROOT / "schemas", origin / "schemas")
    shutil.copytree(ROOT / "release", origin / "release")
    shutil.copy2(ROOT / "CHANGELOG.md", origin / "CHANGELOG.md")
    _git(tmp_path, "init", "-q", str(origin))
    _git(origin, "add", "-A")
    _git(origin, "-c", "user.email=t@example.invalid", "-c", "user.name=t", "commit", "-qm", "a")
    _git(
        origin,
        "-c",
        "user.email=t@example.invalid",
        "-c",
        "user.name=t",
        "commit",
        "-qm",
        "b",
        "--allow-empty",
    )
    clone = tmp_path / "clone"
    _git(tmp_path, "clone", "-q", "--depth", "1", origin.as_uri(), str(clone))
    assert _git(clone, "tag", "--list") == ""
    assert _git(clone, "rev-parse", "--is-shallow-repository").strip() == "true"
    bumped = run_cli("bump", "--dry-run", cwd=clone)
    assert bumped.returncode == 0, bumped.stderr
    assert "since release lock (" in bumped.stdout
    assert bumped.stdout.rstrip().endswith("dry run: nothing was written")
    diffed = run_cli("diff", cwd=clone)
    assert diffed.returncode == 0, diffed.stderr
    assert diffed.stdout.startswith("comparing release lock (")


def _surface(version: str, messages: dict[str, dict[str, FieldSurface]]) -> Surface:
    return Surface("pkg", version, messages, frozenset(), frozenset())


def test_a_surface_only_lock_classifies_messages_and_fields(tmp_path: Path) -> None:
    schemas = tmp_path / "schemas"
    shutil.copytree(ROOT / "tests" / "fixtures" / "diff" / "optional-field-added" / "new", schemas)
    (schemas / "VERSION").write_text("4.3.0\n")
    current = load_schemas(schemas)
    kebab = current.messages[0].type
    recorded = dict(catalogue_messages(current).messages[kebab])
    first = next(iter(recorded))
    other = "boolean" if recorded[first].json_type != "boolean" else "string"
    recorded[first] = FieldSurface(other, recorded[first].required)
    recorded["gone"] = FieldSurface("string", False)
    write_lock(
        schemas,
        {"pypi": _surface("4.2.0", {kebab: recorded, "removed-message": {}})},
        with_schemas=False,
    )
    assert json.loads((tmp_path / "release" / "lock.json").read_text())["schemas"] is None
    lock = read_lock(schemas)
    assert lock is not None and lock.version == "4.2.0" and not lock.has_schemas
    report, label = compare_with_lock(lock, current, "schemas", load_schemas)
    assert label == "release lock (pypi 4.2.0)"
    found = {(c.message, c.path, c.code) for c in report.changes}
    assert (kebab, "gone", "field-removed") in found
    assert ("removed-message", "", "message-removed") in found
    assert any(c.code == "type-changed" and c.path == first for c in report.changes)
    assert report.level == "major"


def test_a_lock_with_schemas_is_a_full_schema_diff(tmp_path: Path) -> None:
    fixture = ROOT / "tests" / "fixtures" / "diff" / "optional-field-added"
    schemas = tmp_path / "schemas"
    shutil.copytree(fixture / "old", schemas)
    (schemas / "VERSION").write_text("4.2.0\n")
    write_lock(schemas, {"pypi": _surface("4.2.0", {})}, with_schemas=True)
    shutil.rmtree(schemas)
    shutil.copytree(fixture / "new", schemas)
    (schemas / "VERSION").write_text("4.2.0\n")
    result = run_cli("bump", "--dry-run", "--schemas", str(schemas), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "4.2.0 -> 4.3.0 (minor: 1 additive since release/schemas (4.2.0))" in result.stdout


def test_an_unreadable_lock_is_an_error_not_a_traceback(tmp_path: Path) -> None:
    schemas = tmp_path / "schemas"
    shutil.copytree(ROOT / "tests" / "fixtures" / "diff" / "optional-field-added" / "new", schemas)
    (tmp_path / "release").mkdir()
    (tmp_path / "release" / "lock.json").write_text('{"format": 99}')
    result = run_cli("bump", "--dry-run", "--schemas", str(schemas), cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith("error: ") and "unknown format 99" in result.stderr
    assert "Traceback" not in result.stderr
