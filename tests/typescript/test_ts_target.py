"""The TypeScript target as a pure function: what it renders, deterministically, and how the
CLI's generate/check treat it. (The compiler and node tests live beside this file.)"""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner
from ts_support import PACKAGE_DIR, ROOT

from generator import pipeline
from generator.cli import main
from generator.ir import TypeExpr
from generator.schema import load_schemas
from generator.targets import RunContext, typescript
from generator.targets.typescript_types import ts_type

MINIMAL = ROOT / "tests" / "fixtures" / "minimal"
TYPES_FIXTURE = ROOT / "tests" / "fixtures" / "typescript-types"


def test_render_is_deterministic_and_stays_in_its_folder() -> None:
    first = typescript.render(load_schemas(TYPES_FIXTURE), RunContext())
    second = typescript.render(load_schemas(TYPES_FIXTURE), RunContext())
    assert first == second
    assert all(path.startswith("typescript/") for path in first)
    assert {
        "typescript/package.json",
        "typescript/tsconfig.json",
        "typescript/README.md",
        "typescript/src/index.ts",
        "typescript/src/client.ts",
        "typescript/src/types.ts",
        "typescript/src/messageTypes.ts",
        "typescript/src/errors.ts",
        "typescript/src/validation.ts",
        "typescript/src/schemas.ts",
    } <= set(first)
    for path, text in first.items():
        assert str(ROOT) not in text, path
        assert "/tmp/" not in text, path


def test_package_json() -> None:
    files = typescript.render(load_schemas(MINIMAL), RunContext())
    package = json.loads(files["typescript/package.json"])
    assert package["name"] == "@mesh-sync/worker-backend-client"
    assert package["version"] == "0.0.0"  # the fixture has no VERSION file
    assert package["type"] == "module"
    assert package["types"] == "./dist/index.d.ts"
    assert package["exports"]["."]["types"] == "./dist/index.d.ts"
    assert package["exports"]["."]["import"] == "./dist/index.js"
    # src ships too: the source maps in dist/ point into it.
    assert package["files"] == ["dist", "src", "README.md"]
    assert package["scripts"]["build"] == "tsc -p tsconfig.json"
    assert package["engines"]["node"] == ">=18"
    # The transport is the platform fetch: the only runtime dependencies are the validator's.
    assert set(package["dependencies"]) == {"re2js"}
    # bullmq is an optional peer: only the "./worker" entry point needs it (and a Redis client
    # such as ioredis); both, and node's types for worker.ts, are there to build and test.
    assert set(package["devDependencies"]) == {"typescript", "bullmq", "ioredis", "@types/node"}
    assert package["peerDependencies"] == {"bullmq": package["devDependencies"]["bullmq"]}
    assert package["peerDependenciesMeta"] == {"bullmq": {"optional": True}}
    assert package["exports"]["./worker"]["import"] == "./dist/worker.js"
    tsconfig = json.loads(files["typescript/tsconfig.json"])["compilerOptions"]
    assert tsconfig["strict"] is True and tsconfig["declaration"] is True
    assert (tsconfig["module"], tsconfig["target"]) == ("NodeNext", "ES2022")


def test_version_comes_from_the_catalogue() -> None:
    catalogue = load_schemas(ROOT / "schemas")
    files = typescript.render(catalogue, RunContext())
    assert json.loads(files["typescript/package.json"])["version"] == catalogue.version
    assert (
        f"export const VERSION = {json.dumps(catalogue.version)};"
        in files["typescript/src/constants.ts"]
    )


def test_type_spellings() -> None:
    string = TypeExpr("string")
    assert (
        ts_type(TypeExpr("array", items=TypeExpr("union", variants=(string, TypeExpr("null")))))
        == "(string | null)[]"
    )
    assert ts_type(TypeExpr("map", values=TypeExpr("any"))) == "Record<string, unknown>"
    assert ts_type(TypeExpr("string", enum=("a", 'b"'))) == '"a" | "b\\""'
    assert ts_type(TypeExpr("string", enum=("a",)), literals=False) == "string"
    assert ts_type(TypeExpr("union", variants=(string, TypeExpr("any")))) == "unknown"
    assert ts_type(TypeExpr("integer", enum=(1, 2))) == "1 | 2"


def test_types_file_spells_every_shape() -> None:
    types = typescript.render(load_schemas(TYPES_FIXTURE), RunContext())["typescript/src/types.ts"]
    body = types[types.index("export interface ShapeRequestMessage") :]
    for line in (
        "  id: string;",
        '  kind: "alpha" | "beta";',
        "  count?: number;",
        "  fixed?: 3;",
        "  items: Part[];",
        '  tags?: ("x" | "y")[];',
        "  note?: string | null;",
        "  either?: string | number;",
        "  anything?: unknown;",
        "  meta?: Record<string, unknown>;",
        "  scores?: Record<string, number>;",
        "  labelled?: ShapeRequestLabelled;",
        '  "x-trace-id"?: string;',
        "  class?: string;",
    ):
        assert f"\n{line}\n" in body, line
    assert "export type ShapeRequestEmpty = Record<string, never>;" in types
    labelled = types[types.index("export interface ShapeRequestLabelled") :]
    assert "[key: string]: unknown;" in labelled.split("}")[0]
    assert "[key: string]" not in body.split("\n}")[0]


def test_generate_defaults_to_every_target_and_check_covers_typescript(tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "out"
    result = runner.invoke(main, ["generate", "--schemas", str(MINIMAL), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "typescript" in result.output
    assert (out / "typescript" / "package.json").is_file()
    assert (out / "typescript" / "src" / "client.ts").is_file()

    args = ["check", "--schemas", str(MINIMAL), "--out", str(out), "--target", "typescript"]
    assert runner.invoke(main, args).exit_code == 0
    types = out / "typescript" / "src" / "types.ts"
    types.write_text(types.read_text() + "// hand edit\n")
    result = runner.invoke(main, args)
    assert result.exit_code == 1
    assert "typescript/src/types.ts" in result.output


def test_committed_package_is_what_the_schemas_say() -> None:
    catalogue = load_schemas(ROOT / "schemas")
    files = pipeline.render_all(catalogue, ["typescript"])
    drift = pipeline.compare_tree(PACKAGE_DIR.parent, files, ["typescript/"], "generated")
    assert drift.clean, (sorted(drift.stale), drift.missing, drift.extra)
