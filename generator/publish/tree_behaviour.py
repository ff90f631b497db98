"""The Behaviour of the packages about to be released, read from `generated/` itself (no
build): what `bump` compares with the release lock, so that a behaviour change picks the
version step as a schema change does. The same readers as for artifacts run on the same
files (the TypeScript sources stand in for their declarations and compiled scripts)."""

from __future__ import annotations

import json
import re
from pathlib import Path

from generator.diffing.model import Change, Severity
from generator.publish.artifacts import ArtifactError
from generator.publish.behaviour import Behaviour, compare_behaviour
from generator.publish.lock import Lock
from generator.publish.npm_artifact import COMMENT, ts_exports
from generator.publish.npm_behaviour import npm_behaviour
from generator.publish.python_artifact import PY_PACKAGE, python_surface_of


def generated_behaviours(generated: Path) -> dict[str, Behaviour]:
    """Registry key ("pypi", "npm") -> the behaviour of that package in `generated`, for the
    packages present there. ArtifactError when one cannot be read."""
    try:
        return _behaviours(generated)
    except (OSError, UnicodeDecodeError, ValueError, KeyError) as exc:
        raise ArtifactError(f"cannot read the packages in {generated}: {exc}") from None


def _behaviours(generated: Path) -> dict[str, Behaviour]:
    found: dict[str, Behaviour] = {}
    python = generated / "python"
    if (python / "pyproject.toml").is_file():
        found["pypi"] = _python_tree(python)
    typescript = generated / "typescript"
    if (typescript / "package.json").is_file():
        found["npm"] = _npm_tree(typescript)
    return found


# PKG-INFO header -> its [project] key in pyproject.toml
METADATA = (("Name", "name"), ("Version", "version"), ("Requires-Python", "requires-python"))


def _python_tree(folder: Path) -> Behaviour:
    # The generator wrote this pyproject.toml: one `key = "value"` line per field (tomllib
    # would read it too, but is not in Python 3.10).
    text = (folder / "pyproject.toml").read_text(encoding="utf-8")
    fields = re.findall(r'^([a-z-]+) = "([^"\n]*)"$', text.partition("[project]")[2], re.M)
    project = dict(fields)
    metadata = "".join(f"{key}: {project[name]}\n" for key, name in METADATA if name in project)
    files = {"PKG-INFO": (metadata + "\n").encode()}
    for path in sorted((folder / PY_PACKAGE).iterdir()):
        if path.suffix in (".py", ".json"):
            files[f"{PY_PACKAGE}/{path.name}"] = path.read_bytes()
    return python_surface_of(files, str(folder)).behaviour


def _npm_tree(folder: Path) -> Behaviour:
    package = json.loads((folder / "package.json").read_text(encoding="utf-8"))
    sources = {
        f"dist/{path.relative_to(folder / 'src').with_suffix('').as_posix()}.d.ts": COMMENT.sub(
            "", path.read_text(encoding="utf-8")
        )
        for path in sorted((folder / "src").rglob("*.ts"))
    }
    exports = (
        ts_exports("dist/index.d.ts", sources, set()) if "dist/index.d.ts" in sources else set()
    )
    scripts = {re.sub(r"\.d\.ts$", ".js", p): text for p, text in sources.items()}
    return npm_behaviour(package, sources, scripts, exports)


def behaviour_changes(lock: Lock, generated: Path) -> list[Change]:
    """Every behaviour change of the packages in `generated` since the release the lock
    records (a fact either side does not know is not compared)."""
    changes: list[Change] = []

    def add(owner: str, what: str, severity: Severity, code: str, detail: str) -> None:
        changes.append(Change(owner, what, severity, code, detail))

    now = generated_behaviours(generated)
    for key, released in sorted(lock.surfaces.items()):
        if key in now:
            compare_behaviour(released.name, released.behaviour, now[key], add)
    return changes
