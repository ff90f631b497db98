"""Read the API surface out of a release artifact: a Python sdist or wheel, an npm tarball.

Nothing in an artifact is executed. Both generations of the packages are understood:

- messages and fields come from the packaged schemas when the package carries them
  (`worker_client/schemas.json`, `dist/schemas.js`: this generator), else from the README's
  "Available Message Types" list (`` - `name` (json-type) [✓|✗]: ... ``: the older one);
- Python methods and exports from the source (`ast`): the methods of `WorkerClient`,
  its base classes within the package included, and the names `worker_client/__init__.py`
  binds or lists in `__all__`;
- TypeScript methods and exports from the declaration files (`*.d.ts`), following
  `export * from` and `export { ... } from`.
"""

from __future__ import annotations

import posixpath
import re
import tarfile
import zipfile
from pathlib import Path, PurePosixPath
from typing import Any

from generator.publish.surface import FieldSurface

# The client class in both languages: its methods are the surface.
CLIENT_CLASS = "WorkerClient"
README_SECTION = re.compile(r"^## Available Message Types\s*$(.*?)(?=^## |\Z)", re.M | re.S)
_README_FIELD = re.compile(r"^- `([^`]+)` \((\w*)\) \[([✓✗])\]", re.M)


class ArtifactError(Exception):
    """The artifact is not a package this tool can read."""


# --------------------------------------------------------------------------- archives


def read_archive(path: Path) -> dict[str, bytes]:
    """Every regular file of a .whl, .tar.gz or .tgz, by its path inside the archive."""
    files: dict[str, bytes] = {}
    try:
        if path.suffix == ".whl" or path.suffix == ".zip":
            with zipfile.ZipFile(path) as archive:
                for info in archive.infolist():
                    if not info.is_dir():
                        files[info.filename] = archive.read(info)
        else:
            with tarfile.open(path) as tar:
                for member in tar.getmembers():
                    if member.isfile():
                        handle = tar.extractfile(member)
                        if handle is not None:
                            files[member.name] = handle.read()
    except (OSError, zipfile.BadZipFile, tarfile.TarError) as exc:
        raise ArtifactError(f"{path.name}: cannot read the archive ({exc})") from exc
    return files


def strip_root(files: dict[str, bytes], marker: str) -> dict[str, bytes]:
    """Paths relative to the folder holding `marker` (an sdist's `name-1.0/`, npm's `package/`)."""
    candidates = sorted(
        (p for p in files if PurePosixPath(p).name == marker), key=lambda p: p.count("/")
    )
    if not candidates:
        return files
    root = posixpath.dirname(candidates[0])
    prefix = root + "/" if root else ""
    return {p[len(prefix) :]: data for p, data in files.items() if p.startswith(prefix)}


# --------------------------------------------------------------------------- messages


def messages_from_schemas(
    payload_types: dict[str, str], defs: dict[str, Any]
) -> dict[str, dict[str, FieldSurface]]:
    """Fields of each message from the bundled schemas: {type: payload name}, {"$defs"...}.

    Nested fields are listed by path (`storageLocation.path`, `results[].listingId`).
    """
    messages: dict[str, dict[str, FieldSurface]] = {}
    for kebab, payload in payload_types.items():
        fields: dict[str, FieldSurface] = {}
        _schema_fields(defs.get(payload, {}), defs, "", fields, 0)
        messages[kebab] = fields
    return messages


def _resolve(node: Any, defs: dict[str, Any]) -> Any:
    for _ in range(32):
        if not (isinstance(node, dict) and isinstance(node.get("$ref"), str)):
            break
        node = defs.get(node["$ref"].rsplit("/", 1)[-1])
    return node


def _schema_fields(
    node: Any, defs: dict[str, Any], prefix: str, out: dict[str, FieldSurface], depth: int
) -> None:
    node = _resolve(node, defs)
    if not isinstance(node, dict) or depth > 16:
        return
    for combinator in ("anyOf", "oneOf"):
        for option in node.get(combinator, []) or []:
            _schema_fields(option, defs, prefix, out, depth + 1)
    required = set(node.get("required", []))
    properties = node.get("properties", {})
    for name, prop in properties.items() if isinstance(properties, dict) else ():
        path = f"{prefix}{name}"
        target = _resolve(prop, defs)
        out.setdefault(
            path, FieldSurface(_json_type(prop, defs), name in required, _is_open(target, defs))
        )
        _nested(target, defs, path, out, depth + 1)


def _nested(
    node: Any, defs: dict[str, Any], path: str, out: dict[str, FieldSurface], depth: int
) -> None:
    """The fields below one field: an object's keys, an array's item fields (`path[].x`)."""
    node = _resolve(node, defs)
    if not isinstance(node, dict):
        return
    _schema_fields(node, defs, f"{path}.", out, depth)
    items = _resolve(node.get("items"), defs)
    if isinstance(items, dict):
        out.setdefault(
            f"{path}[]", FieldSurface(_json_type(items, defs), False, _is_open(items, defs))
        )
        _nested(items, defs, f"{path}[]", out, depth + 1)
    for combinator in ("anyOf", "oneOf"):
        for option in node.get(combinator, []) or []:
            option = _resolve(option, defs)
            if isinstance(option, dict) and isinstance(option.get("items"), dict):
                _nested(option, defs, path, out, depth + 1)


def _is_open(node: Any, defs: dict[str, Any]) -> bool:
    """Whether the value may hold keys no path lists: anything but a closed object."""
    if not isinstance(node, dict):
        return True
    options = node.get("anyOf", node.get("oneOf"))
    if isinstance(options, list):
        return any(_is_open(_resolve(o, defs), defs) for o in options)
    if node.get("type") not in (None, "object") and "properties" not in node:
        return False  # a scalar or an array: nothing below it is keyed
    return node.get("additionalProperties", True) is not False


def _json_type(node: Any, defs: dict[str, Any], depth: int = 0) -> str:
    if not isinstance(node, dict) or depth > 32:
        return ""
    ref = node.get("$ref")
    if isinstance(ref, str):
        return _json_type(defs.get(ref.rsplit("/", 1)[-1]), defs, depth + 1)
    kind = node.get("type")
    if isinstance(kind, str):
        return kind
    if isinstance(kind, list):
        return "|".join(str(k) for k in kind)
    for combinator in ("anyOf", "oneOf"):
        options = node.get(combinator)
        if isinstance(options, list):
            return "|".join(sorted({_json_type(o, defs, depth + 1) for o in options}))
    if "properties" in node:
        return "object"
    return ""


def messages_from_readme(text: str) -> dict[str, dict[str, FieldSurface]]:
    """The older generator's README: `### <type>` sections listing `(json-type) [✓|✗]`."""
    section = README_SECTION.search(text)
    if section is None:
        raise ArtifactError("the README has no 'Available Message Types' section")
    messages: dict[str, dict[str, FieldSurface]] = {}
    for block in re.split(r"^### ", section.group(1), flags=re.M)[1:]:
        kebab, _, body = block.partition("\n")
        messages[kebab.strip()] = {
            name: FieldSurface(json_type, mark == "✓")
            for name, json_type, mark in _README_FIELD.findall(body)
        }
    return messages
