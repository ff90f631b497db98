"""The Python target as the generator sees it: deterministic, drift-checked, atomic, and safe
whatever text the schemas hold."""

from __future__ import annotations

import ast
import json
import os
import re
import shutil
import subprocess
import sys
import typing
from pathlib import Path

import pytest
import yaml
from py_support import FIXTURES, GENERATED, PACKAGE_DIR, ROOT, SCHEMAS_DIR, run, wcg
from support import JobServer
from support.typecheck import mypy_strict
from typing_extensions import NotRequired

from generator import pipeline
from generator.escaping import clean_text
from generator.examples import example_payload
from generator.ir import Catalogue
from generator.pipeline import render_all
from generator.schema import load_schemas

ESCAPING = FIXTURES / "python-escaping"
NO_CACHE = {"WORKER_CLIENT_GEN_NO_CACHE": "1"}


def read_tree(out: Path, prefix: str = "python/") -> dict[str, bytes]:
    return {rel: (out / rel).read_bytes() for rel in sorted(pipeline.owned_files(out, [prefix]))}


@pytest.mark.slow
def test_generate_is_deterministic_and_matches_what_is_committed(tmp_path: Path) -> None:
    """Two runs in different folders, hash seeds, time zones and locales: identical bytes."""
    settings = [
        {"PYTHONHASHSEED": "1", "TZ": "UTC", "LC_ALL": "C.UTF-8", "LANG": "C.UTF-8"},
        {"PYTHONHASHSEED": "4242", "TZ": "Pacific/Chatham", "LC_ALL": "C", "LANG": "C"},
    ]
    procs = []
    for index, env in enumerate(settings):
        cwd = tmp_path / f"run-{index}" / ("deeper" * index)
        cwd.mkdir(parents=True)
        args = ["generate", "--target", "python", "--schemas", str(SCHEMAS_DIR), "--out", "out"]
        procs.append(
            subprocess.Popen(
                [sys.executable, "-m", "generator", *args],
                cwd=cwd,
                env={**os.environ, **NO_CACHE, **env, "PYTHONPATH": str(ROOT)},
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
        )
    for proc in procs:
        out, err = proc.communicate(timeout=600)
        assert proc.returncode == 0, out + err
    first = read_tree(tmp_path / "run-0" / "out")
    second = read_tree(tmp_path / "run-1" / "deeper" / "out")
    assert first == second
    assert first == read_tree(GENERATED), "generated/python is stale: run `generate`"
    text = b"".join(first.values()).decode("utf-8")
    assert str(tmp_path) not in text and str(ROOT) not in text  # no absolute paths


@pytest.mark.slow
def test_check_reports_an_edited_schema_until_regenerated(tmp_path: Path) -> None:
    schemas = tmp_path / "schemas"
    shutil.copytree(SCHEMAS_DIR, schemas)
    out = tmp_path / "generated"
    shutil.copytree(PACKAGE_DIR, out / "python")
    env = {"WORKER_CLIENT_GEN_CACHE_DIR": str(tmp_path / "cache")}
    check = ["check", "--target", "python", "--schemas", str(schemas), "--out", str(out)]
    assert wcg(*check, env=env).returncode == 0

    edited = schemas / "file-download-request.yaml"
    document = yaml.safe_load(edited.read_text(encoding="utf-8"))
    marker = "Edited by the drift test."
    document["description"] = f"{marker} {document['description']}"
    edited.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    stale = wcg(*check, env=env)
    assert stale.returncode == 1, stale.stdout + stale.stderr
    assert f"stale:   {out}/python/worker_client/_methods.py" in stale.stderr
    assert f"stale:   {out}/python/worker_client/types.py" in stale.stderr
    assert f"+++ {out}/python/worker_client/types.py (generated)" in stale.stdout
    assert marker in stale.stdout  # the unified diff shows the change

    generated = wcg("generate", *check[1:], env=env)
    assert generated.returncode == 0, generated.stderr
    assert wcg(*check, env=env).returncode == 0


def test_a_failing_render_leaves_the_output_untouched(tmp_path: Path) -> None:
    out = tmp_path / "generated"
    shutil.copytree(PACKAGE_DIR, out / "python")
    before = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in out.rglob("*") if p.is_file()}
    for command in ("generate", "check"):
        result = wcg(
            command,
            "--target",
            "python",
            "--schemas",
            str(FIXTURES / "python-no-example"),
            "--out",
            str(out),
            env=NO_CACHE,
        )
        assert result.returncode == 2, result.stdout + result.stderr
        assert "Traceback" not in result.stderr
        assert "code-request.yaml#/examples" in result.stderr
        assert "add `examples`" in result.stderr
    after = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in out.rglob("*") if p.is_file()}
    assert after == before


