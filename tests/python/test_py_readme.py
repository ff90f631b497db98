"""The generated README's Python examples run, as written, against a contract-keeping server.

`serve` checks every payload against its schema, so an example with a field that does not
exist, or a value of the wrong type, fails here. Only the README's placeholder URL is
replaced by the local server's.
"""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

import pytest
from py_support import PACKAGE_DIR, run

from generator.ir import Catalogue
from generator.targets.python_naming import method as python_method

README = PACKAGE_DIR / "README.md"
PLACEHOLDER_URL = "http://localhost:3000"
FENCE_RE = re.compile(r"^```python\n(?P<code>.*?)^```$", re.MULTILINE | re.DOTALL)


def python_blocks(text: str) -> list[tuple[int, str]]:
    """(line number, code) of every ```python block."""
    return [(text.count("\n", 0, m.start()) + 1, m["code"]) for m in FENCE_RE.finditer(text)]


BLOCKS = python_blocks(README.read_text(encoding="utf-8")) if README.is_file() else []


def test_the_readme_has_examples_for_every_message(catalogue: Catalogue) -> None:
    code = "\n".join(block for _, block in BLOCKS)
    for message in catalogue.messages:
        assert f"client.{python_method(message.type)}(" in code, message.type
    assert len(BLOCKS) > len(catalogue.messages)


@pytest.mark.parametrize(("line", "code"), BLOCKS, ids=[f"line-{line}" for line, _ in BLOCKS])
def test_readme_python_block_runs(
    line: int, code: str, serve_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("WORKER_BACKEND_URL", serve_url)
    monkeypatch.delenv("WORKER_BACKEND_API_KEY", raising=False)
    monkeypatch.delenv("WORKER_BACKEND_TIMEOUT", raising=False)
    monkeypatch.chdir(tmp_path)
    source = code.replace(PLACEHOLDER_URL, serve_url)
    exec(compile(source, f"{README}:{line}", "exec"), {"__name__": "__readme__"})


@pytest.mark.slow
def test_pip_install_into_a_fresh_virtualenv_runs_the_first_example(
    serve_url: str, tmp_path: Path
) -> None:
    """The package installs from its own pyproject into an empty virtualenv (dependencies from
    the package index) and the README's first example runs there."""
    source = tmp_path / "src"
    shutil.copytree(PACKAGE_DIR, source, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    venv = tmp_path / "venv"
    # No pip of the venv's own (ensurepip costs seconds of CPU): this pip installs into it.
    created = run([sys.executable, "-m", "venv", "--without-pip", str(venv)])
    assert created.returncode == 0, created.stderr
    python = venv / "bin" / "python"
    pip = [sys.executable, "-m", "pip", "--python", str(python)]
    installed = run([*pip, "install", "--disable-pip-version-check", str(source)], timeout=900)
    assert installed.returncode == 0, installed.stdout + installed.stderr
    line, first = BLOCKS[0]
    script = tmp_path / "first_example.py"
    script.write_text(first.replace(PLACEHOLDER_URL, serve_url))
    ran = run([str(python), str(script)], cwd=tmp_path)
    assert ran.returncode == 0, ran.stdout + ran.stderr
    assert "Job created: " in ran.stdout and "Job state: waiting" in ran.stdout
    shown = run([*pip, "show", "mesh-sync-worker-backend-client"])
    assert "Name: mesh-sync-worker-backend-client" in shown.stdout
    # The async client is an extra: without httpx it says how to get it.
    missing = run([str(python), "-c", "from worker_client import AsyncWorkerClient"])
    assert missing.returncode != 0 and "[async]" in missing.stderr
