"""generated/typescript as the tests use it: its npm dependencies installed and `npm run
build` done, once per run however many workers ask (see support.shared)."""

from __future__ import annotations

from pathlib import Path

import pytest

from support.cli import run
from support.paths import ROOT
from support.shared import locked, once_per_run

PACKAGE_DIR = ROOT / "generated" / "typescript"


def ensure_dependencies(package_dir: Path) -> None:
    """npm install the package's declared dependencies unless they are installed already.

    No lockfile is written: generated/ holds only what the generator renders. Under a lock:
    workers that find node_modules half-installed by another would install over it.
    """
    with locked("npm-install"):
        if (package_dir / "node_modules").is_dir():
            if run(["npm", "ls", "--depth=0"], cwd=package_dir).returncode == 0:
                return
        npm_install = ["npm", "install", "--no-package-lock", "--no-audit", "--no-fund"]
        run([*npm_install, "--loglevel=error"], cwd=package_dir, check=True)


def build(package_dir: Path) -> None:
    run(["npm", "run", "--silent", "build"], cwd=package_dir, check=True)


def built_package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """generated/typescript with its dependencies installed and dist/ built in this run.

    Built once: a second build would rewrite dist/ while other workers' node processes
    read it."""
    if not (PACKAGE_DIR / "package.json").is_file():
        pytest.fail("generated/typescript is missing: run `worker-client-gen generate`")

    def install_and_build() -> None:
        ensure_dependencies(PACKAGE_DIR)
        build(PACKAGE_DIR)

    once_per_run("typescript-package", tmp_path_factory, install_and_build)
    return PACKAGE_DIR
