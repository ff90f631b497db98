"""The sans-I/O exchange: what the retry loop asks a client to send, and what it gets back.

Each client turns a `Request` into an `Outcome` with its own HTTP library (requests, httpx);
nothing in here does I/O.
"""

from __future__ import annotations

from collections.abc import Generator, Mapping
from dataclasses import dataclass, field
from typing import TypeAlias, TypeVar

from ._constants import MAX_ANSWER_BYTES
from ._redaction import Redactor


@dataclass(frozen=True)
class Request:
    """One HTTP exchange as the retry loop sees it."""

    method: str
    url: str
    headers: dict[str, str] = field(repr=False)  # holds the Authorization header
    body: bytes | None
    timeout: float
    max_retries: int
    label: str  # "POST /api/jobs/file-download-request": what logs and errors show
    redactor: Redactor = field(repr=False)
    job_lookup: bool = False


@dataclass(frozen=True)
class RawResponse:
    status_code: int
    headers: Mapping[str, str]  # case-insensitive, as both HTTP libraries provide
    text: str  # at most MAX_ANSWER_BYTES of the body
    truncated: bool = False  # the body went on beyond that

    @classmethod
    def capped(
        cls,
        status_code: int,
        headers: Mapping[str, str],
        body: bytes | bytearray,
        encoding: str | None,
    ) -> RawResponse:
        """The answer from the body bytes a client read (it stops once it has more than
        MAX_ANSWER_BYTES): at most that many of them, decoded, and whether there were more."""
        text = body[:MAX_ANSWER_BYTES].decode(encoding or "utf-8", "replace")
        return cls(status_code, headers, text, truncated=len(body) > MAX_ANSWER_BYTES)


@dataclass(frozen=True)
class TransportFailure:
    timed_out: bool
    detail: str


Outcome: TypeAlias = RawResponse | TransportFailure
T = TypeVar("T")
# What a client drives: yields a Request (send it) or a float (sleep that long), and is sent
# back what the transport got (None after a sleep).
Flow: TypeAlias = Generator[Request | float, Outcome | None, T]
