"""The loader turns a schema folder into the IR, or reports every problem with file and pointer."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from support import FIXTURES

from generator.errors import SchemaErrors
from generator.loader import load_schemas


def errors_of(folder: Path) -> list[str]:
    with pytest.raises(SchemaErrors) as info:
        load_schemas(folder, display_root="schemas")
    return [str(e) for e in info.value.errors]


def test_minimal_catalogue_is_built_with_every_name_form() -> None:
    catalogue = load_schemas(FIXTURES / "minimal")
    (message,) = catalogue.messages
    assert message.type == "file-download-request"
    assert message.title == "FileDownloadRequestMessage"
    names = message.names
    assert (names.snake, names.camel, names.constant, names.pascal) == (
        "file_download_request",
        "fileDownloadRequest",
        "FILE_DOWNLOAD_REQUEST",
        "FileDownloadRequest",
    )
    payload = message.payload
    assert [f.name for f in payload.fields if f.required] == ["modelId", "storageLocation"]
    assert payload.field("storageLocation").type.ref == "StorageLocation"
    assert catalogue.type("StorageLocation").shared
    # Inline objects are hoisted under derived names; array items get their own type.
    options = catalogue.type("FileDownloadRequestOptions")
    assert options.field("steps").type.items is not None
    assert options.field("steps").type.items.ref == "FileDownloadRequestOptionsStepsItem"
    # A shared enum definition is inlined as a restricted string.
    provider = catalogue.type("StorageLocation").field("provider").type
    assert (provider.kind, provider.enum) == ("string", ("s3", "minio"))
    # Credential-like names are secret even without x-secret.
    assert payload.field("credentials").secret
    assert not payload.field("modelId").secret


def test_ir_is_immutable() -> None:
    catalogue = load_schemas(FIXTURES / "minimal")
    with pytest.raises(dataclasses.FrozenInstanceError):
        catalogue.messages[0].payload.fields[0].name = "other"  # type: ignore[misc]


def test_message_schema_is_standalone_and_validates_the_example() -> None:
    from jsonschema import Draft202012Validator

    catalogue = load_schemas(FIXTURES / "minimal")
    schema = catalogue.message_schema("file-download-request")
    assert set(schema["$defs"]) == {
        "FileDownloadRequestOptions",
        "FileDownloadRequestOptionsStepsItem",
        "Provider",
        "StorageLocation",
    }
    validator = Draft202012Validator(schema)
    (example,) = catalogue.messages[0].examples
    assert list(validator.iter_errors(example)) == []
    assert list(validator.iter_errors({**example, "unknown": 1}))


def test_fingerprint_follows_the_input(tmp_path: Path) -> None:
    import shutil

    folder = tmp_path / "schemas"
    shutil.copytree(FIXTURES / "minimal", folder)
    first = load_schemas(folder).fingerprint
    assert load_schemas(folder).fingerprint == first
    path = folder / "shared" / "storage.yaml"
    path.write_text(path.read_text().replace("Where a file lives.", "Where it lives."))
    assert load_schemas(folder).fingerprint != first


def test_keyword_and_hyphenated_names_are_carried() -> None:
    catalogue = load_schemas(FIXTURES / "naming")
    (message,) = catalogue.messages
    assert message.names.py_method == "import_"
    assert [f.name for f in message.payload.fields] == [
        "class",
        "from",
        "true",
        "x-request-id",
        "import",
    ]
    assert catalogue.type("ImportImport").field("def").type.kind == "integer"


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        ("malformed-yaml", "schemas/file-download-request.yaml#: invalid YAML"),
        (
            "unknown-type",
            "schemas/file-download-request.yaml#/properties/modelId/type: 'strng' is not a "
            "valid type",
        ),
        (
            "dangling-ref",
            "schemas/file-download-request.yaml#/properties/storageLocation/$ref: $ref "
            "'shared/storage.yaml#/$defs/Nowhere'",
        ),
        (
            "duplicate-title",
            "schemas/file-upload-request.yaml#: type name 'FileDownloadRequestMessage' is "
            "already used by schemas/file-download-request.yaml#",
        ),
        ("non-kebab-name", "schemas/File_Download_Request.yaml#: file name"),
        (
            "identifier-collision",
            "message type 'model-v2' and 'model-v-2' both map to the TypeScript method "
            "'modelV2'",
        ),
    ],
)
def test_broken_folder_is_reported(case: str, expected: str) -> None:
    messages = errors_of(FIXTURES / "broken" / case)
    assert any(expected in m for m in messages), messages


def test_every_error_of_a_run_is_reported() -> None:
    messages = errors_of(FIXTURES / "broken" / "many-errors")
    expected = [
        "alpha-request.yaml#/properties/name/x-secrett: unknown keyword",
        "alpha-request.yaml#/properties/options: an object needs `properties`",
        "alpha-request.yaml#/required/0: 'missing' is not a property",
        "alpha-request.yaml#/title: 'alphaRequest' must be PascalCase",
        "beta-request.yaml#/examples/0/count: example is not valid",
        "beta-request.yaml#/examples/0/createdAt: example is not valid",
        "gamma-request.yaml#: duplicate key 'type' (line 5, column 1)",
    ]
    for fragment in expected:
        assert any(fragment in m for m in messages), (fragment, messages)
    assert len(messages) == len(expected)


def write(folder: Path, name: str, text: str) -> None:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


HEADER = (
    "$schema: https://json-schema.org/draft/2020-12/schema\n"
    "title: AlphaMessage\ndescription: d\ntype: object\nadditionalProperties: false\n"
)


@pytest.mark.parametrize(
    ("properties", "expected"),
    [
        ("  a: {type: array}\n", "#/properties/a: an array needs `items`"),
        ("  a: {type: object, properties: {b: {type: string}}}\n", "say whether this object"),
        ("  a: {allOf: [{type: string}]}\n", "#/properties/a/allOf: allOf is not supported"),
        ("  a: {$ref: 'https://example.com/x.yaml#/$defs/X'}\n", "only relative references"),
        ("  a: {$ref: '../outside.yaml#/$defs/X'}\n", "points outside the schema folder"),
        ("  a: {$ref: '#/properties/b'}\n", "must point at a definition"),
        ("  a: {type: string}\n  2: {type: string}\n", "key 2 is not a string"),
        (
            "  a: {type: object, additionalProperties: false, title: JobStatus, properties: {}}\n",
            "'JobStatus' is reserved",
        ),
        (  # the TypeScript package exports a VERSION constant beside the types
            "  a: {type: object, additionalProperties: false, title: VERSION, properties: {}}\n",
            "'VERSION' is reserved",
        ),
    ],
)
def test_shape_rules(tmp_path: Path, properties: str, expected: str) -> None:
    write(tmp_path, "alpha.yaml", HEADER + "properties:\n" + properties)
    messages = errors_of(tmp_path)
    assert any(expected in m for m in messages), messages


def test_circular_reference_is_an_error_not_a_hang(tmp_path: Path) -> None:
    write(tmp_path, "alpha.yaml", HEADER + "properties:\n  a: {$ref: 'shared/t.yaml#/$defs/A'}\n")
    write(
        tmp_path,
        "shared/t.yaml",
        "$defs:\n  A:\n    type: object\n    additionalProperties: false\n"
        "    properties:\n      b: {$ref: '#/$defs/A'}\n",
    )
    assert any("circular $ref through A" in m for m in errors_of(tmp_path))


def test_missing_folder(tmp_path: Path) -> None:
    assert errors_of(tmp_path / "nope") == ["schemas#: schema folder does not exist"]


def test_version_file(tmp_path: Path) -> None:
    write(tmp_path, "alpha.yaml", HEADER + "properties:\n  a: {type: string}\n")
    assert load_schemas(tmp_path).version == "0.0.0"
    write(tmp_path, "VERSION", "4.2.0\n")
    assert load_schemas(tmp_path).version == "4.2.0"
    write(tmp_path, "VERSION", "four\n")
    assert any("VERSION#: 'four' is not a semantic version" in m for m in errors_of(tmp_path))
