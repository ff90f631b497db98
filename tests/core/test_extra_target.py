"""A target is one module: on a copy of the generator, a tiny extra target (its module, its
templates and one registry line, nothing else) is offered by `--target`, renders, is
checked, and its naming rules are enforced by `validate`."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from support import FIXTURES, ROOT, run_cli

EXTRA = FIXTURES / "extra-target"
REGISTRY_LINE = '        Target("glossary", "generator.targets.glossary", "glossary.md"),\n'


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    copy = tmp_path_factory.mktemp("extra-target") / "project"
    for name in ("generator", "templates"):
        shutil.copytree(ROOT / name, copy / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(EXTRA / "glossary.py", copy / "generator" / "targets" / "glossary.py")
    shutil.copytree(EXTRA / "templates", copy / "templates" / "glossary")
    registry = copy / "generator" / "targets" / "__init__.py"
    text = registry.read_text()
    anchor = '        Target("openapi", '
    assert anchor in text
    registry.write_text(text.replace(anchor, REGISTRY_LINE + anchor, 1))
    return copy


def _cli(project: Path, *args: str) -> tuple[int, str]:
    env = {**os.environ, "PYTHONPATH": str(project), "WORKER_CLIENT_GEN_NO_CACHE": "1"}
    proc = run_cli(*args, cwd=project, env=env)
    return proc.returncode, proc.stdout + proc.stderr


def test_the_extra_target_is_a_choice_and_renders(project: Path, tmp_path: Path) -> None:
    code, text = _cli(project, "generate", "--help")
    assert code == 0 and "glossary" in text
    out = tmp_path / "out"
    minimal = str(FIXTURES / "minimal")
    code, text = _cli(
        project, "generate", "--schemas", minimal, "--target", "glossary", "--out", str(out)
    )
    assert code == 0, text
    assert [p.name for p in out.iterdir()] == ["glossary.md"]
    assert '<a id="file-download-request"></a>' in (out / "glossary.md").read_text()
    code, text = _cli(
        project, "check", "--schemas", minimal, "--target", "glossary", "--out", str(out)
    )
    assert code == 0, text


def test_the_extra_targets_naming_rules_are_enforced(project: Path, tmp_path: Path) -> None:
    schemas = tmp_path / "schemas"
    shutil.copytree(FIXTURES / "minimal", schemas)
    source = schemas / "file-download-request.yaml"
    text = source.read_text().replace("FileDownloadRequestMessage", "IndexMessage")
    (schemas / "index.yaml").write_text(text)
    source.unlink()
    code, out = _cli(project, "validate", "--schemas", str(schemas))
    assert code == 2
    assert "'index' maps to the glossary anchor method 'index'" in out
    # The real generator, without the extra target, has no such rule.
    assert run_cli("validate", "--schemas", str(schemas)).returncode == 0
