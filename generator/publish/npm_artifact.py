"""The API surface of the TypeScript client's npm tarball, read from its `.d.ts` files.

Exports follow `export * from` and `export { ... } from`; messages come from the bundled
schemas (`src/schemas.ts`) or, for the older generator's packages, the README plus the
nesting the declarations show.
"""

from __future__ import annotations

import json
import posixpath
import re
from pathlib import Path
from typing import Any

from generator.publish.artifacts import (
    CLIENT_CLASS,
    README_SECTION,
    ArtifactError,
    messages_from_readme,
    messages_from_schemas,
    read_archive,
    strip_root,
)
from generator.publish.npm_behaviour import npm_behaviour
from generator.publish.surface import FieldSurface, Surface

COMMENT = re.compile(r"/\*.*?\*/|//[^\n]*", re.S)
_EXPORT_FROM = re.compile(r"export\s+(type\s+)?(\*|\{([^}]*)\})\s+from\s+['\"]([^'\"]+)['\"]", re.S)
_EXPORT_LOCAL = re.compile(r"export\s+(type\s+)?\{([^}]*)\}\s*;", re.S)
_EXPORT_DECL = re.compile(
    r"export\s+(?:declare\s+)?(?:abstract\s+)?"
    r"(?:const|let|var|function|class|interface|type|enum|namespace)\s+([A-Za-z_$][\w$]*)"
)
_MEMBER = re.compile(r"^\s*(?:(?:public|static|readonly|async)\s+)*([A-Za-z_$][\w$]*)\??\s*[<(]")


def npm_surface(path: Path) -> Surface:
    """The surface of an npm tarball of the TypeScript client (read from its .d.ts files)."""
    files = strip_root(read_archive(path), "package.json")
    if "package.json" not in files:
        raise ArtifactError(f"{path.name}: no package.json")
    package = json.loads(files["package.json"])
    entry = str(package.get("types") or package.get("typings") or "index.d.ts")
    entry = posixpath.normpath(entry.removeprefix("./"))
    declarations = {
        posixpath.normpath(p): COMMENT.sub("", data.decode("utf-8"))
        for p, data in files.items()
        if p.endswith(".d.ts")
    }
    if entry not in declarations:
        raise ArtifactError(f"{path.name}: no {entry} (the package's types entry)")
    exports = ts_exports(entry, declarations, set())
    methods = _ts_methods(declarations)
    schemas = _npm_bundled_schemas(files)
    if schemas is not None:
        messages = messages_from_schemas(*schemas)
    else:
        readme = files.get("README.md", b"").decode("utf-8")
        messages = _with_declared_nesting(messages_from_readme(readme), readme, declarations)
    scripts = {
        p: COMMENT.sub("", data.decode("utf-8", "replace"))
        for p, data in files.items()
        if p.endswith(".js")
    }
    return Surface(
        name=str(package.get("name", "")),
        version=str(package.get("version", "")),
        messages=messages,
        methods=frozenset(methods),
        exports=frozenset(exports),
        behaviour=npm_behaviour(package, declarations, scripts, exports),
    )


_TS_MEMBER = re.compile(r"\s*(\[[^\]]*\]|[A-Za-z_$][\w$]*|'[^']*'|\"[^\"]*\")(\??)\s*:\s*")
_TS_SCALARS = {"string": "string", "boolean": "boolean", "number": ""}  # number: integer too


def _ts_interfaces(text: str) -> dict[str, dict[str, FieldSurface]]:
    """Every `export interface <Name> { ... }` of a declaration file, flattened to paths."""
    found: dict[str, dict[str, FieldSurface]] = {}
    for match in re.finditer(r"export interface (\w+)\s*\{", text):
        fields: dict[str, FieldSurface] = {}
        try:
            _ts_object(text, match.end(), "", fields)
        except (ValueError, IndexError):
            continue  # a shape this reader does not know: the README's list stands alone
        found[match.group(1)] = fields
    return found


