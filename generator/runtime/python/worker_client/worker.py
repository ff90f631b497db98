"""The consuming side of the queues: BullMQ workers with one typed handler per message type.

    from worker_client.worker import QueueWorker

    async def download(payload: FileDownloadRequestMessage, job: JobContext[...]) -> dict:
        await job.update_progress(50)
        return {"path": "..."}

    await QueueWorker({"file-download-request": download}, connection="redis://...").run()

Every job's data is validated against its message schema before its handler runs; a job
whose data is invalid fails at once (no retries: the same data would fail again) with a
reason naming the JSON pointer of every offending field, and its handler never runs. What a
handler returns becomes the job's return value. `run()` stops on SIGTERM or SIGINT after
the jobs in progress have finished. Needs the `worker` extra (the `bullmq` package).
"""

from __future__ import annotations

import asyncio
import importlib
import inspect
import logging
import signal
from collections.abc import Awaitable, Callable, Mapping
from typing import TYPE_CHECKING, Any, Generic, TypeVar, cast, get_args

from ._core import secrets_of
from ._exceptions import PayloadValidationError, WorkerClientError
from ._handlers import COMPLETIONS
from ._models import JobOptions, JobResponse
from ._redaction import Redactor
from ._validation import validate_payload
from .client import WorkerClient
from .message_types import MessageType

if TYPE_CHECKING:
    from ._handlers import Handlers
    from .async_client import AsyncWorkerClient

__all__ = ["Handler", "JobContext", "QueueWorker"]

P = TypeVar("P")
C = TypeVar("C")

logger = logging.getLogger("worker_client.worker")


def _bullmq() -> Any:
    """The bullmq package, imported when a worker starts: it is an optional dependency."""
    try:
        return importlib.import_module("bullmq")
    except ImportError:
        raise WorkerClientError(
            "QueueWorker needs the bullmq package: "
            "pip install 'mesh-sync-worker-backend-client[worker]'"
        ) from None


class JobContext(Generic[C]):
    """The job a handler is processing; `C` is the payload type of its completion message."""

    def __init__(
        self,
        job: Any,
        message_type: str,
        client: WorkerClient | AsyncWorkerClient | None,
        redactor: Redactor,
    ) -> None:
        self.job = job  # the bullmq Job, for anything this class does not cover
        self.message_type = message_type
        self._client = client
        self._redactor = redactor

    @property
    def id(self) -> str:
        return str(self.job.id)

    @property
    def attempts_made(self) -> int:
        return int(self.job.attemptsMade or 0)

    async def update_progress(self, progress: int | float | dict[str, Any]) -> None:
        """Report progress; `get_job_status(...).progress` shows it."""
        await self.job.updateProgress(progress)

    async def log(self, text: str) -> None:
        """Add a line to the job's BullMQ log, with secret payload values removed."""
        await self.job.log(self._redactor.text(text))

    async def send_completion(self, payload: C, opts: JobOptions | None = None) -> JobResponse:
        """Enqueue the message that reports this job's outcome, through the worker's client.

        Its jobId defaults to `<completion type>-<this job's id>`, so a retried handler that
        sends again still leaves one completion job."""
        completion = COMPLETIONS.get(self.message_type)
        if completion is None:
            raise WorkerClientError(f"{self.message_type} has no completion message")
        if self._client is None:
            raise WorkerClientError("send_completion needs QueueWorker(..., client=...)")
        job_opts: dict[str, Any] = {"jobId": f"{completion}-{self.id}", **(opts or {})}
        send: Callable[..., Any] = self._client.send_to_queue
        if isinstance(self._client, WorkerClient):
            # The sync client blocks: in a thread, so that the other jobs go on meanwhile.
            response: JobResponse = await asyncio.to_thread(send, completion, payload, job_opts)
        else:
            response = await send(completion, payload, job_opts)
        logger.info(
            "%s job %s: sent %s job %s", self.message_type, self.id, completion, response.job_id
        )
        return response


# A handler is called with the validated payload and the job; what it returns (or what the
# awaitable it returns gives) becomes the job's return value.
Handler = Callable[[P, JobContext[C]], Any]


