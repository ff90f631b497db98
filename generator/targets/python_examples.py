"""Example payloads and type text for the Python client's README.

Examples are real: a message's first schema example when it has one, otherwise the smallest
payload the schema accepts, built deterministically from the bundled JSON Schema and checked
against it. Tests import `example_payload` to drive every generated method.
"""

from __future__ import annotations

from typing import Any

from generator.errors import SchemaError, SchemaErrors
from generator.ir import Catalogue, MessageSpec, TypeExpr

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
    """The message's first example, or a synthesised minimal payload that passes its schema."""
    if message.examples:
        first: dict[str, Any] = message.examples[0]
        return first
    defs = catalogue.defs
    payload = _minimal(defs[message.title], defs)
    _check(catalogue, message, payload)
    assert isinstance(payload, dict)
    return payload


def _minimal(node: Any, defs: dict[str, Any]) -> Any:
    if not isinstance(node, dict) or not node:
        return "example"
    if "$ref" in node:
        return _minimal(defs[node["$ref"].rsplit("/", 1)[1]], defs)
    if "const" in node:
        return node["const"]
    if node.get("enum"):
        return node["enum"][0]
    for combinator in ("oneOf", "anyOf"):
        if node.get(combinator):
            return _minimal(node[combinator][0], defs)
    kind = node.get("type")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), "null")
    if kind is None:
        kind = "object" if "properties" in node else "array" if "items" in node else None
    if kind == "object":
        properties = node.get("properties", {})
        return {name: _minimal(properties[name], defs) for name in node.get("required", [])}
    if kind == "array":
        return [_minimal(node.get("items", {}), defs) for _ in range(node.get("minItems", 0))]
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
    from jsonschema import Draft202012Validator

    schema = catalogue.message_schema(message.type)
    validator = Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
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


def py_literal(value: Any, indent: int = 0) -> str:
    """Python source for a JSON value, one key per line for objects.

    Strings go through repr (so nothing can end the literal) and backticks become `\\x60`, so
    no value can close the Markdown code fence the literal is printed in.
    """
    pad = " " * indent
    if isinstance(value, dict) and value:
        items = [
            f"{pad}    {_string(key)}: {py_literal(item, indent + 4).lstrip()},"
            for key, item in value.items()
        ]
        return "{\n" + "\n".join(items) + f"\n{pad}}}"
    if isinstance(value, list) and value:
        items = [f"{pad}    {py_literal(item, indent + 4).lstrip()}," for item in value]
        return "[\n" + "\n".join(items) + f"\n{pad}]"
    if isinstance(value, str):
        return _string(value)
    if isinstance(value, dict):
        return "{}"
    if isinstance(value, list):
        return "[]"
    return repr(value)  # bool, int, float, None: the same spelling as Python


def _string(text: str) -> str:
    # In repr output every literal backslash is doubled, so each backtick is a plain character.
    return repr(text).replace("`", "\\x60")


def py_type(expr: TypeExpr) -> str:
    """The Python annotation of a field, as the README shows it."""
    if expr.enum:
        return "Literal[" + ", ".join(repr(v) for v in expr.enum) + "]"
    if expr.kind == "array":
        assert expr.items is not None
        return f"list[{py_type(expr.items)}]"
    if expr.kind == "map":
        assert expr.values is not None
        return f"dict[str, {py_type(expr.values)}]"
    if expr.kind == "ref":
        assert expr.ref is not None
        return expr.ref
    if expr.kind == "union":
        return " | ".join(py_type(v) for v in expr.variants)
    return _SCALARS[expr.kind]


_SCALARS = {
    "string": "str",
    "integer": "int",
    "number": "float",
    "boolean": "bool",
    "null": "None",
    "any": "Any",
}
