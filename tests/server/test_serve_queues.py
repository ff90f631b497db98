"""GET /queues: every queue's job counts by state, from the in-memory store and from real
BullMQ queues on a real redis-server (consumed by a real BullMQ worker)."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import requests
from serve_support import (
    API_KEY,
    DOWNLOAD,
    SERVE_FIXTURE,
    assert_matches,
    consume_one,
    download_payload,
    serve_process,
)
from support import LoggedServer

from generator.contract import QUEUE_COUNT_STATES
from generator.ir import Catalogue

RENDER = "model-render-request"


def queues(url: str, headers: dict[str, str] | None = None) -> requests.Response:
    return requests.get(f"{url}/queues", headers=headers, timeout=60)


def counts_of(answer: requests.Response, components: dict[str, Any]) -> dict[str, dict[str, int]]:
    """The answer, checked against the document, as queue -> {state: count}."""
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert_matches("QueueList", body, components)
    return {entry.pop("queue"): entry for entry in body["queues"]}


def enqueue(url: str, job_id: str, **headers: str) -> None:
    body = {"payload": download_payload(), "opts": {"jobId": job_id}}
    answer = requests.post(f"{url}/api/jobs/{DOWNLOAD}", json=body, headers=headers, timeout=30)
    assert answer.status_code == 201, answer.text


def test_every_queue_is_listed_by_name_with_zero_counts(
    server: LoggedServer, serve_catalogue: Catalogue, components: dict[str, Any]
) -> None:
    answer = queues(server.url)
    names = [entry["queue"] for entry in answer.json()["queues"]]
    assert names == sorted(m.type for m in serve_catalogue.messages)
    zero = dict.fromkeys(QUEUE_COUNT_STATES, 0)
    assert counts_of(answer, components) == {name: zero for name in names}
    assert answer.headers["X-Request-Id"]


def test_the_counts_follow_the_jobs_of_each_queue(
    server: LoggedServer, components: dict[str, Any]
) -> None:
    memory = server.server.memory
    for job_id in ("a", "b", "c", "d", "e"):
        enqueue(server.url, job_id)
    memory.activate("a")
    memory.activate("b")
    memory.complete("b", {"ok": True})
    memory.activate("c")
    memory.fail("c", "disk full")
    counts = counts_of(queues(server.url), components)
    assert counts[DOWNLOAD] == {"waiting": 2, "active": 1, "completed": 1, "failed": 1}
    assert counts[RENDER] == dict.fromkeys(QUEUE_COUNT_STATES, 0)


def test_a_delayed_or_prioritized_job_is_in_none_of_the_four_counts(
    server: LoggedServer, components: dict[str, Any]
) -> None:
    for job_id, opts in (("later", {"delay": 60_000}), ("urgent", {"priority": 2})):
        body = {"payload": download_payload(), "opts": {"jobId": job_id, **opts}}
        assert requests.post(f"{server.url}/api/jobs/{DOWNLOAD}", json=body, timeout=30).ok
    assert counts_of(queues(server.url), components)[DOWNLOAD] == dict.fromkeys(
        QUEUE_COUNT_STATES, 0
    )


def test_the_api_key_is_required_as_for_the_job_routes(
    keyed_server: LoggedServer, components: dict[str, Any]
) -> None:
    for headers in ({}, {"Authorization": "Bearer wrong"}):
        answer = queues(keyed_server.url, headers=headers)
        assert answer.status_code == 401, answer.text
        assert_matches("ErrorResponse", answer.json(), components)
    counts_of(queues(keyed_server.url, headers={"Authorization": f"Bearer {API_KEY}"}), components)
    assert API_KEY not in keyed_server.log.getvalue()


def test_other_methods_are_405(server: LoggedServer, components: dict[str, Any]) -> None:
    answer = requests.post(f"{server.url}/queues", json={}, timeout=30)
    assert answer.status_code == 405, answer.text
    assert_matches("ErrorResponse", answer.json(), components)
    assert "GET" in answer.headers["Allow"]


def test_bullmq_counts_come_from_redis(
    redis_url: str, prefix: str, log_dir: Path, components: dict[str, Any]
) -> None:
    args = ["--schemas", str(SERVE_FIXTURE), "--redis", redis_url, "--prefix", prefix]
    with serve_process(*args, "--api-key", API_KEY, log_dir=log_dir) as serve:
        auth = {"Authorization": f"Bearer {API_KEY}"}
        enqueue(serve.url, "done-1", **auth)
        before = counts_of(queues(serve.url, headers=auth), components)
        assert before[DOWNLOAD] == {"waiting": 1, "active": 0, "completed": 0, "failed": 0}
        # One job in the queue at a time: each worker takes exactly the one it is meant to.
        done = asyncio.run(consume_one(redis_url, prefix, DOWNLOAD, returns={"ok": 1}))
        assert done == ["done-1"]
        enqueue(serve.url, "failing-1", **auth)
        failed = asyncio.run(consume_one(redis_url, prefix, DOWNLOAD, error="disk full"))
        assert failed == ["failing-1"]
        enqueue(serve.url, "queued-1", **auth)
        after = counts_of(queues(serve.url, headers=auth), components)
        assert after[DOWNLOAD] == {"waiting": 1, "active": 0, "completed": 1, "failed": 1}
        assert after[RENDER] == dict.fromkeys(QUEUE_COUNT_STATES, 0)
        assert queues(serve.url).status_code == 401
    assert "Traceback" not in serve.log()


def test_redis_going_away_is_a_503(tmp_path: Path, components: dict[str, Any]) -> None:
    import redis
    from serve_support import redis_server, require_redis_server

    require_redis_server()  # a redis-server of its own: this test shuts it down
    with redis_server(tmp_path) as url:
        with serve_process(
            "--schemas", str(SERVE_FIXTURE), "--redis", url, log_dir=tmp_path
        ) as serve:
            redis.Redis.from_url(url).shutdown(nosave=True)
            answer = queues(serve.url)
            assert answer.status_code == 503, answer.text
            assert_matches("ErrorResponse", answer.json(), components)
        assert "Traceback" not in serve.log()
