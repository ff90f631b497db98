"""serve --redis keeps what it accepted: with Redis run as the README says, SIGKILLing it
under load loses no job that was answered 201; with weaker settings serve says so at start."""

from __future__ import annotations

import socket
import subprocess
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import requests
from serve_support import (
    DOWNLOAD,
    REDIS_SERVER,
    SERVE_FIXTURE,
    STARTUP_LIMIT,
    download_payload,
    require_redis_server,
    serve_process,
)
from support import free_port

from generator.server.store import DURABLE_REDIS, persistence_warnings

LOADERS = 4
# Jobs accepted before the kill; the bound on the wait only stops a broken run.
ACCEPTED_BEFORE_KILL = 150


def _start_redis(port: int, data_dir: Path, *settings: str) -> subprocess.Popen[bytes]:
    assert REDIS_SERVER is not None
    proc = subprocess.Popen(
        [REDIS_SERVER, "--port", str(port), "--bind", "127.0.0.1", "--dir", str(data_dir)]
        + list(settings),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + STARTUP_LIMIT
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as sock:
                sock.sendall(b"PING\r\n")
                if sock.recv(64).startswith(b"+PONG"):  # not -LOADING: the data is back
                    return proc
        except OSError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            raise RuntimeError(f"redis-server did not start on port {port}")
        time.sleep(0.05)


@contextmanager
def redis_with(data_dir: Path, *settings: str) -> Iterator[tuple[int, list[Any]]]:
    """A redis-server with these settings; the list holds its current process (tests may
    kill and replace it); whatever runs at the end is stopped."""
    port = free_port()
    procs = [_start_redis(port, data_dir, *settings)]
    try:
        yield port, procs
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.terminate()
                proc.wait()


def test_no_accepted_job_is_lost_when_durable_redis_is_killed(tmp_path: Path) -> None:
    require_redis_server()
    settings = DURABLE_REDIS.split() + ["--save", ""]
    with redis_with(tmp_path, *settings) as (port, procs):
        url = f"redis://127.0.0.1:{port}"
        args = ["--schemas", str(SERVE_FIXTURE), "--redis", url, "--prefix", "durable"]
        with serve_process(*args, log_dir=tmp_path) as serve:
            assert "warning" not in serve.log()
            accepted: list[str] = []
            lock = threading.Lock()
            stop = threading.Event()

            def load() -> None:
                session = requests.Session()
                while not stop.is_set():
                    job_id = f"job-{uuid.uuid4().hex}"
                    try:
                        response = session.post(
                            f"{serve.url}/api/jobs/{DOWNLOAD}",
                            json={"payload": download_payload(), "opts": {"jobId": job_id}},
                            timeout=30,
                        )
                    except requests.RequestException:
                        continue
                    if response.status_code == 201:
                        with lock:
                            accepted.append(job_id)

            threads = [threading.Thread(target=load, daemon=True) for _ in range(LOADERS)]
            for thread in threads:
                thread.start()
            try:
                deadline = time.monotonic() + STARTUP_LIMIT
                while len(accepted) < ACCEPTED_BEFORE_KILL and time.monotonic() < deadline:
                    time.sleep(0.02)
                procs[0].kill()  # SIGKILL, in the middle of the load
                procs[0].wait()
                killed_at = len(accepted)
                time.sleep(0.5)  # the load keeps coming while Redis is gone
                procs.append(_start_redis(port, tmp_path, *settings))
                time.sleep(0.5)  # and while it comes back
            finally:
                stop.set()
                for thread in threads:
                    thread.join()

            assert killed_at >= ACCEPTED_BEFORE_KILL
            lost = []
            for job_id in accepted:
                answer = requests.get(f"{serve.url}/api/jobs/{job_id}", timeout=30)
                if answer.status_code != 200:
                    lost.append((job_id, answer.status_code))
            assert not lost, f"{len(lost)} of {len(accepted)} accepted jobs lost: {lost[:5]}"
            assert "Traceback" not in serve.log()


def test_serve_warns_when_redis_keeps_nothing(tmp_path: Path) -> None:
    require_redis_server()
    with redis_with(tmp_path, "--save", "", "--appendonly", "no") as (port, _):
        args = ["--schemas", str(SERVE_FIXTURE), "--redis", f"redis://127.0.0.1:{port}"]
        with serve_process(*args, log_dir=tmp_path) as serve:
            log = serve.log()
    assert "warning: Redis keeps nothing on disk" in log
    assert DURABLE_REDIS in log


def test_serve_warns_when_redis_syncs_once_a_second(tmp_path: Path) -> None:
    require_redis_server()
    settings = ("--appendonly", "yes", "--appendfsync", "everysec")
    with redis_with(tmp_path, *settings) as (port, _):
        args = ["--schemas", str(SERVE_FIXTURE), "--redis", f"redis://127.0.0.1:{port}"]
        with serve_process(*args, log_dir=tmp_path) as serve:
            log = serve.log()
    assert "appendfsync everysec" in log


@pytest.mark.parametrize(
    ("config", "fragment"),
    [
        ({"appendonly": "no", "appendfsync": "always", "save": ""}, "keeps nothing"),
        (
            {"appendonly": "no", "appendfsync": "everysec", "save": "3600 1"},
            "only writes snapshots",
        ),
        ({"appendonly": "yes", "appendfsync": "everysec", "save": ""}, "once a second"),
        ({"appendonly": "yes", "appendfsync": "no", "save": ""}, "leaves syncing"),
    ],
)
def test_weak_persistence_is_named(config: dict[str, str], fragment: str) -> None:
    (warning,) = persistence_warnings(config)
    assert fragment in warning
    assert DURABLE_REDIS in warning


def test_durable_persistence_has_no_warning() -> None:
    config = {"appendonly": "yes", "appendfsync": "always", "save": "3600 1"}
    assert persistence_warnings(config) == []


def test_serve_warns_when_it_cannot_read_the_settings(tmp_path: Path) -> None:
    """Managed Redis services often forbid CONFIG; serve cannot tell, and says so."""
    require_redis_server()
    with redis_with(tmp_path, "--rename-command", "CONFIG", "") as (port, _):
        args = ["--schemas", str(SERVE_FIXTURE), "--redis", f"redis://127.0.0.1:{port}"]
        with serve_process(*args, log_dir=tmp_path) as serve:
            assert requests.get(f"{serve.url}/", timeout=30).status_code == 200
            log = serve.log()
    assert "warning: cannot read Redis's persistence settings" in log
    assert DURABLE_REDIS in log
