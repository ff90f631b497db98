"""Run the one step that pays for it in forked children while this process does other work.

The machine running `generate` usually has two or more cores, and datamodel-code-generator
plus black on types.py is about half of a cold run and needs nothing else the targets do
(bench/ shows it: at 1,000 schemas a cold run takes about 0.65x of the time without workers).
A child inherits everything already imported, so starting it costs a fork; its result (or its
exception) comes back pickled through a pipe. Where there is no fork, or
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
from typing import Any, TypeVar

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
    """Fork; the child runs `child` and leaves without running any cleanup. A child never
    outlives its parent: it is killed when the parent dies, however the parent dies."""
    sys.stdout.flush()
    sys.stderr.flush()
    parent = os.getpid()
    pid = os.fork()
    if pid == 0:
        code = 0
        try:
            _die_with(parent)
            child()
        except BaseException:  # noqa: BLE001 - the parent sees a failed child
            code = 1
        finally:
            os._exit(code)
    return pid


def _die_with(parent: int) -> None:
    """Ask Linux for SIGKILL when the parent goes (PR_SET_PDEATHSIG); elsewhere a killed
    parent's child finishes its job, finds no reader and exits."""
    if not sys.platform.startswith("linux"):
        return
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    if os.getppid() != parent:
        os._exit(1)  # the parent died before the request took effect


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


class Workers:
    """The forked workers of one run, passed explicitly to what uses them. prestart() forks a
    worker that pays a step's slow set-up while the schemas load; map_batches() spreads a
    step's batches over one worker per core, that one first; release() stops any worker
    nobody used (also on leaving a `with` block)."""

    def __init__(self, fork: bool = True) -> None:
        self._warm: dict[Callable[[], None], Worker] = {}
        # A caller may rule forking out (watch mode: a long-lived process with a watcher's
        # native threads, where a warm cache leaves little to overlap).
        self.fork = fork

    def forking(self) -> bool:
        return self.fork and forking()

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()

    def prestart(self, warm: Callable[[], None]) -> None:
        if self.forking() and warm not in self._warm:
            self._warm[warm] = Worker(warm)

    def release(self) -> None:
        while self._warm:
            _, worker = self._warm.popitem()
            worker.cancel()

    def map_batches(
        self,
        compute: Callable[[list[A]], dict[K, V]],
        batches: list[list[A]],
        warm: Callable[[], None],
    ) -> Callable[[], dict[K, V]]:
        """Start compute(batch) for every batch; returns the function that waits for the union
        of their results. compute must be a module-level function (a prestarted worker gets it
        pickled). Without fork, the batches run when the result is asked for."""
        worker = self._warm.pop(warm, None)
        if not batches or not self.forking():
            if worker is not None:
                worker.cancel()
            return functools.partial(_run_all, compute, batches)
        count = min(len(batches), max(1, os.cpu_count() or 1))
        results: list[Callable[[], dict[K, V]]] = []
        for i in range(count):
            helper = worker if i == 0 and worker is not None else Worker(_nothing)
            results.append(helper.submit(_run_all, compute, batches[i::count]))

        def gather() -> dict[K, V]:
            merged: dict[K, V] = {}
            for result in results:
                merged.update(result())
            return merged

        return gather


def _nothing() -> None:
    pass


def _run_all(compute: Callable[[list[A]], dict[K, V]], batches: list[list[A]]) -> dict[K, V]:
    merged: dict[K, V] = {}
    for batch in batches:
        merged.update(compute(batch))
    return merged
