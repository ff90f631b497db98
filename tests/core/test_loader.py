"""The loader turns a schema folder into the IR, or reports every problem with file and pointer."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from support import FIXTURES

from generator.errors import SchemaErrors
from generator.ir import TypeExpr
from generator.schema import load_schemas


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
    # A shared enum definition is a named alias of a restricted string.
    provider = catalogue.type("StorageLocation").field("provider").type
    assert provider == TypeExpr("ref", ref="Provider")
    provider = catalogue.resolve(provider)
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
    # The IR spells the type as it is; the Python target escapes the keyword for its method
    # (tests/python/test_py_target.py: `client.import_`).
    assert (message.type, message.names.snake) == ("import", "import")
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
        # required [missing] in a closed object: no payload is valid
        "alpha-request.yaml#/examples: the README needs an example payload",
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
        ("  a: {$dynamicRef: '#meta'}\n", "#/properties/a/$dynamicRef: dynamic references"),
        ("  a: {$anchor: here}\n", "#/properties/a/$anchor: anchors are not supported"),
        ("  a: {$id: 'https://example.com/a'}\n", "#/properties/a/$id: a nested $id"),
        ("  a: {pattern: '^(?=a)'}\n", "#/properties/a/pattern: pattern '^(?=a)': lookaround"),
        ("  a: {pattern: '(a)\\1'}\n", "backreferences are not supported"),
        ("  a: {patternProperties: {'[': true}}\n", "#/properties/a/patternProperties/["),
        ("  a: {pattern: '\\p{Script_Extensions=Greek}'}\n", "only General_Category"),
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


def test_recursive_references_build_named_types(tmp_path: Path) -> None:
    write(
        tmp_path,
        "alpha.yaml",
        HEADER
        + "properties:\n  tree: {$ref: 'shared/t.yaml#/$defs/Node'}\n"
        + "  expr: {$ref: '#/$defs/expr'}\n"
        + "$defs:\n  expr:\n"
        + "    anyOf: [{type: string}, {type: array, items: {$ref: '#/$defs/expr'}}]\n",
    )
    write(
        tmp_path,
        "shared/t.yaml",
        "$defs:\n  Node:\n    type: object\n    additionalProperties: false\n"
        "    properties:\n      children: {type: array, items: {$ref: '#/$defs/Node'}}\n"
        "      parent: {$ref: '#/$defs/Leaf'}\n"
        "  Leaf:\n    type: object\n    properties:\n      up: {$ref: '#/$defs/Node'}\n",
    )
    catalogue = load_schemas(tmp_path)
    node = catalogue.type("Node")
    assert node.field("children").type == TypeExpr("array", items=TypeExpr("ref", ref="Node"))
    assert catalogue.type("Leaf").field("up").type == TypeExpr("ref", ref="Node")
    alias = catalogue.alias("Expr")
    assert alias is not None and alias.type.kind == "union"
    assert TypeExpr("array", items=TypeExpr("ref", ref="Expr")) in alias.type.variants


def test_a_definition_that_is_only_a_reference_to_itself_is_an_error(tmp_path: Path) -> None:
    write(
        tmp_path,
        "alpha.yaml",
        HEADER + "properties:\n  a: {$ref: '#/$defs/A'}\n" "$defs:\n  A: {$ref: '#/$defs/A'}\n",
    )
    assert any("only as a reference to itself" in m for m in errors_of(tmp_path))


@pytest.mark.parametrize(
    ("properties", "field", "expected"),
    [
        (  # allOf of objects: one merged type, required from every part
            "  a:\n    allOf:\n      - {type: object, properties: {x: {type: string}}}\n"
            "      - {properties: {y: {type: integer}}, required: [y]}\n",
            "a",
            "AlphaA",
        ),
        (
            "  a: {prefixItems: [{type: string}, {type: integer}], items: false, minItems: 1}\n",
            "a",
            TypeExpr(
                "tuple",
                variants=(TypeExpr("string"), TypeExpr("integer")),
                items=TypeExpr("never"),
                min_items=1,
            ),
        ),
        (
            "  a: {enum: [1, a, null, true]}\n",
            "a",
            TypeExpr(
                "union",
                variants=(
                    TypeExpr("integer", enum=(1,)),
                    TypeExpr("string", enum=("a",)),
                    TypeExpr("null", enum=(None,)),
                    TypeExpr("boolean", enum=(True,)),
                ),
            ),
        ),
        (
            "  a: {if: {type: string}, then: {minLength: 2}, else: {type: integer}}\n",
            "a",
            TypeExpr("any"),
        ),
        ("  a: {not: {type: string}}\n", "a", TypeExpr("any")),
        ("  a: false\n", "a", TypeExpr("never")),
        ("  a: {$ref: '#/$defs/anything'}\n$defs:\n  anything: true\n", "a", TypeExpr("any")),
        (
            "  a: {$ref: '#/$defs/s', maxLength: 3}\n$defs:\n  s: {type: string}\n",
            "a",
            TypeExpr("ref", ref="S"),
        ),
    ],
)
def test_keywords_are_accepted_and_typed(
    tmp_path: Path, properties: str, field: str, expected: object
) -> None:
    write(tmp_path, "alpha.yaml", HEADER + "properties:\n" + properties)
    catalogue = load_schemas(tmp_path)
    got = catalogue.message("alpha").payload.field(field).type
    if isinstance(expected, str):
        merged = catalogue.type(expected)
        assert [f.name for f in merged.fields] == ["x", "y"]
        assert [f.required for f in merged.fields] == [False, True]
        assert got == TypeExpr("ref", ref=expected)
    else:
        assert got == expected


def test_properties_next_to_any_of_are_one_object(tmp_path: Path) -> None:
    write(
        tmp_path,
        "alpha.yaml",
        HEADER + "properties:\n  a:\n    type: object\n    properties: {x: {}, y: {}}\n"
        "    anyOf: [{required: [x]}, {required: [y]}]\n"
        "  b: {$ref: '#/$defs/o', required: [k]}\n"
        "$defs:\n  o: {type: object, properties: {k: {type: string}}}\n",
    )
    catalogue = load_schemas(tmp_path)
    assert [f.name for f in catalogue.type("AlphaA").fields] == ["x", "y"]
    b = catalogue.message("alpha").payload.field("b").type
    assert b.kind == "ref" and b.ref is not None
    assert catalogue.type(b.ref).field("k").required


def test_a_message_without_examples_needs_a_buildable_payload(tmp_path: Path) -> None:
    write(tmp_path, "alpha.yaml", HEADER + "required: [a]\nproperties:\n  a: {type: string}\n")
    assert load_schemas(tmp_path).messages[0].examples == []
    write(tmp_path, "alpha.yaml", HEADER + "required: [a]\nproperties:\n  a: false\n")
    assert any("add `examples`" in m for m in errors_of(tmp_path))


def test_missing_folder(tmp_path: Path) -> None:
    assert errors_of(tmp_path / "nope") == ["schemas#: schema folder does not exist"]


def test_version_file(tmp_path: Path) -> None:
    write(tmp_path, "alpha.yaml", HEADER + "properties:\n  a: {type: string}\n")
    assert load_schemas(tmp_path).version == "0.0.0"
    write(tmp_path, "VERSION", "4.2.0\n")
    assert load_schemas(tmp_path).version == "4.2.0"
    write(tmp_path, "VERSION", "four\n")
    assert any("VERSION#: 'four' is not a semantic version" in m for m in errors_of(tmp_path))


def test_properties_named_like_data_keywords_are_schemas(tmp_path: Path) -> None:
    # `default`, `enum`, `const` and `examples` are data only where they are keywords; as
    # property names their schemas (and the references in them) count like any other.
    write(
        tmp_path,
        "alpha.yaml",
        HEADER
        + "properties:\n  default: {$ref: 'shared/s.yaml#/$defs/Spot'}\n"
        + "  enum: {type: array, items: {$ref: 'shared/s.yaml#/$defs/Mode'}}\n",
    )
    write(
        tmp_path,
        "shared/s.yaml",
        "$defs:\n  Spot:\n    type: object\n    properties:\n      n: {type: integer}\n"
        "  Mode: {type: string, enum: [a, b]}\n",
    )
    catalogue = load_schemas(tmp_path)
    assert catalogue.message("alpha").payload.field("default").type.ref == "Spot"
    assert catalogue.referenced_types("AlphaMessage") == ["AlphaMessage", "Mode", "Spot"]


def test_keywords_under_a_property_named_like_a_data_keyword_are_checked(tmp_path: Path) -> None:
    write(
        tmp_path,
        "alpha.yaml",
        HEADER + "properties:\n  default:\n    type: string\n    x-secert: true\n",
    )
    assert any("/properties/default/x-secert" in m for m in errors_of(tmp_path))
