"""A handler that fails quoting secrets leaves none in Redis: the failedReason and the
stacktrace BullMQ stores, and what get_job_status returns, carry the redaction marker, in
both languages' QueueWorker, on a real redis-server. Every key of the test's Redis is read
back and searched for the secret values."""

from __future__ import annotations

import asyncio
import copy
from pathlib import Path
from typing import Any

import pytest
from support.processes import ServeProcess
from workers_support import wait_until, worker_process

from generator.contract import REDACTED
from generator.ir import Catalogue

API_KEY = "worker-api-key-5d1e0c77"  # what the worker's client sends; serve takes no key
JOB_ID = "fails-with-secrets"


async def _every_stored_byte(redis_url: str) -> bytes:
    """Everything this redis-server holds: every key, and every value of every type, but the
    `data` field of a job's hash: that is the payload itself, which the job must carry."""
    import redis.asyncio as redis

    client = redis.from_url(redis_url)
    found: list[bytes] = []
    try:
        async for key in client.scan_iter(count=500):
            found.append(key)
            kind = (await client.type(key)).decode()
            if kind == "string":
                found.append(await client.get(key) or b"")
            elif kind == "hash":
                for field, value in (await client.hgetall(key)).items():
                    if not (field == b"data" and key.endswith(b":" + JOB_ID.encode())):
                        found += [field, value]
            elif kind == "list":
                found += await client.lrange(key, 0, -1)
            elif kind == "set":
                found += list(await client.smembers(key))
            elif kind == "zset":
                found += await client.zrange(key, 0, -1)
            elif kind == "stream":
                for _, fields in await client.xrange(key):
                    for field, value in fields.items():
                        found += [field, value]
    finally:
        await client.aclose()
    return b"\n".join(found)


@pytest.mark.parametrize("worker", ["python", "node"])
def test_a_failing_handler_leaves_no_secret_in_redis(
    worker: str,
    catalogue: Catalogue,
    ts_package: Path,
    redis_url: str,
    prefix: str,
    backend: ServeProcess,
    client: Any,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("WORKER_BACKEND_API_KEY", API_KEY)  # the worker's client reads it
    spec = next(m for m in catalogue.messages if m.type == "file-download-request")
    payload = copy.deepcopy(spec.examples[0])
    token = f"{worker}-access-token-8c2f"
    payload["credentials"]["accessToken"] = token  # a secret field (credential name)
    secrets = [token, API_KEY]
    message = f"storage refused token {token} (sent with key {API_KEY}); token={token}!"
    plan = {
        "record": str(tmp_path / "record.txt"),
        "jobs": {JOB_ID: {"mode": "throw", "message": message}},
    }
    client.send_to_queue(spec.type, payload, {"jobId": JOB_ID, "attempts": 1})
    with worker_process(
        worker,
        types=[spec.type],
        plan=plan,
        redis_url=redis_url,
        prefix=prefix,
        backend_url=backend.url,
        folder=tmp_path,
    ) as running:
        status = wait_until(
            "the job to fail",
            lambda: (s := client.get_job_status(JOB_ID)).state == "failed" and s,
        )
        running.sigterm()
        assert running.wait() == 0, running.log()

    # The reason says what failed, with the marker where each secret was.
    reason = status.failed_reason or ""
    assert reason.count(REDACTED) == 3, reason
    assert "storage refused token" in reason
    stored = asyncio.run(_every_stored_byte(redis_url))
    assert JOB_ID.encode() in stored  # the job is there to search ...
    assert b"storage refused token" in stored  # ... with its reason and stack
    for secret in secrets:
        assert secret.encode() not in stored, worker
    assert status.data["credentials"]["accessToken"] == token
    for secret in secrets:
        assert secret not in running.log()
