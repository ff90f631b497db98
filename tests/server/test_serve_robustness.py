"""serve holds up against hostile clients: body limit, deep nesting, clients that go away,
job ids that would mislead a reader, and an index at `/` for whoever finds the port."""

from __future__ import annotations

import io
import logging
import re
import socket
import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
import requests
from serve_support import DOWNLOAD, SERVE_FIXTURE, download_payload, serve_process
from support import LoggedServer

from generator.ir import Catalogue
from generator.server import DEFAULT_MAX_BODY_BYTES
from generator.server.app import MAX_BODY_DEPTH
from generator.server.runner import serve_in_thread

# Generous bound for the server to write a log line after a client left; never a speed check.
LOG_WAIT_S = 30.0


def post(url: str, body: Any, **kwargs: Any) -> requests.Response:
    if isinstance(body, (bytes, str)) or hasattr(body, "__next__"):
        return requests.post(f"{url}/api/jobs/{DOWNLOAD}", data=body, timeout=60, **kwargs)
    return requests.post(f"{url}/api/jobs/{DOWNLOAD}", json=body, timeout=60, **kwargs)


@pytest.fixture
def small_body_server(serve_catalogue: Catalogue) -> Iterator[LoggedServer]:
    log = io.StringIO()
    logger = logging.getLogger(f"serve-robust-{id(log)}")
    logger.addHandler(logging.StreamHandler(log))
    logger.setLevel(logging.INFO)
    logger.propagate = False
    with serve_in_thread(serve_catalogue, logger=logger, max_body_bytes=2048) as server:
        yield LoggedServer(server, log)


# ----------------------------------------------------------------------------- body limit


def test_the_default_body_limit_is_at_most_a_mebibyte() -> None:
    assert DEFAULT_MAX_BODY_BYTES <= 1024 * 1024


def test_a_body_over_the_default_limit_is_a_413(server: LoggedServer) -> None:
    payload = {**download_payload(), "modelId": "m" * DEFAULT_MAX_BODY_BYTES}
    response = post(server.url, {"payload": payload})
    assert response.status_code == 413, response.text
    assert response.json()["statusCode"] == 413
    assert not server.server.memory.jobs()


def test_the_limit_is_configurable_and_exact(small_body_server: LoggedServer) -> None:
    url = small_body_server.url
    envelope = b'{"payload": {"modelId": "", "storageLocation": {"bucket": "b", "provider": "s3"}}}'
    pad = 2048 - len(envelope)
    fits = envelope.replace(b'"modelId": ""', b'"modelId": "' + b"m" * pad + b'"')
    assert len(fits) == 2048
    headers = {"Content-Type": "application/json"}
    assert post(url, fits, headers=headers).status_code == 201
    too_big = fits.replace(b'"m', b'"mm', 1)
    assert post(url, too_big, headers=headers).status_code == 413


