"""What a load works on: each file read (Doc), and everything the checks and the builder
found or made so far (State), with the errors."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from generator import targets
from generator.errors import SchemaError
from generator.ir import Alias, ObjectType, TypeExpr
from generator.schema.refs import find_refs

SHARED_DIR = "shared"


@dataclass
class Doc:
    rel: str  # path relative to the schema folder, with forward slashes
    display: str  # path as shown to the user
    data: Any
    meta_valid: bool = False  # passed the metaschema in an earlier run (from the cache)
    sha: str = ""
    refs: list[tuple[str, str]] | None = None  # (pointer, $ref) of every $ref, once found
    cross_refs: bool | None = None  # refers into another message file (once found)
    # The file's signature (lstat) taken just before the read that gave these bytes, and
    # when: what lets a reload trust an unchanged file without reading it (unchanged_since).
    seen: tuple[int, int, int, int, int] | None = None
    seen_at: int = 0

    def find_refs(self) -> list[tuple[str, str]]:
        if self.refs is None:
            self.refs = find_refs(self.data, "")
        return self.refs


@dataclass
class State:
    display_root: str
    docs: dict[str, Doc] = field(default_factory=dict)
    errors: list[SchemaError] = field(default_factory=list)
    types: dict[str, ObjectType] = field(default_factory=dict)
    defs: dict[str, Any] = field(default_factory=dict)  # bundled JSON Schema per name
    owner: dict[str, tuple[str, str]] = field(default_factory=dict)  # name -> (rel, pointer)
    def_exprs: dict[tuple[str, str], TypeExpr] = field(default_factory=dict)  # built $defs
    hoisted: dict[tuple[str, str], str] = field(default_factory=dict)  # object -> type name
    in_progress: set[tuple[str, str]] = field(default_factory=set)
    recursive: set[tuple[str, str]] = field(default_factory=set)  # $defs reached from inside
    aliases: dict[str, Alias] = field(default_factory=dict)  # recursive non-object $defs
    def_refs: dict[str, list[str]] = field(default_factory=dict)  # for ir.reachable, once built
    # name -> (the built definition, `"<name>": <its canonical JSON>`, that JSON decoded):
    # what the Catalogue carries of it, made once per built definition (a reload keeps
    # unchanged ones).
    canonical: dict[str, tuple[Any, str, Any]] = field(default_factory=dict)
    # Type names some target's package keeps for itself (read from the runtimes).
    reserved_types: frozenset[str] = field(default_factory=targets.reserved_type_names)

    def error(self, rel: str, pointer: str, message: str) -> None:
        doc = self.docs.get(rel)
        display = doc.display if doc else display_of(self.display_root, rel)
        self.errors.append(SchemaError(display, pointer, message))


def display_of(root: str, rel: str) -> str:
    return rel if root in ("", ".") else f"{root.rstrip('/')}/{rel}"


def in_shared(rel: str) -> bool:
    return rel.startswith(SHARED_DIR + "/")
