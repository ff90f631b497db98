"""The IR builder: a checked message file and the shared definitions it reaches become a
MessageSpec, its ObjectTypes and Aliases (named, hoisted, each once) and the bundled JSON
Schema of every named definition."""

from __future__ import annotations

import json
import re
from functools import partial
from pathlib import PurePosixPath
from typing import Any

from generator import naming
from generator.errors import pointer_join
from generator.ir import Alias, Field, MessageNames, MessageSpec, ObjectType, TypeExpr
from generator.schema.bundling import bundle
from generator.schema.checks import refs_ok
from generator.schema.refs import lookup, resolve
from generator.schema.shapes import (
    ANY,
    NEVER,
    SCALARS,
    Obj,
    Shape,
    enum_type,
    fits,
    intersect,
    kind_of_value,
    secret,
    union,
    with_required,
)
from generator.schema.state import Doc, State, in_shared


def _build_message(doc: Doc, state: State) -> MessageSpec | None:
    data = doc.data
    kebab = PurePosixPath(doc.rel).stem
    title = data["title"]
    before = len(state.errors)
    payload_ref = _build_type(data, doc.rel, "", title, state, message=kebab)
    if len(state.errors) > before or payload_ref.kind != "ref" or payload_ref.ref is None:
        return None
    names = MessageNames(
        kebab=kebab,
        snake=naming.snake(kebab),
        camel=naming.camel(kebab),
        constant=naming.constant(kebab),
        pascal=naming.pascal(kebab),
    )
    examples = tuple(
        json.dumps(example, sort_keys=True, ensure_ascii=False)
        for example in data.get("examples", [])
    )
    return MessageSpec(
        type=kebab,
        names=names,
        title=title,
        # Missing is reported by _check_message_root; the build still runs to find more.
        description=str(data.get("description") or "").strip(),
        payload=state.types[payload_ref.ref],
        examples_json=examples,
        source=doc.rel,
    )


def _build_type(
    node: Any,
    rel: str,
    pointer: str,
    hint: str,
    state: State,
    message: str | None = None,
) -> TypeExpr:
    """TypeExpr for a schema node; named objects are hoisted into state.types/defs."""
    shape = _shape(node, rel, pointer, hint, state)
    if isinstance(shape, Obj):
        return _hoist(shape, node, rel, pointer, hint, state, message)
    return shape


def _shape(node: Any, rel: str, pointer: str, hint: str, state: State) -> Shape:
    """The type a node describes: its own keywords, intersected with its `$ref` and `allOf`
    parts and with the union of its `oneOf`/`anyOf` branches. Keywords that only constrain
    values (`not`, `if`, `contains`, `dependentRequired`, bounds, ...) leave the type as it
    is: the validators enforce them."""
    if node is False:
        return NEVER
    if not isinstance(node, dict):
        return ANY
    # A sibling $ref and allOf parts first: `{$ref: Base, properties: {...}}` lists Base's
    # fields, then its own.
    parts: list[Shape] = []
    if "$ref" in node:
        parts.append(_build_ref(node, rel, pointer, state))
    own = _own_shape(node, rel, pointer, hint, state)
    named_parts = isinstance(own, Obj) and bool(own.fields)
    for index, sub in enumerate(node.get("allOf", [])):
        # Inline objects of a second object part get their own names: two parts may both
        # describe a nested object under the same property.
        part_hint = f"{hint}AllOf{index + 1}" if named_parts else hint
        part = _shape(sub, rel, pointer_join(pointer, "allOf", index), part_hint, state)
        named_parts = named_parts or (isinstance(part, Obj) and bool(part.fields))
        parts.append(part)
    parts.append(own)
    for combinator in ("oneOf", "anyOf"):
        if combinator in node:
            variants = [
                _build_type(
                    sub, rel, pointer_join(pointer, combinator, i), f"{hint}Variant{i + 1}", state
                )
                for i, sub in enumerate(node[combinator])
            ]
            parts.append(union(variants))
    shape = intersect(parts, state)
    if "required" in node and "properties" not in node:
        shape = with_required(shape, node["required"], state)
    return shape


def _own_shape(node: dict[str, Any], rel: str, pointer: str, hint: str, state: State) -> Shape:
    kind = node.get("type")
    enum: tuple[Any, ...] | None = None
    if "const" in node:
        enum = (node["const"],)
    elif "enum" in node:
        enum = tuple(node["enum"])
    if isinstance(kind, list):
        variants = [_own_shape({**node, "type": k}, rel, pointer, hint, state) for k in kind]
        return union(
            [
                _hoist(v, node, rel, pointer, hint, state, None) if isinstance(v, Obj) else v
                for v in variants
            ]
        )
    if kind is None:
        if enum is not None:
            return enum_type(enum)
        if any(k in node for k in ("properties", "additionalProperties", "patternProperties")):
            kind = "object"
        elif "items" in node or "prefixItems" in node:
            kind = "array"
        else:
            return ANY
    if enum is not None:
        allowed = [v for v in enum if kind_of_value(v) == kind or fits(v, kind)]
        if not allowed:
            return NEVER
        if kind in SCALARS:
            return TypeExpr(SCALARS[kind], enum=tuple(allowed))
    if kind == "object":
        return _object_shape(node, rel, pointer, hint, state)
    if kind == "array":
        return _array_type(node, rel, pointer, hint, state)
    if kind in SCALARS:
        fmt = node.get("format") if kind == "string" else None
        return TypeExpr(SCALARS[kind], format=fmt if isinstance(fmt, str) else None)
    return ANY  # the metaschema allows no other type name


