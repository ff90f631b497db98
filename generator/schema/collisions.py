"""Whole-catalogue name checks: no two messages on one identifier of any target, and none
on a name a target keeps for itself."""

from __future__ import annotations

from collections.abc import Callable

from generator import targets
from generator.ir import MessageSpec
from generator.schema.state import State


def check_collisions(messages: list[MessageSpec], state: State) -> None:
    """No two messages on one identifier of any target, and none on a name a target keeps for
    itself (the targets declare both: generator.targets.naming_rules)."""
    forms: dict[str, Callable[[MessageSpec], str]] = {
        "constant": lambda m: m.names.constant,
        "type name": lambda m: m.names.pascal,
    }
    reserved: dict[str, frozenset[str]] = {}
    for rules in targets.naming_rules().values():
        label = f"{rules.language} method"
        forms[label] = _spelled_by(rules.method)
        reserved[label] = rules.reserved_members
    for label, form in forms.items():
        seen: dict[str, MessageSpec] = {}
        for spec in sorted(messages, key=lambda m: m.type):
            key = form(spec)
            if key in reserved.get(label, ()):
                state.error(
                    spec.source,
                    "",
                    f"message type {spec.type!r} maps to the {label} {key!r}, which the "
                    "generated client already has; rename the message type",
                )
            elif key in seen:
                state.error(
                    spec.source,
                    "",
                    f"message type {spec.type!r} and {seen[key].type!r} both map to the "
                    f"{label} {key!r}; rename one of them",
                )
            else:
                seen[key] = spec


def _spelled_by(spell: Callable[[str], str]) -> Callable[[MessageSpec], str]:
    return lambda m: spell(m.type)
