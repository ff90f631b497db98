"""What a released client does besides its names: the part of its surface that breaks a
caller's code or their backend without renaming anything.

Recorded per package, read from the artifact like the rest of the surface
(`python_artifact`, `npm_artifact`): the body an enqueue sends (`{payload, opts}` or the bare
payload), the client's constructor parameters, the runtime floor (`requires-python`, or
`engines.node`), the job options an enqueue accepts, and the error classes it raises. A fact
an artifact does not show is "" or None: it is not compared (an older lock never recorded
it), so nothing unknown can count as a change.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from generator.diffing.model import Severity

BARE = "bare payload"
ANY_OPTION = "*"  # the client passes any option through unchecked


def envelope(keys: list[str]) -> str:
    return "{" + ", ".join(sorted(keys)) + "}"


@dataclass(frozen=True)
class Param:
    name: str  # `config.baseUrl` for a member of an options object
    required: bool
    default: str = ""  # its source text; "" when it has none or the artifact does not say
    keyword_only: bool = False

    def shown(self) -> str:
        kind = "required" if self.required else f"optional, default {self.default or 'unset'}"
        return f"{self.name} ({kind}{', keyword-only' if self.keyword_only else ''})"


@dataclass(frozen=True)
class Behaviour:
    wire: str = ""  # BARE, or envelope([...]) of the body's keys
    constructor: tuple[Param, ...] | None = None  # in declaration order
    requires: str = ""  # "python >=3.10", "node >=18", "node *" (no floor)
    job_options: tuple[str, ...] | None = None  # sorted names; (ANY_OPTION,); () none
    errors: tuple[str, ...] | None = None  # sorted exported error class names

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"wire": self.wire, "requires": self.requires}
        if self.constructor is not None:
            data["constructor"] = [
                {"name": p.name, "required": p.required, "default": p.default}
                | ({"keyword_only": True} if p.keyword_only else {})
                for p in self.constructor
            ]
        if self.job_options is not None:
            data["job_options"] = list(self.job_options)
        if self.errors is not None:
            data["errors"] = list(self.errors)
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any] | None) -> Behaviour:
        if not data:
            return cls()
        params = data.get("constructor")
        return cls(
            wire=str(data.get("wire", "")),
            constructor=(
                None
                if params is None
                else tuple(
                    Param(
                        str(p["name"]),
                        bool(p["required"]),
                        str(p.get("default", "")),
                        bool(p.get("keyword_only", False)),
                    )
                    for p in params
                )
            ),
            requires=str(data.get("requires", "")),
            job_options=_strings(data.get("job_options")),
            errors=_strings(data.get("errors")),
        )


def _strings(value: Any) -> tuple[str, ...] | None:
    return None if value is None else tuple(str(v) for v in value)


Add = Callable[[str, str, Severity, str, str], None]


def compare_behaviour(owner: str, old: Behaviour, new: Behaviour, add: Add) -> None:
    """Every behaviour change from old to new, as `add(owner, what, severity, code, detail)`.
    Anything that can break a caller's code or their backend is breaking."""
    if old.wire and new.wire and old.wire != new.wire:
        detail = f"an enqueue sends {_wire(new.wire)}, not {_wire(old.wire)}"
        add(owner, "wire", "breaking", "wire-body-changed", detail)
    if old.requires and new.requires and old.requires != new.requires:
        raised = _floor(new.requires) > _floor(old.requires)
        severity: Severity = "breaking" if raised else "additive"
        detail = f"requires {new.requires}, not {old.requires}"
        add(owner, "requires", severity, "runtime-floor-changed", detail)
    if old.constructor is not None and new.constructor is not None:
        _constructor(owner, old.constructor, new.constructor, add)
    if old.job_options is not None and new.job_options is not None:
        _job_options(owner, set(old.job_options), set(new.job_options), add)
    if old.errors is not None and new.errors is not None:
        for name in sorted(set(old.errors) - set(new.errors)):
            add(owner, "errors", "breaking", "error-class-removed", f"error class {name} removed")
        for name in sorted(set(new.errors) - set(old.errors)):
            add(owner, "errors", "additive", "error-class-added", f"error class {name} added")


def _wire(wire: str) -> str:
    return "the bare payload" if wire == BARE else f"{wire} as its body"


def _floor(requires: str) -> tuple[int, ...]:
    """The lowest version a `>=X.Y` requirement admits; no floor is (0,)."""
    found = re.search(r">=\s*(\d+(?:\.\d+)*)", requires)
    return tuple(int(part) for part in found.group(1).split(".")) if found else (0,)


def _constructor(owner: str, old: tuple[Param, ...], new: tuple[Param, ...], add: Add) -> None:
    before = {p.name: p for p in old}
    after = {p.name: p for p in new}
    positional_before = [p.name for p in old if not p.keyword_only]
    positional_after = [p.name for p in new if not p.keyword_only]
    for name in [p.name for p in old if p.name not in after]:
        add(owner, "constructor", "breaking", "parameter-removed", f"parameter {name} removed")
    for param in new:
        was = before.get(param.name)
        if was is None:
            severity: Severity = "breaking" if param.required else "additive"
            add(owner, "constructor", severity, "parameter-added", f"{param.shown()} added")
            continue
        if param.required and not was.required:
            add(owner, "constructor", "breaking", "parameter-required", f"{param.name} required")
        elif was.required and not param.required:
            detail = f"{param.name} optional (default {param.default or 'unset'})"
            add(owner, "constructor", "additive", "parameter-optional", detail)
        elif not param.required and was.default != param.default:
            detail = (
                f"{param.name} defaults to {param.default or 'unset'}, "
                f"not {was.default or 'unset'}"
            )
            add(owner, "constructor", "breaking", "default-changed", detail)
        if param.keyword_only and not was.keyword_only:
            detail = f"{param.name} is keyword-only"
            add(owner, "constructor", "breaking", "parameter-keyword-only", detail)
    kept = [n for n in positional_before if n in positional_after]
    if kept != [n for n in positional_after if n in positional_before]:
        detail = f"positional order is {', '.join(positional_after)}, not {', '.join(kept)}"
        add(owner, "constructor", "breaking", "parameter-order-changed", detail)


def _job_options(owner: str, old: set[str], new: set[str], add: Add) -> None:
    if old == new:
        return
    if ANY_OPTION in old:
        shown = ", ".join(sorted(new)) or "none"
        detail = f"job options limited to {shown} (any option was passed through)"
        add(owner, "job options", "breaking", "job-options-limited", detail)
        return
    if ANY_OPTION in new:
        add(owner, "job options", "additive", "job-options-open", "any job option passes")
        return
    if not old:
        detail = f"job options accepted: {', '.join(sorted(new))}"
        add(owner, "job options", "additive", "job-options-added", detail)
        return
    for name in sorted(old - new):
        add(owner, "job options", "breaking", "job-option-removed", f"job option {name} refused")
    for name in sorted(new - old):
        add(owner, "job options", "additive", "job-option-added", f"job option {name} accepted")
