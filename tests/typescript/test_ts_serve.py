"""The built TypeScript client against `worker-client-gen serve`, the contract-keeping backend.

`serve` runs in-process (one per module, with an api key and a log capture) so that pytest
can play the BullMQ worker between two node phases (tests/typescript/serve.test.mjs):

1. `enqueue`: every message type's example payload through its camelCase method, each job
   read back `waiting`; a schema violation only the server sees (sent with `validate: false`)
   is a 422 naming the field; a wrong or missing api key is a 401 that is not retried; an
   unknown job id is JobNotFoundError.
2. pytest checks the store and the server's request log, then completes, fails and
   activates jobs through `server.memory`.
3. `worker`: node reads those jobs' new states, return value and progress.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from support import LoggedServer, logged_serve
from ts_support import run_node_suite, valid_payload

from generator.ir import Catalogue
from generator.server.runner import RunningServer
from generator.server.store import JobRecord
from generator.targets.typescript_naming import method as typescript_method

SERVE_API_KEY = "serve-key-ts-5c1e9a7d"
WRONG_API_KEY = "serve-key-ts-WRONG"
JOB_PREFIX = "ts-serve-"
NODE_SUITE = "serve.test.mjs"
# What serve.test.mjs sends that the server must refuse, one request each (no retries).
EXPECTED_401 = 3  # wrong key on enqueue, wrong key on getJobStatus, no key on enqueue
EXPECTED_422 = 2  # the format violation and the missing/wrong-type payload, validate: false
EXPECTED_404 = 2  # getJobStatus of an unknown job id, and of the refused format-case job id

LOG_LINE_RE = re.compile(r"^(?P<method>\S+) (?P<path>\S+) (?P<status>\d{3}) ")


def format_case(catalogue: Catalogue) -> dict[str, Any]:
    """A payload the TypeScript types accept (a string where a string goes) that breaks a
    `format` of its schema: only a validator, the client's validation or the server, can tell."""
    for preferred in ("uuid", None):
        for msg in catalogue.messages:
            for f in msg.payload.fields:
                if not (f.required and f.type.kind == "string" and f.type.format):
                    continue
                if preferred is not None and f.type.format != preferred:
                    continue
                payload = copy.deepcopy(valid_payload(catalogue, msg))
                payload[f.name] = "definitely not a " + f.type.format
                validator = Draft202012Validator(
                    catalogue.message_schema(msg.type),
                    format_checker=Draft202012Validator.FORMAT_CHECKER,
                )
                paths = {
                    "/" + "/".join(str(p) for p in e.absolute_path)
                    for e in validator.iter_errors(payload)
                }
                if paths == {"/" + f.name}:
                    return {
                        "type": msg.type,
                        "method": typescript_method(msg.type),
                        "field": "/" + f.name,
                        "format": f.type.format,
                        "payload": payload,
                    }
    raise AssertionError("no message has a required string field with a format")


@dataclass(frozen=True)
class EnqueuePhase:
    log_lines: list[str]  # serve's request log during the phase
    jobs: list[JobRecord]  # serve's store right after it


def job_id(message_type: str) -> str:
    return JOB_PREFIX + message_type


@pytest.fixture(scope="module")
def logged_server(catalogue: Catalogue) -> Iterator[LoggedServer]:
    """serve on the real schemas with an api key; its request log captured."""
    with logged_serve(catalogue, api_key=SERVE_API_KEY) as logged:
        yield logged


@pytest.fixture(scope="module")
def server(logged_server: LoggedServer) -> RunningServer:
    return logged_server.server


@pytest.fixture(scope="module")
def lifecycle(catalogue: Catalogue) -> dict[str, Any]:
    """Which of the enqueued jobs the worker stand-in moves on, and how."""
    types = [m.type for m in catalogue.messages]
    assert len(types) >= 3
    return {
        "completed": {
            "jobId": job_id(types[0]),
            "returnvalue": {"ok": True, "outputs": ["a.stl", "b.png"], "count": 2, "none": None},
        },
        "failed": {"jobId": job_id(types[1]), "reason": "worker gave up on purpose"},
        "active": {"jobId": job_id(types[2]), "progress": {"percent": 40, "stage": "render"}},
    }


