"""Output targets. Each is a module with

    OUTPUT_PREFIX: str                 # what it owns below --out, e.g. "python/"
    def render(catalogue) -> dict[str, str]   # relative path below --out -> file text

Targets are imported only when used, so `validate` never pays for datamodel-code-generator.
"""

from __future__ import annotations

import importlib
import importlib.util
from types import ModuleType

from generator.ir import Catalogue

TARGETS: dict[str, str] = {
    "python": "generator.targets.python",
    "typescript": "generator.targets.typescript",
    "openapi": "generator.targets.openapi",
}


def available() -> list[str]:
    """Registered targets whose module is present, in registration order."""
    found = []
    for name, module in TARGETS.items():
        if importlib.util.find_spec(module) is not None:
            found.append(name)
    return found


def load(name: str) -> ModuleType:
    return importlib.import_module(TARGETS[name])


def render(catalogue: Catalogue, name: str) -> dict[str, str]:
    module = load(name)
    files: dict[str, str] = module.render(catalogue)
    prefix: str = module.OUTPUT_PREFIX
    for path in files:
        if not path.startswith(prefix) and path != prefix:
            raise ValueError(f"target {name} rendered {path!r} outside its prefix {prefix!r}")
    return files


def prefix(name: str) -> str:
    return str(load(name).OUTPUT_PREFIX)
