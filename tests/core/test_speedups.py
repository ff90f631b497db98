"""The speed-ups change only time: the same verdicts and results as the slow paths."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from support import ROOT

from generator.schema.checks import metaschema_gate
from generator.schema.yamlio import parse_yaml

SCHEMA_FILES = sorted((ROOT / "schemas").glob("*.yaml")) + sorted(
    (ROOT / "schemas" / "shared").glob("*.yaml")
)
# Values that break the metaschema somewhere, or not: both verdicts must be exercised.
REPLACEMENTS: list[Any] = [None, True, 1, -1, 1.5, "x", "strnig", [], ["x", 1], {}, {"type": 3}]


def _mutations(node: Any, where: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], Any]]:
    """(where, the document with one value replaced there): each key's value by each of
    REPLACEMENTS, then the same inside it, depth first."""
    if isinstance(node, dict):
        for key in list(node)[:12]:
            for replacement in REPLACEMENTS:
                yield (*where, key, repr(replacement)), {**node, key: replacement}
            for at, inner in _mutations(node[key], (*where, key)):
                yield at, {**node, key: inner}
    elif isinstance(node, list):
        for index, item in enumerate(node[:2]):
            for at, inner in _mutations(item, (*where, index)):
                changed = list(node)
                changed[index] = inner
                yield at, changed


# Mutations checked per file. Message files share their top-level shape, so the same
# top-level replacement is checked once, on the first file; the budget of the others goes to
# the mutations only they have (their own properties, items, combinators, nested defs).
PER_FILE = 30


@pytest.mark.slow
def test_metaschema_gate_agrees_with_jsonschema() -> None:
    gate = metaschema_gate()
    meta = Draft202012Validator(Draft202012Validator.META_SCHEMA)
    verdicts = {True: 0, False: 0}
    seen: set[tuple[Any, ...]] = set()
    for path in SCHEMA_FILES:
        document = parse_yaml(path.read_text(encoding="utf-8"))
        assert gate(document) and not list(meta.iter_errors(document)), path
        checked = 0
        for where, mutated in _mutations(document):
            if where in seen:
                continue
            seen.add(where)
            slow = not any(True for _ in meta.iter_errors(mutated))
            assert gate(mutated) == slow, (path.name, where)
            verdicts[slow] += 1
            checked += 1
            if checked == PER_FILE:
                break
    assert verdicts[True] > 300 and verdicts[False] > 300, verdicts
