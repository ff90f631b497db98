"""`generate --watch`: one warm process that regenerates whenever an input is saved.

The process pays its imports once, and keeps what it computed in memory between saves: the
last clean load (a save rebuilds only the message files that changed: generator.schema
load_again), and a HeldSpeed (generator.speed) with the cache's tables (written to disk when
nothing changed for a while and on exit) and the targets' Memo of what they made of every
unchanged object. A save then costs about
what the edit changes. Bursts of saves (an editor writing several
files, a `git checkout`) are gathered into one run: watchfiles reports once nothing changed
for STEP_MS, or after DEBOUNCE_MS at the latest. An invalid save prints its errors and leaves
the output folder untouched; the loop goes on. Every step runs in this process, so Ctrl-C
leaves no child behind and exits 0.

What is watched: the schema folder, the templates and the runtime source. A change to the
generator's own Python code needs a restart.
"""

from __future__ import annotations

import faulthandler
import signal
import threading
import time
from pathlib import Path

import click

from generator.generate import Watching, generate_once
from generator.speed import HeldSpeed

DEBOUNCE_MS = 1600
# Editors write a save within a millisecond or two. watchfiles looks every STEP_MS and
# reports once a look finds nothing new, so a save is seen 1 to 2 steps after it is written;
# a burst with longer gaps (a slow tool rewriting files one by one) becomes several runs,
# each of which regenerates from what is on disk then.
STEP_MS = 5
READY = "watching"  # the line a script may wait for before it starts saving


def watched_paths(schemas: str) -> list[Path]:
    from generator.templating import runtime_root, templates_root

    return [Path(schemas).resolve(), templates_root(), runtime_root()]


def _forget_toolchain(held: HeldSpeed, watching: Watching) -> None:
    """A template or runtime file changed: what was computed from them in this process is
    stale (the cache keys mix in their digest, so the held entries are dead; the naming rules
    read the runtime; the last load, since the names the targets reserve may change)."""
    from generator import targets, templating
    from generator.speed import store

    store.toolchain_digest.cache_clear()
    templating._environment.cache_clear()
    templating.runtime_files.cache_clear()
    for name in targets.available():  # a target's naming rules may be read from its runtime
        rules = getattr(targets.load(name), "naming", None)
        getattr(rules, "cache_clear", lambda: None)()
    held.forget()
    watching.snapshot = None


def watch_and_generate(schemas: str, names: list[str], out: str, speed: HeldSpeed) -> int:
    # RustNotify is what watchfiles.watch() runs on; used directly, the watcher is in place
    # before READY is printed, so no save after that line can be missed.
    from watchfiles import Change, DefaultFilter
    from watchfiles._rust_notify import RustNotify

    if not Path(schemas).is_dir():
        click.echo(f"error: {schemas}: no such folder", err=True)
        return 2
    if hasattr(signal, "SIGUSR1"):
        # `kill -USR1 <pid>` prints where every thread is: for a watcher that seems stuck.
        faulthandler.register(signal.SIGUSR1, all_threads=True)
    watching = Watching()
    paths = watched_paths(schemas)
    toolchain = paths[1:]
    out_dir = Path(out).resolve()
    default = DefaultFilter()

    def wanted(change: int, path: str) -> bool:
        # The output may live below a watched folder; its own writes are not edits.
        return default(Change(change), path) and not Path(path).is_relative_to(out_dir)

    # Ctrl-C raises KeyboardInterrupt, but one raised while a finaliser runs (a __del__, a
    # weakref callback) is printed and dropped by Python: the flag outlives it, and the
    # watcher and the loop both look at it. A process started with Ctrl-C ignored (a
    # background job of a script) keeps ignoring it, as Unix programs do.
    stopping = threading.Event()

    def on_interrupt(signum: int, frame: object) -> None:
        stopping.set()
        raise KeyboardInterrupt

    previous = signal.getsignal(signal.SIGINT)
    if previous is not signal.SIG_IGN:
        signal.signal(signal.SIGINT, on_interrupt)
    try:
        with RustNotify([str(p) for p in paths], False, False, 300, True, False) as watcher:
            generate_once(schemas, names, out, speed, "; still watching", watching)
            click.echo(f"{READY} {', '.join(str(p) for p in paths)} (Ctrl-C stops)", err=True)
            while not stopping.is_set():
                raw = watcher.watch(DEBOUNCE_MS, STEP_MS, 5000, stopping)
                if raw in ("signal", "stop"):
                    break  # Ctrl-C while waiting
                if not isinstance(raw, set):
                    speed.flush()  # "timeout": nothing happened for a while
                    continue
                changed = sorted({Path(path) for change, path in raw if wanted(change, path)})
                if not changed:
                    continue
                if any(p.is_relative_to(t) for p in changed for t in toolchain):
                    _forget_toolchain(speed, watching)
                stamp = time.strftime("%H:%M:%S")
                shown = ", ".join(_shown(p) for p in changed[:3])
                click.echo(f"[{stamp}] changed: {shown}{' ...' if len(changed) > 3 else ''}")
                generate_once(schemas, names, out, speed, "; still watching", watching)
    except KeyboardInterrupt:
        pass  # Ctrl-C while generating: the write rolled back or completed
    finally:
        try:
            speed.flush()
        except KeyboardInterrupt:
            pass  # a second Ctrl-C: the cache is only ever slower for it, never wrong
        if previous is not signal.SIG_IGN:
            signal.signal(signal.SIGINT, previous)
    click.echo("stopped watching", err=True)
    return 0


def _shown(path: Path) -> str:
    try:
        return path.relative_to(Path.cwd()).as_posix()
    except ValueError:
        return str(path)
