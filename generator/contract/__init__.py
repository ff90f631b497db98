"""The wire contract (docs/contract.md) as data, written once.

Both clients' runtimes (their rendered constants modules), both READMEs, the OpenAPI document,
docs/contract.md (checked against it by tests/contract) and `serve` all read it from here.
"""

from __future__ import annotations

from typing import Any

from generator.contract.answers import (
    JOB_RESPONSE_FIELDS,
    JOB_STATUS_FIELDS,
    job_response_schema,
    job_state_schema,
    job_status_schema,
    queue_counts_schema,
    queue_list_schema,
)
from generator.contract.errors import (
    ERROR_CLASSES,
    SERVER_ERRORS,
    ErrorClass,
    error_detail_schema,
    error_response_schema,
)
from generator.contract.http import ERROR_EXCERPT_CHARS, MAX_ANSWER_BYTES, REQUEST_ID_HEADER
from generator.contract.jobs import (
    DEFS_REF,
    JOB_COMPLETED,
    JOB_FAILED,
    JOB_OPTIONS,
    JOB_STATES,
    QUEUE_COUNT_STATES,
    TERMINAL_JOB_STATES,
    job_options_schema,
    option_types,
    request_body_schema,
)
from generator.contract.redaction import MIN_SECRET_LENGTH, REDACTED, SECRET_NAME_RE
from generator.contract.retries import DEFAULT_TIMEOUT, POLL, RETRY, PollPolicy, RetryPolicy


def protocol_schemas() -> dict[str, dict[str, Any]]:
    """Every schema of the contract besides the payloads, by name."""
    return {
        "JobOptions": job_options_schema(),
        "JobResponse": job_response_schema(),
        "JobState": job_state_schema(),
        "JobStatus": job_status_schema(),
        "ErrorDetail": error_detail_schema(),
        "ErrorResponse": error_response_schema(),
        "QueueCounts": queue_counts_schema(),
        "QueueList": queue_list_schema(),
    }


def exported_names() -> frozenset[str]:
    """The names both client packages export from the contract: its error classes, the types
    of its bodies and options. Rendered by loops over this data, so a scan of the templates'
    text cannot see them; the targets' naming rules add them from here."""
    return frozenset(
        {c.name for c in ERROR_CLASSES} | set(protocol_schemas()) | set(option_types())
    )


__all__ = [
    "DEFAULT_TIMEOUT",
    "DEFS_REF",
    "ERROR_CLASSES",
    "ERROR_EXCERPT_CHARS",
    "JOB_COMPLETED",
    "JOB_FAILED",
    "JOB_OPTIONS",
    "JOB_RESPONSE_FIELDS",
    "JOB_STATES",
    "JOB_STATUS_FIELDS",
    "MAX_ANSWER_BYTES",
    "MIN_SECRET_LENGTH",
    "POLL",
    "QUEUE_COUNT_STATES",
    "REDACTED",
    "REQUEST_ID_HEADER",
    "RETRY",
    "SECRET_NAME_RE",
    "SERVER_ERRORS",
    "TERMINAL_JOB_STATES",
    "ErrorClass",
    "PollPolicy",
    "RetryPolicy",
    "exported_names",
    "protocol_schemas",
    "request_body_schema",
]
