"""The clients' retry policy and timeouts, the same in every client."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RetryPolicy:
    # Retried besides connection errors and timeouts: these statuses and every 5xx.
    statuses: tuple[int, ...]
    server_errors_from: int
    max_retries: int  # retries after the first attempt, by default
    initial_delay: float  # seconds before the first retry; doubles with every retry
    max_delay: float  # the doubling stops here
    jitter: float  # a backoff delay is shortened by up to this fraction, at random
    # Retry-After is a number of seconds (this pattern, after trimming) or an HTTP date; what
    # it asks for is honoured up to this many seconds, and a past date means now.
    retry_after_seconds_pattern: str
    max_retry_after: float


RETRY = RetryPolicy(
    statuses=(408, 429),
    server_errors_from=500,
    max_retries=2,
    initial_delay=0.5,
    max_delay=8.0,
    jitter=0.25,
    retry_after_seconds_pattern=r"^[0-9]+(\.[0-9]+)?$",
    max_retry_after=60.0,
)

# Seconds an attempt may take in all, from connecting to the last byte of the answer.
DEFAULT_TIMEOUT = 30.0


@dataclass(frozen=True)
class PollPolicy:
    """How `wait_for` / `waitFor` poll a job's status until it finishes."""

    initial_delay: float  # seconds between the first and the second status request
    factor: float  # every further wait is this many times the one before
    max_delay: float  # the growth stops here; the last wait ends at the caller's timeout


POLL = PollPolicy(initial_delay=0.25, factor=1.5, max_delay=5.0)
