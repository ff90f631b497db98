"""Jobs on the wire: BullMQ's states, job ids, and the options an enqueue may carry.

The schemas here are JSON Schema 2020-12 with references as `#/$defs/<Name>`; OpenAPI moves
them under components, `serve` validates with them as they are, and both clients' option
types are rendered from the same table (the answers are in answers.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

DEFS_REF = "#/$defs/"

# BullMQ's job lifecycle states, as GET /api/jobs/{jobId} reports them.
JOB_STATES = (
    "waiting",
    "active",
    "completed",
    "failed",
    "delayed",
    "prioritized",
    "waiting-children",
    "unknown",
)
# The states a job ends in: `wait_for` / `waitFor` poll until the job is in one of them, and
# return it (completed) or raise JobFailedError (failed). Every other state may still change.
JOB_COMPLETED = "completed"
JOB_FAILED = "failed"
TERMINAL_JOB_STATES = (JOB_COMPLETED, JOB_FAILED)
# What GET /queues counts of every queue, in this order (BullMQ's getJobCounts names).
QUEUE_COUNT_STATES = ("waiting", "active", "completed", "failed")
assert set(TERMINAL_JOB_STATES) | set(QUEUE_COUNT_STATES) <= set(JOB_STATES)

# BullMQ stores every queue's bookkeeping under `<prefix>:<queue>:<name>`, the same key space as
# its jobs (`<prefix>:<queue>:<jobId>`): a job may not take one of these names.
BULLMQ_KEY_NAMES = (
    "active",
    "completed",
    "de",
    "delayed",
    "events",
    "failed",
    "id",
    "limiter",
    "marker",
    "meta",
    "paused",
    "pc",
    "prioritized",
    "repeat",
    "stalled",
    "stalled-check",
    "wait",
    "waiting-children",
)

# Characters that change how a job id reads in a log, a terminal or a dashboard without being
# seen: C0 and C1 controls, DEL, and the invisible format characters, which include every
# bidirectional mark, embedding, override and isolate (U+200E/F, U+202A-E, U+2066-9) and the
# line and paragraph separators. Written as \u escapes, which ECMA-262 and Python read alike.
JOB_ID_INVISIBLE = (
    r"\u0000-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e"
    r"\u2060-\u206f\ufeff\ufff9-\ufffb"
)
# No ':' (BullMQ's key separator; BullMQ refuses it), no '/' and not '.' or '..' (the id is a
# URL path segment), not all digits (BullMQ refuses integer custom ids), no BullMQ key name
# and nothing invisible. `(?![\s\S])` is the true end: Python's `$` also matches before a
# final newline, which would let "job\n" through.
JOB_ID_PATTERN = (
    r"^(?!(?:[0-9]+|\.|\.\.|"
    + "|".join(BULLMQ_KEY_NAMES)
    + r")$)"
    + f"[^:/{JOB_ID_INVISIBLE}]+"
    + r"$(?![\s\S])"
)

JOB_ID_DESCRIPTION = (
    "Job id, unique across all queues. BullMQ ignores an add whose jobId already exists, so "
    "reusing one makes an enqueue idempotent. Not all digits, no ':' or '/', not '.' or '..', "
    "no control or bidirectional characters (C0/C1 controls, invisible format characters such "
    "as U+202E), and not one of BullMQ's per-queue key names (" + ", ".join(BULLMQ_KEY_NAMES) + ")."
)

# The largest integer every client can hold exactly (JavaScript's Number.MAX_SAFE_INTEGER),
# far below what Redis and msgpack refuse (2^63 - 1 and 2^64).
MAX_INTEGER = 2**53 - 1
# The latest instant a JavaScript Date can hold, in milliseconds since the epoch: BullMQ turns
# timestamp + delay into one.
MAX_TIMESTAMP = 8_640_000_000_000_000
# BullMQ's priority range (0 is none, 1 the highest); it refuses anything above.
MAX_PRIORITY = 2_097_152

# The integer kinds of the wire: a count, and milliseconds (a delay, a timestamp).
COUNT: dict[str, Any] = {"type": "integer", "minimum": 0, "maximum": MAX_INTEGER}
MILLISECONDS: dict[str, Any] = {"type": "integer", "minimum": 0, "maximum": MAX_TIMESTAMP}


@dataclass(frozen=True)
class Option:
    """One BullMQ producer option: its schema and its type in each client."""

    name: str
    schema: dict[str, Any]
    py_type: str
    ts_type: str
    doc: str


def _keep_jobs(doc: str) -> dict[str, Any]:
    return {
        "description": doc,
        "anyOf": [
            {"type": "boolean"},
            COUNT,
            {
                "type": "object",
                "properties": {"age": COUNT, "count": COUNT, "limit": COUNT},
                "additionalProperties": False,
            },
        ],
    }


_KEEP_DOC = (
    "true removes the job when it finishes, a number keeps that many finished jobs, an object "
    "keeps jobs by age (seconds) and/or count."
)

# BullMQ 6's options of Queue.add, in its order. BullMQ 6 dropped `repeat` and `debounce` from
# add (job schedulers and `deduplication` replace them): they are not options here.
JOB_OPTIONS = (
    Option(
        "jobId",
        {"type": "string", "minLength": 1, "pattern": JOB_ID_PATTERN},
        "str",
        "string",
        JOB_ID_DESCRIPTION,
    ),
    Option(
        "timestamp",
        MILLISECONDS,
        "int",
        "number",
        "Creation time, milliseconds since the epoch (default: now).",
    ),
    Option(
        "priority",
        {"type": "integer", "minimum": 0, "maximum": MAX_PRIORITY},
        "int",
        "number",
        f"1 is the highest priority, {MAX_PRIORITY} the lowest; 0 means none.",
    ),
    Option("delay", MILLISECONDS, "int", "number", "Milliseconds to wait before the job may run."),
    Option("attempts", COUNT, "int", "number", "Total number of attempts before it fails."),
    Option(
        "backoff",
        {
            "anyOf": [
                COUNT,
                {
                    "type": "object",
                    "required": ["type"],
                    "properties": {
                        "type": {"type": "string", "minLength": 1},
                        "delay": MILLISECONDS,
                        "jitter": {"type": "number", "minimum": 0, "maximum": 1},
                    },
                    "additionalProperties": False,
                },
            ]
        },
        "int | BackoffOptions",
        "number | BackoffOptions",
        "Delay between attempts: milliseconds (fixed), or a strategy (`fixed`, `exponential` "
        "or a custom one) with its delay and jitter (0 to 1).",
    ),
    Option("lifo", {"type": "boolean"}, "bool", "boolean", "Add to the front of the queue."),
    Option(
        "removeOnComplete",
        _keep_jobs(_KEEP_DOC),
        "bool | int | KeepJobs",
        "boolean | number | KeepJobs",
        "What to keep of completed jobs: " + _KEEP_DOC,
    ),
    Option(
        "removeOnFail",
        _keep_jobs(_KEEP_DOC),
        "bool | int | KeepJobs",
        "boolean | number | KeepJobs",
        "What to keep of failed jobs: " + _KEEP_DOC,
    ),
    Option("keepLogs", COUNT, "int", "number", "How many log lines of the job to keep."),
    Option("stackTraceLimit", COUNT, "int", "number", "Stack trace lines kept per failure."),
    Option("sizeLimit", COUNT, "int", "number", "Largest payload BullMQ accepts, in bytes."),
    Option(
        "parent",
        {
            "type": "object",
            "required": ["id", "queue"],
            "properties": {
                "id": {"type": "string", "minLength": 1},
                "queue": {"type": "string", "minLength": 1},
            },
            "additionalProperties": False,
        },
        "ParentOptions",
        "ParentOptions",
        "The parent job of a flow: its id and its queue's qualified name (`<prefix>:<queue>`).",
    ),
    Option(
        "failParentOnFailure",
        {"type": "boolean"},
        "bool",
        "boolean",
        "Fail the parent job when this one fails.",
    ),
    Option(
        "continueParentOnFailure",
        {"type": "boolean"},
        "bool",
        "boolean",
        "Let the parent job start when this one fails.",
    ),
    Option(
        "ignoreDependencyOnFailure",
        {"type": "boolean"},
        "bool",
        "boolean",
        "Move the parent on when this one fails, keeping the failure.",
    ),
    Option(
        "removeDependencyOnFailure",
        {"type": "boolean"},
        "bool",
        "boolean",
        "Move the parent on when this one fails, forgetting it.",
    ),
    Option(
        "deduplication",
        {
            "type": "object",
            "required": ["id"],
            "properties": {
                "id": {"type": "string", "minLength": 1, "pattern": "^[^:]+$"},
                "ttl": MILLISECONDS,
                "extend": {"type": "boolean"},
                "replace": {"type": "boolean"},
            },
            "additionalProperties": False,
        },
        "DeduplicationOptions",
        "DeduplicationOptions",
        "Ignore (or, with replace, supersede) further adds with this id while a job carrying it "
        "is in force, for ttl milliseconds (default: until it finishes); extend restarts the ttl.",
    ),
)

# Options of a flow's child job of which BullMQ allows at most one on add.
EXCLUSIVE_PARENT_OPTIONS = (
    "failParentOnFailure",
    "continueParentOnFailure",
    "ignoreDependencyOnFailure",
    "removeDependencyOnFailure",
)


def _at_most_one_true(names: tuple[str, ...]) -> dict[str, Any]:
    pairs = [(a, b) for i, a in enumerate(names) for b in names[i + 1 :]]
    return {
        "description": f"at most one of {', '.join(names)} may be true",
        "anyOf": [
            {"required": [a, b], "properties": {a: {"const": True}, b: {"const": True}}}
            for a, b in pairs
        ],
    }


def job_options_schema() -> dict[str, Any]:
    """BullMQ 6's producer options with the bounds BullMQ (and Redis) enforce; nothing else."""
    properties: dict[str, Any] = {}
    for option in JOB_OPTIONS:
        properties[option.name] = dict(option.schema, description=option.doc)
    return {
        "title": "JobOptions",
        "description": "BullMQ job options, handed to Queue.add as they are. Integers are at "
        f"most {MAX_INTEGER} (timestamps and delays at most {MAX_TIMESTAMP}, the latest "
        "JavaScript date); options BullMQ 6 does not take on add (`repeat`, `debounce`) and "
        "unknown ones are refused.",
        "type": "object",
        "not": _at_most_one_true(EXCLUSIVE_PARENT_OPTIONS),
        "properties": properties,
        "additionalProperties": False,
    }


