"""Payload validation against the bundled message schemas (schemas.json).

jsonschema-rs validates in the dialect worker-client-gen and `serve` share: JSON Schema
2020-12, `pattern` as ECMA-262 on a linear-time engine (no pattern and no payload can hang
the check), and `format` asserted for the checked formats only (every other format is an
annotation, as 2020-12 has it). One compiled validator per message type gives the verdict
and, for a payload it rejects, names every offending field as (JSON pointer, problem).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from functools import cache
from importlib import resources
from typing import Any

import jsonschema_rs

from ._constants import UNCHECKED_FORMATS
from ._exceptions import PayloadValidationError
from ._redaction import Redactor, is_secret_field


@cache
def _bundle() -> dict[str, Any]:
    text = resources.files(__package__).joinpath("schemas.json").read_text(encoding="utf-8")
    bundle: dict[str, Any] = json.loads(text)
    return bundle


def _annotation(value: str) -> bool:
    return True


@cache
def _validator(message_type: str) -> jsonschema_rs.Validator | None:
    bundle = _bundle()
    title = bundle["messages"].get(message_type)
    if title is None:
        return None
    return jsonschema_rs.Draft202012Validator(
        {"$ref": f"#/$defs/{title}", "$defs": bundle["$defs"]},
        validate_formats=True,
        formats={name: _annotation for name in UNCHECKED_FORMATS},
        ignore_unknown_formats=True,
    )


def payload_is_valid(message_type: str, payload: Any) -> bool:
    """The verdict alone (False also for an unknown message type)."""
    validator = _validator(message_type)
    return validator is not None and validator.is_valid(payload)


def validate_payload(message_type: str, payload: Any, redactor: Redactor) -> None:
    """Raise PayloadValidationError listing every offending field."""
    validator = _validator(message_type)
    if validator is None:
        known = ", ".join(sorted(_bundle()["messages"]))
        problem = f"unknown message type (known: {known})"
        raise PayloadValidationError(message_type, [("", problem)])
    if validator.is_valid(payload):
        return
    problems: dict[tuple[str, str], None] = {}
    for error in validator.iter_errors(payload):
        for path, problem in _describe(error, redactor):
            problems[(path, problem)] = None
    raise PayloadValidationError(message_type, sorted(problems))


def _pointer(parts: Iterable[Any]) -> str:
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)


def _describe(error: jsonschema_rs.ValidationError, redactor: Redactor) -> list[tuple[str, str]]:
    """(pointer, problem) for one error, naming the field a problem is about."""
    path = list(error.instance_path)
    here = _pointer(path)
    kind = type(error.kind).__name__
    if kind in ("AnyOf", "OneOfNotValid", "OneOfMultipleValid"):
        facts: dict[str, Any] = {}
    else:
        facts = error.kind.as_dict()
    if kind == "Required":
        return [(_pointer([*path, facts["property"]]), "is required")]
    if kind in ("AdditionalProperties", "UnevaluatedProperties"):
        return [
            (_pointer([*path, name]), "is not a field of this object")
            for name in facts["unexpected"]
        ]
    if kind == "Type":
        wanted = " or ".join(facts["types"])
        return [(here, f"expected {wanted}, got {json_type(error.instance)}")]
    if kind == "Enum":
        allowed = ", ".join(json.dumps(v) for v in facts["options"])
        return [(here, f"must be one of {allowed}")]
    if kind == "Constant":
        return [(here, f"must be {json.dumps(facts['expected_value'])}")]
    if kind == "Format":
        return [(here, f"is not a valid {facts['format']}")]
    if any(is_secret_field(str(part)) for part in path):
        # The message would quote the value: name the rule only.
        return [(here, f"fails the schema's {kind} rule")]
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
