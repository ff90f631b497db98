"""Identifier forms of a message type and the names the generated code reserves."""

from __future__ import annotations

import keyword
import re

from generator.contract import ERROR_CLASSES, protocol_schemas
from generator.contract.jobs import option_types

KEBAB_RE = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
PASCAL_RE = re.compile(r"^[A-Z][A-Za-z0-9]*$")
IDENT_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")

# Names the generated packages define themselves; a schema type may not take them.
RESERVED_TYPE_NAMES = frozenset(
    {
        "WorkerClient",
        "AsyncWorkerClient",
        "WorkerClientConfig",
        "WorkerClientError",
        "MessageTypes",
        "MessageType",
        "MessagePayloads",
        "Logger",
        "ValidationIssue",
        "RequestOptions",
        "BaseWorkerClient",
        "Shape",
        # The contract's own types and error classes, exported by both packages.
        *protocol_schemas(),
        *option_types(),
        *(error.name for error in ERROR_CLASSES),
        "VERSION",  # the TypeScript package's version constant, exported beside the types
        "Any",
        "Dict",
        "List",
        "Literal",
        "Optional",
        "TypedDict",
        "NotRequired",
        "Required",
        "Record",
        "Promise",
        "Array",
        "Object",
        "String",
        "Number",
        "Boolean",
        "Error",
    }
)

# Method names the clients define besides the per-message ones.
RESERVED_PY_METHODS = frozenset({"send_to_queue", "get_job_status", "close", "aclose"})
RESERVED_TS_METHODS = frozenset(
    {"sendToQueue", "getJobStatus", "constructor", "close"}
    # Object.prototype members and `then` (a client with a `then` method is awaitable).
    | {"then", "toJSON", "toString", "toLocaleString", "valueOf", "hasOwnProperty"}
    | {"isPrototypeOf", "propertyIsEnumerable"}
)


def snake(kebab: str) -> str:
    return kebab.replace("-", "_")


def camel(kebab: str) -> str:
    head, *rest = kebab.split("-")
    return head + "".join(p[:1].upper() + p[1:] for p in rest)


def constant(kebab: str) -> str:
    return kebab.replace("-", "_").upper()


def pascal(text: str) -> str:
    """PascalCase of a kebab, snake, camel or spaced name: storage-location -> StorageLocation."""
    parts = re.split(r"[^A-Za-z0-9]+", text)
    return "".join(p[:1].upper() + p[1:] for p in parts if p)


def py_identifier(name: str) -> str:
    """A usable Python identifier: keywords and soft keywords get a trailing underscore."""
    if keyword.iskeyword(name) or keyword.issoftkeyword(name) or name in {"self", "cls"}:
        return name + "_"
    return name
