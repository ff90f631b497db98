"""serve enforces docs/contract.md: real HTTP against the app on 127.0.0.1, jobs in memory."""

from __future__ import annotations

import re
import uuid
from typing import Any

import pytest
import requests
from serve_support import API_KEY, DOWNLOAD, SECRET_VALUE, assert_matches, download_payload
from support import LoggedServer, logged_serve

from generator.ir import Catalogue
from generator.server.store import AddOutcome, JobRecord

RENDER = "model-render-request"


def render_payload(**changes: Any) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "modelId": "1b4e28ba-2fa1-11d2-883f-0016d3cca427",
        "requestedAt": "2025-01-15T10:30:00Z",
        "views": [{"angle": 0}, {"angle": 90, "label": "side"}],
        "output": {"bucket": "renders", "provider": "s3"},
    }
    payload.update(changes)
    return payload


def post(url: str, message_type: str, body: Any, **kwargs: Any) -> requests.Response:
    if isinstance(body, (bytes, str)):
        return requests.post(f"{url}/api/jobs/{message_type}", data=body, timeout=30, **kwargs)
    return requests.post(f"{url}/api/jobs/{message_type}", json=body, timeout=30, **kwargs)


def status(url: str, job_id: str, **kwargs: Any) -> requests.Response:
    return requests.get(f"{url}/api/jobs/{job_id}", timeout=30, **kwargs)


def error_of(response: requests.Response, code: int, components: dict[str, Any]) -> dict[str, Any]:
    assert response.status_code == code, response.text
    body: dict[str, Any] = response.json()
    assert_matches("ErrorResponse", body, components)
    assert body["statusCode"] == code
    assert response.headers["X-Request-Id"]
    return body


# ----------------------------------------------------------------------------- enqueue + status


def test_a_valid_job_is_enqueued_and_its_status_read_back(
    server: LoggedServer, components: dict[str, Any]
) -> None:
    answer = post(server.url, RENDER, {"payload": render_payload(), "opts": {"attempts": 3}})
    assert answer.status_code == 201, answer.text
    body = answer.json()
    assert_matches("JobResponse", body, components)
    assert body["messageName"] == body["queue"] == RENDER
    assert uuid.UUID(body["jobId"]).version == 4  # serve picks a jobId when none is given

    job = status(server.url, body["jobId"])
    assert job.status_code == 200
    assert_matches("JobStatus", job.json(), components)
    assert job.json()["state"] == "waiting"
    assert job.json()["data"] == render_payload()
    assert job.json()["name"] == job.json()["queue"] == RENDER
    assert job.json()["returnvalue"] is None


@pytest.mark.parametrize("envelope", [{}, {"opts": None}, {"opts": {}}])
def test_opts_may_be_left_out_or_null_as_the_upstream_client_sends(
    server: LoggedServer, envelope: dict[str, Any]
) -> None:
    answer = post(server.url, DOWNLOAD, {"payload": download_payload(), **envelope})
    assert answer.status_code == 201, answer.text


def test_an_existing_job_id_adds_nothing_and_answers_200(
    server: LoggedServer, components: dict[str, Any]
) -> None:
    opts = {"jobId": "download-model-42"}
    first = post(server.url, DOWNLOAD, {"payload": download_payload(), "opts": opts})
    again = post(server.url, DOWNLOAD, {"payload": download_payload(modelId="m2"), "opts": opts})
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json() == again.json()
    assert_matches("JobResponse", again.json(), components)
    jobs = server.server.memory.jobs()
    assert [j.job_id for j in jobs] == ["download-model-42"]
    assert jobs[0].data["modelId"] == "m1"  # the first add stands, as in BullMQ


def test_a_job_id_taken_in_another_queue_is_a_conflict(
    server: LoggedServer, components: dict[str, Any]
) -> None:
    opts = {"jobId": "shared-id"}
    assert post(server.url, DOWNLOAD, {"payload": download_payload(), "opts": opts}).ok
    clash = post(server.url, RENDER, {"payload": render_payload(), "opts": opts})
    assert "already taken" in error_of(clash, 409, components)["message"]


