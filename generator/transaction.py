"""Write a set of files below a folder as one transaction: afterwards the folder holds either
all of the old files or all of the new ones, whatever fails and wherever the process dies.

The protocol, under an exclusive lock (`.wcg-lock`, one run at a time):

1. A journal (`.wcg-journal`) names every file to write or remove, whether each existed
   before, and the folders to create. It is written beside and renamed into place.
2. Every new file is staged as `<name>.wcg-new` next to its destination.
3. Swap: each existing destination is renamed to `<name>.wcg-old`, then the staged file to
   the destination; each file to remove is renamed to `<name>.wcg-old`.
4. Commit: the journal is replaced by one that says "committed" (a single rename).
5. Clean-up: the `.wcg-old` files and the journal are removed.

A failure before step 4 rolls back at once (backups renamed back, new files and folders
removed). When even that fails, or the process was killed, the journal is still there, and
the next run (recover()) finishes the job: back to the old files when the journal is not
committed, forward to the new ones when it is. `check` reports a journal or staged file it
finds (leftovers()). This protects against failed writes and killed processes; files are
not fsynced, so a power cut may still lose the newest writes.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: no lock, one run at a time is up to you
    fcntl = None  # type: ignore[assignment]

JOURNAL = ".wcg-journal"
LOCK = ".wcg-lock"
NEW_SUFFIX = ".wcg-new"
OLD_SUFFIX = ".wcg-old"
# Staged files of earlier versions (before the journal), and the journal's own temporary.
LEGACY_SUFFIX = ".wcg-tmp"
LEFTOVER_SUFFIXES = (NEW_SUFFIX, OLD_SUFFIX, LEGACY_SUFFIX)
OWN_NAMES = frozenset({JOURNAL, JOURNAL + NEW_SUFFIX, LOCK})

# Every rename of the protocol goes through here, so that tests can fail the k-th one.
_rename: Callable[[Path, Path], None] = os.replace


class TreeBusy(Exception):
    """Another run holds the folder's lock."""

    def __init__(self, out: Path, holder: str) -> None:
        super().__init__(f"another worker-client-gen run{holder} is writing {out}")


class WriteFailed(Exception):
    """The write failed; `restored` says whether the folder holds the old files again."""

    def __init__(self, cause: OSError, restored: bool) -> None:
        super().__init__(str(cause))
        self.cause = cause
        self.restored = restored


@dataclass
class Plan:
    write: dict[str, bytes]  # rel -> new content
    remove: list[str]


@dataclass
class Recovered:
    """What recover() found and did."""

    rolled_back: bool = False  # an interrupted run's files were put back to the old ones
    rolled_forward: bool = False  # a committed run's clean-up was finished
    removed: list[str] = field(default_factory=list)  # stray staged files removed


@contextlib.contextmanager
def locked(out: Path) -> Iterator[None]:
    """Hold the folder's lock; TreeBusy at once when another run holds it."""
    out.mkdir(parents=True, exist_ok=True)
    if fcntl is None:
        yield
        return
    path = out / LOCK
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.read(fd, 32).decode("ascii", "replace").strip()
            os.close(fd)
            raise TreeBusy(out, f" (pid {holder})" if holder.isdigit() else "") from None
        try:
            same = os.fstat(fd).st_ino == os.stat(path).st_ino
        except FileNotFoundError:
            same = False
        if same:
            break
        os.close(fd)  # the holder removed the file as we opened it: lock the new one
    try:
        # Written, then cut to its length: on ext4, closing a file truncated to zero and
        # written again waits for its data to reach the disk (auto_da_alloc), a few ms.
        written = os.pwrite(fd, str(os.getpid()).encode(), 0)
        os.ftruncate(fd, written)
        yield
    finally:
        with contextlib.suppress(OSError):
            path.unlink()
        os.close(fd)


def stale_lock(out: Path) -> bool:
    """A lock file nobody holds (its run was killed)."""
    path = out / LOCK
    if fcntl is None or not path.is_file():
        return False
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        return True
    except BlockingIOError:
        return False
    finally:
        os.close(fd)


def apply(out: Path, plan: Plan) -> list[str]:
    """Carry out the plan (the caller holds the lock). Returns leftovers that could not be
    removed after the commit (the new files are in place all the same). Raises WriteFailed."""
    if not plan.write and not plan.remove:
        return []
    created = _folders_to_create(out, plan.write)
    existed = {rel: (out / rel).exists() for rel in plan.write}
    journal: dict[str, Any] = {
        "state": "pending",
        "write": existed,
        "remove": plan.remove,
        "created": created,
    }
    try:
        _write_journal(out, journal)
        for folder in created:
            (out / folder).mkdir()
        for rel, data in plan.write.items():
            (out / (rel + NEW_SUFFIX)).write_bytes(data)
        for rel, was_there in existed.items():
            final = out / rel
            if was_there:
                _rename(final, out / (rel + OLD_SUFFIX))
            _rename(out / (rel + NEW_SUFFIX), final)
        for rel in plan.remove:
            _rename(out / rel, out / (rel + OLD_SUFFIX))
        _write_journal(out, {**journal, "state": "committed"})
    except BaseException as exc:  # an I/O error, or Ctrl-C: put the old files back
        try:
            _roll_back(out, journal)
        except OSError:
            if isinstance(exc, OSError):
                raise WriteFailed(exc, restored=False) from exc
            raise
        if isinstance(exc, OSError):
            raise WriteFailed(exc, restored=True) from exc
        raise
    return _finish(out, journal)


