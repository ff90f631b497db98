"""The HTTP contract (docs/contract.md) as one OpenAPI 3.1 document: `generated/openapi.yaml`.

Every message type gets its own literal `POST /api/jobs/<message-type>` operation whose
request body references the payload schema in `components/schemas`; `GET /api/jobs/{jobId}`
answers job status and `GET /queues` every queue's job counts. The protocol schemas
(JobOptions, JobResponse, JobStatus, QueueList, errors) come from the contract
(generator/contract/), which `worker-client-gen serve` validates requests with too, so the
document and the server cannot drift apart.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from generator import contract
from generator.escaping import clean_text, summary_line
from generator.ir import Catalogue, MessageSpec
from generator.naming import NamingRules, camel
from generator.run import Memo, NoMemo
from generator.targets import RunContext, prefix
from generator.yamldump import dump_pieces

OUTPUT_PREFIX = prefix("openapi")  # the registry says what this target owns

DEFS_REF = contract.DEFS_REF
COMPONENTS_REF = "#/components/schemas/"
JOB_STATUS_OPERATION = "getJobStatus"
QUEUE_COUNTS_OPERATION = "getQueueCounts"
QUEUES_PATH = "/queues"


def request_body_schema(payload: dict[str, Any]) -> dict[str, Any]:
    """The contract's `{payload, opts}` with the given payload schema, refs as components."""
    body: dict[str, Any] = _rewrite_refs(contract.request_body_schema(payload))
    return body


# Status -> (component name, description). `serve` answers every one of these but 403 and 429.
_ERRORS = {
    "400": ("BadRequest", "The body is not JSON or not `{payload, opts}`, or opts are invalid."),
    "401": ("Unauthorized", "An api key is configured and the request lacks it or has another."),
    "403": ("Forbidden", "The api key may not do this."),
    "404": (
        "NotFound",
        "No such message type, or no such job (for an enqueue: no parent job as `opts.parent` "
        "names it).",
    ),
    "409": (
        "Conflict",
        "The jobId is already taken by a job of another message type (a job id names one job "
        "across all queues).",
    ),
    "413": (
        "PayloadTooLarge",
        "The request body is larger than the server accepts (`serve --max-body`).",
    ),
    "422": ("UnprocessableEntity", "The payload does not match its schema; see `details`."),
    "429": ("TooManyRequests", "Rate limited; retry after `Retry-After` seconds."),
    "5XX": ("ServerError", "The server failed (503: the queue store is unreachable)."),
}
_ENQUEUE_ERRORS = ("400", "401", "403", "404", "409", "413", "422", "429", "5XX")
_STATUS_ERRORS = ("401", "403", "404", "429", "5XX")
_QUEUES_ERRORS = ("401", "403", "429", "5XX")


def _request_id_header() -> dict[str, Any]:
    return {"$ref": "#/components/headers/" + contract.REQUEST_ID_HEADER}


def _error_responses() -> dict[str, Any]:
    responses: dict[str, Any] = {}
    for status, (name, description) in _ERRORS.items():
        headers: dict[str, Any] = {contract.REQUEST_ID_HEADER: _request_id_header()}
        if status == "401":
            headers["WWW-Authenticate"] = {
                "description": "The auth scheme to use: Bearer.",
                "schema": {"type": "string"},
            }
        if status == "429":
            headers["Retry-After"] = {
                "description": "Seconds to wait before retrying.",
                "schema": {"type": "string"},
            }
        responses[name] = {
            "description": description,
            "headers": headers,
            "content": {"application/json": {"schema": {"$ref": COMPONENTS_REF + "ErrorResponse"}}},
        }
    return responses


def _error_refs(statuses: tuple[str, ...]) -> dict[str, Any]:
    return {s: {"$ref": "#/components/responses/" + _ERRORS[s][0]} for s in statuses}


def _rewrite_refs(node: Any) -> Any:
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str) and value.startswith(DEFS_REF):
                out[key] = COMPONENTS_REF + value[len(DEFS_REF) :]
            else:
                out[key] = _rewrite_refs(value)
        return out
    if isinstance(node, list):
        return [_rewrite_refs(v) for v in node]
    return node


def _enqueue_path(msg: MessageSpec) -> dict[str, Any]:
    return {"post": _enqueue_operation(msg)}


def _component(definition: dict[str, Any]) -> dict[str, Any]:
    schema: dict[str, Any] = _rewrite_refs(definition)
    for key in ("$schema", "$id", "examples"):
        schema.pop(key, None)
    return schema


def _enqueue_operation(msg: MessageSpec) -> dict[str, Any]:
    payload_ref = {"$ref": COMPONENTS_REF + msg.title}
    media: dict[str, Any] = {"schema": request_body_schema(payload_ref)}
    if msg.examples:
        media["examples"] = {
            f"example{i}": {"summary": f"Example {i} from {msg.source}", "value": {"payload": ex}}
            for i, ex in enumerate(msg.examples, start=1)
        }
    job_response = {
        "headers": {contract.REQUEST_ID_HEADER: _request_id_header()},
        "content": {"application/json": {"schema": {"$ref": COMPONENTS_REF + "JobResponse"}}},
        "links": {"GetJobStatus": {"$ref": "#/components/links/GetJobStatus"}},
    }
    responses: dict[str, Any] = {
        "201": dict(description="The job was added to the queue.", **job_response),
        "200": dict(
            description="A job with this jobId already existed in the queue; nothing was added.",
            **job_response,
        ),
    }
    responses.update(_error_refs(_ENQUEUE_ERRORS))
    return {
        "operationId": operation_id(msg.type),
        "summary": summary_line(msg.description),
        "description": clean_text(msg.description),
        "tags": ["jobs"],
        "requestBody": {"required": True, "content": {"application/json": media}},
        "responses": responses,
    }


