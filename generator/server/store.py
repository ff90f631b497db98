"""Where `serve` keeps jobs: in memory (the default) or in real BullMQ queues on Redis.

Both stores behave like BullMQ for what the contract can observe: one queue per message
type, the queue name is the message type, and adding a job whose jobId already exists in the
queue adds nothing and returns the existing job. A job id names one job across all queues
(`GET /api/jobs/{jobId}` carries no queue), so a jobId taken in another queue is a conflict.
"""

from __future__ import annotations

import copy
import threading
import time
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field, replace
from typing import Any, Protocol
from urllib.parse import urlsplit, urlunsplit

from generator.contract import JOB_STATES, QUEUE_COUNT_STATES, REDACTED


class JobConflict(Exception):
    """The jobId is taken by a job of another queue (409)."""


class JobRejected(Exception):
    """BullMQ would refuse the job: 400, or 404 when the parent job it names does not exist."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


class StoreUnavailable(Exception):
    """The queue store cannot be reached (503)."""


@dataclass(frozen=True)
class JobRecord:
    job_id: str
    queue: str
    name: str
    state: str
    data: Any
    opts: dict[str, Any]
    timestamp: int
    returnvalue: Any = None
    progress: Any = 0
    failed_reason: str | None = None
    attempts_made: int = 0
    processed_on: int | None = None
    finished_on: int | None = None

    def status_json(self) -> dict[str, Any]:
        """The JobStatus body of docs/contract.md."""
        return {
            "jobId": self.job_id,
            "name": self.name,
            "queue": self.queue,
            "state": self.state if self.state in JOB_STATES else "unknown",
            "data": self.data,
            "returnvalue": self.returnvalue,
            "progress": self.progress,
            "timestamp": self.timestamp,
            "attemptsMade": self.attempts_made,
            "processedOn": self.processed_on,
            "finishedOn": self.finished_on,
            "failedReason": self.failed_reason,
        }


@dataclass(frozen=True)
class AddOutcome:
    job: JobRecord
    created: bool  # False: a job with this jobId already existed in the queue


class JobStore(Protocol):
    description: str

    async def start(self) -> None: ...

    async def close(self) -> None: ...

    async def add(self, queue: str, data: Any, opts: dict[str, Any]) -> AddOutcome:
        """Add a job (opts["jobId"] is always set) or return the one that has its jobId."""
        ...

    async def get(self, job_id: str) -> JobRecord | None: ...

    async def counts(self, queues: Iterable[str]) -> dict[str, dict[str, int]]:
        """Per queue, how many of its jobs are in each of QUEUE_COUNT_STATES."""
        ...


def _now_ms() -> int:
    return int(time.time() * 1000)


# The in-memory store names queues the way BullMQ's default prefix does (parent.queue).
MEMORY_PREFIX = "bull"


def _initial_state(opts: dict[str, Any]) -> str:
    # BullMQ's own placement on add: delayed jobs wait in `delayed`, jobs with a priority in
    # `prioritized`, everything else in `wait` (reported as `waiting`).
    if opts.get("delay"):
        return "delayed"
    if opts.get("priority"):
        return "prioritized"
    return "waiting"


@dataclass
class _Deduplication:
    job_id: str
    expires_at: float | None  # time.monotonic(); None: until the job finishes


@dataclass
class MemoryJobStore:
    """Jobs in a dict. Nothing consumes them; tests move them on with the methods below,
    which stand in for a BullMQ worker (they are safe to call from another thread).

    Like BullMQ on add: jobId idempotency, `deduplication` (id, ttl, extend), `parent` must
    exist, and the initial state from `delay` and `priority`."""

    description: str = "in-memory jobs"
    _jobs: dict[str, JobRecord] = field(default_factory=dict)
    _dedup: dict[str, _Deduplication] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    async def start(self) -> None:
        return None

    async def close(self) -> None:
        return None

    async def add(self, queue: str, data: Any, opts: dict[str, Any]) -> AddOutcome:
        job_id = str(opts["jobId"])
        with self._lock:
            existing = self._jobs.get(job_id)
            if existing is not None:
                if existing.queue != queue:
                    raise JobConflict(_conflict_message(job_id, existing.queue))
                return AddOutcome(existing, created=False)
            duplicate = self._deduplicated(queue, opts.get("deduplication"))
            if duplicate is not None:
                return AddOutcome(duplicate, created=False)
            parent = opts.get("parent")
            if parent is not None:
                found = self._jobs.get(str(parent["id"]))
                if found is None or parent["queue"] != f"{MEMORY_PREFIX}:{found.queue}":
                    raise JobRejected(_missing_parent(parent), status=404)
            job = JobRecord(
                job_id=job_id,
                queue=queue,
                name=queue,
                state=_initial_state(opts),
                data=copy.deepcopy(data),
                opts=copy.deepcopy(opts),
                timestamp=int(opts.get("timestamp") or _now_ms()),
            )
            self._jobs[job_id] = job
            dedup = opts.get("deduplication")
            if dedup is not None:
                self._dedup[_dedup_key(queue, dedup)] = _Deduplication(job_id, _expiry(dedup))
            return AddOutcome(job, created=True)

    def _deduplicated(self, queue: str, dedup: dict[str, Any] | None) -> JobRecord | None:
        """The job an earlier add with the same deduplication id left in force, if any."""
        if dedup is None:
            return None
        entry = self._dedup.get(_dedup_key(queue, dedup))
        if entry is None:
            return None
        job = self._jobs[entry.job_id]
        expired = entry.expires_at is not None and time.monotonic() >= entry.expires_at
        finished = entry.expires_at is None and job.state in ("completed", "failed")
        if expired or finished:
            return None
        if dedup.get("extend"):
            entry.expires_at = _expiry(dedup)
        return job

    async def get(self, job_id: str) -> JobRecord | None:
        with self._lock:
            return self._jobs.get(job_id)

    async def counts(self, queues: Iterable[str]) -> dict[str, dict[str, int]]:
        found = {q: dict.fromkeys(QUEUE_COUNT_STATES, 0) for q in queues}
        with self._lock:
            for job in self._jobs.values():
                if job.queue in found and job.state in QUEUE_COUNT_STATES:
                    found[job.queue][job.state] += 1
        return found

    # ----------------------------------------------------------- worker stand-in (in-process)

    def jobs(self, queue: str | None = None) -> list[JobRecord]:
        """Every job (of one queue), oldest first."""
        with self._lock:
            found = [j for j in self._jobs.values() if queue is None or j.queue == queue]
        return sorted(found, key=lambda j: (j.timestamp, j.job_id))

    def activate(self, job_id: str) -> JobRecord:
        # The count is read and raised under one hold of the lock: two workers that take the
        # job at once make two attempts, not one.
        with self._lock:
            job = self._jobs[job_id]
            tries = job.attempts_made + 1
            return self._put(
                replace(job, state="active", processed_on=_now_ms(), attempts_made=tries)
            )

    def update_progress(self, job_id: str, progress: Any) -> JobRecord:
        return self._update(job_id, progress=copy.deepcopy(progress))

    def complete(self, job_id: str, returnvalue: Any = None) -> JobRecord:
        return self._update(
            job_id,
            state="completed",
            returnvalue=copy.deepcopy(returnvalue),
            finished_on=_now_ms(),
        )

    def fail(self, job_id: str, reason: str) -> JobRecord:
        return self._update(job_id, state="failed", failed_reason=reason, finished_on=_now_ms())

    def _update(self, job_id: str, **changes: Any) -> JobRecord:
        with self._lock:
            return self._put(replace(self._jobs[job_id], **changes))

    def _put(self, job: JobRecord) -> JobRecord:
        """Store a job's new record (the caller holds the lock)."""
        self._jobs[job.job_id] = job
        return job


