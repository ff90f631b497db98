"""The API surface of the Python client's wheel or sdist, read with `ast` (nothing runs).

Methods are those of `WorkerClient`, its base classes within the package included; exports
are the names `worker_client/__init__.py` binds or lists in `__all__`.
"""

from __future__ import annotations

import ast
import json
from pathlib import Path, PurePosixPath

from generator.publish.artifacts import (
    CLIENT_CLASS,
    ArtifactError,
    messages_from_readme,
    messages_from_schemas,
    read_archive,
    strip_root,
)
from generator.publish.behaviour import ANY_OPTION, BARE, Behaviour, Param, envelope
from generator.publish.surface import Surface

PY_PACKAGE = "worker_client"


def python_surface(path: Path) -> Surface:
    """The surface of a wheel or sdist of the Python client."""
    files = read_archive(path)
    if path.suffix != ".whl":  # an sdist: everything sits below `<name>-<version>/`
        files = strip_root(files, "PKG-INFO")
    return python_surface_of(files, path.name)


def python_surface_of(files: dict[str, bytes], label: str) -> Surface:
    """The surface of the package files (paths as in a wheel: `worker_client/...`)."""
    modules = {
        PurePosixPath(p).stem: data.decode("utf-8")
        for p, data in files.items()
        if p.startswith(f"{PY_PACKAGE}/") and p.endswith(".py") and p.count("/") == 1
    }
    if "__init__" not in modules:
        raise ArtifactError(f"{label}: no {PY_PACKAGE}/__init__.py")
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
    exports = _python_exports(trees)
    return Surface(
        name=name,
        version=version,
        messages=messages,
        methods=frozenset(_python_methods(trees)),
        exports=frozenset(exports),
        behaviour=Behaviour(
            wire=_python_wire(trees),
            constructor=_python_constructor(trees),
            requires=(
                f"python {metadata['Requires-Python']}"
                if metadata.get("Requires-Python")
                else "python *"
            ),
            job_options=_python_job_options(trees),
            errors=tuple(sorted(_python_errors(trees) & exports)),
        ),
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


def _python_wire(trees: dict[str, ast.Module]) -> str:
    """The enqueue's body: a dict literal with a "payload" key given as `json=` or to
    `json.dumps`, else the bare value a `.post(..., json=<name>)` sends; "" when unseen."""
    bare = False
    for tree in trees.values():
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            values = [k.value for k in node.keywords if k.arg == "json"]
            func = node.func
            if isinstance(func, ast.Attribute) and func.attr == "dumps" and node.args:
                values.append(node.args[0])
            for value in values:
                keys = _literal_keys(value)
                if "payload" in keys:
                    return envelope(keys)
                is_post = isinstance(func, ast.Attribute) and func.attr == "post"
                bare = bare or (is_post and isinstance(value, ast.Name))
    return BARE if bare else ""


def _literal_keys(node: ast.expr) -> list[str]:
    if not isinstance(node, ast.Dict):
        return []
    return [k.value for k in node.keys if isinstance(k, ast.Constant) and isinstance(k.value, str)]


def _python_constructor(trees: dict[str, ast.Module]) -> tuple[Param, ...] | None:
    """WorkerClient.__init__'s parameters (self aside), from the class or its bases."""
    classes = _python_classes(trees)
    pending = [CLIENT_CLASS]
    while pending:
        cls = classes.get(pending.pop(0))
        if cls is None:
            continue
        for node in cls.body:
            if isinstance(node, ast.FunctionDef) and node.name == "__init__":
                return _parameters(node.args)
        pending += [b.id for b in cls.bases if isinstance(b, ast.Name)]
    return None


def _parameters(args: ast.arguments) -> tuple[Param, ...]:
    positional = [*args.posonlyargs, *args.args][1:]  # self
    defaults: list[ast.expr | None] = [None] * (len(positional) - len(args.defaults))
    defaults += list(args.defaults)
    params = [
        Param(a.arg, d is None, ast.unparse(d) if d is not None else "")
        for a, d in zip(positional, defaults, strict=True)
    ]
    params += [
        Param(a.arg, d is None, ast.unparse(d) if d is not None else "", keyword_only=True)
        for a, d in zip(args.kwonlyargs, args.kw_defaults, strict=True)
    ]
    return tuple(params)


def _python_job_options(trees: dict[str, ast.Module]) -> tuple[str, ...]:
    """The keys of the package's JobOptions TypedDict; else any option when send_to_queue
    takes `opts`; else none."""
    classes = _python_classes(trees)
    options = classes.get("JobOptions")
    if options is not None:
        return tuple(
            sorted(
                node.target.id
                for node in options.body
                if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name)
            )
        )
    for cls in classes.values():
        for node in cls.body:
            if isinstance(node, ast.FunctionDef) and node.name == "send_to_queue":
                names = [a.arg for a in [*node.args.args, *node.args.kwonlyargs]]
                return (ANY_OPTION,) if "opts" in names else ()
    return ()


def _python_errors(trees: dict[str, ast.Module]) -> set[str]:
    """Classes of the package that derive from an exception, however indirectly."""
    classes = _python_classes(trees)
    errors: set[str] = set()
    changed = True
    while changed:
        changed = False
        for name, cls in classes.items():
            bases = {b.id for b in cls.bases if isinstance(b, ast.Name)}
            if name not in errors and bases & (errors | {"Exception", "BaseException"}):
                errors.add(name)
                changed = True
    return errors
