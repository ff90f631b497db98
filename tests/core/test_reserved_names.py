"""Message and type names that would collide with what the clients already define are refused
by `validate`; the reserved names are read from the runtime sources, not kept by hand."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from support import FIXTURES

from generator import targets
from generator.errors import SchemaErrors
from generator.schema import load_schemas


def _with_message(tmp_path: Path, kebab: str) -> Path:
    schemas = tmp_path / "schemas"
    shutil.copytree(FIXTURES / "minimal", schemas)
    source = schemas / "file-download-request.yaml"
    title = "".join(part.title() for part in kebab.split("-")) + "Message"
    (schemas / f"{kebab}.yaml").write_text(
        source.read_text().replace("FileDownloadRequestMessage", title)
    )
    return schemas


@pytest.mark.parametrize(
    "kebab", ["timeout", "base-url", "validate", "send-to-queue", "get-job-status", "then", "close"]
)
def test_a_message_named_like_a_client_member_is_refused(tmp_path: Path, kebab: str) -> None:
    with pytest.raises(SchemaErrors) as info:
        load_schemas(_with_message(tmp_path, kebab))
    assert any("which the generated client already has" in str(e) for e in info.value.errors)


def test_an_ordinary_message_is_accepted(tmp_path: Path) -> None:
    assert load_schemas(_with_message(tmp_path, "thumbnail-cleanup")).messages


@pytest.mark.parametrize(
    "name", ["RateLimitError", "WorkerClientConfig", "ErrorResponse", "VERSION"]
)
def test_a_type_named_like_an_export_is_refused(tmp_path: Path, name: str) -> None:
    schemas = tmp_path / "schemas"
    shutil.copytree(FIXTURES / "minimal", schemas)
    shared = schemas / "shared" / "storage.yaml"
    text = shared.read_text()
    assert "StorageLocation" in text
    shared.write_text(text.replace("StorageLocation", name))
    for path in schemas.glob("*.yaml"):
        path.write_text(path.read_text().replace("StorageLocation", name))
    with pytest.raises(SchemaErrors) as info:
        load_schemas(schemas)
    assert any(f"type name {name!r} is reserved" in str(e) for e in info.value.errors)


def test_reserved_names_come_from_the_runtime() -> None:
    rules = targets.naming_rules()
    # Members and exports of the runtime source, found by reading it.
    assert {"send_to_queue", "get_job_status", "timeout", "base_url"} <= rules[
        "python"
    ].reserved_members
    assert {"sendToQueue", "getJobStatus", "validate", "baseUrl"} <= rules[
        "typescript"
    ].reserved_members
    assert {"WorkerClient", "APIError", "JobOptions"} <= rules["python"].reserved_types
    assert {"WorkerClient", "WorkerClientConfig", "ValidationIssue"} <= rules[
        "typescript"
    ].reserved_types
