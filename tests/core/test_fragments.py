"""`{% remember %}` changes only the time: every template renders the same text with blocks
remembered (in memory and in the cache) as with every block rendered afresh."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from support import FIXTURES, ROOT

from generator import fragments
from generator.cache import Cache
from generator.loader import load_schemas
from generator.pipeline import render_all

CATALOGUES = {
    "schemas": ROOT / "schemas",
    "kitchen-sink": FIXTURES / "kitchen-sink" / "schemas",
    "typescript-escaping": FIXTURES / "typescript-escaping",
    "python-escaping": FIXTURES / "python-escaping",
}
TARGETS = ["python", "typescript", "openapi", "asyncapi"]


@pytest.mark.parametrize("name", sorted(CATALOGUES))
def test_remembered_blocks_render_what_fresh_blocks_render(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    catalogue = load_schemas(CATALOGUES[name])
    monkeypatch.setattr(fragments, "enabled", False)
    fresh = render_all(catalogue, TARGETS)
    monkeypatch.setattr(fragments, "enabled", True)
    cache = Cache(tmp_path / "cache")
    from generator.targets import RunContext

    for _ in range(2):  # filling memory and cache, then reading them
        assert render_all(catalogue, TARGETS, RunContext(cache)) == fresh
    fragments._memory.clear()  # a fresh process: the blocks come from the cache alone
    assert render_all(catalogue, TARGETS, RunContext(cache)) == fresh
    assert list((tmp_path / "cache").glob(f"{fragments.KIND}/*/*"))


def test_an_edited_message_renders_its_own_new_block(tmp_path: Path) -> None:
    folder = tmp_path / "schemas"
    shutil.copytree(ROOT / "schemas", folder)
    cache = Cache(tmp_path / "cache")
    from generator.targets import RunContext

    before = render_all(load_schemas(folder), TARGETS, RunContext(cache))
    path = folder / "file-download-request.yaml"
    path.write_text(
        path.read_text().replace("  Downloads model file", "  Edited. Downloads model file", 1)
    )
    edited = load_schemas(folder)
    after = render_all(edited, TARGETS, RunContext(cache))
    assert after == render_all(edited, TARGETS, RunContext(Cache(None)))
    assert after != before