def _array_type(node: dict[str, Any], rel: str, pointer: str, hint: str, state: State) -> TypeExpr:
    items_node = node.get("items", True)
    items = _build_type(items_node, rel, pointer_join(pointer, "items"), hint + "Item", state)
    prefix = node.get("prefixItems")
    if not isinstance(prefix, list):
        return TypeExpr("array", items=items)
    positional = tuple(
        _build_type(sub, rel, pointer_join(pointer, "prefixItems", i), f"{hint}Item{i + 1}", state)
        for i, sub in enumerate(prefix)
    )
    min_items = node.get("minItems", 0)
    return TypeExpr(
        "tuple",
        variants=positional,
        items=items,
        min_items=min(min_items, len(positional)) if isinstance(min_items, int) else 0,
    )


def _object_shape(node: dict[str, Any], rel: str, pointer: str, hint: str, state: State) -> Shape:
    properties = node.get("properties", {})
    additional = node.get("additionalProperties", True)
    base = hint[: -len("Message")] if hint.endswith("Message") else hint
    extras: list[TypeExpr] = []
    if additional is not False:
        extras.append(
            _build_type(
                additional,
                rel,
                pointer_join(pointer, "additionalProperties"),
                base + "Extra",
                state,
            )
        )
    for key, sub in node.get("patternProperties", {}).items():
        sub_pointer = pointer_join(pointer, "patternProperties", key)
        extras.append(_build_type(sub, rel, sub_pointer, base + "Extra", state))
    extra: TypeExpr | None = union(extras) if extras else None
    if extra is not None and node.get("unevaluatedProperties") is False and additional is True:
        if "patternProperties" not in node:
            extra = None  # only the listed (evaluated) properties may appear
    if not properties and extra is not None:
        return TypeExpr("map", values=extra)
    required = node.get("required", [])
    fields: dict[str, Field] = {}
    for index, (prop, sub) in enumerate(properties.items()):
        sub_pointer = pointer_join(pointer, "properties", prop)
        prop_hint = base + (naming.pascal(prop) or f"Field{index + 1}")
        expr = _build_type(sub, rel, sub_pointer, prop_hint, state)
        fields[prop] = _field(prop, sub, expr, prop in required, rel, sub_pointer, state)
    for name in required:
        if name not in fields:
            # Required but not described: any value, and it must be there.
            fields[name] = Field(name, ANY, True, "", secret(name, None), pointer)
    return Obj(fields, extra, str(node.get("description") or "").strip())


def _field(
    name: str, sub: Any, expr: TypeExpr, required: bool, rel: str, pointer: str, state: State
) -> Field:
    props = sub if isinstance(sub, dict) else {}
    description = props.get("description", "")
    if not description and "$ref" in props:
        target = resolve(rel, props["$ref"])
        if not isinstance(target, str):
            target_def = lookup(state.docs[target[0]].data, target[1])
            if isinstance(target_def, dict):
                description = target_def.get("description", "")
    return Field(
        name=name,
        type=expr,
        required=required,
        description=str(description or "").strip(),
        secret=secret(name, props.get("x-secret")),
        pointer=pointer,
        deprecated=props.get("deprecated") is True,
        read_only=props.get("readOnly") is True,
    )


def _hoist(
    obj: Obj,
    node: dict[str, Any],
    rel: str,
    pointer: str,
    hint: str,
    state: State,
    message: str | None,
) -> TypeExpr:
    title = node.get("title") if message is None else None
    name = hint
    if isinstance(title, str) and pointer and not pointer.startswith("/$defs/"):
        if not naming.PASCAL_RE.match(title):
            state.error(rel, pointer_join(pointer, "title"), f"{title!r} is not PascalCase")
            return ANY
        name = title
    if name.endswith("Message") and message is None:
        state.error(rel, pointer, f"only message payloads may be named '...Message' ({name})")
        return ANY
    if not _DEF_ROOT_RE.match(pointer) and not _claim_name(name, rel, pointer, state):
        return ANY
    state.types[name] = ObjectType(
        name=name,
        description=obj.description,
        fields=tuple(obj.fields.values()),
        extra=obj.extra,
        source=rel,
        pointer=pointer,
        shared=in_shared(rel),
        message=message,
    )
    state.hoisted[(rel, pointer)] = name
    state.defs[name] = bundle(
        node, rel, pointer, name, state.hoisted, partial(_bundled_ref, state=state)
    )
    return TypeExpr("ref", ref=name)


