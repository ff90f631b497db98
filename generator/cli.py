"""`worker-client-gen`: a thin click layer over load_schemas and the pipeline."""

from __future__ import annotations

import importlib
import importlib.util
import json
import sys
from pathlib import Path
from typing import Any

import click

from generator import __version__
from generator.cli_options import (
    EXIT_DRIFT,
    cache_option,
    load_or_exit,
    out_option,
    plural,
    render_or_exit,
    schemas_option,
    target_names,
    target_option,
)
from generator.generate import generate_once
from generator.targets import naming_rules

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
    from generator import speed

    names = target_names(target)
    if watch:
        from generator.watch import watch_and_generate

        sys.exit(watch_and_generate(schemas, names, out, speed.held(enabled=not no_cache)))
    code = generate_once(schemas, names, out, speed.from_environment(enabled=not no_cache))
    if code:
        sys.exit(code)


@main.command()
@schemas_option
@target_option
@out_option
@cache_option
def check(schemas: str, target: tuple[str, ...], out: str, no_cache: bool) -> None:
    """Exit 1 with a diff when the output folder is not what `generate` would write."""
    from generator import pipeline, speed, targets

    names = target_names(target)
    run_speed = speed.from_environment(enabled=not no_cache)
    same = pipeline.unchanged_output(Path(schemas), names, Path(out), run_speed)
    if same is not None:
        click.echo(f"ok: {out}/ is up to date ({same.files} files, {', '.join(names)})")
        return
    rendered = render_or_exit(schemas, names, run_speed, "nothing was checked")
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
