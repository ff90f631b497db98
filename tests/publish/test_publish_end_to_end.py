"""`worker-client-gen publish` against real registries on 127.0.0.1 (pypiserver, verdaccio).

One release goes through everything a maintainer meets:
1. npm refuses the upload (no token) after PyPI took it: the report says what was and was not
   published and prints the command that finishes the job;
2. that command, with NPM_TOKEN set, finishes it;
3. publishing the same version again is refused by the pre-flight (exit 2, nothing uploaded);
4. `pip install --index-url` into a fresh virtualenv and `npm install --registry` into a
   fresh node project install what was published, and each README's first example runs
   against `serve`;
5. a next version that drops a message type as a patch release is refused by the pre-flight,
   which compares its API surface with the release on the registry.

No secret appears in any output.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from local_registries import PyPIServer, Verdaccio, pypiserver, verdaccio
from support import run, run_cli

from generator.schema import load_schemas
from generator.server.runner import serve_in_thread

ROOT = Path(__file__).resolve().parents[2]
TWINE_SECRET = "example-twine-password-5f2c"
PLACEHOLDER_URL = "http://localhost:3000"
FIRST_PYTHON_BLOCK = re.compile(r"^```python\n(.*?)^```$", re.M | re.S)
FIRST_TYPESCRIPT_BLOCK = re.compile(r"^```typescript\n(.*?)^```$", re.M | re.S)

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def registries(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[PyPIServer, Verdaccio]]:
    root = tmp_path_factory.mktemp("registries")
    with pypiserver(root) as pypi, verdaccio(root) as npm:
        yield pypi, npm


def _env(pypi: PyPIServer, npm: Verdaccio, home: Path, token: str | None) -> dict[str, str]:
    """This process's environment, with both tools pointed at the local registries only."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("PIP_", "TWINE_", "NPM_", "npm_config_", "GITHUB_"))
    }
    userconfig = home / ".npmrc"
    userconfig.touch()
    env.update(
        {
            "PIP_CONFIG_FILE": os.devnull,
            "PIP_INDEX_URL": pypi.index_url,
            "PIP_DISABLE_PIP_VERSION_CHECK": "1",
            "TWINE_REPOSITORY_URL": pypi.url,
            "TWINE_USERNAME": "release-bot",
            "TWINE_PASSWORD": TWINE_SECRET,
            "npm_config_registry": npm.url + "/",
            "npm_config_userconfig": str(userconfig),
            "npm_config_cache": str(home / "npm-cache"),
        }
    )
    if token is not None:
        env["NPM_TOKEN"] = token
    return env


def _publish(*args: str, env: dict[str, str]) -> tuple[int, str]:
    result = run_cli("publish", *args, cwd=ROOT, env=env, timeout=1200)
    return result.returncode, result.stdout + result.stderr


def test_publish_both_registries_then_install_and_run(
    registries: tuple[PyPIServer, Verdaccio], tmp_path: Path
) -> None:
    pypi, npm = registries
    catalogue = load_schemas(ROOT / "schemas")
    version = catalogue.version
    token = npm.add_user("release-bot", "example-password")
    dist = tmp_path / "dist"
    common = ["--tag", f"v{version}", "--dist", str(dist)]
    secrets = (TWINE_SECRET, token)

    # 1. No npm token: PyPI takes the release, npm refuses it.
    code, out = _publish(*common, env=_env(pypi, npm, tmp_path, token=None))
    assert code == 1, out
    assert f"published: mesh-sync-worker-backend-client {version} on PyPI" in out
    assert f"NOT published: @mesh-sync/worker-backend-client {version} on npm" in out
    finish = re.search(r"fix the cause and run: (worker-client-gen publish .*)$", out, re.M)
    assert finish is not None, out
    assert finish.group(1) == f"worker-client-gen publish --tag v{version} --only npm"
    assert any(p.name.endswith(f"-{version}-py3-none-any.whl") for p in pypi.packages.iterdir())

    # 2. The printed command, with the token, finishes the job (the artifacts are reused).
    finish_args = finish.group(1).split()[2:] + ["--dist", str(dist), "--no-build"]
    code, out2 = _publish(*finish_args, env=_env(pypi, npm, tmp_path, token=token))
    assert code == 0, out2
    assert f"published: @mesh-sync/worker-backend-client {version} on npm" in out2

    # 3. The same version again: the pre-flight refuses, for each registry, before uploading.
    code, out3 = _publish(*common, "--no-build", env=_env(pypi, npm, tmp_path, token=token))
    assert code == 2, out3
    assert f"error: PyPI already has mesh-sync-worker-backend-client {version}" in out3
    assert f"error: npm already has @mesh-sync/worker-backend-client {version}" in out3
    assert "nothing was uploaded" in out3 and "published:" not in out3

    for text in (out, out2, out3):
        for secret in secrets:
            assert secret not in text

    # 4. Install each package from its registry into a fresh place; run its README's example.
    with serve_in_thread(catalogue) as server:
        _python_first_example(pypi, version, server.url, tmp_path)
        _typescript_first_example(npm, version, server.url, tmp_path)

    # 5. The next version drops a message type but claims to be a patch: refused.
    _patch_that_removes_a_message_is_refused(pypi, npm, version, tmp_path)


