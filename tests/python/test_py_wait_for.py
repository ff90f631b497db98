"""wait_for on both Python clients: against `serve` on 127.0.0.1, whose in-memory store a
thread moves on as a worker would, and the poll schedule of the shared sans-I/O flow."""

from __future__ import annotations

import asyncio
import copy
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from py_support import API_KEY
from worker_client import (  # noqa: E402 - tests/python/conftest.py put it on sys.path
    AsyncWorkerClient,
    JobFailedError,
    JobNotFoundError,
    JobStatus,
    WaitTimeoutError,
    WorkerClient,
    WorkerClientError,
)
from worker_client._config import Config
from worker_client._core import ClientCore
from worker_client._transport import RawResponse, Request

from generator.contract import POLL, REDACTED
from generator.ir import Catalogue

DOWNLOAD = "file-download-request"
TOKEN = "tok-SECRET-5e1d7a2c-never-shown"


@pytest.fixture(scope="module")
def keyed(catalogue: Catalogue) -> Iterator[Any]:
    """serve with an api key, its in-memory store reachable as `.memory`: a Timer moving a
    job on there stands in for a worker (if the timer fires before the first poll, the
    outcome is the same, only with fewer polls)."""
    from generator.server.runner import serve_in_thread

    with serve_in_thread(catalogue, api_key=API_KEY) as server:
        yield server


def _payload(catalogue: Catalogue) -> dict[str, Any]:
    payload: dict[str, Any] = copy.deepcopy(catalogue.message(DOWNLOAD).examples[0])
    payload["credentials"]["accessToken"] = TOKEN
    return payload


def test_the_sync_client_returns_the_completed_job(keyed: Any, catalogue: Catalogue) -> None:
    with WorkerClient(keyed.url, API_KEY) as client:
        job = client.send_to_queue(DOWNLOAD, _payload(catalogue))  # type: ignore[arg-type]
        keyed.memory.activate(job.job_id)
        timer = threading.Timer(0.6, keyed.memory.complete, (job.job_id, {"stored": "m.stl"}))
        timer.start()
        done = client.wait_for(job.job_id, 60)
        timer.join()
    assert isinstance(done, JobStatus)
    assert (done.state, done.returnvalue, done.job_id) == (
        "completed",
        {"stored": "m.stl"},
        job.job_id,
    )


def test_a_failed_job_raises_with_its_reason_and_no_secret(
    keyed: Any, catalogue: Catalogue
) -> None:
    with WorkerClient(keyed.url, API_KEY) as client:
        job = client.send_to_queue(DOWNLOAD, _payload(catalogue))  # type: ignore[arg-type]
        keyed.memory.activate(job.job_id)
        reason = f"login refused for token {TOKEN} with key {API_KEY}"
        timer = threading.Timer(0.6, keyed.memory.fail, (job.job_id, reason))
        timer.start()
        with pytest.raises(JobFailedError) as failed:
            client.wait_for(job.job_id, 60)
        timer.join()
    error = failed.value
    assert error.job_id == job.job_id
    assert error.failed_reason == f"login refused for token {REDACTED} with key {REDACTED}"
    assert str(error) == (
        f'job "{job.job_id}" failed after 1 attempt: '
        f"login refused for token {REDACTED} with key {REDACTED}"
    )
    shown = repr(error) + str(error.args) + str(vars(error))
    assert TOKEN not in shown and API_KEY not in shown


def test_the_async_client_waits_the_same_way(keyed: Any, catalogue: Catalogue) -> None:
    async def scenario() -> tuple[JobStatus, JobFailedError]:
        async with AsyncWorkerClient(keyed.url, API_KEY) as client:
            ok = await client.send_to_queue(DOWNLOAD, _payload(catalogue))  # type: ignore[arg-type]
            bad = await client.send_to_queue(DOWNLOAD, _payload(catalogue))  # type: ignore[arg-type]
            loop = asyncio.get_running_loop()
            loop.call_later(0.4, keyed.memory.complete, ok.job_id, 7)
            loop.call_later(0.4, keyed.memory.fail, bad.job_id, f"bad token {TOKEN}")
            done = await client.wait_for(ok.job_id, 60)
            try:
                await client.wait_for(bad.job_id, 60)
            except JobFailedError as exc:
                return done, exc
            raise AssertionError("the failed job did not raise")

    done, failed = asyncio.run(scenario())
    assert (done.state, done.returnvalue) == ("completed", 7)
    assert failed.failed_reason == f"bad token {REDACTED}"
    assert "(no reason given)" not in str(failed) and TOKEN not in str(failed)


def test_a_job_that_does_not_finish_in_time_raises_wait_timeout(
    keyed: Any, catalogue: Catalogue
) -> None:
    with WorkerClient(keyed.url, API_KEY) as client:
        job = client.send_to_queue(DOWNLOAD, _payload(catalogue))  # type: ignore[arg-type]
        keyed.memory.activate(job.job_id)
        with pytest.raises(WaitTimeoutError) as timed_out:
            client.wait_for(job.job_id, 0.3)
    assert (timed_out.value.job_id, timed_out.value.state) == (job.job_id, "active")
    assert timed_out.value.timeout == 0.3
    assert str(timed_out.value) == f'job "{job.job_id}" is still active after 0.3 s'


def test_an_unknown_job_raises_job_not_found(keyed: Any) -> None:
    with WorkerClient(keyed.url, API_KEY) as client:
        with pytest.raises(JobNotFoundError):
            client.wait_for("no-such-job", 60)


@pytest.mark.parametrize("timeout", [0, -1, float("nan"), True, "10"])
def test_a_timeout_that_is_not_a_positive_number_is_refused(keyed: Any, timeout: Any) -> None:
    with WorkerClient(keyed.url, API_KEY) as client:
        with pytest.raises(WorkerClientError, match="timeout must be a positive number"):
            client.wait_for("any-job", timeout)


def _status_body(state: str) -> str:
    return (
        f'{{"jobId": "j", "name": "n", "queue": "n", "state": "{state}", "data": {{}}, '
        '"returnvalue": null, "progress": 0, "timestamp": 1}'
    )


def test_the_poll_waits_grow_as_the_contract_says() -> None:
    # The sans-I/O flow both clients drive: it yields a Request to send or seconds to sleep.
    core = ClientCore(Config.resolve("http://127.0.0.1:9", None, None, 0, True))
    flow = core.wait_for("j", 3600)
    waits: list[float] = []
    step = next(flow)
    for _ in range(12):
        assert isinstance(step, Request) and step.method == "GET"
        pause = flow.send(RawResponse(200, {}, _status_body("active")))
        assert isinstance(pause, float)
        waits.append(pause)
        step = flow.send(None)
    expected = [POLL.initial_delay]
    while len(expected) < 12:
        expected.append(min(expected[-1] * POLL.factor, POLL.max_delay))
    assert waits == pytest.approx(expected)
    assert waits[-1] == POLL.max_delay
    with pytest.raises(StopIteration) as finished:
        flow.send(RawResponse(200, {}, _status_body("completed")))
    assert finished.value.value.state == "completed"