def request_body_schema(payload: dict[str, Any]) -> dict[str, Any]:
    """`{payload, opts}` with the given payload schema; opts may be omitted or null."""
    return {
        "type": "object",
        "required": ["payload"],
        "properties": {
            "payload": payload,
            "opts": {"anyOf": [{"$ref": DEFS_REF + "JobOptions"}, {"type": "null"}]},
        },
        "additionalProperties": False,
    }


def json_kinds(schema: dict[str, Any]) -> tuple[str, ...]:
    """The JSON types a schema of this module allows at its top ("" for any)."""
    if "$ref" in schema:
        return ("string",)  # JobState, the one referenced scalar
    if "anyOf" in schema:
        return tuple(k for branch in schema["anyOf"] for k in json_kinds(branch))
    kind = schema.get("type")
    if kind is None:
        return ()
    return tuple(kind) if isinstance(kind, list) else (kind,)


def option_types() -> dict[str, dict[str, Any]]:
    """The object types JobOptions refers to (BackoffOptions, KeepJobs, ...), by name, as
    their object schemas: each client spells them from these."""
    by_option = {o.name: o.schema for o in JOB_OPTIONS}

    def object_branch(schema: dict[str, Any]) -> dict[str, Any]:
        if schema.get("type") == "object":
            return schema
        return next(b for b in schema["anyOf"] if b.get("type") == "object")

    return {
        "BackoffOptions": object_branch(by_option["backoff"]),
        "KeepJobs": object_branch(by_option["removeOnComplete"]),
        "ParentOptions": by_option["parent"],
        "DeduplicationOptions": by_option["deduplication"],
    }
