"""Request validation for `serve`: compiled JSON Schema validators and value-free error details.

Payloads are validated by jsonschema-rs in the one dialect every validator shares
(generator.semantics: 2020-12, the checked formats, ECMA-262 patterns on a linear-time
engine), so `serve` gives the verdict the clients give. Error details name the offending
field (a JSON pointer) and the rule it breaks, never the value it holds: a payload may carry
credentials, and a 400/422 body or a log line must not echo them.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import jsonschema_rs

from generator import contract
from generator.errors import pointer_join
from generator.ir import Catalogue
from generator.semantics import compile_validator

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
        self.titles = {m.type: m.title for m in catalogue.messages}
        self._payload = {
            m.type: compile_validator(catalogue.message_schema(m.type)) for m in catalogue.messages
        }
        # The envelope leaves the payload to its own validator: 400 and 422 stay apart.
        envelope = contract.request_body_schema({})
        envelope["$defs"] = {"JobOptions": contract.protocol_schemas()["JobOptions"]}
        # The envelope's own patterns (the jobId rule) use lookahead: fancy-regex runs them
        # with a backtracking budget (the default engine of jsonschema-rs).
        self._envelope = jsonschema_rs.Draft202012Validator(envelope, validate_formats=True)

    def has(self, message_type: str) -> bool:
        return message_type in self._payload

    def envelope_errors(self, body: Any) -> list[Detail]:
        return _details(self._envelope, body)

    def payload_errors(self, message_type: str, payload: Any) -> list[Detail]:
        return _details(self._payload[message_type], payload)


def _details(validator: jsonschema_rs.Validator, instance: Any) -> list[Detail]:
    if validator.is_valid(instance):
        return []
    found: set[Detail] = set()
    for error in validator.iter_errors(instance):
        found.update(_describe(error))
        if len(found) >= MAX_DETAILS:
            break
    return sorted(found, key=lambda d: (d.path, d.message))[:MAX_DETAILS]


def _describe(error: jsonschema_rs.ValidationError) -> list[Detail]:
    path = pointer_join("", *error.instance_path)
    kind = type(error.kind).__name__
    facts: dict[str, Any] = error.kind.as_dict() if kind not in _CONTEXT_KINDS else {}
    if kind in ("AdditionalProperties", "UnevaluatedProperties"):
        keys = sorted(str(k) for k in facts.get("unexpected", []))
        return [Detail(pointer_join(path, key), "is not an allowed field") for key in keys]
    if kind == "Required":
        # The contract points at the missing field itself: {"path": "/modelId", ...}.
        name = str(facts.get("property"))
        return [Detail(pointer_join(path, name), f"{name!r} is a required property")]
    if kind in ("AnyOf", "OneOfNotValid"):
        branches: list[list[jsonschema_rs.ValidationError]] = list(
            getattr(error.kind, "context", [])
        )
        plausible = [b for b in branches if not any(_root_type_error(e, path) for e in b)]
        if len(plausible) == 1:
            # `opts: {priority: "x"}` fails JobOptions on priority, not on "anyOf".
            return [detail for sub in plausible[0] for detail in _describe(sub)]
        if branches and all(len(b) == 1 and _root_type_error(b[0], path) for b in branches):
            allowed = [_types(b[0].kind.as_dict().get("types", [])) for b in branches]
            return [Detail(path, f"must be of type {' or '.join(allowed)}")]
        word = "exactly one" if kind == "OneOfNotValid" else "at least one"
        return [Detail(path, f"must match {word} of the allowed shapes")]
    return [Detail(path, _message(kind, facts))]


_CONTEXT_KINDS = ("AnyOf", "OneOfNotValid", "OneOfMultipleValid")


def _root_type_error(error: jsonschema_rs.ValidationError, path: str) -> bool:
    return type(error.kind).__name__ == "Type" and pointer_join("", *error.instance_path) == path


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


def _message(kind: str, facts: dict[str, Any]) -> str:
    # Every message is built from the schema (the rule), never from the instance (the value).
    limit = facts.get("limit")
    simple: dict[str, Callable[[], str]] = {
        "Type": lambda: f"must be of type {_types(facts.get('types'))}",
        "Enum": lambda: f"must be one of {_json(facts.get('options'))}",
        "Constant": lambda: f"must be {_json(facts.get('expected_value'))}",
        "Format": lambda: f"must be a valid {facts.get('format')}",
        "Pattern": lambda: f"must match the pattern {facts.get('pattern')}",
        "MinLength": lambda: f"must be at least {limit} characters long",
        "MaxLength": lambda: f"must be at most {limit} characters long",
        "Minimum": lambda: f"must be >= {limit}",
        "Maximum": lambda: f"must be <= {limit}",
        "ExclusiveMinimum": lambda: f"must be > {limit}",
        "ExclusiveMaximum": lambda: f"must be < {limit}",
        "MultipleOf": lambda: f"must be a multiple of {facts.get('multiple_of')}",
        "MinItems": lambda: f"must have at least {limit} items",
        "MaxItems": lambda: f"must have at most {limit} items",
        "UniqueItems": lambda: "must not contain duplicate items",
        "MinProperties": lambda: f"must have at least {limit} fields",
        "MaxProperties": lambda: f"must have at most {limit} fields",
        "PropertyNames": lambda: "has a field name that is not allowed",
        "Contains": lambda: "does not contain the required items",
        "UnevaluatedItems": lambda: "has items that are not allowed",
        "AdditionalItems": lambda: "has items that are not allowed",
        "Not": lambda: _described(facts.get("schema")),
        "FalseSchema": lambda: "is not allowed",
        "OneOfMultipleValid": lambda: "must match exactly one of the allowed shapes, "
        "but matches several",
        "BacktrackLimitExceeded": lambda: "cannot be checked against its pattern in time",
    }
    if kind in simple:
        return simple[kind]()
    return f"fails the {kind} rule"
