"""Reading a schema folder: which entries are input, their bytes (bounded, never outside
the folder), their parse, the VERSION file and the folder's fingerprint.

Layout: `<dir>/<message-type>.yaml` is one message payload schema each;
`<dir>/shared/*.yaml` holds `$defs` shared by several messages; `<dir>/VERSION` is the
version of the generated packages."""

from __future__ import annotations

import hashlib
import os
import re
import time
from pathlib import Path

from generator import naming
from generator.run import Speed
from generator.schema.limits import LimitExceeded, entry_problem, read_bounded
from generator.schema.reload import signature, unchanged_since
from generator.schema.state import SHARED_DIR, Doc, State, display_of, in_shared
from generator.schema.yamlio import YamlProblem, parse_yaml

VERSION_FILE = "VERSION"
# A file's parse, by its bytes' digest, once it passed the metaschema (generator.run.Speed).
PARSED_KIND = "parsed"
DEFAULT_VERSION = "0.0.0"
SEMVER_RE = re.compile(r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-[0-9A-Za-z.-]+)?$")


def input_files(root: Path) -> list[Path]:
    """Every entry of the folder (and shared/) the schema package looks at, sorted: files, and
    anything that is not plainly a directory to ignore, so that it can be refused."""

    def wanted(path: Path) -> bool:
        plain_dir = path.is_dir() and not path.is_symlink()
        return not plain_dir or path.suffix in SCHEMA_SUFFIXES or path.name == VERSION_FILE

    candidates = [p for p in root.iterdir() if wanted(p) and p.name != SHARED_DIR]
    shared = root / SHARED_DIR
    if os.path.lexists(shared) and entry_problem(root, shared, directory_ok=True) is not None:
        candidates.append(shared)  # refused by the reader, never entered
    elif shared.is_dir():
        candidates += [p for p in shared.iterdir() if wanted(p)]
    return sorted(candidates)


SCHEMA_SUFFIXES = (".yaml", ".yml", ".json")


def _read_input(root: Path, path: Path) -> bytes | str:
    """The bytes of an input file, or why it may not be read (schema_limits)."""
    problem = entry_problem(root, path)
    if problem is not None:
        return problem
    try:
        return read_bounded(path)
    except LimitExceeded as exc:
        return str(exc)


def read_checked(root: Path, path: Path, state: State, rel: str) -> bytes | None:
    """The bytes of an input file, or None after reporting why it may not be read."""
    raw = _read_input(root, path)
    if isinstance(raw, str):
        state.error(rel, "", raw)
        return None
    return raw


def file_digest(root: Path, path: Path) -> str:
    """sha256 of an input file; for one that is refused, the reason (so the fingerprint of
    a folder changes with it, and nothing cached can stand in for the error)."""
    raw = _read_input(root, path)
    return "refused: " + raw if isinstance(raw, str) else hashlib.sha256(raw).hexdigest()


def fingerprint(hashes: list[tuple[str, str]]) -> str:
    digest = hashlib.sha256()
    for rel, sha in sorted(hashes):
        digest.update(f"{rel}\0{sha}\n".encode())
    return digest.hexdigest()


def fingerprint_folder(schema_dir: str | Path) -> str | None:
    """Catalogue.fingerprint of a folder without parsing it (None: no such folder)."""
    root = Path(schema_dir)
    if not root.is_dir():
        return None
    hashes = []
    for path in input_files(root):
        rel = path.relative_to(root).as_posix()
        if path.suffix in SCHEMA_SUFFIXES or path.name == VERSION_FILE or path.is_symlink():
            hashes.append((rel, file_digest(root, path)))
        elif entry_problem(root, path, directory_ok=True) is not None:
            hashes.append((rel, "refused"))
    return fingerprint(hashes)


def read_folder(
    root: Path,
    state: State,
    hashes: list[tuple[str, str]],
    speed: Speed,
    known: dict[str, Doc],
) -> list[str]:
    """Read and parse every input file into state.docs; the message files, sorted. A file
    whose bytes are those of a document in `known` (a clean earlier load) is that document."""
    message_rels: list[str] = []
    for path in input_files(root):
        rel = path.relative_to(root).as_posix()
        is_shared = in_shared(rel)
        if rel == VERSION_FILE:
            continue  # read_version
        if path.suffix not in SCHEMA_SUFFIXES:
            # README.md, CHANGELOG ...: not read, but not a way out of the folder either.
            problem = entry_problem(root, path, directory_ok=True)
            if problem is not None:
                hashes.append((rel, "refused"))
                state.error(rel, "", problem)
            continue
        same = known.get(rel)
        if same is not None and unchanged_since(path, same):
            hashes.append((rel, same.sha))
            _keep_doc(same, state, message_rels)
            continue
        seen, seen_at = signature(path), time.time_ns()
        raw = read_checked(root, path, state, rel)
        if raw is None:
            hashes.append((rel, "refused"))
            continue
        if path.suffix in (".yml", ".json"):
            hashes.append((rel, hashlib.sha256(raw).hexdigest()))
            state.error(rel, "", "schema files must end in .yaml")
            continue
        if not is_shared and not naming.KEBAB_RE.match(path.stem):
            state.error(
                rel,
                "",
                f"file name {path.stem!r} is not a kebab-case message type "
                "(lower-case words joined by '-', e.g. file-download-request.yaml)",
            )
            continue
        sha = hashlib.sha256(raw).hexdigest()
        hashes.append((rel, sha))
        if same is not None and same.sha == sha:
            same.seen, same.seen_at = seen, seen_at  # the same bytes, written again
            _keep_doc(same, state, message_rels)
            continue
        doc = Doc(rel, display_of(state.display_root, rel), None, sha=sha)
        doc.seen, doc.seen_at = seen, seen_at
        state.docs[rel] = doc
        cached = speed.recall(PARSED_KIND, sha)
        if cached is not None:
            doc.data, doc.meta_valid = cached, True
            if not is_shared:
                message_rels.append(rel)
            continue
        try:
            doc.data = parse_yaml(raw.decode("utf-8"))
        except UnicodeDecodeError as exc:
            state.error(rel, "", f"not UTF-8 text: {exc.reason} at byte {exc.start}")
            del state.docs[rel]
            continue
        except YamlProblem as exc:
            state.error(rel, exc.pointer, str(exc))
            del state.docs[rel]
            continue
        if not is_shared:
            message_rels.append(rel)
    return message_rels


def _keep_doc(doc: Doc, state: State, message_rels: list[str]) -> None:
    """A document of the last clean load is this run's too: its file holds the same bytes."""
    state.docs[doc.rel] = doc
    if not in_shared(doc.rel):
        message_rels.append(doc.rel)


def read_version(root: Path, state: State, hashes: list[tuple[str, str]]) -> str:
    path = root / VERSION_FILE
    if not os.path.lexists(path):
        return DEFAULT_VERSION
    raw = read_checked(root, path, state, VERSION_FILE)
    if raw is None:
        hashes.append((VERSION_FILE, "refused"))
        return DEFAULT_VERSION
    hashes.append((VERSION_FILE, hashlib.sha256(raw).hexdigest()))
    version = raw.decode("utf-8", "replace").strip()
    if not SEMVER_RE.match(version):
        state.error(VERSION_FILE, "", f"{version!r} is not a semantic version like 1.2.3")
    return version
