"""schemathesis against serve with the OpenAPI document: no 5xx, no answer the document
does not allow, no valid request refused and no invalid one accepted.

Runs the schemathesis CLI (examples, coverage, fuzzing and stateful phases, every check) with
a fixed seed and a bounded number of examples, so a run is reproducible and short.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from serve_support import API_KEY, OPENAPI_DOC, SCHEMAS_DIR, SERVE_FIXTURE, serve_process

from generator.ir import Catalogue
from generator.pipeline import render_all
from generator.schema import load_schemas
from generator.targets import openapi

SEED = "20241124"


def schemathesis(doc: Path, url: str, cwd: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "schemathesis.cli",
            "run",
            str(doc),
            "--url",
            url,
            "--checks",
            "all",
            "--seed",
            SEED,
            "--generation-database",
            "none",
            "--no-color",
            *extra,
        ],
        capture_output=True,
        text=True,
        cwd=cwd,  # schemathesis keeps a cache folder in the working directory
        timeout=900,
        check=False,
    )


@pytest.mark.slow
def test_fixture_document_with_an_api_key(serve_catalogue: Catalogue, tmp_path: Path) -> None:
    doc = tmp_path / "openapi.yaml"
    doc.write_text(render_all(serve_catalogue, ["openapi"])["openapi.yaml"], encoding="utf-8")
    args = ["--schemas", str(SERVE_FIXTURE), "--api-key", API_KEY]
    with serve_process(*args, log_dir=tmp_path) as serve:
        result = schemathesis(
            doc,
            serve.url,
            tmp_path,
            "--header",
            f"Authorization: Bearer {API_KEY}",
            "--max-examples",
            "15",
        )
        log = serve.log()
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No issues found" in result.stdout
    assert " 500 " not in log and "Traceback" not in log
    assert API_KEY not in log


def _chosen_operations(catalogue: Catalogue) -> list[str]:
    """GET, the contract's own example message, the three largest payload schemas and the
    first message with a secret field: the operations most likely to expose a mismatch."""
    by_size = sorted(
        catalogue.messages,
        key=lambda m: (-len(json.dumps(catalogue.message_schema(m.type))), m.type),
    )
    chosen = [m.names.camel for m in by_size[:3]]
    secret = next((m for m in catalogue.messages if any(f.secret for f in m.payload.fields)), None)
    if secret is not None:
        chosen.append(secret.names.camel)
    if any(m.type == "file-download-request" for m in catalogue.messages):
        chosen.append(catalogue.message("file-download-request").names.camel)
    return [openapi.JOB_STATUS_OPERATION, *dict.fromkeys(chosen)]


@pytest.mark.slow
def test_committed_document_against_serve_on_the_real_schemas(tmp_path: Path) -> None:
    catalogue = load_schemas(SCHEMAS_DIR)
    if not catalogue.messages:
        pytest.skip("schemas/ holds no message schemas yet")
    assert (
        OPENAPI_DOC.read_text(encoding="utf-8")
        == render_all(catalogue, ["openapi"])["openapi.yaml"]
    ), "generated/openapi.yaml is stale: run `worker-client-gen generate`"
    include = [
        arg for op in _chosen_operations(catalogue) for arg in ("--include-operation-id", op)
    ]
    with serve_process("--schemas", str(SCHEMAS_DIR), log_dir=tmp_path) as serve:
        result = schemathesis(OPENAPI_DOC, serve.url, tmp_path, "--max-examples", "10", *include)
        log = serve.log()
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No issues found" in result.stdout
    assert " 500 " not in log and "Traceback" not in log
