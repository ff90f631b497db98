"""`worker-client-gen diff`: what changed between two schema folders, and how much it breaks."""

from __future__ import annotations

import sys

import click

from generator.cli_options import load_or_exit, schemas_option
from generator.diffing import compare
from generator.diffing.base import base_report, load_revision_or_exit
from generator.diffing.render import render_json, render_text

EXIT_BREAKING = 1


@click.command("diff")
@click.argument("folders", nargs=-1, metavar="[OLD] [NEW]")
@click.option(
    "--base",
    metavar="REV",
    help="Compare against the --schemas folder at this git revision (a tag, branch or "
    "commit) instead of an OLD folder.",
)
@schemas_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON for machines.")
@click.option(
    "--fail-on-breaking", is_flag=True, help="Exit 1 when at least one change is breaking."
)
def diff_command(
    folders: tuple[str, ...], base: str | None, schemas: str, as_json: bool, fail_on_breaking: bool
) -> None:
    """Classify every change from OLD to NEW: breaking, additive or docs.

    OLD and NEW are schema folders; NEW defaults to --schemas. With --base REV, OLD is the
    --schemas folder as committed at REV. With neither, OLD is the last release as recorded
    in release/ (else the git tag v<VERSION>). Exits 0, or 1 with --fail-on-breaking when
    something breaks; invalid schemas exit 2.
    """
    what = "nothing was compared"
    if base is None and not folders:
        report, _ = base_report(None, load_or_exit(schemas, what), schemas, what)
    elif base is not None:
        if len(folders) > 1:
            raise click.UsageError("with --base, give at most the NEW folder")
        new_dir = folders[0] if folders else schemas
        old, old_label = load_revision_or_exit(base, schemas, what)
        report = compare(old, load_or_exit(new_dir, what), old_label, new_dir)
    else:
        if len(folders) > 2:
            raise click.UsageError("give OLD [NEW] schema folders, or --base REV")
        new_dir = folders[1] if len(folders) == 2 else schemas
        old, old_label = load_or_exit(folders[0], what), folders[0]
        report = compare(old, load_or_exit(new_dir, what), old_label, new_dir)
    click.echo(render_json(report) if as_json else render_text(report), nl=False)
    if fail_on_breaking and report.breaking:
        sys.exit(EXIT_BREAKING)