@pytest.fixture(scope="module")
def serve_cases(
    catalogue: Catalogue,
    server: RunningServer,
    lifecycle: dict[str, Any],
    tmp_path_factory: pytest.TempPathFactory,
) -> Path:
    path = tmp_path_factory.mktemp("serve-cases") / "serve.json"
    path.write_text(
        json.dumps(
            {
                "url": server.url,
                "apiKey": SERVE_API_KEY,
                "wrongApiKey": WRONG_API_KEY,
                "jobPrefix": JOB_PREFIX,
                "formatCase": format_case(catalogue),
                "lifecycle": lifecycle,
            },
            indent=2,
        )
    )
    return path


def run_phase(phase: str, ts_package: Path, node_cases_file: Path, serve_cases: Path) -> str:
    env = {"WCG_SERVE_CASES": str(serve_cases), "WCG_SERVE_PHASE": phase}
    return run_node_suite(NODE_SUITE, ts_package, node_cases_file, env)


@pytest.fixture(scope="module")
def enqueue_phase(
    ts_package: Path,
    node_cases_file: Path,
    serve_cases: Path,
    logged_server: LoggedServer,
) -> EnqueuePhase:
    """Runs phase `enqueue`: the server's request log lines and its jobs right after."""
    before = len(logged_server.lines())
    run_phase("enqueue", ts_package, node_cases_file, serve_cases)
    return EnqueuePhase(logged_server.lines()[before:], logged_server.server.memory.jobs())


def test_enqueue_phase_passes(enqueue_phase: EnqueuePhase) -> None:
    """serve.test.mjs, phase `enqueue`: methods, waiting status, 422, 401, unknown job."""
    assert enqueue_phase.log_lines


def test_store_holds_exactly_the_enqueued_jobs(
    catalogue: Catalogue, enqueue_phase: EnqueuePhase
) -> None:
    jobs = {j.job_id: j for j in enqueue_phase.jobs}
    # One job per message type, and none from the refused (401/422) requests.
    assert sorted(jobs) == sorted(job_id(m.type) for m in catalogue.messages)
    for msg in catalogue.messages:
        job = jobs[job_id(msg.type)]
        assert job.queue == msg.type
        assert job.name == msg.type
        assert job.state == "waiting"
        assert job.data == valid_payload(catalogue, msg)


def test_refused_requests_reached_the_server_once_each(
    catalogue: Catalogue, enqueue_phase: EnqueuePhase
) -> None:
    lines = enqueue_phase.log_lines
    statuses: dict[str, int] = {}
    for line in lines:
        match = LOG_LINE_RE.match(line)
        if match:
            statuses[match["status"]] = statuses.get(match["status"], 0) + 1
    n = len(catalogue.messages)
    # The client retries by default (maxRetries 2): a second 401/422 line would be a retry.
    assert statuses.get("401", 0) == EXPECTED_401, lines
    assert statuses.get("422", 0) == EXPECTED_422, lines
    assert statuses.get("404", 0) == EXPECTED_404, lines
    assert statuses.get("201", 0) == n, lines
    assert statuses.get("200", 0) == n, lines  # one waiting status per job
    assert set(statuses) == {"200", "201", "401", "404", "422"}, statuses


def test_worker_phase_reads_completed_failed_and_active_jobs(
    ts_package: Path,
    node_cases_file: Path,
    serve_cases: Path,
    server: RunningServer,
    lifecycle: dict[str, Any],
    enqueue_phase: EnqueuePhase,
) -> None:
    store = server.memory
    store.complete(lifecycle["completed"]["jobId"], lifecycle["completed"]["returnvalue"])
    store.fail(lifecycle["failed"]["jobId"], lifecycle["failed"]["reason"])
    store.activate(lifecycle["active"]["jobId"])
    store.update_progress(lifecycle["active"]["jobId"], lifecycle["active"]["progress"])

    run_phase("worker", ts_package, node_cases_file, serve_cases)
