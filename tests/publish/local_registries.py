"""Real package registries on 127.0.0.1 for the publish tests: pypiserver and verdaccio.

pypiserver comes with the `test` extra. verdaccio is installed with npm, once, into a cache
folder (WORKER_CLIENT_GEN_TEST_CACHE, default ~/.cache/worker-client-gen-tests): on Node 20,
verdaccio 6.8.0 needs node-fetch pinned to 2.7.0 through an npm `overrides` entry.

Neither registry reaches out for our packages: pypiserver runs without its fallback and is
seeded with the client's dependencies (downloaded once by pip, with pip's own configuration,
into the cache); verdaccio serves `@mesh-sync/*` only from its own storage and proxies
everything else (re2js, ...) to the registry npm is configured with.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from support import free_port, run

VERDACCIO = "6.8.0"
# What the Python client needs at run time; they are served by the local index too.
PYTHON_DEPENDENCIES = ["requests>=2.31", "jsonschema-rs>=0.60"]
PYTHON_DEPENDENCIES += ["typing_extensions>=4.7"]
# `python -m build` installs the build backend from the index too.
PYTHON_DEPENDENCIES += ["hatchling>=1.24"]


def cache_dir() -> Path:
    configured = os.environ.get("WORKER_CLIENT_GEN_TEST_CACHE")
    root = Path(configured) if configured else Path.home() / ".cache" / "worker-client-gen-tests"
    root.mkdir(parents=True, exist_ok=True)
    return root


def _wait_for(url: str, process: subprocess.Popen[bytes], what: str, log: Path) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"{what} exited {process.returncode}:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(url, timeout=5):  # noqa: S310
                return
        except urllib.error.HTTPError:
            return  # it answers
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"{what} did not answer at {url}:\n{log.read_text()}")


@contextmanager
def _process(cmd: list[str], log: Path, url: str, what: str, cwd: Path) -> Iterator[None]:
    with log.open("wb") as out:
        process = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, cwd=cwd)
    try:
        _wait_for(url, process, what, log)
        yield
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


# --------------------------------------------------------------------------- pypiserver


@dataclass(frozen=True)
class PyPIServer:
    url: str  # upload endpoint (twine's repository URL)
    packages: Path

    @property
    def index_url(self) -> str:
        return self.url + "/simple/"


def python_dependency_wheels() -> list[Path]:
    """The client's dependencies as files, downloaded once with pip's own configuration."""
    folder = cache_dir() / "python-dependencies"
    marker = folder / ".complete"
    if not marker.is_file():
        staging = folder.with_name(folder.name + ".partial")
        shutil.rmtree(staging, ignore_errors=True)
        run(
            [sys.executable, "-m", "pip", "download", "--only-binary", ":all:", "--dest"]
            + [str(staging), *PYTHON_DEPENDENCIES],
            check=True,
            timeout=900,
        )
        shutil.rmtree(folder, ignore_errors=True)
        staging.rename(folder)
        marker.write_text("\n".join(PYTHON_DEPENDENCIES) + "\n")
    return sorted(p for p in folder.iterdir() if p.suffix in (".whl", ".gz"))


@contextmanager
def pypiserver(root: Path) -> Iterator[PyPIServer]:
    packages = root / "pypi-packages"
    packages.mkdir(parents=True)
    for wheel in python_dependency_wheels():
        shutil.copy2(wheel, packages)
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    cmd = [sys.executable, "-m", "pypiserver", "run", "-i", "127.0.0.1", "-p", str(port)]
    cmd += ["-a", ".", "-P", ".", "--disable-fallback", "--server", "wsgiref", str(packages)]
    with _process(cmd, root / "pypiserver.log", url + "/simple/", "pypiserver", root):
        yield PyPIServer(url, packages)


# --------------------------------------------------------------------------- verdaccio


@dataclass(frozen=True)
class Verdaccio:
    url: str

    def add_user(self, name: str, password: str) -> str:
        """Create a user the way `npm adduser` does; returns its token."""
        body = json.dumps({"name": name, "password": password}).encode()
        request = urllib.request.Request(
            f"{self.url}/-/user/org.couchdb.user:{name}",
            data=body,
            method="PUT",
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            token: str = json.loads(response.read())["token"]
        return token


def verdaccio_bin() -> Path:
    """verdaccio installed into the cache folder (npm install, once)."""
    folder = cache_dir() / f"verdaccio-{VERDACCIO}"
    binary = folder / "node_modules" / ".bin" / "verdaccio"
    if binary.is_file():
        return binary
    staging = folder.with_name(folder.name + ".partial")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir()
    manifest = {
        "name": "worker-client-gen-test-verdaccio",
        "private": True,
        "dependencies": {"verdaccio": VERDACCIO},
        # verdaccio 6.8 wants a node-fetch that breaks on Node 20; 2.7.0 works.
        "overrides": {"node-fetch": "2.7.0"},
    }
    (staging / "package.json").write_text(json.dumps(manifest, indent=2))
    run(
        ["npm", "install", "--no-audit", "--no-fund", "--loglevel=error"],
        cwd=staging,
        check=True,
        timeout=900,
    )
    shutil.rmtree(folder, ignore_errors=True)
    staging.rename(folder)
    return binary


def _upstream_npm_registry() -> str:
    return run(["npm", "config", "get", "registry"], check=True).stdout.strip()


@contextmanager
def verdaccio(root: Path) -> Iterator[Verdaccio]:
    binary = verdaccio_bin()
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    home = root / "verdaccio"
    home.mkdir()
    config = f"""
storage: {home / "storage"}
auth:
  htpasswd:
    file: {home / "htpasswd"}
    max_users: 10
uplinks:
  upstream:
    url: {_upstream_npm_registry()}
packages:
  '@mesh-sync/*':
    access: $all
    publish: $authenticated
  '**':
    access: $all
    publish: $authenticated
    proxy: upstream
log: {{type: stdout, format: pretty, level: warn}}
"""
    (home / "config.yaml").write_text(config)
    cmd = [str(binary), "--config", str(home / "config.yaml"), "--listen", f"127.0.0.1:{port}"]
    with _process(cmd, root / "verdaccio.log", url + "/-/ping", "verdaccio", home):
        yield Verdaccio(url)
