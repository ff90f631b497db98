"""The generated package under the real TypeScript compiler: it builds strict, its types
reject bad payloads, its README examples compile, and hostile schema text stays inert."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from ts_support import (
    ROOT,
    build,
    compile_project,
    consumer_project,
    render_package,
    run,
    tsc_errors,
    typescript_blocks,
)

from generator.escaping import clean_text
from generator.examples import example_payload, ordered_like
from generator.ir import Catalogue, MessageSpec, TypeExpr
from generator.targets.typescript import PACKAGE_NAME
from generator.targets.typescript_naming import method as typescript_method
from generator.targets.typescript_types import ts_value

ESCAPING_FIXTURE = ROOT / "tests" / "fixtures" / "typescript-escaping"
TYPES_FIXTURE = ROOT / "tests" / "fixtures" / "typescript-types"


def test_build_is_strict_and_emits_declarations(ts_package: Path, tmp_path: Path) -> None:
    tsconfig = json.loads((ts_package / "tsconfig.json").read_text())
    assert tsconfig["compilerOptions"]["strict"] is True
    for name in ("index.js", "index.d.ts", "client.js", "client.d.ts", "types.d.ts"):
        assert (ts_package / "dist" / name).is_file(), name
    # The build really type-checks: the same build of a copy with one type error fails.
    copy = tmp_path / "copy"
    shutil.copytree(ts_package / "src", copy / "src")
    for name in ("package.json", "tsconfig.json"):
        shutil.copy(ts_package / name, copy / name)
    (copy / "node_modules").symlink_to(ts_package / "node_modules", True)
    (copy / "src" / "probe.ts").write_text('export const probe: number = "not a number";\n')
    proc = run(["npm", "run", "--silent", "build"], cwd=copy, check=False)
    assert proc.returncode != 0
    assert "TS2322" in proc.stdout + proc.stderr


def _closed_message_with_required_field(catalogue: Catalogue) -> tuple[MessageSpec, str]:
    for msg in catalogue.messages:
        if msg.payload.extra is not None:
            continue
        example = example_payload(catalogue, msg)
        for field in msg.payload.fields:
            if field.required and field.name in example:
                return msg, field.name
    raise AssertionError("no closed message payload with a required field")


def _literal(catalogue: Catalogue, msg: MessageSpec, value: Any) -> str:
    return ts_value(ordered_like(catalogue, value, TypeExpr("ref", ref=msg.title)))


def test_types_reject_a_missing_required_field_and_an_unknown_key(
    ts_package: Path, catalogue: Catalogue, tmp_path: Path
) -> None:
    msg, required = _closed_message_with_required_field(catalogue)
    example = example_payload(catalogue, msg)
    without = {k: v for k, v in example.items() if k != required}
    extra = {**example, "bogusField": 1}
    header = (
        f"import {{ WorkerClient, MessageTypes, type {msg.title} }} from '{PACKAGE_NAME}';\n"
        "const client = new WorkerClient({ baseUrl: 'http://localhost:3000' });\n"
    )
    files = {
        "ok.ts": header
        + f"const data: {msg.title} = {_literal(catalogue, msg, example)};\n"
        + f"await client.{typescript_method(msg.type)}(data);\n"
        + f"await client.sendToQueue(MessageTypes.{msg.names.constant}, data, {{ jobId: 'j' }});\n",
        "missing.ts": header
        + f"const data: {msg.title} = {_literal(catalogue, msg, without)};\n"
        + f"await client.{typescript_method(msg.type)}(data);\n",
        "unknown.ts": header
        + f"const data: {msg.title} = {_literal(catalogue, msg, extra)};\n"
        + f"await client.{typescript_method(msg.type)}(data);\n",
        "unknown_send.ts": header
        + f"await client.sendToQueue(MessageTypes.{msg.names.constant}, "
        + f"{_literal(catalogue, msg, extra)});\n",
    }
    project = consumer_project(tmp_path / "samples", ts_package, files)
    proc = compile_project(project)
    errors = tsc_errors(proc.stdout)
    assert proc.returncode != 0
    by_file: dict[str, list[dict[str, str]]] = {}
    for error in errors:
        by_file.setdefault(error["file"], []).append(error)
    assert set(by_file) == {"missing.ts", "unknown.ts", "unknown_send.ts"}, proc.stdout

    assert [e["code"] for e in by_file["missing.ts"]] == ["TS2741"], proc.stdout
    assert f"Property '{required}' is missing" in by_file["missing.ts"][0]["message"]
    for name in ("unknown.ts", "unknown_send.ts"):
        assert [e["code"] for e in by_file[name]] == ["TS2353"], proc.stdout
        assert "'bogusField' does not exist" in by_file[name][0]["message"]


def test_readme_typescript_examples_compile(ts_package: Path, tmp_path: Path) -> None:
    readme = (ts_package / "README.md").read_text()
    blocks = typescript_blocks(readme)
    messages = len(re.findall(r"^\*\*Payload Type:\*\*", readme, flags=re.M))
    assert messages > 0 and len(blocks) > messages  # one example per message, plus the usage ones
    files = {f"readme_{i:03d}.ts": block for i, block in enumerate(blocks)}
    project = consumer_project(tmp_path / "readme", ts_package, files)
    proc = compile_project(project)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_readme_example_payloads_are_valid(ts_package: Path, catalogue: Catalogue) -> None:
    """Every example payload the README shows passes the client's own validator."""
    cases = [[m.type, example_payload(catalogue, m)] for m in catalogue.messages]
    script = (
        "import { validatePayload } from './dist/index.js';\n"
        "const cases = JSON.parse(process.argv[1]);\n"
        "const bad = cases.map(([t, p]) => [t, validatePayload(t, p)])\n"
        "  .filter(([, issues]) => issues.length);\n"
        "console.log(JSON.stringify(bad));\n"
    )
    proc = run(["node", "--input-type=module", "-e", script, json.dumps(cases)], cwd=ts_package)
    assert json.loads(proc.stdout) == []


