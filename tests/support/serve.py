"""`worker-client-gen serve` in this process, in a thread, with its request log captured.

    with logged_serve(catalogue, api_key="k") as logged:
        requests.get(f"{logged.url}/api/jobs/x", ...)
        assert "GET /api/jobs/x 404 " in logged.log.getvalue()

The server stack (generator.server) is imported on first use only, so importing `support`
stays cheap for the tests that never start a server.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from generator.ir import Catalogue
    from generator.server.runner import RunningServer
    from generator.server.store import JobStore


@dataclass
class LoggedServer:
    """An in-process serve and the text of its request log."""

    server: RunningServer
    log: io.StringIO

    @property
    def url(self) -> str:
        url: str = self.server.url
        return url

    def lines(self) -> list[str]:
        """The log so far, one entry per line."""
        return self.log.getvalue().splitlines()


@contextmanager
def logged_serve(
    catalogue: Catalogue, *, api_key: str | None = None, store: JobStore | None = None
) -> Iterator[LoggedServer]:
    """`serve_in_thread` logging to a logger of its own (INFO and up, not propagated) whose
    output is kept in `LoggedServer.log`; the handler is removed when the server stops."""
    from generator.server.runner import serve_in_thread

    log = io.StringIO()
    handler = logging.StreamHandler(log)
    logger = logging.getLogger(f"serve-test-{id(log)}")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    try:
        with serve_in_thread(catalogue, api_key=api_key, store=store, logger=logger) as server:
            yield LoggedServer(server, log)
    finally:
        logger.removeHandler(handler)