def _python_first_example(pypi: PyPIServer, version: str, url: str, tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    # No pip of the venv's own (ensurepip costs seconds of CPU): this pip installs into it.
    run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = str(venv / "bin" / "python")
    env = {"PIP_CONFIG_FILE": os.devnull, "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    package = f"mesh-sync-worker-backend-client=={version}"
    pip = [sys.executable, "-m", "pip", "--python", python]
    install = [*pip, "install", "--index-url", pypi.index_url, package]
    run(install, env=env, check=True, timeout=900)
    readme = run(
        [
            python,
            "-c",
            "import importlib.metadata as m; "
            "print(m.metadata('mesh-sync-worker-backend-client').get_payload())",
        ],
        cwd=tmp_path,
        check=True,
    ).stdout
    block = FIRST_PYTHON_BLOCK.search(readme)
    assert block is not None, "the installed package's README has no python example"
    script = tmp_path / "first_example.py"
    script.write_text(block.group(1).replace(PLACEHOLDER_URL, url))
    ran = run([python, str(script)], cwd=tmp_path, check=True)
    assert "Job created: " in ran.stdout and "Job state: waiting" in ran.stdout


def _typescript_first_example(npm: Verdaccio, version: str, url: str, tmp_path: Path) -> None:
    project = tmp_path / "node-project"
    project.mkdir()
    (project / "package.json").write_text('{"name": "readme-example", "private": true}\n')
    env = {"npm_config_cache": str(tmp_path / "npm-cache"), "npm_config_userconfig": os.devnull}
    package = f"@mesh-sync/worker-backend-client@{version}"
    install = ["npm", "install", "--no-audit", "--no-fund", "--registry", npm.url, package]
    run(install, cwd=project, env=env, check=True, timeout=900)
    installed = project / "node_modules" / "@mesh-sync" / "worker-backend-client"
    block = FIRST_TYPESCRIPT_BLOCK.search((installed / "README.md").read_text(encoding="utf-8"))
    assert block is not None, "the installed package's README has no typescript example"
    # The first example is plain JavaScript as well (no annotations): run it as a module.
    script = project / "first_example.mjs"
    script.write_text(block.group(1).replace(PLACEHOLDER_URL, url))
    ran = run(["node", str(script)], cwd=project, check=True)
    assert "Job created: " in ran.stdout and "Job state: waiting" in ran.stdout


def _patch_that_removes_a_message_is_refused(
    pypi: PyPIServer, npm: Verdaccio, version: str, tmp_path: Path
) -> None:
    major, minor, patch = (int(p) for p in version.split("-")[0].split("."))
    next_version = f"{major}.{minor}.{patch + 1}"
    project = tmp_path / "next"
    shutil.copytree(ROOT / "schemas", project / "schemas")
    (project / "schemas" / "ip-check-request.yaml").unlink()
    (project / "schemas" / "VERSION").write_text(next_version + "\n")
    (project / "CHANGELOG.md").write_text(f"# Changelog\n\n## {next_version}\n\n- Patch.\n")
    generated = project / "generated"
    made = run_cli("generate", "--schemas", str(project / "schemas"), "--out", str(generated))
    assert made.returncode == 0, made.stderr
    args = ["--schemas", str(project / "schemas"), "--generated", str(generated)]
    args += ["--changelog", str(project / "CHANGELOG.md"), "--dist", str(project / "dist")]
    args += ["--tag", f"v{next_version}", "--only", "pypi"]
    code, out = _publish(*args, env=_env(pypi, npm, tmp_path, token=None))
    assert code == 2, out
    problems = [line for line in out.splitlines() if line.startswith("error: ")]
    assert (
        f"error: PyPI: mesh-sync-worker-backend-client {version} -> {next_version} is a patch "
        f"step, but ip-check-request: message type removed (since {version}) needs a major one"
    ) in problems, out
    assert (
        "error: PyPI: mesh-sync-worker-backend-client "
        f"{version} -> {next_version} is a patch step, but mesh-sync-worker-backend-client: "
        f"method ip_check_request removed (since {version}) needs a major one"
    ) in problems, out
    assert not any(next_version in p.name for p in pypi.packages.iterdir())
