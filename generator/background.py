"""Run one pure, expensive step in a forked child while this process does other work.

The machine running `generate` usually has two or more cores, and a target's expensive steps
(datamodel-code-generator plus black on types.py, black on the templates' files) do not depend
on each other. The child inherits everything already imported, so starting it costs a fork;
its result (or its exception) comes back pickled through a pipe. Where there is no fork, or
WORKER_CLIENT_GEN_NO_FORK=1, the step simply runs inline when its result is asked for. Either
way the result is the same: only the time changes.
"""

from __future__ import annotations

import os
import pickle
import sys
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")
NO_FORK_ENV = "WORKER_CLIENT_GEN_NO_FORK"


class Background(Generic[T]):
    def __init__(self, compute: Callable[[], T]) -> None:
        self._compute = compute
        self._pid = 0
        self._fd = -1
        if hasattr(os, "fork") and os.environ.get(NO_FORK_ENV, "") in ("", "0"):
            self._start()

    def _start(self) -> None:
        read_fd, write_fd = os.pipe()
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:  # the child: compute, send, and leave without running any cleanup
            code = 0
            try:
                os.close(read_fd)
                try:
                    payload = pickle.dumps((True, self._compute()))
                except BaseException as exc:  # noqa: BLE001 - sent back and re-raised there
                    payload = pickle.dumps((False, exc))
                with os.fdopen(write_fd, "wb") as pipe:
                    pipe.write(payload)
            except BaseException:  # noqa: BLE001 - the parent sees a failed child
                code = 1
            finally:
                os._exit(code)
        os.close(write_fd)
        self._pid, self._fd = pid, read_fd

    def result(self) -> T:
        if not self._pid:
            return self._compute()
        with os.fdopen(self._fd, "rb") as pipe:
            data = pipe.read()
        _, status = os.waitpid(self._pid, 0)
        self._pid = 0
        if os.waitstatus_to_exitcode(status) != 0 or not data:
            return self._compute()  # the child died: do the work here instead
        ok, value = pickle.loads(data)
        if not ok:
            raise value
        result: T = value
        return result
