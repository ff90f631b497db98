"""`worker-client-gen diff` as a user runs it: report, JSON, exit codes, git revisions."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

from release_helpers import DIFF_FIXTURES, FIXTURES, commit_all, run_cli


def _pair(case: str) -> tuple[str, str]:
    return str(DIFF_FIXTURES / case / "old"), str(DIFF_FIXTURES / case / "new")


def test_report_is_grouped_by_message_with_paths(tmp_path: Path) -> None:
    result = run_cli("diff", *_pair("enum-value-removed"), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    body = lines[lines.index("file-download-request") :]
    assert body[:4] == [
        "file-download-request",
        '  breaking  storageLocation.provider: enum value "minio" removed',
        "file-upload-request",
        '  breaking  source.provider: enum value "minio" removed',
    ]
    assert lines[-1] == (
        "2 changes in 2 message types (2 breaking, 0 additive, 0 docs): a major release"
    )


def test_json_report(tmp_path: Path) -> None:
    result = run_cli("diff", "--json", *_pair("required-field-added"), cwd=tmp_path)
    assert result.returncode == 0
    data = json.loads(result.stdout)
    assert data["level"] == "major"
    assert data["counts"] == {"breaking": 1, "additive": 0, "docs": 1}
    assert data["messages"] == [
        {
            "type": "file-download-request",
            "changes": [
                {
                    "severity": "breaking",
                    "code": "required-field-added",
                    "path": "checksum",
                    "detail": "required field added (string)",
                },
                {
                    "severity": "docs",
                    "code": "examples-changed",
                    "path": "",
                    "detail": "examples changed",
                },
            ],
        }
    ]


def test_fail_on_breaking_exits_1_only_when_something_breaks(tmp_path: Path) -> None:
    breaking = run_cli("diff", "--fail-on-breaking", *_pair("field-removed"), cwd=tmp_path)
    assert breaking.returncode == 1
    assert run_cli("diff", *_pair("field-removed"), cwd=tmp_path).returncode == 0
    additive = run_cli("diff", "--fail-on-breaking", *_pair("enum-value-added"), cwd=tmp_path)
    assert additive.returncode == 0


def test_no_changes(tmp_path: Path) -> None:
    result = run_cli("diff", *_pair("renamed-same-shape"), cwd=tmp_path)
    assert result.returncode == 0
    assert "no changes" in result.stdout


def test_invalid_folder_exits_2_naming_file_and_pointer(tmp_path: Path) -> None:
    broken = FIXTURES / "broken" / "unknown-type"
    result = run_cli("diff", str(broken), _pair("field-removed")[1], cwd=tmp_path)
    assert result.returncode == 2
    assert f"{broken}/file-download-request.yaml#/properties/modelId/type" in result.stderr
    assert "nothing was compared" in result.stderr
    assert "Traceback" not in result.stderr


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    assert run_cli("diff", cwd=tmp_path).returncode == 2
    assert run_cli("diff", "--base", "HEAD", "a", "b", cwd=tmp_path).returncode == 2


def test_base_revision_against_working_tree(make_repo: Callable[..., Path]) -> None:
    repo = make_repo(DIFF_FIXTURES / "field-removed" / "old")
    for rel in ("file-download-request.yaml",):
        shutil.copy(DIFF_FIXTURES / "field-removed" / "new" / rel, repo / "schemas" / rel)
    result = run_cli("diff", "--base", "v4.1.0", cwd=repo)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == (
        "comparing v4.1.0:schemas (version 4.1.0) -> schemas (version 4.1.0)"
    )
    assert "  breaking  note: field removed" in result.stdout
    # From a subfolder, with --schemas naming the same folder: same answer.
    nested = run_cli("diff", "--base", "v4.1.0", "--schemas", ".", cwd=repo / "schemas")
    assert nested.stdout.startswith("comparing v4.1.0:schemas (version 4.1.0) -> . (version")
    assert "  breaking  note: field removed" in nested.stdout
    commit_all(repo, "remove note")
    assert "no changes" in run_cli("diff", "--base", "HEAD", cwd=repo).stdout


def test_base_errors_exit_2(make_repo: Callable[..., Path], tmp_path: Path) -> None:
    repo = make_repo(DIFF_FIXTURES / "field-removed" / "old")
    unknown = run_cli("diff", "--base", "v9.9.9", cwd=repo)
    assert unknown.returncode == 2
    assert unknown.stderr == "error: unknown git revision 'v9.9.9'\n"
    missing = run_cli("diff", "--base", "HEAD", "--schemas", "elsewhere", cwd=repo)
    assert missing.returncode == 2
    assert "elsewhere/ does not exist at HEAD" in missing.stderr
    outside = tmp_path / "not-a-repo"
    outside.mkdir()
    no_repo = run_cli("diff", "--base", "HEAD", cwd=outside)
    assert no_repo.returncode == 2
    assert "not inside a git repository" in no_repo.stderr
    assert "Traceback" not in unknown.stderr + missing.stderr + no_repo.stderr


def test_invalid_schemas_at_base_are_named_by_revision(make_repo: Callable[..., Path]) -> None:
    repo = make_repo(FIXTURES / "broken" / "unknown-type", tag="broken")
    shutil.rmtree(repo / "schemas")
    shutil.copytree(DIFF_FIXTURES / "field-removed" / "old", repo / "schemas")
    result = run_cli("diff", "--base", "broken", cwd=repo)
    assert result.returncode == 2
    assert "error: broken:schemas/file-download-request.yaml#/properties/modelId/type" in (
        result.stderr
    )
