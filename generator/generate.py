"""One `generate` run: render (or find the output already up to date), write the changed
files as one transaction, and print what happened. `generate` and the watcher both run it."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import click

from generator.cli_options import EXIT_INVALID, plural, print_schema_errors
from generator.errors import SchemaErrors

if TYPE_CHECKING:
    from generator.pipeline import Outcome, Rendered
    from generator.run import Speed
    from generator.schema import Snapshot


@dataclass
class Watching:
    """What a watcher carries from one run to the next: the last clean load."""

    snapshot: Snapshot | None = None


def generate_once(
    schemas: str,
    names: list[str],
    out: str,
    speed: Speed,
    what: str = "",
    watching: Watching | None = None,
) -> int:
    """One `generate`: prints what it did, returns the exit code (never exits itself). A
    watcher passes its Watching: the run starts from the last clean load and leaves its own
    there, and records no digests of the output (the folder changes again at the next save).
    """
    from generator import pipeline

    keep_output = watching is None
    started = time.perf_counter()
    nothing = "nothing was written" + what
    # Watch mode (keep_output=False) records no digests, so it has none to compare with.
    same = (
        pipeline.unchanged_output(Path(schemas), names, Path(out), speed) if keep_output else None
    )
    if same is not None:
        elapsed = time.perf_counter() - started
        click.echo(_wrote(same.messages, out, names, 0, same.files, 0, elapsed))
        return 0
    try:
        previous = watching.snapshot if watching is not None else None
        rendered = pipeline.render_folder(
            Path(schemas), schemas, names, speed, keep_output, previous
        )
    except SchemaErrors as exc:
        print_schema_errors(exc, nothing)
        return EXIT_INVALID
    if watching is not None:
        watching.snapshot = rendered.snapshot
    outcome = _write(out, rendered, names, nothing)
    if outcome is None:
        return EXIT_INVALID
    _report(out, names, rendered, outcome, time.perf_counter() - started)
    return 0


def _write(out: str, rendered: Rendered, names: list[str], nothing: str) -> Outcome | None:
    """The rendered files written as one transaction; None after saying why they were not."""
    from generator import pipeline, targets, transaction

    prefixes = [targets.prefix(n) for n in names]
    try:
        return pipeline.write_tree(Path(out), rendered.files, prefixes)
    except transaction.TreeBusy as exc:
        click.echo(f"error: {exc}; {nothing} (try again when it is done)", err=True)
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
    except OSError as exc:
        where = exc.filename or out
        click.echo(f"error: cannot write {where}: {exc.strerror or exc}; {nothing}", err=True)
    return None


def _report(
    out: str, names: list[str], rendered: Rendered, outcome: Outcome, elapsed: float
) -> None:
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
