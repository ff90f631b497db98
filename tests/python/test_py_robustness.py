"""Issue 5 for Python: validation before send, typed errors, safe retries, no leaked secrets.

Each test runs against a real server on 127.0.0.1 made to fail on purpose, once with
WorkerClient and once with AsyncWorkerClient (same calls, same expectations).
"""

from __future__ import annotations

import asyncio
import copy
import logging
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import worker_client  # noqa: E402 - tests/python/conftest.py put it on sys.path
from py_support import API_KEY, SECRET_VALUE
from support import JobServer, Reply, refused_url
from worker_client import (  # noqa: E402
    APIConnectionError,
    APITimeoutError,
    AsyncWorkerClient,
    BadRequestError,
    InternalServerError,
    JobNotFoundError,
    JobResponse,
    JobStatus,
    PayloadValidationError,
    UnprocessableEntityError,
    WorkerClient,
)

from generator.contract import REDACTED
from generator.examples import example_payload
from generator.ir import Catalogue
from generator.targets.python_naming import method as python_method

STRICT_MESSAGE = "backend-logging-event"  # has required fields and an integer field
SECRET_MESSAGE = "file-download-request"  # has a `credentials` object


class Client:
    """WorkerClient or AsyncWorkerClient behind one synchronous face, for shared tests."""

    def __init__(self, flavor: str, **settings: Any) -> None:
        self.flavor = flavor
        if flavor == "sync":
            self.client: Any = WorkerClient(**settings)
        else:
            self._loop = asyncio.new_event_loop()
            self.client = self._loop.run_until_complete(self._make(settings))

    @staticmethod
    async def _make(settings: dict[str, Any]) -> AsyncWorkerClient:
        return AsyncWorkerClient(**settings)  # httpx wants to be created with a loop running

    def call(self, method: str, *args: Any, **kwargs: Any) -> Any:
        result = getattr(self.client, method)(*args, **kwargs)
        if self.flavor == "async":
            assert asyncio.iscoroutine(result), f"{method} must return a coroutine"
            return self._loop.run_until_complete(result)
        return result

    def close(self) -> None:
        if self.flavor == "sync":
            self.client.close()
        else:
            self._loop.run_until_complete(self.client.aclose())
            self._loop.close()


@pytest.fixture(params=["sync", "async"])
def make_client(request: pytest.FixtureRequest) -> Iterator[Callable[..., Client]]:
    made: list[Client] = []

    def make(**settings: Any) -> Client:
        made.append(Client(request.param, **settings))
        return made[-1]

    yield make
    for client in made:
        client.close()


