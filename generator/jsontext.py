"""Indented, key-sorted JSON text, built one entry at a time.

`json.dumps` with `indent` runs the pure-Python encoder, about ten times slower than the C
one; the validation bundles (schemas.json, SCHEMA_DEFS) were the biggest single cost of an
edit. Here each entry below the top levels is encoded on its own and remembered by its
compact JSON (which the C encoder makes cheaply): in this process, so that a warm process
(`generate --watch`) re-encodes only the entries an edit changed, and in a PieceTable when
the caller passes one, so that a fresh process does too. The text is exactly json.dumps's
(tests/core/test_jsontext.py).
"""

from __future__ import annotations

import functools
import hashlib
import json
from typing import Any

from generator.cache import PieceTable

TABLE_KIND = "json-pieces"  # the PieceTable kind callers keep their entries under


def indented(
    value: Any, indent: int, ensure_ascii: bool, table: PieceTable | None = None, depth: int = 2
) -> str:
    """json.dumps(value, indent=indent, sort_keys=True, ensure_ascii=ensure_ascii); the
    objects of the first `depth` levels are laid out here, everything below them by entry."""
    if depth == 0 or not isinstance(value, dict) or not value:
        return _entry(value, indent, ensure_ascii, table)
    pad = " " * indent
    parts = []
    for key in sorted(value):
        text = indented(value[key], indent, ensure_ascii, table, depth - 1)
        name = json.dumps(key, ensure_ascii=ensure_ascii)
        parts.append(f"{pad}{name}: " + text.replace("\n", "\n" + pad))
    return "{\n" + ",\n".join(parts) + "\n}"


def _entry(value: Any, indent: int, ensure_ascii: bool, table: PieceTable | None) -> str:
    compact = json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    if table is None:
        return _encode(compact, indent, ensure_ascii)
    digest = hashlib.sha256(f"{indent}\0{ensure_ascii}\0{compact}".encode()).hexdigest()
    text = table.get(digest)
    if not isinstance(text, str):
        text = _encode(compact, indent, ensure_ascii)
        table.put(digest, text)
    return text


@functools.lru_cache(maxsize=1 << 16)
def _encode(compact: str, indent: int, ensure_ascii: bool) -> str:
    return json.dumps(json.loads(compact), indent=indent, sort_keys=True, ensure_ascii=ensure_ascii)
