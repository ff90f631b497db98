"""What the generated Python clients add to one enqueue, against a bare HTTP call.

One run, one local server (a keep-alive HTTP/1.1 server on 127.0.0.1 answering like
worker-backend), the same JSON both ways:
- `WorkerClient.<method>(payload)` with validation on, vs `requests.Session().post(...)`;
- `AsyncWorkerClient.<method>(payload)` with validation on, vs `httpx.AsyncClient().post(...)`.
Rounds alternate between the two sides so that drift on a noisy machine hits both; the
ratio is of the median round times. Prints a table and, with --results, appends it there.

    python bench/client_overhead.py --results bench/results.md
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
MESSAGE = "file-download-request"
TARGET_RATIO = 1.15


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as a real server would
    # Headers and body in one segment, no Nagle: otherwise delayed ACKs add ~40 ms per call
    # and bury the client's own cost under the server's.
    disable_nagle_algorithm = True
    wbufsize = 1 << 16

    def do_POST(self) -> None:  # noqa: N802 - http.server's naming
        length = int(self.headers.get("Content-Length", "0"))
        body = json.loads(self.rfile.read(length))
        job_id = (body.get("opts") or {}).get("jobId") or "1"
        queue = self.path.rsplit("/", 1)[-1]
        answer = json.dumps(
            {"success": True, "jobId": job_id, "messageName": queue, "queue": queue}
        ).encode()
        self.send_response(201)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, *args: Any) -> None:
        pass


def start_server() -> tuple[ThreadingHTTPServer, str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def example_payload() -> dict[str, Any]:
    from generator.schema import load_schemas

    catalogue = load_schemas(ROOT / "schemas")
    payload: dict[str, Any] = catalogue.message(MESSAGE).examples[0]
    return payload


def sync_round(fn: Any, calls: int) -> float:
    started = time.perf_counter()
    for _ in range(calls):
        fn()
    return time.perf_counter() - started


async def async_round(fn: Any, calls: int) -> float:
    started = time.perf_counter()
    for _ in range(calls):
        await fn()
    return time.perf_counter() - started


def measure_sync(
    base: str, payload: dict[str, Any], rounds: int, calls: int
) -> tuple[float, float]:
    import requests
    from worker_client import WorkerClient

    method = MESSAGE.replace("-", "_")
    session = requests.Session()
    url = f"{base}/api/jobs/{MESSAGE}"
    headers = {"Authorization": "Bearer bench-key"}

    def bare() -> None:
        body = {"payload": payload, "opts": {"jobId": str(uuid.uuid4())}}
        response = session.post(url, json=body, headers=headers, timeout=30)
        response.raise_for_status()
        response.json()

    with WorkerClient(base_url=base, api_key="bench-key") as client:
        call = getattr(client, method)

        def ours() -> None:
            call(payload)

        for fn in (bare, ours):  # warm-up: connections, validator compilation
            sync_round(fn, 20)
        bare_times, our_times = [], []
        for _ in range(rounds):
            bare_times.append(sync_round(bare, calls))
            our_times.append(sync_round(ours, calls))
    session.close()
    return statistics.median(bare_times), statistics.median(our_times)


def measure_async(
    base: str, payload: dict[str, Any], rounds: int, calls: int
) -> tuple[float, float]:
    import httpx
    from worker_client import AsyncWorkerClient

    method = MESSAGE.replace("-", "_")
    url = f"{base}/api/jobs/{MESSAGE}"
    headers = {"Authorization": "Bearer bench-key"}

    async def run() -> tuple[float, float]:
        async with (
            httpx.AsyncClient(timeout=30) as bare_client,
            AsyncWorkerClient(base_url=base, api_key="bench-key") as client,
        ):
            call = getattr(client, method)

            async def bare() -> None:
                body = {"payload": payload, "opts": {"jobId": str(uuid.uuid4())}}
                response = await bare_client.post(url, json=body, headers=headers)
                response.raise_for_status()
                response.json()

            async def ours() -> None:
                await call(payload)

            for fn in (bare, ours):
                await async_round(fn, 20)
            bare_times, our_times = [], []
            for _ in range(rounds):
                bare_times.append(await async_round(bare, calls))
                our_times.append(await async_round(ours, calls))
            return statistics.median(bare_times), statistics.median(our_times)

    return asyncio.run(run())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=9)
    parser.add_argument("--calls", type=int, default=200)
    parser.add_argument("--results", type=Path)
    args = parser.parse_args()

    sys.path.insert(0, str(ROOT / "generated" / "python"))
    server, base = start_server()
    payload = example_payload()
    try:
        rows = [
            (
                "WorkerClient vs requests.Session().post",
                *measure_sync(base, payload, args.rounds, args.calls),
            ),
            (
                "AsyncWorkerClient vs httpx.AsyncClient().post",
                *measure_async(base, payload, args.rounds, args.calls),
            ),
        ]
    finally:
        server.shutdown()
    lines = [
        "## Client overhead",
        "",
        f"One `{MESSAGE}` enqueue with validation on, against a local keep-alive server; "
        f"median of {args.rounds} alternating rounds of {args.calls} calls.",
        "",
        "| comparison | bare (µs/call) | client (µs/call) | client/bare | target |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for label, bare, ours in rows:
        ratio = ours / bare
        verdict = "ok" if ratio <= TARGET_RATIO else "MISSED"
        lines.append(
            f"| {label} | {bare / args.calls * 1e6:.0f} | {ours / args.calls * 1e6:.0f} | "
            f"{ratio:.2f}x | <= {TARGET_RATIO:.2f}x {verdict} |"
        )
    text = "\n".join(lines) + "\n"
    print(text)
    if args.results:
        with args.results.open("a") as handle:
            handle.write("\n" + text)


if __name__ == "__main__":
    main()
