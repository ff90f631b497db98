"""The worker-backend stand-in as a Starlette app: `create_app(catalogue, ...)`.

It enforces docs/contract.md exactly as generated/openapi.yaml describes it: every request
body is checked against the same schema objects the document is built from.
"""

from __future__ import annotations

import hmac
import json
import logging
import re
import time
import traceback
import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from http import HTTPStatus
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from generator import contract
from generator.ir import Catalogue
from generator.server import DEFAULT_MAX_BODY_BYTES
from generator.server.envelope import ENVELOPE_KEYS, read_enqueue
from generator.server.store import (
    JobConflict,
    JobRejected,
    JobStore,
    MemoryJobStore,
    StoreUnavailable,
)
from generator.server.validation import Detail, Validators

LOGGER_NAME = "worker_client_gen.serve"
# The contract's header, as ASGI spells header names: lower-case bytes.
REQUEST_ID_HEADER = contract.REQUEST_ID_HEADER.lower().encode("ascii")
# A caller's request id is reused when it is this tame; anything else gets a fresh one.
_REQUEST_ID_RE = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
_LOGGED_PATH_MAX = 200
# Deeper JSON is refused before anything walks it: validation, BullMQ's copy and the status
# answer all recurse, and Python's stack ends near 1,000 levels.
MAX_BODY_DEPTH = 100


