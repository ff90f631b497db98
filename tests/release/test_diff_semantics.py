"""`diff` knows direction and decidability, keyword by keyword, in both directions.

A change is additive or docs only when every payload the old schema accepted is still
accepted; where that cannot be decided (two regexes, two subschemas) it is breaking with
"not proven compatible". Recursive types are compared to the end without looping.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.diffing.compare import diff_catalogues
from generator.schema import load_schemas

HEADER = (
    "$schema: https://json-schema.org/draft/2020-12/schema\n"
    "title: AlphaMessage\ndescription: d\ntype: object\nadditionalProperties: false\n"
    "properties:\n"
)


def _changes(tmp_path: Path, old: str, new: str) -> set[tuple[str, str, str]]:
    for side, body in (("old", old), ("new", new)):
        folder = tmp_path / side
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "alpha.yaml").write_text(HEADER + body)
    found = diff_catalogues(load_schemas(tmp_path / "old"), load_schemas(tmp_path / "new"))
    return {(c.path, c.severity, c.code) for c in found}


CLOSED = "  m: {type: object, additionalProperties: false, properties: {a: {type: string}}%s}\n"
OPEN = "  m: {type: object, properties: {a: {type: string}}%s}\n"
PATTERN = ", patternProperties: {'^x-': {type: integer}}"
NODE = (
    "  tree: {$ref: '#/$defs/Node'}\n"
    "$defs:\n  Node:\n    type: object\n    properties:\n"
    "      children: {type: array, items: {$ref: '#/$defs/Node'}}\n%s"
)

# (old, new, what old -> new gives, what new -> old gives)
CASES = {
    "patternProperties on a closed object": (
        CLOSED % "",
        CLOSED % PATTERN,
        # The types follow: keys matching the pattern are now allowed.
        {("m", "additive", "pattern-properties-added"), ("m", "additive", "object-opened")},
        {("m", "breaking", "constraint-narrowed"), ("m", "breaking", "object-closed")},
    ),
    "patternProperties on an open object": (
        OPEN % "",
        OPEN % PATTERN,
        {("m", "breaking", "constraint-narrowed")},
        {("m", "additive", "pattern-properties-removed")},
    ),
    "pattern widened, then narrowed back": (
        "  s: {type: string, pattern: '^[a-z]+$'}\n",
        "  s: {type: string, pattern: '^[a-z0-9]+$'}\n",
        {("s", "breaking", "not-proven-compatible")},
        {("s", "breaking", "not-proven-compatible")},
    ),
    "multipleOf loosened from 4 to 2": (
        "  n: {type: integer, multipleOf: 4}\n",
        "  n: {type: integer, multipleOf: 2}\n",
        {("n", "additive", "constraint-widened")},
        {("n", "breaking", "constraint-narrowed")},
    ),
    "multipleOf 0.5 to 0.25": (
        "  n: {type: number, multipleOf: 0.5}\n",
        "  n: {type: number, multipleOf: 0.25}\n",
        {("n", "additive", "constraint-widened")},
        {("n", "breaking", "constraint-narrowed")},
    ),
    "dependentRequired entry dropped": (
        "  d: {type: object, properties: {a: {}, b: {}}, dependentRequired: {a: [b]}}\n",
        "  d: {type: object, properties: {a: {}, b: {}}}\n",
        {("d", "additive", "dependency-removed")},
        {("d", "breaking", "dependency-added")},
    ),
    "not removed": (
        "  v: {not: {type: string}}\n",
        "  v: {}\n",
        {("v", "additive", "constraint-widened")},
        {("v", "breaking", "constraint-narrowed")},
    ),
    "not changed": (
        "  v: {not: {type: string}}\n",
        "  v: {not: {type: integer}}\n",
        {("v", "breaking", "not-proven-compatible")},
        {("v", "breaking", "not-proven-compatible")},
    ),
    "a tuple that may grow": (
        "  t: {prefixItems: [{type: string}], items: false}\n",
        "  t: {prefixItems: [{type: string}]}\n",
        {("t[]", "additive", "type-widened")},
        {("t[]", "breaking", "type-narrowed")},
    ),
    "a tuple position's type": (
        "  t: {prefixItems: [{type: string}, {type: integer}], items: false}\n",
        "  t: {prefixItems: [{type: string}, {type: number}], items: false}\n",
        {("t[1]", "additive", "type-widened")},
        {("t[1]", "breaking", "type-narrowed")},
    ),
    "a recursive type gains an optional field": (
        NODE % "",
        NODE % "      name: {type: string}\n",
        {("tree.name", "additive", "field-added")},
        {("tree.name", "breaking", "field-removed")},
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_both_directions(tmp_path: Path, case: str) -> None:
    old, new, forward, backward = CASES[case]
    assert _changes(tmp_path / "forward", old, new) == forward
    assert _changes(tmp_path / "backward", new, old) == backward


def test_a_recursive_alias_is_compared_to_the_end(tmp_path: Path) -> None:
    expr = (
        "  e: {$ref: '#/$defs/expr'}\n$defs:\n  expr:\n"
        "    anyOf: [%s, {type: array, items: {$ref: '#/$defs/expr'}}]\n"
    )
    changes = _changes(tmp_path, expr % "{type: string}", expr % "{type: string, maxLength: 3}")
    assert changes == {("e", "breaking", "constraint-narrowed")}
