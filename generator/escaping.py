"""One filter per output context. No schema text reaches generated code any other way.

Each filter returns text that, placed where its name says, cannot end the surrounding
docstring, comment or literal, whatever the input holds.
"""

from __future__ import annotations

import functools
import json
import re
import textwrap
import unicodedata
from collections.abc import Callable
from typing import Any, TypeVar, cast

# Every filter of text is a pure function of its arguments, called with the same schema text
# by several targets and again on every save in `generate --watch`: each remembers its
# recent answers.
F = TypeVar("F", bound=Callable[..., str])


def _remembered(function: F) -> F:
    cached = functools.lru_cache(maxsize=1 << 16)(function)

    @functools.wraps(function)
    def call(*args: Any, **kwargs: Any) -> str:
        # Only text and indents are remembered: a template may pass any value, and 1.0, 1 and
        # True are one key to a cache.
        if all(type(a) in (str, int) for a in (*args, *kwargs.values())):
            return cached(*args, **kwargs)
        return function(*args, **kwargs)

    return cast(F, call)


_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u2028\u2029\u0085]")


@_remembered
def clean_text(text: str) -> str:
    """Normalise newlines, tabs and control characters; strip trailing spaces per line."""
    text = unicodedata.normalize("NFC", str(text)).replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\t", "    ")
    text = _CONTROL_RE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
    return "\n".join(line.rstrip() for line in text.split("\n")).strip("\n")


@_remembered
def py_docstring(text: str, indent: int = 0) -> str:
    """Body of a triple-double-quoted, non-raw docstring, continuation lines indented."""
    body = clean_text(text).replace("\\", "\\\\")
    # Escape every quote next to another quote, and a final one: no run of three
    # unescaped quotes can form, and the body cannot merge with the closing quotes.
    body = re.sub(r'"(?=")|"$', '\\\\"', body)
    pad = " " * indent
    return "\n".join(
        (pad + line) if (i and line) else line for i, line in enumerate(body.split("\n"))
    )


@_remembered
def py_str(text: str) -> str:
    """A complete Python string literal (quotes included), double-quoted when black would be."""
    literal = repr(str(text))
    if literal.startswith("'") and '"' not in text:
        # repr picked single quotes with no quote of either kind inside: swap them, so that
        # black has nothing to change (and formats the file in one pass instead of two).
        literal = '"' + literal[1:-1] + '"'
    return literal


@_remembered
def py_comment(text: str) -> str:
    """Text for one `# ...` comment line."""
    return " ".join(clean_text(text).split())


@_remembered
def ts_doc(text: str, indent: int = 0, width: int | None = None) -> str:
    """Lines of a JSDoc block (`/** ... */`), each prefixed with ` * `; `*/` is defused.

    With a width, long lines are wrapped at spaces (never inside a word) to fit it.
    """
    body = clean_text(text).replace("*/", "*\\/")
    pad = " " * indent
    lines = body.split("\n")
    if width is not None:
        room = max(20, width - indent - 3)
        lines = [
            wrapped
            for line in lines
            for wrapped in (
                textwrap.wrap(line, room, break_long_words=False, break_on_hyphens=False) or [""]
            )
        ]
    return "\n".join(f"{pad} * {line}".rstrip() for line in lines)


@_remembered
def ts_str(text: str) -> str:
    """A complete double-quoted TS/JS string literal (JSON escaping, ASCII only)."""
    return json.dumps(str(text), ensure_ascii=True)


@_remembered
def ts_key(name: str) -> str:
    """A property key for a TS interface or object literal: bare when it is an identifier."""
    if re.match(r"^[A-Za-z_$][A-Za-z0-9_$]*$", name):
        return name
    return ts_str(name)


_PROTO_KEY = re.compile(r'^( *)"__proto__": ', re.M)


def ts_data_text(json_text: str) -> str:
    """JSON text (ASCII, as json.dumps(ensure_ascii=True) writes it) as a TS expression that
    builds exactly that data: every `"__proto__"` key becomes a computed key, which defines a
    property instead of setting the object's prototype."""
    return _PROTO_KEY.sub(r'\1["__proto__"]: ', json_text)


@_remembered
def md_code(text: str) -> str:
    """A complete Markdown code span (delimiters included) showing text verbatim on one line."""
    one = " ".join(clean_text(text).split())
    longest = max((len(run) for run in re.findall(r"`+", one)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if (one.startswith("`") or one.endswith("`")) else ""
    return f"{fence}{pad}{one}{pad}{fence}"


@_remembered
def md_inline(text: str) -> str:
    """One Markdown line: newlines folded, `<` and `>` escaped (use md_code for code spans)."""
    one = " ".join(clean_text(text).split())
    return one.replace("<", "&lt;").replace(">", "&gt;")


@_remembered
def md_block(text: str) -> str:
    """Markdown paragraphs; a stray code fence in the text cannot swallow the document."""
    return clean_text(text).replace("```", "'''").replace("<", "&lt;").replace(">", "&gt;")


FILTERS = {
    "py_docstring": py_docstring,
    "py_str": py_str,
    "py_comment": py_comment,
    "ts_doc": ts_doc,
    "ts_str": ts_str,
    "ts_key": ts_key,
    "md_code": md_code,
    "md_inline": md_inline,
    "md_block": md_block,
}


def summary_line(description: str) -> str:
    """A description's first sentence on one line (at most 120 characters), for summaries."""
    first = clean_text(description).split("\n\n")[0]
    line = " ".join(first.split())
    end = line.find(". ")
    if end != -1:
        line = line[: end + 1]
    return line if len(line) <= 120 else line[:117].rstrip() + "..."
