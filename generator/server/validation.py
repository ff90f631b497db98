"""Request validation for `serve`: compiled JSON Schema validators and value-free error details.

Error details name the offending field (a JSON pointer) and the rule it breaks, never the value
it holds: a payload may carry credentials, and a 400/422 body or a log line must not echo them.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

from generator import contract
from generator.errors import pointer_join
from generator.ir import Catalogue

MAX_DETAILS = 100


@dataclass(frozen=True)
class Detail:
    path: str  # JSON pointer into the validated document
    message: str

    def to_json(self) -> dict[str, str]:
        return {"path": self.path, "message": self.message}


class Validators:
    """One compiled validator per message payload, plus one for the `{payload, opts}` envelope."""

    def __init__(self, catalogue: Catalogue) -> None:
        checker = Draft202012Validator.FORMAT_CHECKER
        self.titles = {m.type: m.title for m in catalogue.messages}
        self._payload = {
            m.type: Draft202012Validator(catalogue.message_schema(m.type), format_checker=checker)
            for m in catalogue.messages
        }
        # The envelope leaves the payload to its own validator: 400 and 422 stay apart.
        envelope = contract.request_body_schema({})
        envelope["$defs"] = {"JobOptions": contract.protocol_schemas()["JobOptions"]}
        self._envelope = Draft202012Validator(envelope, format_checker=checker)

    def has(self, message_type: str) -> bool:
        return message_type in self._payload

    def envelope_errors(self, body: Any) -> list[Detail]:
        return _details(self._envelope, body)

    def payload_errors(self, message_type: str, payload: Any) -> list[Detail]:
        return _details(self._payload[message_type], payload)


def _details(validator: Draft202012Validator, instance: Any) -> list[Detail]:
    found: set[Detail] = set()
    for error in validator.iter_errors(instance):
        found.update(_describe(error))
        if len(found) >= MAX_DETAILS:
            break
    return sorted(found, key=lambda d: (d.path, d.message))[:MAX_DETAILS]


def _pointer(error: ValidationError) -> str:
    return pointer_join("", *error.absolute_path)


def _describe(error: ValidationError) -> list[Detail]:
    path = _pointer(error)
    keyword = error.validator
    value = error.validator_value
    schema = error.schema if isinstance(error.schema, dict) else {}
    if keyword in ("additionalProperties", "unevaluatedProperties") and isinstance(
        error.instance, dict
    ):
        extras = _unexpected_keys(error.instance, schema)
        if extras:
            return [Detail(pointer_join(path, key), "is not an allowed field") for key in extras]
    if keyword == "required" and isinstance(error.instance, dict):
        # The contract points at the missing field itself: {"path": "/modelId", ...}.
        names = value if isinstance(value, list) else []
        missing = [name for name in names if name not in error.instance]
        return [Detail(pointer_join(path, n), f"{n!r} is a required property") for n in missing]
    if keyword in ("anyOf", "oneOf"):
        branch = _only_plausible_branch(error)
        if branch is not None:
            return [detail for sub in branch for detail in _describe(sub)]
    return [Detail(path, _message(keyword, value, error))]


def _only_plausible_branch(error: ValidationError) -> list[ValidationError] | None:
    """The errors of the one alternative whose type fits the value, when there is just one:
    `opts: {priority: "x"}` fails JobOptions on priority, not "anyOf"."""
    branches: dict[Any, list[ValidationError]] = {}
    for sub in error.context or []:
        branches.setdefault(sub.relative_schema_path[0], []).append(sub)
    plausible = [
        errors
        for errors in branches.values()
        if not any(e.validator == "type" and not e.relative_path for e in errors)
    ]
    return plausible[0] if len(plausible) == 1 else None


def _unexpected_keys(instance: dict[str, Any], schema: dict[str, Any]) -> list[str]:
    known = schema.get("properties", {})
    patterns = list(schema.get("patternProperties", {}))
    return sorted(
        key for key in instance if key not in known and not any(re.search(p, key) for p in patterns)
    )


def _json(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    return text if len(text) <= 200 else text[:197] + "..."


def _described(schema: Any) -> str:
    """The rule a `not` states: its description, else the schema it must not match."""
    if isinstance(schema, dict) and isinstance(schema.get("description"), str):
        return str(schema["description"])
    return f"must not match {_json(schema)}"


def _types(value: Any) -> str:
    names = value if isinstance(value, list) else [value]
    return " or ".join(str(n) for n in names)


def _message(keyword: Any, value: Any, error: ValidationError) -> str:
    # Every message is built from the schema (the rule), never from the instance (the value).
    simple: dict[str, Callable[[], str]] = {
        "type": lambda: f"must be of type {_types(value)}",
        "enum": lambda: f"must be one of {_json(value)}",
        "const": lambda: f"must be {_json(value)}",
        "format": lambda: f"must be a valid {value}",
        "pattern": lambda: f"must match the pattern {value}",
        "minLength": lambda: f"must be at least {value} characters long",
        "maxLength": lambda: f"must be at most {value} characters long",
        "minimum": lambda: f"must be >= {value}",
        "maximum": lambda: f"must be <= {value}",
        "exclusiveMinimum": lambda: f"must be > {value}",
        "exclusiveMaximum": lambda: f"must be < {value}",
        "multipleOf": lambda: f"must be a multiple of {value}",
        "minItems": lambda: f"must have at least {value} items",
        "maxItems": lambda: f"must have at most {value} items",
        "uniqueItems": lambda: "must not contain duplicate items",
        "minProperties": lambda: f"must have at least {value} fields",
        "maxProperties": lambda: f"must have at most {value} fields",
        "additionalProperties": lambda: "has a field that is not allowed",
        "unevaluatedProperties": lambda: "has a field that is not allowed",
        "propertyNames": lambda: "has a field name that is not allowed",
        "contains": lambda: "does not contain a required item",
        "not": lambda: _described(value),
    }
    if keyword == "required":
        return f"must have the fields {_json(value)}"
    if keyword == "dependentRequired":
        return "a field requires another field that is missing"
    if keyword in ("anyOf", "oneOf"):
        kinds = {e.validator for e in error.context or []}
        if kinds == {"type"} and all(not e.relative_path for e in error.context or []):
            allowed = [_types(e.validator_value) for e in error.context or []]
            return f"must be of type {' or '.join(allowed)}"
        if keyword == "oneOf" and not error.context:
            return "must match exactly one of the allowed shapes, but matches several"
        word = "exactly one" if keyword == "oneOf" else "at least one"
        return f"must match {word} of the allowed shapes"
    if keyword is None or keyword is False or value is False:
        return "is not allowed"
    if keyword in simple:
        return simple[keyword]()
    return f"fails the {keyword} rule"
