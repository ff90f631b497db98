"""Project automation. `nox` runs the default sessions: the whole test suite.

Sessions other than the defaults are for releases and measurement (`nox -s build`,
`nox -s bench`).
"""

from __future__ import annotations

import nox

nox.options.sessions = ["lint", "tests", "typescript"]
nox.options.reuse_existing_virtualenvs = True
nox.options.error_on_missing_interpreters = True

PYTHON = "3.11"


@nox.session(python=PYTHON)
def lint(session: nox.Session) -> None:
    """ruff, black and mypy --strict on the generator itself."""
    session.install("-e", ".[test]")
    session.run("ruff", "check", "generator", "tests", "tools", "bench", "noxfile.py")
    session.run("black", "--check", "--quiet", "generator", "tests", "tools", "bench", "noxfile.py")
    session.run("mypy", "--strict", "generator", "tools")


@nox.session(python=PYTHON)
def tests(session: nox.Session) -> None:
    """The drift check, then the test suite."""
    session.install("-e", ".[test]")
    # The generated Python client, as its users install it (tests/python and tests/workers
    # import it; the worker extra is bullmq).
    session.install("-e", "generated/python[async,worker]")
    session.run("worker-client-gen", "validate")
    session.run("worker-client-gen", "check")
    # tests/typescript needs npm and node: the typescript session runs it. tests/workers and
    # tests/asyncapi need them too; they npm-install what they use themselves.
    session.run("pytest", "--ignore=tests/typescript", *session.posargs)


@nox.session(python=PYTHON)
def typescript(session: nox.Session) -> None:
    """The TypeScript client: npm installs its dependencies (typescript, ajv, ajv-formats; no
    lockfile), tsc builds it into dist/, then tests/typescript runs (tsc samples, node:test
    suites against local HTTP servers, the cross-language wire test)."""
    session.install("-e", ".[test]")
    # The wire test sends the same message through the generated Python client.
    session.install("-e", "generated/python")
    with session.chdir("generated/typescript"):
        session.run("npm", "install", "--no-package-lock", "--no-audit", "--no-fund", external=True)
        session.run("npm", "run", "build", external=True)
    session.run("pytest", "tests/typescript", *session.posargs)


@nox.session(python=PYTHON)
def build(session: nox.Session) -> None:
    """Release artifacts of both generated packages, built and checked; nothing is uploaded.

    Python sdist + wheel (twine check, imported from a fresh virtualenv) and the npm tarball
    (compiled .js and .d.ts inside) land in dist/python/ and dist/typescript/.
    """
    session.install("-e", ".", "build", "twine")
    session.run("worker-client-gen", "check")  # the packages are what the schemas say
    session.run("python", "tools/build_release.py", "--out", "dist", *session.posargs)


@nox.session(python=PYTHON)
def bench(session: nox.Session) -> None:
    """Generation speed against datamodel-codegen (the real catalogue and 1,000 synthetic
    messages) and the generated clients' per-call overhead; writes bench/results.md."""
    session.install("-e", ".[test]")
    session.install("-e", "generated/python[async]")
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
