"""From a failed exchange to the exception a caller sees, with every secret removed."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from ._exceptions import APIConnectionError, APIError, APITimeoutError, status_error_class
from ._models import UnexpectedBody
from ._redaction import Redactor
from ._transport import Outcome, RawResponse, Request, TransportFailure

R = TypeVar("R")


def error_for(request: Request, outcome: Outcome) -> APIError:
    """The exception for an attempt that got no 2xx answer."""
    if isinstance(outcome, TransportFailure):
        cls = APITimeoutError if outcome.timed_out else APIConnectionError
        what = "timed out" if outcome.timed_out else "could not connect"
        detail = request.redactor.text(outcome.detail)
        message = f"{request.label} {what}: {detail}"
        return cls(message, method=request.method, url=request.url)
    shown = request.redactor.value(parse_body(outcome.text))
    request_id = outcome.headers.get("x-request-id")
    message = f"{request.label} failed with HTTP {outcome.status_code}"
    if isinstance(shown, Mapping):
        if shown.get("message"):
            message += f": {shown['message']}"
        for detail in shown.get("details") or []:
            if isinstance(detail, Mapping):
                message += f"\n  {detail.get('path', '')}: {detail.get('message', '')}"
    elif isinstance(shown, str) and shown.strip():
        message += f": {shown.strip()[:500]}"
    if request_id:
        message += f" (request id {request_id})"
    status_error = status_error_class(outcome.status_code, job_lookup=request.job_lookup)
    return status_error(
        message,
        method=request.method,
        url=request.url,
        status_code=outcome.status_code,
        body=shown,
        request_id=request_id,
    )


def decode(request: Request, response: RawResponse, parse: Callable[[Any], R]) -> R:
    """The 2xx answer's body as `parse` reads it; APIError when it is not that shape."""
    try:
        return parse(json.loads(response.text))
    except (ValueError, UnexpectedBody) as exc:
        raise APIError(
            f"{request.label}: unexpected response body ({exc})",
            method=request.method,
            url=request.url,
        ) from None


def parse_body(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        return text


def reason(outcome: Outcome, redactor: Redactor) -> str:
    """Why an attempt failed, for the retry log line."""
    if isinstance(outcome, TransportFailure):
        if outcome.timed_out:
            return "timed out"
        return f"connection failed ({redactor.text(outcome.detail)})"
    return f"HTTP {outcome.status_code}"
