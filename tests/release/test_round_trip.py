"""Additive schema change -> `bump` -> `generate`: both packages carry the new minor version."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from release_helpers import DIFF_FIXTURES, run_cli


def test_additive_change_bump_generate(make_repo: Callable[..., Path]) -> None:
    repo = make_repo(DIFF_FIXTURES / "optional-field-added" / "old", version="4.1.0")
    schema = repo / "schemas" / "file-download-request.yaml"
    schema.write_text(
        schema.read_text().replace(
            "  size:", "  retries: {type: integer, description: How often to retry.}\n  size:"
        )
    )

    bumped = run_cli("bump", cwd=repo)
    assert bumped.returncode == 0, bumped.stderr
    assert (repo / "schemas" / "VERSION").read_text() == "4.2.0\n"
    changelog = (repo / "CHANGELOG.md").read_text()
    assert "## 4.2.0\n" in changelog
    assert "- `file-download-request`: `retries` optional field added (integer)" in changelog

    generated = run_cli("generate", "--target", "python", "--target", "typescript", cwd=repo)
    assert generated.returncode == 0, generated.stderr
    out = repo / "generated"

    pyproject = (out / "python" / "pyproject.toml").read_text()
    project = pyproject[pyproject.index("[project]\n") :]
    assert re.search(r"""^version = ["']4\.2\.0["']$""", project, re.MULTILINE), project
    package = json.loads((out / "typescript" / "package.json").read_text())
    assert package["version"] == "4.2.0"
    imported = subprocess.run(
        [sys.executable, "-c", "import worker_client; print(worker_client.__version__)"],
        capture_output=True,
        text=True,
        cwd=repo,
        env={**os.environ, "PYTHONPATH": str(out / "python")},
        check=False,
    )
    assert imported.stdout == "4.2.0\n", imported.stderr
    for readme in (out / "python" / "README.md", out / "typescript" / "README.md"):
        text = readme.read_text()
        assert "4.2.0" in text and "4.1.0" not in text, readme
    # The new field reached both clients, and the tree is what `check` expects.
    assert any("retries" in p.read_text() for p in (out / "python").rglob("*.py"))
    assert any("retries" in p.read_text() for p in (out / "typescript" / "src").rglob("*.ts"))
    checked = run_cli("check", "--target", "python", "--target", "typescript", cwd=repo)
    assert checked.returncode == 0, checked.stdout + checked.stderr
