"""The cache may change how long a run takes, never what it produces: not after an edit, and
not when an entry of any kind is corrupted (each one carries the digest of its content)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from support import FIXTURES

from generator import templating
from generator.errors import SchemaErrors
from generator.pipeline import render_folder
from generator.run import NO_SPEED
from generator.schema import fingerprint_folder, load_schemas
from generator.speed import HeldSpeed, on_disk
from generator.speed.held import HeldCache
from generator.speed.layer import CacheSpeed
from generator.speed.store import ENTRY_SUFFIX, Cache

TARGETS = ["python", "typescript", "openapi"]


def _entries(root: Path) -> list[Path]:
    return sorted(root.rglob(f"*{ENTRY_SUFFIX}"))


def _flip_a_letter(path: Path) -> None:
    """Change one letter in the middle of the entry's payload (JSON stays JSON), the way a
    bad disk or a hand edit would: `NotRequired` becomes `NoqRequired`."""
    data = bytearray(path.read_bytes())
    start = data.index(b"\n") + 1
    middle = start + (len(data) - start) // 2
    for i in [*range(middle, len(data)), *range(start, middle)]:
        if chr(data[i]).isalpha():
            data[i] = ord("q") if data[i] != ord("q") else ord("z")
            break
    else:
        data[-1] ^= 0x01  # no letter (compiled bytecode): flip a bit instead
    path.write_bytes(bytes(data))


def test_cached_load_builds_the_same_catalogue(tmp_path: Path) -> None:
    cache = on_disk(tmp_path / "cache")
    plain = load_schemas(FIXTURES / "minimal")
    first = load_schemas(FIXTURES / "minimal", speed=cache)
    assert _entries(tmp_path / "cache" / "parsed")
    second = load_schemas(FIXTURES / "minimal", speed=cache)
    assert plain == first == second
    assert fingerprint_folder(FIXTURES / "minimal") == plain.fingerprint


def test_a_corrupted_entry_is_a_miss_and_is_removed(tmp_path: Path) -> None:
    cache = Cache(tmp_path)
    cache.put("kind", "ab" * 32, {"name": "NotRequired"})
    [entry] = _entries(tmp_path)
    assert cache.get("kind", "ab" * 32) == {"name": "NotRequired"}
    entry.write_bytes(entry.read_bytes().replace(b"NotRequired", b"NoqRequired"))
    assert cache.get("kind", "ab" * 32) is None
    assert not entry.exists()


def test_unreadable_entries_are_misses(tmp_path: Path) -> None:
    cache = on_disk(tmp_path / "cache")
    load_schemas(FIXTURES / "minimal", speed=cache)
    entries = _entries(tmp_path / "cache")
    assert entries  # something was cached, so something is corrupted below
    for entry in entries:
        entry.write_text("{not json")
    assert load_schemas(FIXTURES / "minimal", speed=cache) == load_schemas(FIXTURES / "minimal")


def test_every_corrupted_entry_is_detected_and_rendered_again(tmp_path: Path) -> None:
    """One entry at a time, of every kind (whole outputs, parsed files, black pieces,
    JSON pieces, YAML pieces, compiled templates): the output is what a
    run without any cache renders, and the bad entry is replaced by a good one."""
    schemas = FIXTURES / "minimal"
    fresh = render_folder(schemas, "minimal", TARGETS, NO_SPEED).files
    cache = on_disk(tmp_path / "cache")
    render_folder(schemas, "minimal", TARGETS, cache)
    entries = _entries(tmp_path / "cache")
    kinds = {e.relative_to(tmp_path / "cache").parts[0] for e in entries}
    expected = {"output", "parsed", "python-black-pieces", "jinja", "json-pieces"}
    assert expected <= kinds, kinds
    for entry in entries:
        good = entry.read_bytes()
        _flip_a_letter(entry)
        # Compiled templates are also kept in memory: read them from the cache again.
        templating._environment.cache_clear()
        if entry.parent.parent.name != "output":
            # Otherwise the whole output would come from its own entry, and this one unread.
            for output in _entries(tmp_path / "cache" / "output"):
                _flip_a_letter(output)
        assert render_folder(schemas, "minimal", TARGETS, cache).files == fresh, entry
        assert entry.read_bytes() == good, f"{entry} was not stored again"


def _edited_after_a_cached_run(tmp_path: Path, rel: str, old: str, new: str) -> Path:
    """A copy of the minimal fixture, loaded once with a cache (tmp_path/cache), then edited."""
    folder = tmp_path / "schemas"
    shutil.copytree(FIXTURES / "minimal", folder)
    load_schemas(folder, speed=on_disk(tmp_path / "cache"))
    path = folder / rel
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))
    return folder


STORAGE = "shared/storage.yaml"


def test_an_edit_is_never_served_from_the_cache(tmp_path: Path) -> None:
    folder = _edited_after_a_cached_run(tmp_path, STORAGE, "enum: [s3, minio]", "enum: [s3, gcs]")
    edited = load_schemas(folder, speed=on_disk(tmp_path / "cache"))
    provider = edited.resolve(edited.type("StorageLocation").field("provider").type)
    assert provider.enum == ("s3", "gcs")


def test_an_invalid_file_is_still_reported_after_a_valid_run(tmp_path: Path) -> None:
    folder = _edited_after_a_cached_run(
        tmp_path, "file-download-request.yaml", "modelId: {type: string", "modelId: {type: strng"
    )
    with pytest.raises(SchemaErrors) as info:
        load_schemas(folder, speed=on_disk(tmp_path / "cache"))
    assert "#/properties/modelId/type" in str(info.value.errors[0])


def test_an_example_broken_by_a_shared_edit_is_reported_after_a_valid_run(
    tmp_path: Path,
) -> None:
    # The message file is unchanged (its parse comes from the cache), but what its example
    # must satisfy changed.
    folder = _edited_after_a_cached_run(
        tmp_path, STORAGE, "enum: [s3, minio]", "enum: [gcs, minio]"
    )
    with pytest.raises(SchemaErrors) as info:
        load_schemas(folder, speed=on_disk(tmp_path / "cache"))
    assert "#/examples/0/storageLocation/provider" in str(info.value.errors[0])


def test_a_convention_error_is_reported_on_every_run(tmp_path: Path) -> None:
    # A file with an error is never remembered as checked, so the cache cannot hide it.
    folder = tmp_path / "schemas"
    shutil.copytree(FIXTURES / "minimal", folder)
    path = folder / "file-download-request.yaml"
    path.write_text(
        path.read_text().replace("modelId: {type: string,", "modelId: {x-odd: 1, type: string,")
    )
    cache = on_disk(tmp_path / "cache")
    reports = []
    for _ in range(2):
        with pytest.raises(SchemaErrors) as info:
            load_schemas(folder, speed=cache)
        reports.append([str(e) for e in info.value.errors])
    assert reports[0] == reports[1] and "x-odd" in reports[0][0]


def test_a_held_cache_writes_at_flush(tmp_path: Path) -> None:
    held = HeldCache(tmp_path)
    held.put("pieces", "ab" * 32, {"x": "y"})
    assert not _entries(tmp_path)  # nothing on disk before flush
    assert held.get("pieces", "ab" * 32) == {"x": "y"}
    held.flush()
    assert Cache(tmp_path).get("pieces", "ab" * 32) == {"x": "y"}
    # A held cache renders what a plain one renders.
    schemas = FIXTURES / "minimal"
    fresh = render_folder(schemas, "minimal", TARGETS, NO_SPEED).files
    watch = HeldSpeed(tmp_path / "watch")
    snapshot = None
    for _ in range(2):
        rendered = render_folder(schemas, "minimal", TARGETS, watch, False, snapshot)
        assert rendered.files == fresh
        snapshot = rendered.snapshot


@pytest.mark.parametrize("folder", ["minimal", "kitchen-sink/schemas", "python-escaping"])
def test_loading_never_changes_the_parsed_files_a_held_cache_shares(
    tmp_path: Path, folder: str
) -> None:
    held = HeldCache(tmp_path)
    plain = load_schemas(FIXTURES / folder)
    load_schemas(FIXTURES / folder, speed=CacheSpeed(held))
    before = {k: json.dumps(v, sort_keys=True) for k, v in held._values.items()}
    assert any(kind == "parsed" for kind, _ in before)
    # From the shared values:
    assert load_schemas(FIXTURES / folder, speed=CacheSpeed(held)) == plain
    assert {k: json.dumps(held._values[k], sort_keys=True) for k in before} == before
