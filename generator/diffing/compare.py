"""Two Catalogues -> classified Changes, compared shape by shape.

The walk runs over the IR (fields, TypeExpr, ObjectType.extra), so names never matter:
renaming a shared definition, or moving an inline object into `shared/` with the same
shape, is no change. Validation keywords the IR does not model (minimum, maxLength,
pattern, ...) are compared on the bundled schema node found at the same place, so a new
constraint is not silently missed; a keyword not known here counts as breaking when added
or changed and as additive when removed.

Every change is attributed to each message whose payload reaches it, under the path it is
reached by (`storageLocation.bucket`, `options.steps[].name`, `metadata{}`).

A change is breaking unless it provably accepts every payload the old schema accepted. Where
that cannot be decided (two different regexes, two different `not` or `if` subschemas, a
new `patternProperties` subschema over keys an open object used to take as they were) the
change is breaking with the detail "not proven compatible". Recursive types are compared
once per pair of names, so the walk ends on cycles.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from generator.diffing import keywords
from generator.diffing.model import Change, Severity
from generator.ir import Catalogue, Field, MessageSpec, TypeExpr


def diff_catalogues(old: Catalogue, new: Catalogue) -> list[Change]:
    """Every change from old to new, deduplicated and sorted by message, severity, path."""
    old_defs, new_defs = old.defs, new.defs
    found: set[Change] = set()
    old_messages = {m.type: m for m in old.messages}
    new_messages = {m.type: m for m in new.messages}
    for kebab in sorted(set(old_messages) | set(new_messages)):
        if kebab not in new_messages:
            found.add(Change(kebab, "", "breaking", "message-removed", "message type removed"))
        elif kebab not in old_messages:
            found.add(Change(kebab, "", "additive", "message-added", "message type added"))
        else:
            walk = _Walk((old, new), (old_defs, new_defs), kebab, found)
            walk.messages(old_messages[kebab], new_messages[kebab])
    return sorted(found, key=lambda c: c.sort_key)


@dataclass
class _Object:
    """An object position: a named ObjectType, or a map (no fields, every key is extra)."""

    name: str | None  # None for a map
    fields: dict[str, Field]
    extra: TypeExpr | None
    description: str | None  # None for a map: its description sits on the position node
    keywords: dict[str, Any]  # in force at the position: the definition's, then the position's
    field_nodes: dict[str, Any]
    extra_node: Any


@dataclass
class _Walk:
    catalogues: tuple[Catalogue, Catalogue]  # old, new
    defs: tuple[dict[str, Any], dict[str, Any]]  # their bundled definitions, parsed once
    message: str
    found: set[Change]
    stack: set[tuple[str, str]] = field(default_factory=set)

    def add(self, path: str, severity: Severity, code: str, detail: str) -> None:
        self.found.add(Change(self.message, path, severity, code, detail))

    def messages(self, a: MessageSpec, b: MessageSpec) -> None:
        if a.description != b.description:
            self.add("", "docs", "description-changed", "description changed")
        if a.examples_json != b.examples_json:
            self.add("", "docs", "examples-changed", "examples changed")
        root_a = TypeExpr("ref", ref=a.payload.name)
        root_b = TypeExpr("ref", ref=b.payload.name)
        self.types(root_a, root_b, {}, {}, "")

    # ----------------------------------------------------------------- one position

    def position(self, a: TypeExpr, b: TypeExpr, node_a: Any, node_b: Any, path: str) -> None:
        """Compare the types found at the same place, with the schema nodes that hold them."""
        alias_a, alias_b = self.alias_name(a, 0), self.alias_name(b, 1)
        if alias_a is not None or alias_b is not None:
            # A named non-object type: compare what it stands for, once per pair of names
            # (a recursive alias reaches itself again).
            key = ("=" + (alias_a or ""), "=" + (alias_b or ""))
            if key in self.stack:
                return
            self.stack.add(key)
            if alias_a is not None:
                a, node_a = self.catalogues[0].resolve(a), self.defs[0].get(alias_a, node_a)
            if alias_b is not None:
                b, node_b = self.catalogues[1].resolve(b), self.defs[1].get(alias_b, node_b)
            self.position(a, b, node_a, node_b, path)
            self.stack.discard(key)
            return
        ra = _resolve(node_a, a, self.defs[0])
        rb = _resolve(node_b, b, self.defs[1])
        if a.kind == "union" or b.kind == "union":
            self.unions(a, b, ra, rb, path)
            return
        if _family(a) != "object" and _family(b) != "object":
            self.keywords(ra, rb, path)  # an object's keywords are compared with its fields
        self.types(a, b, ra, rb, path)

    def alias_name(self, expr: TypeExpr, side: int) -> str | None:
        if expr.kind == "ref" and expr.ref is not None:
            if self.catalogues[side].alias(expr.ref) is not None:
                return expr.ref
        return None

    def types(
        self, a: TypeExpr, b: TypeExpr, ra: dict[str, Any], rb: dict[str, Any], path: str
    ) -> None:
        if a.kind == "never" or b.kind == "never":
            if a.kind == b.kind:
                return
            if a.kind == "never":
                detail = f"now accepts {describe(b)} where it accepted no value"
                self.add(path, "additive", "type-widened", detail)
            else:
                self.add(path, "breaking", "type-narrowed", "no longer accepts any value")
            return
        if a.kind == "any" or b.kind == "any":
            if a.kind == b.kind:
                return
            if a.kind == "any":
                detail = f"type narrowed from any value to {describe(b)}"
                self.add(path, "breaking", "type-narrowed", detail)
            else:
                detail = f"type widened from {describe(a)} to any value"
                self.add(path, "additive", "type-widened", detail)
            return
        family = _family(a)
        if family != _family(b):
            detail = f"type changed from {describe(a)} to {describe(b)}"
            self.add(path, "breaking", "type-changed", detail)
        elif family == "object":
            self.objects(self.view(a, ra, 0), self.view(b, rb, 1), path)
        elif family == "array":
            self.arrays(a, b, ra, rb, path)
        else:
            self.scalars(a, b, path)

    # ----------------------------------------------------------------- kinds

    def scalars(self, a: TypeExpr, b: TypeExpr, path: str) -> None:
        if a.kind == "integer" and b.kind == "number":
            self.add(path, "additive", "type-widened", "type widened from integer to number")
        elif a.kind == "number" and b.kind == "integer":
            self.add(path, "breaking", "type-narrowed", "type narrowed from number to integer")
        if a.format != b.format:
            if a.format is None:
                self.add(path, "breaking", "format-added", f"format {b.format} added")
            elif b.format is None:
                self.add(path, "additive", "format-removed", f"format {a.format} removed")
            else:
                detail = f"format changed from {a.format} to {b.format}"
                self.add(path, "breaking", "format-changed", detail)
        old_values = [keywords.canon(v) for v in a.enum]
        new_values = [keywords.canon(v) for v in b.enum]
        if old_values == new_values:
            return
        if not old_values:
            detail = f"restricted to the values {', '.join(new_values)}"
            self.add(path, "breaking", "enum-added", detail)
        elif not new_values:
            detail = "no longer restricted to a fixed set of values"
            self.add(path, "additive", "enum-removed", detail)
        else:
            for value in old_values:
                if value not in new_values:
                    detail = f"enum value {value} removed"
                    self.add(path, "breaking", "enum-value-removed", detail)
            for value in new_values:
                if value not in old_values:
                    self.add(path, "additive", "enum-value-added", f"enum value {value} added")

    def arrays(
        self, a: TypeExpr, b: TypeExpr, ra: dict[str, Any], rb: dict[str, Any], path: str
    ) -> None:
        """Arrays and tuples (prefixItems): position by position, then the rest."""
        old_prefix = a.variants if a.kind == "tuple" else ()
        new_prefix = b.variants if b.kind == "tuple" else ()
        nodes_a: list[Any] = ra.get("prefixItems") or []
        nodes_b: list[Any] = rb.get("prefixItems") or []
        rest_a = a.items or TypeExpr("any")
        rest_b = b.items or TypeExpr("any")
        for i in range(max(len(old_prefix), len(new_prefix))):
            x = old_prefix[i] if i < len(old_prefix) else rest_a
            y = new_prefix[i] if i < len(new_prefix) else rest_b
            node_x = nodes_a[i] if i < len(nodes_a) else ra.get("items")
            node_y = nodes_b[i] if i < len(nodes_b) else rb.get("items")
            self.position(x, y, node_x, node_y, f"{path}[{i}]")
        self.position(rest_a, rest_b, ra.get("items"), rb.get("items"), path + "[]")

    def view(self, expr: TypeExpr, node: dict[str, Any], side: int) -> _Object:
        """The object at a position; side 0 is the old catalogue, 1 the new one."""
        if expr.kind == "map":
            assert expr.values is not None
            extra_node = node.get("additionalProperties")
            return _Object(None, {}, expr.values, None, node, {}, extra_node)
        assert expr.ref is not None
        obj = self.catalogues[side].type(expr.ref)
        definition = self.defs[side].get(obj.name, {})
        properties = definition.get("properties", {})
        return _Object(
            name=obj.name,
            fields={f.name: f for f in obj.fields},
            extra=obj.extra,
            description=obj.description,
            keywords={**definition, **node},
            field_nodes=properties if isinstance(properties, dict) else {},
            extra_node=definition.get("additionalProperties"),
        )

    def objects(self, a: _Object, b: _Object, path: str) -> None:
        key = (a.name or "{}", b.name or "{}")
        if key in self.stack:  # a recursive type: this pair is being compared further up
            return
        self.stack.add(key)
        if a.description is not None and b.description is not None:
            if a.description != b.description:  # the type's own docs, even if a field overrides
                self.add(path, "docs", "description-changed", "description changed")
        self.keywords(a.keywords, b.keywords, path)
        self.dependent_required(a.keywords, b.keywords, path)
        self.pattern_properties(a, b, path)
        for name in sorted(set(a.fields) | set(b.fields)):
            self.fields(a, b, name, f"{path}.{name}" if path else name)
        if a.extra is None and b.extra is not None:
            detail = "object opened: extra keys are now allowed"
            self.add(path, "additive", "object-opened", detail)
        elif a.extra is not None and b.extra is None:
            detail = "object closed: extra keys are no longer allowed"
            self.add(path, "breaking", "object-closed", detail)
        elif a.extra is not None and b.extra is not None:
            self.position(a.extra, b.extra, a.extra_node, b.extra_node, path + "{}")
        self.stack.discard(key)

    def fields(self, a: _Object, b: _Object, name: str, path: str) -> None:
        old, new = a.fields.get(name), b.fields.get(name)
        if new is None:
            self.add(path, "breaking", "field-removed", "field removed")
            return
        if old is None:
            if new.required:
                detail = f"required field added ({describe(new.type)})"
                self.add(path, "breaking", "required-field-added", detail)
            else:
                detail = f"optional field added ({describe(new.type)})"
                self.add(path, "additive", "field-added", detail)
            return
        if new.required and not old.required:
            self.add(path, "breaking", "field-required", "field became required")
        elif old.required and not new.required:
            self.add(path, "additive", "field-optional", "field became optional")
        if old.description != new.description:
            self.add(path, "docs", "description-changed", "description changed")
        if old.secret != new.secret:
            detail = "now marked secret" if new.secret else "no longer marked secret"
            self.add(path, "docs", "secret-changed", detail)
        self.position(old.type, new.type, a.field_nodes.get(name), b.field_nodes.get(name), path)

    def unions(
        self, a: TypeExpr, b: TypeExpr, ra: dict[str, Any], rb: dict[str, Any], path: str
    ) -> None:
        """Pair the alternatives of each side by kind; unpaired ones were dropped or added."""
        old_variants = _variants(a, ra)
        new_variants = _variants(b, rb)
        pending = list(new_variants)
        pairs = []
        dropped = []
        for variant in old_variants:
            match = next((v for v in pending if _family(v[0]) == _family(variant[0])), None)
            if match is None:
                dropped.append(variant[0])
            else:
                pending.remove(match)
                pairs.append((variant, match))
        if not pairs:
            detail = f"type changed from {describe(a)} to {describe(b)}"
            self.add(path, "breaking", "type-changed", detail)
            return
        for (x, node_x), (y, node_y) in pairs:
            self.position(x, y, node_x, node_y, path)
        for x in dropped:
            self.add(path, "breaking", "type-narrowed", f"no longer accepts {describe(x)}")
        for y, _ in pending:
            self.add(path, "additive", "type-widened", f"now also accepts {describe(y)}")

    def dependent_required(self, a: dict[str, Any], b: dict[str, Any], path: str) -> None:
        old, new = a.get("dependentRequired") or {}, b.get("dependentRequired") or {}
        for key in sorted(set(old) | set(new)):
            before, after = set(old.get(key, [])), set(new.get(key, []))
            for name in sorted(after - before):
                detail = f"{name} now required when {key} is present"
                self.add(path, "breaking", "dependency-added", detail)
            for name in sorted(before - after):
                detail = f"{name} no longer required when {key} is present"
                self.add(path, "additive", "dependency-removed", detail)

    def pattern_properties(self, a: _Object, b: _Object, path: str) -> None:
        """A pattern decides which keys its subschema governs instead of
        additionalProperties; a subschema that is not `true` is compared only as text."""
        old = a.keywords.get("patternProperties") or {}
        new = b.keywords.get("patternProperties") or {}
        old_extra = a.keywords.get("additionalProperties", True)
        new_extra = b.keywords.get("additionalProperties", True)
        for pattern in sorted(set(old) | set(new)):
            where = f"patternProperties {pattern!r}"
            if pattern not in old:
                declared = [name for name in a.fields if keywords.may_match(pattern, name)]
                if keywords.anything(new[pattern]) or (old_extra is False and not declared):
                    # Admits keys the closed object refused, constrains none it took.
                    self.add(path, "additive", "pattern-properties-added", f"{where} added")
                elif keywords.anything(old_extra):
                    detail = f"{where} added: keys it matches were free"
                    self.add(path, "breaking", "constraint-narrowed", detail)
                else:
                    self.not_proven(path, f"{where} added")
            elif pattern not in new:
                if keywords.anything(new_extra):
                    detail = f"{where} removed: its keys take any value"
                    self.add(path, "additive", "pattern-properties-removed", detail)
                elif new_extra is False:
                    detail = f"{where} removed: its keys are refused"
                    self.add(path, "breaking", "constraint-narrowed", detail)
                else:
                    self.not_proven(path, f"{where} removed")
            elif keywords.canon(old[pattern]) != keywords.canon(new[pattern]):
                if keywords.anything(new[pattern]):
                    detail = f"{where} now takes any value"
                    self.add(path, "additive", "pattern-properties-widened", detail)
                else:
                    self.not_proven(path, f"{where} changed")

    def not_proven(self, path: str, what: str) -> None:
        self.add(path, "breaking", "not-proven-compatible", f"{what}: not proven compatible")

    # ----------------------------------------------------------------- raw keywords

    def keywords(self, a: dict[str, Any], b: dict[str, Any], path: str) -> None:
        for key in sorted(set(a) | set(b)):
            if key in keywords.STRUCTURAL or key in keywords.IGNORED:
                continue
            old, new = a.get(key, keywords.MISSING), b.get(key, keywords.MISSING)
            if keywords.canon(old) == keywords.canon(new):
                continue
            if key == "description":
                self.add(path, "docs", "description-changed", "description changed")
            elif key in keywords.ANNOTATIONS:
                self.add(path, "docs", "annotation-changed", keywords.keyword_detail(key, old, new))
            elif keywords.undecidable(key, old, new):
                self.not_proven(path, keywords.keyword_detail(key, old, new))
            elif keywords.narrows(key, old, new):
                self.add(
                    path, "breaking", "constraint-narrowed", keywords.keyword_detail(key, old, new)
                )
            else:
                self.add(
                    path, "additive", "constraint-widened", keywords.keyword_detail(key, old, new)
                )


def _family(expr: TypeExpr) -> str:
    if expr.kind in ("ref", "map"):
        return "object"
    if expr.kind in ("integer", "number"):
        return "number"
    if expr.kind == "tuple":
        return "array"
    return expr.kind


def _resolve(node: Any, expr: TypeExpr, defs: dict[str, Any], depth: int = 0) -> dict[str, Any]:
    """The keywords in force at a position.

    A `$ref` to a shared non-object definition (an enum, a formatted string) is inlined in the
    IR, so its keywords apply here. An object's own keywords are compared with the object;
    only its description shows through, as the default description of the position (so an
    inline object moved into `shared/` keeps its description).
    """
    if not isinstance(node, dict):
        return {}
    ref = node.get("$ref")
    siblings = {k: v for k, v in node.items() if k != "$ref"}
    if not isinstance(ref, str) or depth > 32:
        return siblings
    target = defs.get(ref.rsplit("/", 1)[-1])
    if expr.kind == "ref":
        if isinstance(target, dict) and "description" in target:
            return {"description": target["description"], **siblings}
        return siblings
    return {**_resolve(target, expr, defs, depth + 1), **siblings}


def _variants(expr: TypeExpr, node: dict[str, Any]) -> list[tuple[TypeExpr, dict[str, Any]]]:
    """Each alternative with the keywords in force for it."""
    if expr.kind != "union":
        return [(expr, node)]
    for combinator in ("anyOf", "oneOf"):
        options = node.get(combinator)
        if isinstance(options, list) and len(options) == len(expr.variants):
            shared = {k: v for k, v in node.items() if k != combinator}
            return [
                (variant, {**shared, **option}) if isinstance(option, dict) else (variant, shared)
                for variant, option in zip(expr.variants, options, strict=True)
            ]
    # `type: [string, "null"]`: every alternative is the same node with one type.
    return [(variant, {**node, "type": variant.kind}) for variant in expr.variants]


def describe(expr: TypeExpr) -> str:
    """A short human name for a type, e.g. `array of string (uuid)`."""
    if expr.kind == "any":
        return "any value"
    if expr.kind == "ref":
        return "object"
    if expr.kind == "never":
        return "no value"
    if expr.kind == "array":
        assert expr.items is not None
        return f"array of {describe(expr.items)}"
    if expr.kind == "tuple":
        return "tuple of " + ", ".join(describe(v) for v in expr.variants)
    if expr.kind == "map":
        assert expr.values is not None
        if expr.values.kind == "any":
            return "free-form object"
        return f"map of {describe(expr.values)}"
    if expr.kind == "union":
        return " or ".join(describe(v) for v in expr.variants)
    text: str = expr.kind
    if expr.format:
        text += f" ({expr.format})"
    if expr.enum:
        text += " " + " | ".join(keywords.canon(v) for v in expr.enum)
    return text
