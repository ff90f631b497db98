"""The schema package: a schema folder in, a validated Catalogue (generator.ir) out, or every
SchemaError found on the way. Its public face is this module; the modules below are its
rooms (docs/architecture.md): files (reading and limits), checks, builder, bundling,
examples, collisions, reload, load."""

from __future__ import annotations

from generator.errors import SchemaError, SchemaErrors
from generator.schema.builder import def_type_name
from generator.schema.files import SEMVER_RE, VERSION_FILE, fingerprint_folder
from generator.schema.load import Loaded, load_again, load_schemas
from generator.schema.reload import Snapshot

__all__ = [
    "SEMVER_RE",
    "VERSION_FILE",
    "Loaded",
    "SchemaError",
    "SchemaErrors",
    "Snapshot",
    "def_type_name",
    "fingerprint_folder",
    "load_again",
    "load_schemas",
]