def test_job_states_follow_bullmq(server: LoggedServer, components: dict[str, Any]) -> None:
    memory = server.server.memory
    cases = {"plain": {}, "later": {"delay": 5000}, "urgent": {"priority": 1}}
    for job_id, opts in cases.items():
        answer = post(
            server.url, DOWNLOAD, {"payload": download_payload(), "opts": {"jobId": job_id, **opts}}
        )
        assert answer.status_code == 201, answer.text
    assert status(server.url, "plain").json()["state"] == "waiting"
    assert status(server.url, "later").json()["state"] == "delayed"
    assert status(server.url, "urgent").json()["state"] == "prioritized"

    memory.activate("plain")
    memory.update_progress("plain", 40)
    assert (
        status(server.url, "plain").json()["state"],
        status(server.url, "plain").json()["progress"],
    ) == ("active", 40)
    memory.complete("plain", {"ok": True, "files": ["a.png"]})
    done = status(server.url, "plain").json()
    assert_matches("JobStatus", done, components)
    assert (done["state"], done["returnvalue"]) == ("completed", {"ok": True, "files": ["a.png"]})
    memory.fail("later", "boom")
    assert status(server.url, "later").json()["state"] == "failed"


def test_deduplication_returns_the_job_in_force(server: LoggedServer) -> None:
    dedup = {"deduplication": {"id": "model-7"}}
    first = post(
        server.url, DOWNLOAD, {"payload": download_payload(), "opts": {"jobId": "d-1", **dedup}}
    )
    second = post(
        server.url, DOWNLOAD, {"payload": download_payload(), "opts": {"jobId": "d-2", **dedup}}
    )
    assert (first.status_code, second.status_code) == (201, 200)
    assert second.json()["jobId"] == "d-1"
    assert status(server.url, "d-2").status_code == 404
    server.server.memory.complete("d-1")
    third = post(
        server.url, DOWNLOAD, {"payload": download_payload(), "opts": {"jobId": "d-3", **dedup}}
    )
    assert (third.status_code, third.json()["jobId"]) == (201, "d-3")


def test_a_parent_job_must_exist(server: LoggedServer, components: dict[str, Any]) -> None:
    parent = {"parent": {"id": "nope", "queue": f"bull:{DOWNLOAD}"}}
    missing = post(server.url, RENDER, {"payload": render_payload(), "opts": parent})
    assert "no parent job" in error_of(missing, 404, components)["message"]
    assert post(server.url, DOWNLOAD, {"payload": download_payload(), "opts": {"jobId": "nope"}}).ok
    child = post(server.url, RENDER, {"payload": render_payload(), "opts": parent})
    assert child.status_code == 201, child.text


# ----------------------------------------------------------------------------- 422 payload


def test_422_names_every_offending_field_by_json_pointer(
    server: LoggedServer, components: dict[str, Any]
) -> None:
    payload = render_payload(
        modelId="not-a-uuid",
        quality=0,
        views=[{"angle": 400}, {"label": 5}],
        output={"bucket": "", "provider": "ftp", "region": "eu"},
    )
    del payload["requestedAt"]
    body = error_of(post(server.url, RENDER, {"payload": payload}), 422, components)
    assert body["message"] == "payload does not match ModelRenderRequestMessage"
    assert {d["path"]: d["message"] for d in body["details"]} == {
        "/modelId": "must be a valid uuid",
        "/quality": "must be >= 1",
        "/requestedAt": "'requestedAt' is a required property",
        "/views/0/angle": "must be <= 360",
        "/views/1/angle": "'angle' is a required property",
        "/views/1/label": "must be of type null or string",
        "/output/bucket": "must be at least 1 characters long",
        "/output/provider": 'must be one of ["s3", "minio", "gcs"]',
        "/output/region": "is not an allowed field",
    }


def test_the_contract_example_of_a_422(server: LoggedServer) -> None:
    body = post(
        server.url, DOWNLOAD, {"payload": {"storageLocation": {"bucket": "b", "provider": "s3"}}}
    ).json()
    assert body == {
        "statusCode": 422,
        "error": "Unprocessable Entity",
        "message": "payload does not match FileDownloadRequestMessage",
        "details": [{"path": "/modelId", "message": "'modelId' is a required property"}],
    }


def test_a_payload_that_is_not_an_object_is_a_422(
    server: LoggedServer, components: dict[str, Any]
) -> None:
    body = error_of(post(server.url, DOWNLOAD, {"payload": [1, 2]}), 422, components)
    assert body["details"] == [{"path": "", "message": "must be of type object"}]


def test_422_details_never_echo_values(server: LoggedServer, components: dict[str, Any]) -> None:
    payload = download_payload(
        modelId="",
        credentials={"accessKeyId": 7, "secretAccessKey": {"v": SECRET_VALUE}, "pw": SECRET_VALUE},
    )
    payload["x-request-id"] = SECRET_VALUE
    answer = post(server.url, DOWNLOAD, {"payload": payload})
    body = error_of(answer, 422, components)
    assert SECRET_VALUE not in answer.text
    assert {d["path"]: d["message"] for d in body["details"]} == {
        "/modelId": "must be at least 1 characters long",
        "/credentials/accessKeyId": "must be of type string",
        "/credentials/secretAccessKey": "must be of type string",
        "/credentials/pw": "is not an allowed field",
        "/x-request-id": "must be a valid uuid",
    }
    assert SECRET_VALUE not in server.log.getvalue()


