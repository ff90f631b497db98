"""serve --redis: real BullMQ jobs on a real redis-server, consumed by a real BullMQ worker."""

from __future__ import annotations

import asyncio
import copy
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import bullmq
import pytest
import requests
from serve_support import (
    API_KEY,
    DOWNLOAD,
    ROOT,
    SCHEMAS_DIR,
    SERVE_FIXTURE,
    ServeProcess,
    assert_matches,
    consume_one,
    download_payload,
    redis_server,
    require_redis_server,
    serve_process,
)

from generator.schema import load_schemas

RENDER = "model-render-request"


@pytest.fixture
def redis_serve(redis_url: str, prefix: str, log_dir: Path) -> Iterator[ServeProcess]:
    args = ["--schemas", str(SERVE_FIXTURE), "--redis", redis_url, "--prefix", prefix]
    with serve_process(*args, log_dir=log_dir) as serve:
        yield serve


async def _queued(url: str, prefix: str, queue: str, job_id: str) -> tuple[Any, str]:
    q = bullmq.Queue(queue, {"connection": url, "prefix": prefix})
    try:
        job = await q.getJob(job_id)
        state = await q.getJobState(job_id)
        return (job.data if job is not None else None), str(state)
    finally:
        await q.close()


def test_a_job_lands_in_its_queue_and_a_worker_completes_it(
    redis_serve: ServeProcess, redis_url: str, prefix: str, components: dict[str, Any]
) -> None:
    url = f"{redis_serve.url}/api/jobs"
    answer = requests.post(f"{url}/{DOWNLOAD}", json={"payload": download_payload()}, timeout=30)
    assert answer.status_code == 201, answer.text
    assert_matches("JobResponse", answer.json(), components)
    job_id = answer.json()["jobId"]

    data, state = asyncio.run(_queued(redis_url, prefix, DOWNLOAD, job_id))
    assert (data, state) == (download_payload(), "waiting")
    assert asyncio.run(_queued(redis_url, prefix, RENDER, job_id)) == (None, "unknown")
    waiting = requests.get(f"{url}/{job_id}", timeout=30).json()
    assert_matches("JobStatus", waiting, components)
    assert (waiting["state"], waiting["returnvalue"]) == ("waiting", None)

    result = {"ok": True, "path": "models/m1.stl"}
    assert asyncio.run(consume_one(redis_url, prefix, DOWNLOAD, returns=result)) == [job_id]
    done = requests.get(f"{url}/{job_id}", timeout=30).json()
    assert_matches("JobStatus", done, components)
    assert done["state"] == "completed"
    assert done["returnvalue"] == result
    assert done["data"] == download_payload()
    assert (done["name"], done["queue"]) == (DOWNLOAD, DOWNLOAD)


def test_job_id_idempotency_and_conflicts_hold_in_bullmq(
    redis_serve: ServeProcess, redis_url: str, prefix: str
) -> None:
    url = f"{redis_serve.url}/api/jobs"
    body = {"payload": download_payload(), "opts": {"jobId": "model-9-download"}}
    assert requests.post(f"{url}/{DOWNLOAD}", json=body, timeout=30).status_code == 201
    assert requests.post(f"{url}/{DOWNLOAD}", json=body, timeout=30).status_code == 200
    render = {
        "payload": {
            "modelId": "1b4e28ba-2fa1-11d2-883f-0016d3cca427",
            "requestedAt": "2025-01-15T10:30:00Z",
            "views": [{"angle": 0}],
            "output": {"bucket": "r", "provider": "s3"},
        },
        "opts": {"jobId": "model-9-download"},
    }
    assert requests.post(f"{url}/{RENDER}", json=render, timeout=30).status_code == 409

    async def count() -> int:
        q = bullmq.Queue(DOWNLOAD, {"connection": redis_url, "prefix": prefix})
        try:
            counts = await q.getJobCounts("waiting")
            return int(counts["waiting"])
        finally:
            await q.close()

    assert asyncio.run(count()) == 1
    for job_id, opts, state in [
        ("later", {"delay": 600_000}, "delayed"),
        ("urgent", {"priority": 3}, "prioritized"),
    ]:
        answer = requests.post(
            f"{url}/{DOWNLOAD}",
            json={"payload": download_payload(), "opts": {"jobId": job_id, **opts}},
            timeout=30,
        )
        assert answer.status_code == 201
        assert requests.get(f"{url}/{job_id}", timeout=30).json()["state"] == state
    assert requests.get(f"{url}/meta", timeout=30).status_code == 404  # a BullMQ key, no job


def test_a_failing_worker_shows_as_failed(
    redis_serve: ServeProcess, redis_url: str, prefix: str
) -> None:
    url = f"{redis_serve.url}/api/jobs"
    job_id = requests.post(f"{url}/{DOWNLOAD}", json={"payload": download_payload()}, timeout=30)
    job_id = job_id.json()["jobId"]
    asyncio.run(consume_one(redis_url, prefix, DOWNLOAD, error="disk full"))
    failed = requests.get(f"{url}/{job_id}", timeout=30).json()
    assert (failed["state"], failed["returnvalue"]) == ("failed", None)


