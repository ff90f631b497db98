"""The intermediate representation every target renders from.

Targets never see YAML: the schema package turns the schema folder into one immutable Catalogue.
Named object types (message payloads, shared definitions and inline nested objects) are
hoisted into `Catalogue.types`; a field refers to one by name (`TypeExpr(kind="ref")`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Literal

Kind = Literal[
    "string",
    "integer",
    "number",
    "boolean",
    "null",
    "any",  # every value (a `true` or empty schema)
    "never",  # no value (a `false` schema)
    "array",
    "tuple",  # prefixItems: positional item types, then `items` for the rest
    "map",
    "ref",  # a named type: an ObjectType or, for recursive non-object definitions, an Alias
    "union",
]


@dataclass(frozen=True)
class TypeExpr:
    """The type of a field, an array item or a map value."""

    kind: Kind
    enum: tuple[Any, ...] = ()  # allowed literal values, when the schema restricts them
    format: str | None = None  # date-time, uri, uuid, ...
    items: TypeExpr | None = None  # kind == "array"
    values: TypeExpr | None = None  # kind == "map": the type of every value
    ref: str | None = None  # kind == "ref": the name of an ObjectType or Alias
    variants: tuple[TypeExpr, ...] = ()  # kind == "union"; kind == "tuple": positional items
    # kind == "tuple": how many leading items are always present (minItems); `items` is the
    # type of the items after the positional ones (kind "never" when there may be none).
    min_items: int = 0


@dataclass(frozen=True)
class Field:
    name: str  # the wire name, carried as-is (may be a keyword or contain hyphens)
    type: TypeExpr
    required: bool
    description: str
    secret: bool  # x-secret, or a credential-like name: never logged or shown
    pointer: str  # JSON pointer of the property inside its source file
    deprecated: bool = False
    read_only: bool = False  # readOnly: set by the server, not meant to be sent


@dataclass(frozen=True)
class ObjectType:
    name: str
    description: str
    fields: tuple[Field, ...]
    # None: closed (additionalProperties: false). Otherwise the type of extra values.
    extra: TypeExpr | None
    source: str  # schema file, relative to the schema folder
    pointer: str
    shared: bool  # defined in schemas/shared/
    message: str | None  # kebab name when this is a message payload

    def field(self, name: str) -> Field:
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(name)


@dataclass(frozen=True)
class Alias:
    """A named non-object type: a `$defs` entry that is an enum, a formatted string, a union
    or a recursive type (a tree of strings and arrays). Fields refer to it by name."""

    name: str
    description: str
    type: TypeExpr
    source: str
    pointer: str


@dataclass(frozen=True)
class MessageNames:
    """The case forms of a message type, the same for every target. A target's own spelling
    (its method name, with its keywords escaped) comes from its naming rules
    (`naming()` in its module, generator.targets.naming_rules), never from here."""

    kebab: str  # file-download-request (the message type on the wire)
    snake: str  # file_download_request
    camel: str  # fileDownloadRequest
    constant: str  # FILE_DOWNLOAD_REQUEST
    pascal: str  # FileDownloadRequest


@dataclass(frozen=True)
class MessageSpec:
    type: str  # kebab message type
    names: MessageNames
    title: str  # payload type name, e.g. FileDownloadRequestMessage
    description: str
    payload: ObjectType
    examples_json: tuple[str, ...]  # canonical JSON of each example payload
    source: str

    @property
    def examples(self) -> list[Any]:
        """A fresh copy of the example payloads (callers may mutate it)."""
        return [json.loads(e) for e in self.examples_json]

    @cached_property
    def first_example(self) -> Any | None:
        """The first example payload, decoded once and shared: read it, do not change it."""
        return json.loads(self.examples_json[0]) if self.examples_json else None


@dataclass(frozen=True)
class Catalogue:
    version: str
    messages: tuple[MessageSpec, ...]  # sorted by message type
    types: tuple[ObjectType, ...]  # every named object type, sorted by name
    # Canonical JSON of {"$defs": {TypeName: schema}}: every named type (and shared
    # non-object definition) with nested refs rewritten to "#/$defs/<Name>". Targets use it
    # for OpenAPI components, the runtime validators and `serve`.
    defs_json: str
    fingerprint: str  # sha256 of every input file: changes whenever the input does
    sources: tuple[tuple[str, str], ...] = field(default=())  # (relative path, sha256)
    # Every named non-object definition (an enum, a union, a recursive type), sorted by name.
    aliases: tuple[Alias, ...] = field(default=())
    # defs_json decoded, as the schema package had it already (a reload hands back the very objects
    # of unchanged definitions, so what targets make of them is found by identity).
    canonical_defs: dict[str, Any] | None = field(default=None, compare=False, repr=False)

    @cached_property
    def _aliases_by_name(self) -> dict[str, Alias]:
        return {a.name: a for a in self.aliases}

    def alias(self, name: str) -> Alias | None:
        """The non-object type of that name, or None when it names an ObjectType."""
        return self._aliases_by_name.get(name)

    def resolve(self, expr: TypeExpr) -> TypeExpr:
        """expr with references to aliases followed (as far as they are not recursive)."""
        seen: set[str] = set()
        while expr.kind == "ref" and expr.ref is not None and expr.ref not in seen:
            alias = self.alias(expr.ref)
            if alias is None:
                break
            seen.add(expr.ref)
            expr = alias.type
        return expr

    @cached_property
    def _types_by_name(self) -> dict[str, ObjectType]:
        return {t.name: t for t in self.types}

    def type(self, name: str) -> ObjectType:
        return self._types_by_name[name]

    def message(self, kebab: str) -> MessageSpec:
        for m in self.messages:
            if m.type == kebab:
                return m
        raise KeyError(kebab)

    @cached_property
    def secret_field_names(self) -> list[str]:
        """Names of every field marked secret anywhere, sorted: the runtimes redact these."""
        return sorted({f.name for t in self.types for f in t.fields if f.secret})

    @property
    def defs(self) -> dict[str, Any]:
        """A fresh copy of the bundled definitions (callers may mutate it)."""
        result: dict[str, Any] = json.loads(self.defs_json)["$defs"]
        return result

    @cached_property
    def shared_defs(self) -> dict[str, Any]:
        """The bundled definitions, decoded once and shared by every target: read them, never
        change them (`defs` is the copy to change)."""
        return self.canonical_defs if self.canonical_defs is not None else self.defs

    def referenced_types(self, root: str) -> list[str]:
        """Names of root and every $defs entry reachable from it, sorted, root first."""
        seen = reachable(self.shared_defs, root)
        return [root] + sorted(seen - {root})

    def message_schema(self, kebab: str) -> dict[str, Any]:
        """A standalone JSON Schema for one message payload, its dependencies in $defs (a
        fresh copy: callers may change it). Built from the shared definitions, so that one
        per message (serve compiles them all at start-up) does not decode every definition."""
        msg = self.message(kebab)
        defs = self.shared_defs
        names = self.referenced_types(msg.title)
        root = {k: v for k, v in defs[msg.title].items() if k != "examples"}
        deps = {n: defs[n] for n in names[1:]}
        schema: dict[str, Any] = {"$schema": "https://json-schema.org/draft/2020-12/schema"}
        schema.update(root)
        if deps:
            schema["$defs"] = deps
        copied: dict[str, Any] = json.loads(json.dumps(schema))
        return copied


def reachable(
    defs: dict[str, Any], root: str, known: dict[str, list[str]] | None = None
) -> set[str]:
    """root and the names of every bundled definition reachable from it through $refs.
    `known` remembers each definition's own references across calls over the same defs (the
    schema package asks once per message, and the shared definitions are reached from most)."""
    known = {} if known is None else known
    seen: set[str] = set()
    stack = [root]
    while stack:
        name = stack.pop()
        if name not in seen:
            seen.add(name)
            if name not in known:
                known[name] = refs_in(defs[name])
            stack.extend(known[name])
    return seen


# Keywords whose values are JSON data, not schemas: a "$ref" key inside them is no reference.
DATA_KEYWORDS = frozenset({"const", "enum", "default", "examples"})
# Keywords whose value maps names to schemas: there, `default` or `enum` is a property's
# name, and its schema is walked like any other.
NAME_MAPS = frozenset({"properties", "patternProperties", "dependentSchemas", "$defs"})


def refs_in(node: Any) -> list[str]:
    """Names of the `#/$defs/<Name>` entries a bundled schema node refers to."""
    found: list[str] = []
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/$defs/"):
            found.append(ref[len("#/$defs/") :])
        for key, value in node.items():
            if key in NAME_MAPS and isinstance(value, dict):
                for sub in value.values():
                    found.extend(refs_in(sub))
            elif key not in DATA_KEYWORDS:
                found.extend(refs_in(value))
    elif isinstance(node, list):
        for value in node:
            found.extend(refs_in(value))
    return found
