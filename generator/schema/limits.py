"""How much input the generator accepts, and the checks that keep a hostile file bounded.

Every limit is far above what a real schema needs (in schemas/, the largest file is about
12 KB, the deepest 13 levels, the most nodes 877, the longest enum 4) and low enough that a
folder holding any one file at a limit loads in seconds and a few hundred MB.
schemas/README.md lists them.

The checks run before anything builds data from a file: the file is read with a size
bound, and the YAML event stream (libyaml's parser, which is iterative) is scanned for
depth, alias expansion, enum size and integer size before PyYAML's recursive constructor
and the schema package's own recursive passes ever see it.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from generator.ir import DATA_KEYWORDS, NAME_MAPS

MAX_FILE_BYTES = 1024 * 1024
MAX_DEPTH = 64  # nested mappings and lists, counting the top-level mapping as 1
MAX_NODES = 20_000  # scalars, mappings and lists, with every alias expanded
MAX_ENUM_VALUES = 1_000
MAX_INTEGER_DIGITS = 40  # more than a 128-bit integer needs


class LimitExceeded(Exception):
    """A file is outside the accepted bounds; pointer says where (JSON pointer, may be "")."""

    def __init__(self, message: str, pointer: str = "") -> None:
        super().__init__(message)
        self.pointer = pointer


def entry_problem(root: Path, path: Path, directory_ok: bool = False) -> str | None:
    """Why the folder entry `path` may not be read as input, or None when it may
    (directory_ok: a directory inside the folder is fine here, the schema package ignores it).

    A symlink is followed only when it ends inside the schema folder: the generator copies
    what it reads into published packages, so nothing outside the folder may reach them.
    Anything that is not a regular file (a FIFO, a socket, a device, a directory where a
    file belongs) is refused before it is opened, since reading one can block or never end.
    """
    try:
        info = path.lstat()
    except OSError as exc:
        return f"cannot read: {exc.strerror or exc}"
    if stat.S_ISLNK(info.st_mode):
        try:
            target = path.resolve(strict=True)
        except (OSError, RuntimeError):
            return f"is a symlink to {os.readlink(path)!r}, which does not exist"
        if not target.is_relative_to(root.resolve()):
            return "is a symlink that leaves the schema folder; copy the file in instead"
        info = target.stat()
    if stat.S_ISDIR(info.st_mode):
        return None if directory_ok else "is a directory, not a file"
    if not stat.S_ISREG(info.st_mode):
        return f"is not a regular file ({_kind(info.st_mode)}); schema files must be plain files"
    return None


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "a special file"


def read_bounded(path: Path, limit: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of a regular file of at most `limit` bytes; LimitExceeded otherwise.

    The checks are made on the opened file itself, so a file swapped between the folder
    scan and the read is still bounded; O_NONBLOCK keeps a FIFO from blocking the open.
    """
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        raise LimitExceeded(f"cannot read: {exc.strerror or exc}") from None
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise LimitExceeded(f"is not a regular file ({_kind(info.st_mode)})")
        if info.st_size > limit:
            raise LimitExceeded(_too_big(info.st_size, limit))
        try:
            data = handle.read(limit + 1)
        except OSError as exc:
            raise LimitExceeded(f"cannot read: {exc.strerror or exc}") from None
    if len(data) > limit:
        raise LimitExceeded(_too_big(len(data), limit))
    return data


def _too_big(size: int, limit: int) -> str:
    return f"file is {size:,} bytes; the limit is {limit:,} bytes ({limit / 1024 / 1024:g} MiB)"


@dataclass
class _Frame:
    pointer: str
    is_mapping: bool
    start_nodes: int
    anchor: str | None
    in_data: bool
    is_enum: bool = False
    names: bool = False  # a mapping of names to schemas (properties, $defs, ...)
    index: int = 0
    expecting_key: bool = True
    key: Any = None


def check_yaml_bounds(text: str, loader: type[Any]) -> None:
    """Raise LimitExceeded at the first node past a limit, scanning YAML events only.

    Syntax errors are left to the real parse, which reports them with a position.
    """
    scan = _Scan(loader)
    try:
        for event in yaml.parse(text, Loader=loader):
            scan.feed(event)
    except yaml.YAMLError:
        return  # the real parse reports it, with its position


