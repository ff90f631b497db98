"""The official JSON Schema test suite (draft 2020-12) run through the generator.

Every test group becomes one message type: its schema is the definition `G<n>Case`, the one
(optional) field `value` of the message refers to it, and each test of the group is the
payload `{"value": data}`. The loader gets the whole folder at once, like any schema folder;
a group it refuses is reported in one line. For the groups it accepts, one `generate` renders
both clients, and three validators judge every payload: the generated Python client's
pre-send check, the generated TypeScript client's, and `serve`'s.

Wrapping keeps what a group means. The group's own `$defs` move beside `G<n>Case` with a
prefix (`foo` -> `g<n>-foo`, on the raw JSON pointer token, so escapes stay as written), and a
`$ref` to the group's root (`#`) names `G<n>Case`: both are renamings.

Run it alone for the table: `python tests/jsonschema_suite/suite.py`.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
SUITE = HERE / "draft2020-12"
sys.path[:0] = [str(ROOT), str(ROOT / "tests"), str(ROOT / "tests" / "typescript")]

from generator import pipeline  # noqa: E402
from generator.errors import SchemaErrors  # noqa: E402
from generator.schema import load_schemas  # noqa: E402
from generator.semantics import CHECKED_FORMATS  # noqa: E402
from generator.server.validation import Validators  # noqa: E402

VALIDATORS = ("python", "typescript", "serve")
# The optional files that hold the project to the suite: the formats it checks. The
# ECMA-262 regex files are run and counted too.
OPTIONAL = [f"optional/format/{name}.json" for name in CHECKED_FORMATS] + [
    "optional/ecmascript-regex.json",
    "optional/non-bmp-regex.json",
    # The project's own cases in the suite's format: linear-time patterns (ReDoS), ECMA-262
    # escapes, recursion.
    "../project-cases.json",
]


@dataclass
class Group:
    number: int
    file: str  # relative to SUITE
    index: int  # position in the file
    description: str
    schema: Any
    tests: list[dict[str, Any]]
    skip: str = ""  # why the group's verdicts do not apply here

    @property
    def message(self) -> str:
        return f"g{self.number}"

    @property
    def case(self) -> str:
        return f"g{self.number}-case"


@dataclass
class Outcome:
    refused: dict[str, str] = field(default_factory=dict)  # message -> one-line reason
    # (message, test index) -> verdict per validator
    # (message, test index) -> verdict per validator: valid, invalid, or the crash
    verdicts: dict[tuple[str, int], dict[str, bool | str]] = field(default_factory=dict)


def groups(files: list[str] | None = None) -> list[Group]:
    names = files or sorted(p.name for p in SUITE.glob("*.json")) + OPTIONAL
    found: list[Group] = []
    for name in names:
        for index, group in enumerate(json.loads((SUITE / name).read_text(encoding="utf-8"))):
            found.append(
                Group(
                    len(found), name, index, group["description"], group["schema"], group["tests"]
                )
            )
    for group in found:
        fmt = group.schema.get("format") if isinstance(group.schema, dict) else None
        if group.file == "format.json" and fmt in CHECKED_FORMATS:
            # The core file says formats are annotations; this project asserts these
            # (2020-12's format-assertion vocabulary), held to optional/format/<name>.json.
            group.skip = f"format {fmt!r} is asserted here: see optional/format/{fmt}.json"
    return found


def _rename_ref(ref: str, group: Group) -> str:
    if ref == "#":
        return f"#/$defs/{group.case}"
    match = re.fullmatch(r"#/(\$|%24)defs/(.+)", ref)
    if match:
        return f"#/$defs/g{group.number}-{match.group(2)}"
    return ref


def _rewrite(node: Any, group: Group) -> Any:
    if isinstance(node, list):
        return [_rewrite(v, group) for v in node]
    if not isinstance(node, dict):
        return node
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key == "$ref" and isinstance(value, str):
            out[key] = _rename_ref(value, group)
        elif key in ("const", "enum", "default", "examples"):
            out[key] = value
        elif key == "$defs" and isinstance(value, dict):
            out[key] = {k: _rewrite(v, group) for k, v in value.items()}
        else:
            out[key] = _rewrite(value, group)
    return out


def message_schema(group: Group) -> dict[str, Any]:
    case = _rewrite(group.schema, group)
    defs: dict[str, Any] = {}
    if isinstance(case, dict) and isinstance(case.get("$defs"), dict):
        defs = {f"g{group.number}-{k}": v for k, v in case.pop("$defs").items()}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": f"G{group.number}Message",
        "description": f"{group.file} #{group.index}: {group.description}",
        "type": "object",
        "additionalProperties": False,
        "properties": {"value": {"$ref": f"#/$defs/{group.case}"}},
        "$defs": {group.case: case, **defs},
    }


def write_folder(folder: Path, all_groups: list[Group]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for group in all_groups:
        text = as_yaml(message_schema(group)) + "\n"
        (folder / f"{group.message}.yaml").write_text(text, encoding="utf-8")


def as_yaml(data: Any) -> str:
    """JSON text that YAML reads as the same data: every string character an escape (YAML
    has no surrogate pairs, so `\\ud83d\\udc32` is written `\\U0001f432`), every float
    with a dot (YAML reads `1e-08` as a string)."""
    if isinstance(data, dict):
        return "{" + ", ".join(f"{as_yaml(k)}: {as_yaml(v)}" for k, v in data.items()) + "}"
    if isinstance(data, list):
        return "[" + ", ".join(as_yaml(v) for v in data) + "]"
    if isinstance(data, str):
        return re.sub(
            r"\\u(d[89ab][0-9a-f]{2})\\u(d[c-f][0-9a-f]{2})",
            lambda m: "\\U%08x"
            % (0x10000 + ((int(m.group(1), 16) - 0xD800) << 10) + int(m.group(2), 16) - 0xDC00),
            json.dumps(data, ensure_ascii=True),
        )
    if isinstance(data, float) and "e" in repr(data) and "." not in repr(data):
        return repr(data).replace("e", ".0e")
    return json.dumps(data)


def load_accepted(folder: Path, all_groups: list[Group], outcome: Outcome) -> Any:
    """Load the folder; refused groups are recorded with their first problem and removed."""
    try:
        return load_schemas(folder, display_root="suite")
    except SchemaErrors as exc:
        for error in exc.errors:
            message = Path(error.file).stem
            outcome.refused.setdefault(message, f"{error.pointer}: {error.message}")
    for message in outcome.refused:
        (folder / f"{message}.yaml").unlink(missing_ok=True)
    return load_schemas(folder, display_root="suite")


PY_RUNNER = """
import json, sys
from worker_client import _validation
from worker_client._redaction import Redactor
from worker_client._exceptions import PayloadValidationError
cases = json.load(open(sys.argv[1]))
out = []
for message_type, payload in cases:
    try:
        _validation.validate_payload(message_type, payload, Redactor([], payload))
        out.append(True)
    except PayloadValidationError:
        out.append(False)
    except Exception as exc:  # a crash is a wrong verdict whatever the test expects
        out.append(repr(exc))
