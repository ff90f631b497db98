"""Build and check the release artifacts of both generated packages. Nothing is uploaded.

    python tools/build_release.py [--generated generated] [--schemas schemas] [--out dist]
                                  [--only python|typescript]

`worker-client-gen publish` runs `build_all` (or `check_built` on artifacts built before)
as its first pre-flight step.

Python: `python -m build` (sdist + wheel) from a scratch copy of generated/python,
`twine check --strict`, then a fresh virtualenv installs the wheel and imports
`worker_client`, whose `__version__` must be the version in schemas/VERSION.
TypeScript: in a scratch copy of generated/typescript, `npm install`, `npm run build` and
`npm pack`; the tarball must hold package.json with that version and the compiled `.js`
and `.d.ts` of every module in src/ (the entry points named by package.json included).

Artifacts land in <out>/python/ and <out>/typescript/ (emptied first), ready for a human
to publish (`worker-client-gen publish`).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from pathlib import Path, PurePosixPath

PY_DIST = "mesh_sync_worker_backend_client"
PY_IMPORT = "worker_client"
NPM_NAME = "@mesh-sync/worker-backend-client"
SCRATCH_IGNORE = shutil.ignore_patterns(
    "node_modules", "dist", "build", "*.egg-info", "__pycache__", "*.tsbuildinfo", "*.tgz"
)


TARGETS = ("python", "typescript")


class ReleaseCheckError(Exception):
    """An artifact is missing something, or a build step failed."""


def run(*args: str | Path, cwd: Path | None = None, quiet: bool = False) -> str:
    command = [str(a) for a in args]
    if not quiet:
        print("+", " ".join(command), flush=True)
    env = {**os.environ, "npm_config_update_notifier": "false", "npm_config_fund": "false"}
    result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        sys.stderr.write(result.stdout + result.stderr)
        raise ReleaseCheckError(f"{' '.join(command)} exited {result.returncode}")
    return result.stdout


def expected_version(schemas: Path) -> str:
    version_file = schemas / "VERSION"
    if not version_file.is_file():
        raise ReleaseCheckError(f"{version_file} does not exist")
    return version_file.read_text(encoding="utf-8").strip()


# --------------------------------------------------------------------------- Python


def build_python(source: Path, out: Path, scratch: Path, version: str) -> list[Path]:
    copy = scratch / "python"
    shutil.copytree(source, copy, ignore=SCRATCH_IGNORE)
    run(sys.executable, "-m", "build", "--sdist", "--wheel", "--outdir", out, copy)
    wheel = out / f"{PY_DIST}-{version}-py3-none-any.whl"
    sdist = out / f"{PY_DIST}-{version}.tar.gz"
    built = sorted(out.iterdir())
    if built != sorted([wheel, sdist]):
        names = ", ".join(p.name for p in built)
        raise ReleaseCheckError(f"expected {wheel.name} and {sdist.name}, built: {names}")
    check_wheel(wheel, version)
    check_sdist(sdist, version)
    run(sys.executable, "-m", "twine", "check", "--strict", wheel, sdist)
    return [sdist, wheel]


def check_wheel(wheel: Path, version: str) -> None:
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        for required in (f"{PY_IMPORT}/__init__.py", f"{PY_IMPORT}/py.typed"):
            if required not in names:
                raise ReleaseCheckError(f"{wheel.name} lacks {required}")
        metadata = archive.read(f"{PY_DIST}-{version}.dist-info/METADATA").decode()
    _check_metadata_version(metadata, version, wheel.name)


def check_sdist(sdist: Path, version: str) -> None:
    with tarfile.open(sdist) as archive:
        member = archive.extractfile(f"{PY_DIST}-{version}/PKG-INFO")
        if member is None:
            raise ReleaseCheckError(f"{sdist.name} lacks PKG-INFO")
        _check_metadata_version(member.read().decode(), version, sdist.name)


def _check_metadata_version(metadata: str, version: str, where: str) -> None:
    found = re.search(r"^Version: (.+)$", metadata, re.MULTILINE)
    if found is None or found.group(1).strip() != version:
        got = found.group(1) if found else "none"
        raise ReleaseCheckError(f"{where}: metadata version {got}, expected {version}")


def smoke_install(wheel: Path, scratch: Path, version: str) -> None:
    """A fresh virtualenv installs the wheel (and its dependencies) and imports it."""
    venv = scratch / "venv"
    # Without a pip of its own: seeding one costs seconds of CPU (ensurepip compiles all of
    # pip); this process's pip installs into it (`pip --python`, run by its interpreter).
    run(sys.executable, "-m", "venv", "--without-pip", venv)
    python = venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    pip: list[str | Path] = [sys.executable, "-m", "pip", "--python", python]
    run(*pip, "install", "--quiet", "--disable-pip-version-check", wheel)
    # Run outside the repository so nothing but the installed wheel can be imported.
    printed = run(
        python, "-c", f"import {PY_IMPORT}; print({PY_IMPORT}.__version__)", cwd=scratch
    ).strip()
    if printed != version:
        raise ReleaseCheckError(f"installed {PY_IMPORT}.__version__ is {printed}, not {version}")
    print(f"{PY_IMPORT} {printed} imports from a fresh virtualenv")


# --------------------------------------------------------------------------- TypeScript


def build_typescript(source: Path, out: Path, scratch: Path, version: str) -> Path:
    copy = scratch / "typescript"
    shutil.copytree(source, copy, ignore=SCRATCH_IGNORE)
    # generated/typescript has no lockfile (one would not follow from the schemas alone).
    run("npm", "install", "--no-audit", cwd=copy)
    run("npm", "run", "build", cwd=copy)
    report = run("npm", "pack", "--json", "--pack-destination", out, cwd=copy)
    packed = json.loads(report[report.index("[") :])  # lifecycle scripts may log first
    tarball = out / str(packed[0]["filename"])
    check_npm_tarball(tarball, copy, version)
    return tarball


def check_npm_tarball(tarball: Path, package_dir: Path, version: str) -> None:
    """The packed tarball holds package.json at `version` and a .js and .d.ts per module."""
    with tarfile.open(tarball) as archive:
        names = set(archive.getnames())
        if "package/package.json" not in names:
            raise ReleaseCheckError(f"{tarball.name} lacks package/package.json")
        member = archive.extractfile("package/package.json")
        if member is None:
            raise ReleaseCheckError(f"{tarball.name} lacks package/package.json")
        packed = json.loads(member.read())
    if packed.get("name") != NPM_NAME or packed.get("version") != version:
        raise ReleaseCheckError(
            f"{tarball.name} is {packed.get('name')}@{packed.get('version')}, "
            f"expected {NPM_NAME}@{version}"
        )
    expected = set()
    for field in ("main", "types"):
        if isinstance(packed.get(field), str):
            expected.add(_in_package(packed[field]))
    tsconfig = json.loads((package_dir / "tsconfig.json").read_text(encoding="utf-8"))
    options = tsconfig.get("compilerOptions", {})
    root_dir = PurePosixPath(options.get("rootDir", "src"))
    out_dir = PurePosixPath(options.get("outDir", "dist"))
    sources = sorted((package_dir / str(root_dir)).rglob("*.ts"))
    modules = [s for s in sources if not s.name.endswith(".d.ts")]
    if not modules:
        raise ReleaseCheckError(f"no TypeScript sources under {package_dir / str(root_dir)}")
    for module in modules:
        rel = PurePosixPath(module.relative_to(package_dir / str(root_dir)).as_posix())
        stem = out_dir / rel.with_suffix("")
        expected |= {_in_package(f"{stem}.js"), _in_package(f"{stem}.d.ts")}
    missing = sorted(expected - names)
    if missing:
        raise ReleaseCheckError(f"{tarball.name} lacks {', '.join(missing)}")
    print(f"{tarball.name}: {len(modules)} modules, each with .js and .d.ts")


def _in_package(path: str) -> str:
    return str(PurePosixPath("package") / PurePosixPath(path.removeprefix("./")))


# --------------------------------------------------------------------------- both


def build_all(
    generated: Path, schemas: Path, out: Path, only: str | None = None
) -> dict[str, list[Path]]:
    """Build and check both packages into <out>/python and <out>/typescript (emptied first)."""
    version = expected_version(schemas)
    artifacts: dict[str, list[Path]] = {}
    with tempfile.TemporaryDirectory(prefix="wcg-release-") as tmp:
        scratch = Path(tmp)
        for target in TARGETS:
            if only not in (None, target):
                continue
            source = generated / target
            if not source.is_dir():
                raise ReleaseCheckError(f"{source} does not exist; run `generate` first")
            target_out = (out / target).resolve()
            shutil.rmtree(target_out, ignore_errors=True)
            target_out.mkdir(parents=True)
            if target == "python":
                built = build_python(source, target_out, scratch, version)
                smoke_install(built[1], scratch, version)
                artifacts[target] = built
            else:
                artifacts[target] = [build_typescript(source, target_out, scratch, version)]
    return artifacts


def check_built(
    generated: Path, schemas: Path, out: Path, only: str | None = None
) -> dict[str, list[Path]]:
    """The checks of `build_all` on artifacts already in <out>, without building again."""
    version = expected_version(schemas)
    artifacts: dict[str, list[Path]] = {}
    if only in (None, "python"):
        wheel = out / "python" / f"{PY_DIST}-{version}-py3-none-any.whl"
        sdist = out / "python" / f"{PY_DIST}-{version}.tar.gz"
        for path in (sdist, wheel):
            if not path.is_file():
                raise ReleaseCheckError(f"{path} does not exist; build the release first")
        check_wheel(wheel, version)
        check_sdist(sdist, version)
        run(sys.executable, "-m", "twine", "check", "--strict", wheel, sdist, quiet=True)
        artifacts["python"] = [sdist, wheel]
    if only in (None, "typescript"):
        tarballs = sorted((out / "typescript").glob("*.tgz"))
        if len(tarballs) != 1:
            names = ", ".join(p.name for p in tarballs) or "none"
            raise ReleaseCheckError(f"expected one npm tarball in {out / 'typescript'}: {names}")
        check_npm_tarball(tarballs[0], generated / "typescript", version)
        artifacts["typescript"] = tarballs
    return artifacts


# --------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--generated", type=Path, default=Path("generated"))
    parser.add_argument("--schemas", type=Path, default=Path("schemas"))
    parser.add_argument("--out", type=Path, default=Path("dist"))
    parser.add_argument("--only", choices=list(TARGETS), help="Build one package only.")
    args = parser.parse_args(argv)
    try:
        version = expected_version(args.schemas)
        built = build_all(args.generated, args.schemas, args.out, args.only)
    except ReleaseCheckError as exc:
        print(f"build_release: error: {exc}", file=sys.stderr)
        return 1
    print(f"release {version} built and checked (nothing uploaded):")
    for paths in built.values():
        for artifact in paths:
            print(f"  {artifact}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
