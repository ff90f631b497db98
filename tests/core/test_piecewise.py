"""Piecewise generation changes only the time: every piece-by-piece path gives exactly what
the one-shot path gives (black over a whole file, one YAML dump), and an incremental run
gives exactly what a run without any cache gives."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from support import FIXTURES, ROOT

from generator import templating, yamldump
from generator.ir import Catalogue
from generator.pipeline import render_folder
from generator.pyformat import black_format, format_python, split
from generator.run import NO_SPEED
from generator.schema import load_schemas
from generator.speed import on_disk
from generator.targets import asyncapi, openapi, python_types
from generator.targets import python as python_target

CATALOGUES = {
    "schemas": ROOT / "schemas",
    "naming": FIXTURES / "naming",
    "python-escaping": FIXTURES / "python-escaping",
    "serve": FIXTURES / "serve",
    "minimal": FIXTURES / "minimal",
}


@pytest.fixture(scope="module", params=sorted(CATALOGUES))
def catalogue(request: pytest.FixtureRequest) -> Catalogue:
    return load_schemas(CATALOGUES[request.param])


def test_types_py_is_black_stable_and_complete(catalogue: Catalogue) -> None:
    source = python_types.render_payload_types(catalogue)
    assert black_format(source) == source
    namespace: dict[str, object] = {}
    exec(compile(source, "types.py", "exec"), namespace)  # noqa: S102 - our own output
    assert set(python_types.type_names(catalogue)) <= set(namespace)


def test_piecewise_black_equals_black_over_the_whole_file(catalogue: Catalogue) -> None:
    context = python_target._context(catalogue)
    checked = 0
    for template, output in python_target.TEMPLATES.items():
        if not output.endswith(".py"):
            continue
        source = templating.render("python", template, **context)
        pieces = split(source)
        assert "".join(sep + text for sep, _, text in pieces) == source.rstrip("\n")
        assert format_python(source) == black_format(source), output
        checked += 1
    assert checked >= 4  # __init__, _constants, _methods, message_types


def test_piecewise_black_cuts_where_it_should() -> None:
    source = (
        "import os\n\n\nclass A:\n    x = 1\n\n    def f(self):\n        return 1\n\n"
        "    # about g\n    def g(self):\n        return 2\n\n\n@dataclass\nclass B:\n    pass\n"
    )
    kinds = [(sep, member, text.splitlines()[0]) for sep, member, text in split(source)]
    assert kinds == [
        ("", False, "import os"),
        ("\n\n\n", False, "class A:"),
        ("\n\n", True, "    def f(self):"),  # `g` keeps its comment: no cut before it
        ("\n\n\n", False, "@dataclass"),
    ]
    assert format_python(source) == black_format(source)


def test_piecewise_yaml_equals_one_dump(catalogue: Catalogue) -> None:
    document = openapi.build_document(catalogue)
    text = yamldump.dump_pieces(document, NO_SPEED, name=None)
    assert text == yamldump.dump_yaml(document)
    assert yaml.safe_load(text) == yaml.safe_load(yamldump.dump_yaml(document))
    events = asyncapi.build_document(catalogue)
    pieces = yamldump.dump_pieces(
        events,
        NO_SPEED,
        name=None,
        by_entry=("channels", "operations"),
        components_by_entry=("schemas", "messages"),
    )
    assert pieces == yamldump.dump_yaml(events)


def _edit(folder: Path, name: str, old: str, new: str) -> None:
    path = folder / name
    text = path.read_text(encoding="utf-8")
    assert old in text, (name, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


EDITS = [
    # (file, old, new): a description, a new optional field, a shared definition.
    ("file-download-request.yaml", "description: |\n", "description: |\n  Edited.\n"),
    (
        "file-download-request.yaml",
        "properties:\n",
        "properties:\n  addedField:\n    type: string\n    description: Added by a test.\n",
    ),
    (
        "shared/storage.yaml",
        "description: UUID of the StorageConnection",
        "description: Edited UUID of the StorageConnection",
    ),
]


@pytest.mark.slow
def test_incremental_runs_equal_runs_without_a_cache(tmp_path: Path) -> None:
    schemas = tmp_path / "schemas"
    shutil.copytree(ROOT / "schemas", schemas)
    cache = on_disk(tmp_path / "cache")
    names = ["python", "typescript", "openapi"]
    render_folder(schemas, "schemas", names, cache)  # fills every cache
    for name, old, new in EDITS:
        if not (schemas / name).is_file():
            pytest.skip(f"schemas/{name} is gone: update the edits of this test")
        _edit(schemas, name, old, new)
        cached = render_folder(schemas, "schemas", names, cache).files
        fresh = render_folder(schemas, "schemas", names, NO_SPEED).files
        assert cached == fresh, name
