"""Edits a test makes to a copy of a schema folder, as a person editing schemas would: each
is a function of the folder (tests/core/test_reload*.py replay sequences of them)."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

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
