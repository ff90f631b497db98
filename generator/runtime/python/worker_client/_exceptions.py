"""Every error this package raises.

WorkerClientError
├── PayloadValidationError          the payload breaks its message schema (nothing was sent)
└── APIError
    ├── APIConnectionError          the server could not be reached
    │   └── APITimeoutError         no answer within the timeout
    └── APIStatusError              the server answered with a non-2xx status
        ├── BadRequestError         400
        ├── AuthenticationError     401
        ├── PermissionDeniedError   403
        ├── NotFoundError           404
        │   └── JobNotFoundError    404 from get_job_status
        ├── ConflictError           409
        ├── UnprocessableEntityError 422
        ├── RateLimitError          429
        └── InternalServerError     5xx

Messages never contain the api key, request headers or the values of secret payload fields.
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = [
    "WorkerClientError",
    "PayloadValidationError",
    "APIError",
    "APIConnectionError",
    "APITimeoutError",
    "APIStatusError",
    "BadRequestError",
    "AuthenticationError",
    "PermissionDeniedError",
    "NotFoundError",
    "JobNotFoundError",
    "ConflictError",
    "UnprocessableEntityError",
    "RateLimitError",
    "InternalServerError",
]


class WorkerClientError(Exception):
    """Root of every error raised by worker_client."""


class PayloadValidationError(WorkerClientError, ValueError):
    """The payload does not match its message schema; it was not sent.

    `errors` lists every problem as (JSON pointer of the field, what is wrong), e.g.
    `("/storageLocation/bucket", "is required")`.
    """

    def __init__(self, message_type: str, errors: Sequence[tuple[str, str]]) -> None:
        self.message_type = message_type
        self.errors: list[tuple[str, str]] = list(errors)
        lines = "\n".join(f"  {path or '(payload)'}: {problem}" for path, problem in self.errors)
        noun = "problem" if len(self.errors) == 1 else "problems"
        super().__init__(f"{message_type} payload is invalid ({len(self.errors)} {noun}):\n{lines}")


class APIError(WorkerClientError):
    """A request to the worker backend failed."""

    def __init__(self, message: str, *, method: str, url: str) -> None:
        super().__init__(message)
        self.message = message
        self.method = method
        self.url = url


class APIConnectionError(APIError):
    """The worker backend could not be reached (refused, reset, DNS, TLS...)."""


class APITimeoutError(APIConnectionError):
    """The worker backend did not answer within the timeout."""


class APIStatusError(APIError):
    """The worker backend answered with a non-2xx status."""

    def __init__(
        self,
        message: str,
        *,
        method: str,
        url: str,
        status_code: int,
        body: object,
        request_id: str | None,
    ) -> None:
        super().__init__(message, method=method, url=url)
        self.status_code = status_code
        self.body = body  # parsed JSON when the body was JSON, else text; secrets redacted
        self.request_id = request_id  # the response's X-Request-Id


class BadRequestError(APIStatusError):
    """400: the request body was malformed."""


class AuthenticationError(APIStatusError):
    """401: the api key is missing or wrong."""


class PermissionDeniedError(APIStatusError):
    """403: the api key may not do this."""


class NotFoundError(APIStatusError):
    """404: unknown message type or job."""


class JobNotFoundError(NotFoundError):
    """404 from get_job_status: no job has this id."""


class ConflictError(APIStatusError):
    """409: the request conflicts with the current state."""


class UnprocessableEntityError(APIStatusError):
    """422: the server rejected the payload (see `body["details"]`)."""


class RateLimitError(APIStatusError):
    """429: too many requests."""


class InternalServerError(APIStatusError):
    """5xx: the worker backend failed."""


_BY_STATUS: dict[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    422: UnprocessableEntityError,
    429: RateLimitError,
}


def status_error_class(status_code: int, *, job_lookup: bool = False) -> type[APIStatusError]:
    """The exception class for a non-2xx status."""
    if status_code == 404 and job_lookup:
        return JobNotFoundError
    if status_code >= 500:
        return InternalServerError
    return _BY_STATUS.get(status_code, APIStatusError)
