"""A scripted worker-backend on 127.0.0.1 for the conformance cases: every request recorded,
every answer taken from the case, faults included (a dropped connection, a slow drip, a
redirect to another origin, a huge body). Standard library only."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections import deque
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass(frozen=True)
class Seen:
    method: str
    path: str
    headers: dict[str, str]  # names lower-cased
    body: bytes

    @property
    def opts(self) -> dict[str, Any]:
        opts: dict[str, Any] = json.loads(self.body).get("opts") or {}
        return opts


class FaultServer:
    """Answers with the case's replies in order, then as the contract says (201 / 200)."""

    def __init__(self, replies: list[dict[str, Any]], other: FaultServer | None = None) -> None:
        self.seen: list[Seen] = []
        self._replies = deque(replies)
        self._other = other  # where a scripted redirect points
        self._lock = threading.Lock()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    @property
    def url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}"

    def __enter__(self) -> FaultServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join()

    def _next(self) -> dict[str, Any] | None:
        with self._lock:
            return self._replies.popleft() if self._replies else None

    def _record(self, seen: Seen) -> None:
        with self._lock:
            self.seen.append(seen)

    def _default(self, seen: Seen) -> dict[str, Any]:
        key = seen.path.rsplit("/", 1)[-1]
        if seen.method == "GET":
            return {"status": 200, "body": _job(key, key)}
        job_id = seen.opts.get("jobId", "server-made")
        return {
            "status": 201,
            "body": {"success": True, "jobId": job_id, "messageName": key, "queue": key},
        }


def _job(job_id: str, name: str) -> dict[str, Any]:
    return {
        "jobId": job_id,
        "name": name,
        "queue": name,
        "state": "waiting",
        "data": {},
        "returnvalue": None,
        "progress": 0,
        "timestamp": 1732492800000,
        "attemptsMade": 0,
        "processedOn": None,
        "finishedOn": None,
        "failedReason": None,
    }


def _body(reply: dict[str, Any], seen: Seen) -> bytes:
    body = reply.get("body")
    if body == "echo":
        # What a careless server does: quote the request (headers and body) in its error.
        echoed = json.dumps({k: v for k, v in seen.headers.items()}) + seen.body.decode()
        body = {"statusCode": reply["status"], "error": "Echo", "message": echoed}
    elif isinstance(body, dict) and "repeat" in body:
        return str(body["repeat"]).encode() * int(body["times"])
    elif isinstance(body, dict) and "job" in body:
        # A job status: the default job, with the fields the case gives.
        key = seen.path.rsplit("/", 1)[-1]
        body = {**_job(key, key), **body["job"]}
    elif isinstance(body, dict) and "message_repeat" in body:
        said = str(body["message_repeat"]) * int(body["times"])
        body = {"statusCode": reply["status"], "error": "Scripted", "message": said}
    if body is None:
        body = {"statusCode": reply["status"], "error": "Scripted", "message": "scripted"}
    if isinstance(body, str):
        return body.encode()
    return json.dumps(body).encode()


def _handler(server: FaultServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            self._handle()

        def do_POST(self) -> None:
            self._handle()

        def _handle(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            seen = Seen(
                self.command,
                self.path,
                {k.lower(): v for k, v in self.headers.items()},
                self.rfile.read(length) if length else b"",
            )
            server._record(seen)
            reply = server._next() or server._default(seen)
            try:
                self._answer(reply, seen)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up first (a deadline)

        def _answer(self, reply: dict[str, Any], seen: Seen) -> None:
            if reply.get("drop"):
                self.close_connection = True
                self.connection.shutdown(socket.SHUT_RDWR)
                return
            time.sleep(float(reply.get("delay", 0)))
            data = _body(reply, seen)
            self.send_response(int(reply["status"]))
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.send_header("X-Request-Id", f"req-{len(server.seen)}")
            if "redirect" in reply and server._other is not None:
                self.send_header("Location", server._other.url + seen.path)
            for name, value in reply.get("headers", {}).items():
                self.send_header(name, value)
            self.end_headers()
            drip = float(reply.get("drip", 0))
            if drip:
                for i in range(len(data)):
                    self.wfile.write(data[i : i + 1])
                    self.wfile.flush()
                    time.sleep(drip)
            else:
                self.wfile.write(data)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler
