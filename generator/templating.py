"""The Jinja environment every target renders with."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import jinja2


def templates_root() -> Path:
    """`templates/` of a source checkout, else the copy packaged into the wheel."""
    here = Path(__file__).resolve().parent
    for candidate in (here.parent / "templates", here / "_templates"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError("templates folder not found next to the generator package")


def environment(target: str) -> jinja2.Environment:
    """Environment for templates/<target>/ with the shared escaping filters."""
    from generator.cache import folder

    # Compiled templates live in the generator's cache (when on), keyed by their source.
    return _environment(target, folder("jinja"))


@cache
def _environment(target: str, compiled: Path | None) -> jinja2.Environment:
    import jinja2  # not at module level: a cached run never renders a template

    from generator.escaping import FILTERS

    class QuietBytecodeCache(jinja2.FileSystemBytecodeCache):
        def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
            try:
                super().dump_bytecode(bucket)
            except OSError:
                pass  # a cache that cannot be written is only slower, never wrong

    env = jinja2.Environment(
        bytecode_cache=QuietBytecodeCache(str(compiled)) if compiled else None,
        loader=jinja2.FileSystemLoader(str(templates_root() / target)),
        undefined=jinja2.StrictUndefined,
        autoescape=False,  # noqa: S701 - code, not HTML; escaping is per-context filters
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(FILTERS)
    return env


def render(target: str, template: str, **context: object) -> str:
    return environment(target).get_template(template).render(**context)


def runtime_root() -> Path:
    """`generator/runtime/`: the client runtime, plain source copied into the packages as is."""
    return Path(__file__).resolve().parent / "runtime"


def runtime_files(language: str) -> dict[str, str]:
    """Every file below runtime/<language>/, by its path relative to that folder."""
    root = runtime_root() / language
    return {
        path.relative_to(root).as_posix(): path.read_text(encoding="utf-8")
        for path in sorted(root.rglob("*"))
        if path.is_file() and "__pycache__" not in path.parts
    }
