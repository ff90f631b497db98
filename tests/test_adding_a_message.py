"""README "Adding or changing a message type", followed step by step on a copy of the
project: a new message type passes `validate`, `generate` and `check`, and the schema tests
(which hold the seed messages to the published clients) still pass with it."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest
from support import ROOT, run, run_cli

NEW_MESSAGE = """\
$schema: https://json-schema.org/draft/2020-12/schema
title: ThumbnailCleanupRequestMessage
description: Removes the stored thumbnails of a model that was deleted.
type: object
additionalProperties: false
required: [modelId]
properties:
  modelId:
    type: string
    description: The model whose thumbnails are removed.
  dryRun:
    type: boolean
    description: List what would be removed without removing it.
examples:
  - modelId: model-123
    dryRun: true
"""


@pytest.mark.slow
def test_a_new_message_type_is_welcome(tmp_path: Path) -> None:
    copy = tmp_path / "project"
    copy.mkdir()
    shutil.copytree(ROOT / "schemas", copy / "schemas")
    shutil.copytree(
        ROOT / "tests", copy / "tests", ignore=shutil.ignore_patterns("__pycache__", "node_modules")
    )
    shutil.copy(ROOT / "pyproject.toml", copy / "pyproject.toml")

    # 1. Write schemas/<message-type>.yaml.
    (copy / "schemas" / "thumbnail-cleanup-request.yaml").write_text(NEW_MESSAGE)
    # 2. validate until it says ok.
    validated = run_cli("validate", cwd=copy)
    assert validated.returncode == 0, validated.stderr
    count = len(list((copy / "schemas").glob("*.yaml")))
    assert validated.stdout.startswith(f"ok: {count} messages")
    # 3. generate, then check agrees.
    generated = run_cli("generate", cwd=copy)
    assert generated.returncode == 0, generated.stderr
    python = "".join(p.read_text() for p in (copy / "generated" / "python").rglob("*.py"))
    assert "def thumbnail_cleanup_request(" in python
    typescript = "".join(p.read_text() for p in (copy / "generated" / "typescript").rglob("*.ts"))
    assert "thumbnailCleanupRequest(" in typescript
    checked = run_cli("check", cwd=copy)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    # The schema tests run on the copy, the new message included.
    suite = run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/test_seeds.py"],
        cwd=copy,
    )
    assert suite.returncode == 0, suite.stdout[-3000:] + suite.stderr[-2000:]
    assert "thumbnail-cleanup-request" in run_cli("list", cwd=copy).stdout
