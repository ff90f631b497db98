"""Helpers for the serve tests: `worker-client-gen serve` as a real process, redis-server,
a BullMQ worker, the payload most tests enqueue."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft202012Validator
from support import FIXTURES, ROOT, SCHEMAS
from support.processes import (  # noqa: F401 (re-exported for the serve tests)
    REDIS_SERVER,
    STARTUP_LIMIT,
    ServeProcess,
    redis_server,
    require_redis_server,
    serve_process,
)

SERVE_FIXTURE = FIXTURES / "serve"
SCHEMAS_DIR = SCHEMAS
OPENAPI_DOC = ROOT / "generated" / "openapi.yaml"

API_KEY = "sk-serve-test-5b8e1d2c9f"
SECRET_VALUE = "hunter2-very-secret-71c4"

DOWNLOAD = "file-download-request"
# Generous bound on how long a BullMQ worker may take to pick a job up; never a speed check.
CONSUME_LIMIT = 60.0


def download_payload(**changes: Any) -> dict[str, Any]:
    """A valid file-download-request payload, with changes applied on top."""
    payload: dict[str, Any] = {
        "modelId": "m1",
        "storageLocation": {"bucket": "b", "provider": "s3"},
    }
    payload.update(changes)
    return payload


async def consume_one(
    url: str, prefix: str, queue: str, returns: Any = None, error: str | None = None
) -> list[str]:
    """Run a BullMQ worker on one queue until it has finished one job (returning returns, or
    failing with error); the ids it saw."""
    import bullmq

    seen: list[str] = []
    finished = asyncio.Event()

    async def process(job: Any, token: str) -> Any:
        seen.append(job.id)
        if error is not None:
            raise RuntimeError(error)
        return returns

    worker = bullmq.Worker(queue, process, {"connection": url, "prefix": prefix})
    worker.on("completed", lambda *args: finished.set())
    worker.on("failed", lambda *args: finished.set())
    try:
        await asyncio.wait_for(finished.wait(), CONSUME_LIMIT)
    finally:
        await worker.close()
    return seen


def openapi_components(doc_path: Path | None = None) -> dict[str, Any]:
    """components/schemas of generated/openapi.yaml (or another document)."""
    doc = yaml.safe_load((doc_path or OPENAPI_DOC).read_text(encoding="utf-8"))
    schemas: dict[str, Any] = doc["components"]["schemas"]
    return schemas


def assert_matches(component: str, body: Any, components: dict[str, Any]) -> None:
    """body conforms to components/schemas/<component> of the OpenAPI document."""
    schema = {
        "$ref": f"#/components/schemas/{component}",
        "components": {"schemas": components},
    }
    errors = [e.message for e in Draft202012Validator(schema).iter_errors(body)]
    assert errors == [], (component, body, errors)