@pytest.fixture
def logs(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    """Every log record of the process at DEBUG (the client's, urllib3's, httpx's...)."""
    caplog.set_level(logging.DEBUG)
    return caplog


def _client_records(caplog: pytest.LogCaptureFixture, level: int) -> list[str]:
    return [
        r.getMessage() for r in caplog.records if r.name == "worker_client" and r.levelno == level
    ]


def _payload(catalogue: Catalogue, message_type: str) -> dict[str, Any]:
    return copy.deepcopy(example_payload(catalogue, catalogue.message(message_type)))


def test_503_then_429_with_retry_after_then_success(
    make_client: Callable[..., Client],
    job_server: JobServer,
    catalogue: Catalogue,
    logs: pytest.LogCaptureFixture,
) -> None:
    job_server.script(Reply(503), Reply(429, headers={"Retry-After": "1"}))
    client = make_client(base_url=job_server.url)
    job = client.call("send_to_queue", SECRET_MESSAGE, _payload(catalogue, SECRET_MESSAGE))

    posts = job_server.requests
    assert [r.status for r in posts] == [503, 429, 201]
    job_ids = {r.json["opts"]["jobId"] for r in posts}
    assert job_ids == {job.job_id}, "every attempt must carry the same jobId"
    assert posts[2].received_at - posts[1].received_at >= 1.0, "Retry-After: 1 was not honoured"
    assert len(job_server.jobs) == 1
    warnings = _client_records(logs, logging.WARNING)
    assert len(warnings) == 2
    assert "HTTP 503" in warnings[0] and "HTTP 429" in warnings[1]
    assert "retrying in 1.00s (attempt 3 of 3)" in warnings[1]
    assert len(_client_records(logs, logging.DEBUG)) == 3  # one line per attempt


def test_connection_refused_after_every_attempt(
    make_client: Callable[..., Client], logs: pytest.LogCaptureFixture
) -> None:
    client = make_client(base_url=refused_url(), max_retries=2)
    with pytest.raises(APIConnectionError) as caught:
        client.call("send_to_queue", SECRET_MESSAGE, {})
    assert not isinstance(caught.value, APITimeoutError)
    attempts = _client_records(logs, logging.DEBUG)
    assert [a.rsplit(": ", 1)[1] for a in attempts] == [
        "attempt 1 of 3",
        "attempt 2 of 3",
        "attempt 3 of 3",
    ]
    assert len(_client_records(logs, logging.WARNING)) == 2


def test_a_server_slower_than_the_timeout(
    make_client: Callable[..., Client], job_server: JobServer
) -> None:
    job_server.script(Reply(201, delay=1.5), Reply(201, delay=1.5))
    client = make_client(base_url=job_server.url, timeout=0.2, max_retries=1)
    with pytest.raises(APITimeoutError):
        client.call("send_to_queue", SECRET_MESSAGE, {})
    assert len(job_server.requests) == 2
    assert len({r.json["opts"]["jobId"] for r in job_server.requests}) == 1


@pytest.mark.parametrize("status", [400, 401, 403, 404, 409, 422])
def test_other_4xx_are_raised_at_once(
    status: int, make_client: Callable[..., Client], job_server: JobServer
) -> None:
    job_server.script(Reply(status))
    client = make_client(base_url=job_server.url, max_retries=3)
    with pytest.raises(worker_client.APIStatusError) as caught:
        client.call("send_to_queue", SECRET_MESSAGE, {})
    assert caught.value.status_code == status
    assert len(job_server.requests) == 1
    if status == 400:
        assert isinstance(caught.value, BadRequestError)


@pytest.mark.parametrize("status", [408, 429, 500, 502, 503, 504])
def test_retryable_statuses_are_retried(
    status: int, make_client: Callable[..., Client], job_server: JobServer
) -> None:
    job_server.script(*[Reply(status, headers={"Retry-After": "0"})] * 2)
    client = make_client(base_url=job_server.url, max_retries=1)
    with pytest.raises(worker_client.APIStatusError) as caught:
        client.call("get_job_status", "job-1")
    assert caught.value.status_code == status
    assert len(job_server.requests) == 2
    job_server.script(Reply(status, headers={"Retry-After": "0"}))
    client.call("send_to_queue", SECRET_MESSAGE, {}, max_retries=1)  # the retry succeeds
    assert [r.status for r in job_server.requests[2:]] == [status, 201]


def test_an_invalid_payload_is_rejected_before_sending(
    make_client: Callable[..., Client], job_server: JobServer, catalogue: Catalogue
) -> None:
    fields = catalogue.message(STRICT_MESSAGE).payload
    assert fields.field("eventType").required and fields.field("httpStatusCode").type.kind == (
        "integer"
    )
    payload = _payload(catalogue, STRICT_MESSAGE)
    del payload["eventType"]
    payload["httpStatusCode"] = "500"
    client = make_client(base_url=job_server.url)
    with pytest.raises(PayloadValidationError) as caught:
        client.call("backend_logging_event", payload)
    error = caught.value
    assert error.message_type == STRICT_MESSAGE
    assert ("/eventType", "is required") in error.errors
    assert ("/httpStatusCode", "expected integer, got string") in error.errors
    assert "/eventType: is required" in str(error)
    assert "/httpStatusCode: expected integer, got string" in str(error)
    assert job_server.requests == [], "nothing may be sent"


def test_every_offending_field_is_named(
    make_client: Callable[..., Client], job_server: JobServer
) -> None:
    client = make_client(base_url=job_server.url)
    bad = {
        "storageLocation": {"sizeBytes": "big", "surprise": 1},
        "autoEnqueueChildren": "yes",
        "nope": True,
    }
    with pytest.raises(PayloadValidationError) as caught:
        client.call("file_download_request", bad)
    paths = [path for path, _ in caught.value.errors]
    assert paths == sorted(paths)
    assert paths == [
        "/autoEnqueueChildren",
        "/nope",
        "/storageLocation/path",  # required
        "/storageLocation/sizeBytes",
        "/storageLocation/surprise",
    ]
    assert job_server.requests == []
    with pytest.raises(PayloadValidationError, match="unknown message type"):
        client.call("send_to_queue", "no-such-message", {})


def test_validation_can_be_turned_off(
    make_client: Callable[..., Client], job_server: JobServer
) -> None:
    bad = {"autoEnqueueChildren": "yes"}
    per_call = make_client(base_url=job_server.url)
    per_call.call("file_download_request", bad, validate=False)
    whole_client = make_client(base_url=job_server.url, validate=False)
    whole_client.call("send_to_queue", SECRET_MESSAGE, bad)
    assert [r.json["payload"] for r in job_server.requests] == [bad, bad]


def test_status_round_trip_and_unknown_jobs(
    make_client: Callable[..., Client], serve_url: str, catalogue: Catalogue
) -> None:
    client = make_client(base_url=serve_url)
    payload = _payload(catalogue, SECRET_MESSAGE)
    job = client.call("file_download_request", payload, {"priority": 3})
    assert isinstance(job, JobResponse) and job.queue == SECRET_MESSAGE
    status = client.call("get_job_status", job.job_id)
    assert isinstance(status, JobStatus)
    assert (status.job_id, status.data) == (job.job_id, payload)
    with pytest.raises(JobNotFoundError):
        client.call("get_job_status", "missing-job")
    with pytest.raises(UnprocessableEntityError) as caught:
        client.call("send_to_queue", SECRET_MESSAGE, {"modelId": 7}, validate=False)
    assert caught.value.status_code == 422 and caught.value.request_id


def test_async_client_sends_every_message(job_server: JobServer, catalogue: Catalogue) -> None:
    async def send_all() -> list[JobResponse]:
        async with AsyncWorkerClient(job_server.url) as client:
            return [
                await getattr(client, python_method(m.type))(example_payload(catalogue, m))
                for m in catalogue.messages
            ]

    jobs = asyncio.run(send_all())
    assert [j.message_name for j in jobs] == [m.type for m in catalogue.messages]
    assert [r.path for r in job_server.requests] == [
        f"/api/jobs/{m.type}" for m in catalogue.messages
    ]


def test_a_netrc_entry_never_replaces_the_async_clients_api_key(
    job_server: JobServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, catalogue: Catalogue
) -> None:
    netrc = tmp_path / "netrc"
    netrc.write_text("machine 127.0.0.1 login someone password netrc-pw\n")
    netrc.chmod(0o600)
    monkeypatch.setenv("NETRC", str(netrc))
    message = catalogue.message("file-download-request")

    async def send(key: str | None) -> None:
        async with AsyncWorkerClient(job_server.url, api_key=key) as client:
            await client.file_download_request(example_payload(catalogue, message))

    asyncio.run(send(API_KEY))
    asyncio.run(send(None))
    first, second = job_server.requests
    assert first.headers["authorization"] == f"Bearer {API_KEY}"
    assert "authorization" not in second.headers


def test_secrets_never_reach_logs_reprs_or_errors(
    make_client: Callable[..., Client],
    job_server: JobServer,
    catalogue: Catalogue,
    logs: pytest.LogCaptureFixture,
) -> None:
    payload = _payload(catalogue, SECRET_MESSAGE)
    payload["credentials"] = {"accessToken": SECRET_VALUE, "password": SECRET_VALUE + "-pw"}
    shown: list[str] = []

    def attempt(client: Client, *args: Any, **kwargs: Any) -> Any:
        try:
            return client.call(*args, **kwargs)
        except worker_client.WorkerClientError as exc:
            shown.extend([str(exc), repr(exc), repr(getattr(exc, "body", None))])
            shown.extend(repr(e) for e in getattr(exc, "errors", []))
            return None

    client = make_client(base_url=job_server.url, api_key=API_KEY, max_retries=1)
    shown.append(repr(client.client))
    # A success after a retry; then a server that echoes the secret back in its error.
    job_server.script(Reply(503, headers={"Retry-After": "0"}))
    job = attempt(client, "file_download_request", payload)
    echo = {
        "statusCode": 422,
        "message": f"bad credentials {payload['credentials']} for key {API_KEY}",
        "details": [{"path": "/credentials", "message": f"{SECRET_VALUE} is expired"}],
        "credentials": payload["credentials"],
    }
    job_server.script(Reply(422, echo))
    attempt(client, "file_download_request", payload)
    # Validation errors about and around the secret fields.
    bad_type = dict(payload, credentials=SECRET_VALUE)
    attempt(client, "file_download_request", bad_type)
    bad_nested = dict(payload, credentials={"accessToken": 5, "password": SECRET_VALUE})
    attempt(client, "file_download_request", bad_nested)
    # The job's status carries the payload back.
    status = client.call("get_job_status", job.job_id)
    assert status.data["credentials"]["accessToken"] == SECRET_VALUE  # the data itself is intact
    shown.extend([repr(status), str(status)])
    # Timeouts and refused connections.
    job_server.script(Reply(201, delay=1.0))
    attempt(client, "file_download_request", payload, timeout=0.2, max_retries=0)
    refused = make_client(base_url=refused_url(), api_key=API_KEY, max_retries=1)
    attempt(refused, "file_download_request", payload)

    assert len(shown) > 10
    assert any(REDACTED in text for text in shown)
    logged = [r.getMessage() for r in logs.records] + [logs.text]
    for text in shown + logged:
        assert API_KEY not in text
        assert SECRET_VALUE not in text
        assert "authorization" not in text.lower()
    assert _client_records(logs, logging.WARNING), "the retries were logged"


def test_retry_delays_follow_the_contract() -> None:
    from worker_client._retries import parse_retry_after, retry_delay
    from worker_client._transport import RawResponse, TransportFailure

    failure = TransportFailure(timed_out=False, detail="refused")
    for retry, base in [(1, 0.5), (2, 1.0), (3, 2.0), (4, 4.0), (5, 8.0), (9, 8.0)]:
        delays = [retry_delay(retry, failure) for _ in range(200)]
        assert all(base * 0.75 <= d <= base for d in delays)
        assert len(set(delays)) > 1, "jitter"
    answer = RawResponse(503, {"retry-after": "120"}, "")
    assert retry_delay(1, answer) == 60.0  # capped
    assert parse_retry_after("2.5") == 2.5
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT") is not None
    assert parse_retry_after("soon") is None and parse_retry_after("nan") is None
    assert InternalServerError.__mro__[1] is worker_client.APIStatusError
