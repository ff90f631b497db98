"""The per-file checks: the JSON data model, the 2020-12 metaschema, the project's
conventions (titles, x- keywords, patterns, what a shared file holds), and that every
`$ref` reachable from a message resolves."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from generator import naming, regex
from generator.errors import pointer_join
from generator.ir import DATA_KEYWORDS, NAME_MAPS
from generator.schema.refs import lookup, resolve
from generator.schema.state import Doc, State, in_shared
from generator.schema.yamlio import non_json_values
from generator.semantics import subschemas

KNOWN_X_KEYWORDS = frozenset({"x-secret"})
# What the generator does not carry into every output, and why (schemas/README.md lists the
# same). Everything else of JSON Schema 2020-12 is accepted and enforced by the validators.
UNSUPPORTED_KEYWORDS = {
    "$dynamicRef": "dynamic references are not supported; use $ref",
    "$dynamicAnchor": "dynamic anchors are not supported; use $defs and $ref",
    "$anchor": "anchors are not supported; a $ref names a definition: '#/$defs/<Name>'",
    "$id": "a nested $id is not supported: references resolve against the file",
}


def metaschema_errors(docs: list[Doc]) -> dict[str, list[tuple[str, str]]]:
    """(pointer, message) per file for every metaschema violation, in a stable order.

    jsonschema_rs (compiled) is the gate: a file it finds valid against the 2020-12
    metaschema has no violations. Only the files it rejects go through jsonschema, whose
    messages the schema package reports (and which has the last word: if it finds nothing, the file
    is valid). tests/core/test_speedups.py shows both agree on every real schema and on
    hundreds of mutated ones.
    """
    checkable = [
        doc for doc in docs if isinstance(doc.data, dict) and not any(non_json_values(doc.data))
    ]
    if not checkable:
        return {}
    gate = metaschema_gate()
    rejected = [doc for doc in checkable if not gate(doc.data)]
    # jsonschema costs 0.2 s to import: only a run with a rejected file pays it.
    return _meta_check(rejected) if rejected else {}


@functools.cache  # one compiled validator per process (a watcher checks every save)
def metaschema_gate() -> Callable[[Any], bool]:
    import jsonschema_rs

    # jsonschema_rs carries the 2020-12 metaschemas itself: referring to one costs no
    # download and no import of jsonschema (which only the error path needs).
    validator = jsonschema_rs.Draft202012Validator({"$ref": META_SCHEMA_ID})
    is_valid: Callable[[Any], bool] = validator.is_valid
    return is_valid


META_SCHEMA_ID = "https://json-schema.org/draft/2020-12/schema"


def _meta_check(docs: list[Doc]) -> dict[str, list[tuple[str, str]]]:
    from jsonschema import Draft202012Validator

    meta = Draft202012Validator(Draft202012Validator.META_SCHEMA)
    found: dict[str, list[tuple[str, str]]] = {}
    for doc in docs:
        errors = sorted(meta.iter_errors(doc.data), key=lambda e: list(map(str, e.absolute_path)))
        found[doc.rel] = [
            (pointer_join("", *err.absolute_path), _meta_message(err)) for err in errors
        ]
    return found


def check_document(doc: Doc, state: State, meta_errors: dict[str, list[tuple[str, str]]]) -> bool:
    """JSON data model, the 2020-12 metaschema and the project's conventions."""
    before = len(state.errors)
    for pointer, problem in non_json_values(doc.data):
        state.error(doc.rel, pointer, problem)
    if len(state.errors) > before:
        return False
    if not isinstance(doc.data, dict):
        state.error(doc.rel, "", "a schema file must hold a mapping at the top level")
        return False
    if not doc.meta_valid:
        for pointer, message in meta_errors.get(doc.rel, []):
            state.error(doc.rel, pointer, message)
        if len(state.errors) > before:
            return False

    # Convention errors are reported but do not stop the build, so that one run shows
    # every problem (a bad title does not hide a bare object further down).
    _check_x_keywords(doc.data, doc, "", state)
    for node, pointer in subschemas(doc.data):
        _check_keywords(node, doc, pointer, state)
    if in_shared(doc.rel):
        extra = sorted(set(doc.data) - {"$schema", "$id", "description", "title", "$defs"})
        for key in extra:
            state.error(doc.rel, pointer_join("", key), "a shared file holds only $defs")
        for name in doc.data.get("$defs", {}):
            if not naming.PASCAL_RE.match(name):
                state.error(doc.rel, pointer_join("/$defs", name), "not a PascalCase type name")
    else:
        return _check_message_root(doc, state)
    return True


