"""The Jinja environment every target renders with."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import TYPE_CHECKING

from generator.cache import Cache
from generator.memo import Memo

if TYPE_CHECKING:
    import jinja2

# Compiled templates, stored in the generator's cache as verified entries like any other.
BYTECODE_KIND = "jinja"
NO_CACHE = Cache(None)


def templates_root() -> Path:
    """`templates/` of a source checkout, else the copy packaged into the wheel."""
    here = Path(__file__).resolve().parent
    for candidate in (here.parent / "templates", here / "_templates"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError("templates folder not found next to the generator package")


def environment(target: str, cache: Cache = NO_CACHE) -> jinja2.Environment:
    """Environment for templates/<target>/ with the shared escaping filters; compiled
    templates are kept in `cache` (when it is on), keyed by their source."""
    return _environment(target, cache.root)


@functools.cache
def _environment(target: str, cache_root: Path | None) -> jinja2.Environment:
    import jinja2  # not at module level: a cached run never renders a template

    from generator.cache import key
    from generator.escaping import FILTERS

    store = Cache(cache_root)

    class VerifiedBytecodeCache(jinja2.BytecodeCache):
        # Jinja's own file cache would load a corrupted file as code; these entries are
        # checked against their digest first (a bad one is a miss, and is compiled again).
        def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
            payload = store.get_bytes(BYTECODE_KIND, key(BYTECODE_KIND, bucket.key))
            if payload is not None:
                bucket.bytecode_from_string(payload)

        def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
            store.put_bytes(
                BYTECODE_KIND, key(BYTECODE_KIND, bucket.key), bucket.bytecode_to_string()
            )

    from generator.fragments import RememberExtension

    env = jinja2.Environment(
        extensions=[RememberExtension],
        bytecode_cache=VerifiedBytecodeCache() if store.enabled else None,
        loader=jinja2.FileSystemLoader(str(templates_root() / target)),
        undefined=jinja2.StrictUndefined,
        autoescape=False,  # noqa: S701 - code, not HTML; escaping is per-context filters
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(FILTERS)
    return env


def render(
    target: str, template: str, cache: Cache = NO_CACHE, memo: Memo | None = None, **context: object
) -> str:
    from generator import fragments

    remembered = fragments.Fragments(cache, f"{target}:{template}", memo)
    text = (
        environment(target, cache)
        .get_template(template)
        .render(**context, **{fragments.VARIABLE: remembered})
    )
    remembered.save()
    return text


def runtime_root() -> Path:
    """`generator/runtime/`: the client runtime, plain source copied into the packages as is."""
    return Path(__file__).resolve().parent / "runtime"


@functools.cache  # read once per process; `generate --watch` forgets it when one changes
def runtime_files(language: str) -> dict[str, str]:
    """Every file below runtime/<language>/, by its path relative to that folder (shared:
    read it, do not change it)."""
    root = runtime_root() / language
    return {
        path.relative_to(root).as_posix(): path.read_text(encoding="utf-8")
        for path in sorted(root.rglob("*"))
        if path.is_file() and "__pycache__" not in path.parts
    }
