"""WorkerClient: the synchronous client, on requests."""

from __future__ import annotations

import time
from collections.abc import Mapping
from types import TracebackType
from typing import Any

import requests
from typing_extensions import Self, Unpack

from ._config import Config
from ._constants import DEFAULT_MAX_RETRIES, MAX_ANSWER_BYTES
from ._core import ClientBase, ClientCore
from ._deadline import Deadline, DeadlineAdapter
from ._methods import MessageMethods
from ._models import JobOptions, JobResponse, JobStatus, RequestOptions
from ._transport import Flow, Outcome, RawResponse, Request, T, TransportFailure

__all__ = ["WorkerClient"]


class WorkerClient(ClientBase, MessageMethods[JobResponse]):
    """Enqueue worker-backend jobs and read their status.

    Arguments left out fall back to WORKER_BACKEND_URL, WORKER_BACKEND_API_KEY and
    WORKER_BACKEND_TIMEOUT (seconds, default 30). Payloads are checked against their message
    schema before anything is sent (`validate=False` turns that off). Connection errors,
    timeouts and the retryable statuses (README: Retries) are retried up to `max_retries`
    times; every enqueue carries one BullMQ jobId across its retries, so a retry never creates
    a second job.
    """

    def __init__(
        self,
        base_url: str | None = None,
        api_key: str | None = None,
        timeout: float | None = None,
        *,
        max_retries: int = DEFAULT_MAX_RETRIES,
        validate: bool = True,
    ) -> None:
        self._core = ClientCore(Config.resolve(base_url, api_key, timeout, max_retries, validate))
        self._hold_secrets()
        self._session = requests.Session()
        for scheme in ("http://", "https://"):
            self._session.mount(scheme, DeadlineAdapter())

    def close(self) -> None:
        """Close the HTTP session."""
        self._session.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def get_job_status(self, job_id: str, **options: Unpack[RequestOptions]) -> JobStatus:
        """The current state of a job; JobNotFoundError when there is no such job."""
        return self._run(self._core.job_status(job_id, options))

    def wait_for(self, job_id: str, timeout: float) -> JobStatus:
        """Wait until the job has finished, polling its status with backoff: its status once
        it completed (`returnvalue` is the result); JobFailedError (with the failure reason,
        secrets redacted) when it failed; WaitTimeoutError when it is not finished after
        `timeout` seconds. JobNotFoundError when there is no such job."""
        return self._run(self._core.wait_for(job_id, timeout))

    def _enqueue(
        self,
        message_type: str,
        payload: Mapping[str, Any],
        opts: JobOptions | None,
        options: RequestOptions,
    ) -> JobResponse:
        return self._run(self._core.enqueue(message_type, payload, opts, options))

    def _run(self, flow: Flow[T]) -> T:
        step = next(flow)
        while True:
            reply: Outcome | None = None
            if isinstance(step, Request):
                reply = self._send(step)
            else:
                time.sleep(step)
            try:
                step = flow.send(reply)
            except StopIteration as done:
                result: T = done.value
                return result

    def _send(self, request: Request) -> Outcome:
        with Deadline(request.timeout) as deadline:
            try:
                answer = self._attempt(request)
            except requests.RequestException as exc:
                timed_out = deadline.stop() or isinstance(exc, requests.Timeout)
                detail = _timed_out(request) if timed_out else str(exc)
                return TransportFailure(timed_out=timed_out, detail=detail)
            if deadline.stop():
                # The socket was shut mid-answer: what arrived is not all of it.
                return TransportFailure(timed_out=True, detail=_timed_out(request))
            return answer

    def _attempt(self, request: Request) -> RawResponse:
        # Redirects are never followed: the body (and its secrets) goes to base_url and
        # nowhere else, and a 3xx is an error, never a success.
        response = self._session.request(
            request.method,
            request.url,
            headers=request.headers,
            data=request.body,
            timeout=request.timeout,
            auth=_headers_only,
            allow_redirects=False,
            stream=True,
        )
        with response:
            data = bytearray()
            for chunk in response.iter_content(chunk_size=16384):
                data += chunk
                if len(data) > MAX_ANSWER_BYTES:
                    break
        return RawResponse.capped(response.status_code, response.headers, data, response.encoding)


def _timed_out(request: Request) -> str:
    return f"no complete answer within {request.timeout:g} s"


def _headers_only(request: requests.PreparedRequest) -> requests.PreparedRequest:
    """The request's own Authorization header is its only credential: as an explicit `auth`,
    this keeps requests from replacing it with Basic auth from ~/.netrc."""
    return request
