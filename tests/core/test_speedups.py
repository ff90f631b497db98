"""The speed-ups change only time: the same verdicts and results as the slow paths."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from support import ROOT

from generator.loader import _metaschema_gate
from generator.yamlio import parse_yaml

SCHEMA_FILES = sorted((ROOT / "schemas").glob("*.yaml")) + sorted(
    (ROOT / "schemas" / "shared").glob("*.yaml")
)
# Values that break the metaschema somewhere, or not: both verdicts must be exercised.
REPLACEMENTS: list[Any] = [None, True, 1, -1, 1.5, "x", "strnig", [], ["x", 1], {}, {"type": 3}]


def _mutations(node: Any) -> Iterator[Any]:
    if isinstance(node, dict):
        for key in list(node)[:12]:
            for replacement in REPLACEMENTS:
                yield {**node, key: replacement}
            for inner in _mutations(node[key]):
                yield {**node, key: inner}
    elif isinstance(node, list):
        for index, item in enumerate(node[:2]):
            for inner in _mutations(item):
                changed = list(node)
                changed[index] = inner
                yield changed


@pytest.mark.slow
def test_metaschema_gate_agrees_with_jsonschema() -> None:
    gate = _metaschema_gate()
    meta = Draft202012Validator(Draft202012Validator.META_SCHEMA)
    verdicts = {True: 0, False: 0}
    for path in SCHEMA_FILES:
        document = parse_yaml(path.read_text(encoding="utf-8"))
        assert gate(document) and not list(meta.iter_errors(document)), path
        for count, mutated in enumerate(_mutations(document)):
            if count == 100:
                break
            slow = not any(True for _ in meta.iter_errors(mutated))
            assert gate(mutated) == slow, (path.name, mutated)
            verdicts[slow] += 1
    assert verdicts[True] > 300 and verdicts[False] > 300, verdicts
