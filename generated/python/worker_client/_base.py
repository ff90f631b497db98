"""What WorkerClient and AsyncWorkerClient share, written once.

Configuration, request building, payload validation, the retry loop, error mapping and
redaction live here. The retry loop is a generator ("sans I/O"): it yields a `Request` when it
wants one sent and a float when it wants to sleep, and receives what the transport got back.
Each client drives it with its own HTTP library (requests, httpx) and its own sleep.
"""

from __future__ import annotations

import email.utils
import json
import logging
import math
import os
import random
import re
import time
import uuid
from collections.abc import Callable, Generator, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any, Literal, TypeAlias, TypeVar
from urllib.parse import quote

from typing_extensions import NotRequired, TypedDict

from ._exceptions import (
    APIConnectionError,
    APIError,
    APITimeoutError,
    PayloadValidationError,
    WorkerClientError,
    status_error_class,
)

if TYPE_CHECKING:
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import ValidationError

VERSION = "4.2.0"
USER_AGENT = f"mesh-sync-worker-backend-client/{VERSION} (python)"

DEFAULT_TIMEOUT = 30.0
DEFAULT_MAX_RETRIES = 2
INITIAL_RETRY_DELAY = 0.5  # seconds; doubles with every retry
MAX_RETRY_DELAY = 8.0
MAX_RETRY_AFTER = 60.0
JITTER = 0.25  # a backoff delay is shortened by up to this fraction, at random

logger = logging.getLogger("worker_client")

# Payload fields whose values are never shown: the schemas' secret fields (x-secret or a
# credential-like name), and any key with a credential-like name inside free-form objects.
SECRET_FIELDS = frozenset(
    {
        "accessToken",
        "apiKey",
        "ciphertext",
        "credentialUpdate",
        "credentials",
        "etsyCredentials",
        "marketplaceCredentials",
        "passphrase",
        "password",
        "privateKey",
        "refreshToken",
        "revokeOldCredentials",
        "secretAccessKey",
    }
)
SECRET_NAME = re.compile(
    "(?i)(credentials?|secret|password|passwd|passphrase|api_?key|private_?key|(access|refresh|auth|bearer|api|id|session)?_?token)$"
)
REDACTED = "***"

JobState = Literal[
    "waiting",
    "active",
    "completed",
    "failed",
    "delayed",
    "prioritized",
    "waiting-children",
    "unknown",
]


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
        body = _expect_object(data, ("success", "jobId", "messageName", "queue"))
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
        body = _expect_object(data, ("jobId", "name", "queue", "state", "timestamp"))
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


class _UnexpectedBody(Exception):
    pass


def _expect_object(data: Any, keys: Iterable[str]) -> Mapping[str, Any]:
    if not isinstance(data, Mapping):
        raise _UnexpectedBody(f"expected a JSON object, got {_json_type(data)}")
    missing = [key for key in keys if key not in data]
    if missing:
        raise _UnexpectedBody(f"missing {', '.join(missing)}")
    return data


# --------------------------------------------------------------------------- secrets


def is_secret_field(name: str) -> bool:
    return name in SECRET_FIELDS or bool(SECRET_NAME.search(name))


