"""HeldCache: the cache of one long-lived process (`generate --watch`), in memory between
saves."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from generator.speed.store import Cache


class HeldCache(Cache):
    """A Cache for one long-lived process (`generate --watch`): what it reads or writes stays
    in memory, decoded, and writes reach the disk only at flush() (the watcher calls it when
    nothing changed for a while, and on exit). A save then costs neither reading, verifying
    and decoding every table and parsed file again nor writing them back. Values it hands out
    are shared: callers treat them as read-only (PieceTable does, and the schema package never
    changes a parsed file's data: tests/core/test_cache.py checks that)."""

    def __init__(self, root: Path | None) -> None:
        super().__init__(root)
        self._values: dict[tuple[str, str], Any] = {}
        self._pending: dict[tuple[str, str], Any] = {}

    def get(self, kind: str, entry: str) -> Any | None:
        held = self._values.get((kind, entry))
        if held is None:
            held = super().get(kind, entry)
            if held is None:
                return None
            self._values[(kind, entry)] = held
        return held

    def put(self, kind: str, entry: str, value: Any) -> None:
        if self.root is None:
            return
        self._values[(kind, entry)] = value
        self._pending[(kind, entry)] = value

    def forget(self) -> None:
        """Drop what is held but written (the toolchain changed: every key is new now)."""
        self._values = dict(self._pending)

    def flush(self) -> None:
        pending, self._pending = self._pending, {}
        for (kind, entry), value in pending.items():
            super().put(kind, entry, value)
        if pending:
            self.prune()