class ApiError(Exception):
    """An answer other than 2xx, rendered as the contract's error body."""

    def __init__(
        self,
        status: int,
        message: str,
        details: list[Detail] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.details = details
        self.headers = headers or {}


def error_body(status: int, message: str, details: list[Detail] | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {
        "statusCode": status,
        "error": HTTPStatus(status).phrase,
        "message": message,
    }
    if details is not None:
        body["details"] = [d.to_json() for d in details]
    return body


def _error_response(error: ApiError) -> JSONResponse:
    return JSONResponse(
        error_body(error.status, error.message, error.details),
        status_code=error.status,
        headers=error.headers,
    )


class _Jobs:
    """The job routes of the contract."""

    def __init__(
        self,
        validators: Validators,
        store: JobStore,
        api_key: str | None,
        max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
        bare_payloads: frozenset[str] | None = None,
    ) -> None:
        self.validators = validators
        self.store = store
        self._key = api_key.encode() if api_key else None
        self.max_body_bytes = max_body_bytes
        # None: every body is an envelope. Else bare payloads are taken too, and these are
        # the message types whose payload declares a `payload` or `opts` field (envelope.py).
        self.bare_payloads = bare_payloads

    def authorize(self, request: Request) -> None:
        if self._key is None:
            return
        header = request.headers.get("authorization", "")
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise ApiError(401, "missing api key", headers={"WWW-Authenticate": "Bearer"})
        if not hmac.compare_digest(token.strip().encode(), self._key):
            raise ApiError(401, "invalid api key", headers={"WWW-Authenticate": "Bearer"})

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        # An ASGI app rather than a function endpoint, so that the route takes every method
        # and 405 answers can say what the document allows.
        response = await self.endpoint(Request(scope, receive))
        await response(scope, receive, send)

    async def endpoint(self, request: Request) -> Response:
        key = request.path_params["key"]
        if request.method not in ("GET", "HEAD", "POST"):
            # The document's view of the path: a message type's path takes POST (enqueue),
            # any other `/api/jobs/{jobId}` takes GET (status).
            allow = "POST" if self.validators.has(key) else "GET"
            raise ApiError(405, "method not allowed", headers={"Allow": allow})
        self.authorize(request)
        if request.method == "POST":
            return await self.enqueue(request, key)
        return await self.status(key)

    async def enqueue(self, request: Request, message_type: str) -> Response:
        if not self.validators.has(message_type):
            raise ApiError(404, f"unknown message type {_short(message_type)}")
        body = _parse_json(await self.read_body(request))
        bare = self.bare_payloads
        try:
            ambiguous = bare is not None and message_type in bare
            read = read_enqueue(body, message_type, self.validators, bare is not None, ambiguous)
        except RecursionError:
            raise ApiError(400, "the request body is nested too deeply") from None
        if read.envelope_problems:
            raise ApiError(
                400, "the body must be {payload, opts?} with valid opts", read.envelope_problems
            )
        if read.payload_problems:
            title = self.validators.titles[message_type]
            raise ApiError(422, f"payload does not match {title}", read.payload_problems)
        payload, opts = read.payload, read.opts
        opts.setdefault("jobId", str(uuid.uuid4()))
        try:
            outcome = await self.store.add(message_type, payload, opts)
        except JobConflict as exc:
            raise ApiError(409, str(exc)) from None
        except JobRejected as exc:
            raise ApiError(exc.status, str(exc)) from None
        except StoreUnavailable as exc:
            raise ApiError(503, str(exc)) from None
        job = outcome.job
        return JSONResponse(
            {"success": True, "jobId": job.job_id, "messageName": job.name, "queue": job.queue},
            status_code=201 if outcome.created else 200,
        )

    async def read_body(self, request: Request) -> bytes:
        """The body, or 413 as soon as it is known to be larger than the limit."""
        limit = self.max_body_bytes
        declared = request.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            raise _too_large(limit)
        chunks: list[bytes] = []
        size = 0
        async for chunk in request.stream():
            size += len(chunk)
            if size > limit:
                raise _too_large(limit)
            chunks.append(chunk)
        return b"".join(chunks)

    async def status(self, job_id: str) -> Response:
        try:
            job = await self.store.get(job_id)
        except StoreUnavailable as exc:
            raise ApiError(503, str(exc)) from None
        if job is None:
            raise ApiError(404, f"no job {_short(job_id)}")
        return JSONResponse(job.status_json())


class _Queues:
    """GET /queues: the job counts of every queue (one per message type), by queue name."""

    def __init__(self, jobs: _Jobs, queues: list[str]) -> None:
        self.jobs = jobs
        self.queues = sorted(queues)

    async def endpoint(self, request: Request) -> Response:
        self.jobs.authorize(request)
        try:
            counts = await self.jobs.store.counts(self.queues)
        except StoreUnavailable as exc:
            raise ApiError(503, str(exc)) from None
        return JSONResponse({"queues": [{"queue": q, **counts[q]} for q in self.queues]})


def _too_large(limit: int) -> ApiError:
    return ApiError(413, f"the request body is larger than {limit:,} bytes")


def _short(text: str) -> str:
    shown = text if len(text) <= 80 else text[:77] + "..."
    return repr(shown)


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _parse_json(raw: bytes) -> Any:
    if _nesting(raw) > MAX_BODY_DEPTH:
        raise ApiError(400, f"the request body is nested more than {MAX_BODY_DEPTH} levels deep")
    try:
        return json.loads(raw.decode("utf-8"), parse_constant=_reject_constant)
    except (UnicodeDecodeError, ValueError):
        raise ApiError(400, "the request body is not valid JSON") from None
    except RecursionError:
        raise ApiError(400, "the request body is nested too deeply") from None


_BRACKETS = re.compile(rb'[\[\]{}]|"(?:[^"\\]|\\.)*"')


def _nesting(raw: bytes) -> int:
    """How deep the brackets of a JSON text go, strings skipped; no recursion, no parse."""
    depth = deepest = 0
    for match in _BRACKETS.finditer(raw):
        token = match.group()
        if token in (b"[", b"{"):
            depth += 1
            deepest = max(deepest, depth)
        elif token in (b"]", b"}"):
            depth -= 1
    return deepest


def _index(catalogue: Catalogue, api_key: bool) -> Callable[[Request], Any]:
    body = {
        "service": "worker-client-gen serve: a local stand-in for the worker-backend job API",
        "routes": [
            {"method": "POST", "path": "/api/jobs/{messageType}", "does": "enqueue a job"},
            {"method": "GET", "path": "/api/jobs/{jobId}", "does": "a job's status"},
            {"method": "GET", "path": "/queues", "does": "job counts of every queue by state"},
        ],
        "messageTypes": [m.type for m in catalogue.messages],
        "authentication": "Authorization: Bearer <api key>" if api_key else "none",
        "docs": "docs/contract.md and generated/openapi.yaml in the worker-client-gen "
        "repository describe every request and answer",
    }

    async def index(request: Request) -> Response:
        return JSONResponse(body)

    return index


async def _http_exception(request: Request, exc: Exception) -> Response:
    # Routing answers (unknown path: 404, wrong method: 405) in the contract's error shape.
    assert isinstance(exc, HTTPException)
    status = exc.status_code
    message = (
        "no such route (GET / lists the routes)"
        if status == 404
        else HTTPStatus(status).phrase.lower()
    )
    return _error_response(ApiError(status, message, headers=dict(exc.headers or {})))


async def _api_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ApiError)
    return _error_response(exc)


class RequestContext:
    """Outermost layer: a request id on every response, one log line per request, and a
    contract-shaped 500 for anything unexpected (logged without its message, which could
    hold request data)."""

    def __init__(self, app: ASGIApp, logger: logging.Logger) -> None:
        self.app = app
        self.logger = logger

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        request_id = _request_id(scope)
        status = 500
        response_started = False
        logged = False

        def log_once(outcome: str | None = None) -> None:
            """The request's one line: its status, or `outcome` when it has none."""
            nonlocal logged
            if logged:
                return
            logged = True
            elapsed = (time.perf_counter() - started) * 1000
            self.logger.info(
                "%s %s %s %.1fms request_id=%s",
                scope.get("method", "-"),
                _loggable_path(scope),
                outcome or str(status),
                elapsed,
                request_id,
            )

        async def send_with_id(message: Message) -> None:
            nonlocal status, response_started
            if message["type"] == "http.response.start":
                response_started = True
                status = message["status"]
                headers = [
                    (k, v) for k, v in message.get("headers", []) if k.lower() != REQUEST_ID_HEADER
                ]
                headers.append((REQUEST_ID_HEADER, request_id.encode("ascii")))
                message = dict(message, headers=headers)
            elif message["type"] == "http.response.body" and not message.get("more_body"):
                # Logged before the last bytes leave: a client that has its answer can
                # already read the line.
                log_once()
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        except ClientDisconnect:
            # Nobody is left to answer: one line, no traceback, no response.
            log_once("client went away before the request was read")
        except Exception as exc:
            frames = "".join(traceback.format_tb(exc.__traceback__))
            self.logger.error(
                "request %s failed with %s\n%s", request_id, type(exc).__name__, frames
            )
            if response_started:
                raise
            response = _error_response(ApiError(500, "internal server error"))
            await response(scope, receive, send_with_id)
        finally:
            log_once()  # a response that never finished is logged too


def _request_id(scope: Scope) -> str:
    for name, value in scope.get("headers", []):
        if name.lower() == REQUEST_ID_HEADER:
            text = str(value.decode("latin-1"))
            if _REQUEST_ID_RE.match(text):
                return text
    return str(uuid.uuid4())


def _loggable_path(scope: Scope) -> str:
    # The raw (still percent-encoded) path: a decoded one could carry a newline into the log.
    raw = scope.get("raw_path") or scope.get("path", "").encode("utf-8", "backslashreplace")
    text = str(raw.decode("ascii", "backslashreplace"))
    return text if len(text) <= _LOGGED_PATH_MAX else text[: _LOGGED_PATH_MAX - 3] + "..."


def create_app(
    catalogue: Catalogue,
    store: JobStore | None = None,
    api_key: str | None = None,
    logger: logging.Logger | None = None,
    on_ready: Callable[[], None] | None = None,
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
    accept_bare_payload: bool = False,
) -> Starlette:
    """The app. `store` defaults to a fresh MemoryJobStore; it is started and closed with the
    app's lifespan, and `app.state.store` gives tests the store back. A request body larger
    than max_body_bytes is answered 413 without being read further. accept_bare_payload:
    an enqueue may also send the bare payload, as the 4.0.x TypeScript client does
    (generator.server.envelope says how the two are told apart)."""
    job_store: JobStore = store if store is not None else MemoryJobStore()
    bare = None
    if accept_bare_payload:
        bare = frozenset(
            m.type for m in catalogue.messages if {f.name for f in m.payload.fields} & ENVELOPE_KEYS
        )
    jobs = _Jobs(Validators(catalogue), job_store, api_key or None, max_body_bytes, bare)
    log = logger or logging.getLogger(LOGGER_NAME)
    queues = _Queues(jobs, [m.type for m in catalogue.messages])

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        await job_store.start()
        if on_ready is not None:
            on_ready()
        try:
            yield
        finally:
            await job_store.close()

    app = Starlette(
        routes=[
            Route("/", _index(catalogue, bool(api_key)), methods=["GET", "HEAD"]),
            Route("/api/jobs/{key}", jobs),
            Route("/queues", queues.endpoint, methods=["GET", "HEAD"]),
        ],
        middleware=[Middleware(RequestContext, logger=log)],
        exception_handlers={HTTPException: _http_exception, ApiError: _api_error},
        lifespan=lifespan,
    )
    app.state.store = job_store
    app.state.catalogue = catalogue
    return app