def _dedup_key(queue: str, dedup: dict[str, Any]) -> str:
    return f"{queue}:{dedup['id']}"


def _expiry(dedup: dict[str, Any]) -> float | None:
    ttl = dedup.get("ttl")
    return time.monotonic() + ttl / 1000 if ttl else None


def _missing_parent(parent: dict[str, Any]) -> str:
    return f"no parent job {parent['queue']}:{parent['id']} (opts.parent)"


def _conflict_message(job_id: str, other_queue: str) -> str:
    return f"jobId {job_id!r} is already taken by a job in queue {other_queue!r}"


def redact_url(url: str) -> str:
    """The URL without its password, for logs and error messages."""
    try:
        parts = urlsplit(url)
        if parts.password is None:
            return url
        user = parts.username or ""
        netloc = f"{user}:{REDACTED}@" + (parts.hostname or "")
        if parts.port is not None:
            netloc += f":{parts.port}"
        return urlunsplit(parts._replace(netloc=netloc))
    except ValueError:
        return "<unparsable URL>"


DURABLE_REDIS = "--appendonly yes --appendfsync always"


def persistence_warnings(config: dict[str, str]) -> list[str]:
    """What a Redis with these settings (CONFIG GET appendonly, appendfsync, save) can lose
    of the jobs serve has already answered 201 for; nothing when it can lose none."""
    fix = f"run redis-server with {DURABLE_REDIS} so that no accepted job is lost"
    appendonly = config.get("appendonly", "").lower()
    fsync = config.get("appendfsync", "").lower()
    save = config.get("save", "")
    if appendonly != "yes":
        if not save.strip():
            return [
                f"Redis keeps nothing on disk (appendonly no, no save points): a restart "
                f"loses every job; {fix}"
            ]
        return [
            f"Redis only writes snapshots (appendonly no, save {save!r}): a crash loses "
            f"every job accepted since the last one; {fix}"
        ]
    if fsync == "always":
        return []
    if fsync == "everysec":
        return [
            f"Redis syncs its append-only file once a second (appendfsync everysec): a "
            f"power loss or system crash can lose the last second of accepted jobs; {fix}"
        ]
    return [
        f"Redis leaves syncing its append-only file to the system (appendfsync "
        f"{fsync or '?'}): a power loss or system crash can lose accepted jobs; {fix}"
    ]


