"""One table of cases (cases.json), three clients: WorkerClient, AsyncWorkerClient and the
TypeScript WorkerClient each make the case's call against a scripted server on 127.0.0.1
(fault_server.py). Each outcome must be the one the case states, and the three the same:
error class, attempts, jobIds sent, log lines, and nothing secret anywhere."""

from __future__ import annotations

import asyncio
import json
import logging
import re
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import pytest
from fault_server import FaultServer
from support import SCHEMAS, refused_url, run

from generator.contract import ERROR_CLASSES, REDACTED
from generator.schema import load_schemas

HERE = Path(__file__).resolve().parent
CASES: list[dict[str, Any]] = json.loads((HERE / "cases.json").read_text())["cases"]
CLIENTS = ("python", "python-async", "typescript")

API_KEY = "sk-live-API-KEY-4b8d2e6f-do-not-leak"
SECRET = "cred-VALUE-7f3a9c1e-do-not-leak"
JOB_ID = "job-1"
MESSAGE_TYPE = load_schemas(SCHEMAS).messages[0].type


def _payload(case: dict[str, Any]) -> dict[str, Any]:
    # Sent with validation off: what matters here is the wire, not the message schema. A
    # credential-like key is secret whatever the schemas say.
    payload: dict[str, Any] = {"modelId": "model-1"}
    if case.get("payload") == "secret":
        payload["credentials"] = {"accessToken": SECRET}
    return payload


def _path(case: dict[str, Any]) -> str:
    if case.get("call") in ("status", "wait"):
        return f"/api/jobs/{JOB_ID}"
    return f"/api/jobs/{MESSAGE_TYPE}"


def _replies(case: dict[str, Any]) -> list[dict[str, Any]]:
    """The case's replies, with <api-key> and <secret> standing for the values no client may
    show (a server that reports them back, as in a job's failure reason)."""
    text = json.dumps(case.get("replies", []))
    replies: list[dict[str, Any]] = json.loads(
        text.replace("<api-key>", API_KEY).replace("<secret>", SECRET)
    )
    return replies


class Servers:
    """The case's server and the other origin a redirect points at."""

    def __init__(self, case: dict[str, Any], stack: ExitStack) -> None:
        self.other = stack.enter_context(FaultServer([]))
        self.main = stack.enter_context(FaultServer(_replies(case), self.other))
        self.url = refused_url() if case.get("base") == "refused" else self.main.url


def _settings(case: dict[str, Any]) -> dict[str, Any]:
    client = case.get("client", {})
    return {
        "api_key": API_KEY if client.get("api_key") else None,
        "max_retries": client.get("max_retries"),
        "timeout": client.get("timeout"),
    }


