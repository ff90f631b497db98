"""generated/openapi.yaml: a valid OpenAPI 3.1 document that says what docs/contract.md says."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft202012Validator
from openapi_spec_validator import validate as validate_spec
from support import FIXTURES, ROOT, run_cli

from generator import contract, yamldump
from generator.escaping import clean_text
from generator.ir import Catalogue
from generator.pipeline import render_all
from generator.schema import load_schemas
from generator.targets import openapi

FIXTURE_DIRS = ["minimal", "serve", "naming", "typescript-escaping"]


def document(catalogue: Catalogue) -> dict[str, Any]:
    files = render_all(catalogue, ["openapi"])
    assert list(files) == ["openapi.yaml"]
    loaded: dict[str, Any] = yaml.safe_load(files["openapi.yaml"])
    return loaded


@pytest.fixture(scope="module")
def serve_catalogue() -> Catalogue:
    return load_schemas(FIXTURES / "serve")


@pytest.mark.parametrize("fixture", FIXTURE_DIRS)
def test_every_fixture_renders_a_valid_openapi_31_document(fixture: str) -> None:
    doc = document(load_schemas(FIXTURES / fixture))
    assert doc["openapi"] == "3.1.0"
    validate_spec(doc)


def test_committed_document_is_valid() -> None:
    path = ROOT / "generated" / "openapi.yaml"
    assert path.is_file(), "generated/openapi.yaml is missing: run `worker-client-gen generate`"
    validate_spec(yaml.safe_load(path.read_text(encoding="utf-8")))


def test_one_literal_post_per_message_and_one_status_get(serve_catalogue: Catalogue) -> None:
    doc = document(serve_catalogue)
    expected = {f"/api/jobs/{m.type}" for m in serve_catalogue.messages} | {
        "/api/jobs/{jobId}",
        "/queues",
    }
    assert set(doc["paths"]) == expected
    for msg in serve_catalogue.messages:
        item = doc["paths"][f"/api/jobs/{msg.type}"]
        assert list(item) == ["post"]
        op = item["post"]
        assert op["operationId"] == msg.names.camel
        assert op["description"] == msg.description
        body = op["requestBody"]["content"]["application/json"]["schema"]
        assert body["required"] == ["payload"]
        assert body["additionalProperties"] is False
        assert body["properties"]["payload"] == {"$ref": f"#/components/schemas/{msg.title}"}
        assert {"$ref": "#/components/schemas/JobOptions"} in body["properties"]["opts"]["anyOf"]
        assert {"type": "null"} in body["properties"]["opts"]["anyOf"]
        for status in ("200", "201"):
            schema = op["responses"][status]["content"]["application/json"]["schema"]
            assert schema == {"$ref": "#/components/schemas/JobResponse"}
        for status in ("400", "401", "404", "413", "422", "429", "5XX"):
            assert status in op["responses"]
    get = doc["paths"]["/api/jobs/{jobId}"]["get"]
    assert get["operationId"] == "getJobStatus"
    assert get["responses"]["200"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/JobStatus"
    }
    assert "404" in get["responses"]


def test_queue_counts_are_documented_from_the_contract(serve_catalogue: Catalogue) -> None:
    doc = document(serve_catalogue)
    get = doc["paths"]["/queues"]["get"]
    assert list(doc["paths"]["/queues"]) == ["get"]
    assert get["operationId"] == "getQueueCounts"
    assert get["responses"]["200"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/QueueList"
    }
    assert "401" in get["responses"] and "404" not in get["responses"]
    schemas = doc["components"]["schemas"]
    assert schemas["QueueList"]["properties"]["queues"]["items"] == {
        "$ref": "#/components/schemas/QueueCounts"
    }
    counts = schemas["QueueCounts"]
    assert counts["required"] == ["queue", *contract.QUEUE_COUNT_STATES]
    assert counts["additionalProperties"] is False
    assert ["waiting", "active", "completed", "failed"] == list(contract.QUEUE_COUNT_STATES)


def test_bearer_auth_is_optional_as_the_server_treats_it(serve_catalogue: Catalogue) -> None:
    doc = document(serve_catalogue)
    assert doc["components"]["securitySchemes"]["bearerAuth"] == {
        "type": "http",
        "scheme": "bearer",
        "description": "The api key, when the server has one configured; a server "
        "without one accepts requests with or without it.",
    }
    assert doc["security"] == [{"bearerAuth": []}, {}]


def test_components_hold_every_type_with_refs_rewritten(serve_catalogue: Catalogue) -> None:
    doc = document(serve_catalogue)
    schemas = doc["components"]["schemas"]
    assert set(serve_catalogue.defs) <= set(schemas)
    for name in ("JobOptions", "JobResponse", "JobStatus", "JobState", "ErrorResponse"):
        assert name in schemas
    text = json.dumps(doc)
    assert "#/$defs/" not in text
    refs = {ref for ref in _refs(doc)}
    for ref in refs:
        section, name = ref.split("/")[-2:]
        assert name in doc["components"][section], ref


def test_request_examples_are_the_schema_examples_and_are_valid(
    serve_catalogue: Catalogue,
) -> None:
    doc = document(serve_catalogue)
    for msg in serve_catalogue.messages:
        media = doc["paths"][f"/api/jobs/{msg.type}"]["post"]["requestBody"]["content"]
        examples = [e["value"] for e in media["application/json"]["examples"].values()]
        assert examples == [{"payload": ex} for ex in msg.examples]
        body_schema = dict(media["application/json"]["schema"])
        body_schema["components"] = doc["components"]
        validator = Draft202012Validator(
            body_schema, format_checker=Draft202012Validator.FORMAT_CHECKER
        )
        for example in examples:
            assert list(validator.iter_errors(example)) == []


def test_job_status_schema_says_what_the_contract_says(serve_catalogue: Catalogue) -> None:
    schemas = document(serve_catalogue)["components"]["schemas"]
    status = schemas["JobStatus"]
    assert set(status["required"]) == {
        "jobId",
        "name",
        "queue",
        "state",
        "data",
        "returnvalue",
        "progress",
        "timestamp",
    }
    assert schemas["JobState"]["enum"] == [
        "waiting",
        "active",
        "completed",
        "failed",
        "delayed",
        "prioritized",
        "waiting-children",
        "unknown",
    ]
    assert set(schemas["JobResponse"]["required"]) == {"success", "jobId", "messageName", "queue"}
    assert set(schemas["ErrorResponse"]["required"]) == {"statusCode", "error", "message"}
    # What BullMQ reports beyond the basics, optional so that older servers still conform.
    assert {"failedReason", "attemptsMade", "processedOn", "finishedOn"} <= set(
        status["properties"]
    )
    # BullMQ 6's producer options and nothing else: repeat and debounce left add in 6.
    options = schemas["JobOptions"]
    assert options["additionalProperties"] is False
    assert "deduplication" in options["properties"]
    assert not {"repeat", "debounce"} & set(options["properties"])


@pytest.mark.parametrize(
    ("job_id", "valid"),
    [
        ("3b0c9a1e-5d2f-4c1b-8e7a-1f2d3c4b5a69", True),
        ("download-model-42", True),
        ("a.b", True),
        ("12345", False),  # BullMQ refuses integer custom ids
        ("model:42", False),  # ':' is BullMQ's key separator
        ("a/b", False),  # cannot be one URL path segment
        ("..", False),
        ("meta", False),  # a BullMQ key of every queue
        ("stalled-check", False),
        ("metadata", True),
        ("", False),
    ],
)
def test_job_id_rule(job_id: str, valid: bool) -> None:
    validator = Draft202012Validator(contract.protocol_schemas()["JobOptions"])
    assert validator.is_valid({"jobId": job_id}) is valid


def test_schema_text_cannot_break_the_yaml(serve_catalogue: Catalogue) -> None:
    # The fixture's description holds backticks, */, """, ${...} and a backslash.
    msg = serve_catalogue.message("model-render-request")
    op = document(serve_catalogue)["paths"]["/api/jobs/model-render-request"]["post"]
    assert op["description"] == msg.description
    assert op["summary"] == "Renders preview images of a 3D model."


