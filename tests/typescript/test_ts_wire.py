"""Same message, two clients, one server: the Python and TypeScript clients put the same bytes
of meaning on the wire (method, path, JSON body, auth and content headers)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from support import JobServer
from ts_support import ROOT, run, valid_payload

from generator.ir import Catalogue

PYTHON_PACKAGE_DIR = ROOT / "generated" / "python"
PREFERRED_MESSAGE = "file-download-request"

PYTHON_SENDER = """
import json, sys
from worker_client import WorkerClient

args = json.loads(sys.argv[1])
client = WorkerClient(base_url=args["url"], api_key=args["apiKey"])
client.send_to_queue(args["type"], args["payload"], opts=args["opts"])
"""

NODE_SENDER = """
import { WorkerClient } from './dist/index.js';

const args = JSON.parse(process.argv[1]);
const client = new WorkerClient({ baseUrl: args.url, apiKey: args.apiKey ?? undefined });
await client.sendToQueue(args.type, args.payload, args.opts);
"""


@pytest.mark.parametrize("api_key", ["wire-test-key-123", None], ids=["api-key", "no-api-key"])
def test_python_and_typescript_clients_send_the_same_request(
    api_key: str | None,
    catalogue: Catalogue,
    ts_package: Path,
) -> None:
    names = [m.type for m in catalogue.messages]
    msg = catalogue.message(PREFERRED_MESSAGE if PREFERRED_MESSAGE in names else names[0])
    server = JobServer()
    args = json.dumps(
        {
            "url": server.url,
            "apiKey": api_key,
            "type": msg.type,
            "payload": valid_payload(catalogue, msg),
            "opts": {"jobId": "wire-test-job-1", "priority": 5, "attempts": 3},
        }
    )

    with server:
        env = {"PYTHONPATH": str(PYTHON_PACKAGE_DIR)}
        run([sys.executable, "-c", PYTHON_SENDER, args], cwd=ROOT, env=env)
        run(["node", "--input-type=module", "-e", NODE_SENDER, args], cwd=ts_package)

    python, typescript = server.requests
    assert python.method == typescript.method == "POST"
    assert python.path == typescript.path == f"/api/jobs/{msg.type}"
    assert python.json == typescript.json
    assert typescript.json == {
        "payload": valid_payload(catalogue, msg),
        "opts": {"jobId": "wire-test-job-1", "priority": 5, "attempts": 3},
    }
    for header in ("authorization", "content-type", "accept"):
        assert python.headers.get(header) == typescript.headers.get(header), header
    expected_auth = None if api_key is None else f"Bearer {api_key}"
    assert typescript.headers.get("authorization") == expected_auth
    assert typescript.headers["content-type"] == "application/json"
