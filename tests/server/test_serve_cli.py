"""`worker-client-gen serve` as a user runs it: a real process, its stdout, log and exit code."""

from __future__ import annotations

import socket
import subprocess
from pathlib import Path

import pytest
import requests
from serve_support import API_KEY, SECRET_VALUE, SERVE_FIXTURE, serve_process
from support import free_port, run_cli

from generator.contract import REDACTED


def run_serve(*args: str) -> subprocess.CompletedProcess[str]:
    """`serve ARGS` expected to exit by itself; the timeout stops one that serves instead."""
    return run_cli("serve", *args, timeout=120)


def test_serve_announces_its_url_answers_and_stops_cleanly(log_dir: Path) -> None:
    with serve_process("--schemas", str(SERVE_FIXTURE), log_dir=log_dir) as serve:
        answer = requests.post(
            f"{serve.url}/api/jobs/file-download-request",
            json={
                "payload": {"modelId": "m", "storageLocation": {"bucket": "b", "provider": "s3"}}
            },
            timeout=30,
        )
        assert answer.status_code == 201
        assert serve.stop() == 0
    log = serve.log()
    assert "POST /api/jobs/file-download-request 201 " in log
    assert "Traceback" not in log


@pytest.mark.parametrize("via", ["option", "environment"])
def test_the_api_key_is_enforced_and_never_printed(log_dir: Path, via: str) -> None:
    args = ["--schemas", str(SERVE_FIXTURE)]
    env = {}
    if via == "option":
        args += ["--api-key", API_KEY]
    else:
        env["WORKER_BACKEND_API_KEY"] = API_KEY
    with serve_process(*args, log_dir=log_dir, env=env) as serve:
        body = {
            "payload": {
                "modelId": "m",
                "storageLocation": {"bucket": "b", "provider": "s3"},
                "credentials": {"secretAccessKey": SECRET_VALUE},
            }
        }
        url = f"{serve.url}/api/jobs/file-download-request"
        assert requests.post(url, json=body, timeout=30).status_code == 401
        wrong = {"Authorization": f"Bearer {API_KEY}x"}
        assert requests.post(url, json=body, headers=wrong, timeout=30).status_code == 401
        right = {"Authorization": f"Bearer {API_KEY}"}
        assert requests.post(url, json=body, headers=right, timeout=30).status_code == 201
        serve.stop()
    log = serve.log()
    assert log.count("POST /api/jobs/file-download-request 401 ") == 2
    assert API_KEY not in log and SECRET_VALUE not in log


def test_a_port_in_use_is_a_clear_error() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        result = run_serve("--schemas", str(SERVE_FIXTURE), "--port", str(port))
    assert result.returncode == 2
    assert f"error: cannot listen on 127.0.0.1:{port}" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_unreachable_redis_is_a_clear_error_without_the_password() -> None:
    url = f"redis://:{SECRET_VALUE}@127.0.0.1:{free_port()}/0"
    result = run_serve("--schemas", str(SERVE_FIXTURE), "--port", "0", "--redis", url)
    assert result.returncode == 2
    assert f"error: cannot reach Redis at redis://:{REDACTED}@127.0.0.1:" in result.stderr
    assert SECRET_VALUE not in result.stderr + result.stdout
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--schemas", "does/not/exist"], "schema folder does not exist"),
        (["--schemas", str(SERVE_FIXTURE), "--port", "70000"], "70000"),
        (["--schemas", str(SERVE_FIXTURE), "--api-key", " "], "--api-key"),
        (["--schemas", str(SERVE_FIXTURE), "--redis", "not a url"], "--redis"),
        (["--schemas", str(SERVE_FIXTURE), "--host", "no.such.host.invalid"], "cannot listen"),
    ],
)
def test_bad_input_exits_2_without_traceback(args: list[str], expected: str) -> None:
    result = run_serve(*args)
    assert result.returncode == 2, result
    assert expected in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_help_lists_the_options() -> None:
    result = run_serve("--help")
    assert result.returncode == 0
    for option in ("--host", "--port", "--api-key", "--redis", "--schemas"):
        assert option in result.stdout