def test_a_chunked_body_without_length_is_cut_off_too(small_body_server: LoggedServer) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"payload": {"modelId": "'
        for _ in range(100):
            yield b"m" * 1000
        yield b'"}}'

    response = post(small_body_server.url, chunks())
    assert response.status_code == 413
    assert not small_body_server.server.memory.jobs()


def test_serve_max_body_option(log_dir: Any) -> None:
    with serve_process("--schemas", str(SERVE_FIXTURE), "--max-body", "100", log_dir=log_dir) as s:
        assert post(s.url, {"payload": download_payload()}).status_code == 201
        response = post(s.url, {"payload": {**download_payload(), "modelId": "m" * 100}})
        assert response.status_code == 413
        assert "larger than 100 bytes" in response.json()["message"]


# ----------------------------------------------------------------------------- nesting


def nested(levels: int) -> Any:
    value: Any = 1
    for _ in range(levels):
        value = {"a": value}
    return value


@pytest.mark.parametrize("levels", [MAX_BODY_DEPTH, 900, 5000])
def test_deep_nesting_in_a_free_form_field_is_a_400(server: LoggedServer, levels: int) -> None:
    # Depth is checked before anything else: an unknown option of any depth is refused for it.
    text = '{"payload": {"modelId": "m1", "storageLocation": {"bucket": "b", "provider": "s3"}}, '
    text += '"opts": {"someFutureOption": ' + '{"a": ' * levels + "1" + "}" * levels + "}}"
    response = post(server.url, text, headers={"Content-Type": "application/json"})
    assert response.status_code == 400, response.text
    assert "nested more than" in response.json()["message"]
    assert "Traceback" not in server.log.getvalue()


def test_nesting_within_the_limit_is_judged_on_its_content(server: LoggedServer) -> None:
    # JobOptions are closed (BullMQ 6's options only), so no request field takes a deep free-form
    # value any more; one within the depth limit is refused for what it is, not for its depth.
    opts = {"jobId": "deep-but-fine", "someFutureOption": nested(MAX_BODY_DEPTH - 3)}
    response = post(server.url, {"payload": download_payload(), "opts": opts})
    assert response.status_code == 400, response.text
    assert "nested more than" not in response.json()["message"]
    assert [d["path"] for d in response.json()["details"]] == ["/opts/someFutureOption"]
    status = requests.get(f"{server.url}/api/jobs/deep-but-fine", timeout=30)
    assert status.status_code == 404


def test_brackets_inside_strings_do_not_count(server: LoggedServer) -> None:
    payload = {**download_payload(), "modelId": "[" * 5000 + '\\"{' * 100}
    assert post(server.url, {"payload": payload}).status_code == 201


# ----------------------------------------------------------------------------- disconnects


def _leave_mid_body(url: str) -> None:
    parts = urlsplit(url)
    with socket.create_connection((parts.hostname, parts.port), timeout=30) as sock:
        sock.sendall(
            f"POST /api/jobs/{DOWNLOAD} HTTP/1.1\r\nHost: x\r\n"
            "Content-Type: application/json\r\nContent-Length: 100000\r\n\r\n".encode()
            + b'{"payload": {"modelId": "'
        )


def test_a_client_going_away_mid_body_is_one_line_without_traceback(
    server: LoggedServer,
) -> None:
    clients = 20
    for _ in range(clients):
        _leave_mid_body(server.url)
    deadline = time.monotonic() + LOG_WAIT_S
    while time.monotonic() < deadline:
        gone = [line for line in server.lines() if "client went away" in line]
        if len(gone) >= clients:
            break
        time.sleep(0.05)
    # The server still answers, and has said nothing more than one line per client.
    assert post(server.url, {"payload": download_payload()}).status_code == 201
    lines = server.lines()
    assert len([line for line in lines if "client went away" in line]) == clients
    assert len(lines) == clients + 1, "\n".join(lines)
    assert "Traceback" not in server.log.getvalue()
    assert " 500 " not in server.log.getvalue()


# ----------------------------------------------------------------------------- job ids

MISLEADING_IDS = {
    "newline": "job\nINFO forged log line",
    "carriage-return": "job\r1",
    "nul": "job\x001",
    "escape": "job\x1b[31m",
    "delete": "job\x7f",
    "c1-control": "job\x85",
    "right-to-left-override": "job\u202egnp.exe",
    "left-to-right-isolate": "job\u2066x",
    "zero-width-space": "job\u200b1",
    "line-separator": "job\u20281",
    "byte-order-mark": "\ufeffjob",
}


@pytest.mark.parametrize("name", sorted(MISLEADING_IDS))
def test_a_job_id_with_control_or_bidi_characters_is_a_400(server: LoggedServer, name: str) -> None:
    job_id = MISLEADING_IDS[name]
    response = post(server.url, {"payload": download_payload(), "opts": {"jobId": job_id}})
    assert response.status_code == 400, response.text
    assert [d["path"] for d in response.json()["details"]] == ["/opts/jobId"]
    assert not server.server.memory.jobs()
    # No job can have such an id, so a lookup finds none; the answer and the log show the id
    # escaped, never as the raw character.
    encoded = requests.utils.quote(job_id, safe="")
    lookup = requests.get(f"{server.url}/api/jobs/{encoded}", timeout=30)
    assert lookup.status_code == 404, lookup.text
    assert job_id not in lookup.json()["message"]
    assert job_id not in server.log.getvalue()


def test_the_document_states_the_job_id_rule() -> None:
    from generator.contract import protocol_schemas

    job_id = protocol_schemas()["JobOptions"]["properties"]["jobId"]
    assert "no control or bidirectional characters" in job_id["description"]
    assert all(re.search(job_id["pattern"], j) is None for j in MISLEADING_IDS.values())


@pytest.mark.parametrize("job_id", ["order-42", "é-ünïcode-ok", "日本語", "a b", "x" * 200])
def test_printable_job_ids_stay_accepted(server: LoggedServer, job_id: str) -> None:
    response = post(server.url, {"payload": download_payload(), "opts": {"jobId": job_id}})
    assert response.status_code == 201, response.text
    encoded = requests.utils.quote(job_id, safe="")
    assert requests.get(f"{server.url}/api/jobs/{encoded}", timeout=30).status_code == 200


# ----------------------------------------------------------------------------- index


def test_the_root_lists_routes_message_types_and_docs(
    server: LoggedServer, serve_catalogue: Catalogue
) -> None:
    response = requests.get(f"{server.url}/", timeout=30)
    assert response.status_code == 200
    body = response.json()
    assert [r["path"] for r in body["routes"]] == [
        "/api/jobs/{messageType}",
        "/api/jobs/{jobId}",
        "/queues",
    ]
    assert body["messageTypes"] == [m.type for m in serve_catalogue.messages]
    assert "docs/contract.md" in body["docs"]
    assert body["authentication"] == "none"


def test_an_unknown_route_points_at_the_index(server: LoggedServer) -> None:
    response = requests.get(f"{server.url}/api/nothing", timeout=30)
    assert response.status_code == 404
    assert "GET /" in response.json()["message"]
