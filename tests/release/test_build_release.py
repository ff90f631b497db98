"""The artifact checks of tools/build_release.py catch what a broken package would miss."""

from __future__ import annotations

import importlib.util
import io
import json
import tarfile
import zipfile
from pathlib import Path
from types import ModuleType

import pytest

TOOL = Path(__file__).resolve().parents[2] / "tools" / "build_release.py"


@pytest.fixture(scope="module")
def tool() -> ModuleType:
    spec = importlib.util.spec_from_file_location("build_release", TOOL)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _package(tmp_path: Path) -> Path:
    package = tmp_path / "pkg"
    (package / "src" / "nested").mkdir(parents=True)
    for rel in ("index.ts", "client.ts", "nested/util.ts", "ambient.d.ts"):
        (package / "src" / rel).write_text("export {};\n")
    (package / "tsconfig.json").write_text(
        json.dumps({"compilerOptions": {"rootDir": "src", "outDir": "dist"}})
    )
    return package


def _tarball(tmp_path: Path, files: dict[str, str]) -> Path:
    path = tmp_path / "pkg.tgz"
    with tarfile.open(path, "w:gz") as archive:
        for name, text in files.items():
            data = text.encode()
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return path


def _complete(version: str = "4.2.0") -> dict[str, str]:
    manifest = {
        "name": "@mesh-sync/worker-backend-client",
        "version": version,
        "main": "./dist/index.js",
        "types": "./dist/index.d.ts",
    }
    files = {"package/package.json": json.dumps(manifest)}
    for stem in ("index", "client", "nested/util"):
        files[f"package/dist/{stem}.js"] = ""
        files[f"package/dist/{stem}.d.ts"] = ""
    return files


def test_complete_npm_tarball_passes(tool: ModuleType, tmp_path: Path) -> None:
    tool.check_npm_tarball(_tarball(tmp_path, _complete()), _package(tmp_path), "4.2.0")


@pytest.mark.parametrize("dropped", ["package/dist/nested/util.d.ts", "package/dist/client.js"])
def test_npm_tarball_missing_compiled_file_fails(
    tool: ModuleType, tmp_path: Path, dropped: str
) -> None:
    files = _complete()
    del files[dropped]
    with pytest.raises(tool.ReleaseCheckError, match=dropped):
        tool.check_npm_tarball(_tarball(tmp_path, files), _package(tmp_path), "4.2.0")


def test_npm_tarball_with_other_version_fails(tool: ModuleType, tmp_path: Path) -> None:
    expected = "expected @mesh-sync/worker-backend-client@4.2.0"
    with pytest.raises(tool.ReleaseCheckError, match=expected):
        tool.check_npm_tarball(_tarball(tmp_path, _complete("4.1.0")), _package(tmp_path), "4.2.0")


def _wheel(tmp_path: Path, version: str, files: list[str]) -> Path:
    path = tmp_path / f"mesh_sync_worker_backend_client-{version}-py3-none-any.whl"
    with zipfile.ZipFile(path, "w") as archive:
        for name in files:
            archive.writestr(name, "")
        archive.writestr(
            f"mesh_sync_worker_backend_client-{version}.dist-info/METADATA",
            f"Metadata-Version: 2.3\nName: mesh-sync-worker-backend-client\nVersion: {version}\n",
        )
    return path


def test_wheel_checks(tool: ModuleType, tmp_path: Path) -> None:
    good = ["worker_client/__init__.py", "worker_client/py.typed"]
    tool.check_wheel(_wheel(tmp_path, "4.2.0", good), "4.2.0")
    with pytest.raises(tool.ReleaseCheckError, match="py.typed"):
        tool.check_wheel(_wheel(tmp_path, "4.2.0", good[:1]), "4.2.0")
