"""serve enforces the contract's JobOptions bounds, in memory and on a real redis-server: an
option out of range is a 400 naming it, never a 500, and no job is left behind; the largest
values allowed are stored and read back."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import redis
import requests
from serve_support import (
    DOWNLOAD,
    SERVE_FIXTURE,
    ServeProcess,
    consume_one,
    download_payload,
    serve_process,
)

from generator.contract.jobs import MAX_INTEGER, MAX_PRIORITY, MAX_TIMESTAMP

BEYOND_MSGPACK = 2**64  # what made msgpack raise (500) before serve checked the bounds
BEYOND_REDIS = 2**63 - 1

# (option path below opts, the value) -> the pointer the 400 names
OUT_OF_RANGE: list[tuple[dict[str, Any], str]] = [
    ({"priority": MAX_PRIORITY + 1}, "/opts/priority"),
    ({"priority": -1}, "/opts/priority"),
    ({"attempts": BEYOND_MSGPACK}, "/opts/attempts"),
    ({"attempts": MAX_INTEGER + 1}, "/opts/attempts"),
    ({"delay": BEYOND_REDIS}, "/opts/delay"),
    ({"delay": MAX_TIMESTAMP + 1}, "/opts/delay"),
    ({"timestamp": BEYOND_REDIS}, "/opts/timestamp"),
    ({"timestamp": BEYOND_MSGPACK}, "/opts/timestamp"),
    ({"keepLogs": BEYOND_MSGPACK}, "/opts/keepLogs"),
    ({"stackTraceLimit": BEYOND_MSGPACK}, "/opts/stackTraceLimit"),
    ({"sizeLimit": BEYOND_MSGPACK}, "/opts/sizeLimit"),
    ({"backoff": BEYOND_MSGPACK}, "/opts/backoff"),
    ({"backoff": {"type": "fixed", "delay": BEYOND_REDIS}}, "/opts/backoff/delay"),
    ({"backoff": {"type": "fixed", "jitter": 2}}, "/opts/backoff/jitter"),
    ({"removeOnComplete": BEYOND_MSGPACK}, "/opts/removeOnComplete"),
    ({"removeOnFail": {"age": BEYOND_MSGPACK}}, "/opts/removeOnFail/age"),
    ({"deduplication": {"id": "d", "ttl": BEYOND_REDIS}}, "/opts/deduplication/ttl"),
    ({"deduplication": {"id": "a:b"}}, "/opts/deduplication/id"),
    ({"repeat": {"every": 1000}}, "/opts/repeat"),
    ({"debounce": {"id": "d", "ttl": 10}}, "/opts/debounce"),
    ({"jobId": "12345"}, "/opts/jobId"),
]
LARGEST = {
    "priority": MAX_PRIORITY,
    "attempts": MAX_INTEGER,
    "delay": MAX_TIMESTAMP,
    "timestamp": MAX_TIMESTAMP,
    "keepLogs": MAX_INTEGER,
    "backoff": {"type": "exponential", "delay": MAX_TIMESTAMP, "jitter": 1},
    "removeOnComplete": {"age": MAX_INTEGER, "count": MAX_INTEGER},
    "deduplication": {"id": "largest", "ttl": MAX_TIMESTAMP},
}


@pytest.fixture(scope="module")
def prefix() -> str:
    return f"t{uuid.uuid4().hex[:12]}"


@pytest.fixture(scope="module")
def redis_serve(
    redis_url: str, prefix: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[ServeProcess]:
    args = ["--schemas", str(SERVE_FIXTURE), "--redis", redis_url, "--prefix", prefix]
    with serve_process(*args, log_dir=tmp_path_factory.mktemp("serve-log")) as serve:
        yield serve


def _keys(redis_url: str, prefix: str) -> set[str]:
    client = redis.Redis.from_url(redis_url, decode_responses=True)
    try:
        return set(client.scan_iter(f"{prefix}:*"))
    finally:
        client.close()


@pytest.mark.parametrize(("opts", "pointer"), OUT_OF_RANGE, ids=[p for _, p in OUT_OF_RANGE])
def test_an_option_out_of_range_is_a_400_and_leaves_no_job(
    redis_serve: ServeProcess, redis_url: str, prefix: str, opts: dict[str, Any], pointer: str
) -> None:
    before = _keys(redis_url, prefix)
    job_id = f"bounds-{uuid.uuid4().hex[:8]}"
    body = {"payload": download_payload(), "opts": {"jobId": job_id, **opts}}
    if "jobId" in opts:
        job_id = str(opts["jobId"])
    answer = requests.post(f"{redis_serve.url}/api/jobs/{DOWNLOAD}", json=body, timeout=30)
    assert answer.status_code == 400, answer.text
    assert pointer in {d["path"] for d in answer.json()["details"]}, answer.json()
    assert _keys(redis_url, prefix) == before
    assert requests.get(f"{redis_serve.url}/api/jobs/{job_id}", timeout=30).status_code == 404


def test_the_largest_values_allowed_are_kept_and_read_back(
    redis_serve: ServeProcess, redis_url: str, prefix: str
) -> None:
    url = f"{redis_serve.url}/api/jobs"
    body = {"payload": download_payload(), "opts": {"jobId": "largest-options", **LARGEST}}
    answer = requests.post(f"{url}/{DOWNLOAD}", json=body, timeout=30)
    assert answer.status_code == 201, answer.text
    status = requests.get(f"{url}/largest-options", timeout=30)
    assert status.status_code == 200, status.text
    assert status.json()["timestamp"] == MAX_TIMESTAMP
    # The same enqueue again finds the job (200), and nothing answers 500 afterwards.
    assert requests.post(f"{url}/{DOWNLOAD}", json=body, timeout=30).status_code == 200


def test_memory_store_enforces_the_same_bounds(tmp_path: Path) -> None:
    with serve_process("--schemas", str(SERVE_FIXTURE), log_dir=tmp_path) as serve:
        url = f"{serve.url}/api/jobs/{DOWNLOAD}"
        for opts, pointer in OUT_OF_RANGE:
            body = {"payload": download_payload(), "opts": {"jobId": "memory-bounds", **opts}}
            answer = requests.post(url, json=body, timeout=30)
            assert answer.status_code == 400, (opts, answer.text)
            assert pointer in {d["path"] for d in answer.json()["details"]}
        assert requests.get(f"{serve.url}/api/jobs/memory-bounds", timeout=30).status_code == 404


def test_a_failed_job_reports_why_and_how_often(
    redis_serve: ServeProcess, redis_url: str, prefix: str
) -> None:
    url = f"{redis_serve.url}/api/jobs"
    body = {"payload": download_payload(), "opts": {"jobId": "fails-once"}}
    assert requests.post(f"{url}/{DOWNLOAD}", json=body, timeout=30).status_code == 201
    fresh = requests.get(f"{url}/fails-once", timeout=30).json()
    assert (fresh["attemptsMade"], fresh["processedOn"], fresh["failedReason"]) == (0, None, None)

    seen = asyncio.run(consume_one(redis_url, prefix, DOWNLOAD, error="disk full"))
    assert seen == ["fails-once"]
    failed = requests.get(f"{url}/fails-once", timeout=30).json()
    assert failed["state"] == "failed"
    assert failed["failedReason"] == "disk full"
    assert failed["attemptsMade"] == 1
    assert isinstance(failed["processedOn"], int) and isinstance(failed["finishedOn"], int)
