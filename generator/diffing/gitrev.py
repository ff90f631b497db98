"""The schema folder as it was at a git revision, exported to a temporary folder."""

from __future__ import annotations

import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path, PurePosixPath

from generator.ir import Catalogue


class GitError(Exception):
    """git is missing, this is not a repository, or the revision/path does not exist."""


def git(*args: str, cwd: Path | None = None, input: bytes | None = None) -> bytes:
    try:
        result = subprocess.run(
            ["git", *args], cwd=cwd, input=input, capture_output=True, check=False
        )
    except FileNotFoundError as exc:
        raise GitError("git is not installed (needed for --base)") from exc
    if result.returncode != 0:
        message = result.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GitError(message[-1] if message else f"git {' '.join(args)} failed")
    return result.stdout


def repo_root(start: Path | None = None) -> Path:
    try:
        out = git("rev-parse", "--show-toplevel", cwd=start)
    except GitError as exc:
        raise GitError(f"not inside a git repository ({exc})") from exc
    return Path(out.decode().strip())


def commit_of(rev: str, root: Path) -> str | None:
    """The commit a revision names, or None when it names none."""
    try:
        out = git("rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}", cwd=root)
    except GitError:
        return None
    return out.decode().strip()


def path_in_repo(folder: str, root: Path) -> str:
    """The folder relative to the repository root, with forward slashes ('.' for the root)."""
    absolute = Path(folder).resolve()
    try:
        rel = absolute.relative_to(root.resolve())
    except ValueError as exc:
        raise GitError(f"{folder} is not inside the git repository at {root}") from exc
    return rel.as_posix() or "."


@contextmanager
def exported(rev: str, folder: str) -> Iterator[tuple[Path, str]]:
    """Yield (temporary copy of `folder` at `rev`, how to name it in messages: `rev:path`)."""
    root = repo_root()
    if commit_of(rev, root) is None:
        raise GitError(f"unknown git revision {rev!r}")
    rel = path_in_repo(folder, root)
    listing = git("ls-tree", "-r", "-z", rev, *([] if rel == "." else ["--", rel]), cwd=root)
    blobs: list[tuple[str, str]] = []  # (path below folder, object id)
    for entry in filter(None, listing.split(b"\0")):
        meta, _, raw_path = entry.partition(b"\t")
        mode, kind, oid = meta.decode().split()
        if kind != "blob" or mode == "120000":  # submodules and symlinks are not schemas
            continue
        path = PurePosixPath(raw_path.decode("utf-8"))
        below = path if rel == "." else path.relative_to(rel)
        blobs.append((below.as_posix(), oid))
    if not blobs:
        raise GitError(f"{rel}/ does not exist at {rev}")
    contents = _read_blobs([oid for _, oid in blobs], root)
    with tempfile.TemporaryDirectory(prefix="wcg-base-") as tmp:
        for (rel_path, _), data in zip(blobs, contents, strict=True):
            target = Path(tmp, rel_path)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        yield Path(tmp), f"{rev}:{rel}"


def _read_blobs(oids: list[str], root: Path) -> list[bytes]:
    """Every blob in one `git cat-file --batch` run."""
    out = git("cat-file", "--batch", cwd=root, input="".join(f"{o}\n" for o in oids).encode())
    contents: list[bytes] = []
    offset = 0
    for _ in oids:
        header_end = out.index(b"\n", offset)
        size = int(out[offset:header_end].split()[2])
        start = header_end + 1
        contents.append(out[start : start + size])
        offset = start + size + 1  # each object is followed by a newline
    return contents


def load_at(rev: str, folder: str) -> tuple[Catalogue, str]:
    """`folder` as it was at `rev`, and its name `rev:path` (path from the repository root).

    SchemaErrors name files the same way: `rev:path/file.yaml`.
    """
    from generator.schema import load_schemas

    with exported(rev, folder) as (tmp, display):
        return load_schemas(tmp, display_root=display), display
