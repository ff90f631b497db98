"""`{% remember key %} ... {% endremember %}`: a template block rendered once per key.

A per-message or per-type block of a template (one interface of types.ts, one message's
section of the TypeScript README) is the same text whenever what it reads is the same. `key`
names all of that (the loop item, as JSON or, for a dataclass view, its repr), and the
block's text is remembered under it, with the template and the block's line: in this process
(so `generate --watch` re-renders only the blocks an edit changed) and in a PieceTable per
template file (so a fresh process does too). A block must read nothing but its key and
constants; tests/core/test_fragments.py renders every template with and without remembering
and compares. Remember only blocks that cost more to render than their key costs to encode:
the Python README's sections render faster than their view's repr, so they are not.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Callable
from typing import Any

from jinja2 import Undefined, nodes
from jinja2.ext import Extension
from jinja2.parser import Parser

from generator.cache import Cache, PieceTable, toolchain_digest

KIND = "template-fragments"
# The name under which a render passes its Fragments to `{% remember %}`.
VARIABLE = "_fragments"
# Blocks remembered in this process, by digest; cleared when it grows past this many.
_MEMORY_LIMIT = 1 << 17
_memory: dict[str, str] = {}
# Tests switch remembering off to render every block afresh.
enabled = True


class Fragments:
    """The remembered blocks of one template file, for one render."""

    def __init__(self, cache: Cache, name: str) -> None:
        self.table = PieceTable(cache, KIND, name)
        # The toolchain digest changes with any template (watch mode forgets it then), so a
        # remembered block never outlives the template it came from.
        self.scope = f"{toolchain_digest()}\0{name}"

    def text(self, where: str, key: Any, render: Callable[[], str]) -> str:
        if not enabled:
            return render()
        source = json.dumps(
            [self.scope, where, key], sort_keys=True, ensure_ascii=False, default=_key_part
        )
        digest = hashlib.sha256(source.encode()).hexdigest()
        text = _memory.get(digest)
        if text is None:
            text = self.table.text(digest, render)
            if len(_memory) >= _MEMORY_LIMIT:
                _memory.clear()
            _memory[digest] = text
        else:
            self.table.put(digest, text)
        return text

    def save(self) -> None:
        self.table.save()


def _key_part(value: Any) -> str:
    """A key's non-JSON part: a dataclass, by its repr, which shows every field. Anything
    else (an undefined name, an object with a partial repr) would give many blocks one key,
    so it is refused."""
    if isinstance(value, Undefined):
        raise TypeError(f"{{% remember %}} key is undefined: {value._undefined_hint or value!r}")
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        if all(f.repr for f in dataclasses.fields(value)):
            return repr(value)
    raise TypeError(f"a {type(value).__name__} cannot key a remembered block")


class RememberExtension(Extension):
    tags = {"remember"}

    def parse(self, parser: Parser) -> nodes.Node:
        lineno = next(parser.stream).lineno
        key = parser.parse_expression()
        body = parser.parse_statements(("name:endremember",), drop_needle=True)
        args = [
            nodes.Name(VARIABLE, "load"),
            nodes.Const(f"{parser.name}:{lineno}"),
            key,
        ]
        call = self.call_method("_remember", args)
        return nodes.CallBlock(call, [], [], body).set_lineno(lineno)

    def _remember(
        self, fragments: Fragments, where: str, key: Any, caller: Callable[[], str]
    ) -> str:
        return fragments.text(where, key, caller)