def _ts_object(text: str, i: int, prefix: str, out: dict[str, FieldSurface]) -> int:
    """Members from just after `{` to the matching `}`; returns the index after it."""
    while True:
        i = _skip_space(text, i)
        if text[i] == "}":
            return i + 1
        member = _TS_MEMBER.match(text, i)
        if member is None:
            raise ValueError(text[i : i + 40])
        name = member.group(1).strip("'\"")
        i, kind, is_open = _ts_type(text, member.end(), f"{prefix}{name}", out)
        out.setdefault(f"{prefix}{name}", FieldSurface(kind, member.group(2) != "?", is_open))
        i = _skip_space(text, i)
        if text[i] in ";,":
            i += 1


def _skip_space(text: str, i: int) -> int:
    while text[i].isspace():
        i += 1
    return i


def _ts_type(text: str, i: int, path: str, out: dict[str, FieldSurface]) -> tuple[int, str, bool]:
    """(index after the type, JSON type, open): nested members are added under `path`."""
    i = _skip_space(text, i)
    if text[i] == "{":
        i, kind, is_open = _ts_object(text, i + 1, f"{path}.", out), "object", False
    elif text.startswith("Array<", i):
        i, item_kind, item_open = _ts_type(text, i + 6, f"{path}[]", out)
        out.setdefault(f"{path}[]", FieldSurface(item_kind, False, item_open))
        i = _skip_space(text, i)
        if text[i] != ">":
            raise ValueError(text[i : i + 40])
        i, kind, is_open = i + 1, "array", True
    else:
        end = i
        depth = 0
        while depth or text[end] not in ";,}>":
            depth += {"<": 1, ">": -1, "(": 1, ")": -1}.get(text[end], 0)
            end += 1
        raw = text[i:end].strip()
        i = end
        base = raw.removesuffix("[]")
        if raw.endswith("[]"):
            scalar = _TS_SCALARS.get(base, "")
            out.setdefault(f"{path}[]", FieldSurface(scalar, False, base not in _TS_SCALARS))
            return i, "array", True
        if base in _TS_SCALARS:
            return i, _TS_SCALARS[base], False
        if re.fullmatch(r"('[^']*'|\"[^\"]*\")(\s*\|\s*('[^']*'|\"[^\"]*\"))*", raw):
            return i, "string", False
        return i, "object" if raw.startswith("Record<") else "", True
    while text.startswith("[]", i):
        out.setdefault(f"{path}[]", FieldSurface(kind, False, is_open))
        i, kind, is_open = i + 2, "array", True
    return i, kind, is_open


def _readme_payloads(text: str) -> dict[str, str]:
    """{payload type name: message type} from the README's `**Payload Type:**` lines."""
    section = README_SECTION.search(text)
    payloads: dict[str, str] = {}
    for block in re.split(r"^### ", section.group(1) if section else "", flags=re.M)[1:]:
        kebab, _, body = block.partition("\n")
        title = re.search(r"\*\*Payload Type:\*\* `(\w+)`", body)
        if title:
            payloads[title.group(1)] = kebab.strip()
    return payloads


def _with_declared_nesting(
    messages: dict[str, dict[str, FieldSurface]], readme: str, declarations: dict[str, str]
) -> dict[str, dict[str, FieldSurface]]:
    """The README's top-level fields, plus the nested fields the .d.ts files declare."""
    interfaces: dict[str, dict[str, FieldSurface]] = {}
    for text in declarations.values():
        interfaces.update(_ts_interfaces(text))
    for title, kebab in _readme_payloads(readme).items():
        declared = interfaces.get(title)
        if declared is None or kebab not in messages:
            continue
        fields = messages[kebab]
        for path, shape in declared.items():
            if path in fields:  # the README's JSON type is the more precise; the shape is open?
                fields[path] = FieldSurface(
                    fields[path].json_type, fields[path].required, shape.open
                )
            elif _parent_of(path) is not None:
                fields[path] = shape
    return messages


def _parent_of(path: str) -> str | None:
    if path.endswith("[]"):
        return path[:-2]
    cut = path.rfind(".")
    return path[:cut] if cut >= 0 else None


