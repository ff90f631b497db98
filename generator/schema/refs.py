"""`$ref`s: finding every one in a document, resolving one to (file, pointer), looking a
pointer up. Only relative references to a `$defs/<Name>` inside the schema folder exist."""

from __future__ import annotations

import re
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import unquote

from generator.errors import pointer_join
from generator.ir import DATA_KEYWORDS, NAME_MAPS


def find_refs(node: Any, pointer: str) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    _collect_refs(node, pointer, (), found)
    return found


def _collect_refs(
    node: Any, pointer: str, path: tuple[object, ...], found: list[tuple[str, str]]
) -> None:
    # The pointer of a node is only built for the nodes that are $refs.
    if isinstance(node, dict):
        for key, value in node.items():
            if key in NAME_MAPS and isinstance(value, dict):
                for name, sub in value.items():  # names: `default` may be a property
                    if isinstance(sub, (dict, list)):
                        _collect_refs(sub, pointer, (*path, key, name), found)
            elif key in DATA_KEYWORDS:
                continue
            elif key == "$ref" and isinstance(value, str):
                found.append((pointer_join(pointer, *path, key), value))
            elif isinstance(value, (dict, list)):
                _collect_refs(value, pointer, (*path, key), found)
    elif isinstance(node, list):
        for index, value in enumerate(node):
            if isinstance(value, (dict, list)):
                _collect_refs(value, pointer, (*path, index), found)


def resolve(from_rel: str, ref: str) -> tuple[str, str] | str:
    """(file, pointer) a $ref names, or an error message."""
    if "://" in ref or ref.startswith("/"):
        return f"$ref {ref!r}: only relative references inside the schema folder are allowed"
    path, _, fragment = ref.partition("#")
    if path:
        joined = PurePosixPath(from_rel).parent / path
        parts: list[str] = []
        for part in joined.parts:
            if part == "..":
                if not parts:
                    return f"$ref {ref!r} points outside the schema folder"
                parts.pop()
            elif part != ".":
                parts.append(part)
        rel = "/".join(parts)
    else:
        rel = from_rel
    fragment = unquote(fragment)
    if not re.match(r"^/\$defs/[^/]+$", fragment):
        return f"$ref {ref!r} must point at a definition: '<file>#/$defs/<Name>'"
    return rel, fragment


def lookup(data: Any, pointer: str) -> Any:
    node = data
    for raw in pointer.split("/")[1:]:
        part = raw.replace("~1", "/").replace("~0", "~")
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node
