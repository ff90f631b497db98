"""The release lock: what the last release published, committed in `release/`.

    release/lock.json   the version and API surface on each registry
    release/schemas/    the schema folder of that release (when it came from this repository)

`diff` and `bump` compare against it when no git revision is named, so they work on any
clone, shallow or without tags. `publish` writes it after both uploads succeed; `publish
--record-only` writes it from what the registries hold now (for a release uploaded by CI).

The latest releases of the older generator left no schema folder behind, only packages: for
them the lock holds their API surface alone, and `diff`/`bump` compare message types, fields,
JSON types and required flags against that.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.diffing import Report, compare
from generator.diffing.model import Change, Side
from generator.ir import Catalogue
from generator.publish.artifacts import messages_from_schemas
from generator.publish.surface import Surface, compare_surfaces
from generator.versions import version_key

LOCK_DIR = "release"
LOCK_FILE = "lock.json"
LOCK_SCHEMAS = "schemas"
FORMAT = 1


class LockError(Exception):
    """release/lock.json is missing, unreadable or of an unknown format."""


@dataclass(frozen=True)
class Lock:
    folder: Path
    surfaces: dict[str, Surface]  # registry key ("pypi", "npm") -> what it published
    has_schemas: bool

    @property
    def version(self) -> str:
        """The newest version any registry got: the base of the next version."""
        return max((s.version for s in self.surfaces.values()), key=version_key)

    @property
    def schemas_dir(self) -> Path:
        return self.folder / LOCK_SCHEMAS

    @property
    def label(self) -> str:
        versions = ", ".join(f"{key} {s.version}" for key, s in sorted(self.surfaces.items()))
        return f"release lock ({versions})"


def lock_dir(schemas: str | Path) -> Path:
    """release/ beside the schema folder (both at the repository root)."""
    return Path(schemas).resolve().parent / LOCK_DIR


def read_lock(schemas: str | Path) -> Lock | None:
    folder = lock_dir(schemas)
    path = folder / LOCK_FILE
    if not path.is_file():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("format") != FORMAT:
            raise LockError(f"{path}: unknown format {data.get('format')!r}")
        surfaces = {key: Surface.from_json(s) for key, s in data["registries"].items()}
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise LockError(f"{path}: cannot read the release lock ({exc})") from exc
    if not surfaces:
        raise LockError(f"{path}: records no registry")
    return Lock(folder, surfaces, bool(data.get("schemas")))


def write_lock(schemas: str | Path, surfaces: dict[str, Surface], with_schemas: bool) -> Path:
    """Replace release/ with these surfaces (and a copy of `schemas` when with_schemas)."""
    folder = lock_dir(schemas)
    folder.mkdir(exist_ok=True)
    target = folder / LOCK_SCHEMAS
    if target.exists():
        shutil.rmtree(target)
    if with_schemas:
        shutil.copytree(schemas, target, ignore=shutil.ignore_patterns("__pycache__", ".*"))
    data: dict[str, Any] = {
        "format": FORMAT,
        "about": "What the last release published; written by `worker-client-gen publish`. "
        "Do not edit: `diff` and `bump` compare against it.",
        "schemas": LOCK_SCHEMAS if with_schemas else None,
        "registries": {key: s.to_json() for key, s in sorted(surfaces.items())},
    }
    path = folder / LOCK_FILE
    path.write_text(_dump(data) + "\n", encoding="utf-8")
    return path


def _dump(value: Any, indent: str = "") -> str:
    """JSON with one line per field (`"modelId": {"type": "string", "required": true}`), so a
    release's lock diff reads like the change it records."""
    inner = indent + " "
    if isinstance(value, dict) and value and not _is_leaf(value):
        items = [f"{inner}{json.dumps(k)}: {_dump(v, inner)}" for k, v in value.items()]
        return "{\n" + ",\n".join(items) + "\n" + indent + "}"
    if isinstance(value, list) and len(json.dumps(value)) > 80:
        items = [f"{inner}{json.dumps(v, ensure_ascii=False)}" for v in value]
        return "[\n" + ",\n".join(items) + "\n" + indent + "]"
    return json.dumps(value, ensure_ascii=False)


def _is_leaf(value: dict[str, Any]) -> bool:
    return set(value) == {"type", "required"}


def catalogue_messages(catalogue: Catalogue) -> Surface:
    """The message part of a surface, from a catalogue (methods and exports left empty)."""
    payloads = {m.type: m.title for m in catalogue.messages}
    return Surface(
        name="schemas",
        version=catalogue.version,
        messages=messages_from_schemas(payloads, catalogue.defs),
        methods=frozenset(),
        exports=frozenset(),
    )


def compare_with_lock(
    lock: Lock, current: Catalogue, current_label: str, load: Any
) -> tuple[Report, str]:
    """The report of `current` against the lock, and how to name the base in messages.

    `load(folder)` loads a schema folder (the CLI's loader, which exits on invalid input).
    """
    if lock.has_schemas:
        old: Catalogue = load(str(lock.schemas_dir))
        label = f"{LOCK_DIR}/{LOCK_SCHEMAS} ({old.version})"
        return compare(old, current, label, current_label), label
    new = catalogue_messages(current)
    changes: set[Change] = set()
    for surface in lock.surfaces.values():
        messages_only = Surface(
            surface.name, surface.version, surface.messages, frozenset(), frozenset()
        )
        changes |= set(compare_surfaces(messages_only, new, lock.label, current_label).changes)
    report = Report(
        old=Side(lock.label, lock.version),
        new=Side(current_label, current.version),
        changes=tuple(sorted(changes, key=lambda c: c.sort_key)),
    )
    return report, lock.label
