"""Semantic versions: their order, the next one after a change, and the step between two.

One version, `schemas/VERSION`, names both generated packages; `bump`, the release lock and
the publish pre-flight all order and step versions by these rules.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from generator.schema import SEMVER_RE

if TYPE_CHECKING:
    from generator.diffing.model import Level


def parse_version(version: str) -> tuple[int, int, int, str]:
    match = SEMVER_RE.match(version)
    if match is None:
        raise ValueError(f"{version!r} is not a semantic version like 1.2.3")
    major, minor, patch = (int(part) for part in match.groups())
    _, _, pre = version.partition("-")
    return major, minor, patch, pre


def next_version(version: str, level: Level) -> str:
    """The version after `version` for a change of this level (a pre-release is dropped)."""
    major, minor, patch, _ = parse_version(version)
    if level == "major":
        return f"{major + 1}.0.0"
    if level == "minor":
        return f"{major}.{minor + 1}.0"
    if level == "patch":
        return f"{major}.{minor}.{patch + 1}"
    return version


def version_key(version: str) -> tuple[int, int, int, int, tuple[tuple[int, int | str], ...]]:
    """Semver precedence: 1.0.0-rc.1 < 1.0.0 < 1.0.1."""
    major, minor, patch, pre = parse_version(version)
    identifiers = tuple(
        (0, int(part)) if part.isdigit() else (1, part) for part in pre.split(".") if pre
    )
    return major, minor, patch, 0 if pre else 1, identifiers


def version_step(old: str, new: str) -> Level:
    """The semver step from `old` to `new` ("none" when new is not greater)."""
    if version_key(new) <= version_key(old):
        return "none"
    a, b = parse_version(old), parse_version(new)
    if b[0] > a[0]:
        return "major"
    if b[1] > a[1]:
        return "minor"
    return "patch"
