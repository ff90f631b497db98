"""The shape of the generator package, held from outside (issue 22): no import cycles, no
module over 500 lines and no function over 80 (the runtime sources, which are copied into
the generated packages, aside), and docs/architecture.md names only modules that exist and
every module there is."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "generator"
RUNTIME = PACKAGE / "runtime"
ARCHITECTURE = ROOT / "docs" / "architecture.md"
MAX_MODULE_LINES = 500
MAX_FUNCTION_LINES = 80


def _modules() -> dict[str, Path]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        if RUNTIME in path.parents:
            continue
        parts = path.relative_to(ROOT).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


MODULES = _modules()


def _imports(name: str, path: Path) -> set[str]:
    """Every generator module `name` imports, wherever the import stands (a function body
    or an `if TYPE_CHECKING:` block counts: a cycle through a lazy import is still one)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([base] if base else [])])
            for alias in node.names:
                # `from generator.x import y` imports the module generator.x.y when there
                # is one, else a name of generator.x.
                sub = f"{base}.{alias.name}"
                found.add(sub if sub in MODULES else base)
    return {_owner(n) for n in found if _owner(n) is not None and _owner(n) != name}


def _owner(dotted: str) -> str | None:
    while dotted:
        if dotted in MODULES:
            return dotted
        dotted = dotted.rpartition(".")[0]
    return None


def _graph() -> dict[str, set[str]]:
    return {name: _imports(name, path) for name, path in MODULES.items()}


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph[node]):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_no_import_cycles() -> None:
    assert _cycles(_graph()) == []


def test_the_cycle_finder_finds_a_cycle() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert _cycles(graph) == [["a", "b", "c"]]


def test_lazy_and_type_checking_imports_count(tmp_path: Path) -> None:
    source = "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from generator.ir import X\n"
    source += "def f():\n    from generator import naming\n"
    path = tmp_path / "probe.py"
    path.write_text(source)
    assert _imports("generator.probe", path) == {"generator.ir", "generator.naming"}


@pytest.mark.parametrize("name", sorted(MODULES))
def test_module_size(name: str) -> None:
    path = MODULES[name]
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_MODULE_LINES, f"{path.relative_to(ROOT)} has {lines} lines"
    long = [
        f"{node.name} ({node.end_lineno - node.lineno + 1} lines, line {node.lineno})"
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
        and node.end_lineno is not None
        and node.end_lineno - node.lineno + 1 > MAX_FUNCTION_LINES
    ]
    assert not long, f"{path.relative_to(ROOT)}: functions over {MAX_FUNCTION_LINES} lines: {long}"


def _named_paths() -> set[str]:
    text = ARCHITECTURE.read_text(encoding="utf-8")
    return set(re.findall(r"`(generator/[A-Za-z0-9_/.]*)`", text))


def test_architecture_names_only_what_exists() -> None:
    missing = sorted(p for p in _named_paths() if not (ROOT / p.rstrip("/")).exists())
    assert not missing, f"docs/architecture.md names paths that do not exist: {missing}"


def test_architecture_names_every_module() -> None:
    named = _named_paths()
    unnamed = sorted(
        path.relative_to(ROOT).as_posix()
        for path in MODULES.values()
        if path.name not in ("__init__.py", "__main__.py")
        and path.relative_to(ROOT).as_posix() not in named
    )
    assert not unnamed, f"docs/architecture.md does not name: {unnamed}"


# The core: from schema files to rendered text. It may be handed a Speed (generator.run),
# never import the speed layer that makes one.
CORE = ("generator.schema", "generator.targets", "generator.ir", "generator.run")
CORE_MODULES = ("generator.templating", "generator.pyformat", "generator.yamldump")
CORE_MODULES += ("generator.jsontext", "generator.semantics", "generator.pipeline")


def _reached(graph: dict[str, set[str]], start: str) -> set[str]:
    seen, todo = set(), [start]
    while todo:
        for nxt in graph[todo.pop()] - seen:
            seen.add(nxt)
            todo.append(nxt)
    return seen


def test_the_core_does_not_import_the_speed_layer() -> None:
    graph = _graph()
    core = [
        m
        for m in MODULES
        if m in CORE_MODULES or any(m == c or m.startswith(c + ".") for c in CORE)
    ]
    assert len(core) > 20
    offenders = {
        m: sorted(r for r in _reached(graph, m) if r.startswith("generator.speed")) for m in core
    }
    assert {m: r for m, r in offenders.items() if r} == {}
