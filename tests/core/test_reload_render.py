"""What every target renders in a warm `generate --watch` process, after a reload and with the
targets' Memo (generator.speed.memo), is exactly what a fresh process renders; and the warm
process's cache tables keep only what is in use. (The loader's side: test_reload.py.)"""

from __future__ import annotations

from pathlib import Path

import pytest
from support import SCHEMAS
from support.edits import (
    Edit,
    add_titled_object,
    add_titled_object_named,
    add_unused_shared_types,
    break_yaml,
    change,
    describe,
    drop_property,
    messages,
    name_a_field,
    new_message,
    remove_message,
    restore,
    retitle,
    shared_edit,
    use_unused,
)

from generator import pipeline, targets
from generator.errors import SchemaErrors
from generator.schema import Snapshot
from generator.speed import HeldSpeed, on_disk


class Warm:
    """What `generate --watch` keeps between saves: its HeldSpeed and the last clean load."""

    def __init__(self, root: Path) -> None:
        self.speed = HeldSpeed(root)
        self.snapshot: Snapshot | None = None

    def render(self, folder: Path, names: list[str]) -> pipeline.Rendered:
        rendered = pipeline.render_folder(
            folder, "schemas", names, self.speed, False, self.snapshot
        )
        self.snapshot = rendered.snapshot
        return rendered


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    import shutil

    shutil.copytree(SCHEMAS, tmp_path / "schemas")
    return tmp_path / "schemas"


@pytest.mark.slow
def test_every_target_renders_after_a_reload_what_a_fresh_run_renders(
    folder: Path, tmp_path: Path
) -> None:
    """The targets' Memo (generator.speed.memo) hands back what they made of every object a reload
    kept: the files are still exactly a fresh process's."""
    add_unused_shared_types(folder)
    # A field named like a type: its TypedDict takes the functional form once that type
    # exists, though its own message is unchanged.
    change(1, name_a_field("ReloadClash"))(folder)
    names = targets.available()
    held = Warm(tmp_path / "held")
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
    held.render(folder, names)
    for number, edit in enumerate(edits):
        edit(folder)
        try:
            # A fresh process: no reload, no memo; its disk cache (content-addressed, held
            # to cache-less runs by test_piecewise) is its own, shared by the fresh runs.
            fresh = pipeline.render_folder(folder, "schemas", names, on_disk(tmp_path / "fresh"))
        except SchemaErrors:
            with pytest.raises(SchemaErrors):
                held.render(folder, names)
            continue
        warm = held.render(folder, names)
        assert sorted(warm.files) == sorted(fresh.files)
        for path, text in fresh.files.items():
            assert warm.files[path] == text, path
        if number == 1:
            assert 'TypedDict(\n    "' + messages(folder)[1].stem.title().replace("-", "") in (
                warm.files["python/worker_client/types.py"]
            )


def test_watch_saves_keep_the_cache_tables_to_what_is_in_use(folder: Path, tmp_path: Path) -> None:
    """Pieces the memo supplied count as used: a table holds what the last save used, not
    every version an editing session made."""
    held = Warm(tmp_path / "held")
    names = targets.available()

    def sizes() -> dict[str, int]:
        found: dict[str, int] = {}
        for (kind, _), value in held.speed.cache._values.items():
            if kind != "parsed" and isinstance(value, dict):
                found[kind] = found.get(kind, 0) + len(value)
        return found

    held.render(folder, names)
    change(0, describe)(folder)
    held.render(folder, names)
    after_one = sizes()
    for _ in range(4):
        change(0, describe)(folder)
        held.render(folder, names)
    assert sizes() == after_one
    assert {"json-pieces", "openapi-yaml-pieces"} <= set(after_one)
