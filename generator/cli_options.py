"""What the commands share: exit codes, the common options, and loading or rendering a
schema folder with its errors printed (exit 2)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import click

from generator.errors import SchemaErrors
from generator.ir import Catalogue
from generator.targets import TARGETS

if TYPE_CHECKING:  # imported where they are used: `validate` never pays for the pipeline
    from generator.pipeline import Rendered
    from generator.run import Speed

EXIT_DRIFT = 1
EXIT_INVALID = 2


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def print_schema_errors(exc: SchemaErrors, what: str) -> None:
    for error in exc.errors:
        click.echo(f"error: {error}", err=True)
    files = len({e.file for e in exc.errors})
    click.echo(f"{plural(len(exc.errors), 'error')} in {plural(files, 'file')}; {what}", err=True)


def fail_with_schema_errors(exc: SchemaErrors, what: str = "nothing was written") -> NoReturn:
    print_schema_errors(exc, what)
    sys.exit(EXIT_INVALID)


def load_or_exit(schemas: str, what: str = "nothing was written") -> Catalogue:
    from generator.schema import load_schemas

    try:
        return load_schemas(Path(schemas), display_root=schemas)
    except SchemaErrors as exc:
        fail_with_schema_errors(exc, what)


schemas_option = click.option(
    "--schemas",
    default="schemas",
    show_default=True,
    metavar="DIR",
    help="Folder of message schemas (one <message-type>.yaml each, shared/ definitions).",
)


def target_names(chosen: tuple[str, ...]) -> list[str]:
    from generator import targets

    present = targets.available()
    if not chosen or "all" in chosen:
        return present
    missing = [t for t in chosen if t not in present]
    if missing:
        raise click.BadParameter(f"unknown target(s): {', '.join(missing)}", param_hint="--target")
    return [t for t in present if t in chosen]


target_option = click.option(
    "--target",
    "target",
    multiple=True,
    type=click.Choice(["all", *TARGETS]),
    help="Target to emit (repeatable). Default: all.",
)
out_option = click.option(
    "--out", default="generated", show_default=True, metavar="DIR", help="Output folder."
)
cache_option = click.option(
    "--no-cache",
    is_flag=True,
    help="Render everything from scratch (the cache never changes the output, only the time).",
)


def render_or_exit(schemas: str, names: list[str], speed: Speed, what: str) -> Rendered:
    from generator import pipeline

    try:
        return pipeline.render_folder(Path(schemas), schemas, names, speed)
    except SchemaErrors as exc:
        fail_with_schema_errors(exc, what)
