"""Running the app under uvicorn: on a socket bound up front (so `--port 0` works and the
real port is known before the first request), in the foreground for the CLI or in a
background thread for test suites."""

from __future__ import annotations

import logging
import socket
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import uvicorn
from starlette.applications import Starlette

from generator.ir import Catalogue
from generator.server import DEFAULT_MAX_BODY_BYTES
from generator.server.app import LOGGER_NAME, create_app
from generator.server.store import JobStore, MemoryJobStore


def bind(host: str, port: int) -> socket.socket:
    """A listening TCP socket on host:port (port 0: a free one); OSError when it cannot be."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    # `localhost` may resolve to ::1 first; clients mostly try 127.0.0.1, so IPv4 wins.
    infos.sort(key=lambda info: info[0] != socket.AF_INET)
    family, kind, proto, _, address = infos[0]
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(128)
    except OSError:
        sock.close()
        raise
    return sock


def base_url(sock: socket.socket) -> str:
    host, port = sock.getsockname()[:2]
    if ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{port}"


def configure_logging(stream: Any = None) -> logging.Logger:
    """serve's own log: one line per request on stderr. uvicorn keeps only its warnings."""
    logger = logging.getLogger(LOGGER_NAME)
    if not logger.handlers:
        handler = logging.StreamHandler(stream or sys.stderr)
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
        logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    return logger


def server_for(app: Starlette, sock: socket.socket) -> uvicorn.Server:
    config = uvicorn.Config(
        app,
        log_config=None,
        log_level="warning",
        access_log=False,
        lifespan="on",
        server_header=False,
    )
    return uvicorn.Server(config)


@dataclass
class RunningServer:
    url: str
    app: Starlette
    store: JobStore

    @property
    def memory(self) -> MemoryJobStore:
        """The store, when it is the in-memory one (its worker stand-in methods)."""
        assert isinstance(self.store, MemoryJobStore), "this server does not keep jobs in memory"
        return self.store


@contextmanager
def serve_in_thread(
    catalogue: Catalogue,
    *,
    store: JobStore | None = None,
    api_key: str | None = None,
    host: str = "127.0.0.1",
    logger: logging.Logger | None = None,
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
) -> Iterator[RunningServer]:
    """`serve` on a free port in a background thread, for test suites:

    with serve_in_thread(catalogue, api_key="k") as server:
        WorkerClient(server.url, api_key="k") ...
        server.memory.complete(job_id, {"ok": True})
    """
    started = threading.Event()  # the store is up: requests will be answered
    settled = threading.Event()  # started, or the server gave up

    def on_ready() -> None:
        started.set()
        settled.set()

    app = create_app(
        catalogue,
        store=store,
        api_key=api_key,
        logger=logger,
        on_ready=on_ready,
        max_body_bytes=max_body_bytes,
    )
    sock = bind(host, 0)
    server = server_for(app, sock)
    failure: list[BaseException] = []

    def run() -> None:
        try:
            server.run(sockets=[sock])
        except BaseException as exc:  # noqa: BLE001 - reported to the caller below
            failure.append(exc)
        finally:
            settled.set()

    thread = threading.Thread(target=run, name="worker-client-gen-serve", daemon=True)
    thread.start()
    try:
        settled.wait()
        if not started.is_set():
            reason = repr(failure[0]) if failure else "application startup failed"
            raise RuntimeError(f"serve did not start: {reason}")
        yield RunningServer(base_url(sock), app, app.state.store)
    finally:
        server.should_exit = True
        thread.join()
        sock.close()