# --------------------------------------------------------------------------- hostile text


@pytest.fixture(scope="module")
def hostile_package(ts_package: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    package = render_package(ESCAPING_FIXTURE, tmp_path_factory.mktemp("hostile"))
    build(package)
    return package


def _block_comments(source: str) -> list[str]:
    """The text of every /* */ comment, found by a lexer that skips string literals."""
    comments: list[str] = []
    i = 0
    while i < len(source):
        c = source[i]
        if c in "\"'`":
            i += 1
            while source[i] != c:
                i += 2 if source[i] == "\\" else 1
            i += 1
        elif source.startswith("//", i):
            i = source.index("\n", i)
        elif source.startswith("/*", i):
            end = source.index("*/", i + 2)
            comments.append(source[i + 2 : end])
            i = end + 2
        else:
            i += 1
    return comments


def _jsdoc_text(comment: str) -> str:
    """A doc comment's text, un-defused, whitespace folded (doc lines are wrapped)."""
    lines = [re.sub(r"^\s*\* ?", "", line) for line in comment.lstrip("*").split("\n")]
    return " ".join(" ".join(lines).replace("*\\/", "*/").split())


def _folded(text: str) -> str:
    return " ".join(clean_text(text).split())


def test_hostile_descriptions_stay_inside_their_doc_comments(hostile_package: Path) -> None:
    schema = yaml.safe_load((ESCAPING_FIXTURE / "hostile-text-request.yaml").read_text())
    descriptions = [p["description"] for p in schema["properties"].values() if "description" in p]
    expected = {_folded(schema["description"]), *map(_folded, descriptions)}
    for name in ("types.ts", "client.ts"):
        source = (hostile_package / "src" / name).read_text()
        docs = {_jsdoc_text(c).split(" Secret: ")[0] for c in _block_comments(source)}
        wanted = expected if name == "types.ts" else {_folded(schema["description"])}
        assert wanted <= docs, (name, wanted - docs)
    assert (hostile_package / "dist" / "index.d.ts").is_file()


def test_hostile_text_round_trips_through_literals(hostile_package: Path) -> None:
    """Enum values, keys and descriptions reach the built JS byte for byte."""
    schema = yaml.safe_load((ESCAPING_FIXTURE / "hostile-text-request.yaml").read_text())
    script = (
        "import { SCHEMA_DEFS } from './dist/schemas.js';\n"
        "import { MessageTypes, validatePayload } from './dist/index.js';\n"
        "const example = JSON.parse(process.argv[1]);\n"
        "const modes = SCHEMA_DEFS.HostileTextRequestMessage.properties.mode.enum;\n"
        "console.log(JSON.stringify({\n"
        "  defs: SCHEMA_DEFS.HostileTextRequestMessage,\n"
        "  types: MessageTypes,\n"
        "  example: validatePayload('hostile-text-request', example),\n"
        "  modes: modes.map((mode) => validatePayload('hostile-text-request',\n"
        "    { ...example, mode }).length),\n"
        "}));\n"
    )
    example = schema["examples"][0]
    proc = run(
        ["node", "--input-type=module", "-e", script, json.dumps(example)], cwd=hostile_package
    )
    result = json.loads(proc.stdout)
    assert result["types"] == {"HOSTILE_TEXT_REQUEST": "hostile-text-request"}
    assert result["defs"]["description"] == schema["description"]
    assert result["defs"]["properties"]["mode"]["enum"] == schema["properties"]["mode"]["enum"]
    assert set(result["defs"]["properties"]) == set(schema["properties"])
    assert result["example"] == []
    assert result["modes"] == [0] * len(schema["properties"]["mode"]["enum"])


def test_hostile_text_types_accept_exactly_the_enum_values(
    hostile_package: Path, tmp_path: Path
) -> None:
    """The literal union holds the real values: each one type-checks, a near miss does not."""
    schema = yaml.safe_load((ESCAPING_FIXTURE / "hostile-text-request.yaml").read_text())
    modes = schema["properties"]["mode"]["enum"]
    lines = [f"import type {{ HostileTextRequestMessage as M }} from '{PACKAGE_NAME}';"]
    for i, mode in enumerate(modes):
        lines.append(f"export const ok{i}: M['mode'] = {json.dumps(mode)};")
    good = "\n".join(lines) + "\n"
    bad = lines[0] + f"\nexport const near: M['mode'] = {json.dumps(modes[0] + ' ')};\n"
    project = consumer_project(
        tmp_path / "modes", hostile_package, {"good.ts": good, "bad.ts": bad}
    )
    proc = compile_project(project)
    assert {e["file"] for e in tsc_errors(proc.stdout)} == {"bad.ts"}, proc.stdout


def test_hostile_text_readme_fences_hold_and_examples_compile(
    hostile_package: Path, tmp_path: Path
) -> None:
    readme = (hostile_package / "README.md").read_text()
    fences = [line for line in readme.splitlines() if line.startswith("```")]
    assert len(fences) % 2 == 0
    blocks = typescript_blocks(readme)
    files = {f"readme_{i:03d}.ts": block for i, block in enumerate(blocks)}
    project = consumer_project(tmp_path / "readme", hostile_package, files)
    proc = compile_project(project)
    assert proc.returncode == 0, proc.stdout + proc.stderr


# --------------------------------------------------------------------------- type shapes


def test_every_type_shape_accepts_what_the_schema_does_and_rejects_the_rest(
    ts_package: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    package = render_package(TYPES_FIXTURE, tmp_path_factory.mktemp("shapes"))
    build(package)
    header = f"import type {{ ShapeRequestMessage as M }} from '{PACKAGE_NAME}';\n"
    base = "id: 'i', kind: 'alpha', items: [{ name: 'p' }]"
    good = (
        f"export const a: M = {{ {base} }};\n"
        f"export const b: M = {{ {base}, note: null, either: 'x', fixed: 3, tags: ['x'],\n"
        "  anything: [1, { deep: true }], meta: { any: ['thing'] }, scores: { a: 1 },\n"
        "  labelled: { label: 'l', extra: { more: 1 } }, empty: {}, 'x-trace-id': 't',\n"
        "  class: 'c', count: 1, ratio: 0.5, flag: false };\n"
    )
    bad = {
        "bad_enum.ts": f"export const m: M = {{ {base.replace('alpha', 'gamma')} }};\n",
        "bad_const.ts": f"export const m: M = {{ {base}, fixed: 4 }};\n",
        "bad_item.ts": f"export const m: M = {{ {base.replace('name', 'title')} }};\n",
        "bad_map.ts": f"export const m: M = {{ {base}, scores: {{ a: 'x' }} }};\n",
        "bad_open.ts": f"export const m: M = {{ {base}, labelled: {{ extra: 1 }} }};\n",
        "bad_empty.ts": f"export const m: M = {{ {base}, empty: {{ a: 1 }} }};\n",
        "bad_tags.ts": f"export const m: M = {{ {base}, tags: ['z'] }};\n",
        "bad_null.ts": f"export const m: M = {{ {base}, either: null }};\n",
    }
    files = {"good.ts": header + good, **{name: header + text for name, text in bad.items()}}
    project = consumer_project(tmp_path_factory.mktemp("shape-samples"), package, files)
    proc = compile_project(project)
    assert {e["file"] for e in tsc_errors(proc.stdout)} == set(bad), proc.stdout
