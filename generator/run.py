"""What one run of the generator shares, and the one interface through which the core goes
faster: Speed.

The core (generator.schema, the targets, templating, the formatters) never imports the
speed layer (generator/speed/: the disk cache, the piece tables, the memo, remembered
template blocks). It is handed a Speed, through RunContext or a `speed` argument, and asks
it only for what it could equally compute: a value stored under a key, a table of pieces of
one output file, the memo of what it made of an IR object last time. NO_SPEED remembers
nothing, so a run without the speed layer (`--no-cache`, most tests) goes through the same
code, and the speed layer can change only the time a run takes, never its output.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

T = TypeVar("T")


class Memo(Protocol):
    """What the targets made of one IR object, by the object's identity, for the next run
    of the same process (generate --watch keeps unchanged objects across saves)."""

    def value(self, kind: str, obj: object, make: Callable[[], T], extra: Hashable = None) -> T:
        """make()'s value for obj (and extra, which names everything else it depends on)."""
        ...

    def known(self, kind: str, obj: object, extra: Hashable = None) -> tuple[bool, Any]:
        """(True, the value) when obj has one under (kind, extra); else (False, None)."""
        ...

    def keep(self, kind: str, obj: object, value: Any, extra: Hashable = None) -> None: ...

    def end_run(self) -> None: ...


class Pieces(Protocol):
    """What one expensive step made of the pieces of one output file, by the digest of each
    piece's input."""

    def get(self, digest: str) -> Any | None: ...

    def put(self, digest: str, value: Any) -> None: ...

    def text(self, digest: str, make: Callable[[], str]) -> str:
        """The text kept for `digest`, else make()'s."""
        ...

    def text_of(
        self,
        obj: object,
        extra: Hashable,
        digest: Callable[[], str],
        make: Callable[[], str],
        finish: Callable[[str], str] | None = None,
    ) -> str:
        """text(digest(), make), passed through finish, for a piece made from obj alone."""
        ...

    def save(self) -> None: ...


class Blocks(Protocol):
    """The `{% remember key %}` blocks of one template file, for one render."""

    def text(self, where: str, key: Any, render: Callable[[], str]) -> str: ...

    def save(self) -> None: ...


class Speed(Protocol):
    @property
    def memo(self) -> Memo: ...

    def pieces(self, kind: str, name: str | None) -> Pieces:
        """The table of pieces `kind` of the file `name` (None: a table that keeps nothing)."""
        ...

    def blocks(self, template: str) -> Blocks: ...

    def recall(self, kind: str, *key: str) -> Any | None:
        """The JSON value stored under (kind, key), or None; callers check its shape."""
        ...

    def store(self, kind: str, value: Any, *key: str) -> None: ...

    def bytecode_cache(self) -> Any | None:
        """A jinja2.BytecodeCache for compiled templates, or None."""
        ...

    def end_run(self) -> None:
        """The run's output is made: what it did not use may be let go."""
        ...


class NoMemo:
    """A Memo that keeps nothing, for a process that renders once: it has no next run to
    keep values for, and holding every view and piece to the end of the run costs memory
    (a one-shot generate at 1,000 messages peaked at 262 MB with a Memo, 207 MB without)."""

    def value(self, kind: str, obj: object, make: Callable[[], T], extra: Hashable = None) -> T:
        return make()

    def known(self, kind: str, obj: object, extra: Hashable = None) -> tuple[bool, Any]:
        return False, None

    def keep(self, kind: str, obj: object, value: Any, extra: Hashable = None) -> None:
        pass

    def end_run(self) -> None:
        pass


class NoPieces:
    """Pieces that keeps nothing: every piece is made."""

    def get(self, digest: str) -> Any | None:
        return None

    def put(self, digest: str, value: Any) -> None:
        pass

    def text(self, digest: str, make: Callable[[], str]) -> str:
        return make()

    def text_of(
        self,
        obj: object,
        extra: Hashable,
        digest: Callable[[], str],
        make: Callable[[], str],
        finish: Callable[[str], str] | None = None,
    ) -> str:
        text = make()
        return finish(text) if finish is not None else text

    def save(self) -> None:
        pass


class NoBlocks:
    """Blocks that keeps nothing: every block renders."""

    def text(self, where: str, key: Any, render: Callable[[], str]) -> str:
        return render()

    def save(self) -> None:
        pass


class NoSpeed:
    """The Speed of a run without the speed layer: it remembers nothing."""

    @property
    def memo(self) -> Memo:
        return NoMemo()

    def pieces(self, kind: str, name: str | None) -> Pieces:
        return NoPieces()

    def blocks(self, template: str) -> Blocks:
        return NoBlocks()

    def recall(self, kind: str, *key: str) -> Any | None:
        return None

    def store(self, kind: str, value: Any, *key: str) -> None:
        pass

    def bytecode_cache(self) -> Any | None:
        return None

    def end_run(self) -> None:
        pass


NO_SPEED: Speed = NoSpeed()


@dataclass
class RunContext:
    """What one run's targets share: the Speed (NO_SPEED: nothing remembered)."""

    speed: Speed = NO_SPEED

    @property
    def memo(self) -> Memo:
        return self.speed.memo
