"""A diff Report as text for people (grouped by message type) or as JSON for machines."""

from __future__ import annotations

import json

from generator.cli_options import plural
from generator.diffing.model import SEVERITIES, Report

_WIDTH = max(len(s) for s in SEVERITIES) + 2


def render_text(report: Report) -> str:
    old, new = report.old, report.new
    lines = [
        f"comparing {old.label} (version {old.version}) -> {new.label} (version {new.version})"
    ]
    if not report.changes:
        lines.append("no changes: the two schema folders describe the same messages")
        return "\n".join(lines) + "\n"
    lines.append("")
    grouped = report.by_message()
    for message, changes in grouped.items():
        lines.append(message)
        for change in changes:
            what = f"{change.path}: {change.detail}" if change.path else change.detail
            lines.append(f"  {change.severity:<{_WIDTH}}{what}")
    counts = ", ".join(f"{report.count(s)} {s}" for s in SEVERITIES)
    lines.append("")
    lines.append(
        f"{plural(len(report.changes), 'change')} in {plural(len(grouped), 'message type')} "
        f"({counts}): a {report.level} release"
    )
    return "\n".join(lines) + "\n"


def render_json(report: Report) -> str:
    return json.dumps(report.to_json(), indent=2, ensure_ascii=False) + "\n"
