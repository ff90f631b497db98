"""Safe, strict YAML reading: JSON data model only, duplicate keys are errors."""

from __future__ import annotations

import math
from typing import Any

import yaml

from generator.schema.limits import LimitExceeded, check_yaml_bounds

try:  # libyaml's parser is several times faster; the constructor stays the safe one
    _BaseLoader: type[yaml.SafeLoader] = yaml.CSafeLoader  # type: ignore[assignment]
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    _BaseLoader = yaml.SafeLoader


class YamlProblem(Exception):
    """Unreadable YAML, or YAML past a limit of generator.schema.limits (pointer says where)."""

    def __init__(
        self,
        message: str,
        line: int | None = None,
        column: int | None = None,
        pointer: str = "",
    ):
        self.line = line
        self.column = column
        self.pointer = pointer
        where = f" (line {line}, column {column})" if line is not None else ""
        super().__init__(message + where)


class _StrictLoader(_BaseLoader):  # type: ignore[misc, valid-type]
    """Safe loading, but timestamps stay strings and a repeated key is an error."""


# JSON Schema has no date type: `2025-01-15T10:30:00Z` in an example must stay a string.
_StrictLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _construct_mapping(loader: Any, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
    loader.flatten_mapping(node)
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=True)
        try:
            duplicate = key in seen
        except TypeError:
            duplicate = False
        if duplicate:
            mark = key_node.start_mark
            raise YamlProblem(f"duplicate key {key!r}", mark.line + 1, mark.column + 1)
        try:
            seen.add(key)
        except TypeError:
            pass
    return dict(yaml.SafeLoader.construct_mapping(loader, node, deep=deep))


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def parse_yaml(text: str) -> Any:
    """Parse YAML text into plain JSON data, raising YamlProblem with a position on failure.

    Text past the limits of generator.schema.limits is refused before it is built."""
    try:
        check_yaml_bounds(text, _StrictLoader)
    except LimitExceeded as exc:
        raise YamlProblem(str(exc), pointer=exc.pointer) from None
    try:
        data = yaml.load(text, Loader=_StrictLoader)  # noqa: S506 - a SafeLoader subclass
    except YamlProblem:
        raise
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "invalid YAML"
        if mark is not None:
            raise YamlProblem(f"invalid YAML: {problem}", mark.line + 1, mark.column + 1) from None
        raise YamlProblem(f"invalid YAML: {problem}") from None
    except yaml.YAMLError as exc:
        raise YamlProblem(f"invalid YAML: {exc}") from None
    except (ValueError, RecursionError) as exc:
        # The bounds above should leave nothing for these; a value PyYAML cannot build is
        # still bad input, not a crash.
        raise YamlProblem(f"invalid YAML: {type(exc).__name__}: {exc}") from None
    return data


def non_json_values(node: Any, pointer: str = "") -> list[tuple[str, str]]:
    """(pointer, problem) for every value JSON cannot carry: non-string keys, NaN, binary."""
    problems: list[tuple[str, str]] = []
    _collect_problems(node, pointer, (), problems)
    return problems


def _collect_problems(
    node: Any, pointer: str, path: tuple[object, ...], problems: list[tuple[str, str]]
) -> None:
    # The pointer of a value is only built for the values that have a problem.
    from generator.errors import pointer_join

    if isinstance(node, dict):
        for key, value in node.items():
            if not isinstance(key, str):
                problems.append(
                    (
                        pointer_join(pointer, *path),
                        f"key {key!r} is not a string; quote it (YAML reads it as "
                        f"{type(key).__name__})",
                    )
                )
                continue
            if not isinstance(value, (str, bool, int)) or isinstance(value, float):
                _collect_problems(value, pointer, (*path, key), problems)
    elif isinstance(node, list):
        for index, value in enumerate(node):
            if not isinstance(value, (str, bool, int)) or isinstance(value, float):
                _collect_problems(value, pointer, (*path, index), problems)
    elif isinstance(node, float):
        if not math.isfinite(node):
            problems.append((pointer_join(pointer, *path), f"{node!r} is not a JSON number"))
    elif node is not None and not isinstance(node, (str, int, bool)):
        problems.append(
            (pointer_join(pointer, *path), f"a {type(node).__name__} value is not JSON")
        )