def redact_fields(value: Any) -> Any:
    """A copy of a JSON value with the value of every secret field replaced by '***'."""
    if isinstance(value, Mapping):
        return {
            key: REDACTED if is_secret_field(str(key)) else redact_fields(item)
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [redact_fields(item) for item in value]
    return value


def _secret_values(value: Any, inside_secret: bool = False) -> Iterable[str]:
    if isinstance(value, Mapping):
        for key, item in value.items():
            yield from _secret_values(item, inside_secret or is_secret_field(str(key)))
    elif isinstance(value, list):
        for item in value:
            yield from _secret_values(item, inside_secret)
    elif inside_secret and isinstance(value, str) and value:
        yield value


class Redactor:
    """Removes known secret values (the api key, secret payload fields) from text.

    The payload's secret values are collected only when text is first redacted: a call that
    succeeds never redacts anything, so it never walks the payload for them.
    """

    def __init__(self, secrets: Iterable[str], payload: Any = None) -> None:
        self._given = tuple(secrets)
        self._payload = payload
        self._sorted: list[str] | None = None

    @property
    def _secrets(self) -> list[str]:
        if self._sorted is None:
            found = {s for s in (*self._given, *_secret_values(self._payload)) if s}
            self._sorted = sorted(found, key=lambda s: (-len(s), s))
            self._payload = None
        return self._sorted

    def text(self, text: str) -> str:
        for secret in self._secrets:
            text = text.replace(secret, REDACTED)
        return text

    def value(self, value: Any) -> Any:
        """A JSON value with secret fields masked and known secret strings removed."""
        return self._scrub(redact_fields(value))

    def _scrub(self, value: Any) -> Any:
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, Mapping):
            return {self.text(str(k)): self._scrub(v) for k, v in value.items()}
        if isinstance(value, list):
            return [self._scrub(item) for item in value]
        return value

    def with_payload(self, payload: Any) -> Redactor:
        return Redactor(self._secrets, payload)


# --------------------------------------------------------------------------- configuration


@dataclass(frozen=True)
class Config:
    base_url: str
    api_key: str | None = field(repr=False)
    timeout: float
    max_retries: int
    validate: bool

    @classmethod
    def resolve(
        cls,
        base_url: str | None,
        api_key: str | None,
        timeout: float | None,
        max_retries: int,
        validate: bool,
    ) -> Config:
        """Arguments first, then WORKER_BACKEND_URL / _API_KEY / _TIMEOUT, then defaults."""
        url = base_url or os.environ.get("WORKER_BACKEND_URL") or ""
        if not url:
            raise WorkerClientError(
                "no worker-backend URL: pass base_url=... or set WORKER_BACKEND_URL"
            )
        url = normalize_base_url(url)
        key = api_key if api_key is not None else os.environ.get("WORKER_BACKEND_API_KEY")
        if timeout is None:
            raw = os.environ.get("WORKER_BACKEND_TIMEOUT", "").strip()
            try:
                timeout = float(raw) if raw else DEFAULT_TIMEOUT
            except ValueError:
                raise WorkerClientError(
                    f"WORKER_BACKEND_TIMEOUT must be a number of seconds, got {raw!r}"
                ) from None
        _check_limits(timeout, max_retries)
        return cls(url, key or None, float(timeout), max_retries, validate)

    def describe(self) -> str:
        key = "None" if self.api_key is None else REDACTED
        return (
            f"base_url={self.base_url!r}, api_key={key}, timeout={self.timeout!r}, "
            f"max_retries={self.max_retries!r}, validate={self.validate!r}"
        )


_BASE_URL = re.compile(r"(https?)://([^/?#\s]+)([^?#\s]*)", re.IGNORECASE)


def normalize_base_url(raw: str) -> str:
    """scheme://host[:port][/path] without query, fragment, credentials or trailing slash."""
    match = _BASE_URL.fullmatch(raw.strip())
    if match is None:
        # The value itself stays out of the message: it may hold credentials.
        raise WorkerClientError("base_url must be an absolute http(s) URL without query")
    scheme, authority, path = match.groups()
    if "@" in authority:
        raise WorkerClientError("base_url must not contain credentials; use api_key")
    return f"{scheme.lower()}://{authority}{path}".rstrip("/")


def _check_limits(timeout: float, max_retries: int) -> None:
    if not timeout > 0:
        raise WorkerClientError(f"timeout must be a positive number of seconds, got {timeout!r}")
    if max_retries < 0:
        raise WorkerClientError(f"max_retries must be 0 or more, got {max_retries!r}")


# --------------------------------------------------------------------------- validation


