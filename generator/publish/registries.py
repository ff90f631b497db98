"""The two registries, through their own tools and conventions.

PyPI (or any index that speaks the simple API, pypiserver included): versions and the latest
release are read from the index pip is configured with (`PIP_INDEX_URL`, pip's config files),
files are downloaded without running anything from them, and uploads go through `twine`,
which reads `TWINE_*` and `~/.pypirc` itself.

npm: `npm view`, `npm pack` and `npm publish`, which read `.npmrc` and `npm_config_*`
themselves. When `NPM_TOKEN` is set, npm is handed a user config that refers to the token
by name (`${NPM_TOKEN}`, expanded by npm), so its value is never written down.

Nothing here prints a URL's credentials or a token: every message built from a tool's output
passes `redact` first.
"""

from __future__ import annotations

import hashlib
import html.parser
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from packaging.version import InvalidVersion, Version

from generator.contract.redaction import MIN_SECRET_LENGTH, REDACTED
from generator.versions import version_key

PYPI_NAME = "mesh-sync-worker-backend-client"
NPM_NAME = "@mesh-sync/worker-backend-client"
SECRET_ENV = ("TWINE_PASSWORD", "NPM_TOKEN", "NODE_AUTH_TOKEN", "PYPI_TOKEN")
TIMEOUT = 60


class RegistryError(Exception):
    """The registry could not be asked, or refused."""


@dataclass(frozen=True)
class Registry:
    key: str  # "pypi" or "npm": what `publish --only` takes
    label: str  # "PyPI", "npm"
    package: str  # the name there


PYPI = Registry("pypi", "PyPI", PYPI_NAME)
NPM = Registry("npm", "npm", NPM_NAME)
REGISTRIES = (PYPI, NPM)


def redact(text: str) -> str:
    """Tool output with secret values and URL credentials masked."""
    for name in SECRET_ENV:
        value = os.environ.get(name)
        if value and len(value) >= MIN_SECRET_LENGTH:
            text = text.replace(value, REDACTED)
    masked = r"\1" + REDACTED
    text = re.sub(r"(?i)(_authToken\s*=\s*|_auth\s*=\s*|_password\s*=\s*)\S+", masked, text)
    text = re.sub(r"(?i)(authorization:\s*(?:bearer|basic|token)\s+)\S+", masked, text)
    return re.sub(r"(?<=://)[^/@\s:]+(:[^/@\s]*)?@", REDACTED + "@", text)


