"""The published client existing users run, mesh-sync-worker-backend-client 4.0.9 from PyPI,
against serve: proof that the contract matches what they already send."""

from __future__ import annotations

import json
import os
import subprocess
import venv
from pathlib import Path
from typing import Any

import pytest
from serve_support import API_KEY, SCHEMAS_DIR, serve_process

from generator.schema import load_schemas

UPSTREAM = "mesh-sync-worker-backend-client==4.0.9"

# Runs inside the throwaway virtualenv: the upstream package is the only client there.
DRIVER = r"""
import json, sys
import requests
from worker_client import WorkerClient

plan = json.load(sys.stdin)
client = WorkerClient(plan["base_url"], api_key=plan["api_key"])
report = {"sent": [], "invalid": None}
for job in plan["valid"]:
    method = getattr(client, job["method"], None)
    if method is not None:
        sent = method(job["payload"])
    else:
        sent = client.send_to_queue(job["type"], job["payload"])
    status = client.get_job_status(sent.job_id)
    report["sent"].append({
        "type": job["type"], "via": "method" if method else "send_to_queue",
        "success": sent.success, "job_id": sent.job_id, "message_name": sent.message_name,
        "queue": sent.queue, "status_job_id": status.job_id, "state": status.state,
        "data": status.data, "name": status.name,
    })
try:
    client.send_to_queue(plan["invalid"]["type"], plan["invalid"]["payload"])
except requests.HTTPError as exc:
    report["invalid"] = {"status": exc.response.status_code, "body": exc.response.json()}
try:
    client.get_job_status("no-such-job")
except requests.HTTPError as exc:
    report["missing_status"] = exc.response.status_code
print(json.dumps(report))
"""


@pytest.fixture(scope="session")
def upstream_python(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A virtualenv holding only the upstream client, installed from PyPI."""
    home = tmp_path_factory.mktemp("upstream-venv")
    venv.EnvBuilder(with_pip=True).create(home)
    python = home / "bin" / "python"
    install = subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", UPSTREAM],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if install.returncode != 0:
        last = (install.stderr.strip().splitlines() or ["no output"])[-1]
        reason = f"{UPSTREAM} could not be installed from PyPI: {last}"
        if os.environ.get("CI"):
            # CI reaches PyPI: there, the only proof of upstream compatibility must not vanish.
            pytest.fail(reason)
        pytest.skip(reason)
    return python


def _plan(base_url: str) -> dict[str, Any]:
    catalogue = load_schemas(SCHEMAS_DIR)
    valid = [
        {"type": m.type, "method": m.names.snake, "payload": example}
        for m in catalogue.messages
        for example in m.examples
    ]
    target = next(m for m in catalogue.messages if any(f.required for f in m.payload.fields))
    return {
        "base_url": base_url,
        "api_key": API_KEY,
        "valid": valid,
        "invalid": {"type": target.type, "payload": {}},
    }


@pytest.mark.slow
def test_the_upstream_client_enqueues_reads_status_and_gets_422(
    upstream_python: Path, log_dir: Path
) -> None:
    if not load_schemas(SCHEMAS_DIR).messages:
        pytest.skip("schemas/ holds no message schemas yet")
    args = ["--schemas", str(SCHEMAS_DIR), "--api-key", API_KEY]
    with serve_process(*args, log_dir=log_dir) as serve:
        plan = _plan(serve.url)
        assert plan["valid"], "no message schema has an example to send"
        run = subprocess.run(
            [str(upstream_python), "-c", DRIVER],
            input=json.dumps(plan),
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        assert run.returncode == 0, run.stderr
    report = json.loads(run.stdout)

    assert len(report["sent"]) == len(plan["valid"])
    for job, sent in zip(plan["valid"], report["sent"], strict=True):
        assert sent["success"] is True
        assert sent["message_name"] == sent["queue"] == sent["name"] == job["type"]
        assert sent["status_job_id"] == sent["job_id"]
        assert sent["state"] == "waiting"
        assert sent["data"] == job["payload"]
    # The upstream's own per-message methods reach the same message types.
    assert any(s["via"] == "method" for s in report["sent"])

    invalid = report["invalid"]
    assert invalid is not None, "the invalid payload was accepted"
    assert invalid["status"] == 422
    assert invalid["body"]["statusCode"] == 422
    assert invalid["body"]["details"], invalid
    assert report["missing_status"] == 404
    assert API_KEY not in serve.log()
