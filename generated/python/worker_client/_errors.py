"""From a failed exchange to the exception a caller sees, with every secret removed."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, TypeVar

from ._answers import UnexpectedBody
from ._constants import ERROR_EXCERPT_CHARS, MAX_ANSWER_BYTES, REQUEST_ID_HEADER
from ._exceptions import (
    APIConnectionError,
    APIError,
    APIResponseValidationError,
    APITimeoutError,
    JobFailedError,
    WaitTimeoutError,
    status_error_class,
)
from ._json import as_array, as_object
from ._models import JobStatus
from ._redaction import Redactor
from ._transport import Outcome, RawResponse, Request, TransportFailure

R = TypeVar("R")


def error_for(request: Request, outcome: Outcome) -> APIError:
    """The exception for an attempt that got no 2xx answer."""
    if isinstance(outcome, TransportFailure):
        cls = APITimeoutError if outcome.timed_out else APIConnectionError
        what = "timed out" if outcome.timed_out else "could not connect"
        detail = excerpt(request.redactor.text(outcome.detail))
        message = f"{request.label} {what}: {detail}"
        return cls(message, method=request.method, url=request.url)
    shown: Any = request.redactor.value(parse_body(outcome.text))
    request_id = outcome.headers.get(REQUEST_ID_HEADER)
    message = f"{request.label} failed with HTTP {outcome.status_code}"
    if 300 <= outcome.status_code < 400:
        message += " (a redirect, which the client never follows)"
    said = ""
    if (body := as_object(shown)) is not None:
        if body.get("message"):
            said = str(body["message"])
        for detail in as_array(body.get("details")) or []:
            if (entry := as_object(detail)) is not None:
                said += f"\n  {entry.get('path', '')}: {entry.get('message', '')}"
    elif isinstance(shown, str):
        said = shown.strip()
    if said.strip():
        message += f": {excerpt(said)}"
    if request_id:
        message += f" (request id {excerpt(request.redactor.text(request_id))})"
    status_error = status_error_class(outcome.status_code, job_lookup=request.job_lookup)
    return status_error(
        message,
        method=request.method,
        url=request.url,
        status_code=outcome.status_code,
        body=shown,
        request_id=request_id,
    )


def job_failed(status: JobStatus, redactor: Redactor) -> JobFailedError:
    """The error for a job that failed. Its reason is the worker's text, which may quote the
    job's data: `redactor` knows the api key and the secret values of that data."""
    job_id = redactor.text(status.job_id)
    reason = None if status.failed_reason is None else excerpt(redactor.text(status.failed_reason))
    message = f"job {json.dumps(job_id, ensure_ascii=False)} failed"
    if status.attempts_made:
        noun = "attempt" if status.attempts_made == 1 else "attempts"
        message += f" after {status.attempts_made} {noun}"
    message += f": {reason}" if reason and reason.strip() else " (no reason given)"
    return JobFailedError(message, job_id=job_id, failed_reason=reason)


def wait_timed_out(job_id: str, timeout: float, state: str, redactor: Redactor) -> WaitTimeoutError:
    shown, state = redactor.text(job_id), redactor.text(state)
    message = f"job {json.dumps(shown, ensure_ascii=False)} is still {state} after {timeout:g} s"
    return WaitTimeoutError(message, job_id=shown, timeout=timeout, state=state)


def excerpt(text: str) -> str:
    """At most ERROR_EXCERPT_CHARS of a text an answer supplied."""
    if len(text) <= ERROR_EXCERPT_CHARS:
        return text
    return text[:ERROR_EXCERPT_CHARS] + f"... ({len(text) - ERROR_EXCERPT_CHARS} more characters)"


def decode(request: Request, response: RawResponse, parse: Callable[[Any], R]) -> R:
    """The 2xx answer's body as `parse` reads it; APIResponseValidationError when it is not
    that shape."""
    try:
        if response.truncated:
            raise UnexpectedBody(f"longer than {MAX_ANSWER_BYTES} bytes")
        return parse(json.loads(response.text))
    except (ValueError, UnexpectedBody) as exc:
        raise APIResponseValidationError(
            f"{request.label}: unexpected response body ({excerpt(str(exc))})",
            method=request.method,
            url=request.url,
        ) from None


def parse_body(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        return text


def reason(outcome: Outcome) -> str:
    """Why an attempt failed, for the retry log line."""
    if isinstance(outcome, TransportFailure):
        # The library's own words stay in the exception: the log line is the same in every
        # client, and never quotes what a peer sent.
        return "timed out" if outcome.timed_out else "connection failed"
    return f"HTTP {outcome.status_code}"
