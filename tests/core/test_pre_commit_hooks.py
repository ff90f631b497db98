"""`.pre-commit-hooks.yaml`, run by pre-commit itself: a scratch repository that keeps schemas
and generated clients uses this repository's `validate` and `check` hooks; they pass on a
clean tree and fail, saying where, on a broken schema and on a hand-edited generated file."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest
from support import ROOT, run

pytestmark = pytest.mark.slow

HOOK_REPO_FILES = (
    "generator",
    "templates",
    "pyproject.toml",
    "README.md",
    ".pre-commit-hooks.yaml",
)


def _git(cwd: Path, *args: str) -> str:
    env = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.invalid"}
    env |= {"GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.invalid"}
    return run(["git", *args], cwd=cwd, env=env, check=True).stdout.strip()


def _commit_all(repo: Path) -> str:
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "--no-verify", "-m", "state")
    return _git(repo, "rev-parse", "HEAD")


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("pre-commit")
    hooks = base / "hooks"
    hooks.mkdir()
    ignore = shutil.ignore_patterns("__pycache__", "node_modules", "dist")
    for name in HOOK_REPO_FILES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, hooks / name, ignore=ignore)
        else:
            shutil.copy(source, hooks / name)
    _git(hooks, "init", "-q")
    rev = _commit_all(hooks)
    repo = base / "scratch"
    repo.mkdir()
    shutil.copytree(ROOT / "schemas", repo / "schemas")
    shutil.copytree(ROOT / "generated", repo / "generated", ignore=ignore)
    (repo / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {hooks}\n    rev: {rev}\n    hooks:\n"
        "      - id: worker-client-gen-validate\n      - id: worker-client-gen-check\n"
    )
    _git(repo, "init", "-q")
    _commit_all(repo)
    return repo


def _pre_commit(repo: Path) -> tuple[int, str]:
    env = {"PRE_COMMIT_HOME": str(repo.parent / "pre-commit-home"), "PRE_COMMIT_COLOR": "never"}
    env["WORKER_CLIENT_GEN_CACHE_DIR"] = str(repo.parent / "cache")
    proc = run(
        [sys.executable, "-m", "pre_commit", "run", "--all-files"], cwd=repo, env=env, timeout=900
    )
    return proc.returncode, proc.stdout + proc.stderr


def test_the_hooks_pass_on_a_clean_tree(scratch: Path) -> None:
    code, out = _pre_commit(scratch)
    assert code == 0, out
    assert "worker-client-gen validate" in out and "worker-client-gen check" in out
    assert out.count("Passed") == 2, out


def test_validate_and_check_fail_on_a_broken_schema(scratch: Path) -> None:
    schema = scratch / "schemas" / "file-download-request.yaml"
    good = schema.read_text()
    try:
        schema.write_text(good.replace("    type: string\n", "    type: strng\n", 1))
        code, out = _pre_commit(scratch)
        assert code == 1, out
        assert "schemas/file-download-request.yaml#/properties/" in out
        assert "'strng' is not a valid type" in out
    finally:
        schema.write_text(good)


def test_check_fails_on_a_hand_edited_generated_file(scratch: Path) -> None:
    readme = scratch / "generated" / "python" / "README.md"
    good = readme.read_text()
    try:
        readme.write_text(good + "\nedited by hand\n")
        code, out = _pre_commit(scratch)
        assert code == 1, out
        assert "generated/python/README.md" in out and "stale" in out
        assert out.count("Passed") == 1, out  # validate still passes
    finally:
        readme.write_text(good)
