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


@cache
def environment(target: str) -> jinja2.Environment:
    """Environment for templates/<target>/ with the shared escaping filters."""
    import jinja2  # not at module level: a cached run never renders a template

    from generator.escaping import FILTERS

    env = jinja2.Environment(
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
