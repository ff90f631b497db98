"""A content-addressed cache, so that unchanged input costs a hash and a compare.

Every key mixes in the *toolchain digest*: the generator's own source files, every template
and the versions of the libraries whose output we embed. A change to any of them changes
every key, so a cached result can never stand in for output the current toolchain would
render differently. Entries are written atomically and carry the digest of their content;
a corrupt or unreadable entry is a miss (see Cache).

Location: $WORKER_CLIENT_GEN_CACHE_DIR, else $XDG_CACHE_HOME/worker-client-gen, else
~/.cache/worker-client-gen. WORKER_CLIENT_GEN_NO_CACHE=1 (or `--no-cache`) turns it off.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import tempfile
import unicodedata
from collections.abc import Callable, Hashable
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from generator.memo import Memo, NoMemo

if TYPE_CHECKING:
    from generator.schema import Snapshot

CACHE_ENV = "WORKER_CLIENT_GEN_CACHE_DIR"
NO_CACHE_ENV = "WORKER_CLIENT_GEN_NO_CACHE"
# Libraries whose behaviour shapes the output or the validation verdict.
DEPENDENCIES = (
    "datamodel-code-generator",
    "black",
    "jinja2",
    "pyyaml",
    "jsonschema",
    "jsonschema-rs",
)
# Newest entries kept per kind when a run prunes; whole outputs are large, memoised pieces
# (one per message and step) are small but many.
KEEP = {"output": 16}
KEEP_DEFAULT = 20000
ENTRY_SUFFIX = ".entry"


def default_root() -> Path | None:
    if os.environ.get(NO_CACHE_ENV, "") not in ("", "0"):
        return None
    explicit = os.environ.get(CACHE_ENV)
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "worker-client-gen"


@lru_cache(maxsize=1)
def toolchain_digest() -> str:
    from importlib import metadata

    from generator.templating import runtime_root, templates_root

    digest = hashlib.sha256()
    package = Path(__file__).resolve().parent
    # The runtime is copied into the output: every file of it counts, not only the Python.
    sources = ((package, "*.py"), (templates_root(), "*"), (runtime_root(), "*"))
    for folder, pattern in sources:
        for path in sorted(p for p in folder.rglob(pattern) if p.is_file()):
            if "__pycache__" in path.parts:
                continue
            digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    for name in DEPENDENCIES:
        try:
            version = metadata.version(name)
        except metadata.PackageNotFoundError:
            version = "absent"
        digest.update(f"{name}=={version}\n".encode())
    # Soft keywords, identifier rules, NFC and `re` differ between interpreters, and one
    # cache folder may serve several.
    digest.update(f"python {sys.version_info[:2]} unicode {unicodedata.unidata_version}".encode())
    return digest.hexdigest()


def key(*parts: str) -> str:
    digest = hashlib.sha256(toolchain_digest().encode())
    for part in parts:
        digest.update(b"\0" + part.encode())
    return digest.hexdigest()


class Cache:
    """Entries are files `<kind>/<key[:2]>/<key>.entry`: the sha256 of the payload, a newline,
    then the payload. A read that finds a payload not matching its digest (a flipped bit, a
    hand edit, a torn write) removes the entry and is a miss, so whatever happens to the files,
    the cache can change only the time a run takes."""

    def __init__(self, root: Path | None) -> None:
        self.root = root

    @classmethod
    def from_environment(cls, enabled: bool = True) -> Cache:
        return cls(default_root() if enabled else None)

    @property
    def enabled(self) -> bool:
        return self.root is not None

    # What a process that runs many times (a HeldCache) keeps of its last run in memory:
    # the loader's Snapshot of the last clean load, for an incremental reload, and the
    # targets' Memo of what they made of the objects that load kept.
    def last_load(self) -> Snapshot | None:
        return None

    def keep_load(self, snapshot: Snapshot) -> None:
        pass

    def memo(self) -> Memo:
        return NoMemo()  # one run: nothing to keep for the next

    def _path(self, kind: str, entry: str) -> Path:
        assert self.root is not None
        return self.root / kind / entry[:2] / f"{entry}{ENTRY_SUFFIX}"

    def get_bytes(self, kind: str, entry: str) -> bytes | None:
        """The payload stored under (kind, entry), or None when absent or corrupt."""
        if self.root is None:
            return None
        path = self._path(kind, entry)
        try:
            stored = path.read_bytes()
        except OSError:
            return None
        digest, newline, payload = stored.partition(b"\n")
        if newline and hashlib.sha256(payload).hexdigest().encode() == digest:
            return payload
        path.unlink(missing_ok=True)  # corrupt: render again and store a good one
        return None

    def put_bytes(self, kind: str, entry: str, payload: bytes) -> None:
        if self.root is None:
            return
        path = self._path(kind, entry)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, temp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
            with os.fdopen(fd, "wb") as handle:
                handle.write(hashlib.sha256(payload).hexdigest().encode() + b"\n" + payload)
            os.replace(temp, path)
        except OSError:
            return  # a cache that cannot be written is only slower, never wrong

    def get(self, kind: str, entry: str) -> Any | None:
        """The JSON value stored under (kind, entry); callers still check its shape."""
        payload = self.get_bytes(kind, entry)
        if payload is None:
            return None
        try:
            return json.loads(payload)
        except ValueError:
            return None

    def put(self, kind: str, entry: str, value: Any) -> None:
        self.put_bytes(kind, entry, json.dumps(value, ensure_ascii=False).encode("utf-8"))

    def prune(self) -> None:
        """Drop the oldest entries of each kind beyond its limit (once per run)."""
        if self.root is None or not self.root.is_dir():
            return
        try:
            for kind_dir in self.root.iterdir():
                if not kind_dir.is_dir():
                    continue
                limit = KEEP.get(kind_dir.name, KEEP_DEFAULT)
                entries = list(kind_dir.glob(f"*/*{ENTRY_SUFFIX}"))
                if len(entries) <= limit:
                    continue
                entries.sort(key=lambda p: p.stat().st_mtime, reverse=True)
                for stale in entries[limit:]:
                    stale.unlink(missing_ok=True)
        except OSError:
            pass


class PieceTable:
    """What one expensive step made of the pieces of one output file (black per definition,
    datamodel-code-generator per chunk, YAML per path), kept in a single cache entry: a run
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


class HeldCache(Cache):
    """A Cache for one long-lived process (`generate --watch`): what it reads or writes stays
    in memory, decoded, and writes reach the disk only at flush() (the watcher calls it when
    nothing changed for a while, and on exit). A save then costs neither reading, verifying
    and decoding every table and parsed file again nor writing them back. Values it hands out
    are shared: callers treat them as read-only (PieceTable does, and the loader never
    changes a parsed file's data: tests/core/test_cache.py checks that)."""

    def __init__(self, root: Path | None) -> None:
        super().__init__(root)
        self._values: dict[tuple[str, str], Any] = {}
        self._pending: dict[tuple[str, str], Any] = {}
        self._load: Snapshot | None = None
        self._memo = Memo()

    def last_load(self) -> Snapshot | None:
        return self._load

    def memo(self) -> Memo:
        return self._memo

    def keep_load(self, snapshot: Snapshot) -> None:
        self._load = snapshot

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
        """Drop what is held but written (the toolchain changed: every key is new now), and
        the last load (the names the targets reserve may have changed with it)."""
        self._values = dict(self._pending)
        self._load = None
        self._memo = Memo()

    def flush(self) -> None:
        pending, self._pending = self._pending, {}
        for (kind, entry), value in pending.items():
            super().put(kind, entry, value)
        if pending:
            self.prune()
