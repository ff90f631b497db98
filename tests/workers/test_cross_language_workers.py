"""Typed workers on a real redis-server: jobs enqueued through `serve --redis` by one
language's client are consumed by the other language's QueueWorker, and back."""

from __future__ import annotations

import asyncio
import copy
from pathlib import Path
from typing import Any

import bullmq
import pytest
from support.processes import ServeProcess
from workers_support import node_send, recorded, wait_until, worker_process

from generator.completions import completions
from generator.contract import SECRET_NAME_RE
from generator.ir import Catalogue, MessageSpec

# Requests with a completion message and payloads with secret fields among them, and one
# message without a completion.
MESSAGES = [
    "file-download-request",
    "etsy-publish-listing-request",
    "marketplace-credential-rotation-request",
    "model-technical-metadata-request",
    "thumbnail-generation-request",
    "backend-logging-event",
]
FINISHED = ("completed", "failed")
PAIRS = [("python", "node"), ("node", "python")]
PAIR_IDS = [f"{producer}-producer-{worker}-worker" for producer, worker in PAIRS]


def _message(catalogue: Catalogue, message_type: str) -> MessageSpec:
    return next(m for m in catalogue.messages if m.type == message_type)


def _secrets(catalogue: Catalogue, value: Any, inside: bool = False) -> list[str]:
    """The strings below secret fields of a payload."""
    if isinstance(value, dict):
        found: list[str] = []
        for key, item in value.items():
            secret = (
                inside or key in catalogue.secret_field_names or bool(SECRET_NAME_RE.search(key))
            )
            found += _secrets(catalogue, item, secret)
        return found
    if isinstance(value, list):
        return [s for item in value for s in _secrets(catalogue, item, inside)]
    return [value] if inside and isinstance(value, str) and len(value) >= 4 else []


def _invalid(message: MessageSpec) -> tuple[dict[str, Any], list[str]]:
    """The message's example with a string field turned into a number and an unknown field
    added; the pointers a validation reason must name."""
    payload = copy.deepcopy(message.examples[0])
    wrong = next(name for name, value in payload.items() if isinstance(value, str))
    payload[wrong] = 12345
    payload["notAField"] = True
    return payload, [f"/{wrong}", "/notAField"]


def _send(
    producer: str, client: Any, backend: ServeProcess, jobs: list[dict[str, Any]], tmp: Path
) -> None:
    if producer == "python":
        for job in jobs:
            sent = client.send_to_queue(job["type"], job["payload"], {"jobId": job["jobId"]})
            assert (sent.job_id, sent.queue) == (job["jobId"], job["type"])
    else:
        answers = node_send(backend.url, jobs, tmp)
        assert [(a["jobId"], a["queue"]) for a in answers] == [
            (j["jobId"], j["type"]) for j in jobs
        ]


async def _add_directly(redis_url: str, prefix: str, queue: str, data: Any, job_id: str) -> None:
    """A producer that skips validation: the job goes into the BullMQ queue as it is."""
    q = bullmq.Queue(queue, {"connection": redis_url, "prefix": prefix})
    try:
        await q.add(queue, data, {"jobId": job_id})
    finally:
        await q.close()


async def _failed_reason(redis_url: str, prefix: str, queue: str, job_id: str) -> str:
    q = bullmq.Queue(queue, {"connection": redis_url, "prefix": prefix})
    try:
        job = await q.getJob(job_id)
        return str(job.failedReason)
    finally:
        await q.close()


