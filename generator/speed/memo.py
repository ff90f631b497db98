"""What the targets make of one IR object (a message's view, a type's block, a definition's
text), remembered by the object's identity for the next run of the same process
(generator.run.Memo).

A reload in `generate --watch` (generator.schema.load_again) hands back the very objects of
every message and definition an edit did not touch, so a save recomputes only what the edit
changed, and finding the rest costs a dictionary lookup: no encoding, no digest. A one-shot
run has no next run to keep anything for: it gets a generator.run.NoMemo.

What a remembered value may depend on: its object, what that object reaches in the
catalogue (a message's payload type, the definitions it refers to; a reload keeps those
too only when they are unchanged), constants, and the `extra` part of its key, which must
name everything else. tests/core/test_reload_render.py renders every target after a series
of edits with a memo and in a fresh process and compares.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any, TypeVar

T = TypeVar("T")


class Memo:
    def __init__(self) -> None:
        # (kind, id(object), extra) -> (object, value). The object is held, so its id is
        # not reused while the entry lives.
        self._last: dict[tuple[str, int, Hashable], tuple[object, Any]] = {}
        self._now: dict[tuple[str, int, Hashable], tuple[object, Any]] = {}

    def value(self, kind: str, obj: object, make: Callable[[], T], extra: Hashable = None) -> T:
        """make()'s value for obj, computed once for as long as obj lives through runs."""
        found, value = self.known(kind, obj, extra)
        if not found:
            value = make()
            self.keep(kind, obj, value, extra)
        made: T = value
        return made

    def known(self, kind: str, obj: object, extra: Hashable = None) -> tuple[bool, Any]:
        """(True, the value) when obj has one under (kind, extra), which it keeps for the
        next run; else (False, None), and the caller hands its value to keep()."""
        key = (kind, id(obj), extra)
        hit = self._last.get(key) or self._now.get(key)
        if hit is None or hit[0] is not obj:
            return False, None
        self._now[key] = hit
        return True, hit[1]

    def keep(self, kind: str, obj: object, value: Any, extra: Hashable = None) -> None:
        self._now[(kind, id(obj), extra)] = (obj, value)

    def end_run(self) -> None:
        """Keep only what this run looked up: the objects a reload dropped are let go."""
        self._last, self._now = self._now, {}
