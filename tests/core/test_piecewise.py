"""Piecewise generation changes only the time: every piece-by-piece path gives exactly what
the one-shot path gives (black over a whole file, one YAML dump), and an incremental run
gives exactly what a run without any cache gives."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest
import yaml
from support import FIXTURES, ROOT

from generator import background, templating
from generator.background import Workers
from generator.cache import Cache
from generator.ir import Catalogue
from generator.loader import load_schemas
from generator.pipeline import render_folder
from generator.pyformat import black_format, format_python, split
from generator.targets import openapi, python_types
from generator.targets import python as python_target

CATALOGUES = {
    "schemas": ROOT / "schemas",
    "naming": FIXTURES / "naming",
    "python-escaping": FIXTURES / "python-escaping",
    "serve": FIXTURES / "serve",
    "minimal": FIXTURES / "minimal",
}


@pytest.fixture(scope="module", params=sorted(CATALOGUES))
def catalogue(request: pytest.FixtureRequest) -> Catalogue:
    return load_schemas(CATALOGUES[request.param])


def test_types_py_is_black_stable_and_complete(catalogue: Catalogue) -> None:
    source = python_types.render_payload_types(catalogue)()
    assert black_format(source) == source
    namespace: dict[str, object] = {}
    exec(compile(source, "types.py", "exec"), namespace)  # noqa: S102 - our own output
    assert set(python_types.type_names(catalogue)) <= set(namespace)


def test_piecewise_black_equals_black_over_the_whole_file(catalogue: Catalogue) -> None:
    context = python_target._context(catalogue)
    checked = 0
    for template, output in python_target.TEMPLATES.items():
        if not output.endswith(".py"):
            continue
        source = templating.render("python", template, **context)
        pieces = split(source)
        assert "".join(sep + text for sep, _, text in pieces) == source.rstrip("\n")
        assert format_python(source) == black_format(source), output
        checked += 1
    assert checked >= 4  # __init__, _constants, _methods, message_types


def test_piecewise_black_cuts_where_it_should() -> None:
    source = (
        "import os\n\n\nclass A:\n    x = 1\n\n    def f(self):\n        return 1\n\n"
        "    # about g\n    def g(self):\n        return 2\n\n\n@dataclass\nclass B:\n    pass\n"
    )
    kinds = [(sep, member, text.splitlines()[0]) for sep, member, text in split(source)]
    assert kinds == [
        ("", False, "import os"),
        ("\n\n\n", False, "class A:"),
        ("\n\n", True, "    def f(self):"),  # `g` keeps its comment: no cut before it
        ("\n\n\n", False, "@dataclass"),
    ]
    assert format_python(source) == black_format(source)


def test_piecewise_yaml_equals_one_dump(catalogue: Catalogue) -> None:
    document = openapi.build_document(catalogue)
    text = openapi.dump_pieces(document, Cache(None), name=None)
    assert text == openapi.dump_yaml(document)
    assert yaml.safe_load(text) == yaml.safe_load(openapi.dump_yaml(document))


def _edit(folder: Path, name: str, old: str, new: str) -> None:
    path = folder / name
    text = path.read_text(encoding="utf-8")
    assert old in text, (name, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


EDITS = [
    # (file, old, new): a description, a new optional field, a shared definition.
    ("file-download-request.yaml", "description: |\n", "description: |\n  Edited.\n"),
    (
        "file-download-request.yaml",
        "properties:\n",
        "properties:\n  addedField:\n    type: string\n    description: Added by a test.\n",
    ),
    (
        "shared/storage.yaml",
        "description: UUID of the StorageConnection",
        "description: Edited UUID of the StorageConnection",
    ),
]


@pytest.mark.parametrize("forking", [True, False], ids=["fork", "no-fork"])
def test_incremental_runs_equal_runs_without_a_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, forking: bool
) -> None:
    monkeypatch.setenv(background.NO_FORK_ENV, "" if forking else "1")
    schemas = tmp_path / "schemas"
    shutil.copytree(ROOT / "schemas", schemas)
    cache = Cache(tmp_path / "cache")
    names = ["python", "typescript", "openapi"]
    render_folder(schemas, "schemas", names, cache)  # fills every cache
    for name, old, new in EDITS:
        if not (schemas / name).is_file():
            pytest.skip(f"schemas/{name} is gone: update the edits of this test")
        _edit(schemas, name, old, new)
        cached = render_folder(schemas, "schemas", names, cache).files
        fresh = render_folder(schemas, "schemas", names, Cache(None)).files
        assert cached == fresh, name


WORKER_PROGRAM = """
import os, sys
sys.path[:0] = [sys.argv[1], os.path.dirname(sys.argv[1])]  # tests/core, tests
import test_piecewise as t
from generator.background import Workers
workers = Workers()
workers.prestart(t._warm)
gathered = workers.map_batches(t._square_pids, [[1, 2], [3], [4, 5, 6]], t._warm)()
assert {k: v[0] for k, v in gathered.items()} == {n: n * n for n in range(1, 7)}, gathered
assert os.getpid() not in {v[1] for v in gathered.values()}, "nothing ran in a worker"
assert len({v[1] for v in gathered.values()}) == min(3, os.cpu_count() or 1), gathered
# A worker that gets no job is stopped and reaped: no zombie is left behind.
with Workers() as unused:
    unused.prestart(t._warm)
    [worker] = unused._warm.values()
    pid = worker._pid
