"""Render targets in memory, then write (`generate`) or compare (`check`) the result.

Nothing else in the generator touches disk. Writing is staged: every new file is written
to a temporary sibling first and only then moved into place, so a failure while rendering
or staging leaves the output folder exactly as it was.
"""

from __future__ import annotations

import difflib
import os
from dataclasses import dataclass, field
from pathlib import Path

from generator import background, targets
from generator.cache import Cache, activate
from generator.cache import key as cache_key
from generator.ir import Catalogue

# Build and tool output that may live inside generated/ but is never ours to manage.
IGNORED_DIRS = frozenset(
    {
        "node_modules",
        "dist",
        "build",
        "__pycache__",
        ".mypy_cache",
        ".pytest_cache",
        ".ruff_cache",
        ".venv",
        ".nox",
        ".tox",
    }
)
IGNORED_SUFFIXES = (".egg-info", ".tsbuildinfo", ".pyc", ".tgz", ".whl")
STAGING_SUFFIX = ".wcg-tmp"


@dataclass
class Outcome:
    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)


@dataclass
class Drift:
    stale: dict[str, str] = field(default_factory=dict)  # path -> unified diff
    missing: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        return not (self.stale or self.missing or self.extra)


def render_all(catalogue: Catalogue, names: list[str]) -> dict[str, str]:
    pending: dict[str, targets.Pending] = {}
    try:
        # Targets that start background work go first, so that it overlaps the others.
        for name in sorted(names, key=lambda n: not getattr(targets.load(n), "EARLY", False)):
            pending.update(targets.render(catalogue, name))
        files = {path: text if isinstance(text, str) else text() for path, text in pending.items()}
    finally:
        background.release()
    return dict(sorted(files.items()))


@dataclass
class Rendered:
    files: dict[str, str]
    messages: int


def render_folder(schemas: Path, display: str, names: list[str], cache: Cache) -> Rendered:
    """Render a schema folder; unchanged input and toolchain come straight from the cache.

    Raises SchemaErrors for invalid input (nothing is cached then).
    """
    from generator.loader import fingerprint_folder, load_schemas

    activate(cache)
    target_key = ",".join(names)
    if cache.enabled:
        fingerprint = fingerprint_folder(schemas)
        if fingerprint is not None:
            hit = cache.get("output", cache_key("output", fingerprint, target_key))
            if isinstance(hit, dict) and isinstance(hit.get("files"), dict):
                return Rendered(hit["files"], int(hit["messages"]))
    for name in names:
        # A target's slow first-run set-up (datamodel-code-generator's imports, ~0.5 s) is
        # paid in a worker while the schemas load.
        warm_up = getattr(targets.load(name), "warm_up", None)
        if warm_up is not None:
            background.prestart(warm_up)
    try:
        catalogue = load_schemas(
            schemas, display_root=display, cache=cache if cache.enabled else None
        )
    except BaseException:
        background.release()
        raise
    files = render_all(catalogue, names)
    if cache.enabled:
        # Keyed by what was actually loaded, not by the pre-load fingerprint: a file edited
        # mid-run must not be cached under its old content.
        entry = cache_key("output", catalogue.fingerprint, target_key)
        cache.put("output", entry, {"files": files, "messages": len(catalogue.messages)})
        cache.prune()
    return Rendered(files, len(catalogue.messages))


def owned_files(out: Path, prefixes: list[str]) -> set[str]:
    """Files below out that belong to the given targets (build output excluded)."""
    found: set[str] = set()
    if not out.is_dir():
        return found
    for dirpath, dirnames, filenames in os.walk(out):
        dirnames[:] = sorted(
            d for d in dirnames if d not in IGNORED_DIRS and not d.endswith(IGNORED_SUFFIXES)
        )
        for filename in filenames:
            if filename.endswith(IGNORED_SUFFIXES) or filename.endswith(STAGING_SUFFIX):
                continue
            rel = Path(dirpath, filename).relative_to(out).as_posix()
            if any(rel == p or (p.endswith("/") and rel.startswith(p)) for p in prefixes):
                found.add(rel)
    return found


def _read(path: Path) -> str | None:
    """The file's text; None when there is no readable UTF-8 file there (missing, a folder,
    below something that is not a folder, unreadable)."""
    try:
        return path.read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def write_tree(out: Path, files: dict[str, str], prefixes: list[str]) -> Outcome:
    outcome = Outcome()
    changed: dict[str, bytes] = {}
    for rel, text in files.items():
        if _read(out / rel) == text:
            outcome.unchanged.append(rel)
        else:
            changed[rel] = text.encode("utf-8")
    stale = sorted(owned_files(out, prefixes) - set(files))

    staged: list[tuple[Path, Path]] = []
    try:
        for rel, data in changed.items():
            final = out / rel
            final.parent.mkdir(parents=True, exist_ok=True)
            temp = final.with_name(final.name + STAGING_SUFFIX)
            temp.write_bytes(data)
            staged.append((temp, final))
    except BaseException:
        for temp, _ in staged:
            temp.unlink(missing_ok=True)
        raise
    for temp, final in staged:
        os.replace(temp, final)
    outcome.written = sorted(changed)
    for rel in stale:
        (out / rel).unlink()
        _prune_empty_dirs((out / rel).parent, out)
    outcome.removed = stale
    return outcome


def _prune_empty_dirs(folder: Path, stop: Path) -> None:
    while folder != stop and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent


def compare_tree(out: Path, files: dict[str, str], prefixes: list[str], out_label: str) -> Drift:
    drift = Drift()
    for rel, text in files.items():
        current = _read(out / rel)
        if current is None:
            drift.missing.append(rel)
        elif current != text:
            diff = difflib.unified_diff(
                current.splitlines(keepends=True),
                text.splitlines(keepends=True),
                fromfile=f"{out_label}/{rel} (committed)",
                tofile=f"{out_label}/{rel} (generated)",
            )
            drift.stale[rel] = "".join(diff)
    drift.extra = sorted(owned_files(out, prefixes) - set(files))
    return drift
