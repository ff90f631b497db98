"""Helpers for the TypeScript target's tests: npm, tsc, consumer projects, test cases.

Everything runs the real tools: npm installs the generated package's own dependencies, tsc
compiles it, node runs it against HTTP servers on 127.0.0.1.
"""

from __future__ import annotations

import copy
import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import support
from jsonschema import Draft202012Validator
from support import ROOT as ROOT  # ROOT, PACKAGE_DIR, build...: the tests import them from here
from support import SCHEMAS
from support.typescript import PACKAGE_DIR as PACKAGE_DIR
from support.typescript import build as build
from support.typescript import ensure_dependencies as ensure_dependencies

from generator import pipeline
from generator.examples import example_payload, minimal_value
from generator.ir import Catalogue, MessageSpec, TypeExpr
from generator.schema import load_schemas
from generator.targets.typescript import PACKAGE_NAME
from generator.targets.typescript_naming import method as typescript_method

SCHEMAS_DIR = SCHEMAS
TESTS_DIR = Path(__file__).resolve().parent

TSC_ERROR_RE = re.compile(
    r"^(?P<file>\S[^(]*)\((?P<line>\d+),(?P<col>\d+)\): error (?P<code>TS\d+): (?P<message>.*)$"
)


def run(
    cmd: list[str],
    cwd: Path,
    env: dict[str, str] | None = None,
    check: bool = True,
    timeout: float = 600,
) -> subprocess.CompletedProcess[str]:
    """support.run, failing on a non-zero exit unless check=False."""
    return support.run(cmd, cwd, env, check=check, timeout=timeout)


def run_node_suite(
    suite: str, ts_package: Path, node_cases_file: Path, env: dict[str, str] | None = None
) -> str:
    """Run one node:test file against the built client; its report, which must show tests
    that ran, none failed and none skipped."""
    proc = run(
        ["node", "--test", "--test-reporter=spec", suite],
        cwd=TESTS_DIR,
        env={
            "WCG_TS_CLIENT": str(ts_package / "dist" / "index.js"),
            "WCG_TS_CASES": str(node_cases_file),
            "NODE_NO_WARNINGS": "1",
            **(env or {}),
        },
        check=False,
    )
    report = proc.stdout + proc.stderr
    assert proc.returncode == 0, report
    assert "# fail 0" in report or "ℹ fail 0" in report, report
    assert not re.search(r"(#|ℹ) pass 0\b", report), f"{suite} ran no test\n{report}"
    assert not re.search(r"(#|ℹ) skipped [1-9]", report), f"{suite} skipped tests\n{report}"
    return report


def tsc_path(package_dir: Path = PACKAGE_DIR) -> Path:
    return package_dir / "node_modules" / ".bin" / "tsc"


def render_package(schema_dir: Path, out: Path) -> Path:
    """Generate the TypeScript package for schema_dir below out, sharing our node_modules."""
    catalogue = load_schemas(schema_dir)
    files = pipeline.render_all(catalogue, ["typescript"])
    pipeline.write_tree(out, files, ["typescript/"])
    package_dir = out / "typescript"
    (package_dir / "node_modules").symlink_to(PACKAGE_DIR / "node_modules", True)
    return package_dir


CONSUMER_TSCONFIG = {
    "compilerOptions": {
        "target": "ES2022",
        # DOM for console; a consumer has it, or @types/node. The client's own types need neither.
        "lib": ["ES2022", "DOM"],
        "types": [],
        "module": "NodeNext",
        "moduleResolution": "NodeNext",
        "strict": True,
        "noEmit": True,
        "skipLibCheck": False,
    },
    "include": ["*.ts"],
}


def consumer_project(dest: Path, package_dir: Path, files: dict[str, str]) -> Path:
    """A project that depends on the built package (through node_modules) holding files."""
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    (dest / "package.json").write_text(json.dumps({"type": "module", "private": True}))
    (dest / "tsconfig.json").write_text(json.dumps(CONSUMER_TSCONFIG, indent=2))
    scope = dest / "node_modules" / PACKAGE_NAME.split("/")[0]
    scope.mkdir(parents=True)
    (scope / PACKAGE_NAME.split("/")[1]).symlink_to(package_dir, True)
    for name, text in files.items():
        (dest / name).write_text(text)
    return dest


def compile_project(
    project: Path, package_dir: Path = PACKAGE_DIR
) -> subprocess.CompletedProcess[str]:
    return run(
        [str(tsc_path(package_dir)), "-p", "tsconfig.json", "--pretty", "false"],
        cwd=project,
        check=False,
    )


