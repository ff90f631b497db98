"""Which message reports the outcome of which: the pairing the worker helpers and the AsyncAPI
document share, and which messages the READMEs' examples use.

A worker that consumes `<stem>-request` reports back by enqueueing `<stem>-completed` (or
`<stem>-result`), when the catalogue has such a message type. The pairing is by name only:
nothing in a schema says it, and a request without a matching message has no completion.
"""

from __future__ import annotations

from generator.ir import Catalogue

REQUEST_SUFFIX = "-request"
# Tried in this order; the first one the catalogue has wins.
COMPLETION_SUFFIXES = ("-completed", "-result")


def completions(catalogue: Catalogue) -> dict[str, str]:
    """message type -> the message type that reports its outcome, in catalogue order."""
    known = {m.type for m in catalogue.messages}
    pairs: dict[str, str] = {}
    for message in catalogue.messages:
        if not message.type.endswith(REQUEST_SUFFIX):
            continue
        stem = message.type[: -len(REQUEST_SUFFIX)]
        match = next((stem + s for s in COMPLETION_SUFFIXES if stem + s in known), None)
        if match is not None:
            pairs[message.type] = match
    return pairs


# The message the READMEs' usage examples enqueue, when the catalogue has it (else the first).
USAGE_MESSAGE = "file-download-request"


def usage_message(catalogue: Catalogue) -> str:
    """The message type the READMEs' usage examples enqueue."""
    known = [m.type for m in catalogue.messages]
    return USAGE_MESSAGE if USAGE_MESSAGE in known else known[0]


def worker_example(catalogue: Catalogue) -> tuple[str, str | None]:
    """(the message the READMEs' worker example handles, the one it reports back with): the
    usage message when it has a completion message, else the first message that has one."""
    pairs = completions(catalogue)
    usage = usage_message(catalogue)
    handled = usage if usage in pairs else next(iter(pairs), usage)
    return handled, pairs.get(handled)
