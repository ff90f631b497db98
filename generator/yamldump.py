"""YAML text of the OpenAPI and AsyncAPI documents: block style, keys in insertion order,
multi-line strings as literal blocks, and dumped piece by piece so that an edit re-dumps only
the pieces it changed (tests/core/test_piecewise.py holds the pieces to one whole dump)."""

from __future__ import annotations

import hashlib
import json
from typing import Any

import yaml

from generator.run import NO_SPEED, Speed


def _represent_str(dumper: yaml.SafeDumper, text: str) -> yaml.ScalarNode:
    if "\n" in text:
        return dumper.represent_scalar("tag:yaml.org,2002:str", text, style="|")
    return dumper.represent_scalar("tag:yaml.org,2002:str", text)


class PureDumper(yaml.SafeDumper):
    """Block style, keys in insertion order, never anchors or aliases."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


PureDumper.add_representer(str, _represent_str)

# libyaml's emitter is five times faster and, for this document, byte-identical to the pure
# one (tests/openapi compares them on every fixture and on schemas/).
_FastBase: type[yaml.SafeDumper] = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


class FastDumper(_FastBase):  # type: ignore[misc, valid-type]
    def ignore_aliases(self, data: Any) -> bool:
        return True


FastDumper.add_representer(str, _represent_str)


def dump_yaml(document: dict[str, Any], dumper: type[yaml.SafeDumper] = FastDumper) -> str:
    # A deep copy through JSON turns tuples into lists and drops any shared sub-objects.
    plain = json.loads(json.dumps(document, ensure_ascii=False))
    text = yaml.dump(
        plain,
        Dumper=dumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=100,
        indent=2,
    )
    return str(text)


PIECES_KIND = "openapi-yaml-pieces"  # (the name predates AsyncAPI using it too)


def dump_pieces(
    document: dict[str, Any],
    speed: Speed = NO_SPEED,
    name: str | None = None,
    by_entry: tuple[str, ...] = ("paths",),
    components_by_entry: tuple[str, ...] = ("schemas",),
) -> str:
    """dump_yaml(document), built from one dump per entry of the `by_entry` top-level keys
    (OpenAPI's paths; AsyncAPI's channels and operations), per entry of the
    `components_by_entry` components, and per other top-level entry; each piece is dumped at
    its own depth (inside stand-in parent keys, cut off afterwards), so its line breaks fall
    where the whole dump puts them. With a cache and `name`, the pieces are remembered across
    runs, and an edited schema re-dumps only its own; with a memo, an entry that is the same
    object as in the last run is found without encoding it."""
    # Read as it is: each piece's digest is its JSON text, and dump_yaml makes its own plain
    # copy of the few pieces it dumps.
    plain = document
    pieces = speed.pieces(PIECES_KIND, name)

    def piece(wrapped: dict[str, Any], depth: int, entry: Any, where: tuple[str, ...]) -> str:
        def digest() -> str:
            source = json.dumps([depth, wrapped], ensure_ascii=False)
            return hashlib.sha256(source.encode()).hexdigest()

        def dump() -> str:
            return dump_yaml(wrapped).split("\n", depth)[depth]

        return pieces.text_of(entry, where, digest, dump)

    out: list[str] = []
    for key, value in plain.items():
        if key in by_entry and isinstance(value, dict) and value:
            out.append(f"{key}:\n")
            out.extend(
                piece({key: {path: item}}, 1, item, (key, path)) for path, item in value.items()
            )
        elif key == "components" and isinstance(value, dict) and value:
            out.append("components:\n")
            for part, entries in value.items():
                if part in components_by_entry and isinstance(entries, dict) and entries:
                    out.append(f"  {part}:\n")
                    out.extend(
                        piece({key: {part: {name: schema}}}, 2, schema, (key, part, name))
                        for name, schema in entries.items()
                    )
                else:
                    out.append(piece({key: {part: entries}}, 1, entries, (key, part)))
        else:
            out.append(piece({key: value}, 0, value, (key,)))
    pieces.save()
    return "".join(out)