def test_redis_going_away_is_a_503_not_a_crash(tmp_path: Path, components: dict[str, Any]) -> None:
    import redis

    require_redis_server()  # a redis-server of its own: this test shuts it down
    with redis_server(tmp_path) as url:
        with serve_process(
            "--schemas", str(SERVE_FIXTURE), "--redis", url, log_dir=tmp_path
        ) as serve:
            redis.Redis.from_url(url).shutdown(nosave=True)
            for answer in (
                requests.get(f"{serve.url}/api/jobs/some-job", timeout=60),
                requests.post(
                    f"{serve.url}/api/jobs/{DOWNLOAD}",
                    json={"payload": download_payload()},
                    timeout=60,
                ),
            ):
                assert answer.status_code == 503, answer.text
                assert_matches("ErrorResponse", answer.json(), components)
                assert answer.headers["X-Request-Id"]
        assert "Traceback" not in serve.log()


# ----------------------------------------------------------------------------- generated client


def _generated_client() -> Any:
    package = ROOT / "generated" / "python"
    if not (package / "worker_client" / "__init__.py").is_file():
        pytest.skip("generated/python does not exist yet: run `worker-client-gen generate`")
    try:
        import worker_client
    except ImportError:
        sys.path.insert(0, str(package))
        import worker_client
    return worker_client


def test_the_generated_python_client_round_trips_through_bullmq(
    redis_url: str, prefix: str, log_dir: Path, real_components: dict[str, Any]
) -> None:
    worker_client = _generated_client()
    catalogue = load_schemas(SCHEMAS_DIR)
    message = next(m for m in catalogue.messages if m.examples)
    args = ["--schemas", str(SCHEMAS_DIR), "--redis", redis_url, "--prefix", prefix]
    with serve_process(*args, "--api-key", API_KEY, log_dir=log_dir) as serve:
        client = worker_client.WorkerClient(serve.url, api_key=API_KEY)
        try:
            sent = client.send_to_queue(message.type, message.examples[0])
            assert (sent.queue, sent.message_name) == (message.type, message.type)

            data, state = asyncio.run(_queued(redis_url, prefix, message.type, sent.job_id))
            assert (data, state) == (message.examples[0], "waiting")

            result = {"processed": sent.job_id, "items": [1, 2, 3]}
            seen = asyncio.run(consume_one(redis_url, prefix, message.type, returns=result))
            assert seen == [sent.job_id]

            status = client.get_job_status(sent.job_id)
            assert status.state == "completed"
            assert status.returnvalue == result
            assert status.queue == message.type
        finally:
            client.close()
        raw = requests.get(
            f"{serve.url}/api/jobs/{sent.job_id}",
            headers={"Authorization": f"Bearer {API_KEY}"},
            timeout=30,
        )
        assert_matches("JobStatus", raw.json(), real_components)
    assert API_KEY not in serve.log()


def test_wait_for_follows_a_real_bullmq_worker(redis_url: str, prefix: str, log_dir: Path) -> None:
    """The async client waits while a BullMQ worker takes the job: a completed job returns
    its result, a failed one raises with the worker's reason, the job's secrets redacted."""
    worker_client = _generated_client()
    catalogue = load_schemas(SCHEMAS_DIR)
    payload = copy.deepcopy(catalogue.message("file-download-request").examples[0])
    token = "tok-BULLMQ-3c8e1f7a-never-shown"
    payload["credentials"]["accessToken"] = token
    args = ["--schemas", str(SCHEMAS_DIR), "--redis", redis_url, "--prefix", prefix]

    async def wait_while_consumed(
        client: Any, returns: Any = None, error: str | None = None
    ) -> Any:
        job = await client.send_to_queue("file-download-request", payload)
        waiting = asyncio.ensure_future(client.wait_for(job.job_id, 120))
        seen = await consume_one(redis_url, prefix, "file-download-request", returns, error)
        assert seen == [job.job_id]
        return await waiting

    async def scenario() -> tuple[Any, Any]:
        async with worker_client.AsyncWorkerClient(serve.url, api_key=API_KEY) as client:
            done = await wait_while_consumed(client, returns={"stored": "m.stl"})
            try:
                await wait_while_consumed(client, error=f"login refused for {token}")
            except worker_client.JobFailedError as exc:
                return done, exc
        raise AssertionError("the failed job did not raise")

    with serve_process(*args, "--api-key", API_KEY, log_dir=log_dir) as serve:
        done, failed = asyncio.run(scenario())
    assert (done.state, done.returnvalue) == ("completed", {"stored": "m.stl"})
    assert failed.failed_reason == "login refused for [REDACTED]"
    assert token not in str(failed) and "failed after 1 attempt" in str(failed)