@cache
def _bundle() -> dict[str, Any]:
    text = resources.files(__package__).joinpath("schemas.json").read_text(encoding="utf-8")
    bundle: dict[str, Any] = json.loads(text)
    return bundle


@cache
def _validator(message_type: str) -> Draft202012Validator | None:
    from jsonschema import Draft202012Validator

    schema = _message_schema(message_type)
    if schema is None:
        return None
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def _message_schema(message_type: str) -> dict[str, Any] | None:
    bundle = _bundle()
    title = bundle["messages"].get(message_type)
    if title is None:
        return None
    return {"$ref": f"#/$defs/{title}", "$defs": bundle["$defs"]}


@cache
def _fast_check(message_type: str) -> Callable[[Any], Any] | None:
    """A compiled yes/no check of a payload (fastjsonschema), or None for an unknown type.

    Only a gate: a payload it accepts is valid, one it rejects goes to jsonschema, which
    decides and names every offending field. Its format checks are jsonschema's own, so the
    two agree on formats whatever optional format libraries are installed.
    """
    import fastjsonschema
    from jsonschema import Draft202012Validator

    schema = _message_schema(message_type)
    if schema is None:
        return None
    checker = Draft202012Validator.FORMAT_CHECKER

    def conforms(name: str) -> Callable[[Any], bool]:
        return lambda value: checker.conforms(value, name)

    formats = {name: conforms(name) for name in _formats(schema)}
    # use_default=False: the check must never fill defaults into the caller's payload.
    return fastjsonschema.compile(schema, formats=formats, use_default=False)


def _formats(schema: Any) -> set[str]:
    found: set[str] = set()
    if isinstance(schema, Mapping):
        for key, value in schema.items():
            if key in ("enum", "const", "default", "examples"):
                continue
            if key == "format" and isinstance(value, str):
                found.add(value)
            else:
                found |= _formats(value)
    elif isinstance(schema, list):
        for item in schema:
            found |= _formats(item)
    return found


def payload_is_valid(message_type: str, payload: Any) -> bool:
    """The fast path's verdict alone (False also for an unknown message type)."""
    check = _fast_check(message_type)
    if check is None:
        return False
    from fastjsonschema import JsonSchemaException

    try:
        check(payload)
    except JsonSchemaException:
        return False
    return True


def validate_payload(message_type: str, payload: Any, redactor: Redactor) -> None:
    """Raise PayloadValidationError listing every offending field."""
    if payload_is_valid(message_type, payload):
        return
    validator = _validator(message_type)
    if validator is None:
        known = ", ".join(sorted(_bundle()["messages"]))
        problem = f"unknown message type (known: {known})"
        raise PayloadValidationError(message_type, [("", problem)])
    problems: dict[tuple[str, str], None] = {}
    for error in sorted(validator.iter_errors(payload), key=_error_order):
        for path, problem in _describe(error, redactor):
            problems[(path, problem)] = None
    if problems:
        raise PayloadValidationError(message_type, sorted(problems))


def _error_order(error: ValidationError) -> tuple[str, str]:
    return (_pointer(error.absolute_path), str(error.validator))


def _pointer(parts: Iterable[Any]) -> str:
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)


