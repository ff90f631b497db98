"""Project automation on uv. `nox` runs the default session, `suite`: lint, the drift check and
the whole test suite (Python and TypeScript) in one virtualenv, on the interpreter that runs
nox (any Python 3.10 or newer), and meanwhile the generated Python client's tests on every
other installed Python 3.10+ (what `nox -s clients` runs on its own).

Sessions other than the default are for releases and measurement (`nox -s build`,
`nox -s bench`).
"""

from __future__ import annotations

import concurrent.futures
import glob
import os
import shutil
import subprocess
import sys
from pathlib import Path

import nox

nox.options.default_venv_backend = "uv"
nox.options.sessions = ["suite"]
nox.options.reuse_existing_virtualenvs = True

MINIMUM = (3, 10)
LINTED = ["generator", "tests", "tools", "bench", "noxfile.py"]
# `-n` and how tests are dealt out: a file stays on one worker, so that its module fixtures
# (rendered packages, servers, built projects) are set up once, and files go out in the order
# tests/conftest.py gives them (heaviest first) instead of xdist's (most tests first, which
# left the single slowest tests to the end).
PYTEST_WORKERS = ["-n", "4", "--dist", "loadfile", "--no-loadscope-reorder"]
# Let Python cache compiled modules (in the virtualenvs and the checkout's __pycache__
# folders) even where PYTHONDONTWRITEBYTECODE is set: uv installs no .pyc files, and the suite
# starts hundreds of Python processes, each of which would compile every module it imports
# again (half the CPU time of a `worker-client-gen` call). An empty value counts as unset.
WRITE_BYTECODE = {"PYTHONDONTWRITEBYTECODE": ""}
# The generated Python client's own tests (they import it as its users do).
CLIENT_TESTS = [
    "tests/python/test_py_client.py",
    "tests/python/test_py_robustness.py",
    "tests/python/test_fast_validation.py",
]


def _install(session: nox.Session) -> None:
    # The worker extra (bullmq): tests/workers runs the generated QueueWorker.
    session.install("-e", ".[test]", "-e", "generated/python[async,worker]")


@nox.session
def suite(session: nox.Session) -> None:
    """ruff, black and mypy --strict; validate and check; then every test. One virtualenv,
    on the interpreter that runs nox. The client's tests on the other interpreters run
    alongside: they mostly wait on sockets and retry delays, so run after the suite they
    added half a minute to it; run beside it they fill the gaps in its CPU use."""
    session.env.update(WRITE_BYTECODE)
    # Installed first: beside the other virtualenvs' installs it took 14 s instead of 3.
    _install(session)
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        clients_run = pool.submit(lambda: _client_runs(installed_pythons(), session.posargs))
        try:
            _lint_and_test(session)
        finally:
            _report_client_runs(session, clients_run.result())


def _lint_and_test(session: nox.Session) -> None:
    session.run("ruff", "check", *LINTED)
    session.run("black", "--check", "--quiet", *LINTED)
    session.run("mypy", "--strict", "generator", "tools")
    session.run("worker-client-gen", "validate")
    session.run("worker-client-gen", "check")
    # Worker processes (pytest-xdist): most tests wait on servers, subprocesses and retry
    # delays, so more workers than cores pay. The tests that need generated/typescript built
    # (npm install, tsc) get it from the ts_package fixture, once per run.
    # The slowest tests are named at the end, so that what dominates the run stays visible.
    session.run("pytest", *PYTEST_WORKERS, "--durations=15", *session.posargs)


