"""The speed layer as the core sees it: generator.run.Speed over a disk Cache (CacheSpeed),
and over a HeldCache with a Memo for the runs of one long-lived process (HeldSpeed)."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

from generator.run import Blocks, Memo, NoMemo, Pieces
from generator.speed.fragments import Fragments
from generator.speed.held import HeldCache
from generator.speed.memo import Memo as KeptMemo
from generator.speed.store import Cache, key
from generator.speed.tables import PieceTable

# Compiled templates, stored in the cache as verified entries like any other.
BYTECODE_KIND = "jinja"


class CacheSpeed:
    """A Speed that keeps what it is given in `cache` (Cache(None): nowhere), for one run."""

    def __init__(self, cache: Cache, memo: Memo | None = None) -> None:
        self.cache = cache
        self._memo: Memo = memo or NoMemo()

    @property
    def memo(self) -> Memo:
        return self._memo

    def pieces(self, kind: str, name: str | None) -> Pieces:
        return PieceTable(self.cache, kind, name, self._memo)

    def blocks(self, template: str) -> Blocks:
        return Fragments(self.cache, template, self._memo)

    def recall(self, kind: str, *parts: str) -> Any | None:
        return self.cache.get(kind, key(kind, *parts))

    def store(self, kind: str, value: Any, *parts: str) -> None:
        self.cache.put(kind, key(kind, *parts), value)

    def bytecode_cache(self) -> Any | None:
        return _bytecode_cache(self.cache.root)

    def end_run(self) -> None:
        self._memo.end_run()
        self.cache.prune()


class HeldSpeed(CacheSpeed):
    """The Speed of `generate --watch`: tables held in memory between saves (written to disk
    at flush()), and a Memo of what the targets made of every IR object a reload kept."""

    cache: HeldCache

    def __init__(self, root: Path | None) -> None:
        super().__init__(HeldCache(root), KeptMemo())

    def end_run(self) -> None:
        self._memo.end_run()  # the disk is pruned at flush(), not at every save

    def flush(self) -> None:
        self.cache.flush()

    def forget(self) -> None:
        """The toolchain changed: every key is new, and nothing made before is still right."""
        self.cache.forget()
        self._memo = KeptMemo()


@functools.cache  # one per cache folder, so that the Jinja environments built on it are shared
def _bytecode_cache(root: Path | None) -> Any | None:
    if root is None:
        return None
    import jinja2

    store = Cache(root)

    class VerifiedBytecodeCache(jinja2.BytecodeCache):
        # Jinja's own file cache would load a corrupted file as code; these entries are
        # checked against their digest first (a bad one is a miss, and is compiled again).
        def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
            payload = store.get_bytes(BYTECODE_KIND, key(BYTECODE_KIND, bucket.key))
            if payload is not None:
                bucket.bytecode_from_string(payload)

        def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
            store.put_bytes(
                BYTECODE_KIND, key(BYTECODE_KIND, bucket.key), bucket.bytecode_to_string()
            )

    return VerifiedBytecodeCache()