def _describe(error: ValidationError, redactor: Redactor) -> list[tuple[str, str]]:
    """(pointer, problem) for one jsonschema error, naming the field a problem is about."""
    path = list(error.absolute_path)
    here = _pointer(path)
    instance = error.instance
    kind = error.validator
    rule: Any = error.validator_value  # typed loosely by jsonschema (it may be unset)
    if kind == "required" and isinstance(instance, Mapping):
        return [(_pointer([*path, name]), "is required") for name in rule if name not in instance]
    if kind == "additionalProperties" and isinstance(instance, Mapping):
        known = error.schema.get("properties", {}) if isinstance(error.schema, Mapping) else {}
        return [
            (_pointer([*path, name]), "is not a field of this object")
            for name in instance
            if name not in known
        ]
    if kind == "type":
        wanted = " or ".join(rule) if isinstance(rule, list) else str(rule)
        return [(here, f"expected {wanted}, got {_json_type(instance)}")]
    if kind == "enum":
        allowed = ", ".join(json.dumps(v) for v in rule)
        return [(here, f"must be one of {allowed}")]
    if kind == "const":
        return [(here, f"must be {json.dumps(rule)}")]
    if kind == "format":
        return [(here, f"is not a valid {rule}")]
    if any(is_secret_field(str(part)) for part in path):
        return [(here, f"fails the schema's {kind} rule ({rule!r})")]
    return [(here, redactor.text(error.message))]


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, (list, tuple)):
        return "array"
    if isinstance(value, Mapping):
        return "object"
    return type(value).__name__


# --------------------------------------------------------------------------- transport


@dataclass(frozen=True)
class Request:
    """One HTTP exchange as the retry loop sees it."""

    method: str
    url: str
    headers: dict[str, str] = field(repr=False)  # holds the Authorization header
    body: bytes | None
    timeout: float
    max_retries: int
    label: str  # "POST /api/jobs/file-download-request": what logs and errors show
    redactor: Redactor = field(repr=False)
    job_lookup: bool = False


@dataclass(frozen=True)
class RawResponse:
    status_code: int
    headers: Mapping[str, str]  # case-insensitive, as both HTTP libraries provide
    text: str


@dataclass(frozen=True)
class TransportFailure:
    timed_out: bool
    detail: str


Outcome: TypeAlias = RawResponse | TransportFailure
T = TypeVar("T")
# What a client drives: yields a Request (send it) or a float (sleep that long), and is sent
# back what the transport got (None after a sleep).
Flow: TypeAlias = Generator[Request | float, Outcome | None, T]


class ClientBase:
    """Read-only settings and a repr that never shows the api key, for both clients."""

    _core: ClientCore

    @property
    def base_url(self) -> str:
        return self._core.config.base_url

    @property
    def timeout(self) -> float:
        return self._core.config.timeout

    @property
    def max_retries(self) -> int:
        return self._core.config.max_retries

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._core.config.describe()})"


