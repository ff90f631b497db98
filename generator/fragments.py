"""`{% remember key %} ... {% endremember %}`: a template block rendered once per key.

A per-message or per-type block of a template (one interface of types.ts, one message's
section of a README) is the same text whenever what it reads is the same. `key` names all of
that: the loop item, or a list of it and constants. A block must read nothing but its key
and constants; tests/core/test_fragments.py renders every template with and without
remembering and compares.

Where the text is kept: a key that is the same object as in the last run of this process
(a view the target's Memo kept, generator.memo) finds it in memory, at the cost of a lookup.
Otherwise a JSON key's block is looked up by the digest of its JSON in a PieceTable per
template file, so that a fresh process, too, re-renders only the blocks an edit changed. A
dataclass view is kept in memory only: its repr costs more than the blocks it keys.
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

from generator.cache import Cache, PieceTable
from generator.memo import Memo, NoMemo

KIND = "template-fragments"
# The name under which a render passes its Fragments to `{% remember %}`.
VARIABLE = "_fragments"


class Fragments:
    """The remembered blocks of one template file, for one render: a PieceTable of the run's
    cache (its key mixes in the toolchain, so a block never outlives its template; in watch
    mode the cache holds the table in memory). With the cache off, every block renders."""

    def __init__(self, cache: Cache, name: str, memo: Memo | None = None) -> None:
        self.memo = memo or NoMemo()
        self.table = PieceTable(cache, KIND, name, self.memo)

    def text(self, where: str, key: Any, render: Callable[[], str]) -> str:
        def digest() -> str:
            source = json.dumps([where, key], sort_keys=True, ensure_ascii=False, default=_key_part)
            return hashlib.sha256(source.encode()).hexdigest()

        # A key that is the same object as in the last run (a view a target's Memo kept;
        # `[view, constant, ...]` too) is found without encoding it.
        head, rest = (key[0], tuple(key[1:])) if isinstance(key, list) and key else (key, ())
        if not all(isinstance(part, (str, int, float, bool, type(None))) for part in rest):
            return self.table.text(digest(), render)
        if dataclasses.is_dataclass(head) and not isinstance(head, type):
            # A dataclass view's repr costs more than most blocks: kept in memory only.
            return self.memo.value(f"{KIND}:{self.table.name}", head, render, (where, rest))
        return self.table.text_of(head, (where, rest), digest, render)

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