class _Scan:
    """The walk over one file's YAML events: where each node is (a JSON pointer), how many
    nodes it has seen (aliases expanded) and the open mappings and lists."""

    def __init__(self, loader: type[Any]) -> None:
        self.loader = loader
        self.nodes = 0
        self.sizes: dict[str, int] = {}  # anchor -> nodes it stands for, aliases expanded
        self.stack: list[_Frame] = []

    def feed(self, event: yaml.Event) -> None:
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            self._start(event)
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            frame = self.stack.pop()
            if frame.anchor is not None:
                self.sizes[frame.anchor] = self.nodes - frame.start_nodes
            self._node_done()
        elif isinstance(event, yaml.ScalarEvent):
            pointer, _, is_key = self._child_pointer()
            self._count(pointer, 1)
            if event.anchor is not None:
                self.sizes[event.anchor] = 1
            if not is_key:
                _check_integer(event, pointer, self.loader)
            self._node_done(event.value)
        elif isinstance(event, yaml.AliasEvent):
            pointer, _, _ = self._child_pointer()
            self._count(pointer, self.sizes.get(event.anchor or "", 1))
            self._node_done()

    def _start(self, event: yaml.MappingStartEvent | yaml.SequenceStartEvent) -> None:
        stack = self.stack
        pointer, in_data, _ = self._child_pointer()
        self._count(pointer, 1)
        if len(stack) + 1 > MAX_DEPTH:
            raise LimitExceeded(f"nested more than {MAX_DEPTH} levels deep (the limit)", pointer)
        parent_key = stack[-1].key if stack and stack[-1].is_mapping else None
        in_value = bool(stack) and not stack[-1].expecting_key
        is_mapping = isinstance(event, yaml.MappingStartEvent)
        stack.append(
            _Frame(
                pointer=pointer,
                is_mapping=is_mapping,
                start_nodes=self.nodes - 1,
                anchor=event.anchor,
                in_data=in_data,
                is_enum=not is_mapping
                and parent_key == "enum"
                and in_value
                and not stack[-1].in_data,
                names=is_mapping and parent_key in NAME_MAPS and in_value and not in_data,
            )
        )

    def _child_pointer(self) -> tuple[str, bool, bool]:
        """(pointer, in_data, is_key) of the node an event starts."""
        # Imported here: errors.py is tiny, but this module is imported by yamlio at start-up.
        from generator.errors import pointer_join

        if not self.stack:
            return "", False, False
        parent = self.stack[-1]
        if parent.is_mapping:
            if parent.expecting_key:
                return parent.pointer, parent.in_data, True
            key = parent.key
            # Under `properties`, `default` names a property: its value is a schema.
            in_data = parent.in_data or (key in DATA_KEYWORDS and not parent.names)
            return pointer_join(parent.pointer, key), in_data, False
        return pointer_join(parent.pointer, parent.index), parent.in_data, False

    def _node_done(self, value: Any = None) -> None:
        if not self.stack:
            return
        parent = self.stack[-1]
        if parent.is_mapping:
            if parent.expecting_key:
                parent.key = value if isinstance(value, str) else "?"
            parent.expecting_key = not parent.expecting_key
        else:
            parent.index += 1
            if parent.is_enum and parent.index > MAX_ENUM_VALUES:
                raise LimitExceeded(
                    f"enum has more than {MAX_ENUM_VALUES:,} values (the limit); "
                    "use a string with a pattern or a description instead",
                    parent.pointer,
                )

    def _count(self, pointer: str, added: int) -> None:
        self.nodes += added
        if self.nodes > MAX_NODES:
            raise LimitExceeded(
                f"file holds more than {MAX_NODES:,} values (aliases expanded); the limit "
                f"is {MAX_NODES:,}",
                pointer,
            )


def _check_integer(event: yaml.ScalarEvent, pointer: str, loader: type[Any]) -> None:
    # Only a long plain scalar can be a too-large integer; most scalars stop at the length.
    if len(event.value) <= MAX_INTEGER_DIGITS or not event.implicit[0]:
        return  # implicit[0]: a plain scalar with no tag, the only kind resolved to int
    resolvers = loader.yaml_implicit_resolvers.get(event.value[:1], [])
    for tag, regexp in resolvers:
        if regexp.match(event.value):
            digits = _digits(event.value)
            if tag == "tag:yaml.org,2002:int" and digits > MAX_INTEGER_DIGITS:
                raise LimitExceeded(
                    f"integer of {digits:,} digits; the limit is {MAX_INTEGER_DIGITS} digits "
                    "(quote it if it is text)",
                    pointer,
                )
            return


def _digits(literal: str) -> int:
    """Digits of a YAML 1.1 integer literal: no sign, base prefix, `_` or `:`."""
    body = literal.lstrip("+-")
    if body[:2] in ("0x", "0b"):
        body = body[2:]
    return sum(1 for char in body if char not in "_:")
