"""generated/asyncapi.yaml: an AsyncAPI 3.0 document that the AsyncAPI parser accepts with no
error and no warning, one channel per queue, payloads shared with openapi.yaml."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from support import run
from support.shared import locked

from generator.completions import completions
from generator.ir import Catalogue
from generator.pipeline import render_all
from generator.schema import load_schemas
from generator.targets import RunContext, asyncapi

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"
FIXTURE_DIRS = ["minimal", "serve", "naming", "typescript-escaping"]
PARSE_SCRIPT = Path(__file__).with_name("parse_asyncapi.mjs")
# The parser the documents are held to, installed once into a cache folder outside generated/.
PARSER_PACKAGE = "@asyncapi/parser"
PARSER_VERSION = "3.6.3"
TOOLS_DIR = Path(os.environ.get("WCG_NPM_TOOLS", ROOT / ".cache" / "npm-tools"))


@pytest.fixture(scope="session")
def parser_entry() -> Path:
    """The entry file of @asyncapi/parser, npm-installed into TOOLS_DIR unless it is there."""
    if shutil.which("npm") is None or shutil.which("node") is None:
        pytest.fail("node and npm are needed to run the AsyncAPI parser (.ci/run installs them)")
    package_dir = TOOLS_DIR / "node_modules" / PARSER_PACKAGE
    manifest = package_dir / "package.json"
    with locked("npm-tools"):  # pytest-xdist workers would install over each other
        _install_parser(manifest)
    main = json.loads(manifest.read_text())["main"]
    return package_dir / main


def _install_parser(manifest: Path) -> None:
    installed = json.loads(manifest.read_text())["version"] if manifest.is_file() else None
    if installed != PARSER_VERSION:
        TOOLS_DIR.mkdir(parents=True, exist_ok=True)
        run(
            [
                "npm",
                "install",
                "--prefix",
                str(TOOLS_DIR),
                "--no-package-lock",
                "--no-audit",
                "--no-fund",
                "--loglevel=error",
                f"{PARSER_PACKAGE}@{PARSER_VERSION}",
            ],
            TOOLS_DIR,
            check=True,
            timeout=600,
        )


def parse(entry: Path, *documents: Path) -> list[dict[str, Any]]:
    proc = run(["node", str(PARSE_SCRIPT), str(entry), *map(str, documents)], ROOT, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return [json.loads(line) for line in proc.stdout.split("\n") if line.startswith("{")]


def complaints(report: dict[str, Any]) -> list[dict[str, Any]]:
    """Errors and warnings; infos and hints (such as "3.1.0 exists") are not held against it."""
    return [d for d in report["diagnostics"] if d["severity"] in ("error", "warning")]


def render_pair(catalogue: Catalogue, out: Path) -> Path:
    """asyncapi.yaml and the openapi.yaml it references, written side by side below out."""
    out.mkdir(parents=True, exist_ok=True)
    for name, text in render_all(catalogue, ["openapi", "asyncapi"]).items():
        (out / name).write_text(text, encoding="utf-8")
    return out / "asyncapi.yaml"


def inline_refs(node: Any, components: dict[str, Any], enclosing: tuple[str, ...] = ()) -> Any:
    """An OpenAPI component schema with its #/components/schemas refs inlined as the parser
    resolves them: as JSON References, the target replacing the whole object (the siblings of
    a `$ref`, such as a field's own description, are dropped)."""
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/components/schemas/"):
            name = ref.rsplit("/", 1)[1]
            if name in enclosing:
                return {"$circular": True}
            return inline_refs(components[name], components, (*enclosing, name))
        return {k: inline_refs(v, components, enclosing) for k, v in node.items()}
    if isinstance(node, list):
        return [inline_refs(v, components, enclosing) for v in node]
    return node


def test_the_committed_document_parses_with_no_error_and_no_warning(parser_entry: Path) -> None:
    path = ROOT / "generated" / "asyncapi.yaml"
    assert path.is_file(), "generated/asyncapi.yaml is missing: run `worker-client-gen generate`"
    [report] = parse(parser_entry, path)
    assert complaints(report) == []
    catalogue = load_schemas(ROOT / "schemas")
    assert report["channels"] == [m.type for m in catalogue.messages]

    # The payloads the parser resolved through openapi.yaml are the OpenAPI components.
    openapi = yaml.safe_load((ROOT / "generated" / "openapi.yaml").read_text(encoding="utf-8"))
    components = openapi["components"]["schemas"]
    for message in catalogue.messages:
        resolved = report["messages"][message.title]
        expected = inline_refs(components[message.title], components)
        assert resolved["payload"] == expected, message.type
        envelope = inline_refs(asyncapi.job_envelope_schema(), {})
        assert resolved["headers"]["required"] == envelope["required"]
        assert resolved["headers"]["properties"]["opts"] == inline_refs(
            components["JobOptions"], components
        )


def test_every_fixture_renders_a_document_the_parser_accepts(
    parser_entry: Path, tmp_path: Path
) -> None:
    documents = [render_pair(load_schemas(FIXTURES / f), tmp_path / f) for f in FIXTURE_DIRS]
    reports = parse(parser_entry, *documents)
    assert len(reports) == len(FIXTURE_DIRS)
    for fixture, report in zip(FIXTURE_DIRS, reports, strict=True):
        assert complaints(report) == [], fixture
        assert report["channels"], fixture


def test_the_parser_check_catches_a_broken_reference(parser_entry: Path, tmp_path: Path) -> None:
    """The no-error check can fail: a payload pointing at a component openapi.yaml lacks."""
    path = render_pair(load_schemas(FIXTURES / "serve"), tmp_path)
    text = path.read_text(encoding="utf-8")
    broken = text.replace("#/components/schemas/FileDownloadRequestMessage", "#/nowhere", 1)
    assert broken != text
    path.write_text(broken, encoding="utf-8")
    [report] = parse(parser_entry, path)
    assert [d for d in report["diagnostics"] if d["severity"] == "error"]


def test_one_channel_send_and_receive_per_queue() -> None:
    catalogue = load_schemas(FIXTURES / "serve")
    doc = asyncapi.build_document(catalogue)
    assert doc["asyncapi"] == "3.0.0"
    assert list(doc["channels"]) == [m.type for m in catalogue.messages]
    replies = completions(catalogue)
    for m in catalogue.messages:
        channel = doc["channels"][m.type]
        assert channel["address"] == m.type  # the BullMQ queue is named after the message type
        send = doc["operations"][f"enqueue{m.names.pascal}"]
        receive = doc["operations"][f"process{m.names.pascal}"]
        assert (send["action"], receive["action"]) == ("send", "receive")
        ref = {"$ref": f"#/channels/{m.type}"}
        assert send["channel"] == receive["channel"] == ref
        # Shared, not copied: the payload is a reference into openapi.yaml.
        payload = doc["components"]["messages"][m.title]["payload"]
        assert payload == {"$ref": f"openapi.yaml#/components/schemas/{m.title}"}
        if m.type in replies:
            assert receive["reply"]["channel"] == {"$ref": f"#/channels/{replies[m.type]}"}
        else:
            assert "reply" not in receive


def test_rendering_is_deterministic() -> None:
    catalogue = load_schemas(ROOT / "schemas")
    first = asyncapi.render(catalogue, RunContext())
    assert first == asyncapi.render(load_schemas(ROOT / "schemas"), RunContext())
    assert list(first) == ["asyncapi.yaml"]
