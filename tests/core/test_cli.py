"""The CLI as a user runs it: real processes, real exit codes, no tracebacks."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from support import FIXTURES, run_cli

BROKEN = sorted(p.name for p in (FIXTURES / "broken").iterdir())


@pytest.mark.parametrize("case", BROKEN)
def test_broken_input_exits_2_without_traceback(case: str) -> None:
    folder = FIXTURES / "broken" / case
    result = run_cli("validate", "--schemas", str(folder))
    assert result.returncode == 2, result
    assert "Traceback" not in result.stderr + result.stdout
    first = result.stderr.splitlines()[0]
    assert first.startswith(f"error: {folder}/"), first
    assert ".yaml#" in first


@pytest.mark.parametrize("command", ["generate", "check", "list"])
def test_every_command_reports_bad_input_the_same_way(command: str, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.txt").write_text("untouched\n")
    args = [command, "--schemas", str(FIXTURES / "broken" / "unknown-type")]
    if command != "list":
        args += ["--out", str(out)]
    result = run_cli(*args)
    assert result.returncode == 2
    assert "#/properties/modelId/type" in result.stderr
    assert "Traceback" not in result.stderr
    assert sorted(p.name for p in out.iterdir()) == ["keep.txt"]


def test_validate_and_list() -> None:
    result = run_cli("validate", "--schemas", str(FIXTURES / "minimal"))
    assert result.returncode == 0
    assert result.stdout.startswith("ok: 1 message,")
    listed = run_cli("list", "--schemas", str(FIXTURES / "minimal"))
    assert listed.stdout == "file-download-request\n"
    rows = json.loads(run_cli("list", "--json", "--schemas", str(FIXTURES / "minimal")).stdout)
    # One "<target>_method" per target that declares naming rules, spelled by those rules.
    assert rows[0]["python_method"] == "file_download_request"
    assert rows[0]["typescript_method"] == "fileDownloadRequest"
    assert rows[0]["openapi_method"] == "fileDownloadRequest"
    assert rows[0]["constant"] == "FILE_DOWNLOAD_REQUEST"
    assert rows[0]["required"] == ["modelId", "storageLocation"]


def test_usage_errors_exit_2() -> None:
    result = run_cli("generate", "--target", "cobol")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr


def test_schemas_default_to_the_working_directory() -> None:
    result = run_cli("validate", cwd=FIXTURES)
    # fixtures/ has no schemas/ folder: the default is ./schemas and it must say so.
    assert result.returncode == 2
    assert "schemas#: schema folder does not exist" in result.stderr


@pytest.mark.parametrize("command", ["generate", "check"])
def test_an_unwritable_output_folder_exits_2_without_traceback(
    command: str, tmp_path: Path
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the output folder should be\n")
    out = blocker / "generated"
    result = run_cli(
        command, "--schemas", str(FIXTURES / "minimal"), "--out", str(out), "--no-cache"
    )
    assert "Traceback" not in result.stderr
    if command == "generate":
        assert result.returncode == 2, result.stderr
        assert f"cannot write {out}" in result.stderr, result.stderr
        assert "nothing was written" in result.stderr
    else:  # nothing can be read there: every file is missing
        assert result.returncode == 1, result.stderr
        assert "missing:" in result.stderr
    assert blocker.read_text() == "a file where the output folder should be\n"
