"""Processes the tests start: a throwaway redis-server, and `worker-client-gen serve` as a
real process (its URL read from its first line of output)."""

from __future__ import annotations

import os
import selectors
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import pytest

from support.http_server import free_port

REDIS_SERVER = shutil.which("redis-server")
# Waits below bound how long a broken server may hang a test; they never judge speed.
STARTUP_LIMIT = 60.0


def _read_line(stream: IO[str], deadline: float) -> str:
    selector = selectors.DefaultSelector()
    selector.register(stream, selectors.EVENT_READ)
    try:
        while time.monotonic() < deadline:
            if selector.select(timeout=0.2):
                return stream.readline()
        return ""
    finally:
        selector.close()


@dataclass
class ServeProcess:
    proc: subprocess.Popen[str]
    url: str
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8")

    def stop(self) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=STARTUP_LIMIT)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        return self.proc.returncode


@contextmanager
def serve_process(
    *args: str, log_dir: Path, env: dict[str, str] | None = None
) -> Iterator[ServeProcess]:
    """`worker-client-gen serve --port 0 ARGS` until the block ends; its URL read from stdout."""
    log_path = log_dir / f"serve-{time.monotonic_ns()}.log"
    with open(log_path, "w", encoding="utf-8") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "generator", "serve", "--port", "0", *args],
            stdout=subprocess.PIPE,
            stderr=log,
            text=True,
            env={**os.environ, **(env or {})},
        )
    assert proc.stdout is not None
    line = _read_line(proc.stdout, time.monotonic() + STARTUP_LIMIT)
    server = ServeProcess(proc, "", log_path)
    try:
        if "listening on " not in line:
            server.stop()
            raise RuntimeError(f"serve did not start: {line!r}\n{server.log()}")
        server.url = line.split("listening on ", 1)[1].split()[0]
        yield server
    finally:
        server.stop()
        proc.stdout.close()


def require_redis_server() -> None:
    """Skip without a redis-server binary; fail instead under CI, which installs one, so that
    the BullMQ proof cannot vanish there."""
    if REDIS_SERVER is None:
        reason = "no redis-server binary on PATH (.ci/run installs the Debian package)"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)


@contextmanager
def redis_server(log_dir: Path) -> Iterator[str]:
    """A throwaway redis-server on a free port: no persistence, loopback only.

    free_port() only finds a port that was free: another process (a parallel test worker)
    may bind it before redis-server does, which then exits; it is started again on another."""
    assert REDIS_SERVER is not None
    for _ in range(5):
        port = free_port()
        proc = subprocess.Popen(
            [REDIS_SERVER, "--port", str(port), "--bind", "127.0.0.1"]
            + ["--save", "", "--appendonly", "no", "--dir", str(log_dir)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            if _answers_ping(proc, port):
                yield f"redis://127.0.0.1:{port}"
                return
        finally:
            proc.terminate()
            proc.wait()
    raise RuntimeError("redis-server did not start on any of 5 free ports")


def _answers_ping(proc: subprocess.Popen[bytes], port: int) -> bool:
    """Whether the redis-server proc answers on port (False once it exited)."""
    deadline = time.monotonic() + STARTUP_LIMIT
    while proc.poll() is None:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as sock:
                # Ours, not a server another process started on the port: its process id.
                sock.sendall(b"INFO server\r\n")
                answer = b""
                while b"process_id:" not in answer or not answer.endswith(b"\r\n"):
                    chunk = sock.recv(4096)
                    if not chunk:
                        break
                    answer += chunk
                if f"process_id:{proc.pid}\r\n".encode() in answer:
                    return True
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"redis-server did not answer on port {port}")
        time.sleep(0.05)
    return False