def _status_operation() -> dict[str, Any]:
    responses: dict[str, Any] = {
        "200": {
            "description": "The job.",
            "headers": {contract.REQUEST_ID_HEADER: _request_id_header()},
            "content": {"application/json": {"schema": {"$ref": COMPONENTS_REF + "JobStatus"}}},
        }
    }
    responses.update(_error_refs(_STATUS_ERRORS))
    return {
        "operationId": JOB_STATUS_OPERATION,
        "summary": "Get the status of a job.",
        "description": "The job with this id, whatever its message type (queue).",
        "tags": ["jobs"],
        "parameters": [
            {
                "name": "jobId",
                "in": "path",
                "required": True,
                "description": "The jobId an enqueue answered with.",
                "schema": {"type": "string", "minLength": 1},
            }
        ],
        "responses": responses,
    }


def _queue_counts_operation() -> dict[str, Any]:
    responses: dict[str, Any] = {
        "200": {
            "description": "The counts of every queue.",
            "headers": {contract.REQUEST_ID_HEADER: _request_id_header()},
            "content": {"application/json": {"schema": {"$ref": COMPONENTS_REF + "QueueList"}}},
        }
    }
    responses.update(_error_refs(_QUEUES_ERRORS))
    return {
        "operationId": QUEUE_COUNTS_OPERATION,
        "summary": "Count the jobs of every queue by state.",
        "description": "For every queue (one per message type, ordered by name), how many of "
        "its jobs are " + ", ".join(contract.QUEUE_COUNT_STATES) + ".",
        "tags": ["queues"],
        "responses": responses,
    }


def build_document(catalogue: Catalogue, memo: Memo | None = None) -> dict[str, Any]:
    """The OpenAPI document as plain data, keys in a fixed order."""
    memo = memo or NoMemo()
    # No schema type can be named like a protocol schema, and no message's operationId can be
    # getJobStatus: the schema package reserves both (tests/openapi checks the reservation holds).
    defs = catalogue.shared_defs  # read here; _rewrite_refs copies
    schemas: dict[str, Any] = {
        name: _rewrite_refs(schema) for name, schema in contract.protocol_schemas().items()
    }
    for name in sorted(defs):
        schemas[name] = memo.value("openapi-component", defs[name], partial(_component, defs[name]))

    paths: dict[str, Any] = {}
    for msg in catalogue.messages:
        paths[f"/api/jobs/{msg.type}"] = memo.value(
            "openapi-enqueue", msg, partial(_enqueue_path, msg)
        )
    paths["/api/jobs/{jobId}"] = {"get": _status_operation()}
    paths[QUEUES_PATH] = {"get": _queue_counts_operation()}

    return {
        "openapi": "3.1.0",
        "jsonSchemaDialect": "https://json-schema.org/draft/2020-12/schema",
        "info": {
            "title": "Mesh-Sync worker-backend job API",
            "version": catalogue.version,
            "description": (
                "Enqueue BullMQ jobs, one queue per message type, read their status and count "
                "the jobs of every queue. "
                "Generated by worker-client-gen from the message schemas; the prose contract "
                "is docs/contract.md."
            ),
        },
        "servers": [
            {"url": "http://127.0.0.1:3000", "description": "worker-client-gen serve (default)"}
        ],
        "security": [{"bearerAuth": []}, {}],
        "tags": [
            {"name": "jobs", "description": "Enqueue jobs and read their status."},
            {"name": "queues", "description": "What the queues hold."},
        ],
        "paths": paths,
        "components": {
            "schemas": schemas,
            "responses": _error_responses(),
            "headers": {
                contract.REQUEST_ID_HEADER: {
                    "description": "Identifies the request in the server's log.",
                    "schema": {"type": "string"},
                }
            },
            "links": {
                "GetJobStatus": {
                    "operationId": JOB_STATUS_OPERATION,
                    "parameters": {"jobId": "$response.body#/jobId"},
                    "description": "The status of the job this enqueue answered with.",
                }
            },
            "securitySchemes": {
                "bearerAuth": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "The api key, when the server has one configured; a server "
                    "without one accepts requests with or without it.",
                }
            },
        },
    }


HEADER = (
    "# Generated by worker-client-gen from the message schemas. Do not edit: change the\n"
    "# schemas or generator/targets/openapi.py and run `worker-client-gen generate`.\n"
)


def operation_id(kebab: str) -> str:
    return camel(kebab)


def naming() -> NamingRules:
    """An operationId per message type beside getJobStatus and getQueueCounts, and the
    protocol schemas beside the payload types in components/schemas."""
    return NamingRules(
        language="OpenAPI operationId",
        method=operation_id,
        reserved_members=frozenset({JOB_STATUS_OPERATION, QUEUE_COUNTS_OPERATION}),
        reserved_types=frozenset(contract.protocol_schemas()),
    )


def render(catalogue: Catalogue, run: RunContext) -> dict[str, str]:
    document = build_document(catalogue, run.memo)
    text = dump_pieces(document, run.speed, OUTPUT_PREFIX, by_entry=("paths",))
    return {OUTPUT_PREFIX: HEADER + text}
