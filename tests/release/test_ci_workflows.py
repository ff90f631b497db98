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


def _steps(workflow: dict[str, Any], job: str) -> list[dict[str, Any]]:
    steps: list[dict[str, Any]] = workflow["jobs"][job]["steps"]
    return steps


def test_pull_requests_upload_nothing() -> None:
    ci = _load("ci.yml")
    text = "\n".join(_commands(ci))
    assert "twine upload" not in text and "npm publish" not in text
    assert "worker-client-gen publish" not in text
    assert ci["permissions"] == {"contents": "read"}


def test_tags_run_the_preflight_before_any_upload() -> None:
    release = _load("release.yml")
    assert release["on"] == {"push": {"tags": ["v*"]}}
    assert release["permissions"] == {"contents": "read"}
    preflight = "\n".join(s.get("run", "") for s in _steps(release, "preflight"))
    assert 'worker-client-gen publish --check --tag "$GITHUB_REF_NAME"' in preflight
    assert "worker-client-gen check" in preflight
    # Nothing uploads before the pre-flight passed, and only the artifacts it checked.
    assert release["jobs"]["pypi"]["needs"] == "preflight"
    assert release["jobs"]["npm"]["needs"] == "pypi"
    assert "id-token" not in release["jobs"]["preflight"].get("permissions", {})


def test_pypi_uses_trusted_publishing_with_attestations() -> None:
    release = _load("release.yml")
    job = release["jobs"]["pypi"]
    assert job["permissions"]["id-token"] == "write"
    assert job["environment"] == "release"
    uses = [s for s in job["steps"] if str(s.get("uses", "")).startswith("pypa/gh-action-pypi")]
    assert len(uses) == 1
    assert uses[0]["with"]["attestations"] is True
    # Trusted Publishing: no password or token is handed to the action.
    assert "password" not in uses[0]["with"] and "secrets." not in str(job)


def test_npm_publishes_with_provenance_and_the_token_by_name_only() -> None:
    release = _load("release.yml")
    job = release["jobs"]["npm"]
    assert job["permissions"]["id-token"] == "write"
    (step,) = [s for s in job["steps"] if "worker-client-gen publish" in s.get("run", "")]
    assert "--provenance" in step["run"] and "--only npm" in step["run"]
    assert step["env"] == {"NPM_TOKEN": "${{ secrets.NPM_TOKEN }}"}
    # No step echoes a secret or turns on shell tracing.
    for name, workflow_job in release["jobs"].items():
        for s in workflow_job["steps"]:
            run = s.get("run", "")
            assert "secrets." not in run and "set -x" not in run, name
