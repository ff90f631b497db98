"""The answers of the API, as tables of fields: the enqueue's JobResponse and the status
query's JobStatus (with the JobState it reports), and GET /queues' per-queue counts. OpenAPI,
`serve` and both clients' answer types are rendered from these tables.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from generator.contract.jobs import COUNT, DEFS_REF, JOB_STATES, MILLISECONDS, QUEUE_COUNT_STATES


@dataclass(frozen=True)
class AnswerField:
    """A field of an answer body: its wire name, schema, and name and type in each client."""

    name: str
    schema: dict[str, Any]
    required: bool
    py_name: str
    py_type: str
    ts_type: str
    doc: str


JOB_RESPONSE_FIELDS = (
    AnswerField(
        "success",
        {"type": "boolean", "const": True},
        True,
        "success",
        "bool",
        "boolean",
        "Always true.",
    ),
    AnswerField(
        "jobId",
        {"type": "string"},
        True,
        "job_id",
        "str",
        "string",
        "The BullMQ job id: the one sent in `opts.jobId`.",
    ),
    AnswerField(
        "messageName",
        {"type": "string"},
        True,
        "message_name",
        "str",
        "string",
        "The message type.",
    ),
    AnswerField(
        "queue",
        {"type": "string"},
        True,
        "queue",
        "str",
        "string",
        "The queue the job went to (one queue per message type, named after it).",
    ),
)

_NULLABLE_MS: dict[str, Any] = {"anyOf": [MILLISECONDS, {"type": "null"}]}

JOB_STATUS_FIELDS = (
    AnswerField("jobId", {"type": "string"}, True, "job_id", "str", "string", "The job id."),
    AnswerField(
        "name", {"type": "string"}, True, "name", "str", "string", "The job name: the message type."
    ),
    AnswerField("queue", {"type": "string"}, True, "queue", "str", "string", "The queue."),
    AnswerField(
        "state",
        {"$ref": DEFS_REF + "JobState"},
        True,
        "state",
        "JobState",
        "JobState",
        "The BullMQ state of the job.",
    ),
    AnswerField(
        "data",
        {"type": "object"},
        True,
        "data",
        "Any",
        "unknown",
        "The payload the job was enqueued with.",
    ),
    AnswerField(
        "returnvalue",
        {},
        True,
        "returnvalue",
        "Any",
        "unknown",
        "What the worker returned; null until it completes.",
    ),
    AnswerField(
        "progress",
        {},
        True,
        "progress",
        "Any",
        "unknown",
        "What the worker last reported (a number, or any JSON value); 0 at first.",
    ),
    AnswerField(
        "timestamp",
        MILLISECONDS,
        True,
        "timestamp",
        "int",
        "number",
        "When the job was created, in milliseconds since the epoch.",
    ),
    AnswerField(
        "attemptsMade",
        COUNT,
        False,
        "attempts_made",
        "int",
        "number",
        "How many times a worker has tried the job (0 before the first try).",
    ),
    AnswerField(
        "processedOn",
        _NULLABLE_MS,
        False,
        "processed_on",
        "int | None",
        "number | null",
        "When a worker last took the job (milliseconds), or null.",
    ),
    AnswerField(
        "finishedOn",
        _NULLABLE_MS,
        False,
        "finished_on",
        "int | None",
        "number | null",
        "When the job completed or failed (milliseconds), or null.",
    ),
    AnswerField(
        "failedReason",
        {"type": ["string", "null"]},
        False,
        "failed_reason",
        "str | None",
        "string | null",
        "Why the job last failed, or null.",
    ),
)


def _answer_schema(title: str, description: str, fields: tuple[AnswerField, ...]) -> dict[str, Any]:
    return {
        "title": title,
        "description": description,
        "type": "object",
        "required": [f.name for f in fields if f.required],
        "properties": {f.name: dict(f.schema, description=f.doc) for f in fields},
    }


def job_response_schema() -> dict[str, Any]:
    return _answer_schema(
        "JobResponse",
        "The answer to an enqueue: 201 when the job was added, 200 when a job with that jobId "
        "already existed in the queue (nothing was added).",
        JOB_RESPONSE_FIELDS,
    )


def job_state_schema() -> dict[str, Any]:
    return {
        "title": "JobState",
        "description": "The BullMQ state of a job.",
        "type": "string",
        "enum": list(JOB_STATES),
    }


def job_status_schema() -> dict[str, Any]:
    return _answer_schema("JobStatus", "A job as BullMQ holds it.", JOB_STATUS_FIELDS)


def queue_counts_schema() -> dict[str, Any]:
    counts = {
        s: dict(COUNT, description=f"How many of its jobs are `{s}`.") for s in QUEUE_COUNT_STATES
    }
    return {
        "title": "QueueCounts",
        "description": "How many jobs one queue holds in each state.",
        "type": "object",
        "required": ["queue", *QUEUE_COUNT_STATES],
        "properties": {
            "queue": {"type": "string", "description": "The queue (a message type)."},
            **counts,
        },
        "additionalProperties": False,
    }


def queue_list_schema() -> dict[str, Any]:
    return {
        "title": "QueueList",
        "description": "The answer to GET /queues: the counts of every queue (one per message "
        "type), ordered by queue name.",
        "type": "object",
        "required": ["queues"],
        "properties": {
            "queues": {"type": "array", "items": {"$ref": DEFS_REF + "QueueCounts"}},
        },
        "additionalProperties": False,
    }