def test_generate_removes_files_the_schemas_no_longer_produce(tmp_path: Path) -> None:
    out = tmp_path / "generated"
    args = ["--target", "python", "--schemas", str(FIXTURES / "minimal"), "--out", str(out)]
    assert wcg("generate", *args).returncode == 0
    legacy = out / "python" / "worker_client" / "legacy_client.py"
    legacy.write_text("# from an older version\n")
    kept = [
        out / "python" / "worker_client" / "__pycache__" / "client.cpython-311.pyc",
        out / "python" / "dist" / "old.whl",
        out / "typescript" / "package.json",
    ]
    for path in kept:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("not ours to remove\n")
    result = wcg("generate", *args)
    assert result.returncode == 0
    assert f"removed {out}/python/worker_client/legacy_client.py" in result.stdout
    assert "1 removed" in result.stdout and "0 written" in result.stdout
    assert not legacy.exists()
    assert all(path.exists() for path in kept)
    assert wcg("check", *args).returncode == 0


def defined_names(source: str) -> set[str]:
    names: set[str] = set()
    for node in ast.parse(source).body:
        if isinstance(node, ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.Assign):
            names.update(t.id for t in node.targets if isinstance(t, ast.Name))
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
    return names


def test_payload_types_are_the_ir_types_in_schema_order(catalogue: Catalogue) -> None:
    types_py = (PACKAGE_DIR / "worker_client" / "types.py").read_text(encoding="utf-8")
    assert defined_names(types_py) == {t.name for t in catalogue.types}
    import worker_client
    from worker_client import types as payload_types

    for obj in catalogue.types:
        hints = typing.get_type_hints(getattr(payload_types, obj.name), include_extras=True)
        assert list(hints) == [f.name for f in obj.fields], obj.name
    for name in catalogue.defs:
        assert name in worker_client.__all__ and hasattr(worker_client, name)


def test_payload_types_are_typed_dicts_with_required_and_not_required_keys(
    catalogue: Catalogue,
) -> None:
    import worker_client
    from worker_client import types as payload_types

    for message in catalogue.messages:
        hints = typing.get_type_hints(getattr(worker_client, message.title), include_extras=True)
        assert set(hints) == {f.name for f in message.payload.fields}
        for field in message.payload.fields:
            optional = typing.get_origin(hints[field.name]) is NotRequired
            assert optional == (not field.required), (message.title, field.name)
    # Nested objects are TypedDicts of their own; arrays carry their item type.
    request = typing.get_type_hints(payload_types.FileDownloadRequestMessage, include_extras=True)
    assert typing.get_args(request["storageLocation"]) == (payload_types.StorageLocation,)
    assert typing.is_typeddict(payload_types.StorageLocation)
    logging_event = typing.get_type_hints(payload_types.BackendLoggingEventMessage)
    assert logging_event["httpStatusCode"] is int


def test_examples_are_valid_and_synthesised_ones_are_minimal() -> None:
    from jsonschema import Draft202012Validator

    catalogue = load_schemas(ESCAPING)
    message = catalogue.message("hostile-request")
    assert not message.examples_json
    payload = example_payload(catalogue, message)
    assert set(payload) == {f.name for f in message.payload.fields if f.required}
    assert payload["count"] == 3 and len(payload["tags"]) == 2
    validator = Draft202012Validator(
        catalogue.message_schema("hostile-request"),
        format_checker=Draft202012Validator.FORMAT_CHECKER,
    )
    assert list(validator.iter_errors(payload)) == []
    assert example_payload(catalogue, message) == payload  # deterministic


@pytest.fixture(scope="module")
def hostile_package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The Python target rendered from schemas full of text that tries to break out."""
    catalogue = load_schemas(ESCAPING)
    out = tmp_path_factory.mktemp("hostile")
    for rel, text in render_all(catalogue, ["python"]).items():
        path = out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return out / "python"


def test_hostile_text_compiles_and_passes_the_linters(
    hostile_package: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    for path in hostile_package.rglob("*.py"):
        compile(path.read_text(encoding="utf-8"), str(path), "exec")
    checked = mypy_strict(tmp_path_factory, ["worker_client"], cwd=hostile_package)
    assert checked.returncode == 0, checked.stdout
    ruff = run([sys.executable, "-m", "ruff", "check", "--no-cache", "."], cwd=hostile_package)
    assert ruff.returncode == 0, ruff.stdout


HOSTILE_PROBE = r"""
import inspect, json, sys, typing
import worker_client
from worker_client import WorkerClient, types

