"""The cache never makes `check` pass when the output would differ.

On a copy of the project tree (so the real templates stay untouched), with one cache folder
shared by every run: after a clean `generate`, a template, a message schema and a shared
definition are changed in turn, and `check` must fail (exit 1) each time, although the cache
holds results for the unchanged input and toolchain. Real processes, as CI runs them.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from support import ROOT, run_cli

from generator.transaction import JOURNAL


def _cli(tree: Path, cache: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "WORKER_CLIENT_GEN_CACHE_DIR": str(cache),
        # The copy's generator and templates, not the installed checkout's.
        "PYTHONPATH": str(tree),
    }
    env.pop("WORKER_CLIENT_GEN_NO_CACHE", None)
    return run_cli(*args, cwd=tree, env=env)


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    base = tmp_path_factory.mktemp("check-safety")
    copy = base / "project"
    copy.mkdir()
    for name in ("generator", "templates", "schemas"):
        shutil.copytree(ROOT / name, copy / name, ignore=shutil.ignore_patterns("__pycache__"))
    cache = base / "cache"
    first = _cli(copy, cache, "generate", "--out", "generated")
    assert first.returncode == 0, first.stderr
    clean = _cli(copy, cache, "check", "--out", "generated")
    assert clean.returncode == 0, clean.stdout + clean.stderr
    return copy, cache


# The file changed (below the copy), the text replaced, its replacement, a stale output file.
CASES = {
    "template": (
        "templates/python/worker_client/_constants.py.jinja",
        "# Payload fields whose values are never shown",
        "# Payload fields whose values are never, ever shown",
        "python/worker_client/_constants.py",
    ),
    "python runtime": (
        "generator/runtime/python/worker_client/_config.py",
        "arguments first, then the environment",
        "arguments first, then the process environment",
        "python/worker_client/_config.py",
    ),
    "contract": (
        "generator/contract/retries.py",
        "DEFAULT_TIMEOUT = 30.0",
        "DEFAULT_TIMEOUT = 31.0",
        "python/worker_client/_constants.py",
    ),
    "typescript runtime": (
        "generator/runtime/typescript/src/platform.ts",
        "/** A random UUID v4",
        "/** A random version 4 UUID",
        "typescript/src/platform.ts",
    ),
    "schema": (
        "schemas/file-download-request.yaml",
        "description: The unique identifier for the model to be downloaded.\n",
        "description: The unique identifier for the model to be downloaded (edited).\n",
        "python/worker_client/types.py",
    ),
    "shared definition": (
        "schemas/shared/storage.yaml",
        "description: UUID of the StorageConnection the file is read through.\n",
        "description: UUID of the StorageConnection the file is read through (edited).\n",
        "python/worker_client/types.py",
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_check_catches_every_kind_of_change(tree: tuple[Path, Path], case: str) -> None:
    copy, cache = tree
    rel, old, new, stale = CASES[case]  # stale: an output file that must be reported
    path = copy / rel
    original = path.read_text(encoding="utf-8")
    try:
        _replace(path, old, new)
        result = _cli(copy, cache, "check", "--out", "generated")
        assert result.returncode == 1, (case, result.stdout, result.stderr)
        assert stale in result.stdout + result.stderr
    finally:
        path.write_text(original, encoding="utf-8")
    # Back to the original input: the cache serves it and check passes again.
    again = _cli(copy, cache, "check", "--out", "generated")
    assert again.returncode == 0, again.stdout + again.stderr


# What a person or an interrupted run may do to the output folder itself while the input and
# the toolchain stay the same: the recorded digests must not hide any of it.
OUTPUT_CHANGES = {
    "hand edit": lambda out: _replace(out / "openapi.yaml", "openapi: 3.1.0", "openapi: 3.1.1"),
    "missing file": lambda out: (out / "typescript" / "src" / "types.ts").unlink(),
    "extra file": lambda out: (out / "python" / "worker_client" / "stray.py").write_text("x\n"),
    "journal left behind": lambda out: (out / JOURNAL).write_text("{}\n"),
}


@pytest.mark.parametrize("change", list(OUTPUT_CHANGES))
def test_check_and_generate_see_a_changed_output_folder(
    tree: tuple[Path, Path], change: str
) -> None:
    copy, cache = tree
    out = copy / "generated"
    OUTPUT_CHANGES[change](out)
    result = _cli(copy, cache, "check", "--out", "generated")
    assert result.returncode == 1, (change, result.stdout, result.stderr)
    repaired = _cli(copy, cache, "generate", "--out", "generated")
    assert repaired.returncode == 0, repaired.stderr
    if change != "journal left behind":
        assert "  wrote " in repaired.stdout or "  removed " in repaired.stdout, repaired.stdout
    again = _cli(copy, cache, "check", "--out", "generated")
    assert again.returncode == 0, (change, again.stdout + again.stderr)
