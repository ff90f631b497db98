"""The TypeScript target: the npm package @mesh-sync/worker-backend-client.

Python decides (type spellings, example payloads, which fields are secret); the templates in
templates/typescript/ lay the package out. The runtime (transport, retries, errors,
validation) is plain source in generator/runtime/typescript/, copied as it is; per-message code
is a one-line method.
"""

from __future__ import annotations

import json
from functools import partial
from typing import Any

from generator import contract, jsontext, regex, semantics, templating
from generator.completions import completions, usage_message, worker_example
from generator.contract.context import template_context
from generator.escaping import ts_data_text
from generator.examples import presented_example
from generator.ir import Catalogue, Field, MessageSpec, ObjectType
from generator.run import Memo, NoMemo
from generator.targets import RunContext, prefix
from generator.targets.typescript_naming import method
from generator.targets.typescript_naming import naming as naming  # see generator.targets
from generator.targets.typescript_types import (
    enum_values,
    json_type,
    ts_literal_type,
    ts_type,
    ts_value,
)

OUTPUT_PREFIX = prefix("typescript")  # the registry says what this target owns
PACKAGE_NAME = "@mesh-sync/worker-backend-client"
# The TypeScript type of a JSON type, for the option types spelled from the contract's schemas.
TS_KINDS = {"integer": "number", "number": "number", "string": "string", "boolean": "boolean"}

# Template (below templates/typescript/) -> output path (below generated/typescript/).
FILES = {
    "package.json.jinja": "package.json",
    "tsconfig.json.jinja": "tsconfig.json",
    "README.md.jinja": "README.md",
    "src/client.ts.jinja": "src/client.ts",
    "src/completions.ts.jinja": "src/completions.ts",
    "src/constants.ts.jinja": "src/constants.ts",
    "src/errors.ts.jinja": "src/errors.ts",
    "src/statusErrors.ts.jinja": "src/statusErrors.ts",
    "src/messageTypes.ts.jinja": "src/messageTypes.ts",
    "src/responses.ts.jinja": "src/responses.ts",
    "src/schemas.ts.jinja": "src/schemas.ts",
    "src/types.ts.jinja": "src/types.ts",
}
# The rest of src/ (transport, retries, errors, redaction, validation) is the same for every
# catalogue: generator/runtime/typescript/, copied as it is.


def render(catalogue: Catalogue, run: RunContext) -> dict[str, str]:
    context = build_context(catalogue, run.memo)
    table = run.speed.pieces(jsontext.TABLE_KIND, "typescript:src/schemas.ts")
    # SCHEMA_DEFS: sorted, ASCII JSON, encoded one definition at a time.
    context["defs_ts"] = ts_data_text(
        jsontext.indented(catalogue.shared_defs, 2, True, table, depth=1)
    )
    table.save()
    files = {
        OUTPUT_PREFIX + out: templating.render("typescript", template, run.speed, **context)
        for template, out in FILES.items()
    }
    for path, text in templating.runtime_files("typescript").items():
        files[OUTPUT_PREFIX + path] = text
    return dict(sorted(files.items()))


def build_context(catalogue: Catalogue, memo: Memo | None = None) -> dict[str, Any]:
    memo = memo or NoMemo()
    messages = [
        memo.value("typescript-message", m, partial(_message, catalogue, m))
        for m in catalogue.messages
    ]
    pairs = completions(catalogue)
    by_type = {m["type"]: m for m in messages}
    handled, reported = worker_example(catalogue)
    worker_message = by_type[handled]
    completion = by_type.get(reported or "")
    return {
        "worker": {"message": worker_message, "completion": completion},
        "package_name": PACKAGE_NAME,
        "version": catalogue.version,
        **template_context(),
        "ts_kinds": TS_KINDS,
        "ts_answers": [
            ("JobResponse", contract.JOB_RESPONSE_FIELDS, "JOB_RESPONSE_SHAPE"),
            ("JobStatus", contract.JOB_STATUS_FIELDS, "JOB_STATUS_SHAPE"),
        ],
        "messages": messages,
        "completions": pairs,
        "usage": by_type[usage_message(catalogue)],
        "types": [
            memo.value("typescript-interface", t, partial(_interface, t)) for t in catalogue.types
        ],
        "aliases": [
            {"name": a.name, "description": a.description, "type": ts_type(a.type)}
            for a in catalogue.aliases
        ],
        # Each pattern in RE2 syntax for the runtime's linear-time matcher (generator.regex).
        "patterns": {
            p: regex.translate(p)
            for p in sorted(semantics.patterns_of_defs(catalogue.shared_defs, memo))
        },
        "checked_formats": semantics.CHECKED_FORMATS,
        "secret_field_names": catalogue.secret_field_names,
        # generator.schema's rule for credential-like names: the runtime redacts by the same one.
        "secret_name_pattern": _js_pattern(contract.SECRET_NAME_RE.pattern),
    }


def _js_pattern(pattern: str) -> str:
    """A Python regex as JavaScript RegExp source: the inline (?i) flag becomes the "i" flag."""
    if not pattern.startswith("(?i)") or "(?" in pattern[4:]:
        raise ValueError(f"cannot carry {pattern!r} to JavaScript")
    return pattern[4:]


def _message(catalogue: Catalogue, msg: MessageSpec) -> dict[str, Any]:
    example = presented_example(catalogue, msg)
    return {
        "type": msg.type,
        "constant": msg.names.constant,
        "method": method(msg.type),
        "title": msg.title,
        "description": msg.description,
        # The first paragraph, for one-line listings (the API reference).
        "summary": msg.description.split("\n\n", 1)[0],
        "fields": [_readme_field(catalogue, f) for f in msg.payload.fields],
        "example": example,
        "example_ts": ts_value(example),
        "has_required": any(f.required for f in msg.payload.fields),
    }


def _readme_field(catalogue: Catalogue, field: Field) -> dict[str, Any]:
    shown = catalogue.resolve(field.type)
    items = catalogue.resolve(shown.items) if shown.items else None
    return {
        "name": field.name,
        "json_type": json_type(shown),
        "ts_type": ts_type(field.type, literals=False),
        "enum": [_enum_display(v) for v in enum_values(shown)],
        "format": shown.format or (items.format if items else None),
        "required": field.required,
        "description": field.description,
        "secret": field.secret,
    }


def _enum_display(value: object) -> str:
    """An enum value as the README shows it: strings as they are, unless they hold line breaks
    or control characters, which are shown escaped; other values as their TS literal."""
    if not isinstance(value, str):
        return ts_literal_type(value)
    if any(ord(c) < 0x20 or c in "\u2028\u2029\x7f" for c in value):
        return json.dumps(value, ensure_ascii=False)[1:-1]
    return value


def _interface(obj: ObjectType) -> dict[str, Any]:
    return {
        "name": obj.name,
        "description": obj.description,
        "message": obj.message,
        "open": obj.extra is not None,
        "fields": [
            {
                "name": f.name,
                "optional": not f.required,
                "type": ts_type(f.type),
                "description": f.description,
                "secret": f.secret,
                "deprecated": f.deprecated,
                "read_only": f.read_only,
            }
            for f in obj.fields
        ],
    }
