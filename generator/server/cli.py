"""`worker-client-gen serve`: a local worker-backend that enforces docs/contract.md."""

from __future__ import annotations

import signal
import sys
from typing import Any

import click

from generator.cli_options import EXIT_INVALID, load_or_exit, schemas_option
from generator.server import DEFAULT_MAX_BODY_BYTES

INSTALL_HINT = "pip install 'worker-client-gen[serve]'"


def _fail(message: str) -> None:
    click.echo(f"error: {message}", err=True)
    sys.exit(EXIT_INVALID)


def _require(*modules: str) -> None:
    import importlib.util

    missing = [m for m in modules if importlib.util.find_spec(m) is None]
    if missing:
        _fail(f"serve needs {', '.join(missing)}: {INSTALL_HINT}")


def _probe_redis(url: str) -> None:
    """Fail fast, with a clear message, when Redis is not there; warn when its persistence
    settings can lose jobs that serve has already accepted."""
    import redis

    from generator.server.store import redact_url

    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=5, socket_timeout=5)
    except ValueError as exc:
        _fail(f"--redis {redact_url(url)!r} is not a Redis URL: {exc}")
        return
    try:
        client.ping()
        for warning in _persistence_warnings(client):
            click.echo(f"warning: {warning}", err=True)
    except redis.RedisError as exc:
        _fail(f"cannot reach Redis at {redact_url(url)}: {type(exc).__name__}: {exc}")
    finally:
        client.close()


def _persistence_warnings(client: Any) -> list[str]:
    import redis

    from generator.server.store import DURABLE_REDIS, persistence_warnings

    config: dict[str, str] = {}
    try:
        for name in ("appendonly", "appendfsync", "save"):
            for key, value in client.config_get(name).items():
                config[_text(key)] = _text(value)
    except redis.ResponseError as exc:
        # Managed Redis services often rename or forbid CONFIG.
        return [
            f"cannot read Redis's persistence settings (CONFIG GET: {exc}); unless it runs "
            f"with {DURABLE_REDIS}, jobs already accepted can be lost"
        ]
    return persistence_warnings(config)


def _text(value: Any) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)


@click.command("serve")
@schemas_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option(
    "--port",
    default=3000,
    show_default=True,
    type=click.IntRange(0, 65535),
    help="Port to listen on (0: any free port; the one chosen is printed).",
)
@click.option(
    "--api-key",
    envvar="WORKER_BACKEND_API_KEY",
    default=None,
    metavar="KEY",
    help="Require `Authorization: Bearer KEY` (env: WORKER_BACKEND_API_KEY). Default: no key.",
)
@click.option(
    "--redis",
    "redis_url",
    default=None,
    metavar="URL",
    help="Enqueue real BullMQ jobs on this Redis (redis://host:port/db), one queue per message "
    "type. Default: keep jobs in memory.",
)
@click.option(
    "--max-body",
    "max_body_bytes",
    default=DEFAULT_MAX_BODY_BYTES,
    show_default=True,
    type=click.IntRange(1),
    metavar="BYTES",
    help="Answer 413 to a request body larger than this.",
)
@click.option(
    "--accept-bare-payload",
    is_flag=True,
    help="Also take an enqueue whose body is the bare payload, as the 4.0.x TypeScript client "
    "sends it (README, serve: how it is told from {payload, opts}).",
)
@click.option(
    "--prefix",
    default="bull",
    show_default=True,
    help="BullMQ key prefix (with --redis).",
)
def serve_command(
    schemas: str,
    host: str,
    port: int,
    api_key: str | None,
    redis_url: str | None,
    max_body_bytes: int,
    accept_bare_payload: bool,
    prefix: str,
) -> None:
    """Run a local worker-backend: validates jobs against their schemas and answers status.

    Jobs stay in memory unless --redis is given. Logs one line per request on stderr
    (method, path, status, duration, request id; never bodies or credentials).
    """
    _require("starlette", "uvicorn")
    if redis_url is not None:
        _require("bullmq", "redis")
    if api_key is not None and not api_key.strip():
        raise click.BadParameter("must not be empty", param_hint="--api-key")

    catalogue = load_or_exit(schemas, "serve did not start")
    if not catalogue.messages:
        _fail(f"no message schemas in {schemas}; nothing to serve")

    from generator.server.app import create_app
    from generator.server.runner import base_url, bind, configure_logging, server_for
    from generator.server.store import BullMQJobStore, JobStore, MemoryJobStore

    store: JobStore
    if redis_url is not None:
        _probe_redis(redis_url)
        store = BullMQJobStore(redis_url, [m.type for m in catalogue.messages], prefix=prefix)
    else:
        store = MemoryJobStore()

    try:
        sock = bind(host, port)
    except OSError as exc:
        _fail(f"cannot listen on {host}:{port}: {exc.strerror or exc}")
        return
    url = base_url(sock)
    auth = "api key required" if api_key else "no api key"
    summary = f"{len(catalogue.messages)} message types, {store.description}, {auth}"
    if accept_bare_payload:
        summary += ", bare payloads accepted"

    def announce() -> None:
        click.echo(f"worker-client-gen serve: listening on {url} ({summary})")
        sys.stdout.flush()

    logger = configure_logging()
    app = create_app(
        catalogue,
        store=store,
        api_key=api_key,
        logger=logger,
        on_ready=announce,
        max_body_bytes=max_body_bytes,
        accept_bare_payload=accept_bare_payload,
    )
    server = server_for(app, sock)
    # uvicorn shuts down gracefully on SIGINT/SIGTERM and then re-raises the signal to the
    # handler it found; a stop asked for is a normal end, so that handler does nothing.
    for stop_signal in (signal.SIGINT, signal.SIGTERM):
        signal.signal(stop_signal, lambda signum, frame: None)
    try:
        server.run(sockets=[sock])
    finally:
        sock.close()
    if not server.started:
        _fail("serve did not start (see the log above)")
    click.echo("worker-client-gen serve: stopped")
