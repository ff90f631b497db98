"""Output targets. Each is one line in TARGETS below (its name, its module and what it owns
below --out: a folder ending in "/" or a single file), and is a module with

    def render(catalogue, run) -> dict[str, str]

mapping a path relative to --out to the file's text. `run` is the RunContext of this run
(generator.run: the Speed it may go faster through), passed explicitly. Optionally, a target
module also has

    def naming() -> NamingRules   # its identifier rules and reserved names (generator.naming);
                                  # generator.schema refuses message and type names that break them

Targets are imported only when used, so `validate` never pays for black or Jinja.
"""

from __future__ import annotations

import importlib
import importlib.util
from dataclasses import dataclass
from types import ModuleType
from typing import TYPE_CHECKING

from generator.run import RunContext

if TYPE_CHECKING:
    from generator.ir import Catalogue
    from generator.naming import NamingRules


@dataclass(frozen=True)
class Target:
    name: str
    module: str
    # What the target owns below --out. It lives here, and only here, so that a cached
    # `check` never imports a target (and its heavy dependencies).
    owns: str


__all__ = ["TARGETS", "RunContext", "Target", "available", "load", "naming_rules", "render"]

TARGETS: dict[str, Target] = {
    t.name: t
    for t in (
        Target("python", "generator.targets.python", "python/"),
        Target("typescript", "generator.targets.typescript", "typescript/"),
        Target("openapi", "generator.targets.openapi", "openapi.yaml"),
        Target("asyncapi", "generator.targets.asyncapi", "asyncapi.yaml"),
    )
}


def available() -> list[str]:
    """Registered targets whose module is present, in registration order."""
    return [n for n, t in TARGETS.items() if importlib.util.find_spec(t.module)]


def load(name: str) -> ModuleType:
    return importlib.import_module(TARGETS[name].module)


def naming_rules() -> dict[str, NamingRules]:
    """The naming rules of every available target that declares them."""
    rules: dict[str, NamingRules] = {}
    for name in available():
        declare = getattr(load(name), "naming", None)
        if declare is not None:
            rules[name] = declare()
    return rules


def reserved_type_names() -> frozenset[str]:
    """Names no schema type may take: any target's package keeps them for itself."""
    names: frozenset[str] = frozenset()
    for rules in naming_rules().values():
        names |= rules.reserved_types
    return names


def render(catalogue: Catalogue, name: str, run: RunContext) -> dict[str, str]:
    module = load(name)
    files: dict[str, str] = module.render(catalogue, run)
    owned = prefix(name)
    for path in files:
        if not (path == owned or (owned.endswith("/") and path.startswith(owned))):
            raise ValueError(f"target {name} rendered {path!r} outside its prefix {owned!r}")
    return files


def prefix(name: str) -> str:
    return TARGETS[name].owns
