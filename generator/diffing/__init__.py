"""Schema diffs: classify every change between two catalogues as breaking, additive or docs.

`compare(old, new)` is the whole API; `cli.diff_command`, `base` and `generator.release` use it.
"""

from __future__ import annotations

from generator.diffing.compare import diff_catalogues
from generator.diffing.model import Change, Level, Report, Severity, Side
from generator.ir import Catalogue

__all__ = ["Change", "Level", "Report", "Severity", "Side", "compare"]


def compare(old: Catalogue, new: Catalogue, old_label: str, new_label: str) -> Report:
    return Report(
        old=Side(old_label, old.version),
        new=Side(new_label, new.version),
        changes=tuple(diff_catalogues(old, new)),
    )
