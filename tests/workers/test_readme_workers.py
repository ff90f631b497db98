"""The worker example of each generated README runs as written, on a redis-server of its own,
against `serve --redis`: it consumes a job, reports progress, returns a value, sends the
completion message and stops on SIGTERM. Only the README's placeholder URLs are replaced.

The examples are fenced as "```python worker" and "```typescript worker", which keeps them
out of the README tests that run every block against a server without Redis."""

from __future__ import annotations

import json
import re
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from support import run
from support.processes import redis_server, require_redis_server, serve_process
from support.typecheck import mypy_strict
from workers_support import PY_PACKAGE, ROOT, TS_PACKAGE, WorkerProcess, wait_until

from generator.completions import completions
from generator.ir import Catalogue

BACKEND_PLACEHOLDER = "http://localhost:3000"
REDIS_PLACEHOLDER = "redis://localhost:6379"
JOB_ID = "readme-example-job"


def worker_block(readme: Path, language: str) -> str:
    text = readme.read_text(encoding="utf-8")
    match = re.search(rf"^```{language} worker\n(?P<code>.*?)^```$", text, re.M | re.S)
    assert match is not None, f"{readme} has no ```{language} worker example"
    return match["code"]


@contextmanager
def backend_and_redis(tmp_path: Path) -> Iterator[tuple[str, str]]:
    """(backend URL, redis URL): a redis-server of its own (the examples use the default
    BullMQ prefix) and `serve --redis` in front of it."""
    require_redis_server()
    with redis_server(tmp_path) as redis_url:
        args = ["--schemas", str(ROOT / "schemas"), "--redis", redis_url]
        with serve_process(*args, log_dir=tmp_path) as serve:
            yield serve.url, redis_url


@contextmanager
def example_process(cmd: list[str], cwd: Path, log_path: Path) -> Iterator[WorkerProcess]:
    with open(log_path, "w", encoding="utf-8") as log:
        proc = subprocess.Popen(cmd, cwd=cwd, stdout=log, stderr=subprocess.STDOUT, text=True)
    running = WorkerProcess(proc, log_path)
    try:
        yield running
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            running.wait()


def check_the_example_worked(
    catalogue: Catalogue, message_type: str, backend_url: str, running: WorkerProcess
) -> None:
    """Enqueue the message's example, see the example worker finish it, stop it."""
    from worker_client import WorkerClient

    message = next(m for m in catalogue.messages if m.type == message_type)
    completion = completions(catalogue)[message_type]
    payload = message.examples[0]
    with WorkerClient(backend_url) as client:
        client.send_to_queue(message_type, payload, {"jobId": JOB_ID})

        def finished() -> Any:
            assert running.proc.poll() is None, running.log()
            status = client.get_job_status(JOB_ID)
            return status if status.state in ("completed", "failed") else None

        status = wait_until("the example worker to finish the job", finished)
        assert status.state == "completed", running.log()
        assert status.returnvalue == {"jobId": JOB_ID, "fields": sorted(payload)}
        assert status.progress == 50
        sent = client.get_job_status(f"{completion}-{JOB_ID}")
        assert (sent.queue, sent.state) == (completion, "waiting")
        done = next(m for m in catalogue.messages if m.type == completion)
        assert sent.data == done.examples[0]
    running.proc.send_signal(signal.SIGTERM)
    assert running.wait() == 0, running.log()


