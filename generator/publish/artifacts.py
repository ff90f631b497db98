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

import ast
import json
import posixpath
import re
import tarfile
import zipfile
from pathlib import Path, PurePosixPath
from typing import Any

from generator.publish.surface import FieldSurface, Surface

CLIENT_CLASS = "WorkerClient"
PY_PACKAGE = "worker_client"

_README_SECTION = re.compile(r"^## Available Message Types\s*$(.*?)(?=^## |\Z)", re.M | re.S)
_README_FIELD = re.compile(r"^- `([^`]+)` \((\w*)\) \[([✓✗])\]", re.M)
_README_METHOD = re.compile(r"\*\*Method:\*\* `client\.(\w+)\(")


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


def _strip_root(files: dict[str, bytes], marker: str) -> dict[str, bytes]:
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
    section = _README_SECTION.search(text)
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


# --------------------------------------------------------------------------- Python


def python_surface(path: Path) -> Surface:
    """The surface of a wheel or sdist of the Python client."""
    files = read_archive(path)
    if path.suffix != ".whl":  # an sdist: everything sits below `<name>-<version>/`
        files = _strip_root(files, "PKG-INFO")
    modules = {
        PurePosixPath(p).stem: data.decode("utf-8")
        for p, data in files.items()
        if p.startswith(f"{PY_PACKAGE}/") and p.endswith(".py") and p.count("/") == 1
    }
    if "__init__" not in modules:
        raise ArtifactError(f"{path.name}: no {PY_PACKAGE}/__init__.py")
    trees = {name: ast.parse(source) for name, source in modules.items()}
    metadata = _python_metadata(files)
    name, version = metadata.get("Name", ""), metadata.get("Version", "")
    bundled = files.get(f"{PY_PACKAGE}/schemas.json")
    if bundled is not None:
        data = json.loads(bundled)
        messages = messages_from_schemas(data["messages"], data["$defs"])
    else:
        readme = _python_readme(files, metadata)
        messages = messages_from_readme(readme)
    return Surface(
        name=name,
        version=version,
        messages=messages,
        methods=frozenset(_python_methods(trees)),
        exports=frozenset(_python_exports(trees)),
    )


def _python_metadata(files: dict[str, bytes]) -> dict[str, str]:
    for path, data in files.items():
        if path.endswith((".dist-info/METADATA", "PKG-INFO")) and path.count("/") <= 1:
            headers, _, _ = data.decode("utf-8").partition("\n\n")
            found: dict[str, str] = {}
            for line in headers.splitlines():
                key, sep, value = line.partition(": ")
                if sep and key not in found:
                    found[key] = value.strip()
            found["_body"] = data.decode("utf-8").partition("\n\n")[2]
            return found
    raise ArtifactError("no PKG-INFO or METADATA in the archive")


def _python_readme(files: dict[str, bytes], metadata: dict[str, str]) -> str:
    if "README.md" in files:
        return files["README.md"].decode("utf-8")
    return metadata.get("_body", "")


def _python_classes(trees: dict[str, ast.Module]) -> dict[str, ast.ClassDef]:
    classes: dict[str, ast.ClassDef] = {}
    for tree in trees.values():
        for node in tree.body:
            if isinstance(node, ast.ClassDef):
                classes.setdefault(node.name, node)
    return classes


def _python_methods(trees: dict[str, ast.Module]) -> set[str]:
    """Public methods (and protocol dunders) of the client, inherited ones included."""
    classes = _python_classes(trees)
    methods: set[str] = set()
    pending, seen = [CLIENT_CLASS], set()
    while pending:
        name = pending.pop()
        if name in seen or name not in classes:
            continue
        seen.add(name)
        cls = classes[name]
        for node in cls.body:
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                is_dunder = node.name.startswith("__") and node.name.endswith("__")
                if is_dunder or not node.name.startswith("_"):
                    methods.add(node.name)
        for base in cls.bases:
            if isinstance(base, ast.Subscript):  # MessageMethods[JobResponse]
                base = base.value
            if isinstance(base, ast.Name):
                pending.append(base.id)
    return methods


def _python_exports(trees: dict[str, ast.Module]) -> set[str]:
    """Names `from worker_client import <name>` finds: bound in __init__ or in __all__."""
    exports: set[str] = set()
    for node in trees["__init__"].body:
        exports |= _bound_names(node, trees, follow_star=True)
    return {name for name in exports if not name.startswith("_")}


