"""Same message, two clients, one server: the Python and TypeScript clients put the same bytes
of meaning on the wire (method, path, JSON body, auth and content headers)."""

from __future__ import annotations

import json
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
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


class _Recorder(BaseHTTPRequestHandler):
    requests: list[dict[str, Any]]

    def do_POST(self) -> None:  # noqa: N802 - http.server's naming
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length)
        self.server.requests.append(  # type: ignore[attr-defined]
            {
                "method": self.command,
                "path": self.path,
                "headers": {k.lower(): v for k, v in self.headers.items()},
                "json": json.loads(body),
            }
        )
        job_id = json.loads(body)["opts"]["jobId"]
        message = self.path.rsplit("/", 1)[-1]
        answer = json.dumps(
            {"success": True, "jobId": job_id, "messageName": message, "queue": message}
        ).encode()
        self.send_response(201)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass


@pytest.fixture()
def recorder() -> Iterator[tuple[str, list[dict[str, Any]]]]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    server.requests = []  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", server.requests  # type: ignore[attr-defined]
    finally:
        server.shutdown()
        server.server_close()


def _python_package() -> Path:
    if not (PYTHON_PACKAGE_DIR / "worker_client" / "__init__.py").is_file():
        pytest.skip(
            "generated/python does not exist yet (the Python target has not been generated); "
            "the cross-language wire test needs both clients"
        )
    return PYTHON_PACKAGE_DIR


@pytest.mark.parametrize("api_key", ["wire-test-key-123", None], ids=["api-key", "no-api-key"])
def test_python_and_typescript_clients_send_the_same_request(
    api_key: str | None,
    recorder: tuple[str, list[dict[str, Any]]],
    catalogue: Catalogue,
    ts_package: Path,
) -> None:
    python_dir = _python_package()
    url, requests = recorder
    names = [m.type for m in catalogue.messages]
    msg = catalogue.message(PREFERRED_MESSAGE if PREFERRED_MESSAGE in names else names[0])
    args = json.dumps(
        {
            "url": url,
            "apiKey": api_key,
            "type": msg.type,
            "payload": valid_payload(catalogue, msg),
            "opts": {"jobId": "wire-test-job-1", "priority": 5, "attempts": 3},
        }
    )

    run([sys.executable, "-c", PYTHON_SENDER, args], cwd=ROOT, env={"PYTHONPATH": str(python_dir)})
    run(["node", "--input-type=module", "-e", NODE_SENDER, args], cwd=ts_package)

    assert len(requests) == 2
    python, typescript = requests
    assert python["method"] == typescript["method"] == "POST"
    assert python["path"] == typescript["path"] == f"/api/jobs/{msg.type}"
    assert python["json"] == typescript["json"]
    assert typescript["json"] == {
        "payload": valid_payload(catalogue, msg),
        "opts": {"jobId": "wire-test-job-1", "priority": 5, "attempts": 3},
    }
    for header in ("authorization", "content-type", "accept"):
        assert python["headers"].get(header) == typescript["headers"].get(header), header
    expected_auth = None if api_key is None else f"Bearer {api_key}"
    assert typescript["headers"].get("authorization") == expected_auth
    assert typescript["headers"]["content-type"] == "application/json"
