"""Checking that a 2xx answer has the shape the contract gives it, before anything reads it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeAlias

from ._json import as_object
from ._validation import json_type

# wire name -> (required, the JSON types allowed; empty for any)
Shape: TypeAlias = Mapping[str, tuple[bool, tuple[str, ...]]]


class UnexpectedBody(Exception):
    """A 2xx answer whose body is not what the contract says."""


def expect_shape(answer: Any, shape: Shape) -> Mapping[str, Any]:
    """`answer` when it is a JSON object with every required field, each of an allowed type."""
    data = as_object(answer)
    if data is None:
        raise UnexpectedBody(f"expected a JSON object, got {json_type(answer)}")
    missing = [name for name, (required, _) in shape.items() if required and name not in data]
    if missing:
        raise UnexpectedBody(f"missing {', '.join(missing)}")
    for name, (_, kinds) in shape.items():
        if name in data and kinds and not _is_one_of(data[name], kinds):
            wanted = " or ".join(kinds)
            raise UnexpectedBody(f"{name} is {json_type(data[name])}, not {wanted}")
    return data


def _is_one_of(value: Any, kinds: tuple[str, ...]) -> bool:
    kind = json_type(value)
    return kind in kinds or (kind == "integer" and "number" in kinds)
