"""The kitchen-sink fixture: every supported keyword, recursion (direct and mutual, a
recursive union), unions, tuples and hostile names, with its generated output committed
beside it (tests/fixtures/kitchen-sink/generated), compared as generated/ is. Its Python
package passes mypy --strict, its TypeScript package compiles, and `serve` takes its example
and refuses a payload that breaks a rule only a 2020-12 validator sees."""

from __future__ import annotations

import copy
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import requests
from support import FIXTURES, ROOT, logged_serve
from support.typecheck import mypy_strict

from generator import pipeline
from generator.examples import example_payload
from generator.ir import Catalogue
from generator.schema import load_schemas

FIXTURE = FIXTURES / "kitchen-sink"
TARGETS = ["python", "typescript", "openapi", "asyncapi"]
PREFIXES = ["python/", "typescript/", "openapi.yaml", "asyncapi.yaml"]
MESSAGE = "kitchen-sink-request"


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return load_schemas(FIXTURE / "schemas")


def test_the_committed_output_is_what_generate_renders(catalogue: Catalogue) -> None:
    files = pipeline.render_all(catalogue, TARGETS)
    drift = pipeline.compare_tree(FIXTURE / "generated", files, PREFIXES, "kitchen-sink")
    assert drift.clean, (
        "tests/fixtures/kitchen-sink/generated is stale: run `worker-client-gen generate "
        "--schemas tests/fixtures/kitchen-sink/schemas --out tests/fixtures/kitchen-sink/generated`"
    )


def test_types_follow_the_schema(catalogue: Catalogue) -> None:
    types = (FIXTURE / "generated" / "python" / "worker_client" / "types.py").read_text()
    assert "children: NotRequired[list[TreeNode]]" in types  # direct recursion
    assert 'Expr: TypeAlias = "str | float | list[Expr]"' in types  # a recursive union
    ts = (FIXTURE / "generated" / "typescript" / "src" / "types.ts").read_text()
    assert "pair?: [string, number?];" in ts  # prefixItems, items: false, minItems: 1
    assert 'mode: 1 | "fast" | null | true;' in ts  # a mixed-type enum
    assert "readonly createdBy?: string;" in ts and "@deprecated" in ts
    fields = [f.name for f in catalogue.message(MESSAGE).payload.fields]
    py_order = [line.split('"')[1] for line in types.splitlines() if line.startswith('        "')]
    assert py_order == fields  # schema order, not alphabetical


def test_the_openapi_components_refer_to_themselves() -> None:
    # (openapi-spec-validator reads `pattern` with Python's re, which has no \p{Lu}: the
    # document is checked against the validator on generated/, whose patterns re can read.)
    import yaml

    document = yaml.safe_load((FIXTURE / "generated" / "openapi.yaml").read_text())
    person = document["components"]["schemas"]["Person"]
    assert person["properties"]["favourite"] == {"$ref": "#/components/schemas/TreeNode"}
    node = document["components"]["schemas"]["TreeNode"]
    assert node["properties"]["children"]["items"] == {"$ref": "#/components/schemas/TreeNode"}


@pytest.mark.slow
def test_the_python_package_passes_mypy_strict(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    package = tmp_path / "python"
    shutil.copytree(FIXTURE / "generated" / "python", package)
    checked = mypy_strict(tmp_path_factory, ["worker_client"], cwd=package)
    assert checked.returncode == 0, checked.stdout


@pytest.mark.slow
@pytest.mark.parametrize(
    "package", [FIXTURE / "generated" / "python", ROOT / "generated" / "python"]
)
def test_the_whole_python_package_passes_pyright_strict(package: Path, tmp_path: Path) -> None:
    copy_ = tmp_path / "python"
    shutil.copytree(package, copy_)
    (copy_ / "pyrightconfig.json").write_text(
        '{"typeCheckingMode": "strict", "pythonVersion": "3.10"}'
    )
    checked = subprocess.run(
        [sys.executable, "-m", "pyright", "worker_client"],
        cwd=copy_,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr


@pytest.mark.slow
def test_the_typescript_package_compiles(tmp_path: Path) -> None:
    sys.path.insert(0, str(ROOT / "tests" / "typescript"))
    import ts_support

    package = tmp_path / "typescript"
    shutil.copytree(FIXTURE / "generated" / "typescript", package)
    ts_support.ensure_dependencies(ts_support.PACKAGE_DIR)
    (package / "node_modules").symlink_to(ts_support.PACKAGE_DIR / "node_modules", True)
    ts_support.build(package)
    assert (package / "dist" / "types.d.ts").is_file()


def test_serve_takes_the_example_and_refuses_what_only_2020_12_sees(
    catalogue: Catalogue,
) -> None:
    example = example_payload(catalogue, catalogue.message(MESSAGE))
    broken: list[tuple[str, Any]] = []
    for path, value in [
        (("merged", "c"), 1),  # unevaluatedProperties: false after allOf
        (("conditional",), {"size": 3}),  # else: not required [size]; dependentRequired
        (("tags",), ["main", "main2", "main"]),  # uniqueItems
        (("code",), "١٢٣-ABC"),  # \d is ASCII: Arabic-Indic digits do not match
        (("pair",), ["a", 3]),  # multipleOf 2 on a tuple item
    ]:
        payload = copy.deepcopy(example)
        target = payload
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value
        broken.append((".".join(path), payload))
    with logged_serve(catalogue) as server:
        url = f"{server.url}/api/jobs/{MESSAGE}"
        answer = requests.post(url, json={"payload": example}, timeout=30)
        assert answer.status_code == 201, answer.text
        for what, payload in broken:
            answer = requests.post(url, json={"payload": payload}, timeout=30)
            assert answer.status_code == 422, (what, answer.text)
