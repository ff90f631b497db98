"""waitFor of the built TypeScript client against `serve` on 127.0.0.1 (tests/typescript/
wait_for.mjs): jobs that complete, fail (with secrets in the reason), stay active past the
timeout, or do not exist. A Timer moves each job on in serve's in-memory store as a worker
would; if it fires before the first poll the outcome is the same, with fewer polls."""

from __future__ import annotations

import copy
import json
import threading
from pathlib import Path
from typing import Any

import requests
from ts_support import API_KEY, TESTS_DIR, run

from generator.contract import REDACTED
from generator.ir import Catalogue
from generator.server.runner import serve_in_thread

DOWNLOAD = "file-download-request"
TOKEN = "tok-SECRET-9b2e4f1a-never-shown"


def _enqueue(url: str, catalogue: Catalogue, job_id: str) -> None:
    payload: dict[str, Any] = copy.deepcopy(catalogue.message(DOWNLOAD).examples[0])
    payload["credentials"]["accessToken"] = TOKEN
    answer = requests.post(
        f"{url}/api/jobs/{DOWNLOAD}",
        json={"payload": payload, "opts": {"jobId": job_id}},
        headers={"Authorization": f"Bearer {API_KEY}"},
        timeout=30,
    )
    assert answer.status_code == 201, answer.text


def test_wait_for_resolves_throws_and_redacts(
    ts_package: Path, catalogue: Catalogue, tmp_path: Path
) -> None:
    with serve_in_thread(catalogue, api_key=API_KEY) as server:
        for job_id in ("ts-wait-done", "ts-wait-failed", "ts-wait-stuck"):
            _enqueue(server.url, catalogue, job_id)
            server.memory.activate(job_id)
        reason = f"login refused for {TOKEN} (key {API_KEY})"
        timers = [
            threading.Timer(0.5, server.memory.complete, ("ts-wait-done", {"stored": 3})),
            threading.Timer(0.5, server.memory.fail, ("ts-wait-failed", reason)),
        ]
        runs = [
            {"jobId": "ts-wait-done", "timeout": 60_000},
            {"jobId": "ts-wait-failed", "timeout": 60_000},
            {"jobId": "ts-wait-stuck", "timeout": 300},
            {"jobId": "ts-wait-unknown", "timeout": 60_000},
            {"jobId": "ts-wait-done", "timeout": 0},
        ]
        runs_file = tmp_path / "runs.json"
        runs_file.write_text(json.dumps({"url": server.url, "apiKey": API_KEY, "runs": runs}))
        for timer in timers:
            timer.start()
        proc = run(
            ["node", str(TESTS_DIR / "wait_for.mjs"), str(ts_package / "dist" / "index.js")]
            + [str(runs_file)],
            cwd=tmp_path,
        )
        for timer in timers:
            timer.join()
    done, failed, stuck, unknown, refused = json.loads(proc.stdout)
    assert done == {"resolved": {"state": "completed", "returnvalue": {"stored": 3}}}

    assert failed["error"] == "JobFailedError" and failed["isJobFailed"]
    assert failed["jobId"] == "ts-wait-failed"
    assert failed["failedReason"] == f"login refused for {REDACTED} (key {REDACTED})"
    assert failed["message"] == (
        f'job "ts-wait-failed" failed after 1 attempt: login refused for {REDACTED} '
        f"(key {REDACTED})"
    )

    assert stuck["error"] == "WaitTimeoutError" and stuck["isWaitTimeout"]
    assert (stuck["jobId"], stuck["state"], stuck["timeout"]) == ("ts-wait-stuck", "active", 300)
    assert stuck["message"] == 'job "ts-wait-stuck" is still active after 300 ms'

    assert unknown["error"] == "JobNotFoundError"
    assert refused["error"] == "WorkerClientError"
    assert refused["message"] == "timeout must be a positive number of milliseconds"
    everything = proc.stdout + proc.stderr
    assert TOKEN not in everything and API_KEY not in everything
