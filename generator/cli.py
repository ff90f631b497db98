"""`worker-client-gen`: a thin click layer over load_schemas and the pipeline."""

from __future__ import annotations

import importlib
import importlib.util
import json
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click

from generator import __version__
from generator.errors import SchemaErrors
from generator.ir import Catalogue
from generator.targets import TARGETS, naming_rules

if TYPE_CHECKING:  # imported where they are used, like the rest of the CLI's commands
    from generator.cache import Cache
    from generator.pipeline import Rendered

EXIT_DRIFT = 1
EXIT_INVALID = 2

# Commands that live in their own modules, imported only when invoked.
LAZY_COMMANDS = {
    "diff": "generator.diffing.cli:diff_command",
    "bump": "generator.release:bump_command",
    "publish": "generator.publish.cli:publish_command",
    "serve": "generator.server.cli:serve_command",
}


class _Group(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        present = [n for n, t in LAZY_COMMANDS.items() if _module_exists(t.split(":")[0])]
        return sorted(set(super().list_commands(ctx)) | set(present))

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        target = LAZY_COMMANDS.get(name)
        if target is not None and _module_exists(target.split(":")[0]):
            module, attr = target.split(":")
            command: click.Command = getattr(importlib.import_module(module), attr)
            return command
        return super().get_command(ctx, name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        # click cuts each summary to the width left beside the names, mid-sentence ("..."):
        # the first sentence of every command is shown whole instead, wrapped.
        rows = []
        for name in self.list_commands(ctx):
            command = self.get_command(ctx, name)
            if command is not None and not command.hidden:
                rows.append((name, command.get_short_help_str(limit=10_000)))
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)


def _module_exists(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except ModuleNotFoundError:
        return False


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


def _target_names(chosen: tuple[str, ...]) -> list[str]:
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


def render_or_exit(schemas: str, names: list[str], cache: Cache, what: str) -> Rendered:
    from generator import pipeline

    try:
        return pipeline.render_folder(Path(schemas), schemas, names, cache)
    except SchemaErrors as exc:
        fail_with_schema_errors(exc, what)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="worker-client-gen")
def main() -> None:
    """Generate typed worker-backend clients from per-message JSON Schemas."""


@main.command()
@schemas_option
def validate(schemas: str) -> None:
    """Check every schema; print a one-line summary."""
    catalogue = load_or_exit(schemas, "schemas are invalid")
    shared = sum(1 for t in catalogue.types if t.shared)
    click.echo(
        f"ok: {plural(len(catalogue.messages), 'message')}, "
        f"{plural(len(catalogue.types), 'object type')} ({shared} shared) in {schemas}, "
        f"version {catalogue.version}"
    )


@main.command("list")
@schemas_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON for machines.")
def list_messages(schemas: str, as_json: bool) -> None:
    """Print the message types, one per line."""
    catalogue = load_or_exit(schemas, "schemas are invalid")
    if as_json:
        # Each target spells its own method: "python_method", "typescript_method", ...
        methods = {f"{name}_method": rules.method for name, rules in naming_rules().items()}
        rows: list[dict[str, Any]] = [
            {
                "type": m.type,
                "title": m.title,
                **{key: spell(m.type) for key, spell in methods.items()},
                "constant": m.names.constant,
                "fields": len(m.payload.fields),
                "required": [f.name for f in m.payload.fields if f.required],
                "source": m.source,
            }
            for m in catalogue.messages
        ]
        click.echo(json.dumps(rows, indent=2))
    else:
        for m in catalogue.messages:
            click.echo(m.type)


@main.command()
@schemas_option
@target_option
@out_option
@cache_option
@click.option(
    "--watch",
    is_flag=True,
    help="Keep running: regenerate whenever a schema, shared definition, template or runtime "
    "file is saved (Ctrl-C stops).",
)
def generate(schemas: str, target: tuple[str, ...], out: str, no_cache: bool, watch: bool) -> None:
    """Render the clients into the output folder (all or nothing; removes files no longer
    produced; one run at a time). With --watch, keep running and regenerate on every save."""
    from generator.cache import Cache

    names = _target_names(target)
    cache = Cache.from_environment(enabled=not no_cache)
    if watch:
        from generator.watch import watch_and_generate

        sys.exit(watch_and_generate(schemas, names, out, cache))
    code = generate_once(schemas, names, out, cache)
    if code:
        sys.exit(code)


def generate_once(
    schemas: str, names: list[str], out: str, cache: Cache, what: str = "", keep_output: bool = True
) -> int:
    """One `generate`: prints what it did, returns the exit code (never exits itself)."""
    from generator import pipeline, targets, transaction

    started = time.perf_counter()
    nothing = "nothing was written" + what
    # Watch mode (keep_output=False) records no digests, so it has none to compare with.
    same = (
        pipeline.unchanged_output(Path(schemas), names, Path(out), cache) if keep_output else None
    )
    if same is not None:
        elapsed = time.perf_counter() - started
        click.echo(_wrote(same.messages, out, names, 0, same.files, 0, elapsed))
        return 0
    try:
        rendered = pipeline.render_folder(Path(schemas), schemas, names, cache, keep_output)
    except SchemaErrors as exc:
        print_schema_errors(exc, nothing)
        return EXIT_INVALID
    prefixes = [targets.prefix(n) for n in names]
    try:
        outcome = pipeline.write_tree(Path(out), rendered.files, prefixes)
    except transaction.TreeBusy as exc:
        click.echo(f"error: {exc}; {nothing} (try again when it is done)", err=True)
        return EXIT_INVALID
    except transaction.WriteFailed as exc:
        cause = exc.cause
        where = cause.filename or out
        state = (
            f"{out}/ holds the old files, as before"
            if exc.restored
            else f"{out}/ could not be restored yet: run `worker-client-gen generate` again, "
            "which puts the old files back first"
        )
        click.echo(f"error: cannot write {where}: {cause.strerror or cause}; {state}", err=True)
        return EXIT_INVALID
    except OSError as exc:
        where = exc.filename or out
        click.echo(f"error: cannot write {where}: {exc.strerror or exc}; {nothing}", err=True)
        return EXIT_INVALID
    elapsed = time.perf_counter() - started
    found = outcome.recovered
    if found.rolled_back:
        click.echo(f"note: an interrupted run's changes to {out}/ were rolled back first")
    if found.rolled_forward:
        click.echo(f"note: an interrupted run's clean-up of {out}/ was finished first")
    for rel in found.removed:
        click.echo(f"  removed leftover {out}/{rel}")
    click.echo(
        _wrote(
            rendered.messages,
            out,
            names,
            len(outcome.written),
            len(outcome.unchanged),
            len(outcome.removed),
            elapsed,
        )
    )
    for rel in outcome.written:
        click.echo(f"  wrote   {out}/{rel}")
    for rel in outcome.removed:
        click.echo(f"  removed {out}/{rel}")
    for rel in outcome.leftovers:
        click.echo(f"warning: could not remove {out}/{rel} (the next run does)", err=True)
    return 0


def _wrote(
    messages: int,
    out: str,
    names: list[str],
    written: int,
    unchanged: int,
    removed: int,
    seconds: float,
) -> str:
    """generate's summary line (scripts and the watch benchmark read " written, ")."""
    return (
        f"{plural(messages, 'message')} -> {out}/ ({', '.join(names)}): {written} written, "
        f"{unchanged} unchanged, {removed} removed in {seconds:.2f}s"
    )


@main.command()
@schemas_option
@target_option
@out_option
@cache_option
def check(schemas: str, target: tuple[str, ...], out: str, no_cache: bool) -> None:
    """Exit 1 with a diff when the output folder is not what `generate` would write."""
    from generator import pipeline, targets
    from generator.cache import Cache

    names = _target_names(target)
    cache = Cache.from_environment(enabled=not no_cache)
    same = pipeline.unchanged_output(Path(schemas), names, Path(out), cache)
    if same is not None:
        click.echo(f"ok: {out}/ is up to date ({same.files} files, {', '.join(names)})")
        return
    rendered = render_or_exit(schemas, names, cache, "nothing was checked")
    files = rendered.files
    prefixes = [targets.prefix(n) for n in names]
    drift = pipeline.compare_tree(Path(out), files, prefixes, out.rstrip("/"))
    if drift.clean:
        click.echo(f"ok: {out}/ is up to date ({len(files)} files, {', '.join(names)})")
        return
    for diff in drift.stale.values():
        click.echo(diff, nl=False)
    for rel in drift.stale:
        click.echo(f"stale:   {out}/{rel}", err=True)
    for rel in drift.missing:
        click.echo(f"missing: {out}/{rel}", err=True)
    for rel in drift.extra:
        click.echo(f"extra:   {out}/{rel}", err=True)
    for rel in drift.leftovers:
        click.echo(f"leftover of an interrupted run: {out}/{rel}", err=True)
    click.echo(
        f"{out}/ is out of date: {len(drift.stale)} stale, {len(drift.missing)} missing, "
        f"{len(drift.extra)} extra, {len(drift.leftovers)} leftover; "
        "run `worker-client-gen generate`",
        err=True,
    )
    sys.exit(EXIT_DRIFT)