def recover(out: Path, skip_dirs: frozenset[str] = frozenset()) -> Recovered:
    """Finish what an interrupted run left (the caller holds the lock): roll an uncommitted
    journal back, a committed one forward, and remove stray staged files (none are ever
    staged below `skip_dirs`, such as node_modules, which is not walked)."""
    found = Recovered()
    journal = _read_journal(out)
    if journal is not None:
        if journal.get("state") == "committed":
            _finish(out, journal)
            found.rolled_forward = True
        else:
            _roll_back(out, journal)
            found.rolled_back = True
    for rel in leftovers(out, skip_dirs):
        (out / rel).unlink(missing_ok=True)  # staged files no journal names
        found.removed.append(rel)
    return found


def leftovers(out: Path, skip_dirs: frozenset[str] = frozenset()) -> list[str]:
    """The journal and every staged or backed-up file below out (relative paths)."""
    found: list[str] = []
    if not out.is_dir():
        return found
    for name in (JOURNAL, JOURNAL + NEW_SUFFIX):
        if (out / name).exists():
            found.append(name)
    for dirpath, dirnames, filenames in os.walk(out):
        dirnames[:] = sorted(d for d in dirnames if d not in skip_dirs)
        for filename in sorted(filenames):
            rel = Path(dirpath, filename).relative_to(out).as_posix()
            if filename.endswith(LEFTOVER_SUFFIXES) and rel not in found:
                found.append(rel)
    return found


def _folders_to_create(out: Path, write: dict[str, bytes]) -> list[str]:
    """Folders the new files need that do not exist yet, parents first."""
    missing: set[str] = set()
    for rel in write:
        parent = (out / rel).parent
        while parent != out and not parent.is_dir():
            missing.add(parent.relative_to(out).as_posix())
            parent = parent.parent
    return sorted(missing, key=lambda p: (p.count("/"), p))


def _write_journal(out: Path, journal: dict[str, Any]) -> None:
    temp = out / (JOURNAL + NEW_SUFFIX)
    temp.write_text(json.dumps(journal, indent=1, sort_keys=True), encoding="utf-8")
    _rename(temp, out / JOURNAL)


def _read_journal(out: Path) -> dict[str, Any] | None:
    path = out / JOURNAL
    try:
        journal = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError):
        journal = None
    if not isinstance(journal, dict) or not isinstance(journal.get("write"), dict):
        # Not one we wrote completely: no rename happened before the journal was in place,
        # so the files are the old ones; only staged files may need removing.
        path.unlink()
        return None
    return journal


def _roll_back(out: Path, journal: dict[str, Any]) -> None:
    """Put every file back as it was before the journal's run (idempotent)."""
    for rel in journal.get("remove", []):
        if (out / (rel + OLD_SUFFIX)).exists():
            _rename(out / (rel + OLD_SUFFIX), out / rel)
    for rel, existed in journal["write"].items():
        backup = out / (rel + OLD_SUFFIX)
        if existed:
            if backup.exists():
                _rename(backup, out / rel)
            # else: the old file was never moved away
        else:
            (out / rel).unlink(missing_ok=True)
        (out / (rel + NEW_SUFFIX)).unlink(missing_ok=True)
    for folder in reversed(journal.get("created", [])):
        with contextlib.suppress(OSError):
            (out / folder).rmdir()
    (out / JOURNAL).unlink(missing_ok=True)
    (out / (JOURNAL + NEW_SUFFIX)).unlink(missing_ok=True)


def _finish(out: Path, journal: dict[str, Any]) -> list[str]:
    """After the commit: drop the backups and the journal, prune emptied folders."""
    left: list[str] = []
    for rel in [*journal["write"], *journal.get("remove", [])]:
        try:
            (out / (rel + OLD_SUFFIX)).unlink(missing_ok=True)
        except OSError:
            left.append(rel + OLD_SUFFIX)
    for rel in journal.get("remove", []):
        _prune_empty_dirs((out / rel).parent, out)
    try:
        (out / JOURNAL).unlink(missing_ok=True)
    except OSError:
        left.append(JOURNAL)
    return left


def _prune_empty_dirs(folder: Path, stop: Path) -> None:
    with contextlib.suppress(OSError):
        while folder != stop and folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()
            folder = folder.parent
