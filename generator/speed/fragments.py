"""Where `{% remember key %}` blocks are kept (generator.run.Blocks; the tag itself is
generator.templating's).

A per-message or per-type block of a template (one interface of types.ts, one message's
section of a README) is the same text whenever what it reads is the same. `key` names all of
that: the loop item, or a list of it and constants. A block must read nothing but its key
and constants; tests/core/test_fragments.py renders every template with and without
remembering and compares.

Where the text is kept: a key that is the same object as in the last run of this process
(a view the target's Memo kept, generator.speed.memo) finds it in memory, at the cost of a lookup.
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

from generator.run import Memo, NoMemo
from generator.speed.store import Cache
from generator.speed.tables import PieceTable
from generator.templating import key_part

KIND = "template-fragments"


class Fragments:
    """The remembered blocks of one template file, for one render: a PieceTable of the run's
    cache (its key mixes in the toolchain, so a block never outlives its template; in watch
    mode the cache holds the table in memory). With the cache off, every block renders."""

    def __init__(self, cache: Cache, name: str, memo: Memo | None = None) -> None:
        self.memo = memo or NoMemo()
        self.table = PieceTable(cache, KIND, name, self.memo)

    def text(self, where: str, key: Any, render: Callable[[], str]) -> str:
        def digest() -> str:
            source = json.dumps([where, key], sort_keys=True, ensure_ascii=False, default=key_part)
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
