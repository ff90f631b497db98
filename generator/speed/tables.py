"""PieceTable: what one expensive step made of the pieces of one output file, kept in one
cache entry (generator.run.Pieces, on disk)."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any

from generator.run import Memo
from generator.speed.store import Cache, key


class PieceTable:
    """What one expensive step made of the pieces of one output file (black per definition,
    JSON per entry, YAML per path), kept in a single cache entry: a run
    reads it once, looks each piece up by the digest of its input, and writes it back, with
    only the pieces it used, when that set changed. With the cache off, or no name, it
    remembers nothing."""

    def __init__(self, cache: Cache, kind: str, name: str | None, memo: Memo | None = None) -> None:
        self.cache, self.kind, self.name = cache, kind, name
        self._stored: dict[str, Any] | None = None  # read at the first lookup
        self._used: dict[str, Any] = {}
        self.memo = memo
        self._memo_kind = f"{kind}:{name}"

    @property
    def _known(self) -> dict[str, Any]:
        if self._stored is None:
            name, cache = self.name, self.cache
            stored = cache.get(self.kind, key(self.kind, name)) if name and cache.enabled else None
            self._stored = stored if isinstance(stored, dict) else {}
        return self._stored

    def get(self, digest: str) -> Any | None:
        """The stored value for `digest` (callers check its shape), or None."""
        value = self._known.get(digest)
        if value is not None:
            self._used[digest] = value
        return value

    def put(self, digest: str, value: Any) -> None:
        self._used[digest] = value

    def text(self, digest: str, make: Callable[[], str]) -> str:
        """The text stored for `digest`, else make()'s, kept for the next run."""
        value = self.get(digest)
        if not isinstance(value, str):
            value = make()
        self._used[digest] = value
        return value

    def text_of(
        self,
        obj: object,
        extra: Hashable,
        digest: Callable[[], str],
        make: Callable[[], str],
        finish: Callable[[str], str] | None = None,
    ) -> str:
        """text(digest(), make) for a piece made from obj (and extra) alone, passed through
        finish when given (the table keeps the unfinished text). With a memo, an obj that is
        the same object as in the last run is found, finished, without its digest (the memo
        keeps the digest, so the table still learns which pieces are in use)."""
        done = finish or _as_is
        if self.memo is None:
            return done(self.text(digest(), make))
        found, hit = self.memo.known(self._memo_kind, obj, extra)
        if found:
            # The piece is used as if looked up, so the table keeps exactly what is in use.
            used_digest, stored, finished = hit
            self._used[used_digest] = stored
            return str(finished)
        used_digest = digest()
        stored = self.text(used_digest, make)
        finished = done(stored)
        self.memo.keep(self._memo_kind, obj, (used_digest, stored, finished), extra)
        return finished

    def save(self) -> None:
        if self._stored is None and not self._used:
            return  # never looked at: nothing to keep or drop
        if self.name and self.cache.enabled and self._used != self._known:
            self.cache.put(self.kind, key(self.kind, self.name), self._used)


def _as_is(text: str) -> str:
    return text
