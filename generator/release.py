"""`worker-client-gen bump`: the next version and its CHANGELOG entry, from the schema diff.

One version number, `schemas/VERSION`, is the version of both generated packages. A release
is the git tag `v<version>`; `bump` diffs the schema folder against the last one, picks the
semver step the changes need (breaking -> major, additive -> minor, docs -> patch), writes
the new version and prepends the release notes to CHANGELOG.md. `generate` then carries the
version into the packages.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from pathlib import Path

import click

from generator.changelog import add_entry, changelog_entry
from generator.cli_options import load_or_exit, schemas_option
from generator.diffing.base import base_report, fail
from generator.diffing.model import SEVERITIES, Report
from generator.publish.lock import read_lock
from generator.schema import VERSION_FILE
from generator.versions import next_version, version_key


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
@click.option(
    "--generated",
    default="generated",
    show_default=True,
    metavar="DIR",
    help="The packages about to be released: their behaviour (wire body, constructor, "
    "runtime floor, job options, error classes) is compared with the release lock's too.",
)
@click.option("--dry-run", is_flag=True, help="Print the new version and entry; write nothing.")
def bump_command(
    schemas: str,
    base: str | None,
    changelog: str,
    date: datetime | None,
    generated: str,
    dry_run: bool,
) -> None:
    """Set the next version from the schema changes since the last release.

    Breaking changes bump the major version, additive ones the minor, docs-only ones the
    patch. Writes <schemas>/VERSION and prepends an entry to the changelog; run
    `worker-client-gen generate` afterwards so the packages carry the new version.
    """
    what = "nothing was bumped"
    current = load_or_exit(schemas, what)
    report, rev = base_report(base, current, schemas, what)
    if base is None:
        report = _with_behaviour(report, schemas, Path(generated))
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


def _with_behaviour(report: Report, schemas: str, generated: Path) -> Report:
    """The report with the behaviour changes of the packages in `generated` since the
    release the lock records (none without a lock or without those packages)."""
    from generator.publish.artifacts import ArtifactError
    from generator.publish.tree_behaviour import behaviour_changes

    lock = read_lock(schemas)
    if lock is None or not generated.is_dir():
        return report
    try:
        found = behaviour_changes(lock, generated)
    except ArtifactError as exc:
        fail(f"{exc}; nothing was bumped (regenerate, or pass --generated DIR)")
    changes = set(report.changes) | set(found)
    return replace(report, changes=tuple(sorted(changes, key=lambda c: c.sort_key)))
