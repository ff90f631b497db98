"""QueueWorker's refusals, in both languages, before any Redis is involved: a handler for a
message type that does not exist, no handler at all, a concurrency below 1, and a completion
for a message that has none."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import pytest
from support import run
from workers_support import TS_PACKAGE

from generator.completions import completions
from generator.ir import Catalogue


async def _handler(payload: Any, job: Any) -> None:
    return None


@pytest.mark.parametrize(
    ("handlers", "options", "problem"),
    [
        ({"no-such-message": _handler}, {}, "no such message type: no-such-message"),
        ({}, {}, "needs at least one handler"),
        ({"file-download-request": _handler}, {"concurrency": 0}, "concurrency must be"),
    ],
)
def test_the_python_worker_refuses_what_cannot_work(
    handlers: dict[str, Any], options: dict[str, Any], problem: str
) -> None:
    from worker_client import WorkerClientError
    from worker_client.worker import QueueWorker

    with pytest.raises(WorkerClientError, match=problem):
        QueueWorker(handlers, **options)  # type: ignore[arg-type]


def test_python_send_completion_needs_a_completion_message_and_a_client(
    catalogue: Catalogue,
) -> None:
    from worker_client import WorkerClientError
    from worker_client._redaction import Redactor
    from worker_client.worker import JobContext

    pairs = completions(catalogue)
    lonely = next(m.type for m in catalogue.messages if m.type not in pairs)
    request = next(iter(pairs))
    job = type("Job", (), {"id": "j1", "attemptsMade": 0})()
    no_pair: JobContext[Any] = JobContext(job, lonely, None, Redactor([]))
    with pytest.raises(WorkerClientError, match=f"{lonely} has no completion message"):
        asyncio.run(no_pair.send_completion({}))
    no_client: JobContext[Any] = JobContext(job, request, None, Redactor([]))
    with pytest.raises(WorkerClientError, match="needs QueueWorker"):
        asyncio.run(no_client.send_completion({}))


NODE_REFUSALS = """
import { pathToFileURL } from "node:url";
const { QueueWorker } = await import(pathToFileURL(process.argv[2]).href);
const handler = async () => undefined;
const cases = [
  [{ "no-such-message": handler }, {}],
  [{}, {}],
  [{ "file-download-request": handler }, { concurrency: 0 }],
];
for (const [handlers, options] of cases) {
  try {
    new QueueWorker({ handlers, connection: {}, ...options });
    console.log(JSON.stringify({ ok: true }));
  } catch (error) {
    console.log(JSON.stringify({ name: error.constructor.name, message: error.message }));
  }
}
"""


def test_the_node_worker_refuses_what_cannot_work(ts_package: Path, tmp_path: Path) -> None:
    script = tmp_path / "refusals.mjs"
    script.write_text(NODE_REFUSALS, encoding="utf-8")
    proc = run(["node", str(script), str(TS_PACKAGE / "dist" / "worker.js")], tmp_path)
    assert proc.returncode == 0, proc.stderr
    answers = [json.loads(line) for line in proc.stdout.splitlines()]
    assert [a.get("name") for a in answers] == ["WorkerClientError"] * 3, answers
    assert "no such message type: no-such-message" in answers[0]["message"]
    assert "needs at least one handler" in answers[1]["message"]
    assert "concurrency must be" in answers[2]["message"]
