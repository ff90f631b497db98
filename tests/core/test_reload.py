"""A reload (`generate --watch`, loader.load_again with the last Snapshot) gives exactly what a
fresh load of the same folder gives, whatever was edited: the same Catalogue, the same build
state underneath it (nothing left behind by what was removed), the same errors."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from support import FIXTURES, SCHEMAS

from generator import pipeline, targets
from generator.cache import Cache, HeldCache
from generator.errors import SchemaErrors
from generator.loader import Loaded, Snapshot, load_again

Edit = Callable[[Path], None]


def read(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def write(path: Path, data: Any) -> None:
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")


def messages(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.yaml"))


def change(index: int, how: Callable[[dict[str, Any]], None]) -> Edit:
    def edit(folder: Path) -> None:
        path = messages(folder)[index]
        data = read(path)
        how(data)
        write(path, data)

    return edit


def describe(data: dict[str, Any]) -> None:
    data["description"] = data["description"] + " Edited."


def add_titled_object(data: dict[str, Any]) -> None:
    data["properties"]["reloadExtra"] = {
        "type": "object",
        "title": "ReloadExtra",
        "description": "An object added by an edit.",
        "additionalProperties": False,
        "properties": {
            "where": {"$ref": "shared/storage.yaml#/$defs/StorageLocation"},
            "labels": {"type": "array", "items": {"type": "string", "enum": ["a", "b"]}},
        },
    }


def add_titled_object_named(title: str) -> Callable[[dict[str, Any]], None]:
    def how(data: dict[str, Any]) -> None:
        data["properties"]["reloadNamed"] = {
            "type": "object",
            "title": title,
            "properties": {"n": {"type": "integer"}},
        }

    return how


def name_a_field(name: str) -> Callable[[dict[str, Any]], None]:
    def how(data: dict[str, Any]) -> None:
        data["properties"][name] = {"type": "string", "description": "Named like a type."}

    return how


def drop_property(name: str) -> Callable[[dict[str, Any]], None]:
    def how(data: dict[str, Any]) -> None:
        data["properties"].pop(name, None)
        if name in data.get("required", []):
            data["required"].remove(name)
        for example in data.get("examples", []):
            example.pop(name, None)

    return how


def retitle(data: dict[str, Any]) -> None:
    data["title"] = "Renamed" + data["title"]


def remove_message(index: int) -> Edit:
    return lambda folder: messages(folder)[index].unlink()


def new_message(name: str, title: str) -> Edit:
    def edit(folder: Path) -> None:
        write(
            folder / f"{name}.yaml",
            {
                "$schema": "https://json-schema.org/draft/2020-12/schema",
                "title": title,
                "description": "A message added by an edit.",
                "type": "object",
                "additionalProperties": False,
                "required": ["modelId"],
                "properties": {
                    "modelId": {"type": "string", "description": "The model."},
                    "target": {"$ref": "shared/storage.yaml#/$defs/StorageLocation"},
                },
            },
        )

    return edit


def break_yaml(index: int) -> Edit:
    def edit(folder: Path) -> None:
        path = messages(folder)[index]
        path.write_text(path.read_text(encoding="utf-8") + "\n  : [unclosed\n", encoding="utf-8")

    return edit


def restore(index: int, source: Path) -> Edit:
    def edit(folder: Path) -> None:
        shutil.copyfile(messages(source)[index], messages(folder)[index])

    return edit


def shared_edit(folder: Path) -> None:
    path = folder / "shared" / "storage.yaml"
    data = read(path)
    data["$defs"]["StorageLocation"]["description"] = "Edited in a shared file."
    write(path, data)


def bump_version(folder: Path) -> None:
    (folder / "VERSION").write_text("9.9.9\n", encoding="utf-8")


def add_unused_shared_types(folder: Path) -> None:
    """Shared definitions no message refers to yet: an object with an inline object inside,
    and an enum, which an edit then starts and stops using."""
    path = folder / "shared" / "storage.yaml"
    data = read(path)
    data["$defs"]["ReloadOnlyHere"] = {
        "type": "object",
        "description": "Reached by one edit only.",
        "additionalProperties": False,
        "properties": {
            "inner": {"type": "object", "properties": {"n": {"type": "integer"}}},
            "mode": {"$ref": "#/$defs/ReloadMode"},
        },
    }
    data["$defs"]["ReloadMode"] = {"type": "string", "enum": ["fast", "slow"]}
    write(path, data)


def use_unused(data: dict[str, Any]) -> None:
    data["properties"]["reloadOnly"] = {"$ref": "shared/storage.yaml#/$defs/ReloadOnlyHere"}


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
        fresh = load_again(folder, "schemas", None, None)
    except SchemaErrors as exc:
        with pytest.raises(SchemaErrors) as info:
            load_again(folder, "schemas", None, snapshot)
        assert [str(e) for e in info.value.errors] == [str(e) for e in exc.errors]
        return snapshot  # a failed load keeps the last good one, as watch does
    got = load_again(folder, "schemas", None, snapshot)
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
    first = load_again(folder, "schemas", None, None)
    change(0, describe)(folder)
    second = load_again(folder, "schemas", None, first.snapshot)
    before = {m.type: m for m in first.catalogue.messages}
    edited = messages(folder)[0].stem
    for message in second.catalogue.messages:
        assert (message is before[message.type]) == (message.type != edited), message.type
    assert second.catalogue.type("StorageLocation") is first.catalogue.type("StorageLocation")


def test_a_recursive_shared_definition_is_built_fresh(tmp_path: Path) -> None:
    folder = tmp_path / "schemas"
    shutil.copytree(FIXTURES / "kitchen-sink" / "schemas", folder)
    first = load_again(folder, "schemas", None, None)
    change(0, describe)(folder)
    again = reload_matches_fresh(folder, first.snapshot)
    assert again is not None
    reused = {id(m) for m in first.catalogue.messages} & {id(m) for m in again.messages}
    assert not reused


def test_every_target_renders_after_a_reload_what_a_fresh_run_renders(
    folder: Path, tmp_path: Path
) -> None:
    """The targets' Memo (generator.memo) hands back what they made of every object a reload
    kept: the files are still exactly a fresh process's."""
    add_unused_shared_types(folder)
    # A field named like a type: its TypedDict takes the functional form once that type
    # exists, though its own message is unchanged.
    change(1, name_a_field("ReloadClash"))(folder)
    names = targets.available()
    held = HeldCache(tmp_path / "held")
    edits: list[Edit] = [
        change(0, describe),
        change(0, add_titled_object_named("ReloadClash")),
        change(0, add_titled_object),
        change(4, use_unused),
        change(4, drop_property("reloadOnly")),
        change(3, retitle),
        remove_message(5),
        new_message("reload-added-request", "ReloadAddedRequestMessage"),
        break_yaml(2),
        restore(2, SCHEMAS),
        shared_edit,
        change(1, describe),
    ]
    pipeline.render_folder(folder, "schemas", names, held, keep_output=False)
    for number, edit in enumerate(edits):
        edit(folder)
        try:
            fresh = pipeline.render_folder(folder, "schemas", names, Cache(tmp_path / f"c{number}"))
        except SchemaErrors:
            with pytest.raises(SchemaErrors):
                pipeline.render_folder(folder, "schemas", names, held, keep_output=False)
            continue
        warm = pipeline.render_folder(folder, "schemas", names, held, keep_output=False)
        assert sorted(warm.files) == sorted(fresh.files)
        for path, text in fresh.files.items():
            assert warm.files[path] == text, path
        if number == 1:
            assert 'TypedDict(\n    "' + messages(folder)[1].stem.title().replace("-", "") in (
                warm.files["python/worker_client/types.py"]
            )