json.dump(out, open(sys.argv[2], "w"))
"""

NODE_RUNNER = """
import { readFileSync, writeFileSync } from "node:fs";
const { validatePayload } = await import(process.argv[2]);
const cases = JSON.parse(readFileSync(process.argv[3], "utf8"));
const verdict = ([t, p]) => {
  try {
    return validatePayload(t, p).length === 0;
  } catch (error) {
    return String(error); // a crash is a wrong verdict whatever the test expects
  }
};
writeFileSync(process.argv[4], JSON.stringify(cases.map(verdict)));
"""


def run_validators(
    catalogue: Any, out: Path, cases: list[tuple[str, Any]]
) -> dict[str, list[bool | str]]:
    import ts_support

    files = pipeline.render_all(catalogue, ["python", "typescript"])
    pipeline.write_tree(out, files, ["python/", "typescript/"])
    cases_file = out / "cases.json"
    cases_file.write_text(json.dumps(cases))
    verdicts: dict[str, list[bool | str]] = {}

    runner = out / "runner.py"
    runner.write_text(PY_RUNNER)
    env = {**os.environ, "PYTHONPATH": str(out / "python")}
    subprocess.run(
        [sys.executable, str(runner), str(cases_file), str(out / "py.json")],
        check=True,
        env=env,
        timeout=600,
    )
    verdicts["python"] = json.loads((out / "py.json").read_text())

    package = out / "typescript"
    ts_support.ensure_dependencies(ts_support.PACKAGE_DIR)
    (package / "node_modules").symlink_to(ts_support.PACKAGE_DIR / "node_modules", True)
    ts_support.build(package)
    node_runner = out / "runner.mjs"
    node_runner.write_text(NODE_RUNNER)
    subprocess.run(
        [
            "node",
            str(node_runner),
            (package / "dist" / "validation.js").as_uri(),
            str(cases_file),
            str(out / "ts.json"),
        ],
        check=True,
        timeout=600,
    )
    verdicts["typescript"] = json.loads((out / "ts.json").read_text())

    serve = Validators(catalogue)
    verdicts["serve"] = [_serve_verdict(serve, t, p) for t, p in cases]
    return verdicts


def _serve_verdict(serve: Validators, message_type: str, payload: Any) -> bool | str:
    try:
        return not serve.payload_errors(message_type, payload)
    except Exception as exc:  # a crash is a wrong verdict whatever the test expects
        return repr(exc)


def run(work: Path, files: list[str] | None = None) -> tuple[list[Group], Outcome]:
    all_groups = groups(files)
    outcome = Outcome()
    folder = work / "schemas"
    write_folder(folder, all_groups)
    catalogue = load_accepted(folder, all_groups, outcome)
    cases: list[tuple[str, Any]] = []
    keys: list[tuple[str, int]] = []
    for group in all_groups:
        if group.message in outcome.refused or group.skip:
            continue
        for index, test in enumerate(group.tests):
            cases.append((group.message, {"value": test["data"]}))
            keys.append((group.message, index))
    verdicts = run_validators(catalogue, work / "out", cases)
    for position, key in enumerate(keys):
        outcome.verdicts[key] = {name: verdicts[name][position] for name in VALIDATORS}
    return all_groups, outcome


def disagreements(all_groups: list[Group], outcome: Outcome) -> Iterator[str]:
    for group in all_groups:
        for index, test in enumerate(group.tests):
            got = outcome.verdicts.get((group.message, index))
            if got is None:
                continue
            for name, verdict in got.items():
                if verdict is not test["valid"]:
                    said = verdict if isinstance(verdict, str) else "the opposite"
                    yield (
                        f"{name}: {group.file} #{group.index} {group.description!r} / "
                        f"{test['description']!r}: expected "
                        f"{'valid' if test['valid'] else 'invalid'}, got {said}"
                    )


def report(all_groups: list[Group], outcome: Outcome) -> str:
    rows: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for group in all_groups:
        row = rows[group.file]
        row["groups"] += 1
        if group.message in outcome.refused:
            row["refused"] += 1
            continue
        if group.skip:
            row["skipped"] += 1
            continue
        for index, test in enumerate(group.tests):
            row["tests"] += 1
            for name, verdict in outcome.verdicts[(group.message, index)].items():
                row[name] += verdict is test["valid"]
    head = f"{'file':<36} {'groups':>6} {'refused':>7} {'tests':>5} " + " ".join(
        f"{n:>10}" for n in VALIDATORS
    )
    lines = [head]
    total: dict[str, int] = defaultdict(int)
    for name, row in rows.items():
        for k, v in row.items():
            total[k] += v
        lines.append(_row(name, row))
    lines.append(_row("total", total))
    lines.append("")
    lines += [
        f"refused: {g.file} #{g.index} ({g.message}): {outcome.refused[g.message]}"
        for g in all_groups
        if g.message in outcome.refused
    ]
    lines += [f"skipped: {g.file} #{g.index}: {g.skip}" for g in all_groups if g.skip]
    return "\n".join(lines)


def _row(name: str, row: dict[str, int]) -> str:
    agree = " ".join(f"{row[n]:>5}/{row['tests']:<4}" for n in VALIDATORS)
    return f"{name:<36} {row['groups']:>6} {row['refused']:>7} {row['tests']:>5} {agree}"


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        all_groups, outcome = run(Path(tmp))
    print(report(all_groups, outcome))
    wrong = list(disagreements(all_groups, outcome))
    print("\n".join(wrong) if wrong else "every validator agrees with the suite on every test")
    return 1 if wrong else 0


if __name__ == "__main__":
    raise SystemExit(main())
