"""types.py is written in black's layout without running black (pyformat.join_blocks runs it
only on the blocks the writer is unsure of). Hostile descriptions, enum values, numbers and
long names must still come out exactly as black over the whole module would make them."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from support import SCHEMAS

from generator.pyformat import black_format
from generator.schema import load_schemas
from generator.targets import python_types

# Text black normalises in a class docstring (ends, indentation, quotes, backslashes, odd
# whitespace, lengths around the 100-column limit) and text it leaves alone.
DESCRIPTIONS = [
    "Plain.",
    '"Quoted" at the start.',
    'Ends with a quote "',
    'Ends with quotes ""',
    "Ends with a backslash \\",
    "Has \\n an escape and \\\\ two.",
    "Trailing spaces   \nand more   ",
    "  Leading spaces.",
    "First\n  indented second\n    more indented third",
    "First\n\n\nblank lines\n\n",
    "Tab\tinside\n\tand leading",
    "No-break\u00a0space and ideographic\u3000space \u00a0",
    "Unicode: ü, 雪, emoji 🎉, RTL \u202e mark",
    "Control \x01 and \x7f characters",
    "Triple \"\"\" quotes and ''' single ones",
    "x" * 93,
    "x" * 94,
    "x" * 95,
    "First line\n" + "y" * 92,
    "First line\n" + "y" * 93,
    "First line\n" + "y" * 94,
    "First line\n" + "y" * 120,
    'Multi\nline ending in a quote"',
    "*/ and ${x} and {{ jinja }} and {% raw %}",
    "First\n " + "a" * 93,  # an indented last line: black dedents it, the quotes stay below
    "First\n" + "雪" * 50,  # wide characters: black measures columns
    "- a list\n  - nested item\n  - another " + "b" * 80,
]
ENUMS = [
    ["a", "b"],
    ["雪" * 45],  # 45 characters, 90 columns: black wraps the line
    ["🎉" * 30, "ok"],
    ["it's", 'say "hi"', "back\\slash", "new\nline"],
    ["x" * 60, "y" * 60],
]
NUMBERS = [1, -1, 1.5, 1e16, 1e-7, 10**20, 0.1]
# Equal as Python values, different as literals: no memo may hand one the other's spelling.
RATIO, SCALE = [1, 1.5], [1.0, 1.5]


def _catalogue_folder(tmp: Path, descriptions: list[str]) -> Path:
    properties: dict[str, object] = {}
    for i, text in enumerate(descriptions):
        properties[f"nested{i}"] = {
            "type": "object",
            "title": f"Nested{i}",
            "description": text,
            "additionalProperties": False,
            "properties": (
                {
                    "value": {"type": "string", "description": text},
                    "a-hyphenated-key": {"type": "integer", "description": text},
                }
                if i % 3 == 0
                else {"value": {"type": "string", "description": text}}
            ),
        }
    for i, values in enumerate(ENUMS):
        properties[f"choice{i}"] = {"type": "string", "enum": values}
    properties["number"] = {"type": "number", "enum": NUMBERS}
    properties["ratio"] = {"type": "number", "enum": RATIO}
    properties["scale"] = {"type": "number", "enum": SCALE}
    long_name = "VeryLong" * 12
    deep = {
        "type": "object",
        "title": long_name,
        "additionalProperties": False,
        "properties": {
            "items": {
                "type": "array",
                "items": {
                    "title": f"{long_name}Item",
                    "type": "object",
                    "properties": {"x": {"type": "integer"}},
                },
            },
            "either": {
                "anyOf": [
                    {"$ref": "#/$defs/Deep"},
                    {"type": "array", "items": {"$ref": "#/$defs/Deep"}},
                    {"type": "object", "additionalProperties": {"type": "number"}},
                ]
            },
        },
    }
    properties["deep"] = {"$ref": "#/$defs/Deep"}
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "HostileLayoutRequestMessage",
        "description": descriptions[0],
        "type": "object",
        "additionalProperties": False,
        "properties": properties,
        "examples": [{}],
        "$defs": {"Deep": deep},
    }
    folder = tmp / "schemas"
    folder.mkdir()
    (folder / "hostile-layout-request.yaml").write_text(
        yaml.safe_dump(schema, allow_unicode=True, sort_keys=False)
    )
    return folder


@pytest.mark.parametrize("rotation", range(3))
def test_types_py_equals_black_over_the_whole_module(tmp_path: Path, rotation: int) -> None:
    # Each rotation puts different text first, where it becomes the message's own docstring.
    descriptions = DESCRIPTIONS[rotation * 7 :] + DESCRIPTIONS[: rotation * 7]
    catalogue = load_schemas(_catalogue_folder(tmp_path, descriptions))
    source = python_types.render_payload_types(catalogue)
    # What black makes of the module with no layout decided by the writer: the old way.
    assert source == black_format(python_types.types_module(catalogue))
    compile(source, "types.py", "exec")


def test_most_blocks_skip_black() -> None:
    # What the layout buys: black formats only the few blocks it must (else the test above
    # would pass with everything sent to black).
    catalogue = load_schemas(SCHEMAS)
    blocks = python_types.types_blocks(catalogue)
    unsure = [b for b in blocks if not b.black_stable]
    assert len(unsure) * 10 < len(blocks)


def test_equal_values_keep_their_own_spelling_in_every_target(tmp_path: Path) -> None:
    # 1 == 1.0 in Python, so a memo keyed by value would hand one field the other's literal.
    from generator.pipeline import render_all

    catalogue = load_schemas(_catalogue_folder(tmp_path, DESCRIPTIONS))
    files = render_all(catalogue, ["python", "typescript"])
    types_ts = files["typescript/src/types.ts"]
    lines = [line.strip() for line in types_ts.splitlines()]
    assert "ratio?: 1 | 1.5;" in lines and "scale?: 1.0 | 1.5;" in lines
    assert files["python/worker_client/types.py"] == python_types.render_payload_types(catalogue)
