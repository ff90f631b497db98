"""What goes on the wire besides the payload: job options, per-call options, the answers."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from typing_extensions import NotRequired, TypedDict

from ._constants import JobState
from ._redaction import redact_fields
from ._validation import json_type


class BackoffOptions(TypedDict):
    type: Literal["fixed", "exponential"]
    delay: NotRequired[int]


class KeepJobs(TypedDict, total=False):
    age: int
    count: int


class JobOptions(TypedDict, total=False):
    """BullMQ job options, sent as `opts`. `jobId` is filled in when you leave it out."""

    jobId: str
    priority: int
    delay: int
    attempts: int
    backoff: int | BackoffOptions
    lifo: bool
    timestamp: int
    removeOnComplete: bool | int | KeepJobs
    removeOnFail: bool | int | KeepJobs
    keepLogs: int
    stackTraceLimit: int
    sizeLimit: int


class RequestOptions(TypedDict, total=False):
    """Per-call settings that override the client's."""

    validate: bool
    max_retries: int
    timeout: float


@dataclass(frozen=True)
class JobResponse:
    """The answer to an enqueue."""

    success: bool
    job_id: str
    message_name: str
    queue: str

    @classmethod
    def from_json(cls, data: Any) -> JobResponse:
        body = expect_object(data, ("success", "jobId", "messageName", "queue"))
        return cls(
            success=bool(body["success"]),
            job_id=str(body["jobId"]),
            message_name=str(body["messageName"]),
            queue=str(body["queue"]),
        )


@dataclass(frozen=True)
class JobStatus:
    """A job as the worker backend reports it."""

    job_id: str
    name: str
    queue: str
    state: JobState
    data: Any
    returnvalue: Any | None
    progress: int | float | dict[str, Any] | None
    timestamp: int

    @classmethod
    def from_json(cls, data: Any) -> JobStatus:
        body = expect_object(data, ("jobId", "name", "queue", "state", "timestamp"))
        return cls(
            job_id=str(body["jobId"]),
            name=str(body["name"]),
            queue=str(body["queue"]),
            state=body["state"],
            data=body.get("data"),
            returnvalue=body.get("returnvalue"),
            progress=body.get("progress"),
            timestamp=int(body["timestamp"]),
        )

    def __repr__(self) -> str:
        # `data` is the job's payload: secret fields are masked.
        return (
            f"JobStatus(job_id={self.job_id!r}, name={self.name!r}, queue={self.queue!r}, "
            f"state={self.state!r}, data={redact_fields(self.data)!r}, "
            f"returnvalue={redact_fields(self.returnvalue)!r}, progress={self.progress!r}, "
            f"timestamp={self.timestamp!r})"
        )


class UnexpectedBody(Exception):
    """A 2xx answer whose body is not what the contract says."""


def expect_object(data: Any, keys: Iterable[str]) -> Mapping[str, Any]:
    if not isinstance(data, Mapping):
        raise UnexpectedBody(f"expected a JSON object, got {json_type(data)}")
    missing = [key for key in keys if key not in data]
    if missing:
        raise UnexpectedBody(f"missing {', '.join(missing)}")
    return data