@pytest.mark.parametrize("fixture", FIXTURE_DIRS)
def test_every_schema_text_survives_the_yaml_round_trip(fixture: str) -> None:
    # Whatever the schema text holds (quotes, `*/`, backslashes, control characters), the
    # document parses back to exactly the schemas the catalogue holds.
    catalogue = load_schemas(FIXTURES / fixture)
    doc = document(catalogue)
    expected = json.loads(json.dumps(catalogue.defs).replace("#/$defs/", "#/components/schemas/"))
    for name, schema in expected.items():
        schema.pop("examples", None)
        assert doc["components"]["schemas"][name] == schema, name
    for msg in catalogue.messages:
        op = doc["paths"][f"/api/jobs/{msg.type}"]["post"]
        assert op["description"] == clean_text(msg.description)


def test_output_is_deterministic_and_carries_no_local_paths(serve_catalogue: Catalogue) -> None:
    first = render_all(serve_catalogue, ["openapi"])["openapi.yaml"]
    again = render_all(load_schemas(FIXTURES / "serve"), ["openapi"])["openapi.yaml"]
    assert first == again
    assert str(ROOT) not in first
    assert "&id" not in first and "*id" not in first  # no YAML anchors or aliases


@pytest.mark.parametrize("folder", [*FIXTURE_DIRS, "<schemas>"])
def test_libyaml_and_pure_emitters_write_the_same_bytes(folder: str) -> None:
    # `generate` uses libyaml when PyYAML has it; a machine without it must write the same file.
    path = ROOT / "schemas" if folder == "<schemas>" else FIXTURES / folder
    doc = openapi.build_document(load_schemas(path))
    assert yamldump.dump_yaml(doc, yamldump.FastDumper) == yamldump.dump_yaml(
        doc, yamldump.PureDumper
    )


def test_the_loader_reserves_every_protocol_name() -> None:
    # build_document relies on this instead of checking for clashes itself.
    from generator import targets

    assert {"JobOptions", "JobResponse", "JobStatus", "ErrorResponse", "ErrorDetail"} <= set(
        contract.protocol_schemas()
    )
    assert {"QueueCounts", "QueueList"} <= set(contract.protocol_schemas())
    assert set(contract.protocol_schemas()) <= targets.reserved_type_names()
    reserved = targets.naming_rules()["openapi"].reserved_members
    assert {openapi.JOB_STATUS_OPERATION, openapi.QUEUE_COUNTS_OPERATION} <= reserved


def test_generate_and_check_cover_the_document(tmp_path: Path) -> None:
    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return run_cli(*args, "--schemas", str(FIXTURES / "serve"))

    out = tmp_path / "out"
    assert cli("generate", "--target", "openapi", "--out", str(out)).returncode == 0
    assert (out / "openapi.yaml").is_file()
    assert cli("check", "--target", "openapi", "--out", str(out)).returncode == 0
    path = out / "openapi.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("3.1.0", "3.0.3"), encoding="utf-8")
    drifted = cli("check", "--target", "openapi", "--out", str(out))
    assert drifted.returncode == 1
    assert "openapi.yaml" in drifted.stderr


def _refs(node: Any) -> list[str]:
    found: list[str] = []
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                found.append(value)
            else:
                found.extend(_refs(value))
    elif isinstance(node, list):
        for value in node:
            found.extend(_refs(value))
    return found
