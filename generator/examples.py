"""Example payloads: a message's first schema example, else the smallest payload it accepts.

One implementation for every target, so the Python and TypeScript READMEs (and the tests
that drive every generated method) always show the same payload. A synthesised payload is
built deterministically from the bundled JSON Schema, honouring formats, enums and numeric
and length bounds, and is checked against the schema before it is used.
"""

from __future__ import annotations

import json
from typing import Any

from generator.errors import SchemaError, SchemaErrors
from generator.ir import Catalogue, MessageSpec, TypeExpr
from generator.semantics import compile_validator

# One sample value per string format, each valid for the jsonschema format checker.
FORMAT_SAMPLES = {
    "date-time": "2024-01-01T00:00:00Z",
    "date": "2024-01-01",
    "time": "12:00:00Z",
    "duration": "P1D",
    "email": "user@example.com",
    "idn-email": "user@example.com",
    "hostname": "example.com",
    "idn-hostname": "example.com",
    "ipv4": "192.0.2.1",
    "ipv6": "2001:db8::1",
    "uri": "https://example.com/resource",
    "uri-reference": "https://example.com/resource",
    "iri": "https://example.com/resource",
    "iri-reference": "https://example.com/resource",
    "url": "https://example.com/resource",
    "uuid": "123e4567-e89b-42d3-a456-426614174000",
    "regex": ".*",
    "json-pointer": "/example",
}


def example_payload(catalogue: Catalogue, message: MessageSpec) -> dict[str, Any]:
    """The message's first example, or a synthesised minimal payload that passes its schema
    (the schema package refuses a message without examples for which there is none)."""
    if message.examples_json:
        first: dict[str, Any] = json.loads(message.examples_json[0])  # callers may change it
        return first
    defs = catalogue.shared_defs
    # _minimal may hand back a `const` or `enum` value of the shared definitions: a copy.
    payload = json.loads(json.dumps(_minimal(defs[message.title], defs)))
    _check(catalogue, message, payload)
    assert isinstance(payload, dict)
    return payload


class _NoFiniteValue(Exception):
    pass


def minimal_payload(defs: dict[str, Any], title: str, validator: Any) -> str | None:
    """Why no payload built from the bundled schema of `title` validates, or None."""
    try:
        payload = _minimal(defs[title], defs)
    except _NoFiniteValue:
        return "a required field refers back to its own type"
    for error in validator.iter_errors(payload):
        return str(error.message)
    return None


def _minimal(node: Any, defs: dict[str, Any], seen: tuple[str, ...] = ()) -> Any:
    if node is False:
        raise _NoFiniteValue
    if not isinstance(node, dict) or not node:
        return "example"
    if "$ref" in node:
        name = node["$ref"].rsplit("/", 1)[1]
        if name in seen:
            raise _NoFiniteValue  # a required self-reference: no finite value to build
        return _minimal(defs[name], defs, (*seen, name))
    return _minimal_own(node, defs, seen)


def _minimal_own(node: dict[str, Any], defs: dict[str, Any], seen: tuple[str, ...]) -> Any:
    if "const" in node:
        return node["const"]
    if node.get("enum"):
        return node["enum"][0]
    for combinator in ("oneOf", "anyOf", "allOf"):
        if node.get(combinator):
            return _minimal(node[combinator][0], defs, seen)
    kind = node.get("type")
    if isinstance(kind, list) and "null" in kind:
        return None
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), "null")
    if kind is None:
        kind = "object" if "properties" in node else "array" if "items" in node else None
    if kind == "object":
        properties = node.get("properties", {})
        return {
            name: _minimal(properties.get(name, {}), defs, seen)
            for name in node.get("required", [])
        }
    if kind == "array":
        prefix = node.get("prefixItems", [])
        return [
            _minimal(prefix[i] if i < len(prefix) else node.get("items", {}), defs, seen)
            for i in range(node.get("minItems", 0))
        ]
    if kind == "string":
        sample = FORMAT_SAMPLES.get(node.get("format", ""), "example")
        sample = sample.ljust(node.get("minLength", 0), "x")
        return sample[: node["maxLength"]] if "maxLength" in node else sample
    if kind in ("integer", "number"):
        return _number(node, kind)
    if kind == "boolean":
        return True
    if kind == "null":
        return None
    return "example"


def _number(node: dict[str, Any], kind: str) -> int | float:
    step = 1 if kind == "integer" else 0.5
    value = node.get("minimum", node.get("exclusiveMinimum", 0) + step)
    if "maximum" in node:
        value = min(value, node["maximum"])
    if "exclusiveMaximum" in node:
        value = min(value, node["exclusiveMaximum"] - step)
    return int(value) if kind == "integer" else float(value)


def _check(catalogue: Catalogue, message: MessageSpec, payload: Any) -> None:
    validator = compile_validator(catalogue.message_schema(message.type))
    problems = sorted(e.message for e in validator.iter_errors(payload))
    if problems:
        raise SchemaErrors(
            [
                SchemaError(
                    message.source,
                    "/examples",
                    "the README needs an example payload and the smallest one built from the "
                    f"schema is not valid ({problems[0]}); add `examples` to this schema",
                )
            ]
        )


def minimal_value(catalogue: Catalogue, node: Any) -> Any:
    """The smallest value a schema node (from `catalogue.defs`) accepts (a copy: callers may
    change it)."""
    return json.loads(json.dumps(_minimal(node, catalogue.shared_defs)))


def presented_example(catalogue: Catalogue, message: MessageSpec) -> dict[str, Any]:
    """example_payload with keys in schema order, as every README shows it."""
    # ordered_like builds new objects; the example it reads is decoded once per message.
    shared = message.first_example
    payload = shared if isinstance(shared, dict) else example_payload(catalogue, message)
    ordered: dict[str, Any] = ordered_like(catalogue, payload, TypeExpr("ref", ref=message.title))
    return ordered


def ordered_like(catalogue: Catalogue, value: Any, expr: TypeExpr | None) -> Any:
    """Reorder object keys to follow the schema's field order (examples are stored sorted)."""
    if expr is None:
        return value
    alias = catalogue.alias(expr.ref) if expr.kind == "ref" and expr.ref else None
    if alias is not None:
        return ordered_like(catalogue, value, alias.type)
    if isinstance(value, list) and expr.kind == "tuple":
        return [
            ordered_like(catalogue, v, expr.variants[i] if i < len(expr.variants) else expr.items)
            for i, v in enumerate(value)
        ]
    if isinstance(value, list) and expr.kind == "array":
        return [ordered_like(catalogue, v, expr.items) for v in value]
    if isinstance(value, dict) and expr.kind == "map":
        return {k: ordered_like(catalogue, v, expr.values) for k, v in value.items()}
    if isinstance(value, dict) and expr.kind == "ref" and expr.ref is not None:
        obj = catalogue.type(expr.ref)
        known = {f.name: f for f in obj.fields}
        out = {
            f.name: ordered_like(catalogue, value[f.name], f.type)
            for f in obj.fields
            if f.name in value
        }
        for key in sorted(k for k in value if k not in known):
            out[key] = ordered_like(catalogue, value[key], obj.extra)
        return out
    return value
