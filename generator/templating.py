"""The Jinja environment every target renders with."""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from generator.run import NO_SPEED, Blocks, Speed

if TYPE_CHECKING:
    import jinja2

# The name under which a render passes its Blocks to `{% remember %}`.
VARIABLE = "_fragments"


def templates_root() -> Path:
    """`templates/` of a source checkout, else the copy packaged into the wheel."""
    here = Path(__file__).resolve().parent
    for candidate in (here.parent / "templates", here / "_templates"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError("templates folder not found next to the generator package")


def environment(target: str, speed: Speed = NO_SPEED) -> jinja2.Environment:
    """Environment for templates/<target>/ with the shared escaping filters; compiled
    templates are kept where `speed` keeps them (if anywhere)."""
    return _environment(target, speed.bytecode_cache())


@functools.cache
def _environment(target: str, bytecode_cache: Any) -> jinja2.Environment:
    import jinja2  # not at module level: a cached run never renders a template

    from generator.escaping import FILTERS

    env = jinja2.Environment(
        extensions=[_remember_extension()],
        bytecode_cache=bytecode_cache,
        loader=jinja2.FileSystemLoader(str(templates_root() / target)),
        undefined=jinja2.StrictUndefined,
        autoescape=False,  # noqa: S701 - code, not HTML; escaping is per-context filters
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(FILTERS)
    return env


def render(target: str, template: str, speed: Speed = NO_SPEED, **context: object) -> str:
    remembered = speed.blocks(f"{target}:{template}")
    text = (
        environment(target, speed)
        .get_template(template)
        .render(**context, **{VARIABLE: remembered})
    )
    remembered.save()
    return text


@functools.cache
def _remember_extension() -> type[Any]:
    """`{% remember key %} ... {% endremember %}`: a template block rendered once per key.

    A per-message or per-type block of a template (one interface of types.ts, one message's
    section of a README) is the same text whenever what it reads is the same. `key` names
    all of that: the loop item, or a list of it and constants. A block must read nothing but
    its key and constants; tests/core/test_fragments.py renders every template with and
    without remembering and compares. Where a block is kept is the Speed's business."""
    from jinja2 import nodes
    from jinja2.ext import Extension
    from jinja2.parser import Parser

    class RememberExtension(Extension):
        tags = {"remember"}

        def parse(self, parser: Parser) -> nodes.Node:
            lineno = next(parser.stream).lineno
            key = parser.parse_expression()
            body = parser.parse_statements(("name:endremember",), drop_needle=True)
            args = [nodes.Name(VARIABLE, "load"), nodes.Const(f"{parser.name}:{lineno}"), key]
            call = self.call_method("_remember", args)
            return nodes.CallBlock(call, [], [], body).set_lineno(lineno)

        def _remember(self, blocks: Blocks, where: str, key: Any, caller: Callable[[], str]) -> str:
            return blocks.text(where, key, caller)

    return RememberExtension


def key_part(value: Any) -> str:
    """A remembered block's key, where it is not JSON: a dataclass, by its repr, which shows
    every field. Anything else (an undefined name, an object with a partial repr) would give
    many blocks one key, so it is refused."""
    from jinja2 import Undefined

    if isinstance(value, Undefined):
        raise TypeError(f"{{% remember %}} key is undefined: {value._undefined_hint or value!r}")
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        if all(f.repr for f in dataclasses.fields(value)):
            return repr(value)
    raise TypeError(f"a {type(value).__name__} cannot key a remembered block")


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
