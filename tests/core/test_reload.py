"""A reload (`generate --watch`, loader.load_again with the last Snapshot) gives exactly what a
fresh load of the same folder gives, whatever was edited: the same Catalogue, the same build
state underneath it (nothing left behind by what was removed), the same errors."""

from __future__ import annotations

import json
import shutil
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from support import FIXTURES, SCHEMAS
from support.edits import (
    Edit,
    add_titled_object,
    add_unused_shared_types,
    break_yaml,
    bump_version,
    change,
    describe,
    drop_property,
    messages,
    new_message,
    remove_message,
    restore,
    retitle,
    shared_edit,
    use_unused,
)

from generator.errors import SchemaErrors
from generator.run import NO_SPEED
from generator.schema import Loaded, Snapshot, files, load_again, reload


def equal_builds(got: Loaded, fresh: Loaded) -> None:
    assert got.catalogue == fresh.catalogue
    assert got.catalogue.shared_defs == got.catalogue.defs
    defs = got.snapshot.state.defs
    assert got.catalogue.defs_json == json.dumps(
        {"$defs": defs}, sort_keys=True, ensure_ascii=False
    )
    mine, theirs = got.snapshot.state, fresh.snapshot.state
    for part in ("types", "defs", "owner", "def_exprs", "hoisted", "recursive", "aliases"):
        assert getattr(mine, part) == getattr(theirs, part), part
    assert set(mine.def_refs) <= set(mine.defs)


def reload_matches_fresh(folder: Path, snapshot: Snapshot | None) -> Snapshot | None:
    """Reload from `snapshot` and load fresh; both agree. The snapshot to go on from."""
    try:
        fresh = load_again(folder, "schemas", NO_SPEED, None)
    except SchemaErrors as exc:
        with pytest.raises(SchemaErrors) as info:
            load_again(folder, "schemas", NO_SPEED, snapshot)
        assert [str(e) for e in info.value.errors] == [str(e) for e in exc.errors]
        return snapshot  # a failed load keeps the last good one, as watch does
    got = load_again(folder, "schemas", NO_SPEED, snapshot)
    equal_builds(got, fresh)
    return got.snapshot


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    shutil.copytree(SCHEMAS, tmp_path / "schemas")
    return tmp_path / "schemas"


def test_every_edit_reloads_to_what_a_fresh_load_gives(folder: Path) -> None:
    add_unused_shared_types(folder)
    edits: list[Edit] = [
        change(0, describe),
        change(4, use_unused),
        change(4, drop_property("reloadOnly")),  # nothing reaches them now
        change(4, use_unused),
        change(0, add_titled_object),
        change(1, add_titled_object),  # the same title twice: an error
        restore(1, SCHEMAS),
        change(6, drop_property("reloadOnly")),  # not there: the file is written anew
        change(3, retitle),
        remove_message(5),
        new_message("reload-added-request", "ReloadAddedRequestMessage"),
        new_message("reload-clash-request", "ReloadAddedRequestMessage"),  # a title clash
        lambda f: (f / "reload-clash-request.yaml").unlink(),
        break_yaml(2),
        restore(2, SCHEMAS),
        bump_version,
        shared_edit,
        change(0, describe),
    ]
    snapshot = reload_matches_fresh(folder, None)
    for number, edit in enumerate(edits):
        edit(folder)
        snapshot = reload_matches_fresh(folder, snapshot)
        assert snapshot is not None
        if number == 2:
            assert "ReloadOnlyHere" not in snapshot.state.types
            assert "ReloadMode" not in snapshot.state.defs
    # The edits did what they are meant to.
    assert "ReloadOnlyHere" in snapshot.state.types
    assert "ReloadExtra" in snapshot.state.types
    assert "ReloadAddedRequestMessage" in snapshot.state.types


def test_an_unchanged_message_keeps_its_built_objects(folder: Path) -> None:
    first = load_again(folder, "schemas", NO_SPEED, None)
    change(0, describe)(folder)
    second = load_again(folder, "schemas", NO_SPEED, first.snapshot)
    before = {m.type: m for m in first.catalogue.messages}
    edited = messages(folder)[0].stem
    for message in second.catalogue.messages:
        assert (message is before[message.type]) == (message.type != edited), message.type
    assert second.catalogue.type("StorageLocation") is first.catalogue.type("StorageLocation")


def test_a_recursive_shared_definition_is_built_fresh(tmp_path: Path) -> None:
    folder = tmp_path / "schemas"
    shutil.copytree(FIXTURES / "kitchen-sink" / "schemas", folder)
    first = load_again(folder, "schemas", NO_SPEED, None)
    change(0, describe)(folder)
    again = reload_matches_fresh(folder, first.snapshot)
    assert again is not None
    reused = {id(m) for m in first.catalogue.messages} & {id(m) for m in again.messages}
    assert not reused


@pytest.fixture
def trusting(monkeypatch: pytest.MonkeyPatch) -> Callable[[], None]:
    """Signatures trusted as soon as the file's times are before the stat, not two seconds
    before (generator.schema.reload.RACY_NS); `settle` waits out the file system's clock tick
    between steps, which the two seconds stand for."""
    monkeypatch.setattr(reload, "RACY_NS", 0)
    return lambda: time.sleep(0.03)


def test_a_reload_reads_only_the_files_whose_signature_changed(
    folder: Path, trusting: Callable[[], None], monkeypatch: pytest.MonkeyPatch
) -> None:
    settle = trusting
    settle()
    first = load_again(folder, "schemas", NO_SPEED, None)
    settle()
    read: list[str] = []
    real = files.read_checked

    def counted(root: Path, path: Path, state: Any, rel: str) -> bytes | None:
        read.append(rel)
        return real(root, path, state, rel)

    monkeypatch.setattr(files, "read_checked", counted)
    change(0, describe)(folder)
    settle()
    again = load_again(folder, "schemas", NO_SPEED, first.snapshot)
    assert read == [messages(folder)[0].name, "VERSION"]
    equal_builds(again, load_again(folder, "schemas", NO_SPEED, None))


def test_every_edit_reloads_right_when_signatures_are_trusted(
    folder: Path, trusting: Callable[[], None]
) -> None:
    settle = trusting
    snapshot = reload_matches_fresh(folder, None)
    for edit in [
        change(0, describe),
        change(0, describe),
        change(2, add_titled_object),
        break_yaml(2),
        restore(2, SCHEMAS),
        shared_edit,
        remove_message(1),
    ]:
        settle()
        edit(folder)
        settle()
        snapshot = reload_matches_fresh(folder, snapshot)


def test_a_signature_just_taken_is_not_trusted(folder: Path) -> None:
    path = messages(folder)[0]
    doc = load_again(folder, "schemas", NO_SPEED, None).snapshot.state.docs[path.name]
    assert doc.seen is not None
    assert not reload.unchanged_since(path, doc)  # read within two seconds of its writing
    doc.seen_at += 2 * reload.RACY_NS
    assert reload.unchanged_since(path, doc)
    path.write_bytes(path.read_bytes())
    assert not reload.unchanged_since(path, doc)
