"""Checking that a 2xx answer has the shape the contract gives it, before anything reads it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeAlias

from ._validation import json_type

# wire name -> (required, the JSON types allowed; empty for any)
Shape: TypeAlias = Mapping[str, tuple[bool, tuple[str, ...]]]


class UnexpectedBody(Exception):
    """A 2xx answer whose body is not what the contract says."""


def expect_shape(data: Any, shape: Shape) -> Mapping[str, Any]:
    """`data` when it is a JSON object with every required field, each of an allowed type."""
    if not isinstance(data, Mapping):
        raise UnexpectedBody(f"expected a JSON object, got {json_type(data)}")
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