def _resolve_module(base: str, spec: str, declarations: dict[str, str]) -> str | None:
    joined = posixpath.normpath(posixpath.join(posixpath.dirname(base), spec))
    stem = re.sub(r"\.(js|mjs|cjs|ts|d\.ts)$", "", joined)
    for candidate in (f"{stem}.d.ts", f"{stem}/index.d.ts"):
        if candidate in declarations:
            return candidate
    return None


def ts_exports(module: str, declarations: dict[str, str], seen: set[str]) -> set[str]:
    if module in seen:
        return set()
    seen.add(module)
    text = declarations[module]
    names = set(_EXPORT_DECL.findall(text))
    for match in _EXPORT_FROM.finditer(text):
        target = _resolve_module(module, match.group(4), declarations)
        if match.group(2) == "*":
            if target is not None:
                names |= ts_exports(target, declarations, seen)
        else:
            names |= _export_list(match.group(3))
    for match in _EXPORT_LOCAL.finditer(text):
        names |= _export_list(match.group(2))
    return {n for n in names if n != "default"}


def _export_list(body: str) -> set[str]:
    names = set()
    for item in body.split(","):
        words = item.replace("type ", " ").split()
        if words:
            names.add(words[-1])  # `a as b` exports b
    return names


_CLASS = re.compile(
    r"(?:export\s+)?declare\s+(?:abstract\s+)?class\s+([A-Za-z_$][\w$]*)(?:<[^{]*?>)?"
    r"(?:\s+extends\s+([A-Za-z_$][\w$.]*)(?:<[^{]*?>)?)?[^{]*\{"
)


def _ts_classes(text: str) -> dict[str, tuple[str | None, set[str]]]:
    """{class name: (base class, public method names)} of one declaration file."""
    classes: dict[str, tuple[str | None, set[str]]] = {}
    for start in _CLASS.finditer(text):
        depth, position = 1, start.end()
        while depth and position < len(text):
            depth += {"{": 1, "}": -1}.get(text[position], 0)
            position += 1
        body = text[start.end() : position - 1]
        methods = set()
        depth = 0
        for line in body.splitlines():
            if depth == 0 and not re.match(r"^\s*(private|protected|#)", line):
                member = _MEMBER.match(line)
                if member and member.group(1) != "constructor":
                    methods.add(member.group(1))
            depth += line.count("{") - line.count("}")
        base = start.group(2).rsplit(".", 1)[-1] if start.group(2) else None
        classes[start.group(1)] = (base, methods)
    return classes


def _ts_methods(declarations: dict[str, str]) -> set[str]:
    """Public methods of the client class, those of its base classes in the package included."""
    classes: dict[str, tuple[str | None, set[str]]] = {}
    for text in declarations.values():
        classes.update(_ts_classes(text))
    methods: set[str] = set()
    name: str | None = CLIENT_CLASS
    seen: set[str] = set()
    while name is not None and name in classes and name not in seen:
        seen.add(name)
        base, own = classes[name]
        methods |= own
        name = base
    return methods


def _npm_bundled_schemas(files: dict[str, bytes]) -> tuple[dict[str, str], dict[str, Any]] | None:
    """PAYLOAD_TYPES and SCHEMA_DEFS from the package's src/schemas.ts (JSON object literals)."""
    source = files.get("src/schemas.ts")
    if source is None:
        return None
    text = source.decode("utf-8")
    payload_types = _object_literal(text, "PAYLOAD_TYPES")
    defs = _object_literal(text, "SCHEMA_DEFS")
    if payload_types is None or defs is None:
        return None
    return payload_types, defs


def _object_literal(text: str, name: str) -> Any:
    """`export const NAME ... = { ... };` parsed as JSON (trailing commas allowed)."""
    match = re.search(rf"export const {name}\b[^=]*=\s*", text)
    if match is None:
        return None
    end = text.find("\n};", match.end())
    if end < 0:
        return None
    literal = text[match.end() : end + 2]
    try:
        return json.loads(re.sub(r",(\s*[}\]])", r"\1", literal))
    except json.JSONDecodeError:
        return None
