"""The example CI workflows: drift check and tests on pull requests, `nox -s build` on tags."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

WORKFLOWS = Path(__file__).resolve().parents[2] / ".github" / "workflows"


def _load(name: str) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((WORKFLOWS / name).read_text())
    # YAML 1.1 reads the key `on` as True.
    data["on"] = data.pop(True, data.get("on"))
    return data


def _commands(workflow: dict[str, Any]) -> list[str]:
    return [
        step["run"] for job in workflow["jobs"].values() for step in job["steps"] if "run" in step
    ]


def test_pull_requests_run_drift_check_and_tests() -> None:
    ci = _load("ci.yml")
    assert "pull_request" in ci["on"]
    commands = "\n".join(_commands(ci))
    assert "worker-client-gen check" in commands
    assert "python -m nox" in commands
    assert 'worker-client-gen diff --base "origin/$BASE_REF"' in commands


def test_tags_build_the_packages_and_nothing_is_uploaded() -> None:
    release = _load("release.yml")
    assert release["on"] == {"push": {"tags": ["v*"]}}
    commands = "\n".join(_commands(release))
    assert "nox -s build" in commands
    assert "v$(cat schemas/VERSION)" in commands
    for workflow in (release, _load("ci.yml")):
        text = "\n".join(_commands(workflow))
        assert "twine upload" not in text and "npm publish" not in text
        assert workflow["permissions"] == {"contents": "read"}