def _tool(
    command: list[str], env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run(
            command,
            capture_output=True,
            text=True,
            env={**os.environ, **(env or {})},
            timeout=600,
            check=False,
        )
    except FileNotFoundError as exc:
        raise RegistryError(f"{command[0]} is not installed") from exc
    except subprocess.TimeoutExpired as exc:
        raise RegistryError(f"{command[0]} timed out") from exc


def _last_lines(text: str, count: int = 3) -> str:
    lines = [line.strip() for line in redact(text).splitlines() if line.strip()]
    return " / ".join(lines[-count:]) or "no output"


# --------------------------------------------------------------------------- PyPI


def pip_index_url() -> str:
    """The index pip installs from: PIP_INDEX_URL, pip's config, or pip's own default."""
    configured = os.environ.get("PIP_INDEX_URL")
    if configured:
        return configured.split()[0]
    for key in ("global.index-url", "install.index-url", "download.index-url"):
        result = _tool([sys.executable, "-m", "pip", "config", "get", key])
        if result.returncode == 0 and result.stdout.strip():
            return result.stdout.strip()
    from pip._internal.models.index import PyPI  # pip's default index, wherever it points

    return str(PyPI.simple_url)


class _Links(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[tuple[str, str]] = []  # (href, text)
        self._href: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self._href = dict(attrs).get("href") or ""

    def handle_data(self, data: str) -> None:
        if self._href is not None:
            self.links.append((self._href, data.strip()))
            self._href = None


def _normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def pypi_files(index_url: str, package: str = PYPI_NAME) -> dict[str, str]:
    """{filename: absolute URL} of every file the index lists for the package ({} if none)."""
    page = urllib.parse.urljoin(index_url.rstrip("/") + "/", _normalise(package) + "/")
    request = urllib.request.Request(page, headers={"Accept": "text/html"})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:  # noqa: S310
            body = response.read().decode("utf-8", "replace")
            final = response.geturl()
    except urllib.error.HTTPError as exc:
        if exc.code == 404:
            return {}
        raise RegistryError(f"the index answered {exc.code} for {PYPI_NAME}") from exc
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise RegistryError(f"the index is unreachable ({redact(str(reason))})") from exc
    parser = _Links()
    parser.feed(body)
    return {text: urllib.parse.urljoin(final, href) for href, text in parser.links if text}


# `name-1.2.0.tar.gz`, `name-1.2.0-py3-none-any.whl` (optionally with a build tag).
_DIST_VERSION = re.compile(
    r"^[A-Za-z0-9_.]+?-(\d[^-]*?)(?:\.tar\.gz|\.zip|(?:-\d[^-]*)?-[^-]+-[^-]+-[^-]+\.whl)$"
)


def pypi_versions(files: dict[str, str]) -> set[str]:
    versions = set()
    for filename in files:
        match = _DIST_VERSION.match(filename)
        if match:
            versions.add(match.group(1))
    return versions


def pypi_download(files: dict[str, str], version: str, into: Path) -> Path:
    """The wheel of `version` (else its sdist), its sha256 checked when the index gives one."""
    candidates = [f for f in files if _DIST_VERSION.match(f) and pypi_version_of(f) == version]
    candidates.sort(key=lambda f: (not f.endswith(".whl"), f))
    if not candidates:
        raise RegistryError(f"the index lists no file of {PYPI_NAME} {version}")
    filename = candidates[0]
    url = files[filename]
    try:
        with urllib.request.urlopen(url.split("#")[0], timeout=TIMEOUT) as response:  # noqa: S310
            data = response.read()
    except (urllib.error.URLError, OSError) as exc:
        raise RegistryError(f"cannot download {filename} ({redact(str(exc))})") from exc
    digest = re.search(r"#sha256=([0-9a-f]{64})", url)
    if digest and hashlib.sha256(data).hexdigest() != digest.group(1):
        raise RegistryError(f"{filename}: sha256 does not match the index")
    target = into / filename
    target.write_bytes(data)
    return target


def order_key(registry: Registry) -> Callable[[str], Any]:
    """How the registry orders versions: PEP 440 on PyPI, semver on npm."""
    if registry is PYPI:
        return Version
    return version_key


def is_valid(registry: Registry, version: str) -> bool:
    try:
        order_key(registry)(version)
    except (ValueError, InvalidVersion):
        return False
    return True


def is_final(registry: Registry, version: str) -> bool:
    """A release users get by default: no pre-release or dev suffix."""
    if registry is PYPI:
        parsed = Version(version)
        return not (parsed.is_prerelease or parsed.is_devrelease)
    return "-" not in version


def latest_final(registry: Registry, versions: set[str]) -> str | None:
    valid = [v for v in versions if is_valid(registry, v)]
    final = [v for v in valid if is_final(registry, v)]
    return max(final, key=order_key(registry), default=None)


def pypi_version_of(filename: str) -> str:
    match = _DIST_VERSION.match(filename)
    return match.group(1) if match else ""


def twine_upload(artifacts: list[Path]) -> None:
    """`twine upload` with twine's own configuration (TWINE_*, ~/.pypirc)."""
    command = [sys.executable, "-m", "twine", "upload", "--non-interactive"]
    command += ["--disable-progress-bar", *[str(a) for a in artifacts]]
    result = _tool(command)
    if result.returncode != 0:
        raise RegistryError(f"twine upload failed: {_last_lines(result.stdout + result.stderr)}")


# --------------------------------------------------------------------------- npm


@contextmanager
def npm_env() -> Iterator[dict[str, str]]:
    """Environment for npm: quiet, and NPM_TOKEN wired in by name when it is set."""
    env = {"npm_config_update_notifier": "false", "npm_config_fund": "false"}
    env["npm_config_audit"] = "false"
    if not os.environ.get("NPM_TOKEN"):
        yield env
        return
    registry = _tool(["npm", "config", "get", "registry"], env).stdout.strip()
    if not registry:
        raise RegistryError("npm config get registry printed nothing")
    userconfig = _tool(["npm", "config", "get", "userconfig"], env).stdout.strip()
    existing = Path(userconfig).read_text(encoding="utf-8") if Path(userconfig).is_file() else ""
    host_path = re.sub(r"^https?:", "", registry).rstrip("/") + "/"
    with tempfile.TemporaryDirectory(prefix="wcg-npmrc-") as tmp:
        npmrc = Path(tmp, ".npmrc")
        # `${NPM_TOKEN}` stays literal here: npm expands it when it reads the file.
        npmrc.write_text(existing + f"\n{host_path}:_authToken=${{NPM_TOKEN}}\n", encoding="utf-8")
        yield {**env, "npm_config_userconfig": str(npmrc)}


def npm_versions(package: str = NPM_NAME) -> set[str]:
    with npm_env() as env:
        result = _tool(["npm", "view", package, "versions", "--json"], env)
    if result.returncode != 0:
        if "E404" in result.stdout + result.stderr:
            return set()
        raise RegistryError(f"npm view failed: {_last_lines(result.stdout + result.stderr)}")
    try:
        data = json.loads(result.stdout or "[]")
    except json.JSONDecodeError as exc:
        raise RegistryError(f"npm view printed no JSON: {_last_lines(result.stdout)}") from exc
    return {data} if isinstance(data, str) else {str(v) for v in data}


def npm_latest(package: str = NPM_NAME) -> str | None:
    """The version the `latest` dist-tag points at, None when there is none."""
    with npm_env() as env:
        result = _tool(["npm", "view", package, "dist-tags.latest"], env)
    if result.returncode != 0:
        if "E404" in result.stdout + result.stderr:
            return None
        raise RegistryError(f"npm view failed: {_last_lines(result.stdout + result.stderr)}")
    return result.stdout.strip() or None


def npm_download(version: str, into: Path, package: str = NPM_NAME) -> Path:
    with npm_env() as env:
        command = ["npm", "pack", f"{package}@{version}", "--json", "--pack-destination", str(into)]
        result = _tool(command, {**env, "npm_config_ignore_scripts": "true"})
    if result.returncode != 0:
        raise RegistryError(f"npm pack failed: {_last_lines(result.stdout + result.stderr)}")
    tarballs = sorted(into.glob("*.tgz"))
    if len(tarballs) != 1:
        raise RegistryError(f"npm pack left {len(tarballs)} tarballs")
    return tarballs[0]


def npm_publish(tarball: Path, provenance: bool) -> None:
    command = ["npm", "publish", str(tarball), "--access", "public"]
    if provenance:
        command.append("--provenance")
    with npm_env() as env:
        result = _tool(command, env)
    if result.returncode != 0:
        raise RegistryError(f"npm publish failed: {_last_lines(result.stdout + result.stderr)}")


def which(tool: str) -> bool:
    return shutil.which(tool) is not None
