"""Render targets in memory, then write (`generate`) or compare (`check`) the result.

Nothing else in the generator touches disk. Writing is one transaction (generator.transaction):
the output folder afterwards holds all the old files or all the new ones, never a mix, and
one run at a time writes it.
"""

from __future__ import annotations

import difflib
import errno
import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeGuard

from generator import targets, transaction
from generator.ir import Catalogue
from generator.run import NO_SPEED, RunContext, Speed

if TYPE_CHECKING:
    from generator.schema import Snapshot

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


@dataclass
class Outcome:
    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    # What an earlier, interrupted run left and this one cleaned up first.
    recovered: transaction.Recovered = field(default_factory=transaction.Recovered)
    # Backups that could not be removed after the new files were in place.
    leftovers: list[str] = field(default_factory=list)


@dataclass
class Drift:
    stale: dict[str, str] = field(default_factory=dict)  # path -> unified diff
    missing: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)
    # An interrupted run's journal, staged files or lock: `generate` cleans them up.
    leftovers: list[str] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        return not (self.stale or self.missing or self.extra or self.leftovers)


def render_all(
    catalogue: Catalogue, names: list[str], run: RunContext | None = None
) -> dict[str, str]:
    """Every file of the named targets (path below --out -> text). Without `run`: nothing is
    remembered."""
    run = run or RunContext()
    files: dict[str, str] = {}
    for name in names:
        files.update(targets.render(catalogue, name, run))
    return dict(sorted(files.items()))


@dataclass
class Rendered:
    files: dict[str, str]
    messages: int
    # What the next render of the same folder in this process may start from (watch mode).
    snapshot: Snapshot | None = None


@dataclass
class Unchanged:
    messages: int
    files: int


def unchanged_output(schemas: Path, names: list[str], out: Path, speed: Speed) -> Unchanged | None:
    """What `out` holds when it is already exactly what these schemas render, as an earlier
    run recorded it (the digest of every file, under the digest of the input and the
    toolchain); else None. Costs a hash of the input files and of the output files, and
    imports no target."""
    from generator.schema import fingerprint_folder

    if (out / transaction.LOCK).exists():
        return None  # another run may be writing: the full path says so (TreeBusy)
    fingerprint = fingerprint_folder(schemas)
    if fingerprint is None:
        return None
    hit = speed.recall(OUTPUT_KIND, fingerprint, ",".join(names))
    if not _is_output(hit):
        return None
    digests: dict[str, str] = hit["digests"]
    for rel, digest in digests.items():
        try:
            data = (out / rel).read_bytes()
        except OSError:
            return None
        if hashlib.sha256(data).hexdigest() != digest:
            return None
    if owned_files(out, [targets.prefix(n) for n in names]) - set(digests):
        return None
    if transaction.leftovers(out, IGNORED_DIRS) or transaction.stale_lock(out):
        return None
    return Unchanged(hit["messages"], len(digests))


# What a rendering produced, as the digest of each file: a later run whose input and
# toolchain are the same compares the output folder against it without rendering.
OUTPUT_KIND = "output"


def render_folder(
    schemas: Path,
    display: str,
    names: list[str],
    speed: Speed = NO_SPEED,
    keep_output: bool = True,
    previous: Snapshot | None = None,
) -> Rendered:
    """Render a schema folder (every unchanged piece comes from `speed`, when it keeps any).
    With keep_output, the digests of the result are recorded for unchanged_output (watch mode
    skips that: the folder changes again at the next save). `previous`: the snapshot of an
    earlier render of the same folder in this process, which the load starts from.

    Raises SchemaErrors for invalid input (nothing is cached then).
    """
    from generator.schema import load_again

    loaded = load_again(schemas, display, speed, previous)
    catalogue = loaded.catalogue
    files = render_all(catalogue, names, RunContext(speed))
    if keep_output:
        # Keyed by what was actually loaded, not by a fingerprint taken before: a file edited
        # mid-run must not be recorded under its old content.
        digests = {
            rel: hashlib.sha256(text.encode("utf-8")).hexdigest() for rel, text in files.items()
        }
        record = {"digests": digests, "messages": len(catalogue.messages)}
        speed.store(OUTPUT_KIND, record, catalogue.fingerprint, ",".join(names))
    speed.end_run()
    return Rendered(files, len(catalogue.messages), loaded.snapshot)


def _is_output(hit: Any) -> TypeGuard[dict[str, Any]]:
    return (
        isinstance(hit, dict)
        and isinstance(hit.get("messages"), int)
        and isinstance(hit.get("digests"), dict)
        and all(isinstance(k, str) and isinstance(v, str) for k, v in hit["digests"].items())
    )


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
            if filename.endswith(IGNORED_SUFFIXES + transaction.LEFTOVER_SUFFIXES):
                continue
            if filename in transaction.OWN_NAMES and dirpath == str(out):
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
    """Make the targets' part of `out` exactly `files`, as one transaction. Raises TreeBusy
    (another run is writing), WriteFailed (the write failed; it says whether the old files
    are back) or OSError (nothing was changed)."""
    outcome = Outcome()
    with transaction.locked(out):
        outcome.recovered = transaction.recover(out, IGNORED_DIRS)
        changed: dict[str, bytes] = {}
        for rel, text in files.items():
            target = out / rel
            if _read(target) == text:
                outcome.unchanged.append(rel)
                continue
            if target.is_dir() and not target.is_symlink():
                raise OSError(errno.EISDIR, "a folder is in the way", str(target))
            changed[rel] = text.encode("utf-8")
        stale = sorted(owned_files(out, prefixes) - set(files))
        outcome.leftovers = transaction.apply(out, transaction.Plan(changed, stale))
    outcome.written = sorted(changed)
    outcome.removed = stale
    return outcome


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
    drift.leftovers = transaction.leftovers(out, IGNORED_DIRS)
    if transaction.stale_lock(out):
        drift.leftovers.append(transaction.LOCK)
    return drift
