"""Indented, key-sorted JSON text, built one entry at a time.

`json.dumps` with `indent` runs the pure-Python encoder, about ten times slower than the C
one; the validation bundles (schemas.json, SCHEMA_DEFS) were the biggest single cost of an
edit. Here each entry below the top levels is encoded on its own and remembered, in the
PieceTable the caller passes, by its compact JSON (which the C encoder makes cheaply), so a
run re-encodes only the entries an edit changed. The text is exactly json.dumps's
(tests/core/test_jsontext.py).
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from generator.run import Pieces

TABLE_KIND = "json-pieces"  # the PieceTable kind callers keep their entries under


def indented(
    value: Any, indent: int, ensure_ascii: bool, table: Pieces | None = None, depth: int = 2
) -> str:
    """json.dumps(value, indent=indent, sort_keys=True, ensure_ascii=ensure_ascii); the
    objects of the first `depth` levels are laid out here, everything below them by entry."""
    return _at(value, indent, ensure_ascii, table, depth, 0)


def _at(
    value: Any, indent: int, ensure_ascii: bool, table: Pieces | None, depth: int, level: int
) -> str:
    # The text of value as it stands `level` levels deep: every line after its first is
    # indented for that depth already, so no level re-indents what is inside it.
    if depth == 0 or not isinstance(value, dict) or not value:
        return _entry(value, indent, ensure_ascii, table, level)
    pad = " " * (indent * (level + 1))
    parts = [
        f"{pad}{json.dumps(key, ensure_ascii=ensure_ascii)}: "
        + _at(value[key], indent, ensure_ascii, table, depth - 1, level + 1)
        for key in sorted(value)
    ]
    return "{\n" + ",\n".join(parts) + "\n" + " " * (indent * level) + "}"


def _entry(value: Any, indent: int, ensure_ascii: bool, table: Pieces | None, level: int) -> str:
    def encode() -> str:
        return json.dumps(value, indent=indent, sort_keys=True, ensure_ascii=ensure_ascii)

    def digest() -> str:
        compact = json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(f"{indent}\0{ensure_ascii}\0{compact}".encode()).hexdigest()

    shift = "\n" + " " * (indent * level)

    def placed(text: str) -> str:
        return text.replace("\n", shift) if level else text

    if table is None:
        return placed(encode())
    return table.text_of(value, (indent, ensure_ascii, level), digest, encode, placed)
