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
from functools import lru_cache
from pathlib import Path
from typing import Any

CACHE_ENV = "WORKER_CLIENT_GEN_CACHE_DIR"
NO_CACHE_ENV = "WORKER_CLIENT_GEN_NO_CACHE"
# Libraries whose behaviour shapes the output or the validation verdict.
DEPENDENCIES = (
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
    package = Path(__file__).resolve().parents[1]  # generator/
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
