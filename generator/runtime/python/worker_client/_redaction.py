"""Secrets never shown: which payload fields are secret, and removing known secret values.

A field is secret when the schemas mark it (x-secret, or a credential-like name) or when its
name looks like a credential inside a free-form object. Every error message, log line and
repr goes through a `Redactor` before it leaves the client.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ._constants import MIN_SECRET_LENGTH, REDACTED, SECRET_FIELDS, SECRET_NAME
from ._json import as_array, as_object


def is_secret_field(name: str) -> bool:
    return name in SECRET_FIELDS or bool(SECRET_NAME.search(name))


def redact_fields(value: Any) -> Any:
    """A copy of a JSON value with the value of every secret field replaced by REDACTED."""
    if (entries := as_object(value)) is not None:
        return {
            key: REDACTED if is_secret_field(str(key)) else redact_fields(item)
            for key, item in entries.items()
        }
    if (items := as_array(value)) is not None:
        return [redact_fields(item) for item in items]
    return value


def _secret_values(value: Any, inside_secret: bool = False) -> Iterable[str]:
    if (entries := as_object(value)) is not None:
        for key, item in entries.items():
            yield from _secret_values(item, inside_secret or is_secret_field(str(key)))
    elif (items := as_array(value)) is not None:
        for item in items:
            yield from _secret_values(item, inside_secret)
    elif inside_secret and isinstance(value, str) and value:
        yield value
    elif inside_secret and isinstance(value, (int, float)) and not isinstance(value, bool):
        yield str(value)  # as the TypeScript runtime does: a numeric secret (a PIN) too


class Redactor:
    """Removes known secret values (the api key, secret payload fields) from text.

    The payload's secret values are collected only when text is first redacted: a call that
    succeeds never redacts anything, so it never walks the payload for them.
    """

    def __init__(self, secrets: Iterable[str], payload: Any = None) -> None:
        self._given = tuple(secrets)
        self._payload = payload
        self._sorted: list[str] | None = None

    @property
    def _secrets(self) -> list[str]:
        if self._sorted is None:
            values = (*self._given, *_secret_values(self._payload))
            found = {s for s in values if len(s) >= MIN_SECRET_LENGTH}
            self._sorted = sorted(found, key=lambda s: (-len(s), s))
            self._payload = None
        return self._sorted

    def text(self, text: str) -> str:
        for secret in self._secrets:
            text = text.replace(secret, REDACTED)
        return text

    def value(self, value: Any) -> Any:
        """A JSON value with secret fields masked and known secret strings removed."""
        return self._scrub(redact_fields(value))

    def _scrub(self, value: Any) -> Any:
        if isinstance(value, str):
            return self.text(value)
        if (entries := as_object(value)) is not None:
            return {self.text(str(k)): self._scrub(v) for k, v in entries.items()}
        if (items := as_array(value)) is not None:
            return [self._scrub(item) for item in items]
        return value

    def with_payload(self, payload: Any) -> Redactor:
        return Redactor(self._secrets, payload)
