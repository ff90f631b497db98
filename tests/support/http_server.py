"""A worker-backend stand-in on 127.0.0.1 that records every request and fails on request.

    with JobServer() as server:
        server.script(Reply(503), Reply(429, headers={"Retry-After": "1"}))
        client = WorkerClient(server.url)
        ...
        assert [r.status for r in server.requests] == [503, 429, 201]

Without a script it keeps docs/contract.md: `POST /api/jobs/<type>` enqueues (201, or 200 when
the jobId is already known), `GET /api/jobs/<id>` answers the job or 404; every answer has an
`X-Request-Id`. Scripted replies are served first, one per request, in order: a status with a
body and headers, and a delay before answering. It does not check
payloads against their schemas (`worker-client-gen serve` does that); it is for seeing exactly
what a client sent, and for faults. Standard library only, so any test may use it.
"""

from __future__ import annotations

import json
import socket
import threading
import time
import uuid
from collections import deque
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any
from urllib.parse import unquote

JOBS_PREFIX = "/api/jobs/"


@dataclass(frozen=True)
class Reply:
    """One scripted answer. `body` None gives the contract's error body for `status`."""

    status: int = 200
    body: Any = None  # JSON-serialisable, or a str sent as it is
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds to wait before answering


@dataclass(frozen=True)
class RecordedRequest:
    method: str
    path: str  # as sent, still percent-encoded
    headers: dict[str, str]  # names lower-cased
    body: bytes
    received_at: float  # time.monotonic() once the request's headers were read
    status: int  # what was answered

    @property
    def json(self) -> Any:
        return json.loads(self.body)


def error_body(status: int, message: str) -> dict[str, Any]:
    return {"statusCode": status, "error": HTTPStatus(status).phrase, "message": message}


class JobServer:
    """A threaded HTTP server on 127.0.0.1 with a free port; use it as a context manager."""

    def __init__(self) -> None:
        self.requests: list[RecordedRequest] = []
        self.jobs: dict[str, dict[str, Any]] = {}
        self._script: deque[Reply] = deque()
        self._lock = threading.Lock()
        self._counter = 0
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._httpd.daemon_threads = True
        # A short poll interval: stop() returns as soon as the serving loop notices.
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    @property
    def url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}"

    def script(self, *replies: Reply) -> None:
        """Answer the next requests with these replies, in order, then behave again."""
        with self._lock:
            self._script.extend(replies)

    def start(self) -> JobServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join()

    def __enter__(self) -> JobServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    # ------------------------------------------------------------------ called by the handler

    def _next_scripted(self) -> Reply | None:
        with self._lock:
            return self._script.popleft() if self._script else None

    def _record(self, request: RecordedRequest) -> None:
        with self._lock:
            self.requests.append(request)

    def _request_id(self) -> str:
        with self._lock:
            self._counter += 1
            return f"req-{self._counter}"

    def _behave(self, method: str, path: str, body: bytes) -> Reply:
        """The contract's answer to a request."""
        if not path.startswith(JOBS_PREFIX) or "/" in path[len(JOBS_PREFIX) :]:
            return Reply(404, error_body(404, "no such route"))
        key = unquote(path[len(JOBS_PREFIX) :])
        if method == "GET":
            with self._lock:
                job = self.jobs.get(key)
            if job is None:
                return Reply(404, error_body(404, f"no job {key!r}"))
            return Reply(200, job)
        try:
            envelope = json.loads(body)
            payload = envelope["payload"]
            opts = envelope.get("opts") or {}
        except (ValueError, KeyError, TypeError):
            return Reply(400, error_body(400, "the body must be {payload, opts?}"))
        job_id = str(opts.get("jobId") or uuid.uuid4())
        with self._lock:
            created = job_id not in self.jobs
            if created:
                self.jobs[job_id] = {
                    "jobId": job_id,
                    "name": key,
                    "queue": key,
                    "state": "waiting",
                    "data": payload,
                    "returnvalue": None,
                    "progress": None,
                    "timestamp": int(time.time() * 1000),
                }
        answer = {"success": True, "jobId": job_id, "messageName": key, "queue": key}
        return Reply(201 if created else 200, answer)


def _handler_for(server: JobServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, as real servers do
        disable_nagle_algorithm = True  # headers and body go out in separate writes

        def do_GET(self) -> None:
            self._handle()

        def do_POST(self) -> None:
            self._handle()

        def _handle(self) -> None:
            received = time.monotonic()
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            headers = {k.lower(): v for k, v in self.headers.items()}
            reply = server._next_scripted()
            if reply is None:
                reply = server._behave(self.command, self.path, body)
            server._record(
                RecordedRequest(
                    self.command,
                    self.path,
                    headers,
                    body,
                    received,
                    reply.status,
                )
            )
            if reply.delay:
                time.sleep(reply.delay)
            self._answer(reply)

        def _answer(self, reply: Reply) -> None:
            body = reply.body
            if body is None:
                body = error_body(reply.status, HTTPStatus(reply.status).phrase.lower())
            if isinstance(body, str):
                data = body.encode("utf-8")
                content_type = "text/plain; charset=utf-8"
            else:
                data, content_type = json.dumps(body).encode("utf-8"), "application/json"
            try:
                self.send_response(reply.status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(data)))
                self.send_header("X-Request-Id", server._request_id())
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up first (a timeout test)

        def log_message(self, format: str, *args: Any) -> None:
            pass  # tests read server.requests instead

    return Handler


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on once this returns (not reserved)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


def refused_url() -> str:
    """A base URL on 127.0.0.1 where nothing listens: connecting is refused at once."""
    return f"http://127.0.0.1:{free_port()}"
