"""What a schema means when a payload is validated, for the generator and `serve`.

One dialect everywhere: JSON Schema 2020-12 with `format` asserted for CHECKED_FORMATS only
(every other format is an annotation, as 2020-12 has it by default), and `pattern` as
ECMA-262 on a linear-time engine (generator.regex). The schema package (examples), `serve` and the
generated Python client all compile schemas with jsonschema-rs in this configuration; the
TypeScript client gets the same formats and patterns rendered into its runtime.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import partial
from typing import Any

import jsonschema_rs

from generator.errors import pointer_join
from generator.run import Memo, NoMemo

# The formats a validator checks. The schemas README promises these; the official test
# suite's optional/format tests for each run in tests/jsonschema_suite against every
# validator.
CHECKED_FORMATS = ("date-time", "uri", "uuid")

# Formats jsonschema-rs knows and would check: made annotations unless listed above.
_KNOWN_FORMATS = (
    "date",
    "date-time",
    "duration",
    "email",
    "hostname",
    "idn-email",
    "idn-hostname",
    "ipv4",
    "ipv6",
    "iri",
    "iri-reference",
    "json-pointer",
    "regex",
    "relative-json-pointer",
    "time",
    "uri",
    "uri-reference",
    "uri-template",
    "uuid",
)


def _annotation(value: str) -> bool:
    return True


UNCHECKED = {name: _annotation for name in _KNOWN_FORMATS if name not in CHECKED_FORMATS}


def compile_validator(schema: Mapping[str, Any]) -> jsonschema_rs.Validator:
    """A 2020-12 validator for a standalone schema (its references inside `$defs`)."""
    return jsonschema_rs.Draft202012Validator(
        dict(schema), validate_formats=True, formats=UNCHECKED, ignore_unknown_formats=True
    )


# Keywords whose value is one subschema, a list of them, or a map of names to them.
_SUBSCHEMA = (
    "items",
    "additionalProperties",
    "unevaluatedItems",
    "unevaluatedProperties",
    "contains",
    "propertyNames",
    "not",
    "if",
    "then",
    "else",
    "contentSchema",
)
_SUBSCHEMA_LISTS = ("allOf", "anyOf", "oneOf", "prefixItems")
_SUBSCHEMA_MAPS = ("properties", "patternProperties", "dependentSchemas", "$defs")


def subschemas(node: Any, pointer: str = "") -> list[tuple[dict[str, Any], str]]:
    """Every schema object in a schema with its JSON pointer, the root first (values of
    `enum`, `const`, `default` and unknown keywords are data, not schemas)."""
    found: list[tuple[dict[str, Any], str]] = []
    stack = [(node, pointer)]
    while stack:
        sub, at = stack.pop()
        if not isinstance(sub, dict):
            continue
        found.append((sub, at))
        for key in _SUBSCHEMA:
            if key in sub:
                stack.append((sub[key], pointer_join(at, key)))
        for key in _SUBSCHEMA_LISTS:
            if isinstance(sub.get(key), list):
                stack.extend((v, pointer_join(at, key, i)) for i, v in enumerate(sub[key]))
        for key in _SUBSCHEMA_MAPS:
            if isinstance(sub.get(key), dict):
                stack.extend((v, pointer_join(at, key, k)) for k, v in sub[key].items())
    return found


def patterns_of_defs(defs: dict[str, Any], memo: Memo | None = None) -> set[str]:
    """patterns() over every definition (each definition's, with a memo, found by its
    identity when it is the same object as in the last run)."""
    memo = memo or NoMemo()
    found: set[str] = set()
    for schema in defs.values():
        found |= memo.value("patterns", schema, partial(_patterns_if_any, schema))
    return found


def _patterns_if_any(schema: Any) -> frozenset[str]:
    # Walking every definition is slow at a thousand messages, and only one whose JSON text
    # names a `pattern` key can hold one, so the C encoder picks those first.
    return frozenset(patterns(schema)) if '"pattern' in json.dumps(schema) else frozenset()


def patterns(schema: Any) -> set[str]:
    """Every `pattern` and `patternProperties` key of a schema and its subschemas."""
    found: set[str] = set()
    for node, _ in subschemas(schema):
        if isinstance(node.get("pattern"), str):
            found.add(node["pattern"])
        if isinstance(node.get("patternProperties"), dict):
            found.update(node["patternProperties"])
    return found
