"""The client runtime is plain source: copied as it is, linted as source, and type-checked
inside a package rendered for a catalogue other than schemas/ (so it cannot lean on it)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from support import run, run_cli
from support.typecheck import mypy_strict

from generator.templating import runtime_files, runtime_root

ROOT = Path(__file__).resolve().parents[2]
GENERATED = ROOT / "generated"
# language -> where its runtime lands below generated/
PACKAGES = {"python": GENERATED / "python", "typescript": GENERATED / "typescript"}


@pytest.mark.parametrize("language", sorted(PACKAGES))
def test_runtime_files_are_copied_byte_for_byte(language: str) -> None:
    files = runtime_files(language)
    assert files, f"generator/runtime/{language}/ is empty"
    for path, text in files.items():
        copied = PACKAGES[language] / path
        assert copied.read_text(encoding="utf-8") == text, path


def test_python_runtime_is_lint_clean_as_source() -> None:
    source = runtime_root() / "python"
    for tool in (["ruff", "check"], ["black", "--check", "--quiet"]):
        proc = run([sys.executable, "-m", *tool, str(source)], cwd=ROOT, check=False)
        assert proc.returncode == 0, proc.stdout + proc.stderr


def test_python_runtime_type_checks_for_another_catalogue(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    out = tmp_path / "out"
    fixture = ROOT / "tests" / "fixtures" / "minimal"
    made = run_cli("generate", "--schemas", str(fixture), "--out", str(out), "--target", "python")
    assert made.returncode == 0, made.stdout + made.stderr
    package = out / "python" / "worker_client"
    for path in runtime_files("python"):
        assert (out / "python" / path).is_file(), path
    proc = mypy_strict(tmp_path_factory, [str(package)], cwd=out / "python")
    assert proc.returncode == 0, proc.stdout + proc.stderr
