"""`{% remember %}` changes only the time: every template renders the same text with blocks
remembered (in memory and in the cache) as with every block rendered afresh."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from support import FIXTURES, ROOT

from generator.pipeline import render_all
from generator.run import NO_SPEED, RunContext
from generator.schema import load_schemas
from generator.speed import HeldSpeed, fragments, on_disk
from generator.speed.store import Cache

CATALOGUES = {
    "schemas": ROOT / "schemas",
    "kitchen-sink": FIXTURES / "kitchen-sink" / "schemas",
    "typescript-escaping": FIXTURES / "typescript-escaping",
    "python-escaping": FIXTURES / "python-escaping",
}
TARGETS = ["python", "typescript", "openapi", "asyncapi"]


@pytest.mark.parametrize("name", sorted(CATALOGUES))
def test_remembered_blocks_render_what_fresh_blocks_render(name: str, tmp_path: Path) -> None:
    catalogue = load_schemas(CATALOGUES[name])
    fresh = render_all(catalogue, TARGETS)  # no cache: every block renders
    for cache in (on_disk(tmp_path / "cache"), HeldSpeed(tmp_path / "held")):
        for _ in range(2):  # filling the cache, then reading every block from it
            assert render_all(catalogue, TARGETS, RunContext(cache)) == fresh
    assert list((tmp_path / "cache").glob(f"{fragments.KIND}/*/*"))


def test_an_edited_message_renders_its_own_new_block(tmp_path: Path) -> None:
    folder = tmp_path / "schemas"
    shutil.copytree(ROOT / "schemas", folder)
    cache = on_disk(tmp_path / "cache")
    before = render_all(load_schemas(folder), TARGETS, RunContext(cache))
    path = folder / "file-download-request.yaml"
    path.write_text(
        path.read_text().replace("  Downloads model file", "  Edited. Downloads model file", 1)
    )
    edited = load_schemas(folder)
    after = render_all(edited, TARGETS, RunContext(cache))
    assert after == render_all(edited, TARGETS, RunContext(NO_SPEED))
    assert after != before


def test_a_key_that_cannot_tell_blocks_apart_is_refused() -> None:
    # An undefined name (a typo) or an object without a full repr would give every block one
    # key, and every item the first item's text.
    import jinja2

    from generator.speed.fragments import Fragments
    from generator.templating import VARIABLE, _remember_extension

    env = jinja2.Environment(extensions=[_remember_extension()], undefined=jinja2.StrictUndefined)
    template = env.from_string(
        "{% for m in ms %}{% remember mm %}[{{ m }}]{% endremember %}{% endfor %}"
    )
    with pytest.raises(TypeError, match="undefined"):
        template.render(ms=[1, 2], **{VARIABLE: Fragments(Cache(None), "t")})
    keyed = env.from_string(
        "{% for m in ms %}{% remember m %}[{{ m }}]{% endremember %}{% endfor %}"
    )
    assert keyed.render(ms=[1, 2], **{VARIABLE: Fragments(Cache(None), "t")}) == "[1][2]"
    with pytest.raises(TypeError, match="cannot key"):
        keyed.render(ms=[object()], **{VARIABLE: Fragments(Cache(None), "t")})
