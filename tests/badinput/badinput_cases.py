"""The bad-input corpus: schema folders with one hostile or broken entry each.

Every case starts from tests/fixtures/minimal (copied to `schemas/`), adds or replaces one
thing, and names where the error must be reported: the file (relative to `schemas/`, "" for
the folder itself), the JSON pointer, and a fragment of the message. The limits are taken
from generator.schema.limits, so a case just past a limit follows the limit when it moves.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from generator.schema.limits import (
    MAX_DEPTH,
    MAX_ENUM_VALUES,
    MAX_FILE_BYTES,
    MAX_INTEGER_DIGITS,
    MAX_NODES,
)

HOSTILE = "hostile-request.yaml"

HEAD = """$schema: https://json-schema.org/draft/2020-12/schema
title: HostileRequestMessage
description: A message built to break the generator.
type: object
additionalProperties: false
"""
PLAIN_BODY = "properties:\n  x: {type: string}\nexamples:\n  - x: a\n"


@dataclass(frozen=True)
class Case:
    name: str
    build: Callable[[Path], None]  # called with the schemas/ folder
    file: str  # "" names the folder itself
    pointer: str
    message: str  # a fragment of the message


def _message(text: str, rel: str = HOSTILE) -> Callable[[Path], None]:
    def build(folder: Path) -> None:
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")

    return build


def _bytes(data: bytes, rel: str = HOSTILE) -> Callable[[Path], None]:
    def build(folder: Path) -> None:
        (folder / rel).write_bytes(data)

    return build


def _case(name: str, text: str, pointer: str, message: str, rel: str = HOSTILE) -> Case:
    return Case(name, _message(text, rel), rel, pointer, message)


# --------------------------------------------------------------------------- limits


def _alias_bomb(width: int, depth: int, mapping: bool = False) -> str:
    lines = [f"  l0: &l0 [{', '.join(['lol'] * width)}]"]
    for level in range(1, depth):
        if mapping:
            items = ", ".join(f"k{i}: *l{level - 1}" for i in range(width))
            lines.append(f"  l{level}: &l{level} {{{items}}}")
        else:
            lines.append(f"  l{level}: &l{level} [{', '.join([f'*l{level - 1}'] * width)}]")
    return HEAD + PLAIN_BODY + "x-bomb:\n" + "\n".join(lines) + "\n"


def _nested_objects(levels: int) -> str:
    text = "properties:\n"
    indent = "  "
    for level in range(levels):
        text += (
            f"{indent}p{level}:\n{indent}  type: object\n{indent}  additionalProperties: false\n"
            f"{indent}  properties:\n"
        )
        indent += "    "
    return HEAD + text + f"{indent}leaf: {{type: string}}\n"


def _nested_list_example(levels: int) -> str:
    return HEAD + "properties:\n  x: {}\nexamples:\n  - x: " + "[" * levels + "]" * levels + "\n"


def _nested_flow_mapping(levels: int) -> str:
    nested = "{a: " * levels + "1" + "}" * levels
    return HEAD + "properties:\n  x: {}\nexamples:\n  - x: " + nested + "\n"


def _enum(values: list[str], flow: bool = True) -> str:
    if flow:
        listed = "    enum: [" + ", ".join(values) + "]\n"
    else:
        listed = "    enum:\n" + "".join(f"      - {v}\n" for v in values)
    return HEAD + "properties:\n  x:\n    type: string\n" + listed


def limit_cases() -> list[Case]:
    cases: list[Case] = []
    over_nodes = f"more than {MAX_NODES:,} values"
    for width, depth in ((9, 9), (10, 6), (5, 12), (30, 4), (100, 3)):
        cases.append(
            Case(
                f"alias-bomb-{width}x{depth}",
                _message(_alias_bomb(width, depth)),
                HOSTILE,
                "/x-bomb/",
                over_nodes,
            )
        )
    cases.append(
        Case(
            "alias-bomb-mappings",
            _message(_alias_bomb(9, 9, True)),
            HOSTILE,
            "/x-bomb/",
            over_nodes,
        )
    )
    merge = "\n".join(
        ["  m0: &m0 {" + ", ".join(f"k{i}: v" for i in range(40)) + "}"]
        + [
            f"  m{level}: &m{level} [" + ", ".join([f"*m{level - 1}"] * 40) + "]"
            for level in range(1, 5)
        ]
    )
    cases.append(
        _case(
            "alias-bomb-merge-keys",
            HEAD + PLAIN_BODY + "x-bomb:\n" + merge + "\n",
            "/x-bomb/",
            over_nodes,
        )
    )
    cases.append(
        _case(
            "alias-bomb-in-example",
            HEAD
            + "properties:\n  x: {}\nexamples:\n  - x: &e0 [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]\n"
            + "".join(f"    x{i}: &e{i} [{', '.join([f'*e{i - 1}'] * 10)}]\n" for i in range(1, 7)),
            "/examples/0/",
            over_nodes,
        )
    )
    deep = f"nested more than {MAX_DEPTH} levels deep"
    for levels in (MAX_DEPTH // 2 + 1, 40, 122, 200):
        cases.append(
            _case(f"objects-nested-{levels}", _nested_objects(levels), "/properties/p0/", deep)
        )
    for levels in (MAX_DEPTH, 983):
        cases.append(
            _case(
                f"example-list-nested-{levels}",
                _nested_list_example(levels),
                "/examples/0/x/0/",
                deep,
            )
        )
    # Deeper than libyaml's own bound (1,000 flow levels), its scanner stops first.
    for levels in (5000, 200_000):
        cases.append(
            _case(
                f"example-list-nested-{levels}", _nested_list_example(levels), "", "nesting depth"
            )
        )
    for levels in (MAX_DEPTH, 983):
        cases.append(
            _case(
                f"example-mapping-nested-{levels}",
                _nested_flow_mapping(levels),
                "/examples/0/x/a/",
                deep,
            )
        )
    cases.append(
        _case(
            "shared-defs-nested-deep",
            "$defs:\n  Deep:\n    type: array\n    items: "
            + "{type: array, items: " * MAX_DEPTH
            + "{}"
            + "}" * MAX_DEPTH
            + "\n",
            "/$defs/Deep/items/",
            deep,
            rel="shared/deep.yaml",
        )
    )
    big_int = f"the limit is {MAX_INTEGER_DIGITS} digits"
    over = "9" * (MAX_INTEGER_DIGITS + 1)
    for name, literal in (
        ("just-over", over),
        ("4301-digits", "9" * 4301),
        ("100000-digits", "1" * 100_000),
        ("negative", "-" + over),
        ("hexadecimal", "0x" + "f" * (MAX_INTEGER_DIGITS + 1)),
        ("underscored", "1_000" * 11),
        ("sexagesimal", "1" + ":30" * 20),
    ):
        cases.append(
            _case(
                f"integer-{name}",
                HEAD + f"properties:\n  x: {{type: integer, maximum: {literal}}}\n",
                "/properties/x/maximum",
                big_int,
            )
        )
    cases.append(
        _case(
            "integer-in-example",
            HEAD + f"properties:\n  x: {{type: integer}}\nexamples:\n  - x: {'7' * 4301}\n",
            "/examples/0/x",
            big_int,
        )
    )
    cases.append(
        _case(
            "integer-in-enum",
            HEAD + f"properties:\n  x: {{enum: [1, {'7' * 4301}]}}\n",
            "/properties/x/enum/1",
            big_int,
        )
    )
    cases.append(
        _case(
            "integer-in-default",
            HEAD + f"properties:\n  x: {{type: integer, default: {'7' * 4301}}}\n",
            "/properties/x/default",
            big_int,
        )
    )
    cases.append(
        _case(
            "integer-in-shared",
            f"$defs:\n  Big:\n    type: integer\n    minimum: -{'7' * 4301}\n",
            "/$defs/Big/minimum",
            big_int,
            rel="shared/big.yaml",
        )
    )
    too_many = f"enum has more than {MAX_ENUM_VALUES:,} values"
    for count in (MAX_ENUM_VALUES + 1, 100_000):
        cases.append(
            _case(
                f"enum-{count}-values",
                _enum([f"v{i}" for i in range(count)]),
                "/properties/x/enum",
                too_many,
            )
        )
    cases.append(
        _case(
            "enum-integers",
            HEAD + "properties:\n  x:\n    enum: [" + ", ".join(map(str, range(5000))) + "]\n",
            "/properties/x/enum",
            too_many,
        )
    )
    cases.append(
        _case(
            "enum-in-array-items",
            HEAD
            + "properties:\n  x:\n    type: array\n    items:\n      enum: ["
            + ", ".join(f"t{i}" for i in range(MAX_ENUM_VALUES + 1))
            + "]\n",
            "/properties/x/items/enum",
            too_many,
        )
    )
    cases.append(
        _case(
            "enum-under-a-property-named-default",
            HEAD
            + "properties:\n  default:\n    enum: ["
            + ", ".join(f"d{i}" for i in range(MAX_ENUM_VALUES + 1))
            + "]\n",
            "/properties/default/enum",
            too_many,
        )
    )
    cases.append(
        _case(
            "enum-in-shared",
            "$defs:\n  Colour:\n    enum: ["
            + ", ".join(f"c{i}" for i in range(MAX_ENUM_VALUES + 1))
            + "]\n",
            "/$defs/Colour/enum",
            too_many,
            rel="shared/colour.yaml",
        )
    )
    too_big = f"the limit is {MAX_FILE_BYTES:,} bytes"
    padding = "# " + "x" * 98 + "\n"
    cases.append(
        _case(
            "file-just-over-limit",
            HEAD + PLAIN_BODY + padding * (MAX_FILE_BYTES // len(padding) + 1),
            "",
            too_big,
        )
    )
    cases.append(
        _case(
            "enum-file-50-mb",
            _enum([f"value-number-{i:020d}" for i in range(1_400_000)], flow=False),
            "",
            too_big,
        )
    )
    cases.append(
        _case(
            "shared-file-too-big",
            "$defs: {}\n" + padding * (MAX_FILE_BYTES // len(padding) + 1),
            "",
            too_big,
            rel="shared/huge.yaml",
        )
    )
    cases.append(
        Case(
            "version-too-big",
            _bytes(b"1.0.0\n" * (MAX_FILE_BYTES // 6 + 1), "VERSION"),
            "VERSION",
            "",
            too_big,
        )
    )
    cases.append(
        _case(
            "example-too-many-values",
            HEAD
            + "properties:\n  x: {type: array, items: {type: integer}}\nexamples:\n  - x: ["
            + ", ".join(["1"] * MAX_NODES)
            + "]\n",
            "/examples/0/x/",
            over_nodes,
        )
    )
    cases.append(
        _case(
            "example-too-many-keys",
            HEAD
            + "properties:\n  x: {type: object, additionalProperties: true}\nexamples:\n  - x: {"
            + ", ".join(f"k{i}: 1" for i in range(MAX_NODES // 2))
            + "}\n",
            "/examples/0/x",
            over_nodes,
        )
    )
    return cases


# --------------------------------------------------------------------------- the folder itself


def _symlink(target: str | Callable[[Path], str], rel: str = HOSTILE) -> Callable[[Path], None]:
    def build(folder: Path) -> None:
        where = target(folder) if callable(target) else target
        (folder / rel).symlink_to(where)

    return build


def _outside_file(folder: Path) -> str:
    outside = folder.parent / "elsewhere" / "secret-request.yaml"
    outside.parent.mkdir(exist_ok=True)
    outside.write_text(HEAD + PLAIN_BODY, encoding="utf-8")
    return str(outside)


def _outside_dir(folder: Path) -> str:
    outside = folder.parent / "elsewhere-shared"
    outside.mkdir(exist_ok=True)
    (outside / "storage.yaml").write_text((folder / "shared" / "storage.yaml").read_text())
    return str(outside)


def _fifo(rel: str) -> Callable[[Path], None]:
    def build(folder: Path) -> None:
        os.mkfifo(folder / rel)

    return build


def _unix_socket(rel: str) -> Callable[[Path], None]:
    def build(folder: Path) -> None:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
            sock.bind(str(folder / rel))

    return build


def _replace_shared_with_link(folder: Path) -> None:
    target = _outside_dir(folder)
    for path in (folder / "shared").iterdir():
        path.unlink()
    (folder / "shared").rmdir()
    (folder / "shared").symlink_to(target)


def _empty(folder: Path) -> None:
    for path in sorted(folder.rglob("*"), reverse=True):
        path.rmdir() if path.is_dir() else path.unlink()


def _only(*names: str) -> Callable[[Path], None]:
    def build(folder: Path) -> None:
        (folder / "file-download-request.yaml").unlink()
        for name in names:
            (folder / name).write_text("# notes\n")

    return build


def folder_cases() -> list[Case]:
    leaves = "leaves the schema folder"
    pipe = "not a regular file (a named pipe)"
    return [
        Case("symlink-to-etc-passwd", _symlink("/etc/passwd"), HOSTILE, "", leaves),
        Case("symlink-to-schema-outside", _symlink(_outside_file), HOSTILE, "", leaves),
        Case(
            "symlink-relative-outside",
            _symlink("../elsewhere/x.yaml"),
            HOSTILE,
            "",
            "does not exist",
        ),
        Case("symlink-dangling", _symlink("missing-request.yaml"), HOSTILE, "", "does not exist"),
        Case("symlink-loop", _symlink(HOSTILE), HOSTILE, "", "does not exist"),
        Case("symlink-to-dev-zero", _symlink("/dev/zero"), HOSTILE, "", leaves),
        Case(
            "symlink-in-shared",
            _symlink("/etc/hostname", "shared/host.yaml"),
            "shared/host.yaml",
            "",
            leaves,
        ),
        Case("symlink-shared-folder", _replace_shared_with_link, "shared", "", leaves),
        Case(
            "symlink-readme-outside", _symlink("/etc/passwd", "README.md"), "README.md", "", leaves
        ),
        Case(
            "symlink-version-outside", _symlink("/etc/hostname", "VERSION"), "VERSION", "", leaves
        ),
        Case("symlink-to-folder-inside", _symlink("shared"), HOSTILE, "", "is a directory"),
        Case("fifo-schema", _fifo(HOSTILE), HOSTILE, "", pipe),
        Case("fifo-in-shared", _fifo("shared/pipe.yaml"), "shared/pipe.yaml", "", pipe),
        Case("fifo-readme", _fifo("README.md"), "README.md", "", pipe),
        Case("fifo-version", _fifo("VERSION"), "VERSION", "", pipe),
        Case("socket-schema", _unix_socket("sock.yaml"), "sock.yaml", "", "a socket"),
        Case(
            "directory-named-yaml", lambda f: (f / HOSTILE).mkdir(), HOSTILE, "", "is a directory"
        ),
        Case(
            "version-is-directory",
            lambda f: (f / "VERSION").mkdir(),
            "VERSION",
            "",
            "is a directory",
        ),
        Case("empty-folder", _empty, "", "", "no message schemas"),
        Case("only-readme", _only("README.md"), "", "", "no message schemas"),
        Case("only-shared", _only(), "", "", "no message schemas"),
    ]


# --------------------------------------------------------------------------- content errors


def content_cases() -> list[Case]:
    props = "properties:\n  x: {type: string}\n"
    c = _case
    return [
        c(
            "yaml-syntax-unclosed-flow",
            HEAD + "properties: {x: {type: string}\n",
            "",
            "invalid YAML",
        ),
        c(
            "yaml-syntax-bad-indent",
            HEAD + "properties:\n  x:\n type: string\n",
            "",
            "invalid YAML",
        ),
        c("yaml-tab-indent", HEAD + "properties:\n\tx: {type: string}\n", "", "invalid YAML"),
        c("yaml-two-documents", HEAD + props + "---\n" + HEAD, "", "invalid YAML"),
        c("yaml-unknown-alias", HEAD + "properties:\n  x: *nowhere\n", "", "invalid YAML"),
        c(
            "yaml-python-tag",
            HEAD + props + "x-bad: !!python/object:os.system {}\n",
            "",
            "invalid YAML",
        ),
        c("yaml-duplicate-key", HEAD + props + "title: Again\n", "", "duplicate key 'title'"),
        c(
            "yaml-duplicate-property",
            HEAD + "properties:\n  x: {}\n  x: {}\n",
            "",
            "duplicate key 'x'",
        ),
        Case(
            "not-utf8",
            _bytes(HEAD.encode() + b"properties: {x: {description: \xff\xfe}}\n"),
            HOSTILE,
            "",
            "not UTF-8",
        ),
        Case("empty-file", _bytes(b""), HOSTILE, "", "mapping at the top level"),
        c("top-level-list", "- a\n- b\n", "", "mapping at the top level"),
        c("top-level-scalar", "just text\n", "", "mapping at the top level"),
        c(
            "nan-value",
            HEAD + "properties:\n  x: {type: number, maximum: .nan}\n",
            "/properties/x/maximum",
            "not a JSON number",
        ),
        c(
            "infinity-value",
            HEAD + "properties:\n  x: {type: number, maximum: .inf}\n",
            "/properties/x/maximum",
            "not a JSON number",
        ),
        c(
            "huge-float",
            HEAD + f"properties:\n  x: {{type: number, maximum: 1{'0' * 400}.0}}\n",
            "/properties/x/maximum",
            "not a JSON number",
        ),
        c(
            "integer-key",
            HEAD + "properties:\n  1: {type: string}\n",
            "/properties",
            "is not a string",
        ),
        c(
            "boolean-key",
            HEAD + "properties:\n  yes: {type: string}\n",
            "/properties",
            "is not a string",
        ),
        c(
            "null-key",
            HEAD + "properties:\n  ~: {type: string}\n",
            "/properties",
            "is not a string",
        ),
        c(
            "binary-value",
            HEAD + props + "examples:\n  - x: !!binary aGVsbG8=\n",
            "/examples/0/x",
            "bytes value is not JSON",
        ),
        c(
            "timestamp-key-ok-but-set",
            HEAD + props + "examples:\n  - x: !!set {a, b}\n",
            "/examples/0/x",
            "not JSON",
        ),
        c(
            "missing-title",
            HEAD.replace("title: HostileRequestMessage\n", "") + props,
            "/title",
            "needs a title",
        ),
        c(
            "title-not-message",
            HEAD.replace("HostileRequestMessage", "Hostile") + props,
            "/title",
            "end in 'Message'",
        ),
        c(
            "title-not-pascal",
            HEAD.replace("HostileRequestMessage", "hostile_Message") + props,
            "/title",
            "PascalCase",
        ),
        c(
            "missing-description",
            HEAD.replace("description: A message built to break the generator.\n", "") + props,
            "/description",
            "needs a description",
        ),
        c(
            "blank-description",
            HEAD.replace("A message built to break the generator.", "' '") + props,
            "/description",
            "needs a description",
        ),
        c(
            "payload-not-object",
            HEAD.replace("type: object", "type: array") + "items: {}\n",
            "/type",
            "type: object",
        ),
        c("missing-properties", HEAD, "/properties", "needs properties"),
        c("empty-examples", HEAD + props + "examples: []\n", "/examples", "at least one payload"),
        c(
            "bad-type-name",
            HEAD + "properties:\n  x: {type: text}\n",
            "/properties/x/type",
            "not a valid type",
        ),
        c("unknown-x-keyword", HEAD + props + "x-colour: red\n", "/x-colour", "unknown keyword"),
        c(
            "x-secret-not-bool",
            HEAD + "properties:\n  x: {type: string, x-secret: maybe}\n",
            "/properties/x/x-secret",
            "true or false",
        ),
        c(  # required but not a property of a closed object: no payload is valid
            "required-not-a-property",
            HEAD + props + "required: [y]\n",
            "/examples",
            "add `examples`",
        ),
        c(
            "dynamic-ref-unsupported",
            HEAD + "properties:\n  x: {$dynamicRef: '#meta'}\n",
            "/properties/x/$dynamicRef",
            "dynamic references are not supported",
        ),
        c(
            "anchor-unsupported",
            HEAD + "properties:\n  x: {$anchor: here}\n",
            "/properties/x/$anchor",
            "anchors are not supported",
        ),
        c(
            "nested-id-unsupported",
            HEAD + "properties:\n  x: {$id: 'https://example.com/x'}\n",
            "/properties/x/$id",
            "nested $id",
        ),
        c(
            "pattern-lookahead",
            HEAD + "properties:\n  x: {type: string, pattern: '^(?=a)'}\n",
            "/properties/x/pattern",
            "lookaround",
        ),
        c(
            "pattern-backreference",
            HEAD + "properties:\n  x: {type: string, pattern: '(a)\\1'}\n",
            "/properties/x/pattern",
            "backreferences",
        ),
        c(
            "pattern-syntax",
            HEAD + "properties:\n  x: {type: string, pattern: '[a-'}\n",
            "/properties/x/pattern",
            "missing ']'",
        ),
        c(
            "pattern-property-key",
            HEAD + "properties:\n  x: {type: object, patternProperties: {'\\p{Alphabetic}': {}}}\n",
            "/properties/x/patternProperties/\\p{Alphabetic}",
            "only General_Category",
        ),
        c(
            "definition-only-refers-to-itself",
            HEAD + "properties:\n  x: {$ref: '#/$defs/A'}\n$defs:\n  A: {$ref: '#/$defs/A'}\n",
            "/$defs/A",
            "reference to itself",
        ),
        c(
            "ref-absolute-url",
            HEAD + "properties:\n  x: {$ref: 'https://example.com/s.yaml#/$defs/A'}\n",
            "/properties/x/$ref",
            "only relative references",
        ),
        c(
            "ref-absolute-path",
            HEAD + "properties:\n  x: {$ref: '/etc/passwd#/$defs/A'}\n",
            "/properties/x/$ref",
            "only relative references",
        ),
        c(
            "ref-leaves-folder",
            HEAD + "properties:\n  x: {$ref: '../../x.yaml#/$defs/A'}\n",
            "/properties/x/$ref",
            "outside the schema folder",
        ),
        c(
            "ref-missing-file",
            HEAD + "properties:\n  x: {$ref: 'shared/none.yaml#/$defs/A'}\n",
            "/properties/x/$ref",
            "no schema file",
        ),
        c(
            "ref-missing-definition",
            HEAD + "properties:\n  x: {$ref: 'shared/storage.yaml#/$defs/Nope'}\n",
            "/properties/x/$ref",
            "Nope",
        ),
        c(
            "ref-not-a-definition",
            HEAD + "properties:\n  x: {$ref: 'shared/storage.yaml#/title'}\n",
            "/properties/x/$ref",
            "must point at a definition",
        ),
        c(
            "example-wrong-type",
            HEAD + props + "examples:\n  - x: 5\n",
            "/examples/0/x",
            "example is not valid",
        ),
        c(
            "example-extra-field",
            HEAD + props + "examples:\n  - x: a\n    y: b\n",
            "/examples/0",
            "example is not valid",
        ),
        c(
            "example-bad-format",
            HEAD + "properties:\n  x: {type: string, format: uuid}\nexamples:\n  - x: not-a-uuid\n",
            "/examples/0/x",
            "example is not valid",
        ),
        c(
            "message-title-reused",
            HEAD.replace("HostileRequestMessage", "FileDownloadRequestMessage") + props,
            "",
            "already used",
        ),
        c(
            "inner-message-name",
            HEAD
            + "properties:\n  x: {type: object, title: InnerMessage, "
            + "additionalProperties: false, properties: {a: {}}}\n",
            "/properties/x",
            "only message payloads",
        ),
        c(
            "shared-extra-key",
            "properties: {}\n$defs: {}\n",
            "/properties",
            "holds only $defs",
            rel="shared/extra.yaml",
        ),
        c(
            "shared-def-not-pascal",
            "$defs:\n  lower_case: {type: string}\n",
            "/$defs/lower_case",
            "PascalCase",
            rel="shared/lower.yaml",
        ),
        c("shared-not-mapping", "- a\n", "", "mapping at the top level", rel="shared/list.yaml"),
        c(
            "not-kebab-file-name",
            HEAD + props,
            "",
            "not a kebab-case message type",
            rel="Hostile_Request.yaml",
        ),
        c("yml-extension", HEAD + props, "", "must end in .yaml", rel="hostile-request.yml"),
        c("json-extension", '{"title": "X"}', "", "must end in .yaml", rel="hostile-request.json"),
        Case(
            "version-not-semver",
            _bytes(b"one point oh\n", "VERSION"),
            "VERSION",
            "",
            "not a semantic version",
        ),
        Case(
            "version-not-utf8",
            _bytes(b"\xff\xfe1.0.0\n", "VERSION"),
            "VERSION",
            "",
            "not a semantic version",
        ),
    ]


def name_cases() -> list[Case]:
    """Message types whose method would collide with a member of a generated client."""
    return [
        Case(f"message-named-{name}", _renamed(name), f"{name}.yaml", "", "")
        for name in ("timeout", "base-url", "validate")
    ]


def all_cases() -> list[Case]:
    return limit_cases() + folder_cases() + content_cases() + name_cases() + regex_cases()


def _renamed(kebab: str) -> Callable[[Path], None]:
    """A message whose type is `kebab`: the file name and a title to match."""
    title = "".join(word.title() for word in kebab.split("-")) + "Message"
    return _message(HEAD.replace("HostileRequestMessage", title) + PLAIN_BODY, f"{kebab}.yaml")


def regex_cases() -> list[Case]:
    """Patterns that used to crash (a traceback) or hang (catastrophic backtracking on a
    failing example): ECMA-262 is parsed up front, and matching runs in linear time."""
    redos = HEAD + "properties:\n  x: {type: string, pattern: '^(a+)+$'}\n"
    return [
        _case(
            "pattern-invalid-regex",
            HEAD + "properties:\n  x: {type: string, pattern: '(unclosed'}\n",
            "/properties/x/pattern",
            "pattern '(unclosed'",
        ),
        _case(
            "pattern-redos-with-failing-example",
            redos + "examples:\n  - x: " + "a" * 40 + "!\n",
            "/examples/0/x",
            "does not match",
        ),
    ]
