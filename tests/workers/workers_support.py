"""Worker processes for the cross-language tests: the Python and the Node harness (both built
on the generated packages' QueueWorker), and the Node producer."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from support import ROOT, run
from support.processes import STARTUP_LIMIT
from support.typescript import PACKAGE_DIR

HERE = Path(__file__).resolve().parent
TS_PACKAGE = PACKAGE_DIR
PY_PACKAGE = ROOT / "generated" / "python"
# Bounds how long a broken worker may hang a test; never a speed check.
LIMIT = 90.0


def wait_until(what: str, check: Callable[[], Any], limit: float = LIMIT) -> Any:
    """check()'s first truthy answer, asking again until limit seconds have passed."""
    deadline = time.monotonic() + limit
    while True:
        answer = check()
        if answer:
            return answer
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting for {what}")
        time.sleep(0.05)


@dataclass
class WorkerProcess:
    proc: subprocess.Popen[str]
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8")

    def sigterm(self) -> None:
        self.proc.send_signal(signal.SIGTERM)

    def wait(self) -> int:
        try:
            return self.proc.wait(timeout=LIMIT)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            raise AssertionError(f"the worker did not stop\n{self.log()}") from None


WORKER_COMMANDS = {
    "python": [sys.executable, str(HERE / "echo_worker.py")],
    "node": ["node", str(HERE / "echo_worker.mjs")],
}


@contextmanager
def worker_process(
    language: str,
    *,
    types: list[str],
    plan: dict[str, Any],
    redis_url: str,
    prefix: str,
    backend_url: str,
    folder: Path,
    concurrency: int = 1,
) -> Iterator[WorkerProcess]:
    """The language's harness consuming `types` until the block ends (SIGTERM, then a wait)."""
    stamp = time.monotonic_ns()
    plan_path = folder / f"plan-{stamp}.json"
    plan_path.write_text(json.dumps(plan), encoding="utf-8")
    log_path = folder / f"{language}-worker-{stamp}.log"
    env = {
        **os.environ,
        "WCG_TYPES": ",".join(types),
        "WCG_PLAN": str(plan_path),
        "WCG_REDIS_URL": redis_url,
        "WCG_PREFIX": prefix,
        "WCG_BACKEND_URL": backend_url,
        "WCG_CONCURRENCY": str(concurrency),
        "WCG_TS_PACKAGE": str(TS_PACKAGE),
        "NODE_NO_WARNINGS": "1",
    }
    with open(log_path, "w", encoding="utf-8") as log:
        proc = subprocess.Popen(
            WORKER_COMMANDS[language], stdout=subprocess.PIPE, stderr=log, text=True, env=env
        )
    worker = WorkerProcess(proc, log_path)
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        assert line.strip() == "ready", f"the {language} worker did not start\n{worker.log()}"
        # "ready" comes before run(); the workers are listening once they log "consuming".
        wait_until("the worker to listen", lambda: "consuming " in worker.log(), STARTUP_LIMIT)
        yield worker
    finally:
        if proc.poll() is None:
            worker.sigterm()
            worker.wait()
        if proc.stdout is not None:
            proc.stdout.close()


def node_send(backend_url: str, jobs: list[dict[str, Any]], folder: Path) -> list[dict[str, Any]]:
    """Enqueue [{type, payload, jobId}] through the TypeScript WorkerClient; its answers."""
    jobs_path = folder / f"jobs-{time.monotonic_ns()}.json"
    jobs_path.write_text(json.dumps(jobs), encoding="utf-8")
    proc = run(
        ["node", str(HERE / "producer.mjs")],
        HERE,
        env={
            "WCG_TS_PACKAGE": str(TS_PACKAGE),
            "WCG_BACKEND_URL": backend_url,
            "WCG_JOBS": str(jobs_path),
        },
        check=True,
    )
    return [json.loads(line) for line in proc.stdout.splitlines() if line.strip()]


def recorded(path: Path) -> list[str]:
    """The job ids whose handler ran, in the order they started."""
    return path.read_text(encoding="utf-8").split() if path.exists() else []
