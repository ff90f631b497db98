"""A deadline for a whole blocking attempt, for the requests-based client.

requests (like the socket API below it) bounds each read, not the exchange: an answer that
trickles in one byte at a time never trips a read timeout. The deadline shuts the attempt's
socket down when its time is up, which ends any read in progress at once, whatever phase
(status line, headers, body) it is in.
"""

from __future__ import annotations

import heapq
import itertools
import socket
import threading
import time
from typing import Any

from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

_attempt = threading.local()  # the Deadline of the attempt this thread is making, if any


class Deadline:
    """Use as `with Deadline(seconds) as deadline:` around one attempt."""

    def __init__(self, seconds: float) -> None:
        self.expired = False
        self.stopped = False
        self._seconds = seconds
        self._lock = threading.Lock()
        self._socket: socket.socket | None = None

    def __enter__(self) -> Deadline:
        _attempt.deadline = self
        _WATCHDOG.arm(time.monotonic() + self._seconds, self)
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
        _attempt.deadline = None

    def stop(self) -> bool:
        """Disarm the deadline; whether it had already expired."""
        with self._lock:
            self.stopped = True
            return self.expired

    def attach(self, sock: socket.socket | None) -> None:
        with self._lock:
            self._socket = sock
            if self.expired:
                _shut(sock)

    def expire(self) -> None:
        with self._lock:
            if not self.stopped:
                self.expired = True
                _shut(self._socket)


class _Watchdog:
    """One daemon thread that expires every deadline of the process when it is due.

    Starting a thread per attempt (threading.Timer) cost more than all the client's other
    work on a call; armed deadlines wait in a heap instead, and disarmed ones are dropped
    when they reach its top.
    """

    def __init__(self) -> None:
        self._wake = threading.Condition()
        self._due: list[tuple[float, int, Deadline]] = []
        self._order = itertools.count()  # ties never compare two Deadlines
        self._thread: threading.Thread | None = None

    def arm(self, at: float, deadline: Deadline) -> None:
        with self._wake:
            earliest = not self._due or at < self._due[0][0]
            heapq.heappush(self._due, (at, next(self._order), deadline))
            if self._thread is None or not self._thread.is_alive():  # first use, or a fork
                self._thread = threading.Thread(
                    target=self._run, name="worker-client-deadlines", daemon=True
                )
                self._thread.start()
            elif earliest:
                self._wake.notify()

    def _run(self) -> None:
        while True:
            with self._wake:
                while True:
                    while self._due and self._due[0][2].stopped:
                        heapq.heappop(self._due)
                    if not self._due:
                        self._wake.wait()
                        continue
                    wait = self._due[0][0] - time.monotonic()
                    if wait <= 0:
                        due = heapq.heappop(self._due)[2]
                        break
                    self._wake.wait(wait)
            due.expire()


_WATCHDOG = _Watchdog()


def _shut(sock: socket.socket | None) -> None:
    if sock is not None:
        try:
            sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass  # already closed: nothing left to stop


def _attach_current(connection: HTTPConnection) -> None:
    deadline: Deadline | None = getattr(_attempt, "deadline", None)
    if deadline is not None:
        if connection.sock is None:
            connection.connect()
        deadline.attach(connection.sock)


class _Connection(HTTPConnection):
    def request(self, *args: Any, **kwargs: Any) -> None:
        _attach_current(self)
        super().request(*args, **kwargs)


class _SecureConnection(HTTPSConnection):
    def request(self, *args: Any, **kwargs: Any) -> None:
        _attach_current(self)
        super().request(*args, **kwargs)


# urllib3 declares ConnectionCls as its connection *protocols*, whose Final and ClassVar
# attributes a real subclass of its own connection classes cannot match for pyright.
class _Pool(HTTPConnectionPool):
    ConnectionCls = _Connection  # pyright: ignore[reportAssignmentType]


class _SecurePool(HTTPSConnectionPool):
    ConnectionCls = _SecureConnection  # pyright: ignore[reportAssignmentType]


class DeadlineAdapter(HTTPAdapter):
    """An HTTPAdapter whose connections register their socket with the current Deadline."""

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {"http": _Pool, "https": _SecurePool}