try:
    os.waitpid(pid, os.WNOHANG)
    raise AssertionError("the unused worker was not reaped")
except ChildProcessError:
    pass
print("ok")
"""


def test_workers_give_what_inline_work_gives_and_stop_when_unused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # In a fresh interpreter: this one may run threads (servers of other tests), and a
    # process with threads never forks.
    env = {k: v for k, v in os.environ.items() if k != background.NO_FORK_ENV}
    result = subprocess.run(
        [sys.executable, "-c", WORKER_PROGRAM, str(Path(__file__).parent)],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        check=False,
    )
    assert result.returncode == 0 and result.stdout == "ok\n", result.stderr
    monkeypatch.setenv(background.NO_FORK_ENV, "1")
    inline = Workers().map_batches(_square_pids, [[1, 2], [3], [4, 5, 6]], _warm)()
    assert {k: v for k, v in inline.items()} == {n: (n * n, os.getpid()) for n in range(1, 7)}


def test_a_process_with_threads_does_not_fork(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(background.NO_FORK_ENV, raising=False)
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert not background.forking()
        workers = Workers()
        workers.prestart(_warm)
        assert not workers._warm
        assert workers.map_batches(_square_pids, [[1]], _warm)() == {1: (1, os.getpid())}
    finally:
        stop.set()
        thread.join()


def test_a_workers_failure_is_raised_here(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(background.NO_FORK_ENV, raising=False)
    with Workers() as workers:
        workers.prestart(_warm)
        pending = workers.map_batches(_fail, [[1]], _warm)
        with pytest.raises(ValueError, match="batch \\[1\\] failed"):
            pending()


def _warm() -> None:
    pass


def _square_pids(batch: list[int]) -> dict[int, tuple[int, int]]:
    return {n: (n * n, os.getpid()) for n in batch}


def _fail(batch: list[int]) -> dict[int, int]:
    raise ValueError(f"batch {batch} failed")


ORPHAN_PROGRAM = """
import os, sys, time
sys.path[:0] = [sys.argv[1], os.path.dirname(sys.argv[1])]
import test_piecewise as t
from generator.background import Workers
workers = Workers()
workers.prestart(t._sleep_forever)
[worker] = workers._warm.values()
print(worker._pid, flush=True)
time.sleep(600)
"""


def _sleep_forever() -> None:
    import time

    time.sleep(600)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux's")
def test_a_worker_dies_with_its_killed_parent() -> None:
    env = {k: v for k, v in os.environ.items() if k != background.NO_FORK_ENV}
    parent = subprocess.Popen(
        [sys.executable, "-c", ORPHAN_PROGRAM, str(Path(__file__).parent)],
        stdout=subprocess.PIPE,
        text=True,
        env=env,
        cwd=ROOT,
    )
    assert parent.stdout is not None
    child = int(parent.stdout.readline())
    parent.kill()
    parent.wait()
    for _ in range(600):  # up to a minute on a loaded machine
        try:
            os.kill(child, 0)
        except ProcessLookupError:
            return
        try:
            state = Path(f"/proc/{child}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            return  # gone between the two looks
        if state == "Z":
            return  # dead, waiting for init to reap it
        threading.Event().wait(0.1)
    raise AssertionError(f"worker {child} outlived its killed parent")
