"""`generate` is all or nothing: whichever rename fails, and wherever the process dies, the
output folder ends up holding all the old files or all the new ones; one run writes at a time;
`check` reports what an interrupted run left."""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from support import FIXTURES, run_cli

from generator import pipeline, transaction
from generator.schema import load_schemas

PREFIXES = ["python/", "typescript/", "openapi.yaml"]
TARGETS = ["python", "typescript", "openapi"]


class Killed(BaseException):
    """Stands in for SIGKILL at a rename (with the roll-back switched off)."""


def _render(schemas: Path) -> dict[str, str]:
    return pipeline.render_all(load_schemas(schemas), TARGETS)


@pytest.fixture(scope="module")
def versions(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, str], dict[str, str]]:
    """Two outputs of the minimal fixture that differ in most files (another version and
    description), a file only the old one has and a file in a new folder only the new has."""
    edited = tmp_path_factory.mktemp("edited") / "schemas"
    shutil.copytree(FIXTURES / "minimal", edited)
    (edited / "VERSION").write_text("9.8.7\n")
    path = edited / "file-download-request.yaml"
    text = path.read_text()
    path.write_text(text.replace("description: ", "description: Edited. ", 1))
    old = _render(FIXTURES / "minimal")
    old["python/worker_client/obsolete.py"] = "# only in the old tree\n"
    new = _render(edited)
    new["typescript/src/extra/added.ts"] = "// only in the new tree\n"
    changed = [rel for rel in new if old.get(rel) != new[rel]]
    assert len(changed) >= 10, changed
    return old, new


def _tree(out: Path) -> dict[str, bytes]:
    """Every file below out, leftovers included."""
    return {
        p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()
    }


def _encoded(files: dict[str, str]) -> dict[str, bytes]:
    return {rel: text.encode() for rel, text in files.items()}


def _fresh_old_tree(out: Path, old: dict[str, str]) -> None:
    shutil.rmtree(out, ignore_errors=True)
    pipeline.write_tree(out, old, PREFIXES)
    assert _tree(out) == _encoded(old)


def _renames_failing(
    monkeypatch: pytest.MonkeyPatch,
    at: int,
    error: Callable[[], BaseException],
    last: int,
    done_first: bool = False,
) -> None:
    """Renames `at` to `last` (1-based, inclusive) raise error(), instead of happening or,
    with done_first, right after happening; the others just happen."""
    count = [0]

    def rename(src: Path, dst: Path) -> None:
        count[0] += 1
        failing = at <= count[0] <= last
        if failing and not done_first:
            raise error()
        os.replace(src, dst)
        if failing:
            raise error()

    monkeypatch.setattr(transaction, "_rename", rename)


def _count_renames(
    monkeypatch: pytest.MonkeyPatch, out: Path, old: dict[str, str], new: dict[str, str]
) -> int:
    _fresh_old_tree(out, old)
    count = [0]

    def rename(src: Path, dst: Path) -> None:
        count[0] += 1
        os.replace(src, dst)

    with monkeypatch.context() as patch:
        patch.setattr(transaction, "_rename", rename)
        pipeline.write_tree(out, new, PREFIXES)
    assert _tree(out) == _encoded(new)
    return count[0]


def _eio() -> OSError:
    return OSError(errno.EIO, "Input/output error")


def test_a_failing_rename_at_every_step_leaves_the_old_tree(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, versions: tuple[dict[str, str], ...]
) -> None:
    old, new = versions
    out = tmp_path / "out"
    renames = _count_renames(monkeypatch, out, old, new)
    assert renames > 2 * 10  # journal, backups and swaps of a many-file write
    for k in range(1, renames + 1):
        _fresh_old_tree(out, old)
        with monkeypatch.context() as patch:
            _renames_failing(patch, k, _eio, last=k)
            with pytest.raises(transaction.WriteFailed) as failed:
                pipeline.write_tree(out, new, PREFIXES)
        assert failed.value.restored, k
        assert _tree(out) == _encoded(old), f"rename {k} of {renames}"


def test_a_run_killed_at_every_rename_is_finished_by_the_next(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, versions: tuple[dict[str, str], ...]
) -> None:
    old, new = versions
    out = tmp_path / "out"
    renames = _count_renames(monkeypatch, out, old, new)
    outcomes = []
    for k in range(1, renames + 1):
        for done_first in (False, True):  # killed just before, or just after, rename k
            where = f"killed {'after' if done_first else 'before'} rename {k} of {renames}"
            _fresh_old_tree(out, old)
            with monkeypatch.context() as patch:
                _renames_failing(patch, k, Killed, last=k, done_first=done_first)
                # A killed process rolls nothing back (Ctrl-C does): the next run must.
                patch.setattr(transaction, "_roll_back", lambda out, journal: None)
                with pytest.raises(Killed):
                    pipeline.write_tree(out, new, PREFIXES)
            drift = pipeline.compare_tree(out, new, PREFIXES, "out")
            assert drift.leftovers, f"check sees nothing left, {where}"
            with transaction.locked(out):
                transaction.recover(out)
            tree = _tree(out)
            assert tree in (_encoded(old), _encoded(new)), where
            outcomes.append("new" if tree == _encoded(new) else "old")
    # Only a run killed after its last rename (the commit) is rolled forward to the new files.
    assert outcomes == ["old"] * (2 * renames - 1) + ["new"]


