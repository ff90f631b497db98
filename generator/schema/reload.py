"""The incremental reload of `generate --watch`: what a clean load keeps (Snapshot), the
file signatures that let an unchanged file go unread, and the rebuild of only the messages
that changed."""

from __future__ import annotations

import stat
from dataclasses import dataclass
from pathlib import Path

from generator.ir import MessageSpec, reachable
from generator.schema.builder import build_all
from generator.schema.refs import resolve
from generator.schema.state import Doc, State, in_shared


@dataclass
class Snapshot:
    """A successful load, as a long-lived process (`generate --watch`) keeps it: the next
    load reuses every file whose bytes are unchanged, and rebuilds only the messages that
    changed (see rebuild_changed). Nothing in it that the Catalogue shows is changed after
    the load that made it (a document's signature is refreshed when its file is read again)."""

    state: State
    messages: tuple[MessageSpec, ...]


# A file's times are only as fine as the file system's clock tick (a few ms on ext4, two
# seconds on FAT): a file written again within the tick of a read keeps its signature. As git
# does with its index, a signature is trusted only once the file's times are well before it
# was taken.
RACY_NS = 2_000_000_000


def signature(path: Path) -> tuple[int, int, int, int, int] | None:
    try:
        info = path.lstat()
    except OSError:
        return None
    if not stat.S_ISREG(info.st_mode):
        return None  # a symlink or anything else is read, and checked, every time
    return (info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns)


def unchanged_since(path: Path, doc: Doc) -> bool:
    """Whether the file still holds the bytes `doc` was read from, by its signature."""
    if doc.seen is None or signature(path) != doc.seen:
        return False
    *_, mtime, ctime = doc.seen
    return max(mtime, ctime) < doc.seen_at - RACY_NS


def rebuild_changed(
    previous: Snapshot, state: State, message_rels: list[str], valid_docs: set[str]
) -> tuple[State, list[MessageSpec], list[MessageSpec]] | None:
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
    if any(in_shared(rel) and old.docs.get(rel) is not doc for rel, doc in state.docs.items()):
        return None  # a shared file is new or changed
    if any(in_shared(rel) and rel not in state.docs for rel in old.docs):
        return None  # a shared file is gone
    if any(_refers_to_other_messages(doc) for doc in state.docs.values()):
        return None
    changed = {rel for rel in message_rels if old.docs.get(rel) is not state.docs[rel]}
    gone = {rel for rel in old.docs if rel not in state.docs} | changed
    work = State(
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
        reserved_types=old.reserved_types,
    )
    _drop_built(work, {name for name, (rel, _) in work.owner.items() if rel in gone})
    for table in (work.def_exprs, work.hoisted):  # nothing of theirs stays, named or not
        for place in [place for place in table if place[0] in gone]:
            del table[place]
    work.recursive = {place for place in work.recursive if place[0] not in gone}
    kept = [m for m in previous.messages if m.source not in gone]
    rebuilt = build_all(work, [rel for rel in message_rels if rel in changed], valid_docs)
    if work.errors or any(in_shared(rel) for rel, _ in work.recursive):
        return None
    messages = kept + rebuilt
    reached: set[str] = set()
    for spec in messages:
        reached |= reachable(work.defs, spec.title, work.def_refs)
    _drop_built(work, {n for n, (rel, _) in work.owner.items() if in_shared(rel)} - reached)
    return work, sorted(messages, key=lambda m: m.source), rebuilt


def _drop_built(state: State, names: set[str]) -> None:
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


def _refers_to_other_messages(doc: Doc) -> bool:
    if doc.cross_refs is None:
        resolved = (resolve(doc.rel, ref) for _, ref in doc.find_refs())
        doc.cross_refs = any(
            not isinstance(t, str) and t[0] != doc.rel and not in_shared(t[0]) for t in resolved
        )
    return doc.cross_refs
