"""The facts of this catalogue and of the wire contract (rendered by worker-client-gen).

Every other module of the runtime is the same for every catalogue and is copied as it is.
"""

from __future__ import annotations

import re
from typing import Literal

VERSION = "5.0.0"

# Payload fields whose values are never shown: the schemas' secret fields (x-secret or a
# credential-like name), and any key with a credential-like name inside free-form objects.
SECRET_FIELDS: frozenset[str] = frozenset(
    {
        "accessToken",
        "access_token",
        "apiKey",
        "api_key",
        "api_secret",
        "ciphertext",
        "costPerCompletionToken",
        "costPerPromptToken",
        "credentialUpdate",
        "credentials",
        "etsyCredentials",
        "marketplaceCredentials",
        "newAccessToken",
        "newRefreshToken",
        "passphrase",
        "password",
        "preserveOldToken",
        "privateKey",
        "refreshToken",
        "refresh_token",
        "revokeOldCredentials",
        "secretAccessKey",
        "testNewCredentials",
    }
)
SECRET_NAME = re.compile(
    "(?i)(credentials?|secret|password|passwd|passphrase|api_?key|private_?key|(access|refresh|auth|bearer|api|id|session)?_?token)$"
)
REDACTED = "[REDACTED]"
# Shorter secret values are not removed from text (a secret field is masked whatever its length).
MIN_SECRET_LENGTH = 4

JobState = Literal[
    "waiting",
    "active",
    "completed",
    "failed",
    "delayed",
    "prioritized",
    "waiting-children",
    "unknown",
]

DEFAULT_TIMEOUT = 30.0  # seconds for a whole attempt
DEFAULT_MAX_RETRIES = 2
# Retried besides connection errors and timeouts: these statuses, and every status from
# RETRY_SERVER_ERRORS_FROM up.
RETRY_STATUSES = frozenset({408, 429})
RETRY_SERVER_ERRORS_FROM = 500
INITIAL_RETRY_DELAY = 0.5  # seconds; doubles with every retry
MAX_RETRY_DELAY = 8.0
JITTER = 0.25  # a backoff delay is shortened by up to this fraction
MAX_RETRY_AFTER = 60.0
RETRY_AFTER_SECONDS = re.compile("^[0-9]+(\\.[0-9]+)?$")

# wait_for polls a job until it is in one of these states (completed returns, failed raises),
# waiting POLL_INITIAL_DELAY seconds after the first poll, then POLL_FACTOR times as long as
# the wait before each time, up to POLL_MAX_DELAY.
JOB_COMPLETED: JobState = "completed"
JOB_FAILED: JobState = "failed"
TERMINAL_STATES: frozenset[str] = frozenset({"completed", "failed"})
POLL_INITIAL_DELAY = 0.25
POLL_FACTOR = 1.5
POLL_MAX_DELAY = 5.0

REQUEST_ID_HEADER = "X-Request-Id"
ERROR_EXCERPT_CHARS = 500
MAX_ANSWER_BYTES = 1048576

# Formats jsonschema-rs knows that the schemas treat as annotations: only the others are
# checked (the same set as worker-client-gen's own validation and `serve`).
UNCHECKED_FORMATS: frozenset[str] = frozenset(
    {
        "date",
        "duration",
        "email",
        "hostname",
        "idn-email",
        "idn-hostname",
        "ipv4",
        "ipv6",
        "iri",
        "iri-reference",
        "json-pointer",
        "regex",
        "relative-json-pointer",
        "time",
        "uri-reference",
        "uri-template",
    }
)