_DEF_ROOT_RE = re.compile(r"^/\$defs/[^/]+$")


def def_type_name(def_pointer: str) -> str:
    """The type name of `/$defs/<key>`: the key when it is PascalCase, else its PascalCase
    (`node` -> `Node`, `a_string` -> `AString`), made to start with a letter."""
    key = def_pointer.rsplit("/", 1)[1].replace("~1", "/").replace("~0", "~")
    if naming.PASCAL_RE.match(key):
        return key
    name = naming.pascal(key)
    return name if name[:1].isalpha() and name[:1].isupper() else "Def" + name


def _build_ref(node: dict[str, Any], rel: str, pointer: str, state: State) -> TypeExpr:
    target = resolve(rel, node["$ref"])
    assert not isinstance(target, str)  # checked by refs_ok
    target_rel, def_pointer = target
    key = (target_rel, def_pointer)
    if key in state.def_exprs:
        return state.def_exprs[key]
    name = def_type_name(def_pointer)
    if key in state.in_progress:
        # Recursion: the definition refers to itself, directly or through others. It is a
        # named type (an object, or an Alias made below once its body is known).
        state.recursive.add(key)
        return TypeExpr("ref", ref=name)
    if not _claim_name(name, target_rel, def_pointer, state):
        state.def_exprs[key] = ANY
        return ANY
    definition = lookup(state.docs[target_rel].data, def_pointer)
    state.in_progress.add(key)
    expr = _build_type(definition, target_rel, def_pointer, name, state)
    if state.hoisted.get(key) != name:
        # A non-object definition (an enum, a formatted string) is inlined in the IR but
        # keeps its own $defs entry in the bundled schema.
        state.defs[name] = bundle(
            definition,
            target_rel,
            def_pointer,
            name,
            state.hoisted,
            partial(_bundled_ref, state=state),
        )
    state.in_progress.discard(key)
    if state.hoisted.get(key) != name:
        # A non-object definition (an enum, a formatted string, a union) keeps its name in
        # every output: an Alias.
        if key in state.recursive:
            expr = _drop_self(expr, name)
        if expr == TypeExpr("ref", ref=name):
            state.error(
                target_rel,
                def_pointer,
                f"{name} is defined only as a reference to itself, which describes no value",
            )
            expr = ANY
        elif expr.kind != "any" or key in state.recursive:
            description = definition.get("description", "") if isinstance(definition, dict) else ""
            state.aliases[name] = Alias(
                name, str(description).strip(), expr, target_rel, def_pointer
            )
            expr = TypeExpr("ref", ref=name)
    state.def_exprs[key] = expr
    return expr


def _drop_self(expr: TypeExpr, name: str) -> TypeExpr:
    """A recursive union without its bare self-reference (`A = A | string` is just string);
    references under an array, map or object stay."""
    if expr.kind != "union":
        return expr
    rest = [v for v in expr.variants if v != TypeExpr("ref", ref=name)]
    if not rest:
        return expr
    return union(rest)


def _claim_name(name: str, rel: str, pointer: str, state: State) -> bool:
    if name in state.reserved_types:
        state.error(rel, pointer, f"type name {name!r} is reserved by the generated clients")
        return False
    owner = state.owner.get(name)
    if owner is not None and owner != (rel, pointer):
        other_rel, other_pointer = owner
        other = state.docs[other_rel].display if other_rel in state.docs else other_rel
        state.error(
            rel,
            pointer,
            f"type name {name!r} is already used by {other}#{other_pointer}; "
            "give this object a distinct `title`",
        )
        return False
    state.owner[name] = (rel, pointer)
    return True


def build_all(state: State, message_rels: list[str], valid_docs: set[str]) -> list[MessageSpec]:
    messages: list[MessageSpec] = []
    for rel in message_rels:
        if rel in valid_docs and refs_ok(state.docs[rel], state, valid_docs):
            spec = _build_message(state.docs[rel], state)
            if spec is not None:
                messages.append(spec)
    return messages


def _bundle(node: Any, rel: str, pointer: str, name: str, state: State) -> Any:
    return bundle(node, rel, pointer, name, state.hoisted, partial(_bundled_ref, state=state))


def _bundled_ref(ref: str, rel: str, pointer: str, state: State) -> str:
    """The bundled name a $ref points at. A $ref the type builder never followed (inside
    `not`, `if`, `contains`, ...) is built here, so its definition is in the bundle too."""
    _build_ref({"$ref": ref}, rel, pointer, state)
    target = resolve(rel, ref)
    assert not isinstance(target, str)
    return def_type_name(target[1])
