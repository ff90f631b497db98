"""Errors on the wire and in the clients: the error body, and the one class hierarchy both
clients export (openai-python's flat shape), with the status each status-bound class answers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from generator.contract.jobs import DEFS_REF


@dataclass(frozen=True)
class ErrorClass:
    """One exception class of both clients.

    `kind` says which constructor it has (root, validation, api, status, job_failed,
    wait_timeout); a subclass without one inherits its parent's. `statuses` are the HTTP
    statuses it is raised for (`5xx` stands for every status from 500 up); `job_lookup` marks
    the class a 404 from a status lookup raises instead of the plain 404 class.
    """

    name: str
    parent: str | None
    doc: str
    kind: str | None = None
    statuses: tuple[int | str, ...] = ()
    job_lookup: bool = False


SERVER_ERRORS = "5xx"

ERROR_CLASSES = (
    ErrorClass("WorkerClientError", None, "The root of every error the client raises.", "root"),
    ErrorClass(
        "PayloadValidationError",
        "WorkerClientError",
        "The payload breaks its message schema; nothing was sent.",
        "validation",
    ),
    ErrorClass("APIError", "WorkerClientError", "A request to the worker backend failed.", "api"),
    ErrorClass(
        "APIConnectionError",
        "APIError",
        "The worker backend could not be reached (refused, reset, DNS, TLS...).",
    ),
    ErrorClass(
        "APITimeoutError", "APIConnectionError", "No answer within the timeout (a deadline)."
    ),
    ErrorClass(
        "APIResponseValidationError",
        "APIError",
        "A 2xx answer whose body is not what the contract says.",
    ),
    ErrorClass(
        "APIStatusError",
        "APIError",
        "The worker backend answered with a status that is not 2xx (a redirect included: "
        "redirects are never followed).",
        "status",
    ),
    ErrorClass("BadRequestError", "APIStatusError", "The request was malformed.", None, (400,)),
    ErrorClass(
        "AuthenticationError", "APIStatusError", "The api key is missing or wrong.", None, (401,)
    ),
    ErrorClass(
        "PermissionDeniedError", "APIStatusError", "The api key may not do this.", None, (403,)
    ),
    ErrorClass("NotFoundError", "APIStatusError", "Unknown message type or job.", None, (404,)),
    ErrorClass(
        "JobNotFoundError",
        "NotFoundError",
        "No job has this id (from a job status lookup).",
        None,
        (404,),
        job_lookup=True,
    ),
    ErrorClass(
        "ConflictError",
        "APIStatusError",
        "The jobId is taken by a job of another message type.",
        None,
        (409,),
    ),
    ErrorClass(
        "UnprocessableEntityError",
        "APIStatusError",
        "The server rejected the payload against its schema (see the body's details).",
        None,
        (422,),
    ),
    ErrorClass("RateLimitError", "APIStatusError", "Too many requests.", None, (429,)),
    ErrorClass(
        "InternalServerError",
        "APIStatusError",
        "The worker backend failed.",
        None,
        (SERVER_ERRORS,),
    ),
    ErrorClass(
        "JobFailedError",
        "WorkerClientError",
        "The job waited for failed; has the job id and its failure reason (secrets redacted).",
        "job_failed",
    ),
    ErrorClass(
        "WaitTimeoutError",
        "WorkerClientError",
        "The job waited for was not finished within the timeout; has its last state.",
        "wait_timeout",
    ),
)


def children(name: str | None) -> list[ErrorClass]:
    return [c for c in ERROR_CLASSES if c.parent == name]


def hierarchy_lines() -> list[tuple[str, ErrorClass]]:
    """(tree prefix, class) in depth-first order, for the docstrings' drawing."""
    lines: list[tuple[str, ErrorClass]] = []

    def walk(parent: ErrorClass, indent: str) -> None:
        kids = children(parent.name)
        for i, kid in enumerate(kids):
            last = i == len(kids) - 1
            lines.append((indent + ("└── " if last else "├── "), kid))
            walk(kid, indent + ("    " if last else "│   "))

    root = children(None)[0]
    lines.append(("", root))
    walk(root, "")
    return lines


def status_label(cls: ErrorClass) -> str:
    """What the drawing says a class answers: "404", "5xx", "404 from a job lookup"."""
    shown = ", ".join(str(s) for s in cls.statuses)
    return f"{shown} from a job lookup" if cls.job_lookup else shown


def error_detail_schema() -> dict[str, Any]:
    return {
        "title": "ErrorDetail",
        "description": "One validation failure. `path` is a JSON pointer into the payload "
        "(422) or into the request body (400).",
        "type": "object",
        "required": ["path", "message"],
        "properties": {"path": {"type": "string"}, "message": {"type": "string"}},
    }


def error_response_schema() -> dict[str, Any]:
    return {
        "title": "ErrorResponse",
        "description": "Any non-2xx answer, in the NestJS style.",
        "type": "object",
        "required": ["statusCode", "error", "message"],
        "properties": {
            "statusCode": {"type": "integer", "minimum": 400, "maximum": 599},
            "error": {"type": "string", "description": "The HTTP reason phrase."},
            "message": {"type": "string"},
            "details": {"type": "array", "items": {"$ref": DEFS_REF + "ErrorDetail"}},
        },
    }
