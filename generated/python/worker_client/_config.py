"""A client's settings: arguments first, then the environment, then the defaults."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field

from ._constants import DEFAULT_TIMEOUT, REDACTED
from ._exceptions import WorkerClientError


@dataclass(frozen=True)
class Config:
    base_url: str
    api_key: str | None = field(repr=False)
    timeout: float
    max_retries: int
    validate: bool

    @classmethod
    def resolve(
        cls,
        base_url: str | None,
        api_key: str | None,
        timeout: float | None,
        max_retries: int,
        validate: bool,
    ) -> Config:
        """Arguments first, then WORKER_BACKEND_URL / _API_KEY / _TIMEOUT, then defaults."""
        url = base_url or os.environ.get("WORKER_BACKEND_URL") or ""
        if not url:
            raise WorkerClientError(
                "no worker-backend URL: pass base_url=... or set WORKER_BACKEND_URL"
            )
        url = normalize_base_url(url)
        key = api_key if api_key is not None else os.environ.get("WORKER_BACKEND_API_KEY")
        if timeout is None:
            raw = os.environ.get("WORKER_BACKEND_TIMEOUT", "").strip()
            try:
                timeout = float(raw) if raw else DEFAULT_TIMEOUT
            except ValueError:
                raise WorkerClientError(
                    f"WORKER_BACKEND_TIMEOUT must be a number of seconds, got {raw!r}"
                ) from None
        check_limits(timeout, max_retries)
        return cls(url, key or None, float(timeout), max_retries, validate)

    def describe(self) -> str:
        key = "None" if self.api_key is None else REDACTED
        return (
            f"base_url={self.base_url!r}, api_key={key}, timeout={self.timeout!r}, "
            f"max_retries={self.max_retries!r}, validate={self.validate!r}"
        )


_BASE_URL = re.compile(r"(https?)://([^/?#\s]+)([^?#\s]*)", re.IGNORECASE)


def normalize_base_url(raw: str) -> str:
    """scheme://host[:port][/path] without query, fragment, credentials or trailing slash."""
    match = _BASE_URL.fullmatch(raw.strip())
    if match is None:
        # The value itself stays out of the message: it may hold credentials.
        raise WorkerClientError("base_url must be an absolute http(s) URL without query")
    scheme, authority, path = match.groups()
    if "@" in authority:
        raise WorkerClientError("base_url must not contain credentials; use api_key")
    return f"{scheme.lower()}://{authority}{path}".rstrip("/")


def check_limits(timeout: float, max_retries: int) -> None:
    if not timeout > 0:
        raise WorkerClientError(f"timeout must be a positive number of seconds, got {timeout!r}")
    if max_retries < 0:
        raise WorkerClientError(f"max_retries must be 0 or more, got {max_retries!r}")


def check_wait_timeout(timeout: object) -> None:
    """wait_for's timeout: a positive number of seconds (checked as it arrives, since not
    every caller runs a type checker)."""
    if isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or not timeout > 0:
        raise WorkerClientError(f"timeout must be a positive number of seconds, got {timeout!r}")
