"""Schema folder -> validated Catalogue (the IR), or every SchemaError found on the way.

Layout: `<dir>/<message-type>.yaml` is one message payload schema each;
`<dir>/shared/*.yaml` holds `$defs` shared by several messages; `<dir>/VERSION` is the
version of the generated packages.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import re
import stat
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import unquote

from generator import naming, regex, targets
from generator.cache import Cache, PieceTable
from generator.cache import key as cache_key
from generator.contract import SECRET_NAME_RE
from generator.errors import SchemaError, SchemaErrors, pointer_join
from generator.ir import (
    DATA_KEYWORDS,
    NAME_MAPS,
    Alias,
    Catalogue,
    Field,
    Kind,
    MessageNames,
    MessageSpec,
    ObjectType,
    TypeExpr,
    reachable,
)
from generator.schema_limits import LimitExceeded, entry_problem, read_bounded
from generator.semantics import compile_validator, subschemas
from generator.yamlio import YamlProblem, non_json_values, parse_yaml

SHARED_DIR = "shared"
VERSION_FILE = "VERSION"
DEFAULT_VERSION = "0.0.0"
KNOWN_X_KEYWORDS = frozenset({"x-secret"})
SEMVER_RE = re.compile(r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-[0-9A-Za-z.-]+)?$")
# What the generator does not carry into every output, and why (schemas/README.md lists the
# same). Everything else of JSON Schema 2020-12 is accepted and enforced by the validators.
UNSUPPORTED_KEYWORDS = {
    "$dynamicRef": "dynamic references are not supported; use $ref",
    "$dynamicAnchor": "dynamic anchors are not supported; use $defs and $ref",
    "$anchor": "anchors are not supported; a $ref names a definition: '#/$defs/<Name>'",
    "$id": "a nested $id is not supported: references resolve against the file",
}


@dataclass
class _Doc:
    rel: str  # path relative to the schema folder, with forward slashes
    display: str  # path as shown to the user
    data: Any
    meta_valid: bool = False  # passed the metaschema in an earlier run (from the cache)
    sha: str = ""
    refs: list[tuple[str, str]] | None = None  # (pointer, $ref) of every $ref, once found
    cross_refs: bool | None = None  # refers into another message file (once found)
    # The file's signature (lstat) taken just before the read that gave these bytes, and
    # when: what lets a reload trust an unchanged file without reading it (_unchanged_since).
    seen: tuple[int, int, int, int, int] | None = None
    seen_at: int = 0

    def find_refs(self) -> list[tuple[str, str]]:
        if self.refs is None:
            self.refs = _find_refs(self.data, "")
        return self.refs


@dataclass
class _State:
    display_root: str
    docs: dict[str, _Doc] = field(default_factory=dict)
    errors: list[SchemaError] = field(default_factory=list)
    types: dict[str, ObjectType] = field(default_factory=dict)
    defs: dict[str, Any] = field(default_factory=dict)  # bundled JSON Schema per name
    owner: dict[str, tuple[str, str]] = field(default_factory=dict)  # name -> (rel, pointer)
    def_exprs: dict[tuple[str, str], TypeExpr] = field(default_factory=dict)  # built $defs
    hoisted: dict[tuple[str, str], str] = field(default_factory=dict)  # object -> type name
    in_progress: set[tuple[str, str]] = field(default_factory=set)
    recursive: set[tuple[str, str]] = field(default_factory=set)  # $defs reached from inside
    aliases: dict[str, Alias] = field(default_factory=dict)  # recursive non-object $defs
    def_refs: dict[str, list[str]] = field(default_factory=dict)  # for ir.reachable, once built
    # name -> (the built definition, `"<name>": <its canonical JSON>`, that JSON decoded):
    # what the Catalogue carries of it, made once per built definition (a reload keeps
    # unchanged ones).
    canonical: dict[str, tuple[Any, str, Any]] = field(default_factory=dict)
    # message file -> the digest its examples' verdict is kept under (valid-examples).
    example_digests: dict[str, str] = field(default_factory=dict)
    # Type names some target's package keeps for itself (read from the runtimes).
    reserved_types: frozenset[str] = field(default_factory=targets.reserved_type_names)

    def error(self, rel: str, pointer: str, message: str) -> None:
        doc = self.docs.get(rel)
        display = doc.display if doc else _display(self.display_root, rel)
        self.errors.append(SchemaError(display, pointer, message))


def _display(root: str, rel: str) -> str:
    return rel if root in ("", ".") else f"{root.rstrip('/')}/{rel}"


def load_schemas(
    schema_dir: str | Path, display_root: str | None = None, cache: Cache | None = None
) -> Catalogue:
    """Load, validate and convert a schema folder; raise SchemaErrors listing every problem.

    With a cache, a file whose exact bytes parsed and passed the metaschema before is taken
    from it (parsing and metaschema validation are most of the cost); everything that spans
    files (references, names, examples) is checked on every run.
    """
    return load_again(schema_dir, display_root, cache, None).catalogue


@dataclass
class Loaded:
    catalogue: Catalogue
    # What the next load of the same folder in this process may start from (load_again).
    snapshot: Snapshot


@dataclass
class Snapshot:
    """A successful load, as a long-lived process (`generate --watch`) keeps it: the next
    load reuses every file whose bytes are unchanged, and rebuilds only the messages that
    changed (see _rebuild_changed). Nothing in it that the Catalogue shows is changed after
    the load that made it (a document's signature is refreshed when its file is read again)."""

    state: _State
    messages: tuple[MessageSpec, ...]


def load_again(
    schema_dir: str | Path,
    display_root: str | None,
    cache: Cache | None,
    previous: Snapshot | None,
) -> Loaded:
    """load_schemas, starting from an earlier load of the same folder when there is one. The
    Catalogue is always exactly the one a fresh load would give (tests/core/test_reload.py
    holds the two equal over many edits); errors always come from a fresh build."""
    root = Path(schema_dir)
    state = _State(display_root=str(schema_dir) if display_root is None else display_root)
    if not root.is_dir():
        raise SchemaErrors([SchemaError(state.display_root, "", "schema folder does not exist")])
    if previous is not None and (
        previous.state.display_root != state.display_root
        or previous.state.reserved_types != state.reserved_types
    ):
        previous = None

    hashes: list[tuple[str, str]] = []
    known = previous.state.docs if previous is not None else {}
    message_rels = _read_folder(root, state, hashes, cache, known)
    version = _read_version(root, state, hashes)
    if not message_rels and not state.errors:
        # Rendering nothing would be a client with no methods; say so instead.
        raise SchemaErrors(
            [
                SchemaError(
                    state.display_root,
                    "",
                    "no message schemas here (expected <message-type>.yaml files)",
                )
            ]
        )

    valid_docs = _check_documents(state, cache, known)
    rebuilt = None
    if previous is not None and not state.errors:
        rebuilt = _rebuild_changed(previous, state, message_rels, valid_docs)
    if rebuilt is None:
        messages = _build_all(state, message_rels, valid_docs)
        checked = messages
    else:
        state, messages, checked = rebuilt
    _check_collisions(messages, state)
    examples = PieceTable(cache or Cache(None), EXAMPLES_KIND, EXAMPLES_KIND)
    for spec in checked:
        _check_examples(spec, state, examples)
    rebuilt_now = {id(spec) for spec in checked}
    for spec in messages:
        if id(spec) not in rebuilt_now:  # kept by a reload: its verdict is still in use
            examples.put(state.example_digests[spec.source], True)
    examples.save()
    if state.errors:
        if rebuilt is not None:
            # A fresh build reports every problem in its own order.
            return load_again(schema_dir, display_root, cache, None)
        raise SchemaErrors(state.errors)

    ordered = tuple(sorted(messages, key=lambda m: m.type))
    defs_json, canonical_defs = _canonical_defs(state)
    catalogue = Catalogue(
        version=version,
        messages=ordered,
        types=tuple(sorted(state.types.values(), key=lambda t: t.name)),
        defs_json=defs_json,
        canonical_defs=canonical_defs,
        fingerprint=_fingerprint(hashes),
        sources=tuple(sorted(hashes)),
        aliases=tuple(sorted(state.aliases.values(), key=lambda a: a.name)),
    )
    return Loaded(catalogue, Snapshot(state, ordered))


def _canonical_defs(state: _State) -> tuple[str, dict[str, Any]]:
    """Catalogue.defs_json, and its decoded definitions, made from the definitions' own
    canonical JSON: json.dumps({"$defs": defs}, sort_keys=True, ensure_ascii=False), encoded
    and decoded only for the definitions built since the last load."""
    known, state.canonical = state.canonical, {}
    entries, decoded = [], {}
    for name in sorted(state.defs):
        built = state.defs[name]
        hit = known.get(name)
        if hit is None or hit[0] is not built:
            text = json.dumps(built, sort_keys=True, ensure_ascii=False)
            hit = (built, json.dumps(name, ensure_ascii=False) + ": " + text, json.loads(text))
        state.canonical[name] = hit
        entries.append(hit[1])
        decoded[name] = hit[2]
    return '{"$defs": {' + ", ".join(entries) + "}}", decoded


def _check_documents(state: _State, cache: Cache | None, known: dict[str, _Doc]) -> set[str]:
    """The files that pass every per-file check; the others' errors are in state.errors.

    A file whose exact bytes passed every per-file check before skips them (and brings its
    $refs along): one this process loaded cleanly (`known`), or one the cache's verdicts
    name. A file that passes them cleanly now is remembered for the next run."""
    verdicts = PieceTable(cache or Cache(None), CHECKED_KIND, CHECKED_KIND)
    valid_docs: set[str] = set()
    for rel, doc in state.docs.items():
        if known.get(rel) is doc:
            valid_docs.add(rel)  # its verdict is kept in the table, as a lookup would
            if verdicts.get(_verdict_key(doc)) is None:
                verdicts.put(_verdict_key(doc), [list(r) for r in doc.find_refs()])
            continue
        verdict = verdicts.get(_verdict_key(doc)) if doc.meta_valid else None
        if isinstance(verdict, list) and all(_is_ref_pair(r) for r in verdict):
            doc.refs = [(r[0], r[1]) for r in verdict]
            valid_docs.add(rel)
    unchecked = [d for r, d in state.docs.items() if r not in valid_docs and not d.meta_valid]
    meta_errors = _metaschema_errors(unchecked)
    for rel, doc in state.docs.items():
        if rel in valid_docs:
            continue
        before = len(state.errors)
        if _check_document(doc, state, meta_errors):
            valid_docs.add(rel)
            if len(state.errors) == before:
                verdicts.put(_verdict_key(doc), [list(r) for r in doc.find_refs()])
    if cache is not None:
        for rel in sorted(valid_docs):
            doc = state.docs[rel]
            if not doc.meta_valid and known.get(rel) is not doc:
                cache.put("parsed", cache_key(doc.sha), doc.data)
    verdicts.save()
    return valid_docs


def _build_all(state: _State, message_rels: list[str], valid_docs: set[str]) -> list[MessageSpec]:
    messages: list[MessageSpec] = []
    for rel in message_rels:
        if rel in valid_docs and _refs_ok(state.docs[rel], state, valid_docs):
            spec = _build_message(state.docs[rel], state)
            if spec is not None:
                messages.append(spec)
    return messages


# --------------------------------------------------------------------------- reading


def _input_files(root: Path) -> list[Path]:
    """Every entry of the folder (and shared/) the loader looks at, sorted: files, and
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


def _read_checked(root: Path, path: Path, state: _State, rel: str) -> bytes | None:
    """The bytes of an input file, or None after reporting why it may not be read."""
    raw = _read_input(root, path)
    if isinstance(raw, str):
        state.error(rel, "", raw)
        return None
    return raw


def _digest(root: Path, path: Path) -> str:
    """sha256 of an input file; for one that is refused, the reason (so the fingerprint of
    a folder changes with it, and nothing cached can stand in for the error)."""
    raw = _read_input(root, path)
    return "refused: " + raw if isinstance(raw, str) else hashlib.sha256(raw).hexdigest()


def _fingerprint(hashes: list[tuple[str, str]]) -> str:
    digest = hashlib.sha256()
    for rel, sha in sorted(hashes):
        digest.update(f"{rel}\0{sha}\n".encode())
    return digest.hexdigest()


# Files that passed every per-file check (JSON data model, metaschema, conventions), by
# content and by whether they are shared or a message, with their $refs: one cache entry.
CHECKED_KIND = "checked-files"


def _verdict_key(doc: _Doc) -> str:
    return f"{'shared' if _shared(doc.rel) else 'message'}:{doc.sha}"


def _is_ref_pair(value: object) -> bool:
    return isinstance(value, list) and len(value) == 2 and all(isinstance(v, str) for v in value)


def fingerprint_folder(schema_dir: str | Path) -> str | None:
    """Catalogue.fingerprint of a folder without parsing it (None: no such folder)."""
    root = Path(schema_dir)
    if not root.is_dir():
        return None
    hashes = []
    for path in _input_files(root):
        rel = path.relative_to(root).as_posix()
        if path.suffix in SCHEMA_SUFFIXES or path.name == VERSION_FILE or path.is_symlink():
            hashes.append((rel, _digest(root, path)))
        elif entry_problem(root, path, directory_ok=True) is not None:
            hashes.append((rel, "refused"))
    return _fingerprint(hashes)


def _read_folder(
    root: Path,
    state: _State,
    hashes: list[tuple[str, str]],
    cache: Cache | None,
    known: dict[str, _Doc],
) -> list[str]:
    """Read and parse every input file into state.docs; the message files, sorted. A file
    whose bytes are those of a document in `known` (a clean earlier load) is that document."""
    message_rels: list[str] = []
    for path in _input_files(root):
        rel = path.relative_to(root).as_posix()
        is_shared = _shared(rel)
        if rel == VERSION_FILE:
            continue  # _read_version
        if path.suffix not in SCHEMA_SUFFIXES:
            # README.md, CHANGELOG ...: not read, but not a way out of the folder either.
            problem = entry_problem(root, path, directory_ok=True)
            if problem is not None:
                hashes.append((rel, "refused"))
                state.error(rel, "", problem)
            continue
        same = known.get(rel)
        if same is not None and _unchanged_since(path, same):
            hashes.append((rel, same.sha))
            _keep_doc(same, state, message_rels)
            continue
        seen, seen_at = _signature(path), time.time_ns()
        raw = _read_checked(root, path, state, rel)
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
        doc = _Doc(rel, _display(state.display_root, rel), None, sha=sha)
        doc.seen, doc.seen_at = seen, seen_at
        state.docs[rel] = doc
        cached = cache.get("parsed", cache_key(sha)) if cache is not None else None
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


def _keep_doc(doc: _Doc, state: _State, message_rels: list[str]) -> None:
    """A document of the last clean load is this run's too: its file holds the same bytes."""
    state.docs[doc.rel] = doc
    if not _shared(doc.rel):
        message_rels.append(doc.rel)


# A file's times are only as fine as the file system's clock tick (a few ms on ext4, two
# seconds on FAT): a file written again within the tick of a read keeps its signature. As git
# does with its index, a signature is trusted only once the file's times are well before it
# was taken.
RACY_NS = 2_000_000_000


def _signature(path: Path) -> tuple[int, int, int, int, int] | None:
    try:
        info = path.lstat()
    except OSError:
        return None
    if not stat.S_ISREG(info.st_mode):
        return None  # a symlink or anything else is read, and checked, every time
    return (info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns)


def _unchanged_since(path: Path, doc: _Doc) -> bool:
    """Whether the file still holds the bytes `doc` was read from, by its signature."""
    if doc.seen is None or _signature(path) != doc.seen:
        return False
    *_, mtime, ctime = doc.seen
    return max(mtime, ctime) < doc.seen_at - RACY_NS


def _read_version(root: Path, state: _State, hashes: list[tuple[str, str]]) -> str:
    path = root / VERSION_FILE
    if not os.path.lexists(path):
        return DEFAULT_VERSION
    raw = _read_checked(root, path, state, VERSION_FILE)
    if raw is None:
        hashes.append((VERSION_FILE, "refused"))
        return DEFAULT_VERSION
    hashes.append((VERSION_FILE, hashlib.sha256(raw).hexdigest()))
    version = raw.decode("utf-8", "replace").strip()
    if not SEMVER_RE.match(version):
        state.error(VERSION_FILE, "", f"{version!r} is not a semantic version like 1.2.3")
    return version


# --------------------------------------------------------------------------- checking


def _metaschema_errors(docs: list[_Doc]) -> dict[str, list[tuple[str, str]]]:
    """(pointer, message) per file for every metaschema violation, in a stable order.

    jsonschema_rs (compiled) is the gate: a file it finds valid against the 2020-12
    metaschema has no violations. Only the files it rejects go through jsonschema, whose
    messages the loader reports (and which has the last word: if it finds nothing, the file
    is valid). tests/core/test_speedups.py shows both agree on every real schema and on
    hundreds of mutated ones.
    """
    checkable = [
        doc for doc in docs if isinstance(doc.data, dict) and not any(non_json_values(doc.data))
    ]
    if not checkable:
        return {}
    gate = _metaschema_gate()
    rejected = [doc for doc in checkable if not gate(doc.data)]
    # jsonschema costs 0.2 s to import: only a run with a rejected file pays it.
    return _meta_check(rejected) if rejected else {}


@functools.cache  # one compiled validator per process (a watcher checks every save)
def _metaschema_gate() -> Callable[[Any], bool]:
    import jsonschema_rs

    # jsonschema_rs carries the 2020-12 metaschemas itself: referring to one costs no
    # download and no import of jsonschema (which only the error path needs).
    validator = jsonschema_rs.Draft202012Validator({"$ref": META_SCHEMA_ID})
    is_valid: Callable[[Any], bool] = validator.is_valid
    return is_valid


META_SCHEMA_ID = "https://json-schema.org/draft/2020-12/schema"


def _meta_check(docs: list[_Doc]) -> dict[str, list[tuple[str, str]]]:
    from jsonschema import Draft202012Validator

    meta = Draft202012Validator(Draft202012Validator.META_SCHEMA)
    found: dict[str, list[tuple[str, str]]] = {}
    for doc in docs:
        errors = sorted(meta.iter_errors(doc.data), key=lambda e: list(map(str, e.absolute_path)))
        found[doc.rel] = [
            (pointer_join("", *err.absolute_path), _meta_message(err)) for err in errors
        ]
    return found


def _check_document(
    doc: _Doc, state: _State, meta_errors: dict[str, list[tuple[str, str]]]
) -> bool:
    """JSON data model, the 2020-12 metaschema and the project's conventions."""
    before = len(state.errors)
    for pointer, problem in non_json_values(doc.data):
        state.error(doc.rel, pointer, problem)
    if len(state.errors) > before:
        return False
    if not isinstance(doc.data, dict):
        state.error(doc.rel, "", "a schema file must hold a mapping at the top level")
        return False
    if not doc.meta_valid:
        for pointer, message in meta_errors.get(doc.rel, []):
            state.error(doc.rel, pointer, message)
        if len(state.errors) > before:
            return False

    # Convention errors are reported but do not stop the build, so that one run shows
    # every problem (a bad title does not hide a bare object further down).
    _check_x_keywords(doc.data, doc, "", state)
    for node, pointer in subschemas(doc.data):
        _check_keywords(node, doc, pointer, state)
    if _shared(doc.rel):
        extra = sorted(set(doc.data) - {"$schema", "$id", "description", "title", "$defs"})
        for key in extra:
            state.error(doc.rel, pointer_join("", key), "a shared file holds only $defs")
        for name in doc.data.get("$defs", {}):
            if not naming.PASCAL_RE.match(name):
                state.error(doc.rel, pointer_join("/$defs", name), "not a PascalCase type name")
    else:
        return _check_message_root(doc, state)
    return True


def _check_keywords(node: dict[str, Any], doc: _Doc, pointer: str, state: _State) -> None:
    for keyword, why in UNSUPPORTED_KEYWORDS.items():
        if keyword in node and not (keyword == "$id" and pointer == ""):
            state.error(doc.rel, pointer_join(pointer, keyword), why)

    patterns = [("pattern", node["pattern"])] if isinstance(node.get("pattern"), str) else []
    if isinstance(node.get("patternProperties"), dict):
        patterns += [("patternProperties", key) for key in node["patternProperties"]]
    for keyword, pattern in patterns:
        problem = regex.problem(pattern)
        if problem is not None:
            where = pointer_join(pointer, keyword)
            if keyword == "patternProperties":
                where = pointer_join(where, pattern)
            state.error(doc.rel, where, f"pattern {pattern!r}: {problem}")


def _meta_message(err: Any) -> str:
    # A bad `type` fails an anyOf; name the offending value and the allowed names instead.
    if err.validator == "anyOf" and err.absolute_path and err.absolute_path[-1] == "type":
        return (
            f"{err.instance!r} is not a valid type (use one of array, boolean, integer, null, "
            "number, object, string)"
        )
    return str(err.message)


def _check_x_keywords(node: Any, doc: _Doc, pointer: str, state: _State) -> None:
    if isinstance(node, dict):
        for key, value in node.items():
            child = pointer_join(pointer, key)
            names = _in_properties(pointer)
            if key in DATA_KEYWORDS and not names:
                continue  # data, not schema
            if key.startswith("x-") and key not in KNOWN_X_KEYWORDS and not names:
                state.error(doc.rel, child, f"unknown keyword {key!r} (known: x-secret)")
            elif key == "x-secret" and not isinstance(value, bool):
                state.error(doc.rel, child, "x-secret must be true or false")
            _check_x_keywords(value, doc, child, state)
    elif isinstance(node, list):
        for index, value in enumerate(node):
            _check_x_keywords(value, doc, pointer_join(pointer, index), state)


def _in_properties(pointer: str) -> bool:
    # `properties: {x-request-id: ...}` names a field, it is not a keyword.
    return any(pointer.endswith("/" + key) for key in NAME_MAPS)


def _check_message_root(doc: _Doc, state: _State) -> bool:
    """False when the document cannot be built at all (no title or no properties)."""
    data = doc.data
    title = data.get("title")
    buildable = isinstance(title, str) and isinstance(data.get("properties"), dict)
    if not isinstance(title, str):
        state.error(doc.rel, "/title", "a message schema needs a title (its payload type name)")
    elif not naming.PASCAL_RE.match(title) or not title.endswith("Message"):
        state.error(doc.rel, "/title", f"{title!r} must be PascalCase and end in 'Message'")
    if not isinstance(data.get("description"), str) or not data["description"].strip():
        state.error(doc.rel, "/description", "a message schema needs a description")
    if data.get("type") != "object":
        state.error(doc.rel, "/type", "a message payload must be `type: object`")
    if not isinstance(data.get("properties"), dict):
        state.error(doc.rel, "/properties", "a message payload needs properties")
    if "examples" in data and not data["examples"]:
        state.error(doc.rel, "/examples", "examples, when given, hold at least one payload")
    return buildable


def _refs_ok(doc: _Doc, state: _State, valid: set[str], seen: set[str] | None = None) -> bool:
    """Every $ref reachable from doc resolves to a `$defs/<Name>` entry."""
    seen = set() if seen is None else seen
    if doc.rel in seen:
        return True
    seen.add(doc.rel)
    ok = True
    for pointer, ref in doc.find_refs():
        target = _resolve(doc.rel, ref)
        if isinstance(target, str):
            state.error(doc.rel, pointer, target)
            ok = False
            continue
        rel, def_pointer = target
        other = state.docs.get(rel)
        if other is None:
            state.error(doc.rel, pointer, f"$ref {ref!r}: no schema file {rel!r}")
            ok = False
        elif rel not in valid:
            ok = False  # that file's own errors are reported already
        elif _lookup(other.data, def_pointer) is None:
            state.error(doc.rel, pointer, f"$ref {ref!r}: {rel} has nothing at {def_pointer}")
            ok = False
        elif rel != doc.rel:
            ok = _refs_ok(other, state, valid, seen) and ok
    return ok


def _find_refs(node: Any, pointer: str) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    _collect_refs(node, pointer, (), found)
    return found


def _collect_refs(
    node: Any, pointer: str, path: tuple[object, ...], found: list[tuple[str, str]]
) -> None:
    # The pointer of a node is only built for the nodes that are $refs.
    if isinstance(node, dict):
        for key, value in node.items():
            if key in NAME_MAPS and isinstance(value, dict):
                for name, sub in value.items():  # names: `default` may be a property
                    if isinstance(sub, (dict, list)):
                        _collect_refs(sub, pointer, (*path, key, name), found)
            elif key in DATA_KEYWORDS:
                continue
            elif key == "$ref" and isinstance(value, str):
                found.append((pointer_join(pointer, *path, key), value))
            elif isinstance(value, (dict, list)):
                _collect_refs(value, pointer, (*path, key), found)
    elif isinstance(node, list):
        for index, value in enumerate(node):
            if isinstance(value, (dict, list)):
                _collect_refs(value, pointer, (*path, index), found)


def _resolve(from_rel: str, ref: str) -> tuple[str, str] | str:
    """(file, pointer) a $ref names, or an error message."""
    if "://" in ref or ref.startswith("/"):
        return f"$ref {ref!r}: only relative references inside the schema folder are allowed"
    path, _, fragment = ref.partition("#")
    if path:
        joined = PurePosixPath(from_rel).parent / path
        parts: list[str] = []
        for part in joined.parts:
            if part == "..":
                if not parts:
                    return f"$ref {ref!r} points outside the schema folder"
                parts.pop()
            elif part != ".":
                parts.append(part)
        rel = "/".join(parts)
    else:
        rel = from_rel
    fragment = unquote(fragment)
    if not re.match(r"^/\$defs/[^/]+$", fragment):
        return f"$ref {ref!r} must point at a definition: '<file>#/$defs/<Name>'"
    return rel, fragment


def _lookup(data: Any, pointer: str) -> Any:
    node = data
    for raw in pointer.split("/")[1:]:
        part = raw.replace("~1", "/").replace("~0", "~")
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node


# --------------------------------------------------------------------------- building

# The TypeExprs every builder shares.
ANY = TypeExpr("any")
NEVER = TypeExpr("never")


@dataclass
class _Obj:
    """An object shape while it is being built: merged from the node's own `properties`, a
    sibling `$ref` and `allOf` parts before it becomes one named ObjectType."""

    fields: dict[str, Field]
    extra: TypeExpr | None  # None: closed
    description: str = ""


_Shape = TypeExpr | _Obj


def _build_message(doc: _Doc, state: _State) -> MessageSpec | None:
    data = doc.data
    kebab = PurePosixPath(doc.rel).stem
    title = data["title"]
    before = len(state.errors)
    payload_ref = _build_type(data, doc.rel, "", title, state, message=kebab)
    if len(state.errors) > before or payload_ref.kind != "ref" or payload_ref.ref is None:
        return None
    names = MessageNames(
        kebab=kebab,
        snake=naming.snake(kebab),
        camel=naming.camel(kebab),
        constant=naming.constant(kebab),
        pascal=naming.pascal(kebab),
    )
    examples = tuple(
        json.dumps(example, sort_keys=True, ensure_ascii=False)
        for example in data.get("examples", [])
    )
    return MessageSpec(
        type=kebab,
        names=names,
        title=title,
        # Missing is reported by _check_message_root; the build still runs to find more.
        description=str(data.get("description") or "").strip(),
        payload=state.types[payload_ref.ref],
        examples_json=examples,
        source=doc.rel,
    )


def _build_type(
    node: Any,
    rel: str,
    pointer: str,
    hint: str,
    state: _State,
    message: str | None = None,
) -> TypeExpr:
    """TypeExpr for a schema node; named objects are hoisted into state.types/defs."""
    shape = _shape(node, rel, pointer, hint, state)
    if isinstance(shape, _Obj):
        return _hoist(shape, node, rel, pointer, hint, state, message)
    return shape


def _shape(node: Any, rel: str, pointer: str, hint: str, state: _State) -> _Shape:
    """The type a node describes: its own keywords, intersected with its `$ref` and `allOf`
    parts and with the union of its `oneOf`/`anyOf` branches. Keywords that only constrain
    values (`not`, `if`, `contains`, `dependentRequired`, bounds, ...) leave the type as it
    is: the validators enforce them."""
    if node is False:
        return NEVER
    if not isinstance(node, dict):
        return ANY
    # A sibling $ref and allOf parts first: `{$ref: Base, properties: {...}}` lists Base's
    # fields, then its own.
    parts: list[_Shape] = []
    if "$ref" in node:
        parts.append(_build_ref(node, rel, pointer, state))
    own = _own_shape(node, rel, pointer, hint, state)
    named_parts = isinstance(own, _Obj) and bool(own.fields)
    for index, sub in enumerate(node.get("allOf", [])):
        # Inline objects of a second object part get their own names: two parts may both
        # describe a nested object under the same property.
        part_hint = f"{hint}AllOf{index + 1}" if named_parts else hint
        part = _shape(sub, rel, pointer_join(pointer, "allOf", index), part_hint, state)
        named_parts = named_parts or (isinstance(part, _Obj) and bool(part.fields))
        parts.append(part)
    parts.append(own)
    for combinator in ("oneOf", "anyOf"):
        if combinator in node:
            variants = [
                _build_type(
                    sub, rel, pointer_join(pointer, combinator, i), f"{hint}Variant{i + 1}", state
                )
                for i, sub in enumerate(node[combinator])
            ]
            parts.append(_union(variants))
    shape = _intersect(parts, state)
    if "required" in node and "properties" not in node:
        shape = _with_required(shape, node["required"], state)
    return shape


def _with_required(shape: _Shape, names: list[str], state: _State) -> _Shape:
    """`{$ref: Base, required: [k]}`: Base with k required, as a type of its own."""
    if isinstance(shape, TypeExpr):
        if shape.kind != "ref" or shape.ref not in state.types:
            return shape
        obj = state.types[shape.ref]
        if all(obj.field(n).required for n in names if n in {f.name for f in obj.fields}):
            if set(names) <= {f.name for f in obj.fields}:
                return shape
        shape = _Obj({f.name: f for f in obj.fields}, obj.extra, obj.description)
    fields = dict(shape.fields)
    for name in names:
        old = fields.get(name)
        fields[name] = (
            replace(old, required=True)
            if old is not None
            else Field(name, ANY, True, "", _secret(name, None), "")
        )
    return _Obj(fields, shape.extra, shape.description)


def _own_shape(node: dict[str, Any], rel: str, pointer: str, hint: str, state: _State) -> _Shape:
    kind = node.get("type")
    enum: tuple[Any, ...] | None = None
    if "const" in node:
        enum = (node["const"],)
    elif "enum" in node:
        enum = tuple(node["enum"])
    if isinstance(kind, list):
        variants = [_own_shape({**node, "type": k}, rel, pointer, hint, state) for k in kind]
        return _union(
            [
                _hoist(v, node, rel, pointer, hint, state, None) if isinstance(v, _Obj) else v
                for v in variants
            ]
        )
    if kind is None:
        if enum is not None:
            return _enum_type(enum)
        if any(k in node for k in ("properties", "additionalProperties", "patternProperties")):
            kind = "object"
        elif "items" in node or "prefixItems" in node:
            kind = "array"
        else:
            return ANY
    if enum is not None:
        allowed = [v for v in enum if _kind_of_value(v) == kind or _fits(v, kind)]
        if not allowed:
            return NEVER
        if kind in _SCALARS:
            return TypeExpr(_SCALARS[kind], enum=tuple(allowed))
    if kind == "object":
        return _object_shape(node, rel, pointer, hint, state)
    if kind == "array":
        return _array_type(node, rel, pointer, hint, state)
    if kind in _SCALARS:
        fmt = node.get("format") if kind == "string" else None
        return TypeExpr(_SCALARS[kind], format=fmt if isinstance(fmt, str) else None)
    return ANY  # the metaschema allows no other type name


_SCALARS: dict[str, Kind] = {
    "string": "string",
    "integer": "integer",
    "number": "number",
    "boolean": "boolean",
    "null": "null",
}


def _kind_of_value(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "integer" if value.is_integer() else "number"
    if isinstance(value, str):
        return "string"
    if value is None:
        return "null"
    return "array" if isinstance(value, list) else "object"


def _fits(value: Any, kind: str) -> bool:
    return kind == "number" and _kind_of_value(value) == "integer"


def _enum_type(values: tuple[Any, ...]) -> TypeExpr:
    """A union of literal types, one variant per JSON type among the values; objects and
    arrays in an enum cannot be spelled as literals, so they make it `any`."""
    by_kind: dict[str, list[Any]] = {}
    for value in values:
        by_kind.setdefault(_kind_of_value(value), []).append(value)
    if not by_kind:
        return NEVER
    if "array" in by_kind or "object" in by_kind:
        return ANY
    return _union([TypeExpr(_SCALARS[k], enum=tuple(vs)) for k, vs in by_kind.items()])


def _array_type(node: dict[str, Any], rel: str, pointer: str, hint: str, state: _State) -> TypeExpr:
    items_node = node.get("items", True)
    items = _build_type(items_node, rel, pointer_join(pointer, "items"), hint + "Item", state)
    prefix = node.get("prefixItems")
    if not isinstance(prefix, list):
        return TypeExpr("array", items=items)
    positional = tuple(
        _build_type(sub, rel, pointer_join(pointer, "prefixItems", i), f"{hint}Item{i + 1}", state)
        for i, sub in enumerate(prefix)
    )
    min_items = node.get("minItems", 0)
    return TypeExpr(
        "tuple",
        variants=positional,
        items=items,
        min_items=min(min_items, len(positional)) if isinstance(min_items, int) else 0,
    )


def _object_shape(node: dict[str, Any], rel: str, pointer: str, hint: str, state: _State) -> _Shape:
    properties = node.get("properties", {})
    additional = node.get("additionalProperties", True)
    base = hint[: -len("Message")] if hint.endswith("Message") else hint
    extras: list[TypeExpr] = []
    if additional is not False:
        extras.append(
            _build_type(
                additional,
                rel,
                pointer_join(pointer, "additionalProperties"),
                base + "Extra",
                state,
            )
        )
    for key, sub in node.get("patternProperties", {}).items():
        sub_pointer = pointer_join(pointer, "patternProperties", key)
        extras.append(_build_type(sub, rel, sub_pointer, base + "Extra", state))
    extra: TypeExpr | None = _union(extras) if extras else None
    if extra is not None and node.get("unevaluatedProperties") is False and additional is True:
        if "patternProperties" not in node:
            extra = None  # only the listed (evaluated) properties may appear
    if not properties and extra is not None:
        return TypeExpr("map", values=extra)
    required = node.get("required", [])
    fields: dict[str, Field] = {}
    for index, (prop, sub) in enumerate(properties.items()):
        sub_pointer = pointer_join(pointer, "properties", prop)
        prop_hint = base + (naming.pascal(prop) or f"Field{index + 1}")
        expr = _build_type(sub, rel, sub_pointer, prop_hint, state)
        fields[prop] = _field(prop, sub, expr, prop in required, rel, sub_pointer, state)
    for name in required:
        if name not in fields:
            # Required but not described: any value, and it must be there.
            fields[name] = Field(name, ANY, True, "", _secret(name, None), pointer)
    return _Obj(fields, extra, str(node.get("description") or "").strip())


def _field(
    name: str, sub: Any, expr: TypeExpr, required: bool, rel: str, pointer: str, state: _State
) -> Field:
    props = sub if isinstance(sub, dict) else {}
    description = props.get("description", "")
    if not description and "$ref" in props:
        target = _resolve(rel, props["$ref"])
        if not isinstance(target, str):
            target_def = _lookup(state.docs[target[0]].data, target[1])
            if isinstance(target_def, dict):
                description = target_def.get("description", "")
    return Field(
        name=name,
        type=expr,
        required=required,
        description=str(description or "").strip(),
        secret=_secret(name, props.get("x-secret")),
        pointer=pointer,
        deprecated=props.get("deprecated") is True,
        read_only=props.get("readOnly") is True,
    )


def _secret(name: str, flag: Any) -> bool:
    return bool(flag) if flag is not None else bool(SECRET_NAME_RE.search(name))


def _union(variants: Sequence[_Shape]) -> TypeExpr:
    """One variant stays itself; `any` absorbs the others; `never` and repeats drop out."""
    unique: list[TypeExpr] = []
    for variant in variants:
        if isinstance(variant, _Obj):
            return ANY  # only own shapes of a `type` list get here; not an object union
        flat = variant.variants if variant.kind == "union" else (variant,)
        for v in flat:
            if v.kind == "any":
                return ANY
            if v.kind != "never" and v not in unique:
                unique.append(v)
    if not unique:
        return NEVER
    return unique[0] if len(unique) == 1 else TypeExpr("union", variants=tuple(unique))


def _intersect(parts: list[_Shape], state: _State) -> _Shape:
    """The type of a value that matches every part, as far as a type can say it: objects are
    merged into one; otherwise the most specific part wins (a type may be wider than the
    schema, never narrower for the common cases; the validators decide)."""
    informative = [p for p in parts if isinstance(p, _Obj) or p.kind != "any"]
    if not informative:
        return ANY
    if any(isinstance(p, TypeExpr) and p.kind == "never" for p in informative):
        return NEVER
    objects = [p for p in informative if _objectish(p, state)]
    if len(objects) == len(informative):
        if len(objects) == 1:
            return objects[0]
        return _merge_objects(objects, state)
    plain = [p for p in informative if isinstance(p, TypeExpr) and p.kind != "union"]
    if not plain:
        return informative[0]
    first = plain[0]
    for other in plain[1:]:
        first = _narrow(first, other)
    return first


def _narrow(a: TypeExpr, b: TypeExpr) -> TypeExpr:
    kinds = {a.kind, b.kind}
    if a.kind == b.kind or kinds == {"integer", "number"}:
        kind = "integer" if "integer" in kinds else a.kind
        if a.enum and b.enum:
            enum = tuple(v for v in a.enum if v in b.enum)
            if not enum:
                return NEVER
        else:
            enum = a.enum or b.enum
        return TypeExpr(
            kind,
            enum=enum,
            format=a.format or b.format,
            items=a.items,
            values=a.values,
            ref=a.ref,
            variants=a.variants,
            min_items=a.min_items,
        )
    return a


def _objectish(shape: _Shape, state: _State) -> bool:
    if isinstance(shape, _Obj):
        return True
    if shape.kind == "map":
        return True
    return shape.kind == "ref" and shape.ref is not None and shape.ref not in state.aliases


def _merge_objects(parts: list[_Shape], state: _State) -> _Shape:
    fields: dict[str, Field] = {}
    extra: TypeExpr | None = ANY
    description = ""
    unresolved: list[TypeExpr] = []
    for part in parts:
        if isinstance(part, _Obj):
            part_fields, part_extra, part_description = part.fields, part.extra, part.description
        elif part.kind == "map":
            part_fields, part_extra, part_description = {}, part.values, ""
        elif part.ref in state.types:
            obj = state.types[part.ref]
            part_fields = {f.name: f for f in obj.fields}
            part_extra, part_description = obj.extra, obj.description
        else:
            unresolved.append(part)  # a type still being built (a cycle through allOf)
            continue
        description = description or part_description
        for name, new in part_fields.items():
            old = fields.get(name)
            if old is None:
                fields[name] = new
            else:
                fields[name] = replace(
                    old,
                    type=_narrow(old.type, new.type) if old.type.kind != "any" else new.type,
                    required=old.required or new.required,
                    description=old.description or new.description,
                    secret=old.secret or new.secret,
                    deprecated=old.deprecated or new.deprecated,
                    read_only=old.read_only or new.read_only,
                )
        if part_extra is None:
            extra = None
        elif extra is not None and extra.kind == "any":
            extra = part_extra
    if not fields and extra is not None and unresolved:
        return unresolved[0]
    if not fields and extra is not None:
        return TypeExpr("map", values=extra)
    return _Obj(fields, extra, description)


def _hoist(
    obj: _Obj,
    node: dict[str, Any],
    rel: str,
    pointer: str,
    hint: str,
    state: _State,
    message: str | None,
) -> TypeExpr:
    title = node.get("title") if message is None else None
    name = hint
    if isinstance(title, str) and pointer and not pointer.startswith("/$defs/"):
        if not naming.PASCAL_RE.match(title):
            state.error(rel, pointer_join(pointer, "title"), f"{title!r} is not PascalCase")
            return ANY
        name = title
    if name.endswith("Message") and message is None:
        state.error(rel, pointer, f"only message payloads may be named '...Message' ({name})")
        return ANY
    if not _DEF_ROOT_RE.match(pointer) and not _claim_name(name, rel, pointer, state):
        return ANY
    state.types[name] = ObjectType(
        name=name,
        description=obj.description,
        fields=tuple(obj.fields.values()),
        extra=obj.extra,
        source=rel,
        pointer=pointer,
        shared=_shared(rel),
        message=message,
    )
    state.hoisted[(rel, pointer)] = name
    state.defs[name] = _bundle(node, rel, pointer, name, state)
    return TypeExpr("ref", ref=name)


_DEF_ROOT_RE = re.compile(r"^/\$defs/[^/]+$")


def def_type_name(def_pointer: str) -> str:
    """The type name of `/$defs/<key>`: the key when it is PascalCase, else its PascalCase
    (`node` -> `Node`, `a_string` -> `AString`), made to start with a letter."""
    key = def_pointer.rsplit("/", 1)[1].replace("~1", "/").replace("~0", "~")
    if naming.PASCAL_RE.match(key):
        return key
    name = naming.pascal(key)
    return name if name[:1].isalpha() and name[:1].isupper() else "Def" + name


def _build_ref(node: dict[str, Any], rel: str, pointer: str, state: _State) -> TypeExpr:
    target = _resolve(rel, node["$ref"])
    assert not isinstance(target, str)  # checked by _refs_ok
    target_rel, def_pointer = target
    key = (target_rel, def_pointer)
    if key in state.def_exprs:
        return state.def_exprs[key]
    name = def_type_name(def_pointer)
    if key in state.in_progress:
        # Recursion: the definition refers to itself, directly or through others. It is a
        # named type (an object, or an Alias made below once its body is known).
        state.recursive.add(key)
        return TypeExpr("ref", ref=name)
    if not _claim_name(name, target_rel, def_pointer, state):
        state.def_exprs[key] = ANY
        return ANY
    definition = _lookup(state.docs[target_rel].data, def_pointer)
    state.in_progress.add(key)
    expr = _build_type(definition, target_rel, def_pointer, name, state)
    if state.hoisted.get(key) != name:
        # A non-object definition (an enum, a formatted string) is inlined in the IR but
        # keeps its own $defs entry in the bundled schema.
        state.defs[name] = _bundle(definition, target_rel, def_pointer, name, state)
    state.in_progress.discard(key)
    if state.hoisted.get(key) != name:
        # A non-object definition (an enum, a formatted string, a union) keeps its name in
        # every output: an Alias.
        if key in state.recursive:
            expr = _drop_self(expr, name)
        if expr == TypeExpr("ref", ref=name):
            state.error(
                target_rel,
                def_pointer,
                f"{name} is defined only as a reference to itself, which describes no value",
            )
            expr = ANY
        elif expr.kind != "any" or key in state.recursive:
            description = definition.get("description", "") if isinstance(definition, dict) else ""
            state.aliases[name] = Alias(
                name, str(description).strip(), expr, target_rel, def_pointer
            )
            expr = TypeExpr("ref", ref=name)
    state.def_exprs[key] = expr
    return expr


def _drop_self(expr: TypeExpr, name: str) -> TypeExpr:
    """A recursive union without its bare self-reference (`A = A | string` is just string);
    references under an array, map or object stay."""
    if expr.kind != "union":
        return expr
    rest = [v for v in expr.variants if v != TypeExpr("ref", ref=name)]
    if not rest:
        return expr
    return _union(rest)


def _claim_name(name: str, rel: str, pointer: str, state: _State) -> bool:
    if name in state.reserved_types:
        state.error(rel, pointer, f"type name {name!r} is reserved by the generated clients")
        return False
    owner = state.owner.get(name)
    if owner is not None and owner != (rel, pointer):
        other_rel, other_pointer = owner
        other = state.docs[other_rel].display if other_rel in state.docs else other_rel
        state.error(
            rel,
            pointer,
            f"type name {name!r} is already used by {other}#{other_pointer}; "
            "give this object a distinct `title`",
        )
        return False
    state.owner[name] = (rel, pointer)
    return True


# Keys whose value maps names (not keywords) to subschemas.
_SCHEMA_MAPS = ("properties", "patternProperties", "dependentSchemas")


def _bundle(node: Any, rel: str, pointer: str, name: str, state: _State) -> Any:
    """The node as a standalone schema: $refs and hoisted objects become '#/$defs/<Name>'."""

    def walk(sub: Any, sub_pointer: str, top: bool) -> Any:
        if isinstance(sub, list):
            return [walk(v, pointer_join(sub_pointer, i), False) for i, v in enumerate(sub)]
        if not isinstance(sub, dict):
            return sub
        hoisted = None if top else state.hoisted.get((rel, sub_pointer))
        if hoisted is not None:
            ref: dict[str, Any] = {"$ref": "#/$defs/" + hoisted}
            return ref
        out: dict[str, Any] = {}
        for key, value in sub.items():
            if key in ("$schema", "$id", "$defs", "examples"):
                continue
            if key == "$ref" and isinstance(value, str):
                out[key] = "#/$defs/" + _bundled_ref(value, rel, sub_pointer, state)
            elif key in ("default", "const", "enum"):
                out[key] = value
            elif key in _SCHEMA_MAPS and isinstance(value, dict):
                out[key] = {
                    k: walk(v, pointer_join(sub_pointer, key, k), False) for k, v in value.items()
                }
            else:
                out[key] = walk(value, pointer_join(sub_pointer, key), False)
        return out

    bundled = walk(node, pointer, True)
    if isinstance(bundled, dict):
        bundled.setdefault("title", name)
    return bundled


def _bundled_ref(ref: str, rel: str, pointer: str, state: _State) -> str:
    """The bundled name a $ref points at. A $ref the type builder never followed (inside
    `not`, `if`, `contains`, ...) is built here, so its definition is in the bundle too."""
    _build_ref({"$ref": ref}, rel, pointer, state)
    target = _resolve(rel, ref)
    assert not isinstance(target, str)
    return def_type_name(target[1])


# --------------------------------------------------------------------------- reloading


def _rebuild_changed(
    previous: Snapshot, state: _State, message_rels: list[str], valid_docs: set[str]
) -> tuple[_State, list[MessageSpec], list[MessageSpec]] | None:
    """The build of a folder where only message files changed since `previous`: its state,
    every message, and the rebuilt ones (whose examples need checking); None when that
    cannot be exactly what a fresh build gives, which then runs instead.

    What a fresh build makes of a message file depends only on that file and the shared
    files, as long as no file refers into another message file and no shared definition is
    recursive (the first message to reach a recursive group decides which of its members
    becomes an Alias). So the build of an unchanged message is still right; the changed ones
    lose what they contributed and are built again, and shared definitions no message
    reaches any more are dropped, as a fresh build would never have built them."""
    old = previous.state
    if any(_shared(rel) and old.docs.get(rel) is not doc for rel, doc in state.docs.items()):
        return None  # a shared file is new or changed
    if any(_shared(rel) and rel not in state.docs for rel in old.docs):
        return None  # a shared file is gone
    if any(_refers_to_other_messages(doc) for doc in state.docs.values()):
        return None
    changed = {rel for rel in message_rels if old.docs.get(rel) is not state.docs[rel]}
    gone = {rel for rel in old.docs if rel not in state.docs} | changed
    work = _State(
        display_root=state.display_root,
        docs=state.docs,
        types=dict(old.types),
        defs=dict(old.defs),
        owner=dict(old.owner),
        def_exprs=dict(old.def_exprs),
        hoisted=dict(old.hoisted),
        recursive=set(old.recursive),
        aliases=dict(old.aliases),
        def_refs=dict(old.def_refs),
        canonical=old.canonical,  # read, never changed: _canonical_defs makes a new one
        example_digests={r: d for r, d in old.example_digests.items() if r not in gone},
        reserved_types=old.reserved_types,
    )
    _drop_built(work, {name for name, (rel, _) in work.owner.items() if rel in gone})
    for table in (work.def_exprs, work.hoisted):  # nothing of theirs stays, named or not
        for place in [place for place in table if place[0] in gone]:
            del table[place]
    work.recursive = {place for place in work.recursive if place[0] not in gone}
    kept = [m for m in previous.messages if m.source not in gone]
    rebuilt = _build_all(work, [rel for rel in message_rels if rel in changed], valid_docs)
    if work.errors or any(_shared(rel) for rel, _ in work.recursive):
        return None
    messages = kept + rebuilt
    reached: set[str] = set()
    for spec in messages:
        reached |= reachable(work.defs, spec.title, work.def_refs)
    _drop_built(work, {n for n, (rel, _) in work.owner.items() if _shared(rel)} - reached)
    return work, sorted(messages, key=lambda m: m.source), rebuilt


def _drop_built(state: _State, names: set[str]) -> None:
    """Forget what building made under these type names."""
    places = {state.owner.pop(name) for name in names}
    for name in names:
        state.types.pop(name, None)
        state.defs.pop(name, None)
        state.aliases.pop(name, None)
        state.def_refs.pop(name, None)
    for place in places:
        state.def_exprs.pop(place, None)
        state.hoisted.pop(place, None)
    state.recursive -= places


def _shared(rel: str) -> bool:
    return rel.startswith(SHARED_DIR + "/")


def _refers_to_other_messages(doc: _Doc) -> bool:
    if doc.cross_refs is None:
        resolved = (_resolve(doc.rel, ref) for _, ref in doc.find_refs())
        doc.cross_refs = any(
            not isinstance(t, str) and t[0] != doc.rel and not _shared(t[0]) for t in resolved
        )
    return doc.cross_refs


# --------------------------------------------------------------------------- whole-catalogue


def _check_collisions(messages: list[MessageSpec], state: _State) -> None:
    """No two messages on one identifier of any target, and none on a name a target keeps for
    itself (the targets declare both: generator.targets.naming_rules)."""
    forms: dict[str, Callable[[MessageSpec], str]] = {
        "constant": lambda m: m.names.constant,
        "type name": lambda m: m.names.pascal,
    }
    reserved: dict[str, frozenset[str]] = {}
    for rules in targets.naming_rules().values():
        label = f"{rules.language} method"
        forms[label] = _spelled_by(rules.method)
        reserved[label] = rules.reserved_members
    for label, form in forms.items():
        seen: dict[str, MessageSpec] = {}
        for spec in sorted(messages, key=lambda m: m.type):
            key = form(spec)
            if key in reserved.get(label, ()):
                state.error(
                    spec.source,
                    "",
                    f"message type {spec.type!r} maps to the {label} {key!r}, which the "
                    "generated client already has; rename the message type",
                )
            elif key in seen:
                state.error(
                    spec.source,
                    "",
                    f"message type {spec.type!r} and {seen[key].type!r} both map to the "
                    f"{label} {key!r}; rename one of them",
                )
            else:
                seen[key] = spec


def _spelled_by(spell: Callable[[str], str]) -> Callable[[MessageSpec], str]:
    return lambda m: spell(m.type)


# Messages whose examples (or smallest payload) validated, by the digest of their bundled
# schema and examples: one cache entry, so an unchanged message costs a hash, not a compile.
EXAMPLES_KIND = "valid-examples"


def _check_examples(spec: MessageSpec, state: _State, passed: PieceTable) -> None:
    """Every example validates; a message without one needs a payload the README and the
    tests can send, so the smallest one built from its schema must validate."""

    try:
        names = reachable(state.defs, spec.title, state.def_refs)
        schema = {**state.defs[spec.title], "$defs": {n: state.defs[n] for n in sorted(names)}}
    except KeyError:
        if state.errors:
            return  # a definition it needs failed to build; that error is reported
        raise
    source = json.dumps([schema, spec.title, spec.examples_json], sort_keys=True)
    digest = hashlib.sha256(source.encode()).hexdigest()
    state.example_digests[spec.source] = digest
    if passed.get(digest) is True:
        return
    before = len(state.errors)
    if _validate_examples(spec, state, schema) and len(state.errors) == before:
        passed.put(digest, True)


def _validate_examples(spec: MessageSpec, state: _State, schema: dict[str, Any]) -> bool:
    """Report every example that fails; False when nothing could be validated."""
    from generator.examples import minimal_payload

    try:
        validator = compile_validator(schema)
    except ValueError:
        if state.errors:
            return False  # a definition it needs failed to build; that error is reported
        raise
    if not spec.examples_json:
        problem = minimal_payload(state.defs, spec.title, validator)
        if problem is not None:
            state.error(
                spec.source,
                "/examples",
                "the README needs an example payload and the smallest one built from the "
                f"schema is not valid ({problem}); add `examples` to this schema",
            )
        return True
    for index, example in enumerate(spec.examples):
        for err in validator.iter_errors(example):
            where = pointer_join("/examples", index, *err.instance_path)
            state.error(spec.source, where, f"example is not valid: {err.message}")
    return True
