"""What goes on the wire besides the payload: job options, per-call options, the answers.

Rendered from the contract (generator/contract/jobs.py): BullMQ 6's producer options with
their bounds in the docs, and the JobResponse and JobStatus bodies.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from typing_extensions import Required, TypedDict

from ._answers import Shape, expect_shape
from ._constants import JobState
from ._redaction import redact_fields


class BackoffOptions(TypedDict, total=False):
    type: Required[str]
    delay: int
    jitter: float


class KeepJobs(TypedDict, total=False):
    age: int
    count: int
    limit: int


class ParentOptions(TypedDict, total=False):
    id: Required[str]
    queue: Required[str]


class DeduplicationOptions(TypedDict, total=False):
    id: Required[str]
    ttl: int
    extend: bool
    replace: bool


class JobOptions(TypedDict, total=False):
    """BullMQ 6 job options, sent as `opts`. `jobId` is filled in when you leave it out.

    `serve` and the worker backend refuse any other option, and values out of BullMQ's bounds.
    """

    # Job id, unique across all queues. BullMQ ignores an add whose jobId already exists, so reusing
    # one makes an enqueue idempotent. Not all digits, no ':' or '/', not '.' or '..', no control or
    # bidirectional characters (C0/C1 controls, invisible format characters such as U+202E), and not
    # one of BullMQ's per-queue key names (active, completed, de, delayed, events, failed, id,
    # limiter, marker, meta, paused, pc, prioritized, repeat, stalled, stalled-check, wait, waiting-
    # children).
    jobId: str
    # Creation time, milliseconds since the epoch (default: now).
    timestamp: int
    # 1 is the highest priority, 2097152 the lowest; 0 means none.
    priority: int
    # Milliseconds to wait before the job may run.
    delay: int
    # Total number of attempts before it fails.
    attempts: int
    # Delay between attempts: milliseconds (fixed), or a strategy (`fixed`, `exponential` or a
    # custom one) with its delay and jitter (0 to 1).
    backoff: int | BackoffOptions
    # Add to the front of the queue.
    lifo: bool
    # What to keep of completed jobs: true removes the job when it finishes, a number keeps that
    # many finished jobs, an object keeps jobs by age (seconds) and/or count.
    removeOnComplete: bool | int | KeepJobs
    # What to keep of failed jobs: true removes the job when it finishes, a number keeps that many
    # finished jobs, an object keeps jobs by age (seconds) and/or count.
    removeOnFail: bool | int | KeepJobs
    # How many log lines of the job to keep.
    keepLogs: int
    # Stack trace lines kept per failure.
    stackTraceLimit: int
    # Largest payload BullMQ accepts, in bytes.
    sizeLimit: int
    # The parent job of a flow: its id and its queue's qualified name (`<prefix>:<queue>`).
    parent: ParentOptions
    # Fail the parent job when this one fails.
    failParentOnFailure: bool
    # Let the parent job start when this one fails.
    continueParentOnFailure: bool
    # Move the parent on when this one fails, keeping the failure.
    ignoreDependencyOnFailure: bool
    # Move the parent on when this one fails, forgetting it.
    removeDependencyOnFailure: bool
    # Ignore (or, with replace, supersede) further adds with this id while a job carrying it is in
    # force, for ttl milliseconds (default: until it finishes); extend restarts the ttl.
    deduplication: DeduplicationOptions


class RequestOptions(TypedDict, total=False):
    """Per-call settings that override the client's."""

    validate: bool
    max_retries: int
    timeout: float


_JOB_RESPONSE_SHAPE: Shape = {
    "success": (True, ("boolean",)),
    "jobId": (True, ("string",)),
    "messageName": (True, ("string",)),
    "queue": (True, ("string",)),
}


@dataclass(frozen=True)
class JobResponse:
    """The answer to an enqueue."""

    success: bool
    job_id: str
    message_name: str
    queue: str

    @classmethod
    def from_json(cls, data: Any) -> JobResponse:
        body = expect_shape(data, _JOB_RESPONSE_SHAPE)
        return cls(
            success=body["success"],
            job_id=body["jobId"],
            message_name=body["messageName"],
            queue=body["queue"],
        )


_JOB_STATUS_SHAPE: Shape = {
    "jobId": (True, ("string",)),
    "name": (True, ("string",)),
    "queue": (True, ("string",)),
    "state": (True, ("string",)),
    "data": (True, ("object",)),
    "returnvalue": (True, ()),
    "progress": (True, ()),
    "timestamp": (True, ("integer",)),
    "attemptsMade": (False, ("integer",)),
    "processedOn": (
        False,
        (
            "integer",
            "null",
        ),
    ),
    "finishedOn": (
        False,
        (
            "integer",
            "null",
        ),
    ),
    "failedReason": (
        False,
        (
            "string",
            "null",
        ),
    ),
}


@dataclass(frozen=True)
class JobStatus:
    """A job as the worker backend reports it."""

    job_id: str
    name: str
    queue: str
    state: JobState
    data: Any
    returnvalue: Any
    progress: Any
    timestamp: int
    attempts_made: int | None = None
    processed_on: int | None = None
    finished_on: int | None = None
    failed_reason: str | None = None

    @classmethod
    def from_json(cls, data: Any) -> JobStatus:
        body = expect_shape(data, _JOB_STATUS_SHAPE)
        return cls(
            job_id=body["jobId"],
            name=body["name"],
            queue=body["queue"],
            state=body["state"],
            data=body["data"],
            returnvalue=body["returnvalue"],
            progress=body["progress"],
            timestamp=body["timestamp"],
            attempts_made=body.get("attemptsMade"),
            processed_on=body.get("processedOn"),
            finished_on=body.get("finishedOn"),
            failed_reason=body.get("failedReason"),
        )

    def __repr__(self) -> str:
        # `data` is the job's payload, `returnvalue` may echo it: secret fields are masked.
        shown = {
            name: redact_fields(value) if name in ("data", "returnvalue") else value
            for name, value in vars(self).items()
        }
        return f"JobStatus({', '.join(f'{k}={v!r}' for k, v in shown.items())})"
