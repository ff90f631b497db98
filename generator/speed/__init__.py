"""The speed layer: everything that makes a run faster and nothing that changes its output.

The disk cache (store: content-addressed, verified entries keyed by the toolchain), the
piece tables (tables), remembered template blocks (fragments), the memo of what targets made
of each IR object (memo) and the held cache of `generate --watch` (held), offered to the core
as one generator.run.Speed (layer). The core never imports this package; the command line
makes a Speed here and hands it in.
"""

from __future__ import annotations

from pathlib import Path

from generator.run import NO_SPEED, Speed
from generator.speed.layer import CacheSpeed, HeldSpeed
from generator.speed.store import Cache, default_root

__all__ = ["CacheSpeed", "HeldSpeed", "from_environment", "held", "on_disk"]


def on_disk(root: Path | None) -> CacheSpeed:
    """A Speed for one run, keeping what it can in the cache folder `root` (None: nowhere)."""
    return CacheSpeed(Cache(root))


def from_environment(enabled: bool = True) -> Speed:
    """The Speed of one command-line run: the cache folder the environment names, or none at
    all (--no-cache, WORKER_CLIENT_GEN_NO_CACHE=1): then nothing is remembered."""
    root = default_root() if enabled else None
    return NO_SPEED if root is None else on_disk(root)


def held(enabled: bool = True) -> HeldSpeed:
    """The Speed of `generate --watch` (in memory across saves even with no cache folder)."""
    return HeldSpeed(default_root() if enabled else None)
