"""Bundling: a schema node as a standalone JSON Schema, every reference into the schema
folder turned into a `#/$defs/<Name>` of one bundle (what the clients, `serve` and the
contract documents validate with)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from generator.errors import pointer_join

# Keys whose value maps names (not keywords) to subschemas.
_SCHEMA_MAPS = ("properties", "patternProperties", "dependentSchemas")


def bundle(
    node: Any,
    rel: str,
    pointer: str,
    name: str,
    hoisted: dict[tuple[str, str], str],
    ref_name: Callable[[str, str, str], str],
) -> Any:
    """The node as a standalone schema: $refs and hoisted objects become '#/$defs/<Name>'.

    `hoisted` maps (file, pointer) of every object the builder named to its name;
    `ref_name(ref, file, pointer)` gives the bundled name of a $ref (the builder's, which
    builds the definition when it has not yet)."""

    def walk(sub: Any, sub_pointer: str, top: bool) -> Any:
        if isinstance(sub, list):
            return [walk(v, pointer_join(sub_pointer, i), False) for i, v in enumerate(sub)]
        if not isinstance(sub, dict):
            return sub
        named = None if top else hoisted.get((rel, sub_pointer))
        if named is not None:
            ref: dict[str, Any] = {"$ref": "#/$defs/" + named}
            return ref
        out: dict[str, Any] = {}
        for key, value in sub.items():
            if key in ("$schema", "$id", "$defs", "examples"):
                continue
            if key == "$ref" and isinstance(value, str):
                out[key] = "#/$defs/" + ref_name(value, rel, sub_pointer)
            elif key in ("default", "const", "enum"):
                out[key] = value
            elif key in _SCHEMA_MAPS and isinstance(value, dict):
                out[key] = {
                    k: walk(v, pointer_join(sub_pointer, key, k), False) for k, v in value.items()
                }
            else:
                out[key] = walk(value, pointer_join(sub_pointer, key), False)
        return out

    bundled = walk(node, pointer, True)
    if isinstance(bundled, dict):
        bundled.setdefault("title", name)
    return bundled