def _check_keywords(node: dict[str, Any], doc: Doc, pointer: str, state: State) -> None:
    for keyword, why in UNSUPPORTED_KEYWORDS.items():
        if keyword in node and not (keyword == "$id" and pointer == ""):
            state.error(doc.rel, pointer_join(pointer, keyword), why)

    patterns = [("pattern", node["pattern"])] if isinstance(node.get("pattern"), str) else []
    if isinstance(node.get("patternProperties"), dict):
        patterns += [("patternProperties", key) for key in node["patternProperties"]]
    for keyword, pattern in patterns:
        problem = regex.problem(pattern)
        if problem is not None:
            where = pointer_join(pointer, keyword)
            if keyword == "patternProperties":
                where = pointer_join(where, pattern)
            state.error(doc.rel, where, f"pattern {pattern!r}: {problem}")


def _meta_message(err: Any) -> str:
    # A bad `type` fails an anyOf; name the offending value and the allowed names instead.
    if err.validator == "anyOf" and err.absolute_path and err.absolute_path[-1] == "type":
        return (
            f"{err.instance!r} is not a valid type (use one of array, boolean, integer, null, "
            "number, object, string)"
        )
    return str(err.message)


def _check_x_keywords(node: Any, doc: Doc, pointer: str, state: State) -> None:
    if isinstance(node, dict):
        for key, value in node.items():
            child = pointer_join(pointer, key)
            names = _in_properties(pointer)
            if key in DATA_KEYWORDS and not names:
                continue  # data, not schema
            if key.startswith("x-") and key not in KNOWN_X_KEYWORDS and not names:
                state.error(doc.rel, child, f"unknown keyword {key!r} (known: x-secret)")
            elif key == "x-secret" and not isinstance(value, bool):
                state.error(doc.rel, child, "x-secret must be true or false")
            _check_x_keywords(value, doc, child, state)
    elif isinstance(node, list):
        for index, value in enumerate(node):
            _check_x_keywords(value, doc, pointer_join(pointer, index), state)


def _in_properties(pointer: str) -> bool:
    # `properties: {x-request-id: ...}` names a field, it is not a keyword.
    return any(pointer.endswith("/" + key) for key in NAME_MAPS)


def _check_message_root(doc: Doc, state: State) -> bool:
    """False when the document cannot be built at all (no title or no properties)."""
    data = doc.data
    title = data.get("title")
    buildable = isinstance(title, str) and isinstance(data.get("properties"), dict)
    if not isinstance(title, str):
        state.error(doc.rel, "/title", "a message schema needs a title (its payload type name)")
    elif not naming.PASCAL_RE.match(title) or not title.endswith("Message"):
        state.error(doc.rel, "/title", f"{title!r} must be PascalCase and end in 'Message'")
    if not isinstance(data.get("description"), str) or not data["description"].strip():
        state.error(doc.rel, "/description", "a message schema needs a description")
    if data.get("type") != "object":
        state.error(doc.rel, "/type", "a message payload must be `type: object`")
    if not isinstance(data.get("properties"), dict):
        state.error(doc.rel, "/properties", "a message payload needs properties")
    if "examples" in data and not data["examples"]:
        state.error(doc.rel, "/examples", "examples, when given, hold at least one payload")
    return buildable


def refs_ok(doc: Doc, state: State, valid: set[str], seen: set[str] | None = None) -> bool:
    """Every $ref reachable from doc resolves to a `$defs/<Name>` entry."""
    seen = set() if seen is None else seen
    if doc.rel in seen:
        return True
    seen.add(doc.rel)
    ok = True
    for pointer, ref in doc.find_refs():
        target = resolve(doc.rel, ref)
        if isinstance(target, str):
            state.error(doc.rel, pointer, target)
            ok = False
            continue
        rel, def_pointer = target
        other = state.docs.get(rel)
        if other is None:
            state.error(doc.rel, pointer, f"$ref {ref!r}: no schema file {rel!r}")
            ok = False
        elif rel not in valid:
            ok = False  # that file's own errors are reported already
        elif lookup(other.data, def_pointer) is None:
            state.error(doc.rel, pointer, f"$ref {ref!r}: {rel} has nothing at {def_pointer}")
            ok = False
        elif rel != doc.rel:
            ok = refs_ok(other, state, valid, seen) and ok
    return ok
