"""A worker built on worker_client.worker, run by the tests as its own process.

It handles every message type in $WCG_TYPES; what each job does is looked up by job id in
the plan ($WCG_PLAN, JSON): `echo` (the default) returns the payload it was given, `gate`
waits until a file exists first, `throw` raises. Every handler call appends the job id to the
record file first, so the tests see which handlers ran.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import sys
from pathlib import Path
from typing import Any

from worker_client import AsyncWorkerClient
from worker_client.worker import JobContext, QueueWorker

PLAN: dict[str, Any] = json.loads(Path(os.environ["WCG_PLAN"]).read_text(encoding="utf-8"))
RECORD = Path(PLAN["record"])


async def handle(payload: Any, job: JobContext[Any]) -> Any:
    with RECORD.open("a", encoding="utf-8") as record:
        record.write(job.id + "\n")
    step = PLAN["jobs"].get(job.id, {})
    if "progress" in step:
        await job.update_progress(step["progress"])
    if step.get("mode") == "gate":
        while not Path(step["gate"]).exists():
            await asyncio.sleep(0.05)
    if step.get("mode") == "throw":
        raise RuntimeError(step["message"])
    if "completion" in step:
        await job.send_completion(step["completion"])
    return {"echo": payload, "messageType": job.message_type, "attempt": job.attempts_made + 1}


async def main() -> None:
    logging.basicConfig(
        level=logging.DEBUG, stream=sys.stderr, format="%(levelname)s %(name)s %(message)s"
    )
    logging.getLogger("bullmq").setLevel(logging.WARNING)
    logging.getLogger("redis").setLevel(logging.WARNING)
    types = os.environ["WCG_TYPES"].split(",")
    async with AsyncWorkerClient(os.environ["WCG_BACKEND_URL"]) as client:
        worker = QueueWorker(
            {t: handle for t in types},
            connection=os.environ["WCG_REDIS_URL"],
            prefix=os.environ["WCG_PREFIX"],
            concurrency=int(os.environ.get("WCG_CONCURRENCY", "1")),
            client=client,
        )
        print("ready", flush=True)
        await worker.run()


if __name__ == "__main__":
    asyncio.run(main())