def tsc_errors(output: str) -> list[dict[str, str]]:
    return [m.groupdict() for m in map(TSC_ERROR_RE.match, output.splitlines()) if m]


def typescript_blocks(markdown: str) -> list[str]:
    """The body of every ```typescript fence, in order."""
    blocks: list[str] = []
    current: list[str] | None = None
    for line in markdown.splitlines():
        if current is None and line.strip() == "```typescript":
            current = []
        elif current is not None and line.strip() == "```":
            blocks.append("\n".join(current) + "\n")
            current = None
        elif current is not None:
            current.append(line)
    assert current is None, "unterminated ```typescript fence"
    return blocks


# --------------------------------------------------------------------------- test cases


def load_catalogue() -> Catalogue:
    return load_schemas(SCHEMAS_DIR)


def valid_payload(catalogue: Catalogue, msg: MessageSpec) -> Any:
    return example_payload(catalogue, msg)


def invalid_case(catalogue: Catalogue) -> dict[str, Any]:
    """A payload missing one required field and holding a wrong type in another."""
    for msg in catalogue.messages:
        fields = msg.payload.fields
        missing = next((f for f in fields if f.required), None)
        wrong = next(
            (
                f
                for f in fields
                if f is not missing and f.type.kind in ("string", "integer", "number", "boolean")
            ),
            None,
        )
        if missing is None or wrong is None:
            continue
        payload = copy.deepcopy(valid_payload(catalogue, msg))
        payload.pop(missing.name, None)
        payload[wrong.name] = ["not", "a", wrong.type.kind]
        return {
            "type": msg.type,
            "method": typescript_method(msg.type),
            "payload": payload,
            "missing": "/" + _pointer(missing.name),
            "wrongType": "/" + _pointer(wrong.name),
        }
    raise AssertionError("no message has a required field and a second scalar field")


def _pointer(name: str) -> str:
    return name.replace("~", "~0").replace("/", "~1")


CREDENTIAL_VALUE = "cred-VALUE-7f3a9c1e-do-not-leak"
API_KEY = "sk-live-API-KEY-4b8d2e6f-do-not-leak"


def secret_case(catalogue: Catalogue) -> dict[str, Any]:
    """A valid payload carrying CREDENTIAL_VALUE in a field the schemas mark secret."""
    for msg in catalogue.messages:
        for f in msg.payload.fields:
            if not f.secret:
                continue
            value = _secret_value(catalogue, f.type)
            if value is None:
                continue
            payload = copy.deepcopy(valid_payload(catalogue, msg))
            payload[f.name] = value
            schema = catalogue.message_schema(msg.type)
            validator = Draft202012Validator(
                schema, format_checker=Draft202012Validator.FORMAT_CHECKER
            )
            if not list(validator.iter_errors(payload)) and CREDENTIAL_VALUE in json.dumps(payload):
                return {
                    "type": msg.type,
                    "method": typescript_method(msg.type),
                    "field": f.name,
                    "payload": payload,
                }
    raise AssertionError("no message has a secret field that can carry a credential value")


def _secret_value(catalogue: Catalogue, expr: TypeExpr) -> Any:
    if expr.kind == "string" and not expr.enum and not expr.format:
        return CREDENTIAL_VALUE
    if expr.kind == "map":
        return {"accessToken": CREDENTIAL_VALUE}
    if expr.kind == "ref" and expr.ref is not None:
        obj = catalogue.type(expr.ref)
        out: dict[str, Any] = {}
        placed = False
        for f in obj.fields:
            if f.type.kind == "string" and not f.type.enum and not f.type.format and not placed:
                out[f.name] = CREDENTIAL_VALUE
                placed = True
            elif f.required:
                out[f.name] = minimal_value(
                    catalogue, catalogue.defs[obj.name]["properties"][f.name]
                )
        return out if placed else None
    return None


def node_cases(catalogue: Catalogue) -> dict[str, Any]:
    """What the node tests send: every message with a valid payload, plus the special cases."""
    return {
        "messages": [
            {
                "type": m.type,
                "method": typescript_method(m.type),
                "constant": m.names.constant,
                "payload": valid_payload(catalogue, m),
            }
            for m in catalogue.messages
        ],
        "invalid": invalid_case(catalogue),
        "secret": secret_case(catalogue),
        "apiKey": API_KEY,
        "credentialValue": CREDENTIAL_VALUE,
    }