class _Lines(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[list[str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        level = "warn" if record.levelno == logging.WARNING else record.levelname.lower()
        self.lines.append([level, record.getMessage()])


def _run_python(case: dict[str, Any], url: str, use_async: bool) -> dict[str, Any]:
    from worker_client import AsyncWorkerClient, WorkerClient, WorkerClientError

    settings = _settings(case)
    kwargs: dict[str, Any] = {"validate": False}
    if settings["max_retries"] is not None:
        kwargs["max_retries"] = settings["max_retries"]
    logger = logging.getLogger("worker_client")
    handler = _Lines()
    logger.addHandler(handler)
    level = logger.level
    logger.setLevel(logging.DEBUG)
    result: dict[str, Any] = {
        "error": None,
        "message": "",
        "body": "",
        "failed_reason": None,
        "state": None,
    }
    try:
        if use_async:

            async def call() -> None:
                async with AsyncWorkerClient(
                    url, settings["api_key"], settings["timeout"], **kwargs
                ) as client:
                    if case.get("call") == "status":
                        await client.get_job_status(JOB_ID)
                    elif case.get("call") == "wait":
                        await client.wait_for(JOB_ID, case["wait_timeout"])
                    else:
                        await client.send_to_queue(
                            MESSAGE_TYPE, _payload(case), case.get("opts")  # type: ignore[arg-type]
                        )

            asyncio.run(call())
        else:
            with WorkerClient(url, settings["api_key"], settings["timeout"], **kwargs) as client:
                if case.get("call") == "status":
                    client.get_job_status(JOB_ID)
                elif case.get("call") == "wait":
                    client.wait_for(JOB_ID, case["wait_timeout"])
                else:
                    client.send_to_queue(
                        MESSAGE_TYPE, _payload(case), case.get("opts")  # type: ignore[arg-type]
                    )
    except WorkerClientError as error:
        result["error"] = type(error).__name__
        result["message"] = str(error)
        result["body"] = json.dumps(getattr(error, "body", None))
        result["failed_reason"] = getattr(error, "failed_reason", None)
        result["state"] = getattr(error, "state", None)
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
    result["logs"] = handler.lines
    return result


def _seen(result: dict[str, Any], servers: Servers) -> dict[str, Any]:
    posts = [s for s in servers.main.seen if s.method == "POST"]
    return {
        **result,
        "attempts": len(servers.main.seen),
        "job_ids": [s.opts.get("jobId") for s in posts],
        "other_origin_requests": len(servers.other.seen),
    }


@pytest.fixture(scope="module")
def typescript_outcomes(
    ts_package: Path, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, dict[str, Any]]:
    """Every case through the TypeScript client, in one node process."""
    dist = ts_package / "dist" / "index.js"
    with ExitStack() as stack:
        servers = [Servers(case, stack) for case in CASES]
        runs = [
            {
                "url": s.url,
                "call": case.get("call", "enqueue"),
                "type": MESSAGE_TYPE,
                "jobId": JOB_ID,
                "waitTimeout": case.get("wait_timeout"),
                "payload": _payload(case),
                "opts": case.get("opts"),
                "apiKey": _settings(case)["api_key"],
                "maxRetries": _settings(case)["max_retries"],
                "timeout": _settings(case)["timeout"],
            }
            for case, s in zip(CASES, servers, strict=True)
        ]
        runs_file = tmp_path_factory.mktemp("conformance") / "runs.json"
        runs_file.write_text(json.dumps(runs))
        proc = run(["node", str(HERE / "harness.mjs"), str(dist), str(runs_file)], check=True)
        results = json.loads(proc.stdout)
        return {
            case["name"]: _seen(result, s)
            for case, s, result in zip(CASES, servers, results, strict=True)
        }


def _outcome(case: dict[str, Any], client: str, ts: dict[str, dict[str, Any]]) -> dict[str, Any]:
    if client == "typescript":
        return ts[case["name"]]
    with ExitStack() as stack:
        servers = Servers(case, stack)
        return _seen(_run_python(case, servers.url, client == "python-async"), servers)


DELAY = re.compile(r"retrying in \d+\.\d\ds")


def _comparable(case: dict[str, Any], outcome: dict[str, Any]) -> dict[str, Any]:
    """What must be the same in every client (generated jobIds and jittered delays aside)."""
    logs = [[level, line.replace(_path(case), "{path}")] for level, line in outcome["logs"]]
    if case["expect"].get("backoff_warning"):
        logs = [[level, DELAY.sub("retrying in <backoff>", line)] for level, line in logs]
    return {
        "error": outcome["error"],
        "failed_reason": outcome["failed_reason"],
        "state": outcome["state"],
        "attempts": outcome["attempts"],
        "one_job_id": len(set(outcome["job_ids"])) <= 1,
        "logs": logs,
        "other_origin_requests": outcome["other_origin_requests"],
    }


def _check_expectations(case: dict[str, Any], outcome: dict[str, Any]) -> None:
    expect = case["expect"]
    assert outcome["error"] == expect["error"], outcome["message"][:2000]
    assert outcome["attempts"] == expect["attempts"]
    if case.get("call") != "status" and outcome["job_ids"]:
        # One jobId for every attempt of a call: a retry can never enqueue twice.
        assert len(set(outcome["job_ids"])) == 1, outcome["job_ids"]
    if "job_ids" in expect:
        assert outcome["job_ids"] == expect["job_ids"]
    if "logs" in expect:
        shown = [[level, line.replace(_path(case), "{path}")] for level, line in outcome["logs"]]
        assert shown == expect["logs"]
    warnings = [line for level, line in outcome["logs"] if level == "warn"]
    if "warnings" in expect:
        assert len(warnings) == expect["warnings"], outcome["logs"]
    if expect.get("backoff_warning"):
        assert all(DELAY.search(line) and "0.00s" not in line for line in warnings), warnings
    if "warning_reason" in expect:
        assert all(f": {expect['warning_reason']}; " in line for line in warnings), warnings
    if "other_origin_requests" in expect:
        assert outcome["other_origin_requests"] == expect["other_origin_requests"]
    for text in expect.get("message_contains", []):
        assert text in outcome["message"], outcome["message"][:2000]
    if "message_max_chars" in expect:
        assert len(outcome["message"]) <= expect["message_max_chars"], len(outcome["message"])
    for name in ("failed_reason", "state"):
        if name in expect:
            assert outcome[name] == expect[name], outcome[name]
    everything = json.dumps(
        [outcome["message"], outcome["body"], outcome["failed_reason"], outcome["logs"]]
    )
    assert API_KEY not in everything
    assert SECRET not in everything


def test_the_cases_name_only_the_contract_s_error_classes() -> None:
    names = {c.name for c in ERROR_CLASSES}
    assert {case["expect"]["error"] for case in CASES} - {None} <= names
    assert REDACTED in json.dumps(CASES)  # the leak case checks the one marker


@pytest.fixture(params=CASES, ids=[case["name"] for case in CASES])
def case(request: pytest.FixtureRequest) -> Iterator[dict[str, Any]]:
    yield request.param


def test_every_client_has_the_case_s_outcome(
    case: dict[str, Any], typescript_outcomes: dict[str, dict[str, Any]]
) -> None:
    outcomes = {client: _outcome(case, client, typescript_outcomes) for client in CLIENTS}
    for client, outcome in outcomes.items():
        try:
            _check_expectations(case, outcome)
        except AssertionError as failure:
            raise AssertionError(f"{client}: {failure}") from None
    comparable = {client: _comparable(case, o) for client, o in outcomes.items()}
    assert (
        comparable["python"] == comparable["python-async"] == comparable["typescript"]
    ), comparable
