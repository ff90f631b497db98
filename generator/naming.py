"""The case forms of a message type, and the shape of a target's naming rules. What a form
must escape in one language (a keyword, a reserved member) is that target's own rule."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

KEBAB_RE = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
PASCAL_RE = re.compile(r"^[A-Z][A-Za-z0-9]*$")
IDENT_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


@dataclass(frozen=True)
class NamingRules:
    """A target's identifier rules, declared by the target (`def naming()` in its module):
    how it spells a message type's method, and the names its package keeps for itself. The
    schema package refuses message types and schema type names that would collide with them."""

    language: str  # for messages: "the Python method 'x'"
    method: Callable[[str], str]  # kebab message type -> method name
    reserved_members: frozenset[str]  # members of the client a message method may not take
    reserved_types: frozenset[str]  # names a schema type (payload, shared, nested) may not take


def snake(kebab: str) -> str:
    return kebab.replace("-", "_")


def camel(kebab: str) -> str:
    head, *rest = kebab.split("-")
    return head + "".join(p[:1].upper() + p[1:] for p in rest)


def constant(kebab: str) -> str:
    return kebab.replace("-", "_").upper()


def pascal(text: str) -> str:
    """PascalCase of a kebab, snake, camel or spaced name: storage-location -> StorageLocation."""
    parts = re.split(r"[^A-Za-z0-9]+", text)
    return "".join(p[:1].upper() + p[1:] for p in parts if p)


def template_lines(text: str) -> str:
    """A Jinja template's text without the lines that hold template syntax: what is left is
    plain source, the same for every catalogue."""
    return "\n".join(line for line in text.splitlines() if "{{" not in line and "{%" not in line)
