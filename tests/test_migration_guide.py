"""docs/migrating-from-4.md runs: each column of snippets (4.x and 5.0, Python and
TypeScript) as one program against `worker-client-gen serve`. The 5.0 ones use the packages
in generated/; the 4.x ones the published 4.1.0 (PyPI) and 4.0.24 (npm) packages, the
latter against `serve --accept-bare-payload`, since it POSTs the bare payload."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from support.processes import ServeProcess, serve_process

ROOT = Path(__file__).resolve().parents[1]
GUIDE = ROOT / "docs" / "migrating-from-4.md"
BLOCK = re.compile(r"<!-- run: (\S+) -->\n```\w+\n(.*?)```", re.S)
PLACEHOLDER = "http://localhost:3000"
OLD_PYPI = "mesh-sync-worker-backend-client==4.1.0"
OLD_NPM = "@mesh-sync/worker-backend-client@4.0.24"
NPM_NAME = "@mesh-sync/worker-backend-client"


def programs() -> dict[str, str]:
    found: dict[str, list[str]] = {}
    for match in BLOCK.finditer(GUIDE.read_text(encoding="utf-8")):
        found.setdefault(match.group(1), []).append(match.group(2))
    return {tag: "\n".join(blocks) for tag, blocks in found.items()}


def test_the_guide_has_both_columns_for_every_topic() -> None:
    found = programs()
    assert set(found) == {"python-4", "python-5", "typescript-4", "typescript-5"}
    text = GUIDE.read_text(encoding="utf-8")
    for language in ("Python", "TypeScript"):
        section = text.split(f"## {language}\n", 1)[1].split("\n## ", 1)[0]
        topics = re.findall(r"^### (.+)$", section, re.M)
        assert topics[:1] == ["Construction"] and len(topics) == 5, topics
        for topic in section.split("\n### ")[1:]:
            assert len(BLOCK.findall(topic)) == 2, topic.splitlines()[0]


@pytest.fixture(scope="module")
def servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, ServeProcess]]:
    logs = tmp_path_factory.mktemp("migration-serve")
    with (
        serve_process(log_dir=logs) as plain,
        serve_process("--accept-bare-payload", log_dir=logs) as bare,
    ):
        yield {"plain": plain, "bare": bare}


def _run(argv: list[str], cwd: Path, env: dict[str, str] | None = None) -> list[str]:
    ran = subprocess.run(
        argv, cwd=cwd, env=env, capture_output=True, text=True, timeout=600, check=False
    )
    assert ran.returncode == 0, ran.stdout + ran.stderr
    return ran.stdout.splitlines()


def _outcome(lines: list[str], created: int) -> None:
    assert [line.split()[0] for line in lines] == ["created"] * created + ["state", "unknown"]
    assert len({line.split()[1] for line in lines[:created]}) == created  # distinct job ids
    assert lines[created:] == ["state waiting", "unknown job"]


def _script(tmp_path: Path, name: str, tag: str, url: str) -> Path:
    path = tmp_path / name
    path.write_text(programs()[tag].replace(PLACEHOLDER, url), encoding="utf-8")
    return path


def test_python_5_snippets(servers: dict[str, ServeProcess], tmp_path: Path) -> None:
    script = _script(tmp_path, "guide5.py", "python-5", servers["plain"].url)
    _outcome(_run([sys.executable, str(script)], tmp_path), created=3)


@pytest.mark.slow
def test_python_4_snippets_with_the_published_4_1_0(
    servers: dict[str, ServeProcess], tmp_path: Path
) -> None:
    venv = tmp_path / "venv"
    _run([sys.executable, "-m", "venv", "--without-pip", str(venv)], tmp_path)
    python = str(venv / "bin" / "python")
    env = {**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    _run(
        [sys.executable, "-m", "pip", "--python", python, "install", "-q", OLD_PYPI], tmp_path, env
    )
    script = _script(tmp_path, "guide4.py", "python-4", servers["plain"].url)
    _outcome(_run([python, str(script)], tmp_path), created=3)


def test_typescript_5_snippets(
    servers: dict[str, ServeProcess], tmp_path: Path, ts_package: Path
) -> None:
    scope = tmp_path / "node_modules" / NPM_NAME.split("/")[0]
    scope.mkdir(parents=True)
    (scope / NPM_NAME.split("/")[1]).symlink_to(ts_package, True)
    script = _script(tmp_path, "guide5.mjs", "typescript-5", servers["plain"].url)
    _outcome(_run(["node", str(script)], tmp_path), created=3)


@pytest.mark.slow
def test_typescript_4_snippets_with_the_published_4_0_24(
    servers: dict[str, ServeProcess], tmp_path: Path
) -> None:
    (tmp_path / "package.json").write_text('{"name": "guide4", "private": true}\n')
    env = {**os.environ, "npm_config_cache": str(tmp_path / "npm-cache")}
    env["npm_config_userconfig"] = os.devnull
    _run(["npm", "install", "--no-audit", "--no-fund", "--silent", OLD_NPM], tmp_path, env)
    script = _script(tmp_path, "guide4.mjs", "typescript-4", servers["bare"].url)
    _outcome(_run(["node", str(script)], tmp_path), created=2)
