"""The cache may change how long a run takes, never what it produces."""

from __future__ import annotations

import shutil
from pathlib import Path

from generator.cache import Cache
from generator.loader import fingerprint_folder, load_schemas

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def test_cached_load_builds_the_same_catalogue(tmp_path: Path) -> None:
    cache = Cache(tmp_path / "cache")
    plain = load_schemas(FIXTURES / "minimal")
    first = load_schemas(FIXTURES / "minimal", cache=cache)
    assert list((tmp_path / "cache" / "parsed").glob("*/*.json"))
    second = load_schemas(FIXTURES / "minimal", cache=cache)
    assert plain == first == second
    assert fingerprint_folder(FIXTURES / "minimal") == plain.fingerprint


def test_corrupt_entries_are_misses(tmp_path: Path) -> None:
    cache = Cache(tmp_path / "cache")
    load_schemas(FIXTURES / "minimal", cache=cache)
    entries = list((tmp_path / "cache").rglob("*.json"))
    assert entries  # something was cached, so something is corrupted below
    for entry in entries:
        entry.write_text("{not json")
    assert load_schemas(FIXTURES / "minimal", cache=cache) == load_schemas(FIXTURES / "minimal")


def test_an_edit_is_never_served_from_the_cache(tmp_path: Path) -> None:
    folder = tmp_path / "schemas"
    shutil.copytree(FIXTURES / "minimal", folder)
    cache = Cache(tmp_path / "cache")
    load_schemas(folder, cache=cache)
    shared = folder / "shared" / "storage.yaml"
    shared.write_text(shared.read_text().replace("enum: [s3, minio]", "enum: [s3, gcs]"))
    edited = load_schemas(folder, cache=cache)
    provider = edited.resolve(edited.type("StorageLocation").field("provider").type)
    assert provider.enum == ("s3", "gcs")


def test_an_invalid_file_is_still_reported_after_a_valid_run(tmp_path: Path) -> None:
    import pytest

    from generator.errors import SchemaErrors

    folder = tmp_path / "schemas"
    shutil.copytree(FIXTURES / "minimal", folder)
    cache = Cache(tmp_path / "cache")
    load_schemas(folder, cache=cache)
    path = folder / "file-download-request.yaml"
    path.write_text(path.read_text().replace("modelId: {type: string", "modelId: {type: strng"))
    with pytest.raises(SchemaErrors) as info:
        load_schemas(folder, cache=cache)
    assert "#/properties/modelId/type" in str(info.value.errors[0])