def test_the_python_readme_worker_example_runs(
    catalogue: Catalogue, tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    code = worker_block(PY_PACKAGE / "README.md", "python")
    match = re.search(r"\{'([a-z0-9-]+)': handle\}", code)
    assert match is not None, code
    script = tmp_path / "worker_example.py"
    # It type-checks as a user's program: the handler's payload and completion types match.
    script.write_text(code, encoding="utf-8")
    checked = mypy_strict(tmp_path_factory, [str(script)], cwd=tmp_path)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    with backend_and_redis(tmp_path) as (backend_url, redis_url):
        script.write_text(
            code.replace(BACKEND_PLACEHOLDER, backend_url).replace(REDIS_PLACEHOLDER, redis_url),
            encoding="utf-8",
        )
        with example_process(
            [sys.executable, str(script)], tmp_path, tmp_path / "example.log"
        ) as running:
            check_the_example_worked(catalogue, match[1], backend_url, running)


CONSUMER_TSCONFIG = {
    "compilerOptions": {
        "target": "ES2022",
        "lib": ["ES2022"],
        "types": ["node"],
        "module": "NodeNext",
        "moduleResolution": "NodeNext",
        "strict": True,
        "skipLibCheck": False,
        "outDir": "dist",
    },
    "include": ["*.ts"],
}


def consumer(folder: Path, code: str) -> Path:
    """A project with the example as worker.ts, depending on the built package, bullmq,
    ioredis and node's types as a user's would (linked from the package's node_modules)."""
    folder.mkdir()
    (folder / "package.json").write_text(json.dumps({"type": "module", "private": True}))
    (folder / "tsconfig.json").write_text(json.dumps(CONSUMER_TSCONFIG, indent=2))
    (folder / "worker.ts").write_text(code, encoding="utf-8")
    modules = folder / "node_modules"
    (modules / "@mesh-sync").mkdir(parents=True)
    (modules / "@mesh-sync" / "worker-backend-client").symlink_to(TS_PACKAGE, True)
    (modules / "@types").mkdir()
    (modules / "@types" / "node").symlink_to(TS_PACKAGE / "node_modules/@types/node", True)
    for name in ("bullmq", "ioredis"):
        (modules / name).symlink_to(TS_PACKAGE / "node_modules" / name, True)
    return folder


def test_the_typescript_readme_worker_example_runs(
    catalogue: Catalogue, ts_package: Path, tmp_path: Path
) -> None:
    code = worker_block(ts_package / "README.md", "typescript")
    match = re.search(r"'([a-z0-9-]+)': async \(payload, job\)", code)
    assert match is not None, code
    with backend_and_redis(tmp_path) as (backend_url, redis_url):
        project = consumer(
            tmp_path / "consumer",
            code.replace(BACKEND_PLACEHOLDER, backend_url).replace(REDIS_PLACEHOLDER, redis_url),
        )
        tsc = ts_package / "node_modules" / ".bin" / "tsc"
        built = run([str(tsc), "-p", "tsconfig.json", "--pretty", "false"], project)
        assert built.returncode == 0, built.stdout + built.stderr
        with example_process(
            ["node", "dist/worker.js"], project, tmp_path / "example.log"
        ) as running:
            # The example logs to console once its workers listen.
            wait_until("the example to listen", lambda: "consuming " in running.log())
            check_the_example_worked(catalogue, match[1], backend_url, running)


@pytest.mark.parametrize("language", ["python", "typescript"])
def test_a_handler_under_another_message_type_is_a_type_error(
    language: str,
    catalogue: Catalogue,
    ts_package: Path,
    tmp_path: Path,
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """The handler map is typed per message type: the example's handler registered for a
    message with another payload and no completion message fails the type checker."""
    other = next(m.type for m in catalogue.messages if m.type not in completions(catalogue))
    if language == "python":
        code = worker_block(PY_PACKAGE / "README.md", "python")
        broken = re.sub(r"\{'[a-z0-9-]+': handle\}", f"{{'{other}': handle}}", code)
        script = tmp_path / "broken.py"
        script.write_text(broken, encoding="utf-8")
        checked = mypy_strict(tmp_path_factory, [str(script)], cwd=tmp_path)
        assert checked.returncode == 1 and "broken.py:" in checked.stdout, checked.stdout
    else:
        code = worker_block(ts_package / "README.md", "typescript")
        broken = re.sub(
            r"'[a-z0-9-]+': async \(payload, job\)", f"'{other}': async (payload, job)", code
        )
        project = consumer(tmp_path / "consumer", broken)
        tsc = ts_package / "node_modules" / ".bin" / "tsc"
        built = run([str(tsc), "-p", "tsconfig.json", "--pretty", "false"], project)
        assert built.returncode != 0 and "worker.ts(" in built.stdout, built.stdout
    assert broken != code
