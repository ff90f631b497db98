"""Payload validation against the bundled message schemas (schemas.json).

A compiled fastjsonschema check decides the common case, a valid payload; a payload it rejects
goes to jsonschema, which names every offending field as (JSON pointer, problem).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

from ._exceptions import PayloadValidationError
from ._redaction import Redactor, is_secret_field

if TYPE_CHECKING:
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import ValidationError


@cache
def _bundle() -> dict[str, Any]:
    text = resources.files(__package__).joinpath("schemas.json").read_text(encoding="utf-8")
    bundle: dict[str, Any] = json.loads(text)
    return bundle


@cache
def _validator(message_type: str) -> Draft202012Validator | None:
    from jsonschema import Draft202012Validator

    schema = _message_schema(message_type)
    if schema is None:
        return None
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def _message_schema(message_type: str) -> dict[str, Any] | None:
    bundle = _bundle()
    title = bundle["messages"].get(message_type)
    if title is None:
        return None
    return {"$ref": f"#/$defs/{title}", "$defs": bundle["$defs"]}


@cache
def _fast_check(message_type: str) -> Callable[[Any], Any] | None:
    """A compiled yes/no check of a payload (fastjsonschema), or None for an unknown type.

    Only a gate: a payload it accepts is valid, one it rejects goes to jsonschema, which
    decides and names every offending field. Its format checks are jsonschema's own, so the
    two agree on formats whatever optional format libraries are installed.
    """
    import fastjsonschema
    from jsonschema import Draft202012Validator

    schema = _message_schema(message_type)
    if schema is None:
        return None
    checker = Draft202012Validator.FORMAT_CHECKER

    def conforms(name: str) -> Callable[[Any], bool]:
        return lambda value: checker.conforms(value, name)

    formats = {name: conforms(name) for name in _formats(schema)}
    # use_default=False: the check must never fill defaults into the caller's payload.
    return fastjsonschema.compile(schema, formats=formats, use_default=False)


def _formats(schema: Any) -> set[str]:
    found: set[str] = set()
    if isinstance(schema, Mapping):
        for key, value in schema.items():
            if key in ("enum", "const", "default", "examples"):
                continue
            if key == "format" and isinstance(value, str):
                found.add(value)
            else:
                found |= _formats(value)
    elif isinstance(schema, list):
        for item in schema:
            found |= _formats(item)
    return found


def payload_is_valid(message_type: str, payload: Any) -> bool:
    """The fast path's verdict alone (False also for an unknown message type)."""
    check = _fast_check(message_type)
    if check is None:
        return False
    from fastjsonschema import JsonSchemaException

    try:
        check(payload)
    except JsonSchemaException:
        return False
    return True


def validate_payload(message_type: str, payload: Any, redactor: Redactor) -> None:
    """Raise PayloadValidationError listing every offending field."""
    if payload_is_valid(message_type, payload):
        return
    validator = _validator(message_type)
    if validator is None:
        known = ", ".join(sorted(_bundle()["messages"]))
        problem = f"unknown message type (known: {known})"
        raise PayloadValidationError(message_type, [("", problem)])
    problems: dict[tuple[str, str], None] = {}
    for error in sorted(validator.iter_errors(payload), key=_error_order):
        for path, problem in _describe(error, redactor):
            problems[(path, problem)] = None
    if problems:
        raise PayloadValidationError(message_type, sorted(problems))


def _error_order(error: ValidationError) -> tuple[str, str]:
    return (_pointer(error.absolute_path), str(error.validator))


def _pointer(parts: Iterable[Any]) -> str:
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)


def _describe(error: ValidationError, redactor: Redactor) -> list[tuple[str, str]]:
    """(pointer, problem) for one jsonschema error, naming the field a problem is about."""
    path = list(error.absolute_path)
    here = _pointer(path)
    instance = error.instance
    kind = error.validator
    rule: Any = error.validator_value  # typed loosely by jsonschema (it may be unset)
    if kind == "required" and isinstance(instance, Mapping):
        return [(_pointer([*path, name]), "is required") for name in rule if name not in instance]
    if kind == "additionalProperties" and isinstance(instance, Mapping):
        known = error.schema.get("properties", {}) if isinstance(error.schema, Mapping) else {}
        return [
            (_pointer([*path, name]), "is not a field of this object")
            for name in instance
            if name not in known
        ]
    if kind == "type":
        wanted = " or ".join(rule) if isinstance(rule, list) else str(rule)
        return [(here, f"expected {wanted}, got {json_type(instance)}")]
    if kind == "enum":
        allowed = ", ".join(json.dumps(v) for v in rule)
        return [(here, f"must be one of {allowed}")]
    if kind == "const":
        return [(here, f"must be {json.dumps(rule)}")]
    if kind == "format":
        return [(here, f"is not a valid {rule}")]
    if any(is_secret_field(str(part)) for part in path):
        return [(here, f"fails the schema's {kind} rule ({rule!r})")]
    return [(here, redactor.text(error.message))]


def json_type(value: Any) -> str:
    """The JSON Schema type name of a decoded JSON value."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, (list, tuple)):
        return "array"
    if isinstance(value, Mapping):
        return "object"
    return type(value).__name__