def test_when_even_the_roll_back_fails_the_next_run_restores(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, versions: tuple[dict[str, str], ...]
) -> None:
    old, new = versions
    out = tmp_path / "out"
    renames = _count_renames(monkeypatch, out, old, new)
    for k in (3, renames // 2, renames - 1):
        _fresh_old_tree(out, old)
        with monkeypatch.context() as patch:
            _renames_failing(patch, k, _eio, last=10**9)  # the disk stays broken
            with pytest.raises(transaction.WriteFailed) as failed:
                pipeline.write_tree(out, new, PREFIXES)
        assert not failed.value.restored
        with transaction.locked(out):
            assert transaction.recover(out).rolled_back
        assert _tree(out) == _encoded(old), k


def test_generate_says_what_the_folder_holds_and_check_reports_leftovers(
    tmp_path: Path,
) -> None:
    out = tmp_path / "generated"
    first = run_cli("generate", "--schemas", str(FIXTURES / "minimal"), "--out", str(out))
    assert first.returncode == 0, first.stderr
    before = _tree(out)
    (out / "python" / "stray.wcg-tmp").write_text("left by an old version")
    checked = run_cli("check", "--schemas", str(FIXTURES / "minimal"), "--out", str(out))
    assert checked.returncode == 1
    assert "leftover of an interrupted run" in checked.stderr and "stray.wcg-tmp" in checked.stderr
    cleaned = run_cli("generate", "--schemas", str(FIXTURES / "minimal"), "--out", str(out))
    assert cleaned.returncode == 0, cleaned.stderr
    assert "removed leftover" in cleaned.stdout and "stray.wcg-tmp" in cleaned.stdout
    assert _tree(out) == before
    # A folder in the way of a file: refused before anything moves.
    readme = out / "python" / "README.md"
    readme.unlink()
    readme.mkdir()
    edited = tmp_path / "schemas"
    shutil.copytree(FIXTURES / "minimal", edited)
    (edited / "VERSION").write_text("9.8.7\n")
    blocked = run_cli("generate", "--schemas", str(edited), "--out", str(out))
    assert blocked.returncode == 2
    assert "a folder is in the way" in blocked.stderr and "Traceback" not in blocked.stderr
    assert "nothing was written" in blocked.stderr
    readme.rmdir()
    assert {rel: data for rel, data in _tree(out).items()} == {
        rel: data for rel, data in before.items() if rel != "python/README.md"
    }


def test_a_second_run_exits_2_while_the_first_holds_the_folder(tmp_path: Path) -> None:
    out = tmp_path / "generated"
    args = ("generate", "--schemas", str(FIXTURES / "minimal"), "--out", str(out))
    assert run_cli(*args).returncode == 0
    before = _tree(out)
    with transaction.locked(out):
        busy = run_cli(*args, "--no-cache")
        held = _tree(out)
    assert busy.returncode == 2, busy.stdout + busy.stderr
    assert f"pid {os.getpid()}" in busy.stderr and "nothing was written" in busy.stderr
    assert held == {**before, transaction.LOCK: str(os.getpid()).encode()}
    assert _tree(out) == before  # the lock file goes with the run that held it
    assert run_cli(*args).returncode == 0


def test_concurrent_runs_with_different_inputs_never_mix(tmp_path: Path) -> None:
    edited = tmp_path / "edited"
    shutil.copytree(FIXTURES / "minimal", edited)
    (edited / "VERSION").write_text("9.8.7\n")
    inputs = [FIXTURES / "minimal", edited]
    expected = [_render(schemas) for schemas in inputs]
    out = tmp_path / "generated"
    env = {**os.environ, "WORKER_CLIENT_GEN_CACHE_DIR": str(tmp_path / "cache")}
    for attempt in range(6):
        shutil.rmtree(out, ignore_errors=True)
        runs = [
            subprocess.Popen(
                [sys.executable, "-m", "generator", "generate"]
                + ["--schemas", str(schemas), "--out", str(out)],
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for schemas in inputs
        ]
        results = [
            (proc.wait(timeout=300), proc.stderr.read() if proc.stderr else "") for proc in runs
        ]
        for code, err in results:
            assert code == 0 or (code == 2 and "another worker-client-gen run" in err), err
        # The tree is exactly one input's output, with nothing left over.
        clean = [pipeline.compare_tree(out, files, PREFIXES, "out").clean for files in expected]
        assert sorted(clean) == [False, True], (attempt, results)