@pytest.mark.parametrize(("producer", "worker"), PAIRS, ids=PAIR_IDS)
def test_jobs_round_trip_through_the_other_language(
    producer: str,
    worker: str,
    catalogue: Catalogue,
    ts_package: Path,
    redis_url: str,
    prefix: str,
    backend: ServeProcess,
    client: Any,
    tmp_path: Path,
) -> None:
    pairs = completions(catalogue)
    record = tmp_path / "record.txt"
    plan: dict[str, Any] = {"record": str(record), "jobs": {}}
    jobs = []
    for i, message_type in enumerate(MESSAGES):
        message = _message(catalogue, message_type)
        job_id = f"{message_type}-job"
        jobs.append({"type": message_type, "payload": message.examples[0], "jobId": job_id})
        step: dict[str, Any] = {"progress": {"percent": 100, "step": i, "note": "ünïcødé"}}
        if message_type in pairs:
            step["completion"] = _message(catalogue, pairs[message_type]).examples[0]
        plan["jobs"][job_id] = step
    # A handler that fails, quoting a secret of its payload in its error.
    download = _message(catalogue, "file-download-request")
    secret = _secrets(catalogue, download.examples[0])[0]
    jobs.append({"type": download.type, "payload": download.examples[0], "jobId": "throws"})
    plan["jobs"]["throws"] = {"mode": "throw", "message": f"storage refused key {secret}"}
    _send(producer, client, backend, jobs, tmp_path)
    # Data the schema rejects, as a producer that skips validation would enqueue it.
    invalid, pointers = _invalid(download)
    asyncio.run(_add_directly(redis_url, prefix, download.type, invalid, "invalid-data"))
    ids = [j["jobId"] for j in jobs] + ["invalid-data"]

    with worker_process(
        worker,
        types=MESSAGES,
        plan=plan,
        redis_url=redis_url,
        prefix=prefix,
        backend_url=backend.url,
        folder=tmp_path,
    ) as running:
        statuses = wait_until(
            "every job to finish",
            lambda: (s := {i: client.get_job_status(i) for i in ids})
            and all(st.state in FINISHED for st in s.values())
            and s,
        )
        running.sigterm()
        assert running.wait() == 0, running.log()

    for job in jobs[:-1]:
        status = statuses[job["jobId"]]
        assert status.state == "completed", (job["type"], running.log())
        # Data round-trips exactly, and the return value and the progress come back as sent.
        assert status.data == job["payload"]
        assert status.returnvalue == {
            "echo": job["payload"],
            "messageType": job["type"],
            "attempt": 1,
        }
        assert status.progress == plan["jobs"][job["jobId"]]["progress"]
        if job["type"] in pairs:
            done = client.get_job_status(f"{pairs[job['type']]}-{job['jobId']}")
            assert (done.queue, done.state) == (pairs[job["type"]], "waiting")
            assert done.data == plan["jobs"][job["jobId"]]["completion"]

    assert statuses["throws"].state == "failed"
    assert statuses["invalid-data"].state == "failed"
    assert statuses["invalid-data"].returnvalue is None
    # The handler never saw the invalid job; every other one ran exactly once.
    assert sorted(recorded(record)) == sorted(j["jobId"] for j in jobs)
    reason = asyncio.run(_failed_reason(redis_url, prefix, download.type, "invalid-data"))
    for pointer in pointers:
        assert pointer in reason, reason

    log = running.log()
    assert "invalid-data" in log and "throws" in log  # both failures are logged ...
    for value in _secrets(catalogue, [j["payload"] for j in jobs]):
        assert value not in log  # ... and no secret of any payload is
    assert "storage refused key" in log


@pytest.mark.parametrize("worker", ["node", "python"])
def test_sigterm_mid_job_finishes_the_active_jobs_and_loses_nothing(
    worker: str,
    catalogue: Catalogue,
    ts_package: Path,
    redis_url: str,
    prefix: str,
    backend: ServeProcess,
    client: Any,
    tmp_path: Path,
) -> None:
    message = _message(catalogue, "thumbnail-generation-request")
    gate = tmp_path / "gate"
    record = tmp_path / "record.txt"
    plan = {
        "record": str(record),
        "jobs": {
            "slow-1": {"mode": "gate", "gate": str(gate), "progress": 10},
            "slow-2": {"mode": "gate", "gate": str(gate), "progress": 20},
        },
    }

    def send(job_id: str) -> None:
        client.send_to_queue(message.type, message.examples[0], {"jobId": job_id})

    send("slow-1")
    send("slow-2")
    options: dict[str, Any] = dict(
        types=[message.type],
        plan=plan,
        redis_url=redis_url,
        prefix=prefix,
        backend_url=backend.url,
        folder=tmp_path,
    )
    with worker_process(worker, concurrency=2, **options) as running:
        # Concurrency 2: both jobs are in their handlers at once.
        wait_until("both handlers to start", lambda: len(recorded(record)) == 2)
        assert {client.get_job_status(i).state for i in ("slow-1", "slow-2")} == {"active"}
        send("queued")  # no free slot: it waits
        running.sigterm()
        wait_until("the worker to take the signal", lambda: "SIGTERM" in running.log())
        gate.touch()  # the active jobs may finish now, after the signal; the worker lets them
        assert running.wait() == 0, running.log()

    for job_id, progress in (("slow-1", 10), ("slow-2", 20)):
        status = client.get_job_status(job_id)
        assert status.state == "completed", running.log()
        assert status.returnvalue["echo"] == message.examples[0]
        assert status.progress == progress
    # The job that was waiting at SIGTERM is still there, untouched, for the next worker.
    assert client.get_job_status("queued").state == "waiting"
    assert sorted(recorded(record)) == ["slow-1", "slow-2"]
    with worker_process(worker, **options):
        wait_until(
            "the next worker to finish the queued job",
            lambda: client.get_job_status("queued").state == "completed",
        )
    assert client.get_job_status("queued").returnvalue["echo"] == message.examples[0]
