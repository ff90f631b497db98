"""What an enqueue's body holds: the envelope `{payload, opts?}` of the contract, or, where
`serve --accept-bare-payload` allows it, the bare payload the 4.0.x TypeScript client sends.

How a body is told apart (README, "serve"), for a body that is a JSON object:

1. It is read as an envelope when it has a `payload` key, no key but `payload` and `opts`,
   and valid `opts` (what the contract's envelope schema accepts).
2. Anything else is a bare payload: the whole body is the payload, with no options.
3. A message type whose payload itself declares a top-level `payload` or `opts` field can
   be sent either way with the same body. For those, an envelope-shaped body is read as an
   envelope when its `payload` is a valid payload of the type, else as a bare payload when
   the whole body is one, else as an envelope (whose errors are reported).

Without the flag, every body must be an envelope (400 otherwise), as the contract says.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from generator.server.validation import Detail, Validators

ENVELOPE_KEYS = frozenset({"payload", "opts"})


@dataclass(frozen=True)
class Enqueue:
    payload: Any
    opts: dict[str, Any]
    envelope_problems: list[Detail]  # non-empty: a 400 (the body is no envelope)
    payload_problems: list[Detail]  # non-empty: a 422 (the payload does not match)


def read_enqueue(
    body: Any, message_type: str, validators: Validators, accept_bare: bool, ambiguous: bool
) -> Enqueue:
    """The payload and options of an enqueue's body. `ambiguous`: the message type's payload
    declares a top-level `payload` or `opts` field (rule 3)."""
    problems = validators.envelope_errors(body)
    envelope = not problems
    if not accept_bare:
        if not envelope:
            return Enqueue(None, {}, problems, [])
        return _reading(body["payload"], body.get("opts"), message_type, validators)
    if not isinstance(body, dict) or not (envelope and set(body) <= ENVELOPE_KEYS):
        return _reading(body, None, message_type, validators)
    wrapped = _reading(body["payload"], body.get("opts"), message_type, validators)
    if not ambiguous or not wrapped.payload_problems:
        return wrapped
    bare = _reading(body, None, message_type, validators)
    return bare if not bare.payload_problems else wrapped


def _reading(payload: Any, opts: Any, message_type: str, validators: Validators) -> Enqueue:
    return Enqueue(payload, dict(opts or {}), [], validators.payload_errors(message_type, payload))
