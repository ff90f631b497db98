"""`generate --watch` as a user runs it: one process that regenerates on save, keeps watching
through an invalid save without touching the output, and stops on Ctrl-C with exit 0 and no
process of its own left behind."""

from __future__ import annotations

import os
import queue
import shutil
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from support import FIXTURES

from generator import pipeline
from generator.schema import load_schemas
from generator.watch import READY

TARGETS = ["python", "typescript", "openapi", "asyncapi"]
PREFIXES = ["python/", "typescript/", "openapi.yaml", "asyncapi.yaml"]
WAIT = 120  # seconds a step may take on a loaded machine before the test gives up


# The CLI as a terminal starts it: with Ctrl-C at its default. A pytest-xdist worker ignores
# SIGINT, children inherit that, and Python then installs no KeyboardInterrupt handler, so
# the watcher would (rightly) ignore the test's Ctrl-C.
AS_FROM_A_TERMINAL = (
    "import signal, sys; signal.signal(signal.SIGINT, signal.default_int_handler); "
    "from generator.cli import main; sys.argv[0] = 'worker-client-gen'; main()"
)


class Watcher:
    def __init__(self, schemas: Path, out: Path, cache: Path) -> None:
        env = {**os.environ, "WORKER_CLIENT_GEN_CACHE_DIR": str(cache)}
        self.proc = subprocess.Popen(
            [sys.executable, "-c", AS_FROM_A_TERMINAL, "generate", "--watch"]
            + ["--schemas", str(schemas), "--out", str(out)],
            stdout=subprocess.PIPE,
            # One pipe for both streams keeps their lines in the order they were written
            # (the first run's summary comes before READY).
            stderr=subprocess.STDOUT,
            text=True,
            env=env,
            start_new_session=True,  # its own process group: what is left of it can be found
        )
        self.lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._pump, args=(self.proc.stdout,), daemon=True).start()

    def _pump(self, stream: object) -> None:
        for line in stream:  # type: ignore[attr-defined]
            self.lines.put(line)

    def exit_code(self) -> int:
        """The exit code; a watcher still running after WAIT is made to print where each of
        its threads is (SIGUSR1, faulthandler), and the test fails with that."""
        try:
            return self.proc.wait(timeout=WAIT)
        except subprocess.TimeoutExpired:
            self.proc.send_signal(signal.SIGUSR1)
            threading.Event().wait(2)
            left: list[str] = []
            while not self.lines.empty():
                left.append(self.lines.get())
            raise AssertionError("the watcher did not stop:\n" + "".join(left)) from None

    def wait_for(self, text: str) -> list[str]:
        """Lines up to and including the first one containing text."""
        seen: list[str] = []
        while True:
            try:
                line = self.lines.get(timeout=WAIT)
            except queue.Empty:
                raise AssertionError(f"no line with {text!r}; saw {seen}") from None
            seen.append(line)
            if text in line:
                return seen


@pytest.fixture
def watched(tmp_path: Path) -> Iterator[tuple[Watcher, Path, Path]]:
    schemas = tmp_path / "schemas"
    shutil.copytree(FIXTURES / "minimal", schemas)
    out = tmp_path / "generated"
    watcher = Watcher(schemas, out, tmp_path / "cache")
    try:
        yield watcher, schemas, out
    finally:
        if watcher.proc.poll() is None:
            watcher.proc.kill()
            watcher.proc.wait()


def _is_up_to_date(schemas: Path, out: Path) -> bool:
    files = pipeline.render_all(load_schemas(schemas), TARGETS)
    return pipeline.compare_tree(out, files, PREFIXES, "out").clean


def _tree(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}


def _group_members(pgid: int) -> list[int]:
    members = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[2]) == pgid:  # state, ppid, pgrp
                members.append(int(entry.name))
    return members


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads /proc to find leftover processes")
def test_watch_regenerates_survives_bad_saves_and_stops_cleanly(
    watched: tuple[Watcher, Path, Path],
) -> None:
    watcher, schemas, out = watched
    watcher.wait_for(READY)
    assert _is_up_to_date(schemas, out)

    schema = schemas / "file-download-request.yaml"
    good = schema.read_text()
    edited = good.replace("description: ", "description: Edited on save. ", 1)
    schema.write_text(edited)
    watcher.wait_for("written")
    assert _is_up_to_date(schemas, out)
    assert b"Edited on save." in _tree(out)["openapi.yaml"]

    before = _tree(out)
    schema.write_text(edited + "broken: [\n")
    lines = watcher.wait_for("still watching")
    assert any("file-download-request.yaml" in line and "error:" in line for line in lines)
    assert _tree(out) == before  # generated/ untouched

    # A burst of saves: the last one wins.
    for n in range(5):
        schema.write_text(good.replace("description: ", f"description: Burst {n}. ", 1))
    watcher.wait_for("written")
    while not _is_up_to_date(schemas, out):
        watcher.wait_for("written")
    assert b"Burst 4." in _tree(out)["openapi.yaml"]

    watcher.proc.send_signal(signal.SIGINT)
    assert watcher.exit_code() == 0
    watcher.wait_for("stopped watching")
    assert _group_members(watcher.proc.pid) == []
