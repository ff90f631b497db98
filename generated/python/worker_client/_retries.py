"""The retry policy: which outcomes are retried, and how long to wait before each retry."""

from __future__ import annotations

import email.utils
import math
import random
import time

from ._transport import Outcome, RawResponse, TransportFailure

INITIAL_RETRY_DELAY = 0.5  # seconds; doubles with every retry
MAX_RETRY_DELAY = 8.0
MAX_RETRY_AFTER = 60.0
JITTER = 0.25  # a backoff delay is shortened by up to this fraction, at random


def retryable(outcome: Outcome) -> bool:
    if isinstance(outcome, TransportFailure):
        return True
    return outcome.status_code in (408, 429) or outcome.status_code >= 500


def retry_delay(retry: int, outcome: Outcome) -> float:
    """Seconds to wait before retry number `retry` (1 for the first retry)."""
    if isinstance(outcome, RawResponse):
        retry_after = parse_retry_after(outcome.headers.get("retry-after"))
        if retry_after is not None:
            return min(max(retry_after, 0.0), MAX_RETRY_AFTER)
    delay = min(INITIAL_RETRY_DELAY * 2.0 ** (retry - 1), MAX_RETRY_DELAY)
    return delay * (1 - JITTER * random.random())


def parse_retry_after(value: str | None) -> float | None:
    """Retry-After in seconds: a number of seconds or an HTTP date; None when absent or bad."""
    if not value:
        return None
    try:
        seconds = float(value)
    except ValueError:
        parsed = email.utils.parsedate_tz(value)
        if parsed is None:
            return None
        seconds = email.utils.mktime_tz(parsed) - time.time()
    return seconds if math.isfinite(seconds) else None
