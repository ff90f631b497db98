"""black for generated Python, one piece at a time, each piece remembered.

black's layout of a top-level `class`/`def` that follows two blank lines, and of a method
that follows one blank line in its class, does not depend on what is around it: black always
puts exactly that many blank lines there. So a module is cut at those places, each piece is
formatted on its own (a method inside a stand-in `class _:` so that it keeps its indentation
and context) and the pieces are joined with the same blank lines. A test checks the result
against black over the whole module for every generated file. What the cut buys: editing
one schema changes a few pieces of a file, and only those go through black again.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from generator.run import NO_SPEED, Pieces, Speed

if TYPE_CHECKING:
    from black.mode import Mode

LINE_LENGTH = 100
# A statement that starts a definition, at the top level or one level into a class.
_TOP = re.compile(r"(?:class |def |async def |@)")
_MEMBER = re.compile(r"    (?:def |async def |@)")
_WRAPPER = "class _:\n"
TABLE_KIND = "python-black-pieces"


@functools.cache
def _mode() -> Mode:
    from black.mode import Mode, TargetVersion

    return Mode(line_length=LINE_LENGTH, target_versions={TargetVersion.PY310})


def black_format(source: str) -> str:
    """black.format_str with the generator's settings."""
    import black

    return black.format_str(source, mode=_mode())


def format_python(source: str, name: str | None = None, speed: Speed = NO_SPEED) -> str:
    """black over `source`, piece by piece. With `name` (the file's, such as its output
    path), `speed` may remember formatted pieces across runs, in one table per file."""
    table = speed.pieces(TABLE_KIND, name)
    out: list[str] = []
    for separator, member, text in split(source):
        out.append(separator + _formatted(table, text, member))
    table.save()
    return "".join(out) + "\n"


@dataclass(frozen=True)
class Block:
    """A top-level statement group of a module, and whether its writer is sure it is already
    what black makes of it (else black formats it, alone)."""

    text: str
    black_stable: bool


def join_blocks(
    blocks: Iterable[Block],
    name: str | None = None,
    speed: Speed = NO_SPEED,
) -> str:
    """A module of top-level blocks, two blank lines apart, as black lays it out. Only the
    blocks not known to be black-stable go through black, each remembered like a piece of
    format_python (with a memo in `speed`, a block that is the same object as in the last
    run is found without its digest). Tests hold the result to black over the whole module."""
    table = speed.pieces(TABLE_KIND, name)
    out: list[str] = []
    previous = ""
    for block in blocks:
        text = block.text
        if not block.black_stable:
            text = table.text_of(
                block,
                None,
                functools.partial(_digest, text, False),
                functools.partial(_format_piece, text, False),
            )
        if out:
            # black puts two blank lines around a definition; between two other statements
            # it keeps one (and after an import, it wants exactly one).
            definition = _TOP.match(text) or _TOP.match(previous)
            out.append("\n\n\n" if definition else "\n\n")
        out.append(text)
        previous = text
    table.save()
    return "".join(out) + "\n"


def _formatted(table: Pieces, text: str, member: bool) -> str:
    """black over one piece, remembered in `table` by the digest of what went in."""
    return table.text(_digest(text, member), functools.partial(_format_piece, text, member))


def _digest(text: str, member: bool) -> str:
    return hashlib.sha256(f"{member}\0{text}".encode()).hexdigest()


def _format_piece(text: str, member: bool) -> str:
    if not member:
        return black_format(text + "\n").rstrip("\n")
    formatted = black_format(_WRAPPER + text + "\n")
    assert formatted.startswith(_WRAPPER)
    return formatted[len(_WRAPPER) :].strip("\n")


def split(source: str) -> list[tuple[str, bool, str]]:
    """(separator before the piece, whether it is a class member, piece text) in order.

    A piece starts at a line that begins a definition and follows exactly the blank lines
    black puts there (two at the top level, one in a class), after a line that is neither a
    comment nor a decorator (those belong to what follows them).
    """
    lines = source.split("\n")
    while lines and not lines[-1].strip():
        lines.pop()
    pieces: list[tuple[str, bool, str]] = []
    start, separator, member = 0, "", False
    for i, line in enumerate(lines):
        if i == 0 or lines[i - 1].strip():
            continue  # a cut only ever follows a blank line
        run = _blank_run(lines, i)
        top = run == 2 and _TOP.match(line)
        inner = run == 1 and _MEMBER.match(line)
        if not (top or inner) or i - run <= start:
            continue
        before = lines[i - run - 1]
        if before.lstrip().startswith(("#", "@")) or (inner and not before.startswith("    ")):
            continue
        pieces.append((separator, member, "\n".join(lines[start : i - run])))
        start, member = i, bool(inner)
        separator = "\n\n\n" if top else "\n\n"
    pieces.append((separator, member, "\n".join(lines[start:])))
    return pieces


def _blank_run(lines: list[str], i: int) -> int:
    n = 0
    while i - n - 1 >= 0 and not lines[i - n - 1].strip():
        n += 1
    return n
