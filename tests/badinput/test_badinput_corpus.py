"""Every case of the bad-input corpus, run the way a user runs the generator.

For each: exit 2, the file and JSON pointer named, no traceback, the output folder
byte-identical, no stray file anywhere in the working folder, and the run bounded: it is
killed past 10 s and cannot map more than 500 MB (RLIMIT_AS), so a case that needs more
fails instead of passing slowly.
"""

from __future__ import annotations

import ctypes
import os
import resource
import shutil
import stat
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from badinput_cases import Case, all_cases
from support import FIXTURES, ROOT, run_cli

MINIMAL = FIXTURES / "minimal"
TIME_LIMIT_S = 10
MEMORY_LIMIT = 500 * 1024 * 1024

CASES = all_cases()


def test_the_corpus_is_large_and_names_are_unique() -> None:
    assert len(all_cases()) >= 100
    names = [case.name for case in CASES]
    assert len(set(names)) == len(names)


def _bounded() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def run_bounded(
    args: list[str],
    cwd: Path,
    timeout: float = TIME_LIMIT_S,
    preexec: Callable[[], None] = _bounded,
) -> subprocess.CompletedProcess[str]:
    """The CLI in cwd under the time and memory targets (TimeoutExpired fails the test);
    preexec runs in the child before exec: _bounded sets the limits, a replacement calls it."""
    return subprocess.run(
        [sys.executable, "-m", "generator", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        preexec_fn=preexec,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        check=False,
    )


def snapshot(folder: Path, unreadable_ok: bool = False) -> dict[str, object]:
    """Every entry below folder: bytes for files, the kind (or link target) for the rest
    (unreadable_ok: mode 0 files count by their size, for a reader that may not open them)."""
    found: dict[str, object] = {}
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder).as_posix()
        info = path.lstat()
        if stat.S_ISLNK(info.st_mode):
            found[rel] = ("link", os.readlink(path))
        elif stat.S_ISREG(info.st_mode) and unreadable_ok and not info.st_mode & 0o777:
            found[rel] = ("unreadable", info.st_size)
        elif stat.S_ISREG(info.st_mode):
            found[rel] = path.read_bytes()
        else:
            found[rel] = ("kind", stat.S_IFMT(info.st_mode))
    return found


@pytest.fixture(scope="module")
def baseline_output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """What `generate` writes for the minimal fixture: the output every case must leave alone."""
    out = tmp_path_factory.mktemp("baseline") / "generated"
    proc = run_cli("generate", "--no-cache", "--schemas", str(MINIMAL), "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    return out


def prepare(case: Case, work: Path, baseline: Path) -> None:
    shutil.copytree(MINIMAL, work / "schemas")
    shutil.copytree(baseline, work / "generated")
    case.build(work / "schemas")


def expected_location(case: Case) -> str:
    where = "schemas" if not case.file else f"schemas/{case.file}"
    return f"{where}#{case.pointer}"


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_generate_refuses_bad_input(case: Case, tmp_path: Path, baseline_output: Path) -> None:
    prepare(case, tmp_path, baseline_output)
    before = snapshot(tmp_path)

    proc = run_bounded(
        ["generate", "--no-cache", "--schemas", "schemas", "--out", "generated"], tmp_path
    )

    output = proc.stdout + proc.stderr
    assert proc.returncode == 2, output
    assert "Traceback" not in output
    lines = [line for line in proc.stderr.splitlines() if line.startswith("error: ")]
    location = expected_location(case)
    matching = [line for line in lines if line.startswith(f"error: {location}")]
    assert matching, f"no error at {location}:\n{proc.stderr}"
    assert any(case.message in line for line in matching), proc.stderr
    assert "nothing was written" in proc.stderr
    assert snapshot(tmp_path) == before  # output untouched, nothing added anywhere


# validate and check read the folder the same way; a sample of the cases shows they agree.
SAMPLE = [
    case
    for case in CASES
    if case.name
    in {
        "alias-bomb-9x9",
        "objects-nested-122",
        "example-list-nested-983",
        "integer-4301-digits",
        "enum-100000-values",
        "enum-file-50-mb",
        "symlink-to-etc-passwd",
        "fifo-schema",
        "empty-folder",
        "version-is-directory",
    }
]


def test_the_sample_is_complete() -> None:
    assert len(SAMPLE) == 10


@pytest.mark.parametrize("command", ["validate", "check"])
@pytest.mark.parametrize("case", SAMPLE, ids=[case.name for case in SAMPLE])
def test_validate_and_check_refuse_bad_input(
    case: Case, command: str, tmp_path: Path, baseline_output: Path
) -> None:
    prepare(case, tmp_path, baseline_output)
    before = snapshot(tmp_path)
    args = [command, "--schemas", "schemas"]
    if command == "check":
        args += ["--no-cache", "--out", "generated"]

    proc = run_bounded(args, tmp_path)

    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stdout + proc.stderr
    assert f"error: {expected_location(case)}" in proc.stderr
    assert snapshot(tmp_path) == before


# capability(7): the two that let root read a file whatever its mode.
_CAP_DAC_OVERRIDE, _CAP_DAC_READ_SEARCH = 1, 2
_PR_CAPBSET_DROP = 24


def _without_root_read_override() -> None:
    """Drop root's permission to read any file for the process about to be executed: once
    out of the bounding set, exec gives root neither capability back."""
    libc = ctypes.CDLL(None, use_errno=True)
    for cap in (_CAP_DAC_OVERRIDE, _CAP_DAC_READ_SEARCH):
        if libc.prctl(_PR_CAPBSET_DROP, cap, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


def test_an_unreadable_file_is_named(tmp_path: Path, baseline_output: Path) -> None:
    case = Case("unreadable-file", _unreadable, "hostile-request.yaml", "", "cannot read")
    prepare(case, tmp_path, baseline_output)
    before = snapshot(tmp_path, unreadable_ok=True)

    def bounded_and_unprivileged() -> None:
        _bounded()
        if os.geteuid() == 0:
            _without_root_read_override()

    proc = run_bounded(
        ["generate", "--no-cache", "--schemas", "schemas", "--out", "generated"],
        tmp_path,
        preexec=bounded_and_unprivileged,
    )

    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr
    assert "error: schemas/hostile-request.yaml#: cannot read: Permission denied" in proc.stderr
    assert snapshot(tmp_path, unreadable_ok=True) == before


def _unreadable(folder: Path) -> None:
    hostile = folder / "hostile-request.yaml"
    hostile.write_text("title: X\n")
    hostile.chmod(0)
