"""The Python client: `generated/python/`, distribution mesh-sync-worker-backend-client.

Python decides, templates lay out: this module turns the catalogue into template context
(`MessageView`s), renders `templates/python/`, adds the payload TypedDicts (python_types) and
the bundled schemas, and formats every rendered Python file with black (piece by piece, see
pyformat; types.py is written in black's layout, and only its odd blocks go through black).
The runtime, the same for every catalogue, is copied from generator/runtime/python/.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from functools import partial

from generator import contract, jsontext, semantics, templating
from generator.completions import completions, usage_message, worker_example
from generator.contract.context import template_context
from generator.examples import presented_example
from generator.ir import Catalogue, MessageNames, MessageSpec
from generator.pyformat import format_python
from generator.run import Memo, NoMemo
from generator.targets import RunContext, prefix
from generator.targets.python_examples import py_literal
from generator.targets.python_naming import method
from generator.targets.python_naming import naming as naming  # see generator.targets
from generator.targets.python_types import py_annotation, render_payload_types, type_names

OUTPUT_PREFIX = prefix("python")  # the registry says what this target owns
PACKAGE = "worker_client"
# Formatted pieces of each file are remembered under this name plus the file's path.
PACKAGE_TABLE = "python:"

# template (below templates/python/) -> output path (below generated/python/)
TEMPLATES = {
    "pyproject.toml.jinja": "pyproject.toml",
    "README.md.jinja": "README.md",
    "Dockerfile.jinja": "Dockerfile",
    f"{PACKAGE}/__init__.py.jinja": f"{PACKAGE}/__init__.py",
    f"{PACKAGE}/_constants.py.jinja": f"{PACKAGE}/_constants.py",
    f"{PACKAGE}/_exceptions.py.jinja": f"{PACKAGE}/_exceptions.py",
    f"{PACKAGE}/_models.py.jinja": f"{PACKAGE}/_models.py",
    f"{PACKAGE}/_methods.py.jinja": f"{PACKAGE}/_methods.py",
    f"{PACKAGE}/message_types.py.jinja": f"{PACKAGE}/message_types.py",
    f"{PACKAGE}/_handlers.py.jinja": f"{PACKAGE}/_handlers.py",
}
# The rest of the package (transport, retries, errors, redaction, validation, both clients) is
# the same for every catalogue: generator/runtime/python/, copied as it is.
# The Python type of a JSON type, for the option types spelled from the contract's schemas.
PY_KINDS = {"integer": "int", "number": "float", "string": "str", "boolean": "bool"}


@dataclass(frozen=True)
class FieldView:
    name: str
    type: str  # Python annotation, e.g. list[StorageLocation]
    required: bool
    description: str


@dataclass(frozen=True)
class MessageView:
    spec: MessageSpec
    method: str  # the client method, spelled by this target's naming rules
    fields: tuple[FieldView, ...]
    example: str  # Python source of a valid payload, safe inside a Markdown code fence
    required: tuple[str, ...]

    # The templates read these like MessageSpec's own attributes.
    @property
    def type(self) -> str:
        return self.spec.type

    @property
    def title(self) -> str:
        return self.spec.title

    @property
    def description(self) -> str:
        return self.spec.description

    @property
    def names(self) -> MessageNames:
        return self.spec.names


def render(catalogue: Catalogue, run: RunContext) -> dict[str, str]:
    rendered: dict[str, str] = {
        f"{OUTPUT_PREFIX}{PACKAGE}/types.py": render_payload_types(catalogue, run.speed)
    }
    context = _context(catalogue, run.memo)
    files: dict[str, str] = {}
    for template, output in TEMPLATES.items():
        files[output] = templating.render("python", template, run.speed, **context)
    files[f"{PACKAGE}/schemas.json"] = _schemas_json(catalogue, run)
    for path, text in files.items():
        rendered[OUTPUT_PREFIX + path] = (
            format_python(text, PACKAGE_TABLE + path, run.speed) if path.endswith(".py") else text
        )
    # Already black-formatted source (the lint gate checks it there).
    for path, text in templating.runtime_files("python").items():
        rendered[OUTPUT_PREFIX + path] = text
    return dict(sorted(rendered.items()))


def _context(catalogue: Catalogue, memo: Memo | None = None) -> dict[str, object]:
    memo = memo or NoMemo()
    messages = [
        memo.value("python-message", m, partial(_message_view, catalogue, m))
        for m in catalogue.messages
    ]
    by_type = {m.type: m for m in messages}
    primary = by_type[usage_message(catalogue)]
    # The validation example needs a payload that can be wrong: one with a required field.
    strict = primary if primary.required else next((m for m in messages if m.required), primary)
    pairs = completions(catalogue)
    titles = {m.type: m.title for m in catalogue.messages}
    handled, reported = worker_example(catalogue)
    worker_message = by_type[handled]
    completion = by_type.get(reported or "")
    return {
        "version": catalogue.version,
        **template_context(),
        "py_kinds": PY_KINDS,
        "wrap": textwrap.wrap,
        "answers": [
            (
                "JobResponse",
                "The answer to an enqueue.",
                contract.JOB_RESPONSE_FIELDS,
                "_JOB_RESPONSE_SHAPE",
            ),
            (
                "JobStatus",
                "A job as the worker backend reports it.",
                contract.JOB_STATUS_FIELDS,
                "_JOB_STATUS_SHAPE",
            ),
        ],
        "worker": {"message": worker_message, "completion": completion},
        "job_states": contract.JOB_STATES,
        "completions": pairs,
        "completion_titles": {request: titles[done] for request, done in pairs.items()},
        "handler_type_names": sorted({m.title for m in catalogue.messages}),
        "messages": messages,
        # send_to_queue gets one typed overload per message type; typing needs two or more.
        "overloaded": len(messages) > 1,
        "primary": primary,
        "strict": strict,
        "type_names": type_names(catalogue),
        "secret_fields": catalogue.secret_field_names,
        "unchecked_formats": sorted(semantics.UNCHECKED),
    }


def _message_view(catalogue: Catalogue, message: MessageSpec) -> MessageView:
    fields = tuple(
        FieldView(f.name, py_annotation(f.type), f.required, f.description)
        for f in message.payload.fields
    )
    return MessageView(
        spec=message,
        method=method(message.type),
        fields=fields,
        example=py_literal(presented_example(catalogue, message)),
        required=tuple(f.name for f in fields if f.required),
    )


def _schemas_json(catalogue: Catalogue, run: RunContext) -> str:
    """The validation bundle: every $defs entry, and the payload type of each message type."""
    bundle = {
        "$defs": catalogue.shared_defs,
        "messages": {m.type: m.title for m in catalogue.messages},
    }
    table = run.speed.pieces(jsontext.TABLE_KIND, PACKAGE_TABLE + "schemas.json")
    text = jsontext.indented(bundle, 1, False, table)
    table.save()
    return text + "\n"
