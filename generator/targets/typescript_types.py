"""TypeScript spellings of IR types, and example payloads as TS object literals.

Everything schema-derived that ends up in TS source passes through the escaping functions
(`ts_str` for literals, `ts_key` for property keys); type names are PascalCase-checked by
the schema package and so are safe as they are.
"""

from __future__ import annotations

import json
from typing import Any

from generator.escaping import ts_key, ts_str
from generator.ir import TypeExpr

_SCALAR_TS = {
    "string": "string",
    "integer": "number",
    "number": "number",
    "boolean": "boolean",
    "null": "null",
    "any": "unknown",
    "never": "never",
}


def ts_literal_type(value: Any) -> str:
    """A literal type for one enum/const value (string, number, boolean or null)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return json.dumps(value)
    return ts_str(str(value))


def ts_type(expr: TypeExpr, literals: bool = True) -> str:
    """The TS type of a field, array item or map value.

    With literals=False enums are spelled by their base type (`string`), so the result holds
    no schema text but type names (for the README, where the values are listed apart).
    """
    if expr.enum and expr.kind in _SCALAR_TS and literals:
        return _join(ts_literal_type(v) for v in expr.enum)
    if expr.kind in _SCALAR_TS:
        return _SCALAR_TS[expr.kind]
    if expr.kind == "array":
        assert expr.items is not None
        item = ts_type(expr.items, literals)
        return f"({item})[]" if " | " in item else f"{item}[]"
    if expr.kind == "tuple":
        # prefixItems: the first min_items are always there, the rest may be missing.
        items = [
            ts_type(v, literals) + ("" if i < expr.min_items else "?")
            for i, v in enumerate(expr.variants)
        ]
        if expr.items is not None and expr.items.kind != "never":
            rest = ts_type(expr.items, literals)
            items.append(f"...({rest})[]" if " | " in rest else f"...{rest}[]")
        return "[" + ", ".join(items) + "]"
    if expr.kind == "map":
        assert expr.values is not None
        return f"Record<string, {ts_type(expr.values, literals)}>"
    if expr.kind == "ref":
        assert expr.ref is not None
        return expr.ref
    if expr.kind == "union":
        return _join(ts_type(v, literals) for v in expr.variants)
    raise ValueError(f"unknown type kind {expr.kind!r}")


def enum_values(expr: TypeExpr) -> tuple[object, ...]:
    """The allowed values of a field, or of its array items."""
    if expr.enum:
        return expr.enum
    if expr.kind == "array" and expr.items is not None:
        return expr.items.enum
    return ()


def _join(parts: Any) -> str:
    seen: list[str] = []
    for part in parts:
        if part not in seen:
            seen.append(part)
    if "unknown" in seen:
        return "unknown"
    if len(seen) > 1 and "never" in seen:
        seen.remove("never")
    return " | ".join(seen)


def json_type(expr: TypeExpr) -> str:
    """The JSON type shown in the README field lists, as in the seed: string, object, ..."""
    if expr.kind in ("ref", "map"):
        return "object"
    if expr.kind == "union":
        return " | ".join(dict.fromkeys(json_type(v) for v in expr.variants))
    if expr.kind == "tuple":
        return "array"
    return expr.kind


# --------------------------------------------------------------------------- examples


def ts_value(value: Any, indent: int = 0) -> str:
    """A JSON value as a TS expression (object literal, array literal, scalar).

    Backticks are written as \\u0060 so the literal is also safe inside a Markdown fence.
    """
    pad = "  " * indent
    inner = "  " * (indent + 1)
    if isinstance(value, dict):
        if not value:
            return "{}"
        items = [
            f"{inner}{_md_safe(ts_key(k))}: {ts_value(v, indent + 1)}," for k, v in value.items()
        ]
        return "{\n" + "\n".join(items) + f"\n{pad}}}"
    if isinstance(value, list):
        if not value:
            return "[]"
        items = [f"{inner}{ts_value(v, indent + 1)}," for v in value]
        return "[\n" + "\n".join(items) + f"\n{pad}]"
    if value is None or isinstance(value, bool) or isinstance(value, (int, float)):
        return json.dumps(value)
    return _md_safe(ts_str(str(value)))


def _md_safe(literal: str) -> str:
    # Only ever applied to ts_str output (a JSON string literal) or a bare identifier.
    return literal.replace("`", "\\u0060")
