"""The Python target's naming rules, read from the runtime itself: a message method may not
take a member of WorkerClient or AsyncWorkerClient (or of a class they inherit), and a schema
type may not take a name the package's modules define or import."""

from __future__ import annotations

import ast
import functools
import keyword
import re

from generator import contract
from generator.naming import NamingRules, snake, template_lines
from generator.targets import python_types
from generator.templating import runtime_root, templates_root

CLIENT_CLASSES = ("WorkerClient", "AsyncWorkerClient")
# What types.py itself imports: a type of that name would shadow them there.
TYPES_MODULE_NAMES = python_types.MODULE_NAMES
_DEF = re.compile(r"^\s*(?:async\s+)?def ([A-Za-z_]\w*)\(", re.M)
_IMPORTED = re.compile(r"^from \S+ import \(([^)]*)\)|^from \S+ import ([^(\n]+)$", re.M)
_ALL_ENTRY = re.compile(r"^\s+\"([A-Za-z_]\w*)\",$", re.M)


def method(kebab: str) -> str:
    """The client method of a message type: snake_case, a keyword (and `self`, `cls`) with a
    trailing underscore."""
    name = snake(kebab)
    if keyword.iskeyword(name) or keyword.issoftkeyword(name) or name in {"self", "cls"}:
        return name + "_"
    return name


@functools.cache
def naming() -> NamingRules:
    runtime = runtime_root() / "python" / "worker_client"
    templates = templates_root() / "python" / "worker_client"
    modules = {p.stem: ast.parse(p.read_text(encoding="utf-8")) for p in runtime.glob("*.py")}
    template_text = {
        p.name: template_lines(p.read_text(encoding="utf-8")) for p in templates.glob("*.jinja")
    }
    members: set[str] = set()
    classes = {
        node.name: node
        for tree in modules.values()
        for node in tree.body
        if isinstance(node, ast.ClassDef)
    }
    todo = list(CLIENT_CLASSES)
    while todo:
        cls = classes.get(todo.pop())
        if cls is None:
            continue
        members |= _members(cls)
        todo += [_base_name(b) for b in cls.bases]
    # MessageMethods (send_to_queue and one method per message) is rendered from a template.
    for text in template_text.values():
        members |= set(_DEF.findall(text))
    types: set[str] = set(TYPES_MODULE_NAMES)
    for tree in modules.values():
        types |= _top_level_names(tree)
    for text in template_text.values():
        for group in _IMPORTED.findall(text):
            types |= {n.split(" as ")[-1].strip() for n in "".join(group).split(",") if n.strip()}
        types |= set(_ALL_ENTRY.findall(text))
    types |= contract.exported_names()
    return NamingRules(
        language="Python",
        method=method,
        reserved_members=frozenset(m for m in members if not m.startswith("_")),
        reserved_types=frozenset(t for t in types if not t.startswith("_")),
    )


def _base_name(node: ast.expr) -> str:
    while isinstance(node, ast.Subscript):
        node = node.value  # MessageMethods[JobResponse]
    return node.id if isinstance(node, ast.Name) else ""


def _members(cls: ast.ClassDef) -> set[str]:
    found: set[str] = set()
    for node in cls.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            found.add(node.name)
            for sub in ast.walk(node):
                if (
                    isinstance(sub, ast.Attribute)
                    and isinstance(sub.ctx, ast.Store)
                    and isinstance(sub.value, ast.Name)
                    and sub.value.id == "self"
                ):
                    found.add(sub.attr)
        elif isinstance(node, ast.Assign):
            found |= {t.id for t in node.targets if isinstance(t, ast.Name)}
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            found.add(node.target.id)
    return found


def _top_level_names(tree: ast.Module) -> set[str]:
    found: set[str] = set()
    for node in tree.body:
        if isinstance(node, (ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            found.add(node.name)
        elif isinstance(node, ast.Assign):
            found |= {t.id for t in node.targets if isinstance(t, ast.Name)}
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            found.add(node.target.id)
        elif isinstance(node, ast.ImportFrom):
            found |= {(a.asname or a.name) for a in node.names}
    return found
