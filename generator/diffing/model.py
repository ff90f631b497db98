"""What a schema diff produces: classified changes, grouped by message type."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

Severity = Literal["breaking", "additive", "docs"]
Level = Literal["major", "minor", "patch", "none"]

SEVERITIES: tuple[Severity, ...] = ("breaking", "additive", "docs")
# A release that contains a change of this class needs (at least) this semver bump.
LEVEL_OF: dict[Severity, Level] = {"breaking": "major", "additive": "minor", "docs": "patch"}


@dataclass(frozen=True)
class Change:
    """One classified difference, attributed to one message type.

    `path` names the place inside the payload: dotted field names, `[]` for array items,
    `{}` for the values of a map or the extra keys of an open object; "" is the message itself.
    """

    message: str
    path: str
    severity: Severity
    code: str  # machine-readable kind of change, e.g. field-removed
    detail: str  # what a person reads, e.g. "field removed"

    @property
    def sort_key(self) -> tuple[str, int, str, str, str]:
        return (self.message, SEVERITIES.index(self.severity), self.path, self.code, self.detail)

    @property
    def where(self) -> str:
        """`message: path`, or just the message for message-level changes."""
        return f"{self.message}: {self.path}" if self.path else self.message

    def to_json(self) -> dict[str, str]:
        return {
            "severity": self.severity,
            "code": self.code,
            "path": self.path,
            "detail": self.detail,
        }


@dataclass(frozen=True)
class Side:
    """One end of the comparison: where it came from and the version it declares."""

    label: str
    version: str


@dataclass(frozen=True)
class Report:
    old: Side
    new: Side
    changes: tuple[Change, ...]  # sorted by message, then severity, then path

    @property
    def level(self) -> Level:
        for severity in SEVERITIES:
            if self.count(severity):
                return LEVEL_OF[severity]
        return "none"

    @property
    def breaking(self) -> bool:
        return self.count("breaking") > 0

    def count(self, severity: Severity) -> int:
        return sum(1 for c in self.changes if c.severity == severity)

    def by_message(self) -> dict[str, list[Change]]:
        grouped: dict[str, list[Change]] = {}
        for change in self.changes:
            grouped.setdefault(change.message, []).append(change)
        return grouped

    def of_severity(self, severity: Severity) -> list[Change]:
        return [c for c in self.changes if c.severity == severity]

    def to_json(self) -> dict[str, Any]:
        return {
            "old": {"source": self.old.label, "version": self.old.version},
            "new": {"source": self.new.label, "version": self.new.version},
            "level": self.level,
            "counts": {s: self.count(s) for s in SEVERITIES},
            "messages": [
                {"type": message, "changes": [c.to_json() for c in changes]}
                for message, changes in self.by_message().items()
            ],
        }