class QueueWorker:
    """One BullMQ worker per message type that has a handler, all in one asyncio process."""

    def __init__(
        self,
        handlers: Handlers,
        *,
        connection: str | Mapping[str, Any] | Any = "redis://localhost:6379",
        prefix: str = "bull",
        concurrency: int = 1,
        client: WorkerClient | AsyncWorkerClient | None = None,
        worker_options: Mapping[str, Any] | None = None,
    ) -> None:
        """`connection`: a Redis URL, redis connection options or a redis.asyncio client.
        `prefix`: the BullMQ key prefix (the one the producers use). `concurrency`: jobs
        each queue processes at once. `client`: what `send_completion` sends through.
        `worker_options`: further bullmq WorkerOptions, passed as they are."""
        unknown = sorted(set(handlers) - set(get_args(MessageType)))
        if unknown:
            raise WorkerClientError(f"no such message type: {', '.join(unknown)}")
        if not handlers:
            raise WorkerClientError("QueueWorker needs at least one handler")
        if concurrency < 1:
            raise WorkerClientError(f"concurrency must be 1 or more, got {concurrency!r}")
        self._handlers = dict(cast("Mapping[str, Callable[..., Any]]", handlers))
        self._options: dict[str, Any] = {
            **(worker_options or {}),
            "connection": connection,
            "prefix": prefix,
            "concurrency": concurrency,
        }
        self._client = client
        self._workers: list[Any] = []
        self._stop = asyncio.Event()

    @property
    def message_types(self) -> list[str]:
        return list(self._handlers)

    async def run(self, *, stop_on_signals: bool = True) -> None:
        """Consume until close() or, with stop_on_signals, SIGTERM/SIGINT; then let the active
        jobs finish and return."""
        bullmq = _bullmq()
        loop = asyncio.get_running_loop()
        watched: list[signal.Signals] = []
        if stop_on_signals:
            for sig in (signal.SIGTERM, signal.SIGINT):
                loop.add_signal_handler(sig, self._signalled, sig)
                watched.append(sig)
        try:
            for message_type, handler in self._handlers.items():
                worker = bullmq.Worker(
                    message_type, self._processor(message_type, handler), dict(self._options)
                )
                worker.on("error", _log_worker_error(message_type))
                self._workers.append(worker)
            logger.info("consuming %s", ", ".join(self._handlers))
            await self._stop.wait()
        finally:
            for sig in watched:
                loop.remove_signal_handler(sig)
            # close() waits for the jobs in progress; all queues wind down together.
            await asyncio.gather(*(w.close() for w in self._workers))
            self._workers.clear()
            logger.info("stopped")

    def close(self) -> None:
        """Ask run() to stop taking jobs and return once the active ones are done."""
        self._stop.set()

    def _signalled(self, sig: signal.Signals) -> None:
        logger.info("%s: finishing the active jobs, taking no new ones", sig.name)
        self.close()

    def _processor(
        self, message_type: str, handler: Callable[..., Any]
    ) -> Callable[[Any, str], Awaitable[Any]]:
        bullmq = _bullmq()

        async def process(job: Any, token: str) -> Any:
            redactor = Redactor(secrets_of(self._client), job.data)
            try:
                validate_payload(message_type, job.data, redactor)
            except PayloadValidationError as exc:
                logger.warning("%s job %s failed: %s", message_type, job.id, exc)
                # Unrecoverable: retrying the same data cannot make it valid.
                raise bullmq.UnrecoverableError(str(exc)) from None
            context: JobContext[Any] = JobContext(job, message_type, self._client, redactor)
            attempt = context.attempts_made + 1
            logger.debug("%s job %s: started (attempt %d)", message_type, job.id, attempt)
            try:
                result = handler(job.data, context)
                if inspect.isawaitable(result):
                    result = await result
            except Exception as exc:
                # The exception text can quote the payload: its secret values are removed.
                reason = redactor.text(f"{type(exc).__name__}: {exc}")
                logger.warning("%s job %s failed: %s", message_type, job.id, reason)
                if isinstance(exc, (bullmq.DelayedError, bullmq.WaitingChildrenError)):
                    raise  # instructions to BullMQ, not failures
                raise _redacted(exc, redactor, bullmq) from None
            logger.info("%s job %s: completed", message_type, job.id)
            return result

        return process


def _redacted(exc: Exception, redactor: Redactor, bullmq: Any) -> Exception:
    """The handler's exception as BullMQ may store it: BullMQ keeps str(exception) as the
    job's failedReason (what get_job_status returns) and the formatted traceback as its
    stacktrace, both in Redis. This one has the secret values (the job's secret fields, the
    client's api key) replaced in its text, the original's type name and frames, and no
    chained original (raised `from None`), so neither can hold a secret."""
    text = redactor.text(str(exc))
    if isinstance(exc, bullmq.UnrecoverableError):
        copy: Exception = bullmq.UnrecoverableError(text)
    else:
        # Named like the original, so that the stored traceback still says what failed.
        named = type(type(exc).__name__, (Exception,), {"__module__": type(exc).__module__})
        copy = named(text)
    return copy.with_traceback(exc.__traceback__)


def _log_worker_error(message_type: str) -> Callable[..., None]:
    def log(error: Any, *rest: Any) -> None:
        # Connection trouble and the like: BullMQ retries by itself; say so once per event.
        logger.error("%s worker: %s", message_type, type(error).__name__)

    return log
