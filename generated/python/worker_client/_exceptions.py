"""Every error this package raises (the same classes as the TypeScript client's).

WorkerClientError
├── PayloadValidationError
├── APIError
│   ├── APIConnectionError
│   │   └── APITimeoutError
│   ├── APIResponseValidationError
│   └── APIStatusError
│       ├── BadRequestError             400
│       ├── AuthenticationError         401
│       ├── PermissionDeniedError       403
│       ├── NotFoundError               404
│       │   └── JobNotFoundError        404 from a job lookup
│       ├── ConflictError               409
│       ├── UnprocessableEntityError    422
│       ├── RateLimitError              429
│       └── InternalServerError         5xx
├── JobFailedError
└── WaitTimeoutError

Messages never contain the api key, request headers or the values of secret payload fields,
and quote at most a bounded excerpt of an answer's body.
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = [
    "WorkerClientError",
    "PayloadValidationError",
    "APIError",
    "APIConnectionError",
    "APITimeoutError",
    "APIResponseValidationError",
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
    "JobFailedError",
    "WaitTimeoutError",
]


class WorkerClientError(Exception):
    """The root of every error the client raises."""


class PayloadValidationError(WorkerClientError, ValueError):
    """The payload breaks its message schema; nothing was sent.

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
    """No answer within the timeout (a deadline)."""


class APIResponseValidationError(APIError):
    """A 2xx answer whose body is not what the contract says."""


class APIStatusError(APIError):
    """The worker backend answered with a status that is not 2xx (a redirect included: redirects are never followed)."""

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
        self.request_id = request_id  # the response's request id header


class BadRequestError(APIStatusError):
    """400: The request was malformed."""


class AuthenticationError(APIStatusError):
    """401: The api key is missing or wrong."""


class PermissionDeniedError(APIStatusError):
    """403: The api key may not do this."""


class NotFoundError(APIStatusError):
    """404: Unknown message type or job."""


class JobNotFoundError(NotFoundError):
    """404 from a job lookup: No job has this id (from a job status lookup)."""


class ConflictError(APIStatusError):
    """409: The jobId is taken by a job of another message type."""


class UnprocessableEntityError(APIStatusError):
    """422: The server rejected the payload against its schema (see the body's details)."""


class RateLimitError(APIStatusError):
    """429: Too many requests."""


class InternalServerError(APIStatusError):
    """5xx: The worker backend failed."""


class JobFailedError(WorkerClientError):
    """The job waited for failed; has the job id and its failure reason (secrets redacted)."""

    def __init__(self, message: str, *, job_id: str, failed_reason: str | None) -> None:
        super().__init__(message)
        self.message = message
        self.job_id = job_id
        self.failed_reason = failed_reason  # as the worker reported it, secrets redacted


class WaitTimeoutError(WorkerClientError):
    """The job waited for was not finished within the timeout; has its last state."""

    def __init__(self, message: str, *, job_id: str, timeout: float, state: str) -> None:
        super().__init__(message)
        self.message = message
        self.job_id = job_id
        self.timeout = timeout  # seconds
        self.state = state  # what the last status request reported


_BY_STATUS: dict[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    422: UnprocessableEntityError,
    429: RateLimitError,
}
_BY_STATUS_OF_JOB_LOOKUP: dict[int, type[APIStatusError]] = {
    404: JobNotFoundError,
}
_SERVER_ERROR: type[APIStatusError] = InternalServerError


def status_error_class(status_code: int, *, job_lookup: bool = False) -> type[APIStatusError]:
    """The exception class for a status that is not 2xx."""
    if job_lookup and status_code in _BY_STATUS_OF_JOB_LOOKUP:
        return _BY_STATUS_OF_JOB_LOOKUP[status_code]
    if status_code >= 500:
        return _SERVER_ERROR
    return _BY_STATUS.get(status_code, APIStatusError)
