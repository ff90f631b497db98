"""Parsed JSON, narrowed for the type checker.

`json.loads` gives `Any`; an `isinstance` test narrows it to a container of unknown items,
which pyright --strict refuses to pass on. Parsed JSON only ever holds str keys and JSON
values, so these two say so once, after the same `isinstance` test.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, cast


def as_object(value: Any) -> Mapping[str, Any] | None:
    """`value` as a JSON object, or None when it is not one."""
    return cast(Mapping[str, Any], value) if isinstance(value, Mapping) else None


def as_array(value: Any) -> Sequence[Any] | None:
    """`value` as a JSON array, or None when it is not one."""
    return cast(Sequence[Any], value) if isinstance(value, list) else None