class ClientCore:
    """Configuration and every transport-independent step of a call."""

    def __init__(self, config: Config) -> None:
        self.config = config
        self._redactor = Redactor([config.api_key or ""])

    def enqueue(
        self,
        message_type: str,
        payload: Mapping[str, Any],
        opts: Mapping[str, Any] | None,
        options: RequestOptions,
    ) -> Flow[JobResponse]:
        """Validate, then POST /api/jobs/{message_type}; the jobId is fixed before any try."""
        redactor = self._redactor.with_payload(payload)
        if options.get("validate", self.config.validate):
            validate_payload(message_type, payload, redactor)
        job_opts = dict(opts or {})
        job_opts.setdefault("jobId", str(uuid.uuid4()))
        body = json.dumps({"payload": payload, "opts": job_opts}).encode("utf-8")
        path = f"/api/jobs/{quote(message_type, safe='')}"
        request = self._request("POST", path, body, options, redactor)
        response = yield from self._exchange(request)
        return self._decode(request, response, JobResponse.from_json)

    def job_status(self, job_id: str, options: RequestOptions) -> Flow[JobStatus]:
        """GET /api/jobs/{job_id}; 404 raises JobNotFoundError."""
        path = f"/api/jobs/{quote(str(job_id), safe='')}"
        request = self._request("GET", path, None, options, self._redactor, job_lookup=True)
        response = yield from self._exchange(request)
        return self._decode(request, response, JobStatus.from_json)

    def _request(
        self,
        method: str,
        path: str,
        body: bytes | None,
        options: RequestOptions,
        redactor: Redactor,
        job_lookup: bool = False,
    ) -> Request:
        timeout = options.get("timeout", self.config.timeout)
        max_retries = options.get("max_retries", self.config.max_retries)
        _check_limits(timeout, max_retries)
        headers = {"Accept": "application/json", "User-Agent": USER_AGENT}
        if body is not None:
            headers["Content-Type"] = "application/json"
        if self.config.api_key:
            headers["Authorization"] = f"Bearer {self.config.api_key}"
        return Request(
            method=method,
            url=self.config.base_url + path,
            headers=headers,
            body=body,
            timeout=float(timeout),
            max_retries=max_retries,
            label=f"{method} {path}",
            redactor=redactor,
            job_lookup=job_lookup,
        )

    def _exchange(self, request: Request) -> Flow[RawResponse]:
        """Send until a 2xx answer (returned) or a failure that may not be retried (raised)."""
        attempts = request.max_retries + 1
        attempt = 1
        while True:
            logger.debug("%s: attempt %d of %d", request.label, attempt, attempts)
            outcome = yield request
            assert outcome is not None, "the client must send back what the transport got"
            if isinstance(outcome, RawResponse) and 200 <= outcome.status_code < 300:
                return outcome
            error = self._error(request, outcome)
            if attempt == attempts or not _retryable(outcome):
                raise error
            delay = retry_delay(attempt, outcome)
            logger.warning(
                "%s: %s; retrying in %.2fs (attempt %d of %d)",
                request.label,
                _reason(outcome, request.redactor),
                delay,
                attempt + 1,
                attempts,
            )
            yield delay
            attempt += 1

    @staticmethod
    def _error(request: Request, outcome: Outcome) -> APIError:
        if isinstance(outcome, TransportFailure):
            cls = APITimeoutError if outcome.timed_out else APIConnectionError
            what = "timed out" if outcome.timed_out else "could not connect"
            detail = request.redactor.text(outcome.detail)
            message = f"{request.label} {what}: {detail}"
            return cls(message, method=request.method, url=request.url)
        shown = request.redactor.value(_parse_body(outcome.text))
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

    @staticmethod
    def _decode(request: Request, response: RawResponse, parse: Callable[[Any], T]) -> T:
        try:
            return parse(json.loads(response.text))
        except (ValueError, _UnexpectedBody) as exc:
            raise APIError(
                f"{request.label}: unexpected response body ({exc})",
                method=request.method,
                url=request.url,
            ) from None


def _parse_body(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        return text


def _retryable(outcome: Outcome) -> bool:
    if isinstance(outcome, TransportFailure):
        return True
    return outcome.status_code in (408, 429) or outcome.status_code >= 500


def _reason(outcome: Outcome, redactor: Redactor) -> str:
    if isinstance(outcome, TransportFailure):
        if outcome.timed_out:
            return "timed out"
        return f"connection failed ({redactor.text(outcome.detail)})"
    return f"HTTP {outcome.status_code}"


def retry_delay(retry: int, outcome: Outcome) -> float:
    """Seconds to wait before retry number `retry` (1 for the first retry)."""
    if isinstance(outcome, RawResponse):
        retry_after = parse_retry_after(outcome.headers.get("retry-after"))
        if retry_after is not None:
            return min(max(retry_after, 0.0), MAX_RETRY_AFTER)
    delay = min(INITIAL_RETRY_DELAY * 2.0 ** (retry - 1), MAX_RETRY_DELAY)
    return delay * (1 - JITTER * random.random())


def parse_retry_after(value: str | None) -> float | None:
    """Retry-After in seconds: a number of seconds or an HTTP date; None when absent or bad."""
    if not value:
        return None
    try:
        seconds = float(value)
    except ValueError:
        parsed = email.utils.parsedate_tz(value)
        if parsed is None:
            return None
        seconds = email.utils.mktime_tz(parsed) - time.time()
    return seconds if math.isfinite(seconds) else None
