"""Project automation. `nox` runs the default sessions: the whole test suite.

Sessions other than the defaults are for releases and measurement (`nox -s build`,
`nox -s bench`).
"""

from __future__ import annotations

import nox

nox.options.sessions = ["lint", "tests"]
nox.options.reuse_existing_virtualenvs = True
nox.options.error_on_missing_interpreters = True

PYTHON = "3.11"


@nox.session(python=PYTHON)
def lint(session: nox.Session) -> None:
    """ruff, black and mypy --strict on the generator itself."""
    session.install("-e", ".[test]")
    session.run("ruff", "check", "generator", "tests", "noxfile.py")
    session.run("black", "--check", "--quiet", "generator", "tests", "noxfile.py")
    session.run("mypy", "--strict", "generator")


@nox.session(python=PYTHON)
def tests(session: nox.Session) -> None:
    """The drift check, then the test suite."""
    session.install("-e", ".[test]")
    session.run("worker-client-gen", "validate")
    session.run("worker-client-gen", "check")
    session.run("pytest", *session.posargs)