# ----------------------------------------------------------------------------- 400 envelope


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"{not json", "the request body is not valid JSON"),
        (b'{"payload": NaN}', "the request body is not valid JSON"),
        (b"\xff\xfe", "the request body is not valid JSON"),
        (b"", "the request body is not valid JSON"),
        (b"[" * 100_000 + b"]" * 100_000, "the request body is nested more than 100 levels deep"),
    ],
)
def test_a_body_that_is_not_json_is_a_400(
    server: LoggedServer, components: dict[str, Any], raw: bytes, message: str
) -> None:
    answer = post(server.url, DOWNLOAD, raw, headers={"Content-Type": "application/json"})
    assert error_of(answer, 400, components)["message"] == message


@pytest.mark.parametrize(
    ("body", "paths"),
    [
        ([], {""}),
        ({"opts": {}}, {"/payload"}),
        ({"payload": {}, "priority": 1}, {"/priority"}),
        ({"payload": {}, "opts": "fast"}, {"/opts"}),
        ({"payload": {}, "opts": {"priority": "high"}}, {"/opts/priority"}),
        ({"payload": {}, "opts": {"jobId": "12345"}}, {"/opts/jobId"}),
        ({"payload": {}, "opts": {"jobId": "model:1"}}, {"/opts/jobId"}),
        ({"payload": {}, "opts": {"jobId": "meta"}}, {"/opts/jobId"}),
        (
            {"payload": {}, "opts": {"delay": -1, "attempts": 1.5}},
            {"/opts/delay", "/opts/attempts"},
        ),
        ({"payload": {}, "opts": {"removeOnComplete": "yes"}}, {"/opts/removeOnComplete"}),
        (
            {
                "payload": {},
                "opts": {"failParentOnFailure": True, "ignoreDependencyOnFailure": True},
            },
            {"/opts"},
        ),
    ],
)
def test_a_body_that_is_not_payload_and_valid_opts_is_a_400(
    server: LoggedServer, components: dict[str, Any], body: Any, paths: set[str]
) -> None:
    error = error_of(post(server.url, DOWNLOAD, body), 400, components)
    assert {d["path"] for d in error["details"]} == paths
    assert server.server.memory.jobs() == []


@pytest.mark.parametrize("option", ["someFutureOption", "repeat", "debounce"])
def test_options_bullmq_6_does_not_take_on_add_are_refused(
    server: LoggedServer, components: dict[str, Any], option: str
) -> None:
    opts = {"jobId": "custom-opts", option: {"every": 1000}}
    body = {"payload": download_payload(), "opts": opts}
    error = error_of(post(server.url, DOWNLOAD, body), 400, components)
    assert {d["path"] for d in error["details"]} == {f"/opts/{option}"}
    assert server.server.memory.jobs() == []


# ----------------------------------------------------------------------------- 401 / 404 / 405


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": f"Basic {API_KEY}"},
        {"Authorization": "Bearer wrong"},
        {"Authorization": "Bearer "},
    ],
)
def test_a_missing_or_wrong_key_is_a_401(
    keyed_server: LoggedServer, components: dict[str, Any], headers: dict[str, str]
) -> None:
    answer = post(keyed_server.url, DOWNLOAD, {"payload": download_payload()}, headers=headers)
    error_of(answer, 401, components)
    assert answer.headers["WWW-Authenticate"] == "Bearer"
    error_of(status(keyed_server.url, "anything", headers=headers), 401, components)
    assert keyed_server.server.memory.jobs() == []


def test_the_right_key_is_accepted_and_never_logged(keyed_server: LoggedServer) -> None:
    auth = {"Authorization": f"Bearer {API_KEY}"}
    answer = post(keyed_server.url, DOWNLOAD, {"payload": download_payload()}, headers=auth)
    assert answer.status_code == 201
    assert status(keyed_server.url, answer.json()["jobId"], headers=auth).status_code == 200
    # The key is checked before the message type: no probing for names without it.
    error_of_unknown = post(keyed_server.url, "no-such-type", {"payload": {}})
    assert error_of_unknown.status_code == 401
    assert API_KEY not in keyed_server.log.getvalue()


def test_without_a_configured_key_any_authorization_is_accepted(server: LoggedServer) -> None:
    answer = post(
        server.url, DOWNLOAD, {"payload": download_payload()}, headers={"Authorization": "Bearer x"}
    )
    assert answer.status_code == 201


