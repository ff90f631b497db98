"""HTTP facts of the contract besides the bodies."""

from __future__ import annotations

REQUEST_ID_HEADER = "X-Request-Id"
# How much of an error body an exception message quotes, in characters.
ERROR_EXCERPT_CHARS = 500
# How much of an answer a client reads at most; a longer one is cut off there (an error body)
# or refused (a 2xx, which the contract keeps small).
MAX_ANSWER_BYTES = 1024 * 1024
