"""Run pure, expensive steps in forked children while this process does other work.

The machine running `generate` usually has two or more cores, and a target's expensive steps
(datamodel-code-generator plus black on types.py, the OpenAPI document) do not depend on
each other. A child inherits everything already imported, so starting it costs a fork; its
result (or its exception) comes back pickled through a pipe. Where there is no fork, or
WORKER_CLIENT_GEN_NO_FORK=1, a step simply runs inline when its result is asked for. Either
way the result is the same: only the time changes. A process running other threads never
forks (see forking()).

Messages on the pipes are length-prefixed: a reader never waits for end-of-file, which a
later-forked sibling holding a copy of the pipe would delay.
"""

from __future__ import annotations

import functools
import os
import pickle
import signal
import struct
import sys
import threading
from collections.abc import Callable
from typing import Any, Generic, TypeVar

T = TypeVar("T")
A = TypeVar("A")
K = TypeVar("K")
V = TypeVar("V")
NO_FORK_ENV = "WORKER_CLIENT_GEN_NO_FORK"
_LENGTH = struct.Struct("!Q")


def forking() -> bool:
    """Whether steps may run in forked children: where fork exists, unless turned off, and
    only while this process runs no other thread (a thread holding a lock at the fork would
    leave the child waiting on it forever; a library caller with threads gets inline work)."""
    return (
        hasattr(os, "fork")
        and os.environ.get(NO_FORK_ENV, "") in ("", "0")
        and threading.active_count() == 1
    )


def _send(fd: int, value: object) -> None:
    data = pickle.dumps(value)
    with os.fdopen(fd, "wb") as pipe:
        pipe.write(_LENGTH.pack(len(data)) + data)


def _receive(fd: int) -> Any:
    """The message on fd, or None when the writer left without one."""
    with os.fdopen(fd, "rb") as pipe:
        head = pipe.read(_LENGTH.size)
        if len(head) < _LENGTH.size:
            return None
        (size,) = _LENGTH.unpack(head)
        data = pipe.read(size)
    return pickle.loads(data) if len(data) == size else None


def _fork(child: Callable[[], None]) -> int:
    """Fork; the child runs `child` and leaves without running any cleanup."""
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:
        code = 0
        try:
            child()
        except BaseException:  # noqa: BLE001 - the parent sees a failed child
            code = 1
        finally:
            os._exit(code)
    return pid


def _outcome(compute: Callable[..., Any], *args: object) -> tuple[bool, Any]:
    try:
        return True, compute(*args)
    except BaseException as exc:  # noqa: BLE001 - sent back and re-raised in the parent
        return False, exc


def _collect(pid: int, fd: int, fallback: Callable[[], T]) -> T:
    message = _receive(fd)
    _, status = os.waitpid(pid, 0)
    if os.waitstatus_to_exitcode(status) != 0 or message is None:
        return fallback()  # the child died: do the work here instead
    ok, value = message
    if not ok:
        raise value
    result: T = value
    return result


class Background(Generic[T]):
    """compute() in a child forked now; result() waits for it."""

    def __init__(self, compute: Callable[[], T]) -> None:
        self._compute = compute
        self._pid = 0
        self._fd = -1
        if forking():
            read_fd, write_fd = os.pipe()

            def child() -> None:
                os.close(read_fd)
                _send(write_fd, _outcome(compute))

            self._pid = _fork(child)
            os.close(write_fd)
            self._fd = read_fd

    def result(self) -> T:
        if not self._pid:
            return self._compute()
        pid, self._pid = self._pid, 0
        return _collect(pid, self._fd, self._compute)


class Worker:
    """A forked child started before its work is known: it runs `warm` (imports, first-run
    set-up) at once, then does one job. Time spent warming overlaps the parent's work."""

    def __init__(self, warm: Callable[[], None]) -> None:
        job_read, self._job_fd = os.pipe()
        self._fd, result_write = os.pipe()

        def child() -> None:
            os.close(self._job_fd)
            os.close(self._fd)
            job: list[Any] = []
            # The job is read while warming, so that the parent never waits to hand it over.
            reader = threading.Thread(target=lambda: job.append(_receive(job_read)))
            reader.start()
            try:
                warm()
            except Exception:  # noqa: BLE001, S110 - the job itself shows any real failure
                pass
            reader.join()
            if job and job[0] is not None:
                compute, args = job[0]
                _send(result_write, _outcome(compute, *args))

        self._pid = _fork(child)
        os.close(job_read)
        os.close(result_write)

    def submit(self, compute: Callable[..., T], *args: object) -> Callable[[], T]:
        """Hand over the job (a module-level function and its arguments); returns the
        function that waits for its result."""
        _send(self._job_fd, (compute, args))
        self._job_fd = -1
        pid, fd = self._pid, self._fd
        self._pid, self._fd = 0, -1
        return lambda: _collect(pid, fd, lambda: compute(*args))

    def cancel(self) -> None:
        """Stop a worker that got no job."""
        if self._pid:
            os.kill(self._pid, signal.SIGKILL)
            os.waitpid(self._pid, 0)
            self._pid = 0
        for fd in (self._job_fd, self._fd):
            if fd >= 0:
                os.close(fd)
        self._job_fd = self._fd = -1


_warm: dict[Callable[[], None], Worker] = {}


def prestart(warm: Callable[[], None]) -> None:
    """Start a Worker warmed by `warm`, for a later map_batches(..., warm) to use."""
    if forking() and warm not in _warm:
        _warm[warm] = Worker(warm)


def release() -> None:
    """Stop every prestarted worker nobody used."""
    while _warm:
        _, worker = _warm.popitem()
        worker.cancel()


def map_batches(
    compute: Callable[[list[A]], dict[K, V]], batches: list[list[A]], warm: Callable[[], None]
) -> Callable[[], dict[K, V]]:
    """Start compute(batch) for every batch, spread over one worker per core (the prestarted
    one for `warm` first, freshly forked ones after it); returns the function that waits for
    the union of their results. compute must be a module-level function (the prestarted
    worker gets it pickled). Without fork, the batches run when the result is asked for."""
    worker = _warm.pop(warm, None)
    if not batches or not forking():
        if worker is not None:
            worker.cancel()
        return functools.partial(_run_all, compute, batches)
    count = min(len(batches), max(1, os.cpu_count() or 1))
    groups = [batches[i::count] for i in range(count)]
    results: list[Callable[[], dict[K, V]]] = []
    for i, group in enumerate(groups):
        if i == 0 and worker is not None:
            results.append(worker.submit(_run_all, compute, group))
        else:
            results.append(Background(functools.partial(_run_all, compute, group)).result)

    def gather() -> dict[K, V]:
        merged: dict[K, V] = {}
        for result in results:
            merged.update(result())
        return merged

    return gather


def _run_all(compute: Callable[[list[A]], dict[K, V]], batches: list[list[A]]) -> dict[K, V]:
    merged: dict[K, V] = {}
    for batch in batches:
        merged.update(compute(batch))
    return merged