def _bound_names(node: ast.stmt, trees: dict[str, ast.Module], follow_star: bool) -> set[str]:
    names: set[str] = set()
    if isinstance(node, ast.ImportFrom) and node.level == 1:  # from .module import ...
        for alias in node.names:
            if alias.name == "*" and follow_star:
                module = trees.get(node.module or "")
                if module is not None:
                    names |= _module_public_names(module, trees)
            elif alias.name != "*":
                names.add(alias.asname or alias.name)
    elif isinstance(node, ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
        names.add(node.name)
    elif isinstance(node, ast.Assign | ast.AnnAssign):
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        for target in targets:
            if isinstance(target, ast.Name):
                if target.id == "__all__" and isinstance(node.value, ast.List | ast.Tuple):
                    names |= {
                        e.value
                        for e in node.value.elts
                        if isinstance(e, ast.Constant) and isinstance(e.value, str)
                    }
                names.add(target.id)
    return names


def _module_public_names(tree: ast.Module, trees: dict[str, ast.Module]) -> set[str]:
    """What `from .module import *` binds: its __all__, else its public package names."""
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets
        ):
            if isinstance(node.value, ast.List | ast.Tuple):
                return {
                    e.value
                    for e in node.value.elts
                    if isinstance(e, ast.Constant) and isinstance(e.value, str)
                }
    names: set[str] = set()
    for node in tree.body:
        names |= _bound_names(node, trees, follow_star=False)
    return {n for n in names if not n.startswith("_")}


# --------------------------------------------------------------------------- TypeScript

_COMMENT = re.compile(r"/\*.*?\*/|//[^\n]*", re.S)
_EXPORT_FROM = re.compile(r"export\s+(type\s+)?(\*|\{([^}]*)\})\s+from\s+['\"]([^'\"]+)['\"]", re.S)
_EXPORT_LOCAL = re.compile(r"export\s+(type\s+)?\{([^}]*)\}\s*;", re.S)
_EXPORT_DECL = re.compile(
    r"export\s+(?:declare\s+)?(?:abstract\s+)?"
    r"(?:const|let|var|function|class|interface|type|enum|namespace)\s+([A-Za-z_$][\w$]*)"
)
_MEMBER = re.compile(r"^\s*(?:(?:public|static|readonly|async)\s+)*([A-Za-z_$][\w$]*)\??\s*[<(]")


def npm_surface(path: Path) -> Surface:
    """The surface of an npm tarball of the TypeScript client (read from its .d.ts files)."""
    files = _strip_root(read_archive(path), "package.json")
    if "package.json" not in files:
        raise ArtifactError(f"{path.name}: no package.json")
    package = json.loads(files["package.json"])
    entry = str(package.get("types") or package.get("typings") or "index.d.ts")
    entry = posixpath.normpath(entry.removeprefix("./"))
    declarations = {
        posixpath.normpath(p): _COMMENT.sub("", data.decode("utf-8"))
        for p, data in files.items()
        if p.endswith(".d.ts")
    }
    if entry not in declarations:
        raise ArtifactError(f"{path.name}: no {entry} (the package's types entry)")
    exports = _ts_exports(entry, declarations, set())
    methods = _ts_methods(declarations)
    schemas = _npm_bundled_schemas(files)
    if schemas is not None:
        messages = messages_from_schemas(*schemas)
    else:
        readme = files.get("README.md", b"").decode("utf-8")
        messages = _with_declared_nesting(messages_from_readme(readme), readme, declarations)
    return Surface(
        name=str(package.get("name", "")),
        version=str(package.get("version", "")),
        messages=messages,
        methods=frozenset(methods),
        exports=frozenset(exports),
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
    section = _README_SECTION.search(text)
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


def _ts_exports(module: str, declarations: dict[str, str], seen: set[str]) -> set[str]:
    if module in seen:
        return set()
    seen.add(module)
    text = declarations[module]
    names = set(_EXPORT_DECL.findall(text))
    for match in _EXPORT_FROM.finditer(text):
        target = _resolve_module(module, match.group(4), declarations)
        if match.group(2) == "*":
            if target is not None:
                names |= _ts_exports(target, declarations, seen)
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
