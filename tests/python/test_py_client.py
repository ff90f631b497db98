"""The generated Python client on the wire: every method, status, errors and configuration.

Real HTTP on 127.0.0.1: the recording JobServer shows exactly what was sent; `serve` (the
contract's reference server) checks every payload against its schema.
"""

from __future__ import annotations

import inspect
import re
import uuid
from pathlib import Path
from typing import Any

import pytest
import worker_client  # noqa: E402 - tests/python/conftest.py put it on sys.path
from py_support import API_KEY, SCHEMAS_DIR
from support import JobServer, Reply
from worker_client import (  # noqa: E402
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    InternalServerError,
    JobNotFoundError,
    JobResponse,
    JobStatus,
    MessageTypes,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    UnprocessableEntityError,
    WorkerClient,
    WorkerClientError,
)

from generator.contract import REDACTED
from generator.examples import example_payload
from generator.ir import Catalogue
from generator.schema import load_schemas
from generator.targets.python_naming import method as python_method

MESSAGE_TYPES = [m.type for m in load_schemas(SCHEMAS_DIR).messages]


def _normalise(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("message_type", MESSAGE_TYPES)
def test_every_method_sends_the_contract_and_returns_a_job_response(
    message_type: str, catalogue: Catalogue, job_server: JobServer
) -> None:
    message = catalogue.message(message_type)
    payload = example_payload(catalogue, message)
    with WorkerClient(job_server.url, api_key=API_KEY) as client:
        method = getattr(client, python_method(message.type))
        job = method(payload, {"priority": 2})

    [request] = job_server.requests
    assert request.method == "POST"
    assert request.path == f"/api/jobs/{message_type}"
    assert request.headers["authorization"] == f"Bearer {API_KEY}"
    assert request.headers["content-type"] == "application/json"
    assert request.headers["accept"] == "application/json"
    assert request.headers["user-agent"] == (
        f"mesh-sync-worker-backend-client/{catalogue.version} (python)"
    )
    body = request.json
    assert set(body) == {"payload", "opts"}
    assert body["payload"] == payload
    assert body["opts"]["priority"] == 2
    job_id = body["opts"]["jobId"]
    assert str(uuid.UUID(job_id)) == job_id
    assert job == JobResponse(
        success=True, job_id=job_id, message_name=message_type, queue=message_type
    )
    assert _normalise(inspect.getdoc(method) or "") == _normalise(message.description)
    assert getattr(MessageTypes, message.names.constant) == message_type


@pytest.mark.parametrize("message_type", MESSAGE_TYPES)
def test_serve_accepts_every_example_and_status_round_trips(
    message_type: str, catalogue: Catalogue, serve_url: str
) -> None:
    message = catalogue.message(message_type)
    payload = example_payload(catalogue, message)
    with WorkerClient(serve_url) as client:
        job = client.send_to_queue(message_type, payload)
        status = client.get_job_status(job.job_id)
    assert isinstance(status, JobStatus)
    assert (status.job_id, status.name, status.queue) == (job.job_id, message_type, message_type)
    assert status.data == payload
    assert status.state == "waiting"
    assert isinstance(status.timestamp, int)


def test_the_client_has_exactly_one_method_per_message(catalogue: Catalogue) -> None:
    expected = {python_method(m.type) for m in catalogue.messages}
    defined = {
        name
        for name, value in vars(worker_client._methods.MessageMethods).items()
        if callable(value) and not name.startswith("_") and name != "send_to_queue"
    }
    assert defined == expected
    constants = {k for k in vars(MessageTypes) if not k.startswith("_")}
    assert constants == {m.names.constant for m in catalogue.messages}


def test_get_job_status_round_trips_every_field(job_server: JobServer) -> None:
    job_server.jobs["job-7"] = {
        "jobId": "job-7",
        "name": "file-download-request",
        "queue": "file-download-request",
        "state": "completed",
        "data": {"modelId": "m-1"},
        "returnvalue": {"ok": True},
        "progress": 100,
        "timestamp": 1732492800000,
    }
    with WorkerClient(job_server.url) as client:
        status = client.get_job_status("job-7")
    assert status == JobStatus(
        job_id="job-7",
        name="file-download-request",
        queue="file-download-request",
        state="completed",
        data={"modelId": "m-1"},
        returnvalue={"ok": True},
        progress=100,
        timestamp=1732492800000,
    )
    [request] = job_server.requests
    assert (request.method, request.path, request.body) == ("GET", "/api/jobs/job-7", b"")
    assert "authorization" not in request.headers  # no key configured, no header


def test_job_ids_are_escaped_in_the_path(job_server: JobServer) -> None:
    with WorkerClient(job_server.url) as client, pytest.raises(JobNotFoundError):
        client.get_job_status("a/b?c")
    assert job_server.requests[0].path == "/api/jobs/a%2Fb%3Fc"


def test_the_callers_job_id_is_kept(job_server: JobServer, catalogue: Catalogue) -> None:
    payload = example_payload(catalogue, catalogue.message("file-download-request"))
    with WorkerClient(job_server.url) as client:
        first = client.file_download_request(payload, {"jobId": "mine-1", "attempts": 3})
        again = client.send_to_queue(
            MessageTypes.FILE_DOWNLOAD_REQUEST, payload, {"jobId": "mine-1"}
        )
    assert first.job_id == again.job_id == "mine-1"
    assert [r.status for r in job_server.requests] == [201, 200]  # the second add was a no-op
    assert job_server.requests[0].json["opts"] == {"jobId": "mine-1", "attempts": 3}


STATUS_ERRORS = [
    (400, BadRequestError),
    (401, AuthenticationError),
    (403, PermissionDeniedError),
    (404, NotFoundError),
    (409, ConflictError),
    (418, APIStatusError),
    (422, UnprocessableEntityError),
    (429, RateLimitError),
    (500, InternalServerError),
    (503, InternalServerError),
]


@pytest.mark.parametrize(("status", "error"), STATUS_ERRORS)
def test_error_statuses_raise_their_exception(
    status: int, error: type[APIStatusError], job_server: JobServer
) -> None:
    body = {
        "statusCode": status,
        "error": "Some Error",
        "message": "payload does not match",
        "details": [{"path": "/modelId", "message": "'modelId' is a required property"}],
    }
    job_server.script(Reply(status, body))
    with WorkerClient(job_server.url, max_retries=0) as client, pytest.raises(error) as caught:
        client.send_to_queue("file-download-request", {}, validate=False)
    exc = caught.value
    assert type(exc) is error
    assert exc.status_code == status
    assert exc.body == body
    assert exc.request_id == "req-1"
    assert (exc.method, exc.url) == ("POST", f"{job_server.url}/api/jobs/file-download-request")
    text = str(exc)
    assert f"HTTP {status}" in text and "payload does not match" in text
    assert "/modelId: 'modelId' is a required property" in text
    assert "req-1" in text


def test_a_404_from_get_job_status_is_job_not_found(serve_url: str) -> None:
    with WorkerClient(serve_url) as client, pytest.raises(JobNotFoundError) as caught:
        client.get_job_status("no-such-job")
    assert caught.value.status_code == 404
    assert caught.value.request_id


def test_a_non_json_error_body_is_kept_as_text(job_server: JobServer) -> None:
    job_server.script(Reply(502, "<html>bad gateway</html>"))
    with (
        WorkerClient(job_server.url, max_retries=0) as client,
        pytest.raises(InternalServerError) as caught,
    ):
        client.get_job_status("x")
    assert caught.value.body == "<html>bad gateway</html>"
    assert "bad gateway" in str(caught.value)


def test_an_unexpected_success_body_is_an_api_error(job_server: JobServer) -> None:
    job_server.script(Reply(201, {"success": True}), Reply(200, "not json"))
    with WorkerClient(job_server.url) as client:
        with pytest.raises(worker_client.APIError, match="missing jobId, messageName, queue"):
            client.send_to_queue("file-download-request", {})
        with pytest.raises(worker_client.APIError, match="unexpected response body"):
            client.get_job_status("x")
    assert len(job_server.requests) == 2  # neither was retried


def test_a_slow_server_raises_a_timeout(job_server: JobServer) -> None:
    job_server.script(Reply(201, delay=2.0))
    with WorkerClient(job_server.url, timeout=0.2, max_retries=0) as client:
        with pytest.raises(APITimeoutError) as caught:
            client.send_to_queue("file-download-request", {})
    assert "timed out" in str(caught.value)


def test_configuration_falls_back_to_the_environment(
    monkeypatch: pytest.MonkeyPatch, job_server: JobServer
) -> None:
    monkeypatch.setenv("WORKER_BACKEND_URL", job_server.url + "/")
    monkeypatch.setenv("WORKER_BACKEND_API_KEY", API_KEY)
    monkeypatch.setenv("WORKER_BACKEND_TIMEOUT", "12.5")
    client = WorkerClient()
    assert (client.base_url, client.timeout, client.max_retries) == (job_server.url, 12.5, 2)
    client.send_to_queue("file-download-request", {})
    client.close()
    assert job_server.requests[0].headers["authorization"] == f"Bearer {API_KEY}"
    explicit = WorkerClient("http://example.invalid:1", api_key="other", timeout=3)
    assert (explicit.base_url, explicit.timeout) == ("http://example.invalid:1", 3.0)
    explicit.close()


def test_a_missing_url_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("WORKER_BACKEND_URL", raising=False)
    with pytest.raises(WorkerClientError, match="WORKER_BACKEND_URL"):
        WorkerClient()
    monkeypatch.setenv("WORKER_BACKEND_TIMEOUT", "soon")
    with pytest.raises(WorkerClientError, match="WORKER_BACKEND_TIMEOUT"):
        WorkerClient("http://localhost:3000")
    with pytest.raises(WorkerClientError, match="max_retries"):
        WorkerClient("http://localhost:3000", timeout=1, max_retries=-1)
    with pytest.raises(WorkerClientError, match=r"absolute http\(s\) URL"):
        WorkerClient("localhost:3000", timeout=1)


def test_repr_never_shows_the_api_key() -> None:
    client = WorkerClient("http://localhost:3000", api_key=API_KEY)
    shown = repr(client) + str(client) + repr(vars(client))
    assert API_KEY not in shown
    assert f"api_key={REDACTED}" in repr(client)
    assert "api_key=None" in repr(WorkerClient("http://localhost:3000"))


@pytest.mark.parametrize(
    "url",
    [
        "http://user:hunter2-pw@127.0.0.1:3000",  # credentials: refused, as the TS client does
        "ftp://user:hunter2-pw@127.0.0.1",  # not http(s)
        "http://127.0.0.1:3000/?token=hunter2-pw",  # a query
        "127.0.0.1:3000/hunter2-pw",  # no scheme
    ],
)
def test_a_bad_base_url_is_refused_without_echoing_it(url: str) -> None:
    with pytest.raises(WorkerClientError) as caught:
        WorkerClient(url)
    assert "hunter2-pw" not in str(caught.value)


def test_the_base_url_is_normalised_like_the_typescript_clients() -> None:
    client = WorkerClient("  HTTPS://Backend.example:8443/worker//  ")
    assert client._core.config.base_url == "https://Backend.example:8443/worker"


def test_a_netrc_entry_never_replaces_the_api_key(
    job_server: JobServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    netrc = tmp_path / "netrc"
    netrc.write_text("machine 127.0.0.1 login someone password netrc-pw\n")
    netrc.chmod(0o600)
    monkeypatch.setenv("NETRC", str(netrc))
    for key in (API_KEY, None):
        with WorkerClient(job_server.url, api_key=key) as client, pytest.raises(JobNotFoundError):
            client.get_job_status("x")
    first, second = job_server.requests
    assert first.headers["authorization"] == f"Bearer {API_KEY}"
    assert "authorization" not in second.headers  # no key: nothing, as in the TS client


def test_the_context_manager_closes_the_session(job_server: JobServer) -> None:
    with WorkerClient(job_server.url) as client:
        client.send_to_queue("file-download-request", {})
        adapters: Any = client._session.adapters["http://"]
        assert adapters.poolmanager.pools  # a connection was pooled
    assert not adapters.poolmanager.pools  # and released by close()


def test_every_method_of_the_published_4_0_9_client_keeps_working() -> None:
    """The seed README's API reference: same names, same parameters, same payload types."""
    from seeds import PYTHON_SEED

    reference = PYTHON_SEED.read_text(encoding="utf-8")
    methods = re.findall(r"^- `(\w+)\(data: (\w+), opts: Optional", reference, re.MULTILINE)
    assert len(methods) == 46
    for name, payload_type in methods:
        parameters = inspect.signature(getattr(WorkerClient, name)).parameters
        assert list(parameters)[:3] == ["self", "data", "opts"], name
        assert parameters["opts"].default is None
        assert hasattr(worker_client, payload_type), payload_type
    send = inspect.signature(WorkerClient.send_to_queue).parameters
    assert list(send)[:4] == ["self", "message_type", "payload", "opts"]
    assert send["opts"].default is None
    assert list(inspect.signature(WorkerClient.get_job_status).parameters)[:2] == [
        "self",
        "job_id",
    ]
    assert callable(WorkerClient.close) and callable(WorkerClient.__enter__)