def installed_pythons() -> list[str]:
    """Every runnable Python 3.10+ on this machine (on PATH, or installed by pyenv or uv), one
    per minor version, other than the one running nox (suite covers that one)."""
    candidates = [shutil.which(f"python3.{minor}") for minor in range(10, 20)]
    candidates += sorted(glob.glob(os.path.expanduser("~/.pyenv/versions/3.*/bin/python3")))
    candidates += sorted(glob.glob("/usr/bin/python3.*[0-9]"))
    found: dict[str, str] = {}
    for path in filter(None, candidates):
        try:
            version = subprocess.run(
                [path, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
                capture_output=True,
                text=True,
                timeout=30,
                check=True,
            ).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            continue  # a pyenv shim for a version that is not active, a broken link
        if tuple(map(int, version.split("."))) >= MINIMUM:
            found.setdefault(version, path)
    mine = f"{sys.version_info[0]}.{sys.version_info[1]}"
    return [path for version, path in sorted(found.items()) if version != mine]


@nox.session(python=False)
def clients(session: nox.Session) -> None:
    """The generated Python client's tests on every other installed Python 3.10+ (`suite`
    runs them too, alongside its own tests)."""
    _report_client_runs(session, _client_runs(installed_pythons(), session.posargs))


ClientRuns = list[tuple[str, int, str]]  # (python, exit code, output) per interpreter


def _client_runs(pythons: list[str], posargs: list[str]) -> ClientRuns:
    """The client's tests on each of pythons, all interpreters at once (a run is mostly
    installs and tests waiting on sockets)."""
    if not pythons:
        return []
    with concurrent.futures.ThreadPoolExecutor(len(pythons)) as pool:
        runs = list(pool.map(lambda python: _client_run(python, posargs), pythons))
    return [(python, code, output) for python, (code, output) in zip(pythons, runs, strict=True)]


def _report_client_runs(session: nox.Session, runs: ClientRuns) -> None:
    if not runs:
        session.log("no other Python 3.10+ is installed: suite covers the only one")
        return
    for python, _, output in runs:
        session.log(f"{python}:\n{output.rstrip()}")
    failed = [python for python, code, _ in runs if code != 0]
    if failed:
        session.error(f"the client's tests failed on {', '.join(failed)}")


def _client_run(python: str, posargs: list[str]) -> tuple[int, str]:
    """A virtualenv for python (kept in .nox/), the packages, then the client's tests: the
    first failing command's exit code (0 if none failed) and every command's output."""
    venv = (Path(".nox") / f"clients-{Path(python).resolve().name}").resolve()
    env = {
        **os.environ,
        **WRITE_BYTECODE,
        "VIRTUAL_ENV": str(venv),
        "PATH": f"{venv / 'bin'}{os.pathsep}{os.environ['PATH']}",
    }
    in_venv = str(venv / "bin" / "python")
    commands = [
        ["uv", "venv", "-q", "--allow-existing", "--python", python, str(venv)],
        ["uv", "pip", "install", "-q", "-e", ".[test]", "-e", "generated/python[async]"],
        [in_venv, "--version"],
        [in_venv, "-m", "pytest", "-q", "-p", "no:cacheprovider", *CLIENT_TESTS, *posargs],
    ]
    output = []
    for command in commands:
        output.append(f"> {' '.join(command)}")
        done = subprocess.run(
            command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        output.append(done.stdout)
        if done.returncode != 0:
            return done.returncode, "\n".join(output)
    return 0, "\n".join(output)


@nox.session
def build(session: nox.Session) -> None:
    """Release artifacts of both generated packages, built and checked; nothing is uploaded.

    Python sdist + wheel (twine check, imported from a fresh virtualenv) and the npm tarball
    (compiled .js and .d.ts inside) land in dist/python/ and dist/typescript/.
    """
    session.install("-e", ".[publish]")  # build, twine and pip (it seeds the smoke test's venv)
    session.run("worker-client-gen", "check")  # the packages are what the schemas say
    session.run("python", "tools/build_release.py", "--out", "dist", *session.posargs)


@nox.session
def publish(session: nox.Session) -> None:
    """`worker-client-gen publish`: the pre-flight, then PyPI and npm (see README "Releasing").

    Arguments pass through: `nox -s publish -- --check` runs the pre-flight only.
    """
    session.install("-e", ".[publish]")
    session.run("worker-client-gen", "publish", *session.posargs)


@nox.session
def bench(session: nox.Session) -> None:
    """Generation speed against datamodel-codegen (the real catalogue and 1,000 synthetic
    messages, watch mode included) and the generated clients' per-call overhead; writes
    bench/results.md."""
    _install(session)
    session.install("-e", ".[bench]")
    session.run("python", "bench/run.py", "--runs", "5", "--synthetic", "1000", *session.posargs)
    session.run(
        "python",
        "bench/client_overhead.py",
        "--rounds",
        "5",
        "--calls",
        "200",
        "--results",
        "bench/results.md",
    )
