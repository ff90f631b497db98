"""The API surface of one released package, and the version step a change of it needs.

A surface is what a caller of the package can name: the message types with their fields
(JSON type and required flag), the client's methods and the names the package exports,
and what the client does besides (its Behaviour: wire body, constructor, runtime floor, job
options, error classes). It
is read from the artifacts themselves (`generator.publish.artifacts`), for the release
about to be uploaded and for the latest one on the registry alike, so both sides are
measured the same way.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from generator.diffing.model import LEVEL_OF, Change, Level, Report, Severity, Side
from generator.publish.behaviour import Behaviour, compare_behaviour
from generator.versions import version_step

LEVELS: tuple[Level, ...] = ("none", "patch", "minor", "major")


@dataclass(frozen=True)
class FieldSurface:
    json_type: str  # "" when the release does not say (older READMEs: `storageItem() [✗]`)
    required: bool
    # The value may hold keys the surface does not list (an open object, a map, any value):
    # what is not listed below it was never promised, so it is neither added nor removed.
    open: bool = True


def _field_json(field: FieldSurface) -> dict[str, Any]:
    data: dict[str, Any] = {"type": field.json_type, "required": field.required}
    if not field.open:
        data["open"] = False
    return data


@dataclass(frozen=True)
class Surface:
    name: str  # distribution / package name
    version: str
    messages: dict[str, dict[str, FieldSurface]]  # message type -> field -> shape
    methods: frozenset[str]  # of the client class
    exports: frozenset[str]  # names importable from the package's top level
    behaviour: Behaviour = field(default_factory=Behaviour)

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "version": self.version,
            "messages": {
                kebab: {name: _field_json(f) for name, f in sorted(fields.items())}
                for kebab, fields in sorted(self.messages.items())
            },
            "methods": sorted(self.methods),
            "exports": sorted(self.exports),
            "behaviour": self.behaviour.to_json(),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Surface:
        return cls(
            name=str(data["name"]),
            version=str(data["version"]),
            messages={
                kebab: {
                    name: FieldSurface(
                        str(f["type"]), bool(f["required"]), bool(f.get("open", True))
                    )
                    for name, f in fields.items()
                }
                for kebab, fields in data["messages"].items()
            },
            methods=frozenset(data["methods"]),
            exports=frozenset(data["exports"]),
            behaviour=Behaviour.from_json(data.get("behaviour")),
        )


def compare_surfaces(old: Surface, new: Surface, old_label: str, new_label: str) -> Report:
    """Every difference from `old` to `new`, classified as `diff` does: a removal or a
    narrowing is breaking (a major), an addition additive (a minor).

    Message and field changes are attributed to their message type; method and export
    changes to the package name.
    """
    found: list[Change] = []

    def add(message: str, path: str, severity: Severity, code: str, detail: str) -> None:
        found.append(Change(message, path, severity, code, detail))

    for kebab in sorted(set(old.messages) | set(new.messages)):
        if kebab not in new.messages:
            add(kebab, "", "breaking", "message-removed", "message type removed")
        elif kebab not in old.messages:
            add(kebab, "", "additive", "message-added", "message type added")
        else:
            _fields(kebab, old.messages[kebab], new.messages[kebab], add)
    for kind, before, after in (
        ("method", old.methods, new.methods),
        ("export", old.exports, new.exports),
    ):
        for name in sorted(before - after):
            add(new.name or old.name, "", "breaking", f"{kind}-removed", f"{kind} {name} removed")
        for name in sorted(after - before):
            add(new.name or old.name, "", "additive", f"{kind}-added", f"{kind} {name} added")
    compare_behaviour(new.name or old.name, old.behaviour, new.behaviour, add)
    return Report(
        old=Side(old_label, old.version),
        new=Side(new_label, new.version),
        changes=tuple(sorted(found, key=lambda c: c.sort_key)),
    )


def _parent(path: str) -> str | None:
    """`a.b` -> `a`, `a[].b` -> `a[]`, `a[]` -> `a`; None for a top-level field."""
    if path.endswith("[]"):
        return path[:-2]
    cut = path.rfind(".")
    return path[:cut] if cut >= 0 else None


def _listed_below(fields: dict[str, FieldSurface], path: str) -> bool:
    """Whether the surface promises the keys at `path`: its parent is listed and closed."""
    parent = _parent(path)
    if parent is None:
        return True
    above = fields.get(parent)
    return above is not None and not above.open and _listed_below(fields, parent)


def _fields(
    kebab: str, old: dict[str, FieldSurface], new: dict[str, FieldSurface], add: Any
) -> None:
    for name in sorted(set(old) | set(new)):
        before, after = old.get(name), new.get(name)
        if after is None:
            # Gone, unless the new release still takes it under an open parent.
            if before is not None and _listed_below(new, name):
                add(kebab, name, "breaking", "field-removed", "field removed")
            continue
        if before is None:
            if not _listed_below(old, name):
                continue  # the old release did not list what was there: nothing to compare
            if after.required:
                detail = f"required field added ({after.json_type or 'any type'})"
                add(kebab, name, "breaking", "required-field-added", detail)
            else:
                detail = f"optional field added ({after.json_type or 'any type'})"
                add(kebab, name, "additive", "field-added", detail)
            continue
        if before.json_type and after.json_type and before.json_type != after.json_type:
            widened = set(before.json_type.split("|")) <= set(after.json_type.split("|"))
            if (before.json_type, after.json_type) == ("integer", "number") or widened:
                detail = f"type widened from {before.json_type} to {after.json_type}"
                add(kebab, name, "additive", "type-widened", detail)
            else:
                detail = f"type changed from {before.json_type} to {after.json_type}"
                add(kebab, name, "breaking", "type-changed", detail)
        if after.required and not before.required:
            add(kebab, name, "breaking", "field-required", "field became required")
        elif before.required and not after.required:
            add(kebab, name, "additive", "field-optional", "field became optional")


def step_problems(registry: str, old: Surface, new: Surface) -> list[str]:
    """One line per change that needs a bigger version step than old.version -> new.version."""
    report = compare_surfaces(old, new, f"{registry} {old.version}", new.version)
    step = version_step(old.version, new.version)
    problems = []
    for change in report.changes:
        needs = LEVEL_OF[change.severity]
        if LEVELS.index(needs) > LEVELS.index(step):
            problems.append(
                f"{registry}: {new.name} {old.version} -> {new.version} is a {step} step, but "
                f"{change.where}: {change.detail} (since {old.version}) needs a {needs} one"
            )
    return problems
