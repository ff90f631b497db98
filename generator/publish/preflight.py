"""Everything `publish` checks before it uploads anything; each problem is one line.

1. The release tag is `v<schemas/VERSION>` and CHANGELOG.md has the `## <version>` entry.
2. Both artifacts are built and checked (`twine check --strict`, the npm tarball's contents).
3. The version is greater than every version on each registry.
4. The API surface of each artifact, compared with the latest release on its registry,
   needs no bigger version step than this one.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from generator.changelog import RELEASE_HEADING_RE
from generator.diffing.gitrev import GitError, git, repo_root
from generator.publish import build, registries
from generator.publish.artifacts import ArtifactError
from generator.publish.npm_artifact import npm_surface
from generator.publish.python_artifact import python_surface
from generator.publish.registries import NPM, PYPI, Registry, RegistryError
from generator.publish.surface import Surface, step_problems

ARTIFACT_OF = {"pypi": "python", "npm": "typescript"}


@dataclass
class Preflight:
    version: str
    registries: tuple[Registry, ...]
    problems: list[str] = field(default_factory=list)
    artifacts: dict[str, list[Path]] = field(default_factory=dict)  # registry key -> files
    surfaces: dict[str, Surface] = field(default_factory=dict)  # registry key -> ours
    latest: dict[str, str | None] = field(default_factory=dict)  # registry key -> version

    @property
    def ok(self) -> bool:
        return not self.problems


def release_tag(given: str | None) -> str | None:
    """--tag, else the tag a CI run was started for, else the tags on HEAD (newest first)."""
    if given:
        return given
    if os.environ.get("GITHUB_REF_TYPE") == "tag" and os.environ.get("GITHUB_REF_NAME"):
        return os.environ["GITHUB_REF_NAME"]
    try:
        tags = git("tag", "--points-at", "HEAD", "--sort=-v:refname", cwd=repo_root()).split()
    except GitError:
        return None
    release = [t.decode() for t in tags if t.startswith(b"v")]
    return release[0] if release else None


def check_tag_and_changelog(pre: Preflight, tag: str | None, changelog: Path) -> None:
    expected = f"v{pre.version}"
    if tag is None:
        pre.problems.append(f"no release tag: HEAD carries no tag {expected} (or pass --tag)")
    elif tag != expected:
        pre.problems.append(f"tag {tag} does not match schemas/VERSION {pre.version} ({expected})")
    text = changelog.read_text(encoding="utf-8") if changelog.is_file() else ""
    versions = {m.group("version") for m in RELEASE_HEADING_RE.finditer(text)}
    if pre.version not in versions:
        pre.problems.append(f"{changelog} has no `## {pre.version}` entry")


def check_artifacts(
    pre: Preflight, generated: Path, schemas: Path, dist: Path, rebuild: bool
) -> None:
    for registry in pre.registries:
        target = ARTIFACT_OF[registry.key]
        try:
            if rebuild:
                built = build.build_all(generated, schemas, dist, only=target)
            else:
                built = build.check_built(generated, schemas, dist, only=target)
        except build.ReleaseCheckError as exc:
            pre.problems.append(f"{registry.label} artifact: {registries.redact(str(exc))}")
            continue
        files = built[target]
        pre.artifacts[registry.key] = files
        try:
            reader = python_surface if target == "python" else npm_surface
            pre.surfaces[registry.key] = reader(files[-1])
        except ArtifactError as exc:
            pre.problems.append(f"{registry.label} artifact: {exc}")


def check_registry(pre: Preflight, registry: Registry) -> None:
    """Version order and API surface against what the registry holds."""
    files: dict[str, str] = {}
    try:
        if registry is PYPI:
            files = registries.pypi_files(registries.pip_index_url())
            versions = registries.pypi_versions(files)
            latest = registries.latest_final(registry, versions)
        else:
            versions = registries.npm_versions()
            latest = registries.npm_latest() if versions else None
    except RegistryError as exc:
        pre.problems.append(f"{registry.label}: cannot read {registry.package}: {exc}")
        return
    pre.latest[registry.key] = latest
    key = registries.order_key(registry)
    versions = {v for v in versions if registries.is_valid(registry, v)}
    if pre.version in versions:
        pre.problems.append(
            f"{registry.label} already has {registry.package} {pre.version}: a version is "
            "published once; bump to the next one"
        )
        return
    newer = sorted((v for v in versions if key(v) >= key(pre.version)), key=key)
    if newer:
        pre.problems.append(
            f"{registry.label} has {registry.package} {newer[-1]}, not older than "
            f"{pre.version}: the version must be greater than every published one"
        )
        return
    ours = pre.surfaces.get(registry.key)
    if latest is None or ours is None:
        return
    with tempfile.TemporaryDirectory(prefix="wcg-latest-") as tmp:
        try:
            if registry is PYPI:
                path = registries.pypi_download(files, latest, Path(tmp))
                theirs = python_surface(path)
            else:
                theirs = npm_surface(registries.npm_download(latest, Path(tmp)))
        except (RegistryError, ArtifactError) as exc:
            pre.problems.append(f"{registry.label}: cannot read {registry.package} {latest}: {exc}")
            return
    pre.problems += step_problems(registry.label, theirs, ours)


def run_preflight(
    *,
    version: str,
    tag: str | None,
    changelog: Path,
    generated: Path,
    schemas: Path,
    dist: Path,
    only: str | None,
    rebuild: bool,
) -> Preflight:
    chosen = tuple(r for r in (PYPI, NPM) if only in (None, r.key))
    pre = Preflight(version, chosen)
    check_tag_and_changelog(pre, release_tag(tag), changelog)
    check_artifacts(pre, generated, schemas, dist, rebuild)
    for registry in chosen:
        check_registry(pre, registry)
    return pre
