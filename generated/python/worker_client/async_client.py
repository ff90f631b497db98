"""AsyncWorkerClient: the asyncio client, on httpx (the `async` extra).

httpx because it is to asyncio what requests is to threads: the same request/response model,
timeouts and connection pooling, maintained and typed, so both clients behave alike.
Validation, retries and error mapping are not here but in _core, shared with WorkerClient.
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine, Mapping
from types import TracebackType
from typing import Any

try:
    import httpx
except ImportError as exc:  # pragma: no cover - depends on the installed extras
    raise ImportError(
        "AsyncWorkerClient needs httpx: pip install 'mesh-sync-worker-backend-client[async]'"
    ) from exc
from typing_extensions import Self, Unpack

from ._config import Config
from ._constants import DEFAULT_MAX_RETRIES, MAX_ANSWER_BYTES
from ._core import ClientBase, ClientCore
from ._methods import MessageMethods
from ._models import JobOptions, JobResponse, JobStatus, RequestOptions
from ._transport import Flow, Outcome, RawResponse, Request, T, TransportFailure

__all__ = ["AsyncWorkerClient"]


class AsyncWorkerClient(ClientBase, MessageMethods[Coroutine[Any, Any, JobResponse]]):
    """Enqueue worker-backend jobs and read their status, with asyncio.

    The same methods and arguments as WorkerClient; every call returns a coroutine. Use
    `async with AsyncWorkerClient(...) as client:` or `await client.aclose()`.
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
        self._http = httpx.AsyncClient()

    async def aclose(self) -> None:
        """Close the HTTP connection pool."""
        await self._http.aclose()

    async def close(self) -> None:
        """The same as aclose()."""
        await self.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def get_job_status(self, job_id: str, **options: Unpack[RequestOptions]) -> JobStatus:
        """The current state of a job; JobNotFoundError when there is no such job."""
        return await self._run(self._core.job_status(job_id, options))

    async def wait_for(self, job_id: str, timeout: float) -> JobStatus:
        """Wait until the job has finished, polling its status with backoff: its status once
        it completed (`returnvalue` is the result); JobFailedError (with the failure reason,
        secrets redacted) when it failed; WaitTimeoutError when it is not finished after
        `timeout` seconds. JobNotFoundError when there is no such job."""
        return await self._run(self._core.wait_for(job_id, timeout))

    def _enqueue(
        self,
        message_type: str,
        payload: Mapping[str, Any],
        opts: JobOptions | None,
        options: RequestOptions,
    ) -> Coroutine[Any, Any, JobResponse]:
        return self._run(self._core.enqueue(message_type, payload, opts, options))

    async def _run(self, flow: Flow[T]) -> T:
        step = next(flow)
        while True:
            reply: Outcome | None = None
            if isinstance(step, Request):
                reply = await self._send(step)
            else:
                await asyncio.sleep(step)
            try:
                step = flow.send(reply)
            except StopIteration as done:
                result: T = done.value
                return result

    async def _send(self, request: Request) -> Outcome:
        try:
            # The timeout is a deadline for the whole attempt, not for each read.
            return await asyncio.wait_for(self._attempt(request), request.timeout)
        except (asyncio.TimeoutError, httpx.TimeoutException):
            detail = f"no complete answer within {request.timeout:g} s"
            return TransportFailure(timed_out=True, detail=detail)
        except httpx.TransportError as exc:
            return TransportFailure(timed_out=False, detail=str(exc) or type(exc).__name__)

    async def _attempt(self, request: Request) -> RawResponse:
        # Redirects are never followed: the body (and its secrets) goes to base_url and
        # nowhere else, and a 3xx is an error, never a success.
        http_request = self._http.build_request(
            request.method,
            request.url,
            headers=request.headers,
            content=request.body,
            timeout=request.timeout,
        )
        response = await self._http.send(http_request, stream=True, follow_redirects=False)
        try:
            data = bytearray()
            async for chunk in response.aiter_bytes():
                data += chunk
                if len(data) > MAX_ANSWER_BYTES:
                    break
        finally:
            await response.aclose()
        return RawResponse.capped(response.status_code, response.headers, data, response.encoding)