def test_unknown_message_types_jobs_and_routes_are_404(
    server: LoggedServer, components: dict[str, Any]
) -> None:
    assert (
        "unknown message type"
        in error_of(post(server.url, "no-such-type", {"payload": {}}), 404, components)["message"]
    )
    assert (
        error_of(status(server.url, "no-such-job"), 404, components)["message"]
        == "no job 'no-such-job'"
    )
    error_of(requests.get(f"{server.url}/api/other", timeout=30), 404, components)
    error_of(requests.get(f"{server.url}/api/jobs/a/b", timeout=30), 404, components)


@pytest.mark.parametrize(
    ("method", "path", "allow"),
    [
        ("PUT", f"/api/jobs/{DOWNLOAD}", "POST"),
        ("DELETE", f"/api/jobs/{DOWNLOAD}", "POST"),
        ("DELETE", "/api/jobs/some-job", "GET"),
        ("PATCH", "/api/jobs/some-job", "GET"),
    ],
)
def test_other_methods_are_405_with_the_documented_allow(
    server: LoggedServer, components: dict[str, Any], method: str, path: str, allow: str
) -> None:
    answer = requests.request(method, f"{server.url}{path}", timeout=30)
    error_of(answer, 405, components)
    assert answer.headers["Allow"] == allow


# ----------------------------------------------------------------------------- request ids, logs


def test_every_answer_carries_a_request_id(server: LoggedServer) -> None:
    answers = [
        post(server.url, DOWNLOAD, {"payload": download_payload()}),
        post(server.url, DOWNLOAD, b"nope"),
        status(server.url, "missing"),
        requests.get(f"{server.url}/elsewhere", timeout=30),
    ]
    ids = [a.headers["X-Request-Id"] for a in answers]
    assert len(set(ids)) == len(ids)
    mine = status(server.url, "missing", headers={"X-Request-Id": "trace-123.abc"})
    assert mine.headers["X-Request-Id"] == "trace-123.abc"
    hostile = status(server.url, "missing", headers={"X-Request-Id": "a b\tc" + "x" * 300})
    assert uuid.UUID(hostile.headers["X-Request-Id"])


def test_one_log_line_per_request_without_bodies_or_credentials(keyed_server: LoggedServer) -> None:
    auth = {"Authorization": f"Bearer {API_KEY}"}
    payload = download_payload(credentials={"secretAccessKey": SECRET_VALUE})
    created = post(keyed_server.url, DOWNLOAD, {"payload": payload}, headers=auth)
    post(keyed_server.url, DOWNLOAD, {"payload": dict(payload, modelId=5)}, headers=auth)
    status(keyed_server.url, created.json()["jobId"], headers=auth)
    requests.get(f"{keyed_server.url}/api/jobs/evil%0d%0aINJECTED 200", timeout=30, headers=auth)
    lines = keyed_server.log.getvalue().splitlines()
    assert len(lines) == 4
    assert re.match(
        rf"POST /api/jobs/{DOWNLOAD} 201 [0-9.]+ms request_id={created.headers['X-Request-Id']}$",
        lines[0],
    )
    assert lines[1].startswith(f"POST /api/jobs/{DOWNLOAD} 422 ")
    assert lines[3].lower().startswith("get /api/jobs/evil%0d%0ainjected%20200 404 ")
    text = keyed_server.log.getvalue()
    for leaked in (API_KEY, SECRET_VALUE, "secretAccessKey", "modelId"):
        assert leaked not in text


class _FailingStore:
    """A store whose add breaks with a message holding request data."""

    description = "failing store"

    async def start(self) -> None:
        return None

    async def close(self) -> None:
        return None

    async def add(self, queue: str, data: Any, opts: dict[str, Any]) -> AddOutcome:
        raise RuntimeError(f"store exploded on {data}")

    async def get(self, job_id: str) -> JobRecord | None:
        return None


def test_an_unexpected_failure_is_a_500_in_the_contract_shape(
    serve_catalogue: Catalogue, components: dict[str, Any]
) -> None:
    with logged_serve(serve_catalogue, store=_FailingStore()) as broken:
        payload = download_payload(credentials={"secretAccessKey": SECRET_VALUE})
        answer = post(broken.url, DOWNLOAD, {"payload": payload})
    body = error_of(answer, 500, components)
    assert body["message"] == "internal server error"
    assert SECRET_VALUE not in answer.text
    assert "RuntimeError" in broken.log.getvalue()
    assert SECRET_VALUE not in broken.log.getvalue()