class BullMQJobStore:
    """Real BullMQ queues on Redis, one per message type, through the `bullmq` package."""

    def __init__(self, url: str, queues: Iterable[str], prefix: str = "bull") -> None:
        self.url = url
        self.prefix = prefix
        self.queue_names = sorted(queues)
        self.description = f"BullMQ on {redact_url(url)} (prefix {prefix!r})"
        self._redis: Any = None
        self._queues: dict[str, Any] = {}

    async def start(self) -> None:
        import redis.asyncio as aioredis
        from bullmq import Queue  # type: ignore[import-untyped]

        # One pooled client shared by every queue instead of a connection per queue.
        self._redis = aioredis.from_url(self.url, decode_responses=True)
        try:
            await self._redis.ping()
        except Exception as exc:
            await self._redis.aclose()
            raise StoreUnavailable(
                f"cannot reach Redis at {redact_url(self.url)}: {type(exc).__name__}"
            ) from None
        for name in self.queue_names:
            self._queues[name] = Queue(name, {"connection": self._redis, "prefix": self.prefix})

    async def close(self) -> None:
        if self._redis is not None:
            await self._redis.aclose()
            self._redis = None

    async def add(self, queue: str, data: Any, opts: dict[str, Any]) -> AddOutcome:
        job_id = str(opts["jobId"])
        async with _unavailable_on_connection_errors():
            owner = await self._owner(job_id)
            if owner is not None and owner != queue:
                raise JobConflict(_conflict_message(job_id, owner))
            if owner == queue:
                existing = await self._load(queue, job_id)
                if existing is not None:
                    return AddOutcome(existing, created=False)
            parent = opts.get("parent")
            if parent is not None and not await self._redis.exists(
                f"{parent['queue']}:{parent['id']}"
            ):
                raise JobRejected(_missing_parent(parent), status=404)
            try:
                added = await self._queues[queue].add(queue, data, copy.deepcopy(opts))
            except (ValueError, TypeError, OverflowError) as exc:
                # BullMQ's own refusals (a parent job that vanished since the check above ...).
                await self._forget(queue, job_id, owner)
                raise JobRejected(f"BullMQ refused the job: {exc}") from None
            # A deduplicated add returns the job already in force, under its own id.
            kept = str(added.id)
            try:
                job = await self._load(queue, kept)
            except Exception:
                # A job the answer cannot describe is an error answer: none may stay behind.
                await self._forget(queue, kept, owner)
                raise
            if job is None:
                raise JobRejected(f"BullMQ did not keep job {kept!r}")
        return AddOutcome(job, created=owner is None and kept == job_id)

    async def _forget(self, queue: str, job_id: str, owner: str | None) -> None:
        """Remove a job this add created, so that an error answer leaves nothing behind."""
        if owner is not None:
            return  # the job was there before this add
        try:
            await self._queues[queue].remove(job_id)
        except Exception:  # noqa: BLE001 - the error being answered matters more
            pass

    async def get(self, job_id: str) -> JobRecord | None:
        async with _unavailable_on_connection_errors():
            owner = await self._owner(job_id)
            return None if owner is None else await self._load(owner, job_id)

    async def counts(self, queues: Iterable[str]) -> dict[str, dict[str, int]]:
        async with _unavailable_on_connection_errors():
            found = {}
            for name in queues:
                counted = await self._queues[name].getJobCounts(*QUEUE_COUNT_STATES)
                found[name] = {state: int(counted.get(state) or 0) for state in QUEUE_COUNT_STATES}
        return found

    async def _owner(self, job_id: str) -> str | None:
        """The queue holding a job with this id, in one round trip over every queue."""
        async with self._redis.pipeline(transaction=False) as pipe:
            for name in self.queue_names:
                pipe.hmget(self._queues[name].toKey(job_id), "name", "timestamp", "data")
            rows = await pipe.execute(raise_on_error=False)
        for name, row in zip(self.queue_names, rows, strict=True):
            # Not a job hash (a missing key, or a BullMQ bookkeeping key of another type).
            if isinstance(row, list) and all(v is not None for v in row):
                return name
        return None

    async def _load(self, queue: str, job_id: str) -> JobRecord | None:
        from bullmq import Job

        q = self._queues[queue]
        # The state first, then the job: a worker completes a job in one atomic step (return
        # value and state together), so a job read after a finished state holds its result.
        # Read the other way round (or concurrently), "completed" could come with no result.
        state = await q.getJobState(job_id)
        job = await Job.fromId(q, job_id)
        if job is None:
            return None
        return JobRecord(
            job_id=job_id,
            queue=queue,
            name=str(job.name),
            state=str(state),
            data=job.data,
            opts=dict(job.opts),
            timestamp=int(job.timestamp),
            returnvalue=job.returnvalue,
            progress=job.progress,
            failed_reason=job.failedReason or None,
            attempts_made=int(job.attemptsMade or 0),
            processed_on=_optional_ms(job.processedOn),
            finished_on=_optional_ms(job.finishedOn),
        )


def _optional_ms(value: Any) -> int | None:
    """A BullMQ timestamp field: unset (None or 0) is None."""
    return int(value) if value else None


@asynccontextmanager
async def _unavailable_on_connection_errors() -> AsyncIterator[None]:
    from redis.exceptions import BusyLoadingError
    from redis.exceptions import ConnectionError as RedisConnectionError
    from redis.exceptions import TimeoutError as RedisTimeoutError

    try:
        yield
    except (RedisConnectionError, RedisTimeoutError, BusyLoadingError, OSError) as exc:
        raise StoreUnavailable(f"Redis is unavailable: {type(exc).__name__}") from None