client = WorkerClient(sys.argv[1], max_retries=0)
result = {
    "method_doc": inspect.getdoc(WorkerClient.hostile_request),
    "class_doc": inspect.getdoc(types.PlainEventMessage),
    "nested_doc": inspect.getdoc(types.HostileRequestNested),
    "modes": list(typing.get_args(types.Mode)),
    "levels": list(typing.get_args(typing.get_type_hints(types.HostileRequestNested)["level"])),
    "keys": sorted(typing.get_type_hints(types.HostileRequestMessage)),
}
payload = json.loads(sys.argv[2])
result["job"] = client.hostile_request(payload).job_id
print(json.dumps(result))
"""


def test_hostile_text_reaches_docstrings_and_literals_verbatim(
    hostile_package: Path, job_server: JobServer
) -> None:
    catalogue = load_schemas(ESCAPING)
    message = catalogue.message("hostile-request")
    payload = example_payload(catalogue, message)
    probe = run(
        [sys.executable, "-c", HOSTILE_PROBE, job_server.url, json.dumps(payload)],
        env={"PYTHONPATH": str(hostile_package)},
    )
    assert probe.returncode == 0, probe.stderr
    seen = json.loads(probe.stdout)

    def same(docstring: str, description: str) -> bool:
        return " ".join(docstring.split()) == " ".join(clean_text(description).split())

    assert same(seen["method_doc"], message.description)
    assert same(seen["class_doc"], catalogue.message("plain-event").description)
    assert same(seen["nested_doc"], catalogue.type("HostileRequestNested").description)
    mode = json.loads(catalogue.defs_json)["$defs"]["Mode"]
    assert seen["modes"] == mode["enum"]
    assert seen["levels"] == ["low", "``` high", 'mid"""']
    assert seen["keys"] == sorted(f.name for f in message.payload.fields)
    # Keyword, hyphenated and quoted field names travel exactly as the schema spells them.
    [request] = job_server.requests
    assert request.json["payload"] == payload
    assert {"class", "x-request-id"} <= set(request.json["payload"])


def test_hostile_text_cannot_break_the_readme(hostile_package: Path) -> None:
    readme = (hostile_package / "README.md").read_text(encoding="utf-8")
    fences = [line for line in readme.splitlines() if line.lstrip().startswith("```")]
    assert len(fences) % 2 == 0
    assert all(
        line in ("```", "```python", "```python worker", "```bash", "```ini") for line in fences
    ), fences
    blocks = re.findall(r"^```python\n(.*?)^```$", readme, re.M | re.S)
    assert blocks
    for block in blocks + re.findall(r"^```python worker\n(.*?)^```$", readme, re.M | re.S):
        compile(block, "README.md", "exec")
    plain = catalogue_example_block(blocks, "plain_event")
    assert "\\x60\\x60\\x60 closes a fence" in plain  # backticks spelled so no fence can close
    assert "<b>html</b>" not in readme and "&lt;b&gt;html&lt;/b&gt;" in readme


def catalogue_example_block(blocks: list[str], method: str) -> str:
    [block] = [b for b in blocks if f"client.{method}(" in b and "with WorkerClient" in b]
    return block


def test_keyword_message_types_get_safe_method_names(tmp_path: Path, job_server: JobServer) -> None:
    catalogue = load_schemas(FIXTURES / "naming")
    for rel, text in render_all(catalogue, ["python"]).items():
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    payload = example_payload(catalogue, catalogue.message("import"))
    probe = run(
        [
            sys.executable,
            "-c",
            "import json, sys\nfrom worker_client import WorkerClient, MessageTypes\n"
            "job = WorkerClient(sys.argv[1]).import_(json.loads(sys.argv[2]))\n"
            "print(MessageTypes.IMPORT, job.message_name)",
            job_server.url,
            json.dumps(payload),
        ],
        env={"PYTHONPATH": str(tmp_path / "python")},
    )
    assert probe.returncode == 0, probe.stderr
    assert probe.stdout.split() == ["import", "import"]
    assert job_server.requests[0].json["payload"] == payload
    assert set(payload) >= {"class", "x-request-id", "true", "import"}
