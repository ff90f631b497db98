"""Input right at every limit is accepted, and still generates within the time and memory
targets: the limits refuse hostile files, not large real ones."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from badinput_cases import HEAD
from test_badinput_corpus import MINIMAL, run_bounded, snapshot

from generator.schema import load_schemas
from generator.schema.limits import (
    MAX_DEPTH,
    MAX_ENUM_VALUES,
    MAX_FILE_BYTES,
    MAX_INTEGER_DIGITS,
    MAX_NODES,
    LimitExceeded,
    read_bounded,
)
from generator.schema.yamlio import YamlProblem, parse_yaml


def _title(name: str) -> str:
    return HEAD.replace("HostileRequestMessage", name)


def deepest_objects() -> str:
    """Objects nested as deep as MAX_DEPTH allows, with an example that fills them."""
    levels = (MAX_DEPTH - 2) // 2  # each object is `properties: {pN: ...}`: two levels
    text = _title("DeepRequestMessage") + "properties:\n"
    indent = "  "
    for level in range(levels - 1):
        text += (
            f"{indent}p{level}:\n{indent}  type: object\n{indent}  additionalProperties: false\n"
            f"{indent}  required: [p{level + 1}]\n{indent}  properties:\n"
        )
        indent += "    "
    text += f"{indent}p{levels - 1}: {{type: string}}\n"
    example = "".join(f"{{p{level}: " for level in range(levels)) + "v" + "}" * levels
    return text + f"examples:\n  - {example[1:-1]}\n"


def widest_enum() -> str:
    values = ", ".join(f"v{i}" for i in range(MAX_ENUM_VALUES))
    return (
        _title("WideRequestMessage")
        + f"properties:\n  x: {{type: string, enum: [{values}]}}\nexamples:\n  - x: v7\n"
    )


def largest_integer() -> str:
    big = "9" * MAX_INTEGER_DIGITS
    return (
        _title("BigRequestMessage")
        + f"properties:\n  x: {{type: integer, maximum: {big}}}\nexamples:\n  - x: -{big}\n"
    )


def _values(node: object) -> int:
    """Nodes as the limit counts them: every scalar (keys too), mapping and list."""
    if isinstance(node, dict):
        return 1 + sum(1 + _values(value) for value in node.values())
    if isinstance(node, list):
        return 1 + sum(_values(value) for value in node)
    return 1


def most_values() -> str:
    def text(items: int) -> str:
        listed = ", ".join(["1"] * items)
        return (
            _title("ManyRequestMessage")
            + "properties:\n  x: {type: array, items: {type: integer}}\n"
            + f"examples:\n  - x: [{listed}]\n"
        )

    return text(MAX_NODES - _values(parse_yaml(text(0))))


def largest_file() -> str:
    text = _title("LargeRequestMessage") + "properties:\n  x: {type: string}\nexamples:\n  - x: a\n"
    padding = "# " + "x" * 98 + "\n"
    text += padding * ((MAX_FILE_BYTES - len(text)) // len(padding))
    return text + "#" * (MAX_FILE_BYTES - len(text) - 1) + "\n"


AT_LIMITS = {
    "deep-request.yaml": deepest_objects,
    "wide-request.yaml": widest_enum,
    "big-request.yaml": largest_integer,
    "many-request.yaml": most_values,
    "large-request.yaml": largest_file,
}


@pytest.mark.parametrize("name", sorted(AT_LIMITS))
def test_a_file_at_a_limit_parses(name: str) -> None:
    assert isinstance(parse_yaml(AT_LIMITS[name]()), dict)


def test_one_more_is_refused() -> None:
    with pytest.raises(YamlProblem, match="nested more than"):
        parse_yaml("a: " + "[" * MAX_DEPTH + "]" * MAX_DEPTH)
    parse_yaml("a: " + "[" * (MAX_DEPTH - 1) + "]" * (MAX_DEPTH - 1))
    with pytest.raises(YamlProblem, match="enum has more than"):
        parse_yaml("enum: [" + ", ".join(["a"] * (MAX_ENUM_VALUES + 1)) + "]")
    with pytest.raises(YamlProblem, match="integer of"):
        parse_yaml("a: " + "1" * (MAX_INTEGER_DIGITS + 1))
    with pytest.raises(YamlProblem, match="more than"):
        parse_yaml("a: [" + ", ".join(["1"] * MAX_NODES) + "]")
    parse_yaml("a: [" + ", ".join(["1"] * (MAX_NODES - 3)) + "]")


def test_quoted_digits_and_data_lists_are_not_limited() -> None:
    digits = "1" * 5000
    assert parse_yaml(f"a: '{digits}'") == {"a": digits}
    many = ", ".join(["x"] * (MAX_ENUM_VALUES + 1))
    assert len(parse_yaml(f"examples: [{{enum: [{many}]}}]")["examples"][0]["enum"]) > 1000


def test_the_file_size_bound_is_exact(tmp_path: Path) -> None:
    path = tmp_path / "f.yaml"
    path.write_bytes(b"a" * MAX_FILE_BYTES)
    assert len(read_bounded(path)) == MAX_FILE_BYTES
    path.write_bytes(b"a" * (MAX_FILE_BYTES + 1))
    with pytest.raises(LimitExceeded, match="limit"):
        read_bounded(path)


@pytest.fixture(scope="module")
def at_limits(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("at-limits")
    shutil.copytree(MINIMAL, work / "schemas")
    for name, build in AT_LIMITS.items():
        text = build()
        assert len(text.encode()) <= MAX_FILE_BYTES
        (work / "schemas" / name).write_text(text, encoding="utf-8")
    return work


def test_a_folder_at_every_limit_loads(at_limits: Path) -> None:
    catalogue = load_schemas(at_limits / "schemas")
    assert len(catalogue.messages) == 1 + len(AT_LIMITS)


def test_a_folder_at_every_limit_is_decided_within_the_targets(at_limits: Path) -> None:
    proc = run_bounded(["validate"], at_limits)
    assert proc.returncode == 0, proc.stderr
    assert f"{1 + len(AT_LIMITS)} messages" in proc.stdout


# Rendering all targets takes seconds even for the small fixture on a busy machine, so the
# time bound here only catches a hang; memory stays bound to the target.
RENDER_HANG_GUARD_S = 120


def test_a_folder_at_every_limit_generates_within_the_memory_target(at_limits: Path) -> None:
    proc = run_bounded(
        ["generate", "--no-cache", "--out", "generated"], at_limits, timeout=RENDER_HANG_GUARD_S
    )
    assert proc.returncode == 0, proc.stderr
    generated = snapshot(at_limits / "generated")
    assert "python/worker_client/types.py" in generated
    assert "openapi.yaml" in generated
