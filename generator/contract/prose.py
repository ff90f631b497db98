"""The contract in words: the paragraphs and tables both READMEs and docs/contract.md show.

Rendered from the data beside this module, so the prose cannot fall behind it; tests/contract
holds docs/contract.md to these same texts (`python -m generator.contract.prose` prints them).
"""

from __future__ import annotations

from generator.contract.answers import JOB_STATUS_FIELDS
from generator.contract.errors import ERROR_CLASSES, SERVER_ERRORS, ErrorClass
from generator.contract.http import ERROR_EXCERPT_CHARS, REQUEST_ID_HEADER
from generator.contract.jobs import (
    JOB_COMPLETED,
    JOB_FAILED,
    JOB_STATES,
    MAX_INTEGER,
    MAX_TIMESTAMP,
    QUEUE_COUNT_STATES,
    TERMINAL_JOB_STATES,
)
from generator.contract.redaction import MIN_SECRET_LENGTH, REDACTED
from generator.contract.retries import DEFAULT_TIMEOUT, POLL, RETRY

# language -> (max retries setting, the status error's attributes, the job lookup as shown)
_SPELLING = {
    "python": ("max_retries", "`status_code`, `body` and `request_id`", "`get_job_status`"),
    "typescript": ("maxRetries", "`status`, `body` and `requestId`", "`getJobStatus`"),
    "docs": ("max_retries` / `maxRetries", "the status, body and request id", "a status lookup"),
}


def _seconds(value: float) -> str:
    return f"{value:g} s"


def retry_statuses() -> str:
    """The retried statuses as Markdown code spans, the server errors as one `5xx`."""
    shown = [f"`{s}`" for s in RETRY.statuses] + [f"`{str(RETRY.server_errors_from)[0]}xx`"]
    return ", ".join(shown[:-1]) + " and " + shown[-1]


def retries(language: str) -> str:
    setting = _SPELLING[language][0]
    return (
        f"Connection errors, timeouts, {retry_statuses()} answers are retried up to `{setting}` "
        f"times (default {RETRY.max_retries}). The wait doubles from "
        f"{_seconds(RETRY.initial_delay)} up to {_seconds(RETRY.max_delay)}, shortened by up to "
        f"{RETRY.jitter * 100:g} % at random so that many clients do not retry in step, and a "
        f"`Retry-After` header (a number of seconds or an HTTP date, at most "
        f"{_seconds(RETRY.max_retry_after)}; a date in the past means now) is honoured instead. "
        "Other answers are raised at once. Redirects are never followed: a `3xx` is an "
        "`APIStatusError`, and the request (and its secrets) never goes to another origin. The "
        f"timeout (default {_seconds(DEFAULT_TIMEOUT)}) is a deadline for a whole attempt, from "
        "connecting to the last byte of the answer."
    )


# language -> (the call, the unit of its timeout)
_WAIT_SPELLING = {
    "python": ("`wait_for(job_id, timeout)`", "seconds"),
    "typescript": ("`waitFor(jobId, timeout)`", "milliseconds"),
    "docs": (
        "`wait_for(job_id, timeout)` / `waitFor(jobId, timeout)`",
        "seconds in Python, milliseconds in TypeScript",
    ),
}


def _either(names: tuple[str, ...]) -> str:
    shown = [f"`{n}`" for n in names]
    return ", ".join(shown[:-1]) + " or " + shown[-1]


def _all(names: tuple[str, ...]) -> str:
    shown = [f"`{n}`" for n in names]
    return ", ".join(shown[:-1]) + " and " + shown[-1]


def waiting(language: str) -> str:
    call, unit = _WAIT_SPELLING[language]
    return (
        f"{call} polls the job's status until it is {_either(TERMINAL_JOB_STATES)}. It returns "
        f"the status of a `{JOB_COMPLETED}` job (its `returnvalue` is the result) and raises "
        f"`JobFailedError` for a `{JOB_FAILED}` one, with the job id and the failure reason "
        f"(secrets redacted, at most {ERROR_EXCERPT_CHARS} characters), or `WaitTimeoutError`, "
        f"with the last state, once `timeout` ({unit}) has passed. The first poll goes out at "
        f"once; the waits between polls start at {_seconds(POLL.initial_delay)} and grow "
        f"{POLL.factor:g} times per poll up to {_seconds(POLL.max_delay)}, the last one ending "
        "at the timeout, which bounds the waiting, not a status request under way. Each poll is "
        "a status request with the usual retries; an unknown job (`404`) raises "
        "`JobNotFoundError`, so a job removed as it finishes (`removeOnComplete: true`, "
        "`removeOnFail: true`) cannot be waited for."
    )


def queue_counts() -> str:
    return (
        '`GET {base_url}/queues` answers `{"queues": [...]}`: for every queue (one per message '
        f"type, ordered by name) its name as `queue` and how many of its jobs are "
        f"{_all(QUEUE_COUNT_STATES)}."
    )


def _when(cls: ErrorClass, language: str) -> str:
    statuses = ", ".join("500 and above" if s == SERVER_ERRORS else str(s) for s in cls.statuses)
    if cls.job_lookup:
        return f"{statuses} from {_SPELLING[language][2]}"
    if cls.kind == "status":
        return f"any other answer that is not 2xx; has {_SPELLING[language][1]}"
    return statuses or cls.doc[0].lower() + cls.doc[1:].rstrip(".")


def error_table(language: str) -> str:
    """The exception classes (the same in both clients) as a Markdown table."""
    rows = ["| Exception | Parent | When |", "| --- | --- | --- |"]
    for cls in ERROR_CLASSES:
        parent = f"`{cls.parent}`" if cls.parent else ""
        rows.append(f"| `{cls.name}` | {parent} | {_when(cls, language)} |")
    return "\n".join(rows)


def redaction() -> str:
    return (
        f"Secrets are replaced by `{REDACTED}` in every message, log line and error body: the "
        "api key, and every value found under a field the schemas mark secret (`x-secret`) or "
        f"whose name looks like a credential; values shorter than {MIN_SECRET_LENGTH} characters "
        "are masked as fields but not searched for in text. An error message quotes at most "
        f"{ERROR_EXCERPT_CHARS} characters of what the server said, and the server's "
        f"`{REQUEST_ID_HEADER}`."
    )


def job_status_fields() -> str:
    return ", ".join(f"`{f.name}`" for f in JOB_STATUS_FIELDS)


def job_states() -> str:
    return ", ".join(f"`{s}`" for s in JOB_STATES)


def option_bounds() -> str:
    return (
        f"Integers in `opts` are at most {MAX_INTEGER} (2^53 - 1, the largest every client holds "
        f"exactly); `timestamp`, `delay`, `backoff.delay` and `deduplication.ttl` at most "
        f"{MAX_TIMESTAMP} (the latest JavaScript date). BullMQ 6 took `repeat` and `debounce` "
        "out of `add` (job schedulers and `deduplication` replace them): they, and any option "
        "not listed, are refused with `400`."
    )


def sections() -> dict[str, str]:
    """Every text docs/contract.md must contain, by name."""
    return {
        "retries": retries("docs"),
        "errors": error_table("docs"),
        "redaction": redaction(),
        "job status fields": job_status_fields(),
        "job states": job_states(),
        "option bounds": option_bounds(),
        "waiting": waiting("docs"),
        "queue counts": queue_counts(),
    }


if __name__ == "__main__":
    for name, text in sections().items():
        print(f"--- {name}\n{text}\n")
