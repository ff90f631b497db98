"""What WorkerClient and AsyncWorkerClient share: every transport-independent step of a call.

The retry loop is a generator ("sans I/O"): it yields a `Request` when it wants one sent and a
float when it wants to sleep, and receives what the transport got back. Each client drives it
with its own HTTP library (requests, httpx) and its own sleep.
"""

from __future__ import annotations

import json
import logging
import time
import uuid
import weakref
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

from ._config import Config, check_limits, check_wait_timeout
from ._constants import (
    JOB_FAILED,
    POLL_FACTOR,
    POLL_INITIAL_DELAY,
    POLL_MAX_DELAY,
    TERMINAL_STATES,
    VERSION,
)
from ._errors import decode, error_for, job_failed, reason, wait_timed_out
from ._models import JobResponse, JobStatus, RequestOptions
from ._redaction import Redactor
from ._retries import retry_delay, retryable
from ._transport import Flow, RawResponse, Request
from ._validation import validate_payload

USER_AGENT = f"mesh-sync-worker-backend-client/{VERSION} (python)"

logger = logging.getLogger("worker_client")


# Each client's api key, for the QueueWorker given that client: a failed job's reason is
# redacted with it before BullMQ stores it. Kept off the client, so no attribute shows it.
_API_KEYS: weakref.WeakKeyDictionary[ClientBase, str] = weakref.WeakKeyDictionary()


def secrets_of(client: ClientBase | None) -> list[str]:
    """The secrets a client holds (its api key; none without one)."""
    key = _API_KEYS.get(client) if client is not None else None
    return [key] if key else []


class ClientBase:
    """Read-only settings and a repr that never shows the api key, for both clients."""

    _core: ClientCore

    def _hold_secrets(self) -> None:
        """Let this package's QueueWorker redact what it stores with the api key (secrets_of)."""
        if self._core.config.api_key:
            _API_KEYS[self] = self._core.config.api_key

    @property
    def base_url(self) -> str:
        return self._core.config.base_url

    @property
    def timeout(self) -> float:
        return self._core.config.timeout

    @property
    def max_retries(self) -> int:
        return self._core.config.max_retries

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._core.config.describe()})"


class ClientCore:
    """Configuration and every transport-independent step of a call."""

    def __init__(self, config: Config) -> None:
        self.config = config
        self._redactor = Redactor([config.api_key or ""])

    def enqueue(
        self,
        message_type: str,
        payload: Mapping[str, Any],
        opts: Mapping[str, Any] | None,
        options: RequestOptions,
    ) -> Flow[JobResponse]:
        """Validate, then POST /api/jobs/{message_type}; the jobId is fixed before any try."""
        redactor = self._redactor.with_payload(payload)
        if options.get("validate", self.config.validate):
            validate_payload(message_type, payload, redactor)
        job_opts = dict(opts or {})
        job_opts.setdefault("jobId", str(uuid.uuid4()))
        body = json.dumps({"payload": payload, "opts": job_opts}).encode("utf-8")
        path = f"/api/jobs/{quote(message_type, safe='')}"
        request = self._request("POST", path, body, options, redactor)
        response = yield from self._exchange(request)
        return decode(request, response, JobResponse.from_json)

    def job_status(self, job_id: str, options: RequestOptions) -> Flow[JobStatus]:
        """GET /api/jobs/{job_id}; 404 raises JobNotFoundError."""
        path = f"/api/jobs/{quote(str(job_id), safe='')}"
        request = self._request("GET", path, None, options, self._redactor, job_lookup=True)
        response = yield from self._exchange(request)
        return decode(request, response, JobStatus.from_json)

    def wait_for(self, job_id: str, timeout: float) -> Flow[JobStatus]:
        """Poll the job's status until it finished: its status when it completed,
        JobFailedError when it failed, WaitTimeoutError once `timeout` seconds have passed."""
        check_wait_timeout(timeout)
        deadline = time.monotonic() + timeout
        delay = POLL_INITIAL_DELAY
        while True:
            status = yield from self.job_status(job_id, {})
            if status.state in TERMINAL_STATES:
                if status.state == JOB_FAILED:
                    # The worker's words may quote the job's data: its secrets are removed too.
                    raise job_failed(status, self._redactor.with_payload(status.data))
                return status
            left = deadline - time.monotonic()
            if left <= 0:
                raise wait_timed_out(job_id, timeout, status.state, self._redactor)
            yield min(delay, left)
            delay = min(delay * POLL_FACTOR, POLL_MAX_DELAY)

    def _request(
        self,
        method: str,
        path: str,
        body: bytes | None,
        options: RequestOptions,
        redactor: Redactor,
        job_lookup: bool = False,
    ) -> Request:
        timeout = options.get("timeout", self.config.timeout)
        max_retries = options.get("max_retries", self.config.max_retries)
        check_limits(timeout, max_retries)
        headers = {"Accept": "application/json", "User-Agent": USER_AGENT}
        if body is not None:
            headers["Content-Type"] = "application/json"
        if self.config.api_key:
            headers["Authorization"] = f"Bearer {self.config.api_key}"
        return Request(
            method=method,
            url=self.config.base_url + path,
            headers=headers,
            body=body,
            timeout=float(timeout),
            max_retries=max_retries,
            label=f"{method} {path}",
            redactor=redactor,
            job_lookup=job_lookup,
        )

    def _exchange(self, request: Request) -> Flow[RawResponse]:
        """Send until a 2xx answer (returned) or a failure that may not be retried (raised)."""
        attempts = request.max_retries + 1
        attempt = 1
        while True:
            logger.debug("%s: attempt %d of %d", request.label, attempt, attempts)
            outcome = yield request
            assert outcome is not None, "the client must send back what the transport got"
            if isinstance(outcome, RawResponse) and 200 <= outcome.status_code < 300:
                return outcome
            error = error_for(request, outcome)
            if attempt == attempts or not retryable(outcome):
                raise error
            delay = retry_delay(attempt, outcome)
            logger.warning(
                "%s: %s; retrying in %.2fs (attempt %d of %d)",
                request.label,
                reason(outcome),
                delay,
                attempt + 1,
                attempts,
            )
            yield delay
            attempt += 1
