"""CHANGELOG.md entries: the `## <version>` release notes `bump` writes from a schema diff."""

from __future__ import annotations

import re
from collections.abc import Collection

from generator.diffing.model import SEVERITIES, Change, Report
from generator.escaping import md_code, md_inline

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
