"""The type algebra of the IR builder: the shape of an object while it is built (Obj), and
unions, intersections, narrowing and merging of shapes. Pure: it reads the types built so
far, never builds."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from generator.contract import SECRET_NAME_RE
from generator.ir import Field, Kind, TypeExpr
from generator.schema.state import State

# The TypeExprs every builder shares.
ANY = TypeExpr("any")
NEVER = TypeExpr("never")


@dataclass
class Obj:
    """An object shape while it is being built: merged from the node's own `properties`, a
    sibling `$ref` and `allOf` parts before it becomes one named ObjectType."""

    fields: dict[str, Field]
    extra: TypeExpr | None  # None: closed
    description: str = ""


Shape = TypeExpr | Obj


def with_required(shape: Shape, names: list[str], state: State) -> Shape:
    """`{$ref: Base, required: [k]}`: Base with k required, as a type of its own."""
    if isinstance(shape, TypeExpr):
        if shape.kind != "ref" or shape.ref not in state.types:
            return shape
        obj = state.types[shape.ref]
        if all(obj.field(n).required for n in names if n in {f.name for f in obj.fields}):
            if set(names) <= {f.name for f in obj.fields}:
                return shape
        shape = Obj({f.name: f for f in obj.fields}, obj.extra, obj.description)
    fields = dict(shape.fields)
    for name in names:
        old = fields.get(name)
        fields[name] = (
            replace(old, required=True)
            if old is not None
            else Field(name, ANY, True, "", secret(name, None), "")
        )
    return Obj(fields, shape.extra, shape.description)


SCALARS: dict[str, Kind] = {
    "string": "string",
    "integer": "integer",
    "number": "number",
    "boolean": "boolean",
    "null": "null",
}


def kind_of_value(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "integer" if value.is_integer() else "number"
    if isinstance(value, str):
        return "string"
    if value is None:
        return "null"
    return "array" if isinstance(value, list) else "object"


def fits(value: Any, kind: str) -> bool:
    return kind == "number" and kind_of_value(value) == "integer"


def enum_type(values: tuple[Any, ...]) -> TypeExpr:
    """A union of literal types, one variant per JSON type among the values; objects and
    arrays in an enum cannot be spelled as literals, so they make it `any`."""
    by_kind: dict[str, list[Any]] = {}
    for value in values:
        by_kind.setdefault(kind_of_value(value), []).append(value)
    if not by_kind:
        return NEVER
    if "array" in by_kind or "object" in by_kind:
        return ANY
    return union([TypeExpr(SCALARS[k], enum=tuple(vs)) for k, vs in by_kind.items()])


def secret(name: str, flag: Any) -> bool:
    return bool(flag) if flag is not None else bool(SECRET_NAME_RE.search(name))


def union(variants: Sequence[Shape]) -> TypeExpr:
    """One variant stays itself; `any` absorbs the others; `never` and repeats drop out."""
    unique: list[TypeExpr] = []
    for variant in variants:
        if isinstance(variant, Obj):
            return ANY  # only own shapes of a `type` list get here; not an object union
        flat = variant.variants if variant.kind == "union" else (variant,)
        for v in flat:
            if v.kind == "any":
                return ANY
            if v.kind != "never" and v not in unique:
                unique.append(v)
    if not unique:
        return NEVER
    return unique[0] if len(unique) == 1 else TypeExpr("union", variants=tuple(unique))


def intersect(parts: list[Shape], state: State) -> Shape:
    """The type of a value that matches every part, as far as a type can say it: objects are
    merged into one; otherwise the most specific part wins (a type may be wider than the
    schema, never narrower for the common cases; the validators decide)."""
    informative = [p for p in parts if isinstance(p, Obj) or p.kind != "any"]
    if not informative:
        return ANY
    if any(isinstance(p, TypeExpr) and p.kind == "never" for p in informative):
        return NEVER
    objects = [p for p in informative if _objectish(p, state)]
    if len(objects) == len(informative):
        if len(objects) == 1:
            return objects[0]
        return _merge_objects(objects, state)
    plain = [p for p in informative if isinstance(p, TypeExpr) and p.kind != "union"]
    if not plain:
        return informative[0]
    first = plain[0]
    for other in plain[1:]:
        first = _narrow(first, other)
    return first


def _narrow(a: TypeExpr, b: TypeExpr) -> TypeExpr:
    kinds = {a.kind, b.kind}
    if a.kind == b.kind or kinds == {"integer", "number"}:
        kind = "integer" if "integer" in kinds else a.kind
        if a.enum and b.enum:
            enum = tuple(v for v in a.enum if v in b.enum)
            if not enum:
                return NEVER
        else:
            enum = a.enum or b.enum
        return TypeExpr(
            kind,
            enum=enum,
            format=a.format or b.format,
            items=a.items,
            values=a.values,
            ref=a.ref,
            variants=a.variants,
            min_items=a.min_items,
        )
    return a


def _objectish(shape: Shape, state: State) -> bool:
    if isinstance(shape, Obj):
        return True
    if shape.kind == "map":
        return True
    return shape.kind == "ref" and shape.ref is not None and shape.ref not in state.aliases


def _merge_objects(parts: list[Shape], state: State) -> Shape:
    fields: dict[str, Field] = {}
    extra: TypeExpr | None = ANY
    description = ""
    unresolved: list[TypeExpr] = []
    for part in parts:
        if isinstance(part, Obj):
            part_fields, part_extra, part_description = part.fields, part.extra, part.description
        elif part.kind == "map":
            part_fields, part_extra, part_description = {}, part.values, ""
        elif part.ref in state.types:
            obj = state.types[part.ref]
            part_fields = {f.name: f for f in obj.fields}
            part_extra, part_description = obj.extra, obj.description
        else:
            unresolved.append(part)  # a type still being built (a cycle through allOf)
            continue
        description = description or part_description
        for name, new in part_fields.items():
            old = fields.get(name)
            if old is None:
                fields[name] = new
            else:
                fields[name] = replace(
                    old,
                    type=_narrow(old.type, new.type) if old.type.kind != "any" else new.type,
                    required=old.required or new.required,
                    description=old.description or new.description,
                    secret=old.secret or new.secret,
                    deprecated=old.deprecated or new.deprecated,
                    read_only=old.read_only or new.read_only,
                )
        if part_extra is None:
            extra = None
        elif extra is not None and extra.kind == "any":
            extra = part_extra
    if not fields and extra is not None and unresolved:
        return unresolved[0]
    if not fields and extra is not None:
        return TypeExpr("map", values=extra)
    return Obj(fields, extra, description)
