"""Schema folder -> validated Catalogue (the IR), or every SchemaError found on the way:
read, check each file, build (or rebuild what changed), check the catalogue as a whole."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.errors import SchemaError, SchemaErrors
from generator.ir import Catalogue
from generator.run import NO_SPEED, Speed
from generator.schema.builder import build_all
from generator.schema.checks import check_document, metaschema_errors
from generator.schema.collisions import check_collisions
from generator.schema.examples import check_examples
from generator.schema.files import PARSED_KIND, fingerprint, read_folder, read_version
from generator.schema.reload import Snapshot, rebuild_changed
from generator.schema.state import Doc, State


def load_schemas(
    schema_dir: str | Path, display_root: str | None = None, speed: Speed = NO_SPEED
) -> Catalogue:
    """Load, validate and convert a schema folder; raise SchemaErrors listing every problem.

    With a Speed that remembers, a file whose exact bytes parsed and passed the metaschema
    before is taken from it (parsing and metaschema validation are most of the cost);
    everything that spans files (references, names, examples) is checked on every run.
    """
    return load_again(schema_dir, display_root, speed, None).catalogue


@dataclass
class Loaded:
    catalogue: Catalogue
    # What the next load of the same folder in this process may start from (load_again).
    snapshot: Snapshot


def load_again(
    schema_dir: str | Path,
    display_root: str | None,
    speed: Speed,
    previous: Snapshot | None,
) -> Loaded:
    """load_schemas, starting from an earlier load of the same folder when there is one. The
    Catalogue is always exactly the one a fresh load would give (tests/core/test_reload.py
    holds the two equal over many edits); errors always come from a fresh build."""
    root = Path(schema_dir)
    state = State(display_root=str(schema_dir) if display_root is None else display_root)
    if not root.is_dir():
        raise SchemaErrors([SchemaError(state.display_root, "", "schema folder does not exist")])
    if previous is not None and (
        previous.state.display_root != state.display_root
        or previous.state.reserved_types != state.reserved_types
    ):
        previous = None

    hashes: list[tuple[str, str]] = []
    known = previous.state.docs if previous is not None else {}
    message_rels = read_folder(root, state, hashes, speed, known)
    version = read_version(root, state, hashes)
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

    valid_docs = _check_documents(state, speed, known)
    rebuilt = None
    if previous is not None and not state.errors:
        rebuilt = rebuild_changed(previous, state, message_rels, valid_docs)
    if rebuilt is None:
        messages = build_all(state, message_rels, valid_docs)
        checked = messages
    else:
        state, messages, checked = rebuilt
    check_collisions(messages, state)
    for spec in checked:  # a message a reload kept was checked when it was built
        check_examples(spec, state)
    if state.errors:
        if rebuilt is not None:
            # A fresh build reports every problem in its own order.
            return load_again(schema_dir, display_root, speed, None)
        raise SchemaErrors(state.errors)

    ordered = tuple(sorted(messages, key=lambda m: m.type))
    defs_json, canonical_defs = _canonical_defs(state)
    catalogue = Catalogue(
        version=version,
        messages=ordered,
        types=tuple(sorted(state.types.values(), key=lambda t: t.name)),
        defs_json=defs_json,
        canonical_defs=canonical_defs,
        fingerprint=fingerprint(hashes),
        sources=tuple(sorted(hashes)),
        aliases=tuple(sorted(state.aliases.values(), key=lambda a: a.name)),
    )
    return Loaded(catalogue, Snapshot(state, ordered))


def _canonical_defs(state: State) -> tuple[str, dict[str, Any]]:
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


def _check_documents(state: State, speed: Speed, known: dict[str, Doc]) -> set[str]:
    """The files that pass every per-file check; the others' errors are in state.errors.

    A file this process loaded cleanly before (`known`, the same bytes) skips them; a file
    whose parse came from the cache skips only the metaschema, which it passed then. A
    file that passes now has its parse remembered for the next run."""
    valid_docs = {rel for rel, doc in state.docs.items() if known.get(rel) is doc}
    unchecked = [d for r, d in state.docs.items() if r not in valid_docs and not d.meta_valid]
    meta_errors = metaschema_errors(unchecked)
    for rel, doc in state.docs.items():
        if rel not in valid_docs and check_document(doc, state, meta_errors):
            valid_docs.add(rel)
    for rel in sorted(valid_docs):
        doc = state.docs[rel]
        if not doc.meta_valid and known.get(rel) is not doc:
            speed.store(PARSED_KIND, doc.data, doc.sha)
    return valid_docs
