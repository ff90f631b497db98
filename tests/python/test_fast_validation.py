"""The generated client's yes/no check (jsonschema-rs `is_valid`) agrees with its error list.

validate_payload trusts `is_valid` when it accepts a payload, so it must never accept one the
error list (`iter_errors`) rejects, and a rejected payload must get at least one error. These
tests check full agreement
(valid and invalid) on every schema example and on many mutations of them: every field
replaced by values of every JSON type and by near-miss formats, required fields dropped,
unknown fields added, at every depth; and on random JSON values at random places (hypothesis).
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.ir import Catalogue

REPLACEMENTS: list[Any] = [
    None,
    True,
    0,
    -1,
    1.5,
    10**12,
    "",
    "x",
    "not-a-uuid",
    "2024-02-30T25:61:00Z",
    "2024-05-01T12:00:00Z",
    "3fa85f64-5717-4562-b3fc-2c963f66afa6",
    "https://example.com/a?b=c",
    "not a uri",
    [],
    [1, "a"],
    {},
    {"unexpected": 1},
]


def _agree(message_type: str, payload: Any) -> tuple[bool, bool]:
    from worker_client import _validation

    fast = _validation.payload_is_valid(message_type, payload)
    validator = _validation._validator(message_type)
    assert validator is not None
    slow = not any(True for _ in validator.iter_errors(payload))
    return fast, slow


def _mutations(value: Any) -> Iterator[Any]:
    """Copies of value with one change each, at every depth."""
    if isinstance(value, dict):
        for key in value:
            dropped = {k: v for k, v in value.items() if k != key}
            yield dropped
            for replacement in REPLACEMENTS:
                yield {**value, key: replacement}
            for inner in _mutations(value[key]):
                yield {**value, key: inner}
        yield {**value, "zzUnknownField": "x"}
    elif isinstance(value, list):
        yield []
        yield [*value, *value]
        for index, item in enumerate(value[:2]):
            for inner in _mutations(item):
                changed = list(value)
                changed[index] = inner
                yield changed
            for replacement in REPLACEMENTS[:8]:
                changed = list(value)
                changed[index] = replacement
                yield changed


def _examples(catalogue: Catalogue) -> list[tuple[str, Any]]:
    return [(m.type, example) for m in catalogue.messages for example in m.examples]


def test_every_example_passes_both(catalogue: Catalogue) -> None:
    examples = _examples(catalogue)
    assert len({t for t, _ in examples}) == len(catalogue.messages)
    for message_type, example in examples:
        assert _agree(message_type, example) == (True, True), message_type


def test_mutated_examples_get_the_same_verdict(catalogue: Catalogue) -> None:
    seen = {True: 0, False: 0}
    for message_type, example in _examples(catalogue):
        for mutated in _mutations(example):
            fast, slow = _agree(message_type, mutated)
            assert fast == slow, (message_type, json.dumps(mutated)[:500], fast, slow)
            seen[slow] += 1
    # Both verdicts were exercised, many times.
    assert seen[True] > 500 and seen[False] > 5000, seen


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20),
    lambda children: st.lists(children, max_size=3)
    | st.dictionaries(st.text(max_size=8), children, max_size=3),
    max_leaves=8,
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_random_values_anywhere_get_the_same_verdict(catalogue: Catalogue, data: Any) -> None:
    message = data.draw(st.sampled_from(catalogue.messages))
    payload = copy.deepcopy(data.draw(st.sampled_from(list(message.examples))))
    # Walk down a random path of the example, then put a random value there.
    node = payload
    while isinstance(node, dict) and node:
        key = data.draw(st.sampled_from(sorted(node)))
        if not isinstance(node[key], dict) or data.draw(st.booleans()):
            node[key] = data.draw(json_values)
            break
        node = node[key]
    fast, slow = _agree(message.type, payload)
    assert fast == slow, (message.type, payload)


def test_the_fast_path_never_changes_the_payload(catalogue: Catalogue) -> None:
    from worker_client import _validation

    for message_type, example in _examples(catalogue):
        before = json.dumps(example, sort_keys=True)
        partial = {k: v for k, v in example.items() if k in _required(catalogue, message_type)}
        for payload in (example, partial):
            snapshot = json.dumps(payload, sort_keys=True)
            _validation.payload_is_valid(message_type, payload)
            assert json.dumps(payload, sort_keys=True) == snapshot  # no defaults filled in
        assert json.dumps(example, sort_keys=True) == before


def _required(catalogue: Catalogue, message_type: str) -> set[str]:
    spec = next(m for m in catalogue.messages if m.type == message_type)
    return {f.name for f in spec.payload.fields if f.required}


def test_unknown_message_type_is_not_valid() -> None:
    from worker_client import _validation

    assert _validation.payload_is_valid("no-such-message", {}) is False


def test_invalid_payloads_still_list_every_field() -> None:
    from worker_client import _redaction, _validation
    from worker_client._exceptions import PayloadValidationError

    with pytest.raises(PayloadValidationError) as caught:
        _validation.validate_payload(
            "file-download-request", {"modelId": 1, "zzExtra": 2}, _redaction.Redactor([])
        )
    assert [path for path, _ in caught.value.errors] == ["/modelId", "/zzExtra"]
