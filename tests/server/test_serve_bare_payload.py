"""`serve --accept-bare-payload`: a stand-in for the backend the 4.0.x TypeScript client was
built against, which POSTs the bare payload. Envelopes still work; how the two are told
apart (generator/server/envelope.py) holds for a message type with a field named `payload`;
and the published 4.0.24 package's own README calls pass through it."""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from support.processes import ServeProcess, serve_process

from generator.schema import load_schemas

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = load_schemas(ROOT / "schemas")
OLD_TS = "@mesh-sync/worker-backend-client@4.0.24"


def example(message_type: str) -> dict[str, Any]:
    spec = next(m for m in CATALOGUE.messages if m.type == message_type)
    value: dict[str, Any] = json.loads(spec.examples_json[0])
    return value


@pytest.fixture(scope="module")
def bare_serve(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServeProcess]:
    logs = tmp_path_factory.mktemp("bare-serve")
    with serve_process("--accept-bare-payload", log_dir=logs) as server:
        yield server


def _enqueue(url: str, message_type: str, body: Any) -> httpx.Response:
    return httpx.post(f"{url}/api/jobs/{message_type}", json=body, timeout=30)


def _stored(url: str, response: httpx.Response) -> Any:
    assert response.status_code == 201, response.text
    status = httpx.get(f"{url}/api/jobs/{response.json()['jobId']}", timeout=30)
    assert status.status_code == 200, status.text
    return status.json()["data"]


def test_bare_and_enveloped_bodies_enqueue_the_same_payload(bare_serve: ServeProcess) -> None:
    payload = example("file-download-request")
    assert (
        _stored(bare_serve.url, _enqueue(bare_serve.url, "file-download-request", payload))
        == payload
    )
    wrapped = {"payload": payload, "opts": {"jobId": "bare-envelope-1", "priority": 3}}
    response = _enqueue(bare_serve.url, "file-download-request", wrapped)
    assert response.json()["jobId"] == "bare-envelope-1"
    assert _stored(bare_serve.url, response) == payload


def test_a_message_with_a_payload_field_is_read_by_its_schema(bare_serve: ServeProcess) -> None:
    # model-discovery-scan-progress-event's payload has a field named `payload`: its bare
    # body looks like an envelope, whose `payload` is no valid payload of the type.
    message_type = "model-discovery-scan-progress-event"
    payload = example(message_type)
    assert set(payload) == {"payload"}
    assert _stored(bare_serve.url, _enqueue(bare_serve.url, message_type, payload)) == payload
    enveloped = _enqueue(bare_serve.url, message_type, {"payload": payload})
    assert _stored(bare_serve.url, enveloped) == payload
    # Neither reading valid: the envelope reading's errors, as a 422.
    broken = _enqueue(bare_serve.url, message_type, {"payload": {"payload": {"status": 1}}})
    assert broken.status_code == 422, broken.text


def test_invalid_bare_payloads_get_422_and_bad_options_400(bare_serve: ServeProcess) -> None:
    bad = _enqueue(bare_serve.url, "file-download-request", {"modelId": 7})
    assert bad.status_code == 422, bad.text
    # An envelope-shaped body with options out of the contract is neither: a bare payload
    # with an `opts` key, which the message does not have.
    payload = example("file-download-request")
    repeat = _enqueue(
        bare_serve.url, "file-download-request", {"payload": payload, "opts": {"repeat": {}}}
    )
    assert repeat.status_code == 422, repeat.text


def test_without_the_flag_a_bare_body_is_refused(tmp_path: Path) -> None:
    with serve_process(log_dir=tmp_path) as server:
        response = _enqueue(server.url, "file-download-request", example("file-download-request"))
    assert response.status_code == 400, response.text
    assert "{payload, opts?}" in response.json()["message"]


@pytest.mark.slow
def test_the_published_4_0_24_client_runs_its_readme_calls(
    bare_serve: ServeProcess, tmp_path: Path
) -> None:
    """The 4.0.24 package from npm, as its README uses it: construct with
    {baseUrl, apiKey, timeout}, call a message method, read the job's status."""
    project = tmp_path / "old-client"
    project.mkdir()
    (project / "package.json").write_text(
        '{"name": "old-client", "private": true, "type": "module"}\n'
    )
    env = {
        **os.environ,
        "npm_config_cache": str(tmp_path / "npm-cache"),
        "npm_config_userconfig": os.devnull,
    }
    subprocess.run(
        ["npm", "install", "--no-audit", "--no-fund", "--silent", OLD_TS],
        cwd=project,
        env=env,
        check=True,
        capture_output=True,
        timeout=600,
    )
    payload = example("file-download-request")
    script = project / "readme.mjs"
    script.write_text(
        "import { WorkerClient } from '@mesh-sync/worker-backend-client';\n"
        f"const client = new WorkerClient({{ baseUrl: {json.dumps(bare_serve.url)}, "
        "apiKey: process.env.API_KEY, timeout: 30000 });\n"
        f"const job = await client.fileDownloadRequest({json.dumps(payload)});\n"
        "console.log(`Job created: ${job.jobId}`);\n"
        "const status = await client.getJobStatus(job.jobId);\n"
        "console.log(JSON.stringify(status));\n"
    )
    ran = subprocess.run(
        ["node", str(script)], cwd=project, capture_output=True, text=True, timeout=60
    )
    assert ran.returncode == 0, ran.stderr
    created, status_line = ran.stdout.strip().splitlines()
    assert created.startswith("Job created: ")
    status = json.loads(status_line)
    assert status["jobId"] == created.removeprefix("Job created: ")
    assert status["state"] == "waiting" and status["data"] == payload
