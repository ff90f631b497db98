"""The retry policy: which outcomes are retried, and how long to wait before each retry."""

from __future__ import annotations

import email.utils
import random
import time

from ._constants import (
    INITIAL_RETRY_DELAY,
    JITTER,
    MAX_RETRY_AFTER,
    MAX_RETRY_DELAY,
    RETRY_AFTER_SECONDS,
    RETRY_SERVER_ERRORS_FROM,
    RETRY_STATUSES,
)
from ._transport import Outcome, RawResponse, TransportFailure


def retryable(outcome: Outcome) -> bool:
    if isinstance(outcome, TransportFailure):
        return True
    code = outcome.status_code
    return code in RETRY_STATUSES or code >= RETRY_SERVER_ERRORS_FROM


def retry_delay(retry: int, outcome: Outcome) -> float:
    """Seconds to wait before retry number `retry` (1 for the first retry)."""
    if isinstance(outcome, RawResponse):
        retry_after = parse_retry_after(outcome.headers.get("retry-after"))
        if retry_after is not None:
            return min(max(retry_after, 0.0), MAX_RETRY_AFTER)
    delay = min(INITIAL_RETRY_DELAY * 2.0 ** (retry - 1), MAX_RETRY_DELAY)
    return delay * (1 - JITTER * random.random())


def parse_retry_after(value: str | None) -> float | None:
    """Retry-After in seconds: a number of seconds or an HTTP date; None when absent or bad.

    A date in the past is 0; the caller caps what it gets at MAX_RETRY_AFTER.
    """
    text = (value or "").strip()
    if not text:
        return None
    if RETRY_AFTER_SECONDS.fullmatch(text):
        return float(text)
    parsed = email.utils.parsedate_tz(text)
    if parsed is None:
        return None
    return max(email.utils.mktime_tz(parsed) - time.time(), 0.0)
