"""Output targets. Each is registered below with what it owns below --out (a folder ending
in "/" or a single file), and is a module with

    def render(catalogue) -> dict[str, str | Callable[[], str]]

mapping a path relative to --out to the file's text, or to a function that waits for the
text (work a target started in the background; it is collected after every target ran).
Optionally, a target module also has

    EARLY = True       # render it before the others, so its background work overlaps them
    def warm_up()      # run in a worker forked before the schemas load (slow imports)

Targets are imported only when used, so `validate` never pays for datamodel-code-generator.
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Callable
from types import ModuleType

from generator.ir import Catalogue

# name -> (module, what it owns below --out). The prefix lives here, and only here, so that
# a cached `check` never imports a target (and its heavy dependencies).
TARGETS: dict[str, tuple[str, str]] = {
    "python": ("generator.targets.python", "python/"),
    "typescript": ("generator.targets.typescript", "typescript/"),
    "openapi": ("generator.targets.openapi", "openapi.yaml"),
    "asyncapi": ("generator.targets.asyncapi", "asyncapi.yaml"),
}


def available() -> list[str]:
    """Registered targets whose module is present, in registration order."""
    return [n for n, (module, _) in TARGETS.items() if importlib.util.find_spec(module)]


def load(name: str) -> ModuleType:
    return importlib.import_module(TARGETS[name][0])


Pending = str | Callable[[], str]


def render(catalogue: Catalogue, name: str) -> dict[str, Pending]:
    module = load(name)
    files: dict[str, Pending] = module.render(catalogue)
    owned = prefix(name)
    for path in files:
        if not (path == owned or (owned.endswith("/") and path.startswith(owned))):
            raise ValueError(f"target {name} rendered {path!r} outside its prefix {owned!r}")
    return files


def prefix(name: str) -> str:
    return TARGETS[name][1]
