"""Schema text cannot break out of the context each escaping filter is made for."""

from __future__ import annotations

import ast
import json

from hypothesis import given
from hypothesis import strategies as st

from generator import escaping

HOSTILE = [
    '"""',
    'ends with a quote"',
    "back\\slash \\n not a newline",
    "*/ closes a comment",
    "`${process.exit(1)}`",
    "line one\nline two\r\nline three",
    "\x00 nul and \u2028 separator",
    "'''",
]
texts = st.one_of(st.sampled_from(HOSTILE), st.text(), st.text(alphabet="\"\\*/`${}'\n\r\t x"))


@given(texts)
def test_py_docstring_round_trips(text: str) -> None:
    source = f'def f():\n    """{escaping.py_docstring(text, indent=4)}"""\n'
    docstring = ast.get_docstring(ast.parse(source).body[0], clean=False)  # type: ignore[arg-type]
    expected = "\n".join(
        ("    " + line) if (i and line) else line
        for i, line in enumerate(escaping.clean_text(text).split("\n"))
    )
    assert docstring == expected


@given(texts)
def test_py_str_round_trips(text: str) -> None:
    assert ast.literal_eval(escaping.py_str(text)) == text


@given(texts)
def test_py_comment_is_one_line(text: str) -> None:
    assert "\n" not in escaping.py_comment(text) and "\r" not in escaping.py_comment(text)


@given(texts)
def test_ts_doc_cannot_close_the_comment(text: str) -> None:
    body = escaping.ts_doc(text, indent=2)
    assert "*/" not in body
    assert all(line.startswith("   *") for line in body.split("\n"))


@given(texts)
def test_ts_str_is_a_plain_ascii_literal(text: str) -> None:
    literal = escaping.ts_str(text)
    assert literal.isascii() and "\n" not in literal
    assert json.loads(literal) == text


def test_ts_key_quotes_non_identifiers() -> None:
    assert escaping.ts_key("modelId") == "modelId"
    assert escaping.ts_key("x-request-id") == '"x-request-id"'
    assert escaping.ts_key('a"b') == '"a\\"b"'


@given(texts)
def test_md_block_cannot_open_a_code_fence(text: str) -> None:
    assert "```" not in escaping.md_block(text)
