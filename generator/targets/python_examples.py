"""Python literals for the Python client's README (example payloads: generator.examples)."""

from __future__ import annotations

from typing import Any


def py_literal(value: Any, indent: int = 0) -> str:
    """Python source for a JSON value, one key per line for objects.

    Strings go through repr (so nothing can end the literal) and backticks become `\\x60`, so
    no value can close the Markdown code fence the literal is printed in.
    """
    pad = " " * indent
    if isinstance(value, dict) and value:
        items = [
            f"{pad}    {_string(key)}: {py_literal(item, indent + 4).lstrip()},"
            for key, item in value.items()
        ]
        return "{\n" + "\n".join(items) + f"\n{pad}}}"
    if isinstance(value, list) and value:
        items = [f"{pad}    {py_literal(item, indent + 4).lstrip()}," for item in value]
        return "[\n" + "\n".join(items) + f"\n{pad}]"
    if isinstance(value, str):
        return _string(value)
    if isinstance(value, dict):
        return "{}"
    if isinstance(value, list):
        return "[]"
    return repr(value)  # bool, int, float, None: the same spelling as Python


def _string(text: str) -> str:
    # In repr output every literal backslash is doubled, so each backtick is a plain character.
    return repr(text).replace("`", "\\x60")
