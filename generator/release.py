"""`worker-client-gen bump`: the next version and its CHANGELOG entry, from the schema diff.

One version number, `schemas/VERSION`, is the version of both generated packages. A release
is the git tag `v<version>`; `bump` diffs the schema folder against the last one, picks the
semver step the changes need (breaking -> major, additive -> minor, docs -> patch), writes
the new version and prepends the release notes to CHANGELOG.md. `generate` then carries the
version into the packages.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from datetime import datetime
from pathlib import Path

import click

from generator.cli import load_or_exit, schemas_option
from generator.diffing import Change, Level, Report, compare
from generator.diffing.cli import fail, load_revision_or_exit
from generator.diffing.gitrev import GitError, commit_of, git, repo_root
from generator.diffing.model import SEVERITIES
from generator.escaping import md_code, md_inline
from generator.ir import Catalogue
from generator.loader import SEMVER_RE, VERSION_FILE
from generator.publish.lock import LockError, compare_with_lock, read_lock

SECTION_TITLES = {"breaking": "Breaking", "additive": "Added", "docs": "Docs"}
CHANGELOG_HEADER = """# Changelog

Release notes of the generated clients, `mesh-sync-worker-backend-client` (PyPI) and
`@mesh-sync/worker-backend-client` (npm). Both carry the same version, kept in
`schemas/VERSION`. Entries are written by `worker-client-gen bump` from the schema diff.

"""
# A release heading: `## 4.2.0`, `## 4.2.0 - 2025-01-31`, `## [4.2.0]`.
RELEASE_HEADING_RE = re.compile(
    r"^## \[?v?(?P<version>\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?)\]?(?:[ \t].*)?$", re.MULTILINE
)
H2_RE = re.compile(r"^## ", re.MULTILINE)


# --------------------------------------------------------------------------- versions


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


# --------------------------------------------------------------------------- changelog


def changelog_entry(version: str, report: Report, base: str, date: str | None = None) -> str:
    """The `## <version>` entry: Breaking / Added / Docs, each listing changes by message."""
    heading = f"## {version}" + (f" - {date}" if date else "")
    counts = ", ".join(f"{report.count(s)} {s}" for s in SEVERITIES if report.count(s))
    lines = [heading, "", f"Schema changes since {md_code(base)} ({counts}).", ""]
    for severity in SEVERITIES:
        changes = report.of_severity(severity)
        if not changes:
            continue
        lines += [f"### {SECTION_TITLES[severity]}", ""]
        lines += [_bullet(change) for change in changes]
        lines.append("")
    return "\n".join(lines)


def _bullet(change: Change) -> str:
    what = md_inline(change.detail)
    if change.path:
        what = f"{md_code(change.path)} {what}"
    return f"- {md_code(change.message)}: {what}"


def add_entry(text: str, entry: str, unreleased: Collection[str] = ()) -> str:
    """CHANGELOG text with `entry` above the newest release (below any `## Unreleased`).

    When the newest release heading is one of `unreleased` (an entry an earlier `bump`
    wrote for a version not released yet), that entry is replaced instead: bumping again
    before a release leaves one entry, listing everything since the last release.
    """
    if not text.strip():
        text = CHANGELOG_HEADER
    entry = entry.rstrip("\n") + "\n"
    newest = RELEASE_HEADING_RE.search(text)
    if newest is None:
        return text.rstrip("\n") + "\n\n" + entry
    start = newest.start()
    end = start
    if newest.group("version") in unreleased:
        following = H2_RE.search(text, newest.end())
        end = following.start() if following else len(text)
    rest = text[end:]
    return text[:start] + entry + ("\n" + rest if rest else "")


# --------------------------------------------------------------------------- command


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


@click.command("bump")
@schemas_option
@click.option(
    "--base",
    metavar="REV",
    help="The last release to compare against (a git revision). Default: the release lock "
    "in release/, else the git tag v<current version>.",
)
@click.option(
    "--changelog",
    default="CHANGELOG.md",
    show_default=True,
    metavar="FILE",
    help="Release notes to prepend the new entry to.",
)
@click.option(
    "--date",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    metavar="YYYY-MM-DD",  # click would show the strftime format, `[%Y-%m-%d]`
    help="Release date for the heading (none by default).",
)
@click.option("--dry-run", is_flag=True, help="Print the new version and entry; write nothing.")
def bump_command(
    schemas: str, base: str | None, changelog: str, date: datetime | None, dry_run: bool
) -> None:
    """Set the next version from the schema changes since the last release.

    Breaking changes bump the major version, additive ones the minor, docs-only ones the
    patch. Writes <schemas>/VERSION and prepends an entry to the changelog; run
    `worker-client-gen generate` afterwards so the packages carry the new version.
    """
    what = "nothing was bumped"
    current = load_or_exit(schemas, what)
    report, rev = base_report(base, current, schemas, what)
    old_version = report.old.version
    version_path = Path(schemas) / VERSION_FILE
    if report.level == "none":
        click.echo(
            f"no schema changes since {rev} (version {old_version}); "
            f"{version_path} stays {current.version}"
        )
        return
    version = max(next_version(old_version, report.level), current.version, key=version_key)
    when = date.strftime("%Y-%m-%d") if date is not None else None
    entry = changelog_entry(version, report, rev, when)
    counts = ", ".join(f"{report.count(s)} {s}" for s in SEVERITIES if report.count(s))
    summary = (
        f"{version_path}: {current.version} -> {version} ({report.level}: {counts} since {rev})"
    )
    if dry_run:
        click.echo(summary)
        click.echo("")
        click.echo(entry, nl=False)
        click.echo("dry run: nothing was written")
        return
    changelog_path = Path(changelog)
    existing = changelog_path.read_text(encoding="utf-8") if changelog_path.exists() else ""
    # Entries for versions above the last release were written by an earlier, unreleased bump.
    unreleased = {
        v for v in (current.version, version) if version_key(v) > version_key(old_version)
    }
    changelog_path.write_text(add_entry(existing, entry, unreleased), encoding="utf-8")
    version_path.write_text(version + "\n", encoding="utf-8")
    click.echo(summary)
    click.echo(f"{changelog}: entry for {version} written")
    click.echo(
        f"next: run `worker-client-gen generate` so both packages carry {version}, commit, "
        f"and tag the release v{version}"
    )
