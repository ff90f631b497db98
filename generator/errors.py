"""Errors are data: every problem with the input is a SchemaError naming file and JSON pointer."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class SchemaError:
    """One problem in the input: where it is (file, JSON pointer) and what is wrong."""

    file: str
    pointer: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}#{self.pointer}: {self.message}"


class SchemaErrors(Exception):
    """Raised once with every SchemaError of a run, so the CLI can report them all."""

    def __init__(self, errors: list[SchemaError]) -> None:
        self.errors = sorted(set(errors))
        super().__init__(f"{len(self.errors)} schema error(s)")


class GenerationError(Exception):
    """A failure while rendering a target (a bug or a broken template, not bad input)."""


def pointer_join(base: str, *parts: object) -> str:
    """Extend a JSON pointer (RFC 6901), escaping '~' and '/' inside each part."""
    out = base
    for part in parts:
        text = part if type(part) is str else str(part)
        if "~" in text or "/" in text:  # rare; the schema package builds ~100,000 pointers a run
            text = text.replace("~", "~0").replace("/", "~1")
        out += "/" + text
    return out
