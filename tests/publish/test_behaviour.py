"""The behaviour part of the release surface: read from real artifacts (the published 4.1.0
and 4.0.24 packages, and ours), and a change that can break a caller's code or backend needs
a major version step."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
from pathlib import Path

import pytest
from support import run_cli

from generator.publish.behaviour import ANY_OPTION, BARE, Behaviour, Param, compare_behaviour
from generator.publish.lock import read_lock
from generator.publish.npm_artifact import npm_surface
from generator.publish.python_artifact import python_surface
from generator.publish.surface import Surface, step_problems
from generator.publish.tree_behaviour import generated_behaviours

ROOT = Path(__file__).resolve().parents[2]
PYPI_OLD = "mesh-sync-worker-backend-client==4.1.0"
NPM_OLD = "@mesh-sync/worker-backend-client@4.0.24"


def _changes(old: Behaviour, new: Behaviour) -> list[tuple[str, str, str]]:
    found: list[tuple[str, str, str]] = []
    compare_behaviour(
        "pkg", old, new, lambda _o, _w, sev, code, detail: found.append((sev, code, detail))
    )
    return found


def test_unknown_facts_are_never_changes() -> None:
    known = Behaviour(BARE, (Param("a", True),), "node >=18", (), ("E",))
    assert _changes(Behaviour(), known) == []
    assert _changes(known, Behaviour()) == []
    assert _changes(known, known) == []


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            Behaviour(wire=BARE),
            Behaviour(wire="{opts, payload}"),
            ("breaking", "wire-body-changed"),
        ),
        (
            Behaviour(requires="python >=3.8"),
            Behaviour(requires="python >=3.10"),
            ("breaking", "runtime-floor-changed"),
        ),
        (
            Behaviour(requires="node >=18"),
            Behaviour(requires="node >=16"),
            ("additive", "runtime-floor-changed"),
        ),
        (
            Behaviour(requires="node *"),
            Behaviour(requires="node >=18"),
            ("breaking", "runtime-floor-changed"),
        ),
        (
            Behaviour(job_options=(ANY_OPTION,)),
            Behaviour(job_options=("delay",)),
            ("breaking", "job-options-limited"),
        ),
        (
            Behaviour(job_options=()),
            Behaviour(job_options=("delay",)),
            ("additive", "job-options-added"),
        ),
        (
            Behaviour(job_options=("delay", "lifo")),
            Behaviour(job_options=("delay",)),
            ("breaking", "job-option-removed"),
        ),
        (
            Behaviour(errors=("A", "B")),
            Behaviour(errors=("A",)),
            ("breaking", "error-class-removed"),
        ),
        (Behaviour(errors=("A",)), Behaviour(errors=("A", "B")), ("additive", "error-class-added")),
    ],
)
def test_each_kind_of_change(old: Behaviour, new: Behaviour, expected: tuple[str, str]) -> None:
    assert [c[:2] for c in _changes(old, new)] == [expected]


def test_constructor_changes() -> None:
    old = (Param("base_url", True), Param("api_key", False, "None"), Param("timeout", False, "30"))
    cases = {
        (Param("base_url", False, "None"), *old[1:]): [("additive", "parameter-optional")],
        (*old, Param("retries", False, "2")): [("additive", "parameter-added")],
        (*old, Param("region", True)): [("breaking", "parameter-added")],
        old[:2]: [("breaking", "parameter-removed")],
        (*old[:2], Param("timeout", False, "None")): [("breaking", "default-changed")],
        (*old[:2], Param("timeout", False, "30", keyword_only=True)): [
            ("breaking", "parameter-keyword-only")
        ],
        (old[1], old[0], old[2]): [("breaking", "parameter-order-changed")],
    }
    for new, expected in cases.items():
        got = _changes(Behaviour(constructor=old), Behaviour(constructor=new))
        assert [c[:2] for c in got] == expected, new


def test_behaviour_survives_the_lock_format() -> None:
    behaviour = Behaviour(
        "{opts, payload}", (Param("a", False, "1", True),), "python >=3.10", ("delay",), ("E",)
    )
    surface = Surface("pkg", "1.0.0", {}, frozenset(), frozenset(), behaviour)
    assert Surface.from_json(surface.to_json()) == surface
    old_lock_entry = {k: v for k, v in surface.to_json().items() if k != "behaviour"}
    assert Surface.from_json(old_lock_entry).behaviour == Behaviour()


@pytest.fixture(scope="module")
def artifacts(tmp_path_factory: pytest.TempPathFactory, ts_package: Path) -> dict[str, Path]:
    """The published 4.1.0 sdist and 4.0.24 tarball, from PyPI and npm, and ours, built from
    generated/ (version as in schemas/VERSION)."""
    work = tmp_path_factory.mktemp("behaviour")
    env = {**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1", "npm_config_userconfig": os.devnull}
    run = {"check": True, "env": env, "capture_output": True, "timeout": 600}
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "download",
            "--no-deps",
            "--no-binary",
            ":all:",
            PYPI_OLD,
            "-d",
            str(work),
        ],
        **run,  # type: ignore[arg-type]
    )
    pack = ["npm", "pack", "--silent", "--pack-destination"]
    subprocess.run([*pack, str(work), NPM_OLD], cwd=work, **run)  # type: ignore[arg-type]
    ours = work / "ours"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            str(ROOT / "generated" / "python"),
            "-w",
            str(ours),
        ],
        **run,  # type: ignore[arg-type]
    )
    subprocess.run([*pack, str(ours)], cwd=ts_package, **run)  # type: ignore[arg-type]
    return {
        "pypi-old": next(work.glob("mesh_sync_worker_backend_client-4.1.0.tar.gz")),
        "npm-old": next(work.glob("mesh-sync-worker-backend-client-4.0.24.tgz")),
        "pypi-new": next(ours.glob("*.whl")),
        "npm-new": next(ours.glob("*.tgz")),
    }


@pytest.mark.slow
def test_the_published_4x_packages_read_as_they_behave(artifacts: dict[str, Path]) -> None:
    python = python_surface(artifacts["pypi-old"]).behaviour
    assert python.wire == "{opts, payload}"  # 4.1.0 already sent the envelope
    assert python.constructor == (
        Param("base_url", True),
        Param("api_key", False, "None"),
        Param("timeout", False, "30"),
    )
    assert (python.requires, python.job_options, python.errors) == (
        "python >=3.8",
        (ANY_OPTION,),
        (),
    )
    node = npm_surface(artifacts["npm-old"]).behaviour
    assert node.wire == BARE  # 4.0.24 POSTs the payload itself
    assert node.constructor == tuple(
        Param(name, True)
        for name in ("config", "config.baseUrl", "config.apiKey", "config.timeout")
    )
    assert (node.requires, node.job_options, node.errors) == ("node *", (), ())
    # The committed lock records the same facts of the same releases.
    lock = read_lock(ROOT / "schemas")
    assert lock is not None
    assert lock.surfaces["pypi"].behaviour == python
    assert lock.surfaces["npm"].behaviour == node


@pytest.mark.slow
def test_a_minor_step_from_4x_is_refused_with_every_behaviour_change(
    artifacts: dict[str, Path],
) -> None:
    found: dict[str, list[str]] = {}
    for key, reader, label in (("pypi", python_surface, "PyPI"), ("npm", npm_surface, "npm")):
        old, new = reader(artifacts[f"{key}-old"]), reader(artifacts[f"{key}-new"])
        assert new.behaviour.wire == "{opts, payload}"
        assert "WorkerClientError" in (new.behaviour.errors or ())
        minor = dataclasses.replace(new, version="4.2.0")
        found[key] = step_problems(label, old, minor)
        assert step_problems(label, old, dataclasses.replace(new, version="5.0.0")) == []
    python = "\n".join(found["pypi"])
    assert "4.1.0 -> 4.2.0 is a minor step" in python
    assert "requires: requires python >=3.10, not python >=3.8" in python
    assert "job options: job options limited to attempts, backoff" in python
    assert "constructor: timeout defaults to None, not 30" in python
    node = "\n".join(found["npm"])
    assert "4.0.24 -> 4.2.0 is a minor step" in node
    assert "wire: an enqueue sends {opts, payload} as its body, not the bare payload" in node
    assert "requires: requires node >=18, not node *" in node


@pytest.mark.slow
def test_the_unbuilt_packages_read_as_their_artifacts(artifacts: dict[str, Path]) -> None:
    tree = generated_behaviours(ROOT / "generated")
    assert tree["pypi"] == python_surface(artifacts["pypi-new"]).behaviour
    assert tree["npm"] == npm_surface(artifacts["npm-new"]).behaviour


def test_bump_steps_to_a_major_for_behaviour_changes_alone(tmp_path: Path) -> None:
    """The release lock's 4.x behaviour against generated/: a major step, and the entry's
    Breaking section names each change."""
    result = run_cli("bump", "--dry-run", "--changelog", str(tmp_path / "CHANGELOG.md"), cwd=ROOT)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "-> 5.0.0 (major: 5 breaking" in out, out
    breaking = out.split("### Breaking", 1)[1].split("###", 1)[0]
    for line in (
        "`@mesh-sync/worker-backend-client`: `wire` an enqueue sends {opts, payload} as its "
        "body, not the bare payload",
        "`@mesh-sync/worker-backend-client`: `requires` requires node &gt;=18, not node *",
        "`mesh-sync-worker-backend-client`: `requires` requires python &gt;=3.10, not python "
        "&gt;=3.8",
        "`mesh-sync-worker-backend-client`: `job options` job options limited to attempts,",
    ):
        assert line in breaking, line


def test_bump_says_which_package_it_cannot_read(tmp_path: Path) -> None:
    broken = tmp_path / "generated" / "python"
    (broken / "worker_client").mkdir(parents=True)
    (broken / "pyproject.toml").write_text('[project]\nname = "x"\n')
    result = run_cli("bump", "--dry-run", "--generated", str(tmp_path / "generated"), cwd=ROOT)
    assert result.returncode == 2, result.stdout
    assert f"error: {broken}: no worker_client/__init__.py; nothing was bumped" in result.stderr
    assert "Traceback" not in result.stderr
